import Foundation

/// Agreement between a gold and a predicted partition of the same items: BCubed, pairwise
/// P/R/F1, ARI, NMI (arithmetic mean), homogeneity, completeness, V-measure. Definitions and
/// edge cases follow scikit-learn and the shared corpora's `score.py`.
struct ClusterMetrics: Sendable, Codable, Equatable {
    var items: Int
    var goldClusters: Int
    var predictedClusters: Int
    var bcubedPrecision: Double
    var bcubedRecall: Double
    var bcubedF1: Double
    var pairPrecision: Double
    var pairRecall: Double
    var pairF1: Double
    var ari: Double
    var nmi: Double
    var homogeneity: Double
    var completeness: Double
    var vMeasure: Double

    enum CodingKeys: String, CodingKey {
        case items, ari, nmi, homogeneity, completeness
        case goldClusters = "gold_clusters"
        case predictedClusters = "predicted_clusters"
        case bcubedPrecision = "bcubed_p"
        case bcubedRecall = "bcubed_r"
        case bcubedF1 = "bcubed_f1"
        case pairPrecision = "pair_p"
        case pairRecall = "pair_r"
        case pairF1 = "pair_f1"
        case vMeasure = "v_measure"
    }

    /// - Complexity: O(n) expected (hash maps over the contingency table's non-zero cells).
    init<Label: Hashable>(gold: [Label], predicted: [Label]) {
        precondition(gold.count == predicted.count)
        let n = gold.count
        let g = Self.encode(gold), p = Self.encode(predicted)
        items = n
        goldClusters = g.classes
        predictedClusters = p.classes
        guard n > 0 else {
            (bcubedPrecision, bcubedRecall, bcubedF1) = (1, 1, 1)
            (pairPrecision, pairRecall, pairF1) = (1, 1, 1)
            (ari, nmi, homogeneity, completeness, vMeasure) = (1, 1, 1, 1, 1)
            return
        }
        var goldSizes = [Double](repeating: 0, count: g.classes)
        var predictedSizes = [Double](repeating: 0, count: p.classes)
        var cells: [Int: Double] = [:]
        for index in 0..<n {
            goldSizes[g.codes[index]] += 1
            predictedSizes[p.codes[index]] += 1
            cells[g.codes[index] * p.classes + p.codes[index], default: 0] += 1
        }
        // Cells in key order, so sums are added in one fixed order.
        let table = cells.sorted { $0.key < $1.key }.map { (row: $0.key / p.classes, column: $0.key % p.classes, count: $0.value) }
        let total = Double(n)

        var bp = 0.0, br = 0.0
        for cell in table {
            bp += cell.count * cell.count / predictedSizes[cell.column]
            br += cell.count * cell.count / goldSizes[cell.row]
        }
        bp /= total
        br /= total
        (bcubedPrecision, bcubedRecall) = (bp, br)
        bcubedF1 = bp + br > 0 ? 2 * bp * br / (bp + br) : 0

        let truePairs = table.reduce(0) { $0 + Self.pairs($1.count) }
        let predictedPairs = predictedSizes.reduce(0) { $0 + Self.pairs($1) }
        let goldPairs = goldSizes.reduce(0) { $0 + Self.pairs($1) }
        (pairPrecision, pairRecall, pairF1) = Self.precisionRecallF1(
            truePositives: truePairs, predicted: predictedPairs, gold: goldPairs)

        let falsePositives = predictedPairs - truePairs, falseNegatives = goldPairs - truePairs
        let trueNegatives = Self.pairs(total) - truePairs - falsePositives - falseNegatives
        if falseNegatives == 0 && falsePositives == 0 {
            ari = 1
        } else {
            ari = 2 * (truePairs * trueNegatives - falseNegatives * falsePositives)
                / ((truePairs + falseNegatives) * (falseNegatives + trueNegatives)
                   + (truePairs + falsePositives) * (falsePositives + trueNegatives))
        }

        let goldEntropy = Self.entropy(goldSizes, total)
        let predictedEntropy = Self.entropy(predictedSizes, total)
        var mutual = 0.0
        for cell in table {
            mutual += cell.count / total * (log(cell.count) + log(total)
                                            - log(goldSizes[cell.row]) - log(predictedSizes[cell.column]))
        }
        mutual = max(mutual, 0)
        if goldClusters == 1 && predictedClusters == 1 {
            nmi = 1
        } else if mutual == 0 {
            nmi = 0
        } else {
            nmi = mutual / ((goldEntropy + predictedEntropy) / 2)
        }
        homogeneity = goldEntropy != 0 ? mutual / goldEntropy : 1
        completeness = predictedEntropy != 0 ? mutual / predictedEntropy : 1
        vMeasure = homogeneity + completeness > 0
            ? 2 * homogeneity * completeness / (homogeneity + completeness) : 0
    }

