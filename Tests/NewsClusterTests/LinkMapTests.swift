import Testing
@testable import NewsCluster

@Suite("LinkMap")
struct LinkMapTests {
    func contents(_ map: LinkMap) -> [Int: Float] {
        var result: [Int: Float] = [:]
        map.forEach { key, value in
            #expect(result[key] == nil, "key \(key) visited twice")
            result[key] = value
        }
        return result
    }

    @Test func addSumsAndRemoveForgets() {
        var map = LinkMap()
        #expect(contents(map).isEmpty && map.count == 0)
        map.remove(3)
        map.add(0.5, to: 3)
        map.add(0.25, to: 3)
        map.add(1, to: 0)
        #expect(contents(map) == [3: 0.75, 0: 1] && map.count == 2)
        map.remove(3)
        #expect(contents(map) == [0: 1] && map.count == 1)
        map.removeAll()
        #expect(map.count == 0 && contents(map).isEmpty)
    }

    @Test func agreesWithADictionaryThroughGrowthCollisionsAndRemovals() {
        // Keys from a small range collide and wrap around the table; removals in the middle of
        // probe runs must leave every other key reachable.
        var generator = SeededGenerator(seed: 11)
        for keyRange in [16, 300, 100_000] {
            var map = LinkMap()
            var expected: [Int: Float] = [:]
            for _ in 0..<20_000 {
                let key = Int.random(in: 0..<keyRange, using: &generator)
                if Int.random(in: 0..<3, using: &generator) == 0 {
                    map.remove(key)
                    expected[key] = nil
                } else {
                    let value = Float(Int.random(in: 1...8, using: &generator)) / 8
                    map.add(value, to: key)
                    expected[key, default: 0] += value
                }
            }
            #expect(map.count == expected.count)
            #expect(contents(map) == expected)
        }
    }

    @Test func aCopyIsIndependent() {
        var map = LinkMap()
        map.add(1, to: 1)
        let copy = map
        map.removeAll()
        map.add(2, to: 2)
        #expect(contents(copy) == [1: 1])
        #expect(contents(map) == [2: 2])
    }
}
