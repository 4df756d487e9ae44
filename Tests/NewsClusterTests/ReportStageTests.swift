import Foundation
import Testing
@testable import NewsCluster

private struct Written {
    var names: [String]
    var articleIDs: [String]
    var stories: [[String: Any]]
    var run: [String: Any]
    var timings: [String: Double]
    var logged: [String]
}

/// Runs the report stage on the stage corpus's descriptions into `corpus.directory/out`.
private func report(_ corpus: StageCorpus, changes: ChangesFile? = nil) throws -> Written {
    let descriptions = try corpus.descriptions()
    let path = corpus.directory + "/out"
    let lines = LogLines()
    var manifest = Pipeline(options: corpus.options).manifest(descriptions, outputDirectory: path)
    var timings = Timings(log: lines.append)
    timings.record(.read, 0.5)
    try ReportStage(threads: 1).run(
        descriptions, changes: changes, manifest: &manifest, timings: &timings, into: try OutputDirectory(path))
    let articles = try #require(FileManager.default.contents(atPath: path + "/articles.jsonl"))
    let articleIDs = try String(decoding: articles, as: UTF8.self).split(separator: "\n").map { line in
        let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
        return try #require(object["id"] as? String)
    }
    let storiesData = try #require(FileManager.default.contents(atPath: path + "/stories.json"))
    let stories = try #require(try JSONSerialization.jsonObject(with: storiesData) as? [String: Any])
    let runData = try #require(FileManager.default.contents(atPath: path + "/run.json"))
    let run = try #require(try JSONSerialization.jsonObject(with: runData) as? [String: Any])
    #expect(manifest.timings == timings.seconds)
    return Written(
        names: try FileManager.default.contentsOfDirectory(atPath: path).sorted(), articleIDs: articleIDs,
        stories: try #require(stories["stories"] as? [[String: Any]]), run: run, timings: timings.seconds,
        logged: lines.all)
}

extension UsesOpenBLAS {
    @Suite("ReportStage")
    struct ReportStageTests {
        @Test func writesTheFourReportsIntoTheOutputDirectory() throws {
            let corpus = StageCorpus()
            defer { corpus.remove() }
            let written = try report(corpus)
            #expect(written.names == ["articles.jsonl", "report.html", "run.json", "stories.json"])
            // Nothing is left beside it: the staging directory was swapped in.
            #expect(try FileManager.default.contentsOfDirectory(atPath: corpus.directory).sorted() == ["input.jsonl", "out"])
        }

        @Test func articlesAreInInputOrderAndStoriesLargestFirst() throws {
            let corpus = StageCorpus()
            defer { corpus.remove() }
            let written = try report(corpus)
            #expect(written.articleIDs == StageCorpus.inputOrder)
            #expect(written.stories.map { $0["size"] as? Int } == [2, 1])
            #expect(written.stories.first?["id"] as? String == GroupStage.contentID(prefix: "s-", of: "quake-gazette"))
        }

        @Test func runJSONCarriesTheTimingsAndTheTotal() throws {
            let corpus = StageCorpus()
            defer { corpus.remove() }
            let written = try report(corpus)
            let timings = try #require(written.run["timings"] as? [String: Double])
            #expect(Set(timings.keys) == ["read", "report", "page", "total"])
            #expect(timings["read"] == 0.5)
            #expect(Set(written.timings.keys) == ["read", "report", "page", "total"])
            let counts = try #require(written.run["counts"] as? [String: Any])
            #expect(counts["articles"] as? Int == 3)
            #expect(counts["stories"] as? Int == 2)
            #expect(counts["duplicate_groups"] as? Int == 1)
        }

        @Test func logsTheReportAndThePage() throws {
            let corpus = StageCorpus()
            defer { corpus.remove() }
            let written = try report(corpus)
            #expect(written.logged.filter { $0.hasPrefix("report ") }.count == 1)
            #expect(written.logged.filter { $0.hasPrefix("page ") }.count == 1)
        }

        @Test func changesAreWrittenWhenGiven() throws {
            let corpus = StageCorpus()
            defer { corpus.remove() }
            let changes = ChangesFile(
                run: 2, previousRun: 1, new: [.init(id: "s-new", headline: "New", size: 1)], grown: [], merged: [],
                split: [], left: [], duplicateGroups: .init(new: 0, grown: 0, merged: 0, split: 0, left: 0, dissolved: 0))
            let written = try report(corpus, changes: changes)
            #expect(written.names == ["articles.jsonl", "changes.json", "report.html", "run.json", "stories.json"])
            let data = try #require(FileManager.default.contents(atPath: corpus.directory + "/out/changes.json"))
            let object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
            #expect(object["run"] as? Int == 2)
            #expect(object["previous_run"] as? Int == 1)
        }

        @Test func aSecondRunReplacesTheReports() throws {
            let corpus = StageCorpus()
            defer { corpus.remove() }
            _ = try report(corpus)
            Fixtures.write(StageCorpus.lines.prefix(2).map { $0 + "\n" }.joined(), named: "input.jsonl", in: corpus.directory)
            let second = try report(corpus)
            #expect(second.names == ["articles.jsonl", "report.html", "run.json", "stories.json"])
            #expect(second.articleIDs == ["quake-herald", "festival"])
        }
    }
}
