import Foundation
import Testing

/// Judgements as the review page writes them (`docs/judgements.schema.json`), made on a run's
/// stories: remove and move cannot-link the article with every other member of the story it
/// leaves; move must-links it with the headline article of the story it joins; merge and
/// confirm must-link every member with the (first) story's headline article.
struct EditorDesk {
    var stories: [[String: Any]]
    var editor = "Test Editor"
    private(set) var made: [[String: Any]] = []

    init(_ reports: Reports) {
        stories = reports.stories
    }

    static func members(_ story: [String: Any]) -> [String] {
        ((story["members"] as? [[String: Any]]) ?? []).compactMap { $0["id"] as? String }
    }

    static func headlineArticle(_ story: [String: Any]) -> String { story["headline_article"] as? String ?? "" }

    /// A member of `story` that is not its headline article.
    static func ordinaryMember(_ story: [String: Any]) -> String? {
        members(story).first { $0 != headlineArticle(story) }
    }

    private func named(_ story: [String: Any]) -> [String: Any] {
        ["id": story["id"] as? String ?? "", "headline": story["headline"] as? String ?? ""]
    }

    private mutating func add(_ action: String, article: String? = nil, stories: [[String: Any]],
                              must: [[String]] = [], cannot: [[String]] = []) {
        var judgement: [String: Any] = [
            "id": "j-test-\(made.count + 1)", "action": action,
            "time": String(format: "2026-12-06T08:%02d:00Z", made.count + 1), "editor": editor,
            "stories": stories.map(named), "must_link": must, "cannot_link": cannot,
        ]
        if let article { judgement["article"] = article }
        made.append(judgement)
    }

    mutating func remove(_ article: String, from story: [String: Any]) {
        add("remove", article: article, stories: [story],
            cannot: Self.members(story).filter { $0 != article }.map { [article, $0] })
    }

    mutating func move(_ article: String, from story: [String: Any], to target: [String: Any]) {
        add("move", article: article, stories: [story, target], must: [[article, Self.headlineArticle(target)]],
            cannot: Self.members(story).filter { $0 != article }.map { [article, $0] })
    }

    mutating func merge(_ first: [String: Any], _ second: [String: Any]) {
        let anchor = Self.headlineArticle(first)
        add("merge", stories: [first, second],
            must: (Self.members(first) + Self.members(second)).filter { $0 != anchor }.map { [$0, anchor] })
    }

    mutating func confirm(_ story: [String: Any]) {
        let anchor = Self.headlineArticle(story)
        add("confirm", stories: [story], must: Self.members(story).filter { $0 != anchor }.map { [$0, anchor] })
    }

    func file(in directory: TemporaryDirectory, named name: String = "judgements.json") throws -> String {
        let object: [String: Any] = [
            "schema": "newscluster.judgements/1", "exported": "2026-12-06T09:00:00Z", "editor": editor,
            "run": "r-test", "judgements": made,
        ]
        let data = try JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted, .sortedKeys])
        return try directory.write(name, String(decoding: data, as: UTF8.self))
    }
}

/// `cluster --judgements`: the next night obeys what editors decided on the page.
@Suite("Editors' judgements", .serialized)
struct JudgementsTests {
    /// One judgement of each kind on the demo's stories, and what each asks of a run.
    struct Decisions {
        var file: String
        var removed: (article: String, formerMates: [String])
        var moved: (article: String, formerMates: [String], joins: String)
        var merged: [String]
        var confirmed: [String]
    }

    static func decide(on reports: Reports, in directory: TemporaryDirectory) throws -> Decisions {
        let stories = reports.stories.filter { EditorDesk.members($0).count >= 3 }
        try #require(stories.count >= 6, "the demo has six stories of three or more articles")
        var desk = EditorDesk(reports)
        let removed = try #require(EditorDesk.ordinaryMember(stories[0]))
        desk.remove(removed, from: stories[0])
        let moved = try #require(EditorDesk.ordinaryMember(stories[1]))
        desk.move(moved, from: stories[1], to: stories[2])
        desk.merge(stories[3], stories[4])
        desk.confirm(stories[5])
        return Decisions(
            file: try desk.file(in: directory),
            removed: (removed, EditorDesk.members(stories[0]).filter { $0 != removed }),
            moved: (moved, EditorDesk.members(stories[1]).filter { $0 != moved }, EditorDesk.headlineArticle(stories[2])),
            merged: EditorDesk.members(stories[3]) + EditorDesk.members(stories[4]),
            confirmed: EditorDesk.members(stories[5]))
    }

