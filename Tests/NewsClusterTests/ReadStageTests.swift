import Foundation
import Testing
@testable import NewsCluster

@Suite("ReadStage")
struct ReadStageTests {
    @Test func articlesComeInCanonicalOrder() throws {
        let corpus = StageCorpus()
        defer { corpus.remove() }
        let read = try corpus.read()
        #expect(read.articles.map(\.id) == StageCorpus.canonicalOrder)
        #expect(read.recordsRead == 3)
        #expect(read.rejected.isEmpty && read.warnings.isEmpty)
        #expect(read.files.map(\.path) == [corpus.input])
        // articles.jsonl goes back to input order.
        #expect(read.order.input(read.articles.map(\.id)) == StageCorpus.inputOrder)
    }

    @Test func sameTimeIsOrderedByIDAndUndatedComeLast() throws {
        let corpus = StageCorpus(lines: [
            Fixtures.jsonLine(id: "undated-b", text: "A page without a date."),
            Fixtures.jsonLine(id: "noon-b", text: "Noon, second by id.", published: "2024-05-01T12:00:00Z"),
            Fixtures.jsonLine(id: "undated-a", text: "Another page without a date."),
            Fixtures.jsonLine(id: "noon-a", text: "Noon, first by id.", published: "2024-05-01T12:00:00Z"),
            Fixtures.jsonLine(id: "morning", text: "The morning page.", published: "2024-05-01T06:00:00Z"),
        ])
        defer { corpus.remove() }
        let read = try corpus.read()
        #expect(read.articles.map(\.id) == ["morning", "noon-a", "noon-b", "undated-a", "undated-b"])
    }

    @Test func perArticleArraysFollowTheCanonicalOrder() throws {
        let corpus = StageCorpus()
        defer { corpus.remove() }
        let read = try corpus.read()
        try #require(read.lineKeys.count == read.articles.count)
        #expect(read.fromState == [false, false, false])
        // Each article's line keys are those of its own text.
        for (index, article) in read.articles.enumerated() {
            #expect(read.lineKeys[index] == BoilerplateRemover.lineKeys(of: article.text, title: article.title), "\(article.id)")
        }
    }

    @Test func heldTextsAreKept() throws {
        let corpus = StageCorpus()
        defer { corpus.remove() }
        let read = try corpus.read(holdsText: true)
        let byID = StageCorpus.indices(read.articles)
        let gazette = try #require(byID["quake-gazette"])
        #expect(read.articles[gazette].text == StageCorpus.quake)
        #expect(read.articles.indices.allSatisfy { read.isTextHeld($0) })
    }

    @Test func textsNotHeldAreEmptiedButKeepTheirLineKeys() throws {
        let corpus = StageCorpus()
        defer { corpus.remove() }
        let read = try corpus.read(holdsText: false)
        #expect(read.articles.map(\.id) == StageCorpus.canonicalOrder)
        #expect(read.articles.allSatisfy { $0.text.isEmpty })
        #expect(!read.articles.indices.contains { read.isTextHeld($0) })
        #expect(read.lineKeys.allSatisfy { !$0.isEmpty })
    }

    @Test func keepBoilerplateKeysNoLines() throws {
        var corpus = StageCorpus()
        defer { corpus.remove() }
        corpus.options.keepBoilerplate = true
        let read = try corpus.read()
        #expect(read.lineKeys.count == 3)
        #expect(read.lineKeys.allSatisfy { $0.isEmpty })
    }

    @Test func brokenRecordIsRejectedAndTheRestRead() throws {
        let corpus = StageCorpus(lines: StageCorpus.lines + ["{\"id\": \"broken\", "])
        defer { corpus.remove() }
        let read = try corpus.read()
        #expect(read.articles.map(\.id) == StageCorpus.canonicalOrder)
        #expect(read.recordsRead == 4)
        try #require(read.rejected.count == 1)
        #expect(read.rejected[0].line == 4)
    }

    @Test func readArticlesSurviveAStageFileRoundTrip() throws {
        let corpus = StageCorpus()
        defer { corpus.remove() }
        let read = try corpus.read()
        let decoded = try JSONDecoder().decode(ReadArticles.self, from: try JSONEncoder().encode(read))
        #expect(decoded.articles.map(\.id) == read.articles.map(\.id))
        #expect(decoded.articles.map(\.text) == read.articles.map(\.text))
        #expect(decoded.lineKeys == read.lineKeys)
        #expect(decoded.order.input(decoded.articles.map(\.id)) == StageCorpus.inputOrder)
        #expect(decoded.holdsText)
    }
}
