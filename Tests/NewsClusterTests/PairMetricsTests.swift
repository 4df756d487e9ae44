import Foundation
import Testing
@testable import NewsCluster

@Suite("PairMetrics")
struct PairMetricsTests {
    @Test func binaryByHand() {
        // (together, positive): TP (T,T) ×2, FP (T,F), FN (F,T), TN (F,F).
        let m = PairMetrics(binary: [(true, true), (true, false), (false, true), (false, false), (true, true)])
        #expect(m.pairs == 5)
        #expect(m.positives == 3)                 // TP + FN
        // P = 2 / (2 + 1), R = 2 / (2 + 1), F1 = 2/3, accuracy (2 + 1) / 5.
        #expect(m.precision == 2.0 / 3 && m.recall == 2.0 / 3)
        #expect(abs(m.f1 - 2.0 / 3) < 1e-15)
        #expect(m.accuracy == 0.6)
        #expect(m.allPairs == nil)
    }

    @Test func binaryEdgeCases() {
        // Nothing predicted together: precision 1 by convention, recall 0, F1 0.
        let apart = PairMetrics(binary: [(false, true), (false, false)])
        #expect(apart.precision == 1 && apart.recall == 0 && apart.f1 == 0 && apart.accuracy == 0.5)
        // No gold positives: recall 1; one false positive: precision 0.
        let negatives = PairMetrics(binary: [(true, false), (false, false)])
        #expect(negatives.precision == 0 && negatives.recall == 1 && negatives.f1 == 0)
        #expect(negatives.positives == 0)
        // No pairs at all.
        let empty = PairMetrics(binary: [])
        #expect(empty.pairs == 0 && empty.positives == 0)
        #expect(empty.precision == 1 && empty.recall == 1 && empty.f1 == 1 && empty.accuracy == 1)
    }

    @Test func gradedKeepsTheEndsOfTheScale() {
        // overall ≤ 1.5 positive, ≥ 3.5 negative, others dropped.
        let items: [(together: Bool, overall: Double)] = [
            (true, 1),      // positive, together → TP
            (false, 1.5),   // positive (boundary), apart → FN
            (true, 2),      // dropped
            (true, 1.51),   // dropped
            (false, 3.49),  // dropped
            (true, 3.5),    // negative (boundary), together → FP
            (false, 4),     // negative, apart → TN
            (true, 1.2),    // positive, together → TP
        ]
        let m = PairMetrics(graded: items)
        #expect(m.allPairs == 8)
        #expect(m.pairs == 5)
        #expect(m.positives == 3)
        // TP 2, FP 1, FN 1, TN 1 → P 2/3, R 2/3, accuracy 3/5.
        #expect(m.precision == 2.0 / 3 && m.recall == 2.0 / 3 && m.accuracy == 0.6)
        #expect(m == PairMetrics(graded: items.reversed()))
        // The same as binary on the kept pairs, except for n_all.
        var binary = PairMetrics(binary: [(true, true), (false, true), (true, false), (false, false), (true, true)])
        #expect(binary != m)
        binary.allPairs = 8
        #expect(binary == m)
    }

    @Test func gradedWithOnlyMiddleScoresScoresNothing() {
        let m = PairMetrics(graded: [(true, 2), (false, 3), (true, 2.5)])
        #expect(m.allPairs == 3 && m.pairs == 0 && m.positives == 0)
        #expect(m.precision == 1 && m.recall == 1 && m.accuracy == 1)
    }

    @Test func jsonKeys() throws {
        let encoder = JSONEncoder()
        let graded = try #require(try JSONSerialization.jsonObject(
            with: encoder.encode(PairMetrics(graded: [(true, 1), (false, 4), (true, 2)]))) as? [String: Any])
        #expect(Set(graded.keys) == ["n", "positives", "p", "r", "f1", "accuracy", "n_all"])
        #expect(graded["n"] as? Int == 2 && graded["n_all"] as? Int == 3)
        let binary = try #require(try JSONSerialization.jsonObject(
            with: encoder.encode(PairMetrics(binary: [(true, true)]))) as? [String: Any])
        // n_all only for graded pairs.
        #expect(binary["n_all"] == nil || binary["n_all"] is NSNull)
        #expect(Set(binary.keys).isSubset(of: ["n", "positives", "p", "r", "f1", "accuracy", "n_all"]))
        #expect(binary["n"] as? Int == 1 && binary["positives"] as? Int == 1)
    }
}
