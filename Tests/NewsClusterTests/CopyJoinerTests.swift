import Testing
@testable import NewsCluster

/// Whether the joiner's positions `a` and `b` are in one class of `classOf`: a position out of
/// range fails the test instead of crashing it.
private func sameClass(_ classOf: [Int], _ a: Int, _ b: Int) -> Bool {
    guard classOf.indices.contains(a), classOf.indices.contains(b) else {
        Issue.record("positions \(a) and \(b) asked for, of \(classOf.count)")
        return false
    }
    return classOf[a] == classOf[b]
}

@Suite("CopyJoiner")
struct CopyJoinerTests {
    /// 300 positions in hidden classes of copies (sizes 1 to 60); pairs are met in a random
    /// order, as a thread's tiles meet them. Checked against the classes themselves.
    @Test(arguments: [UInt64(1), 2, 3])
    func groupsLabelsAndKeptPairsFollowTheClasses(seed: UInt64) throws {
        var generator = SeededGenerator(seed: seed)
        let n = 300, largeGroup = 8
        var classOf = [Int](repeating: 0, count: n)
        var next = 0, position = 0
        while position < n {
            let size = min(n - position, Int.random(in: 1...60, using: &generator))
            for member in position..<(position + size) { classOf[member] = next }
            next += 1
            position += size
        }
        classOf.shuffle(using: &generator)
        let joiner = CopyJoiner(positions: n, largeGroup: largeGroup) { [classOf] in sameClass(classOf, $0, $1) }
        var pairs = (0..<n).flatMap { a in ((a + 1)..<n).map { (a, $0) } }
        pairs.shuffle(using: &generator)
        var kept = 0
        for (a, b) in pairs.prefix(20_000) where joiner.keeps(a, b) { kept += 1 }
        // Every pair was met or not; the groups are the components of the copy pairs met.
        var reference = UnionFind(count: n)
        for (a, b) in pairs.prefix(20_000) where classOf[a] == classOf[b] { reference.union(a, b) }
        let merged = CopyJoiner.merged([joiner], largeGroup: largeGroup)
        try #require(merged.isLarge.count == n && merged.group.count == n)
        for a in 0..<n {
            let large = reference.size(ofRoot: reference.find(a)) >= largeGroup
            #expect(merged.isLarge[a] == large)
            // Labels: the same non-negative label exactly for two members of one large group.
            #expect((joiner.labels[a] >= 0) == large)
            for b in stride(from: a + 1, to: n, by: 7) {
                let together = reference.find(a) == reference.find(b)
                #expect((merged.group[a] == merged.group[b]) == together)
                #expect((joiner.labels[a] >= 0 && joiner.labels[a] == joiner.labels[b]) == (together && large))
            }
        }
        let largeGroups = reference.groups().filter { $0.count >= largeGroup }
        #expect(merged.largeGroups == largeGroups)
        #expect(kept < 20_000)
        #expect(joiner.checks <= 20_000)
    }

    /// Two threads' joiners merge into the groups one joiner would have found.
    @Test func mergedJoinersGiveTheGroupsOfAllTheirPairs() {
        let classOf = (0..<40).map { $0 % 2 }
        let even = CopyJoiner(positions: 40, largeGroup: 5) { sameClass(classOf, $0, $1) }
        let odd = CopyJoiner(positions: 40, largeGroup: 5) { sameClass(classOf, $0, $1) }
        // Half of each class's chain in each joiner.
        for a in stride(from: 0, to: 38, by: 2) {
            _ = (a % 4 == 0 ? even : odd).keeps(a, a + 2)
            _ = (a % 4 == 0 ? odd : even).keeps(a + 1, a + 3)
        }
        let merged = CopyJoiner.merged([even, odd], largeGroup: 5)
        #expect(merged.largeGroups == [Array(stride(from: 0, to: 40, by: 2)), Array(stride(from: 1, to: 40, by: 2))])
    }
}
