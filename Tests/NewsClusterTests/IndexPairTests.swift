import Testing
@testable import NewsCluster

@Suite("IndexPair")
struct IndexPairTests {
    @Test func eitherOrderMakesThePairWithTheSmallerIndexFirst() {
        let pair = IndexPair(9, 4)
        #expect(pair.first == 4 && pair.second == 9)
        #expect(pair == IndexPair(4, 9))
        #expect(IndexPair(3, 3).first == 3 && IndexPair(3, 3).second == 3)
        let largest = Int(UInt32.max)
        #expect(IndexPair(largest, 0).first == 0 && IndexPair(largest, 0).second == largest)
    }

    @Test func pairsSortAsTheirPackedKeys() {
        var generator = SeededGenerator(seed: 17)
        var pairs: [IndexPair] = []
        var keys: [UInt64] = []
        for _ in 0..<2_000 {
            // Small and large indices, so that both halves of the key matter.
            let a = Int.random(in: 0...(Int(UInt32.max) / 2), using: &generator) % (Bool.random(using: &generator) ? 50 : Int(UInt32.max))
            let b = Int.random(in: 0...Int(UInt32.max), using: &generator) % (Bool.random(using: &generator) ? 50 : Int(UInt32.max))
            pairs.append(IndexPair(a, b))
            keys.append(UInt64(min(a, b)) << 32 | UInt64(max(a, b)))
        }
        #expect(pairs.sorted().map { UInt64($0.first) << 32 | UInt64($0.second) } == keys.sorted())
        #expect(pairs.sorted() == pairs.sorted { ($0.first, $0.second) < ($1.first, $1.second) })
    }

    @Test func equalPairsHashAlike() {
        let set: Set = [IndexPair(1, 2), IndexPair(2, 1), IndexPair(1, 3)]
        #expect(set.count == 2 && set.contains(IndexPair(3, 1)) && !set.contains(IndexPair(2, 3)))
    }

    @Test func aPairTakesOneWord() {
        #expect(MemoryLayout<IndexPair>.size == 8 && MemoryLayout<IndexPair>.stride == 8)
    }
}
