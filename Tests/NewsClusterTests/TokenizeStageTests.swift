import Foundation
import Testing
@testable import NewsCluster

/// Stored terms no tokenizer would make, to tell reused counts from counted ones.
private let marker = DocumentTerms(terms: [1, 2, 3], counts: [5, 5, 5], shingles: ShingleSketch(tokens: []), script: "latn", length: 99)

private func storedArticle(contentHash: UInt64) -> StateStore.StoredArticle {
    StateStore.StoredArticle(rowID: 1, contentHash: contentHash, story: "s-1", duplicateGroup: nil, terms: marker)
}

@Suite("TokenizeStage")
struct TokenizeStageTests {
    @Test func countsEachArticleFromItsTitleAndCleanedText() throws {
        let corpus = StageCorpus()
        defer { corpus.remove() }
        let cleaned = try corpus.cleaned()
        let counts = try TokenizeStage(options: corpus.options, threads: 1).run(cleaned, stored: [:], hashesContent: false)
        try #require(counts.documents.count == cleaned.articles.count)
        #expect(counts.articles.map(\.id) == StageCorpus.canonicalOrder)
        let weights = corpus.options.vectorizer
        for (index, article) in cleaned.articles.enumerated() {
            let expected = DocumentTerms(
                title: article.title, body: article.text, titleWeight: weights.titleWeight,
                nameWeight: weights.nameWeight, numberWeight: weights.numberWeight)
            #expect(counts.documents[index].terms == expected.terms, "\(article.id)")
            #expect(counts.documents[index].counts == expected.counts, "\(article.id)")
            #expect(counts.documents[index].length == expected.length)
        }
        #expect(counts.reused == [false, false, false])
    }

    /// The festival article has no `language` field: it gets the one its words tell; the
    /// others keep theirs.
    @Test func anArticleWithoutALanguageGetsTheOneItsWordsTell() throws {
        let corpus = StageCorpus()
        defer { corpus.remove() }
        let cleaned = try corpus.cleaned()
        #expect(cleaned.articles.map(\.language) == ["en", "en", nil])
        let counts = try TokenizeStage(options: corpus.options, threads: 2).run(cleaned, stored: [:], hashesContent: false)
        #expect(counts.articles.map(\.language) == ["en", "en", "en"])
    }

    @Test func withoutHashingNoHashesAreKept() throws {
        let corpus = StageCorpus()
        defer { corpus.remove() }
        let counts = try TokenizeStage(options: corpus.options, threads: 1).run(try corpus.cleaned(), stored: [:], hashesContent: false)
        #expect(counts.contentHashes == [0, 0, 0])
        #expect(counts.cleaningHashes.isEmpty)
    }

    @Test func hashingGivesEachArticleItsContentHash() throws {
        let corpus = StageCorpus()
        defer { corpus.remove() }
        let cleaned = try corpus.cleaned()
        let counts = try TokenizeStage(options: corpus.options, threads: 1).run(cleaned, stored: [:], hashesContent: true)
        let weights = Pipeline.weightsKey(corpus.options.vectorizer)
        #expect(counts.contentHashes == cleaned.articles.map { Pipeline.contentHash(weights, $0.title, $0.text) })
        #expect(counts.cleaningHashes.count == 3)
        #expect(counts.reused == [false, false, false])
    }

    @Test func storedCountsAreReusedWhenTheContentHashMatches() throws {
        let corpus = StageCorpus()
        defer { corpus.remove() }
        let cleaned = try corpus.cleaned()
        let byID = StageCorpus.indices(cleaned.articles)
        let festival = try #require(byID["festival"])
        let article = cleaned.articles[festival]
        let hash = Pipeline.contentHash(Pipeline.weightsKey(corpus.options.vectorizer), article.title, article.text)
        let counts = try TokenizeStage(options: corpus.options, threads: 1)
            .run(cleaned, stored: ["festival": storedArticle(contentHash: hash)], hashesContent: true)
        try #require(counts.reused.count == 3 && counts.documents.count == 3)
        #expect(counts.reused == cleaned.articles.map { $0.id == "festival" })
        #expect(counts.documents[festival].terms == marker.terms)
        #expect(counts.documents[festival].length == 99)
        #expect(counts.contentHashes[festival] == hash)
    }

    @Test func storedCountsAreCountedAgainWhenTheContentChanged() throws {
        let corpus = StageCorpus()
        defer { corpus.remove() }
        let cleaned = try corpus.cleaned()
        let festival = try #require(StageCorpus.indices(cleaned.articles)["festival"])
        let counts = try TokenizeStage(options: corpus.options, threads: 1)
            .run(cleaned, stored: ["festival": storedArticle(contentHash: 12345)], hashesContent: true)
        try #require(counts.documents.count == 3)
        #expect(counts.reused == [false, false, false])
        #expect(counts.documents[festival].terms != marker.terms)
    }

    @Test func storedCountsAreNotReusedWithoutHashing() throws {
        let corpus = StageCorpus()
        defer { corpus.remove() }
        let cleaned = try corpus.cleaned()
        let festival = try #require(StageCorpus.indices(cleaned.articles)["festival"])
        let article = cleaned.articles[festival]
        let hash = Pipeline.contentHash(Pipeline.weightsKey(corpus.options.vectorizer), article.title, article.text)
        let counts = try TokenizeStage(options: corpus.options, threads: 1)
            .run(cleaned, stored: ["festival": storedArticle(contentHash: hash)], hashesContent: false)
        try #require(counts.documents.count == 3)
        #expect(counts.reused == [false, false, false])
        #expect(counts.documents[festival].terms != marker.terms)
    }

    @Test func otherWeightsGiveOtherContentHashes() throws {
        let corpus = StageCorpus()
        defer { corpus.remove() }
        let cleaned = try corpus.cleaned()
        var heavier = corpus.options
        heavier.vectorizer.titleWeight = 3
        let plain = try TokenizeStage(options: corpus.options, threads: 1).run(cleaned, stored: [:], hashesContent: true)
        let weighted = try TokenizeStage(options: heavier, threads: 1).run(cleaned, stored: [:], hashesContent: true)
        try #require(plain.contentHashes.count == 3 && weighted.contentHashes.count == 3)
        for index in 0..<3 { #expect(plain.contentHashes[index] != weighted.contentHashes[index]) }
    }

    @Test func threadsDoNotChangeTheCounts() throws {
        let corpus = StageCorpus()
        defer { corpus.remove() }
        let cleaned = try corpus.cleaned()
        let one = try TokenizeStage(options: corpus.options, threads: 1).run(cleaned, stored: [:], hashesContent: true)
        let three = try TokenizeStage(options: corpus.options, threads: 3).run(cleaned, stored: [:], hashesContent: true)
        #expect(one.documents.map(\.terms) == three.documents.map(\.terms))
        #expect(one.contentHashes == three.contentHashes)
    }
}
