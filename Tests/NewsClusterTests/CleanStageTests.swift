import Foundation
import Testing
@testable import NewsCluster

private let tagline = "Subscribe to the Harbor Gazette newsletter for daily updates"

/// Three pages of one site ending with its tagline, and the stage corpus's other pages.
private let taglined = [
    Fixtures.jsonLine(id: "bridge", title: "Bridge reopens", text: "The harbor bridge reopened on Monday after two years of repairs.\n\(tagline)",
                      source: "Gazette", published: "2024-03-01T12:00:00Z"),
    Fixtures.jsonLine(id: "libraries", title: "Library budget", text: "The city council approved a new budget for public libraries.\n\(tagline)",
                      source: "Gazette", published: "2024-03-01T11:00:00Z"),
    Fixtures.jsonLine(id: "harvest", title: "Early harvest", text: "Local farmers reported an early start to the apple harvest season.\n\(tagline)",
                      source: "Gazette", published: "2024-03-01T13:00:00Z"),
] + StageCorpus.lines

@Suite("CleanStage")
struct CleanStageTests {
    @Test func heldTextsAreReplacedByTheirCleanedForm() throws {
        let corpus = StageCorpus(lines: taglined)
        defer { corpus.remove() }
        let read = try corpus.read()
        let cleaned = try CleanStage(options: corpus.options, threads: 1).run(read, keepsLineKeys: false)
        let plan = try #require(cleaned.plan)
        try #require(plan.keep.count == read.articles.count && cleaned.articles.count == read.articles.count)
        #expect(cleaned.boilerplateLinesRemoved == 3)
        #expect(cleaned.articles.map(\.id) == read.articles.map(\.id))
        for index in read.articles.indices {
            let expected = BoilerplateRemover.apply(plan.keep[index], to: read.articles[index].text)
            #expect(cleaned.articles[index].text == expected, "\(read.articles[index].id)")
            #expect(try cleaned.text(of: index) == expected)
            #expect(cleaned.cleaned(raw: read.articles[index].text, of: index) == expected)
        }
        let byID = StageCorpus.indices(cleaned.articles)
        let bridge = try #require(byID["bridge"])
        #expect(cleaned.articles[bridge].text == "The harbor bridge reopened on Monday after two years of repairs.")
        let gazette = try #require(byID["quake-gazette"])
        #expect(cleaned.articles[gazette].text.hasPrefix("A strong earthquake shook"))
    }

    @Test func lineKeysAreDroppedUnlessKept() throws {
        let corpus = StageCorpus(lines: taglined)
        defer { corpus.remove() }
        let read = try corpus.read()
        try #require(read.lineKeys.count == taglined.count)
        let dropped = try CleanStage(options: corpus.options, threads: 1).run(read, keepsLineKeys: false)
        #expect(dropped.read.lineKeys.isEmpty)
        let kept = try CleanStage(options: corpus.options, threads: 1).run(read, keepsLineKeys: true)
        #expect(kept.read.lineKeys == read.lineKeys)
        // The plan is the same either way.
        #expect(kept.plan?.keep == dropped.plan?.keep)
    }

    @Test func keepBoilerplateLeavesEveryLine() throws {
        var corpus = StageCorpus(lines: taglined)
        defer { corpus.remove() }
        corpus.options.keepBoilerplate = true
        let read = try corpus.read()
        let cleaned = try CleanStage(options: corpus.options, threads: 1).run(read, keepsLineKeys: false)
        #expect(cleaned.plan == nil)
        #expect(cleaned.boilerplateLinesRemoved == 0)
        #expect(cleaned.articles.map(\.text) == read.articles.map(\.text))
        #expect(cleaned.cleaned(raw: "a\nb", of: 0) == "a\nb")
    }

    @Test func textsNotHeldAreReadAgainAndCleaned() throws {
        let corpus = StageCorpus(lines: taglined)
        defer { corpus.remove() }
        let held = try CleanStage(options: corpus.options, threads: 1).run(try corpus.read(holdsText: true), keepsLineKeys: false)
        let streamed = try CleanStage(options: corpus.options, threads: 1).run(try corpus.read(holdsText: false), keepsLineKeys: false)
        try #require(streamed.articles.count == held.articles.count)
        #expect(streamed.articles.allSatisfy { $0.text.isEmpty })
        for index in held.articles.indices {
            #expect(try streamed.text(of: index) == held.articles[index].text)
        }
    }

    @Test func cleanedTextsSurviveAStageFileRoundTrip() throws {
        let corpus = StageCorpus(lines: taglined)
        defer { corpus.remove() }
        let cleaned = try corpus.cleaned()
        let decoded = try JSONDecoder().decode(CleanedTexts.self, from: try JSONEncoder().encode(cleaned))
        #expect(decoded.articles.map(\.text) == cleaned.articles.map(\.text))
        #expect(decoded.plan?.keep == cleaned.plan?.keep)
        #expect(decoded.boilerplateLinesRemoved == cleaned.boilerplateLinesRemoved)
    }
}