    /// Precision, recall and F1 with the conventions of `score.py`: precision 1 without
    /// predicted positives, recall 1 without gold positives, F1 0 when both are 0.
    static func precisionRecallF1(
        truePositives: Double, predicted: Double, gold: Double
    ) -> (Double, Double, Double) {
        let precision = predicted > 0 ? truePositives / predicted : 1
        let recall = gold > 0 ? truePositives / gold : 1
        let f1 = precision + recall > 0 ? 2 * precision * recall / (precision + recall) : 0
        return (precision, recall, f1)
    }

    static func pairs(_ count: Double) -> Double { count * (count - 1) / 2 }

    static func entropy(_ sizes: [Double], _ total: Double) -> Double {
        guard total > 0 else { return 0 }
        var result = 0.0
        for size in sizes where size > 0 {
            let share = size / total
            result -= share * log(share)
        }
        return result
    }

    /// Labels → dense codes in first-seen order.
    static func encode<Label: Hashable>(_ labels: [Label]) -> (codes: [Int], classes: Int) {
        var codes: [Label: Int] = [:]
        let encoded = labels.map { label -> Int in
            if let code = codes[label] { return code }
            codes[label] = codes.count
            return codes.count - 1
        }
        return (encoded, codes.count)
    }
}

/// Pairwise agreement of near-duplicate groups, where an item without a group forms no pair.
struct DuplicateMetrics: Sendable, Codable, Equatable {
    var precision: Double
    var recall: Double
    var f1: Double
    var goldPairs: Int
    var predictedPairs: Int
    var truePairs: Int
    var goldGroups: Int
    var predictedGroups: Int
    /// Share of gold duplicate pairs whose two articles are in the same predicted story.
    var goldPairsInSameStory: Double

    enum CodingKeys: String, CodingKey {
        case precision = "p", recall = "r", f1
        case goldPairs = "pairs_gold", predictedPairs = "pairs_pred", truePairs = "pairs_tp"
        case goldGroups = "groups_gold", predictedGroups = "groups_pred"
        case goldPairsInSameStory = "gold_dup_pairs_same_story"
    }

    init(gold: [String?], predicted: [String?], predictedStories: [String]) {
        func groups(_ labels: [String?]) -> [String: [Int]] {
            var result: [String: [Int]] = [:]
            for (index, label) in labels.enumerated() { if let label { result[label, default: []].append(index) } }
            return result
        }
        let goldGroupsByLabel = groups(gold), predictedGroupsByLabel = groups(predicted)
        var cells: [String: Double] = [:]
        for index in gold.indices {
            if let g = gold[index], let p = predicted[index] { cells[g + "\u{0}" + p, default: 0] += 1 }
        }
        let truePairs = cells.values.reduce(0) { $0 + ClusterMetrics.pairs($1) }
        let goldPairs = goldGroupsByLabel.values.reduce(0) { $0 + ClusterMetrics.pairs(Double($1.count)) }
        let predictedPairs = predictedGroupsByLabel.values.reduce(0) { $0 + ClusterMetrics.pairs(Double($1.count)) }
        (precision, recall, f1) = ClusterMetrics.precisionRecallF1(
            truePositives: truePairs, predicted: predictedPairs, gold: goldPairs)
        self.goldPairs = Int(goldPairs)
        self.predictedPairs = Int(predictedPairs)
        self.truePairs = Int(truePairs)
        goldGroups = goldGroupsByLabel.values.filter { $0.count > 1 }.count
        predictedGroups = predictedGroupsByLabel.values.filter { $0.count > 1 }.count
        var together = 0.0
        for members in goldGroupsByLabel.values {
            var byStory: [String: Double] = [:]
            for member in members { byStory[predictedStories[member], default: 0] += 1 }
            together += byStory.values.reduce(0) { $0 + ClusterMetrics.pairs($1) }
        }
        goldPairsInSameStory = goldPairs > 0 ? together / goldPairs : 1
    }
}