    /// Every decision holds in `reports`.
    static func expectObeyed(_ decisions: Decisions, in reports: Reports, _ comment: String) {
        let storyOf = reports.storyOf
        for mate in decisions.removed.formerMates {
            #expect(storyOf[decisions.removed.article] != storyOf[mate], "\(comment): the removed article is back with \(mate)")
        }
        for mate in decisions.moved.formerMates {
            #expect(storyOf[decisions.moved.article] != storyOf[mate], "\(comment): the moved article is back with \(mate)")
        }
        #expect(storyOf[decisions.moved.article] == storyOf[decisions.moved.joins], "\(comment): the moved article is not in its new story")
        #expect(Set(decisions.merged.map { storyOf[$0] }).count == 1, "\(comment): the merged stories are apart")
        #expect(Set(decisions.confirmed.map { storyOf[$0] }).count == 1, "\(comment): the confirmed story fell apart")
    }

    @Test func theNextRunObeysEveryJudgementAndSaysWhichStoriesEditorsShaped() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let first = try Reports.ofTheDemo(into: try TemporaryDirectory(at: directory.file("first")))
        let decisions = try Self.decide(on: first, in: directory)

        // Before: the run does not satisfy them (else the test proves nothing).
        let before = try Binary.run(["evaluate", "--judgements", decisions.file, "--run", directory.file("first"), "--json"])
        #expect(before.status == 0, "\(before.stderr)")
        let beforeScore = try #require(try JSONSerialization.jsonObject(with: Data(before.stdout.utf8)) as? [String: Any])
        let beforeAll = try #require(beforeScore["all"] as? [String: Any])
        #expect(beforeAll["scored"] as? Int == 4)
        #expect(beforeAll["satisfied"] as? Int == 1, "only the confirmed story is as it was judged")

        let next = try Binary.run(["cluster", DemoCorpusTests.corpus, "--out", directory.file("next"), "--judgements", decisions.file, "--quiet"])
        #expect(next.status == 0, "\(next.stderr)")
        let reports = try Reports(directory: directory.file("next"))
        Self.expectObeyed(decisions, in: reports, "the next run")

        let after = try Binary.run(["evaluate", "--judgements", decisions.file, "--run", directory.file("next")])
        #expect(after.status == 0)
        #expect(after.stdout.hasPrefix("judgements satisfied by the run: 4/4 = 1.000\n"), "\(after.stdout)")

