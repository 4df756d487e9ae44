import Testing
@testable import NewsCluster

/// Exact Jaccard similarity of the word 4-gram sets of two token sequences.
private func exactJaccard(_ a: [UInt64], _ b: [UInt64]) -> Double {
    func grams(_ tokens: [UInt64]) -> Set<[UInt64]> {
        tokens.count < 4 ? [tokens] : Set((0...(tokens.count - 4)).map { Array(tokens[$0..<($0 + 4)]) })
    }
    let x = grams(a), y = grams(b)
    return Double(x.intersection(y).count) / Double(x.union(y).count)
}

private func randomTokens(_ count: Int, vocabulary: UInt64, _ generator: inout SeededGenerator) -> [UInt64] {
    (0..<count).map { _ in UInt64.random(in: 1...vocabulary, using: &generator) }
}

@Suite("ShingleSketch")
struct ShingleSketchTests {
    @Test func identicalTextsContainEachOther() {
        var generator = SeededGenerator(seed: 1)
        let tokens = randomTokens(500, vocabulary: 2000, &generator)
        let a = ShingleSketch(tokens: tokens), b = ShingleSketch(tokens: tokens)
        #expect(a == b)
        #expect(a.jaccard(b) == 1)
        #expect(a.containment(b) == 1)
        #expect(a.minima.count == ShingleSketch.capacity)
        #expect(a.minima == a.minima.sorted())
    }

    @Test func disjointTextsShareNothing() {
        var generator = SeededGenerator(seed: 2)
        let a = ShingleSketch(tokens: randomTokens(300, vocabulary: 1000, &generator))
        let b = ShingleSketch(tokens: randomTokens(300, vocabulary: 1000, &generator).map { $0 + 10_000 })
        #expect(a.jaccard(b) == 0)
        #expect(a.containment(b) == 0)
    }

    @Test func sameWordsInAnotherOrderShareNoShingles() {
        let tokens: [UInt64] = Array(1...60)
        let a = ShingleSketch(tokens: tokens), b = ShingleSketch(tokens: tokens.reversed())
        #expect(a.containment(b) == 0)
    }

    @Test func copyWithoutItsLastParagraphIsMostlyContained() {
        var generator = SeededGenerator(seed: 3)
        let full = randomTokens(1000, vocabulary: 5000, &generator)
        let cut = Array(full.prefix(800))
        let a = ShingleSketch(tokens: full), b = ShingleSketch(tokens: cut)
        #expect(a.containment(b) > 0.85)
        #expect(b.containment(a) == a.containment(b))
        // Jaccard sees the size difference (true value 797/997 ≈ 0.80).
        #expect(abs(a.jaccard(b) - 797.0 / 997.0) < 0.15)
        // A copy that gained a credit line is contained as well.
        let credited = ShingleSketch(tokens: full + [90_001, 90_002, 90_003, 90_004, 90_005])
        #expect(a.containment(credited) > 0.95)
    }

    @Test func jaccardIsExactForSmallSets() {
        var generator = SeededGenerator(seed: 4)
        for _ in 0..<50 {
            let base = randomTokens(Int.random(in: 10...60, using: &generator), vocabulary: 30, &generator)
            var other = base
            for _ in 0..<Int.random(in: 0...8, using: &generator) {
                other[Int.random(in: 0..<other.count, using: &generator)] = UInt64.random(in: 1...30, using: &generator)
            }
            let a = ShingleSketch(tokens: base), b = ShingleSketch(tokens: other)
            #expect(a.count <= ShingleSketch.capacity && b.count <= ShingleSketch.capacity)
            #expect(abs(a.jaccard(b) - exactJaccard(base, other)) < 1e-12)
        }
    }

    @Test func countIsTheNumberOfDistinctShingles() {
        #expect(ShingleSketch(tokens: [1, 2, 3, 4, 1, 2, 3, 4, 1]).count == 4)
        #expect(ShingleSketch(tokens: [1, 2, 3, 4, 5]).count == 2)
    }

    @Test func shortTextsAreOneShingle() {
        let short = ShingleSketch(tokens: [7, 8])
        #expect(short.count == 1 && short.minima.count == 1)
        #expect(short.containment(ShingleSketch(tokens: [7, 8])) == 1)
        #expect(short.containment(ShingleSketch(tokens: [8, 7])) == 0)
        let empty = ShingleSketch(tokens: [])
        #expect(empty.count == 0 && empty.minima.isEmpty)
        #expect(empty.jaccard(empty) == 0)
        #expect(empty.containment(short) == 0)
    }
}
