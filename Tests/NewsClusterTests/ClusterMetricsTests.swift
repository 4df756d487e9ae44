import Foundation
import Testing
@testable import NewsCluster

private func close(_ a: Double, _ b: Double, _ tolerance: Double = 1e-12) -> Bool { abs(a - b) <= tolerance }

/// H = −Σ p ln p over cluster sizes.
private func entropy(_ sizes: [Double]) -> Double {
    let n = sizes.reduce(0, +)
    return -sizes.map { $0 / n * log($0 / n) }.reduce(0, +)
}

@Suite("ClusterMetrics")
struct ClusterMetricsTests {
    @Test func aSmallCaseByHand() {
        // gold A A A B B, predicted 1 1 2 2 2. Contingency (gold × predicted):
        //   A: 1→2, 2→1;  B: 2→2.  Gold sizes A 3, B 2; predicted sizes 1: 2, 2: 3; n = 5.
        let m = ClusterMetrics(gold: ["A", "A", "A", "B", "B"], predicted: [1, 1, 2, 2, 2].map(String.init))
        #expect(m.items == 5 && m.goldClusters == 2 && m.predictedClusters == 2)
        // BCubed P = Σ n_ij² / |pred_j| / n = (4/2 + 1/3 + 4/3) / 5 = 11/15;
        // BCubed R = Σ n_ij² / |gold_i| / n = (4/3 + 1/3 + 4/2) / 5 = 11/15.
        #expect(close(m.bcubedPrecision, 11.0 / 15))
        #expect(close(m.bcubedRecall, 11.0 / 15))
        #expect(close(m.bcubedF1, 11.0 / 15))
        // Pairs: together in both C(2,2) + C(1,2) + C(2,2) = 2; predicted C(2,2) + C(3,2) = 4;
        // gold C(3,2) + C(2,2) = 4 → P = R = F1 = 2/4.
        #expect(close(m.pairPrecision, 0.5) && close(m.pairRecall, 0.5) && close(m.pairF1, 0.5))
        // ARI: TP 2, FP 2, FN 2, TN C(5,2) − 6 = 4:
        // 2 (TP·TN − FN·FP) / ((TP+FN)(FN+TN) + (TP+FP)(FP+TN)) = 2 (8 − 4) / (4·6 + 4·6) = 1/6.
        #expect(close(m.ari, 1.0 / 6))
        // MI = Σ n_ij/n · ln(n · n_ij / (a_i b_j))
        //    = 2/5 ln(10/6) + 1/5 ln(5/9) + 2/5 ln(10/6) ≈ 0.291103; H(gold) = H(pred) ≈ 0.673012; NMI ≈ 0.432538.
        let mi = 0.4 * log(10.0 / 6) + 0.2 * log(5.0 / 9) + 0.4 * log(10.0 / 6)
        let h = entropy([3, 2])
        #expect(close(mi, 0.291103, 1e-6) && close(h, 0.673012, 1e-6))
        #expect(close(m.nmi, mi / h))
        #expect(close(m.homogeneity, mi / h) && close(m.completeness, mi / h) && close(m.vMeasure, mi / h))
        #expect(close(m.nmi, 0.432538, 1e-6))
    }

    @Test func oneClusterPredictedForTwoGoldStories() {
        // gold A A B B, predicted one cluster.
        let m = ClusterMetrics(gold: ["A", "A", "B", "B"], predicted: ["0", "0", "0", "0"])
        #expect(m.goldClusters == 2 && m.predictedClusters == 1)
        // BCubed P = (2²/4 + 2²/4) / 4 = 1/2; R = (2²/2 + 2²/2) / 4 = 1; F1 = 2·½·1 / (3/2) = 2/3.
        #expect(close(m.bcubedPrecision, 0.5) && close(m.bcubedRecall, 1) && close(m.bcubedF1, 2.0 / 3))
        // Pairs: TP 2 of predicted 6, gold 2 → P 1/3, R 1, F1 = 2·⅓·1 / (4/3) = 1/2.
        #expect(close(m.pairPrecision, 1.0 / 3) && close(m.pairRecall, 1) && close(m.pairF1, 0.5))
        // ARI: TP 2, FP 4, FN 0, TN 0 → 2 (0 − 0) / (2·0 + 6·4) = 0.
        #expect(close(m.ari, 0))
        // MI = 0; H(pred) = 0 → completeness 1 (sklearn), homogeneity 0, V 0, NMI 0.
        #expect(m.homogeneity == 0 && m.completeness == 1 && m.vMeasure == 0 && m.nmi == 0)
    }