        let judged = try #require(reports.run["judgements"] as? [String: Any])
        #expect(judged["new"] as? Int == 4 && judged["from_state"] as? Int == 0)
        #expect((judged["warnings"] as? [Any])?.isEmpty == true)
        // The stories that hold a judged article name the judgement; the others none.
        let shaped = reports.stories.filter { !(($0["judgements"] as? [String]) ?? []).isEmpty }
        #expect(judged["stories_shaped"] as? Int == shaped.count)
        let storyOfMerged = reports.storyOf[decisions.merged[0]]
        let merged = try #require(reports.stories.first { $0["id"] as? String == storyOfMerged })
        #expect((merged["judgements"] as? [String]) == ["j-test-3"])
        #expect(reports.stories.allSatisfy { $0["judgements"] is [String] && $0["headline_article"] is String })
    }

    /// With a state, a file is given once: the night after obeys it without being given it.
    @Test func withAStateAJudgementIsGivenOnceAndObeyedEveryNightAfter() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let state = directory.file("news.sqlite")
        func night(_ name: String, _ extra: [String] = []) throws -> Reports {
            let result = try Binary.run(["cluster", DemoCorpusTests.corpus, "--out", directory.file(name), "--state", state, "--quiet"] + extra)
            #expect(result.status == 0, "\(name): \(result.stderr)")
            return try Reports(directory: directory.file(name))
        }
        let first = try night("n1")
        let decisions = try Self.decide(on: first, in: directory)
        Self.expectObeyed(decisions, in: try night("n2", ["--judgements", decisions.file]), "the night given the file")
        let third = try night("n3")
        Self.expectObeyed(decisions, in: third, "the night after, without the file")
        let judged = try #require(third.run["judgements"] as? [String: Any])
        #expect(judged["from_state"] as? Int == 4 && judged["new"] as? Int == 0)
        let info = try Binary.run(["state", "info", "--json", state])
        let infoObject = try #require(try JSONSerialization.jsonObject(with: Data(info.stdout.utf8)) as? [String: Any])
        #expect(infoObject["judgements"] as? Int == 4)
        // Given again: nothing new.
        let fourth = try night("n4", ["--judgements", decisions.file])
        #expect((fourth.run["judgements"] as? [String: Any])?["new"] as? Int == 0)
        let changes = try NightlyStateTests.changes(directory.file("n4"))
        let shaped = try #require(changes["shaped_by_editors"] as? [[String: Any]])
        #expect(!shaped.isEmpty && shaped.allSatisfy { !(($0["judgements"] as? [String]) ?? []).isEmpty })

        // The removed article leaves the input (its window): the judgement the state kept is
        // inactive, and no warning says so every night.
        let lines = try String(contentsOfFile: DemoCorpusTests.corpus + "/articles.jsonl", encoding: .utf8)
            .split(separator: "\n").filter { !$0.contains("\"\(decisions.removed.article)\"") }
        let shrunk = try directory.write("shrunk.jsonl", lines.joined(separator: "\n") + "\n")
        let result = try Binary.run(["cluster", shrunk, "--out", directory.file("n5"), "--state", state])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(!result.stderr.contains("warning(s) about editors' judgements"), "\(result.stderr)")
        let fifth = try Reports(directory: directory.file("n5"))
        let accounted = try #require(fifth.run["judgements"] as? [String: Any])
        #expect((accounted["warnings"] as? [Any])?.isEmpty == true)
        #expect(accounted["inactive"] as? Int == 1 && accounted["from_state"] as? Int == 4)
    }

    /// Ids the run does not have are warnings in run.json, never fatal; the rest is obeyed.
    @Test func judgementsNamingUnknownArticlesAreWarningsNotFailures() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let first = try Reports.ofTheDemo(into: try TemporaryDirectory(at: directory.file("first")))
        var desk = EditorDesk(first)
        let story = try #require(first.stories.first)
        desk.remove("no-such-article", from: story)
        let file = try desk.file(in: directory)
        let result = try Binary.run(["cluster", DemoCorpusTests.corpus, "--out", directory.file("next"), "--judgements", file])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stderr.contains("1 warning(s) about editors' judgements"))
        let reports = try Reports(directory: directory.file("next"))
        let warnings = try #require((reports.run["judgements"] as? [String: Any])?["warnings"] as? [[String: Any]])
        #expect(warnings.count == 1)
        #expect(warnings.first?["judgement"] as? String == "j-test-1")
        #expect((warnings.first?["reason"] as? String)?.contains("\"no-such-article\"") == true)
        #expect(reports.storyOf == first.storyOf, "nothing else changes")
    }

    /// A file that cannot be used stops the run before the work, naming the file; the
    /// previous reports stay as they were.
    @Test func aBrokenJudgementsFileStopsTheRunNamingIt() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        _ = try Reports.ofTheDemo(into: try TemporaryDirectory(at: directory.file("out")))
        let before = try Data(contentsOf: URL(fileURLWithPath: directory.file("out/stories.json")))
        let broken = try directory.write("broken.json", #"{"schema": "newscluster.judgements/1", "judgements": [{"id": "j-1"}]}"#)
        let result = try Binary.run(["cluster", DemoCorpusTests.corpus, "--out", directory.file("out"), "--judgements", broken])
        #expect(result.status == 1)
        #expect(result.stderr.contains(broken) && result.stderr.contains("\"action\" is missing"), "\(result.stderr)")
        #expect(try Data(contentsOf: URL(fileURLWithPath: directory.file("out/stories.json"))) == before)
        let missing = try Binary.run(["cluster", DemoCorpusTests.corpus, "--out", directory.file("out"), "--judgements", directory.file("none.json")])
        #expect(missing.status == 1 && missing.stderr.contains(directory.file("none.json")))
    }
}
