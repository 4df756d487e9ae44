import Foundation
import Testing
@testable import NewsCluster

@Suite("EvaluationReport")
struct EvaluationReportTests {
    @Test func textReportHasTheFigures() throws {
        let fixture = EvaluationFixture(pairs: EvaluationFixture.pairs)
        defer { fixture.remove() }
        let text = try fixture.evaluate().text
        // Figures computed by hand in EvaluationTests: BCubed 17/21, 2/3, 68/93; pairs 1/2, 2/5,
        // 4/9; ARI 44/149; NMI = V ≈ 0.6844, homogeneity ≈ 0.7472, completeness ≈ 0.6313.
        #expect(text == """
            corpus my-corpus: 7 articles, 1 missing from the run (counted as singletons), 1 extra ids ignored
            stories: gold 3, found 4
              BCubed    P 0.8095  R 0.6667  F1 0.7312
              pairwise  P 0.5000  R 0.4000  F1 0.4444
              ARI 0.2953  NMI 0.6844  V 0.6844 (homogeneity 0.7472, completeness 0.6313)
            duplicates: gold 1 groups (1 pairs), found 1 groups (3 pairs)
              pairs     P 0.3333  R 1.0000  F1 0.5000  gold pairs in one story 1.0000
            pairs (binary; positive = same story):
              all     n 5     P 0.3333  R 0.3333  F1 0.3333  acc 0.2000
              en      n 3     P 0.5000  R 0.5000  F1 0.5000  acc 0.3333
              uk      n 2     P 0.0000  R 0.0000  F1 0.0000  acc 0.0000

            """)
    }

    @Test func gradedReportNamesTheCutOffsAndSkipsMissingSections() throws {
        let fixture = EvaluationFixture(gold: nil, pairs: EvaluationFixture.gradedPairs)
        defer { fixture.remove() }
        let text = try fixture.evaluate().text
        #expect(text == """
            corpus my-corpus: 7 articles, 1 missing from the run (counted as singletons), 1 extra ids ignored
            pairs (graded; positive = same story; overall <= 1.5 positive, >= 3.5 negative):
              all     n 4     P 0.5000  R 0.5000  F1 0.5000  acc 0.5000

            """)
        #expect(!text.contains("stories:") && !text.contains("duplicates:"))
    }

    @Test func jsonKeys() throws {
        let fixture = EvaluationFixture(pairs: EvaluationFixture.pairs)
        defer { fixture.remove() }
        let data = try fixture.evaluate().json()
        #expect(data.last == 0x0A)
        let object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        #expect(Set(object.keys) == [
            "corpus", "articles", "missing_from_prediction", "extra_ids_ignored", "clusters", "duplicates", "pairs",
        ])
        #expect(object["corpus"] as? String == "my-corpus")
        #expect(object["articles"] as? Int == 7)
        #expect(object["missing_from_prediction"] as? Int == 1)
        #expect(object["extra_ids_ignored"] as? Int == 1)
        let clusters = try #require(object["clusters"] as? [String: Any])
        #expect(Set(clusters.keys) == [
            "items", "gold_clusters", "predicted_clusters", "bcubed_p", "bcubed_r", "bcubed_f1", "pair_p", "pair_r",
            "pair_f1", "ari", "nmi", "homogeneity", "completeness", "v_measure",
        ])
        #expect(abs((clusters["ari"] as? Double ?? 0) - 44.0 / 149) < 1e-12)
        let duplicates = try #require(object["duplicates"] as? [String: Any])
        #expect(Set(duplicates.keys) == [
            "p", "r", "f1", "pairs_gold", "pairs_pred", "pairs_tp", "groups_gold", "groups_pred",
            "gold_dup_pairs_same_story",
        ])
        let pairs = try #require(object["pairs"] as? [String: Any])
        #expect(Set(pairs.keys) == ["kind", "all", "by_lang"])
        #expect(pairs["kind"] as? String == "binary")
        let byLanguage = try #require(pairs["by_lang"] as? [String: Any])
        #expect(Set(byLanguage.keys) == ["en", "uk"])
        let all = try #require(pairs["all"] as? [String: Any])
        #expect(all["n"] as? Int == 5 && all["positives"] as? Int == 3)
        // Sorted keys, pretty-printed.
        let text = String(decoding: data, as: UTF8.self)
        let articles = try #require(text.range(of: "\"articles\""))
        let corpus = try #require(text.range(of: "\"corpus\""))
        #expect(articles.lowerBound < corpus.lowerBound)
        #expect(text.contains("\n  \""))
    }

    @Test func jsonLeavesOutWhatWasNotScored() throws {
        let fixture = EvaluationFixture(gold: nil, pairs: EvaluationFixture.gradedPairs)
        defer { fixture.remove() }
        let object = try #require(try JSONSerialization.jsonObject(with: fixture.evaluate().json()) as? [String: Any])
        #expect(object["clusters"] == nil || object["clusters"] is NSNull)
        #expect(object["duplicates"] == nil || object["duplicates"] is NSNull)
        let pairs = try #require(object["pairs"] as? [String: Any])
        #expect(pairs["kind"] as? String == "graded")
        let all = try #require(pairs["all"] as? [String: Any])
        #expect(all["n_all"] as? Int == 5 && all["n"] as? Int == 4)
    }
}
