import Testing
@testable import NewsCluster

@Suite("CandidatePairs")
struct CandidatePairsTests {
    @Test(arguments: [1, 2, 4])
    func groupsSortsAndRemovesRepeats(threads: Int) {
        var generator = SeededGenerator(seed: 8)
        let positions = 60
        var given: [IndexPair] = []
        for _ in 0..<2_000 {
            let a = Int.random(in: 0..<(positions - 1), using: &generator)
            let b = Int.random(in: (a + 1)..<positions, using: &generator)
            // Either order: a pair is unordered.
            given.append(Bool.random(using: &generator) ? IndexPair(a, b) : IndexPair(b, a))
        }
        let pairs = CandidatePairs(given, positions: positions, threads: threads)
        #expect(pairs.pairs == Array(Set(given)).sorted())
        #expect(pairs.count == Set(given).count)
        #expect(pairs.offsets.count == positions + 1)
        for a in 0..<positions {
            let partners = pairs.range(of: a).map { pairs.partner(at: $0) }
            #expect(partners == given.filter { $0.first == a }.map(\.second).uniqued().sorted())
        }
    }

    @Test func emptyInputHasNoPairs() {
        let pairs = CandidatePairs([], positions: 3, threads: 2)
        #expect(pairs.count == 0 && pairs.offsets == [0, 0, 0, 0] && pairs.pairs.isEmpty)
    }
}

private extension Array where Element: Hashable {
    func uniqued() -> [Element] { Array(Set(self)) }
}
