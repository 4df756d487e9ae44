import Foundation
import Testing
@testable import NewsCluster

enum ReportSamples {
    static let articles = [
        ArticleLine(id: "a1", story: "s-0001", duplicateGroup: "d-0001", canonical: "a1",
                    related: [RelatedArticle(id: "b1", story: "s-0002", score: 0.4321)]),
        ArticleLine(id: "a2/with/slash", story: "s-0001", duplicateGroup: "d-0001", canonical: "a1", related: []),
        ArticleLine(id: "b1", story: "s-0002", duplicateGroup: nil, canonical: nil, related: []),
    ]

    static let stories = StoriesFile(tool: "newscluster", version: "test", stories: [
        StoryEntry(
            id: "s-0001", headline: "Harbor bridge reopens", headlineArticle: "a1", size: 2, terms: ["bridge", "harbor"],
            sources: [SourceCount(name: "gazette", articles: 2)], languages: ["en"],
            firstPublished: "2024-03-05T10:00:00Z", lastPublished: nil, cohesion: 0.91,
            members: [
                StoryMember(id: "a1", title: "Harbor bridge reopens", source: "gazette", published: "2024-03-05T10:00:00Z",
                            url: "https://gazette.example/a1", language: "en", duplicateGroup: "d-0001", canonical: true),
                StoryMember(id: "a2/with/slash", title: "Bridge reopens", source: "gazette", published: nil, url: nil,
                            language: nil, duplicateGroup: "d-0001", canonical: false),
            ],
            duplicateGroups: [DuplicateGroupEntry(id: "d-0001", canonical: "a1", members: ["a1", "a2/with/slash"])],
            relatedStories: [RelatedStory(id: "s-0002", headline: "Council budget", score: 0.4321)]),
    ])

    static func manifest(output: String) -> RunManifest {
        RunManifest(
            tool: "newscluster", version: "test",
            inputs: [ArticleReader.InputFile(path: "in.jsonl", format: "jsonl", bytes: 123, records: 3)],
            output: output, options: ClusterOptions(),
            counts: .init(read: 4, rejected: 1, warnings: 0, articles: 3, stories: 2, storiesWithSeveralArticles: 1,
                          duplicateGroups: 1, articlesInDuplicateGroups: 2, boilerplateLinesRemoved: 0,
                          vocabulary: 10, termsSeen: 12),
            rejected: [RecordIssue(location: RecordLocation(file: "in.jsonl", line: 4), reason: "missing id")],
            warnings: [], timings: ["read": 0.5, "total": 1.25],
            blas: .init(core: "Haswell", threads: 1, coreTypeRequested: nil, sgemmGflops: 12.5),
            neighbors: NeighborSearch.Stats())
    }
}

private func jsonObject(_ data: Data) throws -> [String: Any] {
    try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
}

@Suite("ReportWriter")
struct ReportWriterTests {
    @Test func writesTheThreeReportsAndNoTemporaryFiles() throws {
        let root = Fixtures.temporaryDirectory()
        defer { Fixtures.remove(root) }
        let directory = root + "/nested/out"
        try ReportWriter(directory: directory).write(
            articles: ReportSamples.articles, stories: ReportSamples.stories, manifest: ReportSamples.manifest(output: directory))
        let names = try FileManager.default.contentsOfDirectory(atPath: directory).sorted()
        #expect(names == ["articles.jsonl", "run.json", "stories.json"])

        let lines = try #require(FileManager.default.contents(atPath: directory + "/articles.jsonl"))
        let text = String(decoding: lines, as: UTF8.self)
        #expect(text.hasSuffix("\n"))
        let objects = try text.split(separator: "\n").map { try jsonObject(Data($0.utf8)) }
        try #require(objects.count == 3)
        #expect(objects.map { $0["id"] as? String } == ["a1", "a2/with/slash", "b1"])
        #expect(objects[0]["duplicate_group"] as? String == "d-0001")
        // Slashes are not escaped.
        #expect(text.contains(#""id":"a2/with/slash""#))

        let stories = try jsonObject(try #require(FileManager.default.contents(atPath: directory + "/stories.json")))
        let entries = try #require(stories["stories"] as? [[String: Any]])
        #expect(entries.first?["first_published"] as? String == "2024-03-05T10:00:00Z")
        #expect(entries.first?["duplicate_groups"] != nil)
        #expect(entries.first?["related_stories"] != nil)

        let run = try jsonObject(try #require(FileManager.default.contents(atPath: directory + "/run.json")))
        let counts = try #require(run["counts"] as? [String: Any])
        #expect(counts["stories_with_several_articles"] as? Int == 1)
        #expect(counts["terms_seen"] as? Int == 12)
        let options = try #require(run["options"] as? [String: Any])
        #expect(options["story_threshold"] != nil)
        #expect(run["output"] as? String == directory)
    }

    @Test func nilDuplicateGroupIsWrittenAsNull() throws {
        let directory = Fixtures.temporaryDirectory()
        defer { Fixtures.remove(directory) }
        try ReportWriter(directory: directory).write(
            articles: ReportSamples.articles, stories: ReportSamples.stories, manifest: ReportSamples.manifest(output: directory))
        let text = String(decoding: try #require(FileManager.default.contents(atPath: directory + "/articles.jsonl")), as: UTF8.self)
        let last = try #require(text.split(separator: "\n").last)
        #expect(last == #"{"canonical":null,"duplicate_group":null,"id":"b1","related":[],"schema":1,"story":"s-0002"}"#)
        let object = try jsonObject(Data(last.utf8))
        #expect(object.keys.contains("duplicate_group"))
        #expect(object["duplicate_group"] is NSNull)
    }

    @Test func keysAreSortedInEveryFile() throws {
        let directory = Fixtures.temporaryDirectory()
        defer { Fixtures.remove(directory) }
        try ReportWriter(directory: directory).write(
            articles: ReportSamples.articles, stories: ReportSamples.stories, manifest: ReportSamples.manifest(output: directory))
        let articles = try #require(FileManager.default.contents(atPath: directory + "/articles.jsonl"))
        let first = try #require(String(decoding: articles, as: UTF8.self).split(separator: "\n").first)
        #expect(first == #"{"canonical":"a1","duplicate_group":"d-0001","id":"a1","related":[{"id":"b1","score":0.4321,"story":"s-0002"}],"schema":1,"story":"s-0001"}"#)
        let run = String(decoding: try #require(FileManager.default.contents(atPath: directory + "/run.json")), as: UTF8.self)
        let topKeys = run.split(separator: "\n").filter { $0.hasPrefix("  \"") }
            .map { $0.dropFirst(3).prefix { $0 != "\"" } }
        #expect(topKeys == topKeys.sorted())
        #expect(run.hasSuffix("}\n"))
    }

    @Test func twoWritesOfTheSameDataAreByteIdentical() throws {
        let root = Fixtures.temporaryDirectory()
        defer { Fixtures.remove(root) }
        var contents: [[Data]] = []
        for name in ["one", "two"] {
            let directory = root + "/" + name
            try ReportWriter(directory: directory).write(
                articles: ReportSamples.articles, stories: ReportSamples.stories, manifest: ReportSamples.manifest(output: "out"))
            contents.append(try ["articles.jsonl", "stories.json", "run.json"].map {
                try #require(FileManager.default.contents(atPath: directory + "/" + $0))
            })
        }
        #expect(contents[0] == contents[1])
        // Writing again over the same directory gives the same bytes too.
        let directory = root + "/one"
        try ReportWriter(directory: directory + "/").write(
            articles: ReportSamples.articles, stories: ReportSamples.stories, manifest: ReportSamples.manifest(output: "out"))
        #expect(try ["articles.jsonl", "stories.json", "run.json"].map {
            try #require(FileManager.default.contents(atPath: directory + "/" + $0))
        } == contents[0])
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory).count == 3)
    }

