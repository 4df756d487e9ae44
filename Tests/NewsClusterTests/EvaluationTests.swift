import Foundation
import Testing
@testable import NewsCluster

private func close(_ a: Double, _ b: Double, _ tolerance: Double = 1e-12) -> Bool { abs(a - b) <= tolerance }

private func entropy(_ sizes: [Double]) -> Double {
    let n = sizes.reduce(0, +)
    return -sizes.map { $0 / n * log($0 / n) }.reduce(0, +)
}

@Suite("Evaluation")
struct EvaluationTests {
    @Test func goldTableWithDuplicateGroups() throws {
        let fixture = EvaluationFixture()
        defer { fixture.remove() }
        let evaluation = try fixture.evaluate()
        #expect(evaluation.corpus == "my-corpus")
        #expect(evaluation.articles == 7)
        #expect(evaluation.missingFromPrediction == 1)     // a6
        #expect(evaluation.extraIDsIgnored == 1)           // x9
        #expect(evaluation.pairs == nil)

        let c = try #require(evaluation.clusters)
        // Gold {a1 a2 a3} {a4 a5} {7 a6}; predicted {a1 a2} {a3 a4 a5} {7} {a6} (a6 missing:
        // a singleton). Cells: S1: 2 | 1, S2: 2, S3: 1 | 1.
        #expect(c.items == 7 && c.goldClusters == 3 && c.predictedClusters == 4)
        // BCubed P = (4/2 + 1/3 + 4/3 + 1 + 1) / 7 = 17/21; R = (4/3 + 1/3 + 4/2 + 1/2 + 1/2) / 7 = 2/3;
        // F1 = 2 · (17/21) · (2/3) / (17/21 + 2/3) = 68/93.
        #expect(close(c.bcubedPrecision, 17.0 / 21) && close(c.bcubedRecall, 2.0 / 3))
        #expect(close(c.bcubedF1, 68.0 / 93))
        // Pairs: TP 1 + 0 + 1 = 2; predicted 1 + 3 = 4; gold 3 + 1 + 1 = 5 → P 1/2, R 2/5, F1 4/9.
        #expect(close(c.pairPrecision, 0.5) && close(c.pairRecall, 0.4) && close(c.pairF1, 4.0 / 9))
        // ARI: TP 2, FP 2, FN 3, TN 21 − 7 = 14 → 2 (28 − 6) / (5 · 17 + 4 · 16) = 44/149.
        #expect(close(c.ari, 44.0 / 149))
        // MI = 2/7 ln(7·2/(3·2)) + 1/7 ln(7/(3·3)) + 2/7 ln(7·2/(2·3)) + 2 · 1/7 ln(7/(2·1)).
        let mi = 2.0 / 7 * log(7.0 / 3) + 1.0 / 7 * log(7.0 / 9) + 2.0 / 7 * log(7.0 / 3) + 2.0 / 7 * log(3.5)
        let hg = entropy([3, 2, 2]), hp = entropy([2, 3, 1, 1])
        #expect(close(c.homogeneity, mi / hg) && close(c.completeness, mi / hp))
        #expect(close(c.nmi, mi / ((hg + hp) / 2)))
        #expect(close(c.vMeasure, 2 * (mi / hg) * (mi / hp) / (mi / hg + mi / hp)))
        #expect(close(c.nmi, 0.684373, 1e-6) && close(c.homogeneity, 0.747179, 1e-6))

        let d = try #require(evaluation.duplicates)
        // Gold D1 = {a1, a2}: 1 pair. Predicted "5" = {a1, a2, a3} (5, 5.0 and "5" are one
        // label): 3 pairs, 1 true → P 1/3, R 1, F1 1/2. a1 and a2 share story 0 → 1.
        #expect(d.goldPairs == 1 && d.predictedPairs == 3 && d.truePairs == 1)
        #expect(close(d.precision, 1.0 / 3) && d.recall == 1 && close(d.f1, 0.5))
        #expect(d.goldGroups == 1 && d.predictedGroups == 1)
        #expect(d.goldPairsInSameStory == 1)
    }

    @Test func theSameWithTheRunFileInsteadOfItsFolder() throws {
        let fixture = EvaluationFixture()
        defer { fixture.remove() }
        let folder = try fixture.evaluate()
        let file = try Evaluation(gold: fixture.corpus, run: fixture.output + "/articles.jsonl")
        #expect(file.clusters == folder.clusters && file.duplicates == folder.duplicates)
        #expect(file.articles == 7)
    }

