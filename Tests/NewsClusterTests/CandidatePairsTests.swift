import Testing
@testable import NewsCluster

@Suite("CandidatePairs")
struct CandidatePairsTests {
    @Test(arguments: [1, 2, 4])
    func groupsSortsAndRemovesRepeats(threads: Int) {
        var generator = SeededGenerator(seed: 8)
        let positions = 60
        var packed: [UInt64] = []
        for _ in 0..<2_000 {
            let a = UInt64.random(in: 0..<UInt64(positions - 1), using: &generator)
            let b = UInt64.random(in: (a + 1)..<UInt64(positions), using: &generator)
            packed.append(a << 32 | b)
        }
        let pairs = CandidatePairs(packed: packed, positions: positions, threads: threads)
        #expect(pairs.packed == Array(Set(packed)).sorted())
        #expect(pairs.count == Set(packed).count)
        #expect(pairs.starts.count == positions + 1)
    }

    @Test func emptyInputHasNoPairs() {
        let pairs = CandidatePairs(packed: [], positions: 3, threads: 2)
        #expect(pairs.count == 0 && pairs.starts == [0, 0, 0, 0] && pairs.packed.isEmpty)
    }
}
