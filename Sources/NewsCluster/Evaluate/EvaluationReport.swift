import Foundation

extension Evaluation {
    /// The human-readable report of one evaluation.
    public var text: String {
        func f(_ value: Double) -> String { String(format: "%.4f", value) }
        var lines = ["corpus \(corpus): \(articles) articles, \(missingFromPrediction) missing from the run (counted as singletons), \(extraIDsIgnored) extra ids ignored"]
        if let c = clusters {
            lines.append("stories: gold \(c.goldClusters), found \(c.predictedClusters)")
            lines.append("  BCubed    P \(f(c.bcubedPrecision))  R \(f(c.bcubedRecall))  F1 \(f(c.bcubedF1))")
            lines.append("  pairwise  P \(f(c.pairPrecision))  R \(f(c.pairRecall))  F1 \(f(c.pairF1))")
            lines.append("  ARI \(f(c.ari))  NMI \(f(c.nmi))  V \(f(c.vMeasure)) (homogeneity \(f(c.homogeneity)), completeness \(f(c.completeness)))")
        }
        if let d = duplicates {
            lines.append("duplicates: gold \(d.goldGroups) groups (\(d.goldPairs) pairs), found \(d.predictedGroups) groups (\(d.predictedPairs) pairs)")
            lines.append("  pairs     P \(f(d.precision))  R \(f(d.recall))  F1 \(f(d.f1))  gold pairs in one story \(f(d.goldPairsInSameStory))")
        }
        if let p = pairs {
            lines.append("pairs (\(p.kind); positive = same story\(p.kind == "graded" ? "; overall <= 1.5 positive, >= 3.5 negative" : "")):")
            func row(_ name: String, _ m: PairMetrics) -> String {
                name.padding(toLength: 8, withPad: " ", startingAt: 0)
                    + "n \(String(m.pairs).padding(toLength: 5, withPad: " ", startingAt: 0)) P \(f(m.precision))  R \(f(m.recall))  F1 \(f(m.f1))  acc \(f(m.accuracy))"
            }
            lines.append("  " + row("all", p.all))
            for language in p.byLanguage.keys.sorted() { lines.append("  " + row(language, p.byLanguage[language]!)) }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    public func json() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        var data = try encoder.encode(self)
        data.append(0x0A)
        return data
    }
}