    @Test func binaryPairsByLanguage() throws {
        let fixture = EvaluationFixture(pairs: EvaluationFixture.pairs)
        defer { fixture.remove() }
        let evaluation = try fixture.evaluate()
        // Both tables: clusters and pairs.
        #expect(evaluation.clusters != nil && evaluation.duplicates != nil)
        let pairs = try #require(evaluation.pairs)
        #expect(pairs.kind == "binary")
        // a1–a2 together, 1 → TP; a1–a3 apart, 1 → FN; a4–a5 together, 0 → FP;
        // 7–a6 apart (a6 missing), 1 → FN; a3–a4 together, 0 → FP.
        // all: TP 1, FP 2, FN 2, TN 0 → P 1/3, R 1/3, F1 1/3, accuracy 1/5.
        #expect(pairs.all.pairs == 5 && pairs.all.positives == 3)
        #expect(close(pairs.all.precision, 1.0 / 3) && close(pairs.all.recall, 1.0 / 3))
        #expect(close(pairs.all.f1, 1.0 / 3) && close(pairs.all.accuracy, 0.2))
        #expect(Set(pairs.byLanguage.keys) == ["en", "uk"])
        // en: TP 1, FN 1, FP 1 → P 1/2, R 1/2, accuracy 1/3.
        let en = try #require(pairs.byLanguage["en"])
        #expect(en.pairs == 3 && en.positives == 2 && en.precision == 0.5 && en.recall == 0.5)
        #expect(close(en.accuracy, 1.0 / 3))
        // uk: FP 1, FN 1 → P 0, R 0, F1 0, accuracy 0.
        let uk = try #require(pairs.byLanguage["uk"])
        #expect(uk.pairs == 2 && uk.positives == 1 && uk.precision == 0 && uk.recall == 0 && uk.f1 == 0)
        #expect(uk.accuracy == 0)
        #expect(pairs.all.allPairs == nil)
    }

    @Test func gradedPairsWithoutGoldTableOrLanguages() throws {
        let fixture = EvaluationFixture(gold: nil, pairs: EvaluationFixture.gradedPairs)
        defer { fixture.remove() }
        let evaluation = try fixture.evaluate()
        #expect(evaluation.clusters == nil && evaluation.duplicates == nil)
        // No gold.tsv and no corpus articles.jsonl: the ids are those of the pairs.
        #expect(evaluation.articles == 7)
        #expect(evaluation.missingFromPrediction == 1)
        #expect(evaluation.extraIDsIgnored == 1)
        let pairs = try #require(evaluation.pairs)
        #expect(pairs.kind == "graded")
        #expect(pairs.byLanguage.isEmpty)
        // 1.0 together → TP; 1.5 apart → FN; 2.5 dropped; 4 apart → TN; 3.5 together → FP.
        #expect(pairs.all.allPairs == 5 && pairs.all.pairs == 4 && pairs.all.positives == 2)
        #expect(pairs.all.precision == 0.5 && pairs.all.recall == 0.5 && pairs.all.f1 == 0.5)
        #expect(pairs.all.accuracy == 0.5)
    }

    @Test func pairsOnlyCorpusCountsTheIdsOfItsArticles() throws {
        let articles = """
            {"id": "a1", "title": "x", "text": "y"}
            {"id": "a2", "text": "y"}
            {"id": 7, "text": "y"}
            {"id": "b1", "text": "y"}

            """
        let fixture = EvaluationFixture(gold: nil, pairs: EvaluationFixture.pairs, corpusArticles: articles)
        defer { fixture.remove() }
        let evaluation = try fixture.evaluate()
        #expect(evaluation.articles == 4)
        #expect(evaluation.missingFromPrediction == 1)   // b1
        #expect(evaluation.extraIDsIgnored == 4)         // a3, a4, a5, x9
        #expect(evaluation.pairs?.all.pairs == 5)
    }

    @Test func missingPredictionsAreSingletons() throws {
        let fixture = EvaluationFixture(run: "")
        defer { fixture.remove() }
        let evaluation = try fixture.evaluate()
        #expect(evaluation.missingFromPrediction == 7 && evaluation.extraIDsIgnored == 0)
        let c = try #require(evaluation.clusters)
        #expect(c == ClusterMetrics(gold: ["S1", "S1", "S1", "S2", "S2", "S3", "S3"], predicted: (0..<7).map(String.init)))
        #expect(c.predictedClusters == 7 && c.pairPrecision == 1 && c.pairRecall == 0)
        // No predicted duplicate group either.
        let d = try #require(evaluation.duplicates)
        #expect(d.predictedPairs == 0 && d.precision == 1 && d.recall == 0)
        // And the missing ones are not together in any pair.
        #expect(d.goldPairsInSameStory == 0)
    }

