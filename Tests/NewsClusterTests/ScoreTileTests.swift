import Testing
@testable import NewsCluster

extension UsesOpenBLAS {
    @Suite("ScoreTile")
    struct ScoreTileTests {
        /// `count` packed rows of `depth` random floats.
        func randomRows(_ count: Int, depth: Int, seed: UInt64) -> [Float] {
            var generator = SeededGenerator(seed: seed)
            return (0..<(count * depth)).map { _ in Float.random(in: -1...1, using: &generator) }
        }

        func dot(_ a: [Float], _ i: Int, _ b: [Float], _ j: Int, depth: Int) -> Float {
            var sum: Double = 0
            for p in 0..<depth { sum += Double(a[i * depth + p]) * Double(b[j * depth + p]) }
            return Float(sum)
        }

        @Test(arguments: [(0..<5, 3..<9), (7..<8, 0..<1), (2..<10, 2..<10)])
        func scoresARangeOfRowsAgainstARangeOfColumns(rows: Range<Int>, columns: Range<Int>) {
            let depth = 13
            let a = randomRows(10, depth: depth, seed: 1), b = randomRows(10, depth: depth, seed: 2)
            var tile = ScoreTile(capacity: 100)
            tile.multiply(a, rows: rows, b, columns: columns, depth: depth)
            #expect(tile.rows == rows && tile.columns == columns)
            for row in rows {
                for column in columns {
                    #expect(abs(tile[row, column] - dot(a, row, b, column, depth: depth)) < 1e-5)
                }
            }
        }

        @Test func aRowsScoresStartAtTheGivenColumn() {
            let depth = 4
            let a = randomRows(6, depth: depth, seed: 3)
            var tile = ScoreTile(capacity: 36)
            // A smaller tile after a larger one: the storage is reused, the layout follows the tile.
            tile.multiply(a, rows: 0..<6, a, columns: 0..<6, depth: depth)
            tile.multiply(a, rows: 1..<4, a, columns: 2..<6, depth: depth)
            for row in 1..<4 {
                for first in 2..<6 {
                    let got = tile.withScores(ofRow: row, from: first) { scores in (0..<(6 - first)).map { scores[$0] } }
                    #expect(got == (first..<6).map { tile[row, $0] })
                }
            }
        }

        /// Single pairs, as a night scores its known pairs: what the tile gives, to rounding.
        @Test(arguments: [1, 2])
        func pairScoresAreTheTilesScores(threads: Int) {
            for depth in [13, 96] {
                let a = randomRows(40, depth: depth, seed: 5)
                var tile = ScoreTile(capacity: 1600)
                tile.multiply(a, rows: 0..<40, a, columns: 0..<40, depth: depth)
                let pairs = (0..<40).flatMap { x in stride(from: x, to: 40, by: 3).map { IndexPair(x, $0) } }
                let scores = ScoreTile.scores(of: pairs, in: a, depth: depth, threads: threads)
                #expect(scores.count == pairs.count)
                for (pair, score) in zip(pairs, scores) {
                    #expect(abs(score - tile[pair.first, pair.second]) < 1e-5, "\(pair.first), \(pair.second)")
                }
            }
        }
    }
}
