import Testing
@testable import NewsCluster

// `find`, `union` and `groups` are mutating (path halving), so results are taken into locals
// before `#expect`.
@Suite("UnionFind")
struct UnionFindTests {
    @Test func startsAsSingletons() {
        var sets = UnionFind(count: 4)
        let roots = (0..<4).map { sets.find($0) }
        #expect(roots == [0, 1, 2, 3])
        let groups = sets.groups()
        #expect(groups.isEmpty)
    }

    @Test func unionJoinsAndReportsNewMerges() {
        var sets = UnionFind(count: 6)
        let merges = [sets.union(0, 1), sets.union(4, 5), sets.union(1, 0), sets.union(1, 5), sets.union(0, 4)]
        #expect(merges == [true, true, false, true, false])
        let (r0, r5, r2) = (sets.find(0), sets.find(5), sets.find(2))
        #expect(r0 == r5)
        #expect(r2 != r0)
        let groups = sets.groups()
        #expect(groups == [[0, 1, 4, 5]])
    }

    @Test func groupsAreSortedAndOrderedBySmallestElement() {
        var sets = UnionFind(count: 10)
        sets.union(9, 3)
        sets.union(7, 1)
        sets.union(8, 7)
        sets.union(6, 2)
        let groups = sets.groups()
        #expect(groups == [[1, 7, 8], [2, 6], [3, 9]])
    }

    @Test func longChainsCollapse() {
        let count = 2000
        var sets = UnionFind(count: count)
        for element in 1..<count { sets.union(element - 1, element) }
        let root = sets.find(0)
        let roots = Set((0..<count).map { sets.find($0) })
        #expect(roots == [root])
        let groups = sets.groups()
        #expect(groups.count == 1)
        #expect(groups.first?.count == count)
    }

    @Test func randomUnionsMatchNaiveLabels() {
        var generator = SeededGenerator(seed: 31)
        let count = 200
        var sets = UnionFind(count: count)
        var label = Array(0..<count)
        for _ in 0..<150 {
            let a = Int.random(in: 0..<count, using: &generator), b = Int.random(in: 0..<count, using: &generator)
            let merged = sets.union(a, b)
            #expect(merged == (label[a] != label[b]))
            let (from, to) = (label[b], label[a])
            for index in 0..<count where label[index] == from { label[index] = to }
        }
        var mismatches = 0
        for a in 0..<count {
            for b in 0..<count where (sets.find(a) == sets.find(b)) != (label[a] == label[b]) { mismatches += 1 }
        }
        #expect(mismatches == 0)
        #expect(sets.count == count)
        for element in 0..<count {
            let root = sets.find(element)
            #expect(sets.size(ofRoot: root) == label.filter { $0 == label[element] }.count)
        }
        let groups = sets.groups()
        let naive = Dictionary(grouping: 0..<count, by: { label[$0] }).values.filter { $0.count > 1 }
            .map { $0.sorted() }.sorted { $0[0] < $1[0] }
        #expect(groups == naive)
    }
}