    @Test func allSingletonsPredicted() {
        // gold A A B, predicted 1 2 3.
        let m = ClusterMetrics(gold: ["A", "A", "B"], predicted: ["1", "2", "3"])
        // BCubed P = 3 · 1 / 3 = 1; R = (1/2 + 1/2 + 1) / 3 = 2/3; F1 = 2·(2/3) / (5/3) = 4/5.
        #expect(close(m.bcubedPrecision, 1) && close(m.bcubedRecall, 2.0 / 3) && close(m.bcubedF1, 0.8))
        // No predicted pairs: P = 1 by convention; R = 0/1 = 0; F1 = 0.
        #expect(m.pairPrecision == 1 && m.pairRecall == 0 && m.pairF1 == 0)
        // ARI: TP 0, FP 0, FN 1, TN 2 → 2 (0 − 0) / (1·3 + 0·2) = 0.
        #expect(close(m.ari, 0))
        // The prediction refines the gold: MI = H(gold) = −(2/3 ln 2/3 + 1/3 ln 1/3) ≈ 0.636514,
        // H(pred) = ln 3. Homogeneity 1, completeness = H(gold) / ln 3 ≈ 0.579380;
        // V = NMI (arithmetic) = 2 H(gold) / (H(gold) + ln 3) ≈ 0.733680.
        let hg = entropy([2, 1])
        #expect(close(m.homogeneity, 1))
        #expect(close(m.completeness, hg / log(3.0)))
        #expect(close(m.completeness, 0.579380, 1e-6))
        #expect(close(m.vMeasure, 2 * hg / (hg + log(3.0))))
        #expect(close(m.nmi, 2 * hg / (hg + log(3.0))))
        #expect(close(m.nmi, 0.733680, 1e-6))
    }

    @Test func swappingGoldAndPredictionSwapsPrecisionAndRecall() {
        let gold = ["A", "A", "A", "B", "B", "C", "D", "D"]
        let predicted = ["x", "x", "y", "y", "y", "y", "z", "w"]
        let m = ClusterMetrics(gold: gold, predicted: predicted)
        let swapped = ClusterMetrics(gold: predicted, predicted: gold)
        #expect(close(m.bcubedPrecision, swapped.bcubedRecall) && close(m.bcubedRecall, swapped.bcubedPrecision))
        #expect(close(m.pairPrecision, swapped.pairRecall) && close(m.pairRecall, swapped.pairPrecision))
        #expect(close(m.homogeneity, swapped.completeness) && close(m.completeness, swapped.homogeneity))
        #expect(close(m.ari, swapped.ari) && close(m.nmi, swapped.nmi) && close(m.vMeasure, swapped.vMeasure))
        #expect(m.goldClusters == 4 && m.predictedClusters == 4)
    }

    @Test func labelsAreOnlyNames() {
        let gold = ["A", "A", "A", "B", "B", "C", "D", "D"]
        let predicted = ["3", "3", "1", "1", "1", "1", "7", "9"]
        let m = ClusterMetrics(gold: gold, predicted: predicted)
        let renamed = ClusterMetrics(gold: gold.map { "story-" + $0 }, predicted: predicted.map { $0 + "00" })
        #expect(m == renamed)
        // Any Hashable label type: integers for both.
        let numbers = ClusterMetrics(gold: [0, 0, 0, 1, 1, 2, 3, 3], predicted: [3, 3, 1, 1, 1, 1, 7, 9])
        #expect(numbers == m)
        // Reordering the items does not change anything (up to rounding).
        let order = [5, 2, 7, 0, 3, 6, 1, 4]
        let shuffled = ClusterMetrics(gold: order.map { gold[$0] }, predicted: order.map { predicted[$0] })
        #expect(close(m.bcubedF1, shuffled.bcubedF1) && close(m.ari, shuffled.ari) && close(m.nmi, shuffled.nmi))
        #expect(m.pairF1 == shuffled.pairF1)
    }

    @Test func identicalPartitionsScoreOne() {
        let m = ClusterMetrics(gold: ["A", "A", "B", "C", "C"], predicted: ["7", "7", "3", "9", "9"])
        for value in [m.bcubedPrecision, m.bcubedRecall, m.bcubedF1, m.pairPrecision, m.pairRecall, m.pairF1,
                      m.ari, m.nmi, m.homogeneity, m.completeness, m.vMeasure] {
            #expect(close(value, 1, 1e-12))
        }
        #expect(m.goldClusters == 3 && m.predictedClusters == 3)
    }