    @Test func emptyReportsAreValid() throws {
        let directory = Fixtures.temporaryDirectory()
        defer { Fixtures.remove(directory) }
        try ReportWriter(directory: directory).write(
            articles: [], stories: StoriesFile(tool: "newscluster", version: "test", stories: []),
            manifest: ReportSamples.manifest(output: directory))
        #expect(FileManager.default.contents(atPath: directory + "/articles.jsonl") == Data())
        let stories = try jsonObject(try #require(FileManager.default.contents(atPath: directory + "/stories.json")))
        #expect((stories["stories"] as? [Any])?.isEmpty == true)
    }

    @Test func directoryUnderARegularFileCannotBeCreated() throws {
        let root = Fixtures.temporaryDirectory()
        defer { Fixtures.remove(root) }
        let file = Fixtures.write("x", named: "file", in: root)
        #expect(throws: ReportError.self) { try ReportWriter(directory: file + "/out").prepareDirectory() }
        do {
            try ReportWriter(directory: file + "/out").write(
                articles: [], stories: ReportSamples.stories, manifest: ReportSamples.manifest(output: ""))
            Issue.record("wrote under a regular file")
        } catch let error as ReportError {
            #expect(error.description.contains("cannot create the output directory"))
        }
    }

    @Test func pathJoinsWithOrWithoutTrailingSlash() {
        #expect(ReportWriter(directory: "/tmp/x").path("run.json") == "/tmp/x/run.json")
        #expect(ReportWriter(directory: "/tmp/x/").path("run.json") == "/tmp/x/run.json")
    }

    /// Stories encoded in parallel and spliced must be the bytes one encoder writes.
    @Test(arguments: [1, 2, 3, 8])
    func parallelStoriesAreByteIdenticalToOneEncoder(threads: Int) throws {
        var stories = ReportSamples.stories
        let template = stories.stories[0]
        for index in 0..<17 {
            var story = template
            story.id = "s-\(index)"
            story.headline = "Quote \"\(index)\"\nnew line, Кириллица, 😀, back\\slash"
            story.terms = index.isMultiple(of: 3) ? [] : ["a", "b"]
            story.members = index.isMultiple(of: 4) ? [] : story.members
            stories.stories.append(story)
        }
        #expect(try ReportWriter.prettyStories(stories, threads: threads) == ReportWriter.pretty(stories))
        let one = StoriesFile(tool: "newscluster", version: "test", stories: [template])
        #expect(try ReportWriter.prettyStories(one, threads: threads) == ReportWriter.pretty(one))
        let none = StoriesFile(tool: "newscluster", version: "test", stories: [])
        #expect(try ReportWriter.prettyStories(none, threads: threads) == ReportWriter.pretty(none))
    }

    @Test func parallelArticleLinesAreInOrder() throws {
        let root = Fixtures.temporaryDirectory()
        defer { Fixtures.remove(root) }
        let articles = (0..<50).map { ArticleLine(id: "a\($0)", story: "s", duplicateGroup: nil, canonical: nil, related: []) }
        try ReportWriter(directory: root).writeReports(articles: articles, stories: ReportSamples.stories, threads: 4)
        let text = String(decoding: try #require(FileManager.default.contents(atPath: root + "/articles.jsonl")), as: UTF8.self)
        let ids = try text.split(separator: "\n").map { try #require(try jsonObject(Data($0.utf8))["id"] as? String) }
        #expect(ids == articles.map(\.id))
    }
}