    @Test func aNullOrEmptyStoryIsASingletonToo() throws {
        let run = """
            {"id": "a1", "story": null}
            {"id": "a2", "story": ""}
            {"id": "a3"}
            {"id": "a4", "story": "s"}
            {"id": "a5", "story": "s"}
            {"id": "7", "story": "t"}
            {"id": "a6", "story": "t"}
            """
        let fixture = EvaluationFixture(run: run)
        defer { fixture.remove() }
        let evaluation = try fixture.evaluate()
        #expect(evaluation.missingFromPrediction == 0)
        let c = try #require(evaluation.clusters)
        // Predicted {a1} {a2} {a3} {a4 a5} {7 a6}: pairs TP 2 of predicted 2, gold 5.
        #expect(c.predictedClusters == 5)
        #expect(c.pairPrecision == 1 && c.pairRecall == 0.4)
    }

    @Test func numbersAsLabels() {
        #expect(Evaluation.label("abc") == "abc")
        #expect(Evaluation.label("") == nil)
        #expect(Evaluation.label(nil) == nil)
        #expect(Evaluation.label(NSNull()) == nil)
        #expect(Evaluation.label(NSNumber(value: 7)) == "7")
        #expect(Evaluation.label(NSNumber(value: 7.0)) == "7")
        #expect(Evaluation.label(NSNumber(value: -3)) == "-3")
        #expect(Evaluation.label(NSNumber(value: 2.5)) == "2.5")
        #expect(Evaluation.label(["a"]) == nil)
    }

    @Test func crlfTablesAndNoDuplicateColumn() throws {
        let gold = "id\tstory\r\na1\tS\r\na2\tS\r\na3\tT\r\n"
        let fixture = EvaluationFixture(gold: gold, run: """
            {"id": "a1", "story": 1}
            {"id": "a2", "story": 1}
            {"id": "a3", "story": 2}
            """)
        defer { fixture.remove() }
        let evaluation = try fixture.evaluate()
        #expect(evaluation.duplicates == nil)
        #expect(evaluation.articles == 3)
        let c = try #require(evaluation.clusters)
        #expect(c.ari == 1 && c.pairF1 == 1 && c.bcubedF1 == 1)
    }

    @Test func failures() throws {
        // Neither table.
        let empty = EvaluationFixture(gold: nil)
        defer { empty.remove() }
        #expect {
            try empty.evaluate()
        } throws: { error in
            guard case Evaluation.Failure.noLabels(let directory) = error else { return false }
            return directory == empty.corpus
                && "\(error)" == "\(empty.corpus): neither gold.tsv nor pairs.tsv"
        }
        // No run.
        let fixture = EvaluationFixture()
        defer { fixture.remove() }
        let missing = fixture.root + "/nowhere"
        #expect {
            try Evaluation(gold: fixture.corpus, run: missing)
        } throws: { error in
            guard case Evaluation.Failure.unreadable(let path) = error else { return false }
            return path == missing && "\(error)" == "\(missing): cannot read"
        }
        // A gold table without a story column.
        let noStory = EvaluationFixture(gold: "id\tcluster\na1\tS\n")
        defer { noStory.remove() }
        #expect {
            try noStory.evaluate()
        } throws: { error in
            guard case Evaluation.Failure.badColumn(let file, let column) = error else { return false }
            return file == noStory.corpus + "/gold.tsv" && column == "story"
                && "\(error)" == "\(noStory.corpus)/gold.tsv: no column \"story\""
        }
        // A pairs table without its label column.
        let noLabel = EvaluationFixture(gold: nil, pairs: "id1\tid2\tlabel\na1\ta2\t1\n")
        defer { noLabel.remove() }
        #expect(throws: Evaluation.Failure.self) { try noLabel.evaluate() }
    }

    @Test func tsvColumns() throws {
        let directory = Fixtures.temporaryDirectory()
        defer { Fixtures.remove(directory) }
        let path = Fixtures.write("a\tb\tc\n1\t2\t3\n4\t\n\n5\t6\t7\t8\n", named: "t.tsv", in: directory)
        let table = try TSV(path: path)
        #expect(table.header == ["a", "b", "c"])
        // Short rows give "" for missing cells; blank lines are skipped.
        #expect(try table.column("a") == ["1", "4", "5"])
        #expect(try table.column("b") == ["2", "", "6"])
        #expect(try table.column("c") == ["3", "", "7"])
        #expect(throws: Evaluation.Failure.self) { try table.column("d") }
    }
}