    @Test func bothAllSingletonsOrBothOneCluster() {
        // Singletons both: no pairs anywhere (P = R = F1 = 1 by convention), FN = FP = 0 → ARI 1,
        // MI = H = ln 3 → NMI, homogeneity, completeness 1.
        let singletons = ClusterMetrics(gold: ["a", "b", "c"], predicted: ["x", "y", "z"])
        #expect(singletons.bcubedF1 == 1 && singletons.pairPrecision == 1 && singletons.pairRecall == 1)
        #expect(singletons.pairF1 == 1 && singletons.ari == 1)
        #expect(close(singletons.nmi, 1) && close(singletons.homogeneity, 1) && close(singletons.completeness, 1))
        // One cluster both: H = 0 on both sides → NMI 1 (sklearn's special case), h = c = V = 1.
        let one = ClusterMetrics(gold: ["s", "s", "s"], predicted: [1, 1, 1].map(String.init))
        #expect(one.bcubedF1 == 1 && one.pairF1 == 1 && one.ari == 1)
        #expect(one.nmi == 1 && one.homogeneity == 1 && one.completeness == 1 && one.vMeasure == 1)
        // One cluster against singletons: ARI 0; NMI 0 (MI = 0); h = 1 (H(gold) = 0), c = 0.
        let split = ClusterMetrics(gold: ["s", "s", "s"], predicted: ["x", "y", "z"])
        #expect(split.ari == 0 && split.nmi == 0 && split.homogeneity == 1 && split.completeness == 0)
        #expect(split.vMeasure == 0 && split.pairPrecision == 1 && split.pairRecall == 0 && split.pairF1 == 0)
        // BCubed: P = 1, R = 3 · (1/3) / 3 = 1/3; F1 = 2·⅓ / (4/3) = 1/2.
        #expect(close(split.bcubedRecall, 1.0 / 3) && close(split.bcubedF1, 0.5))
        // A single item.
        let single = ClusterMetrics(gold: ["a"], predicted: ["b"])
        #expect(single.items == 1 && single.ari == 1 && single.nmi == 1 && single.bcubedF1 == 1 && single.vMeasure == 1)
    }

    @Test func emptyInput() {
        let m = ClusterMetrics(gold: [String](), predicted: [String]())
        #expect(m.items == 0 && m.goldClusters == 0 && m.predictedClusters == 0)
        for value in [m.bcubedPrecision, m.bcubedRecall, m.bcubedF1, m.pairPrecision, m.pairRecall, m.pairF1,
                      m.ari, m.nmi, m.homogeneity, m.completeness, m.vMeasure] {
            #expect(value == 1)
        }
    }

    @Test func matchesNaiveDefinitionsOnRandomLabels() {
        var generator = SeededGenerator(seed: 21)
        for _ in 0..<20 {
            let n = Int.random(in: 1...40, using: &generator)
            let kg = Int.random(in: 1...6, using: &generator), kp = Int.random(in: 1...6, using: &generator)
            let gold = (0..<n).map { _ in Int.random(in: 0..<kg, using: &generator) }
            let predicted = (0..<n).map { _ in Int.random(in: 0..<kp, using: &generator) }
            let m = ClusterMetrics(gold: gold, predicted: predicted)
            // BCubed per item: |same both| / |same predicted| and / |same gold|, averaged.
            var p = 0.0, r = 0.0, tp = 0.0, pp = 0.0, gp = 0.0
            for i in 0..<n {
                let both = (0..<n).filter { gold[$0] == gold[i] && predicted[$0] == predicted[i] }.count
                p += Double(both) / Double((0..<n).filter { predicted[$0] == predicted[i] }.count)
                r += Double(both) / Double((0..<n).filter { gold[$0] == gold[i] }.count)
                for j in (i + 1)..<max(i + 1, n) {
                    let sp = predicted[i] == predicted[j], sg = gold[i] == gold[j]
                    if sp && sg { tp += 1 }
                    if sp { pp += 1 }
                    if sg { gp += 1 }
                }
            }
            #expect(close(m.bcubedPrecision, p / Double(n), 1e-12) && close(m.bcubedRecall, r / Double(n), 1e-12))
            let (pairP, pairR, pairF) = ClusterMetrics.precisionRecallF1(truePositives: tp, predicted: pp, gold: gp)
            #expect(m.pairPrecision == pairP && m.pairRecall == pairR && close(m.pairF1, pairF))
            // ARI by the textbook formula: (index − expected) / (max − expected), unless FP = FN = 0.
            let total = Double(n * (n - 1) / 2)
            if pp == tp && gp == tp {
                #expect(m.ari == 1)
            } else {
                let expected = total > 0 ? pp * gp / total : 0
                let ari = (tp - expected) / ((pp + gp) / 2 - expected)
                #expect(close(m.ari, ari, 1e-9))
            }
            #expect(m.homogeneity >= -1e-12 && m.homogeneity <= 1 + 1e-12)
            #expect(m.completeness >= -1e-12 && m.completeness <= 1 + 1e-12)
        }
    }

