import Foundation
import Testing

/// The frozen vocabulary: `--write-vocabulary` and `--vocabulary`, and nights that reuse the
/// stored generation and still give a run without state's reports.
@Suite("Vocabulary generations", .serialized)
struct VocabularyTests {
    static func run(_ directory: String) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: directory + "/run.json"))) as? [String: Any])
    }

    static func bytes(_ path: String) throws -> Data { try Data(contentsOf: URL(fileURLWithPath: path)) }

    @Test func aRunWithTheVocabularyItWroteGivesTheSameReports() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let vocabulary = directory.file("demo.vocabulary")
        let fitted = directory.file("fitted"), reused = directory.file("reused")
        let first = try Binary.run(["cluster", DemoCorpusTests.corpus, "--out", fitted, "--write-vocabulary", vocabulary, "--quiet"])
        #expect(first.status == 0, "\(first.stderr)")
        let second = try Binary.run(["cluster", DemoCorpusTests.corpus, "--out", reused, "--vocabulary", vocabulary, "--quiet"])
        #expect(second.status == 0, "\(second.stderr)")
        for file in ["articles.jsonl", "stories.json"] {
            #expect(try Self.bytes(fitted + "/" + file) == Self.bytes(reused + "/" + file), "\(file) differs")
        }
        let use = try #require(try Self.run(reused)["vocabulary"] as? [String: Any])
        #expect(use["fitted"] as? Bool == false)
        #expect(use["generation"] as? Int == 1)
        #expect(use["drift"] as? Double == 0)
        #expect((try Self.run(fitted)["vocabulary"] as? [String: Any])?["fitted"] as? Bool == true)
    }

    @Test func aVocabularyToWriteInsideTheOutputDirectoryIsRefusedBeforeTheWork() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let out = directory.file("out")
        let result = try Binary.run(["cluster", DemoCorpusTests.corpus, "--out", out, "--write-vocabulary", out + "/demo.vocabulary"])
        #expect(result.status == 1)
        #expect(result.stderr.contains("--write-vocabulary cannot write inside the output directory"), "\(result.stderr)")
        #expect(!FileManager.default.fileExists(atPath: out + "/articles.jsonl"))
    }

    @Test func aFileThatIsNotAVocabularyIsRefusedBeforeTheWork() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let bogus = try directory.write("bogus.vocabulary", "{\"format\":\"something else\"}\n")
        let result = try Binary.run(["cluster", DemoCorpusTests.corpus, "--out", directory.file("out"), "--vocabulary", bogus])
        #expect(result.status == 1)
        #expect(result.stderr.contains(bogus) && result.stderr.contains("not a newscluster vocabulary"), "\(result.stderr)")
        #expect(!FileManager.default.fileExists(atPath: directory.file("out/articles.jsonl")))
    }

    /// Terms are hashes of whole words or of stems: a vocabulary of the other kind would match
    /// none of the run's terms, so it is refused with both settings before the work.
    @Test func aVocabularyWrittenWithOtherStemLettersIsRefusedBeforeTheWork() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let vocabulary = directory.file("stemmed.vocabulary")
        let fit = try Binary.run(["cluster", DemoCorpusTests.corpus, "--out", directory.file("fit"), "--stem-letters", "6",
                                  "--write-vocabulary", vocabulary, "--quiet"])
        #expect(fit.status == 0, "\(fit.stderr)")
        let whole = try Binary.run(["cluster", DemoCorpusTests.corpus, "--out", directory.file("whole"), "--stem-letters", "0",
                                    "--vocabulary", vocabulary])
        #expect(whole.status == 1)
        #expect(whole.stderr.contains(vocabulary) && whole.stderr.contains("--stem-letters 6")
                && whole.stderr.contains("this run uses 0"), "\(whole.stderr)")
        #expect(!FileManager.default.fileExists(atPath: directory.file("whole/articles.jsonl")))
        let stemmed = try Binary.run(["cluster", DemoCorpusTests.corpus, "--out", directory.file("stemmed"), "--stem-letters", "6",
                                      "--vocabulary", vocabulary, "--quiet"])
        #expect(stemmed.status == 0, "\(stemmed.stderr)")
        for file in ["articles.jsonl", "stories.json"] {
            #expect(try Self.bytes(directory.file("fit/" + file)) == Self.bytes(directory.file("stemmed/" + file)), "\(file) differs")
        }
    }

    /// Three nights over the demo split by date, each scored with one vocabulary, against runs
    /// without state with that vocabulary: `articles.jsonl` and `stories.json` byte for byte,
    /// story ids included (a story keeps the id of its earliest article, the one a run without
    /// state names it after, `GroupIdentity`), related lists included (a night keeps the
    /// candidates a search of all pairs keeps, `NeighborSearch.run`).
    @Test func nightsWithOneVocabularyGiveTheReportsOfRunsWithoutState() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let vocabulary = directory.file("demo.vocabulary")
        let fit = try Binary.run(["cluster", DemoCorpusTests.corpus, "--out", directory.file("fit"), "--write-vocabulary", vocabulary, "--quiet"])
        try #require(fit.status == 0, "\(fit.stderr)")
        let state = directory.file("state.sqlite")
        for (night, day) in ["2020-10-07", "2020-10-09", "2020-10-11"].enumerated() {
            let input = try NightlyStateTests.night(day, in: directory)
            let withState = directory.file("night\(night + 1)"), without = directory.file("alone\(night + 1)")
            let nightRun = try Binary.run(["cluster", input, "--out", withState, "--state", state, "--vocabulary", vocabulary, "--quiet"])
            try #require(nightRun.status == 0, "\(nightRun.stderr)")
            let alone = try Binary.run(["cluster", input, "--out", without, "--vocabulary", vocabulary, "--quiet"])
            try #require(alone.status == 0, "\(alone.stderr)")
            for file in ["articles.jsonl", "stories.json"] {
                let mine = try Self.bytes(withState + "/" + file), theirs = try Self.bytes(without + "/" + file)
                #expect(!mine.isEmpty && mine == theirs, "night \(night + 1): \(file) differs from the run without state")
            }
            let use = try #require(try Self.run(withState)["vocabulary"] as? [String: Any])
            #expect(use["reason"] as? String == "given with --vocabulary")
        }
    }

    /// Without --vocabulary, a night reuses the stored generation while the frequencies stay
    /// close, refits it with --refresh-vocabulary, and takes the stored records and counts of
    /// the articles it already knows.
    @Test func aNightReusesTheStoredGenerationUntilARefresh() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let state = directory.file("state.sqlite")
        let input = try NightlyStateTests.night("2020-10-11", in: directory)
        func night(_ name: String, _ extra: [String] = []) throws -> [String: Any] {
            let result = try Binary.run(["cluster", input, "--out", directory.file(name), "--state", state, "--quiet"] + extra)
            try #require(result.status == 0, "\(result.stderr)")
            return try Self.run(directory.file(name))
        }
        let first = try night("first")
        #expect((first["vocabulary"] as? [String: Any])?["fitted"] as? Bool == true)
        let second = try night("second")
        let use = try #require(second["vocabulary"] as? [String: Any])
        #expect(use["fitted"] as? Bool == false)
        #expect(use["generation"] as? Int == 1)
        #expect((use["reason"] as? String)?.hasPrefix("drift 0.0000 within") == true, "\(use)")
        let counts = try #require(second["counts"] as? [String: Any])
        #expect(counts["records_from_state"] as? Int == 60, "the second night decodes no record again")
        #expect(counts["counts_from_state"] as? Int == 60, "the second night tokenizes no article again")
        for file in ["articles.jsonl", "stories.json"] {
            #expect(try Self.bytes(directory.file("first/" + file)) == Self.bytes(directory.file("second/" + file)))
        }
        let refreshed = try #require(try night("third", ["--refresh-vocabulary"])["vocabulary"] as? [String: Any])
        #expect(refreshed["fitted"] as? Bool == true)
        #expect(refreshed["generation"] as? Int == 2)
        #expect(refreshed["reason"] as? String == "--refresh-vocabulary")
        // A generation serves at most seven runs.
        var last: [String: Any] = [:]
        for run in 4...10 { last = try #require(try night("run\(run)")["vocabulary"] as? [String: Any]) }
        #expect(last["generation"] as? Int == 3, "\(last)")
        #expect((last["reason"] as? String)?.contains("served 7 runs") == true, "\(last)")
    }

    /// 20,000 generated articles over five nights (each reads everything published so far, in
    /// order of publication): the last night's stories and ids against a run without state with
    /// the vocabulary the night used. Where they may differ (README, "Nightly runs"): an article
    /// whose nearest changed keeps its others, and an id once given is not given again.
    @Test func fiveNightsOf20000ArticlesEndInTheStoriesOfARunWithoutState() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let corpus = try Binary.generateCorpus(articles: 20_000, seed: 7, into: directory.file("corpus"))
        let lines = try String(contentsOfFile: corpus, encoding: .utf8).split(separator: "\n")
        // By instant, not by text: the generator writes local times with their offsets.
        let dates = ISO8601DateFormatter()
        let published = lines.map { line in
            (((try? JSONSerialization.jsonObject(with: Data(line.utf8))) as? [String: Any])?["published"] as? String)
                .flatMap(dates.date(from:)) ?? .distantFuture
        }
        try #require(published.filter { $0 == .distantFuture }.count < 100, "the generator's dates parse")
        let order = lines.indices.sorted { published[$0] != published[$1] ? published[$0] < published[$1] : $0 < $1 }
        let state = directory.file("state.sqlite")
        for night in 1...5 {
            let kept = Set(order.prefix(lines.count * night / 5))
            let input = try directory.write("night\(night).jsonl",
                                            lines.indices.filter(kept.contains).map { String(lines[$0]) }.joined(separator: "\n") + "\n")
            let result = try Binary.run(["cluster", input, "--out", directory.file("out\(night)"), "--state", state,
                                         "--write-vocabulary", directory.file("night\(night).vocabulary"), "--quiet"])
            try #require(result.status == 0, "\(result.stderr)")
        }
        let alone = try Binary.run(["cluster", corpus, "--out", directory.file("alone"),
                                    "--vocabulary", directory.file("night5.vocabulary"), "--quiet"])
        try #require(alone.status == 0, "\(alone.stderr)")
        let night = try Reports(directory: directory.file("out5")).storyOf
        let without = try Reports(directory: directory.file("alone")).storyOf
        try #require(night.count == 20_000 && without.count == 20_000)
        func members(_ storyOf: [String: String]) -> [String: Set<String>] {
            var members: [String: Set<String>] = [:]
            for (article, story) in storyOf { members[story, default: []].insert(article) }
            return members
        }
        let nightMembers = members(night), aloneMembers = members(without)
        let sameStory = night.keys.filter { nightMembers[night[$0]!] == aloneMembers[without[$0]!] }.count
        let sameStoryAndID = night.keys.filter { night[$0] == without[$0] && nightMembers[night[$0]!] == aloneMembers[without[$0]!] }.count
        print("five nights of 20,000: \(sameStory) articles in the same story, \(sameStoryAndID) in the same story with the same id")
        #expect(Double(sameStoryAndID) >= 0.995 * 20_000, "\(sameStoryAndID) of 20,000 articles end in the same story with the same id")
    }
}
