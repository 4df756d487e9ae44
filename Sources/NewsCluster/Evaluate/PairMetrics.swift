/// Agreement on labelled article pairs: a pair is predicted positive when both articles are in
/// the same predicted story. Binary labels (`same_story` 1/0), or graded ones (`overall`,
/// 1 = same story … 4 = unrelated: ≤ 1.5 positive, ≥ 3.5 negative, others left out).
struct PairMetrics: Sendable, Codable, Equatable {
    var pairs: Int
    var positives: Int
    var precision: Double
    var recall: Double
    var f1: Double
    var accuracy: Double
    /// Graded pairs only: all pairs, scored or not.
    var allPairs: Int?

    enum CodingKeys: String, CodingKey {
        case pairs = "n", positives, precision = "p", recall = "r", f1, accuracy
        case allPairs = "n_all"
    }

    /// - Parameter items: per pair, whether it is predicted together and its gold label.
    init(binary items: [(together: Bool, positive: Bool)]) {
        var tp = 0.0, fp = 0.0, fn = 0.0, tn = 0.0
        for item in items {
            switch (item.together, item.positive) {
            case (true, true): tp += 1
            case (true, false): fp += 1
            case (false, true): fn += 1
            case (false, false): tn += 1
            }
        }
        pairs = items.count
        positives = Int(tp + fn)
        (precision, recall, f1) = ClusterMetrics.precisionRecallF1(
            truePositives: tp, predicted: tp + fp, gold: tp + fn)
        accuracy = items.isEmpty ? 1 : (tp + tn) / Double(items.count)
        allPairs = nil
    }

    init(graded items: [(together: Bool, overall: Double)]) {
        self.init(binary: items.compactMap { item in
            if item.overall <= 1.5 { return (item.together, true) }
            if item.overall >= 3.5 { return (item.together, false) }
            return nil
        })
        allPairs = items.count
    }
}