    @Test func precisionRecallF1Conventions() {
        let f = ClusterMetrics.precisionRecallF1
        #expect(f(3, 4, 6) == (0.75, 0.5, 0.6))
        // No predicted positives: precision 1. No gold positives: recall 1.
        #expect(f(0, 0, 0) == (1, 1, 1))
        #expect(f(0, 0, 5) == (1, 0, 0))
        #expect(f(0, 5, 0) == (0, 1, 0))
        // Both 0: F1 0.
        #expect(f(0, 2, 3) == (0, 0, 0))
    }

    @Test func jsonKeys() throws {
        let m = ClusterMetrics(gold: ["A", "A", "B"], predicted: ["1", "1", "1"])
        let object = try #require(try JSONSerialization.jsonObject(with: JSONEncoder().encode(m)) as? [String: Any])
        #expect(Set(object.keys) == [
            "items", "gold_clusters", "predicted_clusters", "bcubed_p", "bcubed_r", "bcubed_f1", "pair_p", "pair_r",
            "pair_f1", "ari", "nmi", "homogeneity", "completeness", "v_measure",
        ])
        #expect(object["items"] as? Int == 3)
        #expect(object["predicted_clusters"] as? Int == 1)
        #expect(try JSONDecoder().decode(ClusterMetrics.self, from: JSONEncoder().encode(m)) == m)
    }
}

@Suite("DuplicateMetrics")
struct DuplicateMetricsTests {
    @Test func aSmallCaseByHand() {
        // gold groups g1 = {0, 1, 2}, g2 = {4, 5}; 3 has none. Predicted d1 = {0, 1},
        // d2 = {3} (a group of one), d3 = {4, 5}; 2 has none.
        let m = DuplicateMetrics(
            gold: ["g1", "g1", "g1", nil, "g2", "g2"], predicted: ["d1", "d1", nil, "d2", "d3", "d3"],
            predictedStories: ["s1", "s1", "s1", "s2", "s3", "s4"])
        // Gold pairs C(3,2) + C(2,2) = 4; predicted C(2,2) + 0 + C(2,2) = 2;
        // true: (g1,d1) holds 0, 1 → 1; (g2,d3) holds 4, 5 → 1 → 2.
        #expect(m.goldPairs == 4 && m.predictedPairs == 2 && m.truePairs == 2)
        // P = 2/2, R = 2/4, F1 = 2·1·½ / (3/2) = 2/3.
        #expect(m.precision == 1 && m.recall == 0.5 && close(m.f1, 2.0 / 3))
        // Groups of two or more.
        #expect(m.goldGroups == 2 && m.predictedGroups == 2)
        // Gold pairs in one story: g1's 3 pairs (all s1), g2's 1 pair split (s3, s4) → 3/4.
        #expect(m.goldPairsInSameStory == 0.75)
    }

    @Test func noGroupIsNoPair() {
        // nil never pairs with nil.
        let none = DuplicateMetrics(gold: [nil, nil, nil], predicted: [nil, nil, nil], predictedStories: ["a", "a", "a"])
        #expect(none.goldPairs == 0 && none.predictedPairs == 0 && none.truePairs == 0)
        #expect(none.precision == 1 && none.recall == 1 && none.f1 == 1)
        #expect(none.goldGroups == 0 && none.predictedGroups == 0)
        #expect(none.goldPairsInSameStory == 1)
        // Predicted groups where the gold has none: precision 0, recall 1 (no gold pairs), F1 0.
        let extra = DuplicateMetrics(gold: [nil, nil, "g"], predicted: ["d", "d", "d"], predictedStories: ["a", "b", "c"])
        #expect(extra.predictedPairs == 3 && extra.goldPairs == 0 && extra.truePairs == 0)
        #expect(extra.precision == 0 && extra.recall == 1 && extra.f1 == 0)
        #expect(extra.goldGroups == 0 && extra.predictedGroups == 1)
        #expect(extra.goldPairsInSameStory == 1)
    }

    @Test func goldPairsInTheSameStory() {
        // One gold group of four over stories x x y x: C(3,2) = 3 of C(4,2) = 6 pairs together.
        let m = DuplicateMetrics(gold: ["g", "g", "g", "g"], predicted: [nil, nil, nil, nil],
                                 predictedStories: ["x", "x", "y", "x"])
        #expect(m.goldPairsInSameStory == 0.5)
        #expect(m.precision == 1 && m.recall == 0 && m.f1 == 0)
    }

    @Test func jsonKeys() throws {
        let m = DuplicateMetrics(gold: ["g", "g"], predicted: ["d", "d"], predictedStories: ["s", "s"])
        let object = try #require(try JSONSerialization.jsonObject(with: JSONEncoder().encode(m)) as? [String: Any])
        #expect(Set(object.keys) == [
            "p", "r", "f1", "pairs_gold", "pairs_pred", "pairs_tp", "groups_gold", "groups_pred",
            "gold_dup_pairs_same_story",
        ])
    }
}
