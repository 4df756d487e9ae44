import Foundation
import Testing

/// The same input and options give byte-identical `articles.jsonl` and `stories.json`, with
/// one thread or all, and the same stories and ids when the input lines are shuffled. A
/// generated corpus, because its many articles published at the same second are the ties an
/// order-dependent tie-break would trip on (the demo corpus has too few).
@Suite(.serialized)
struct DeterminismTests {
    let directory: TemporaryDirectory
    let corpus: String

    init() throws {
        directory = try TemporaryDirectory()
        corpus = try Binary.generateCorpus(articles: 5_000, seed: 5, into: directory.file("corpus"))
    }

    private func cluster(_ input: String, _ name: String, _ options: [String] = []) throws -> (articles: Data, stories: Data) {
        let out = directory.file(name)
        let result = try Binary.run(["cluster", input, "--out", out, "--quiet"] + options)
        try #require(result.status == 0, "\(result.stderr)")
        return (try Data(contentsOf: URL(fileURLWithPath: out + "/articles.jsonl")),
                try Data(contentsOf: URL(fileURLWithPath: out + "/stories.json")))
    }

    private func lines(_ data: Data) -> [Substring] {
        String(decoding: data, as: UTF8.self).split(separator: "\n")
    }

    @Test func rerunsAndOneThreadGiveByteIdenticalReports() throws {
        defer { directory.remove() }
        let first = try cluster(corpus, "first")
        let again = try cluster(corpus, "again")
        let oneThread = try cluster(corpus, "one-thread", ["--threads", "1"])
        #expect(first.articles == again.articles && first.stories == again.stories)
        #expect(first.articles == oneThread.articles, "articles.jsonl differs with --threads 1")
        #expect(first.stories == oneThread.stories, "stories.json differs with --threads 1")
    }

    @Test(arguments: [[], ["--read-texts-twice"]])
    func shuffledInputLinesGiveTheSameStoriesAndIDs(options: [String]) throws {
        defer { directory.remove() }
        let original = try String(contentsOfFile: corpus, encoding: .utf8).split(separator: "\n")
        var generator = SeededGenerator(seed: 42)
        let shuffled = original.shuffled(using: &generator)
        #expect(shuffled != original)
        let shuffledCorpus = try directory.write("shuffled.jsonl", shuffled.joined(separator: "\n") + "\n")

        let first = try cluster(corpus, "original", options)
        let second = try cluster(shuffledCorpus, "shuffled", options)
        #expect(first.stories == second.stories, "stories.json differs when the input lines are shuffled")
        // articles.jsonl keeps the input order: the same lines, in the shuffled order.
        let firstLines = lines(first.articles), secondLines = lines(second.articles)
        #expect(firstLines.count == original.count)
        #expect(Set(firstLines) == Set(secondLines), "an article's line differs when the input lines are shuffled")
        let id = { (line: Substring) in
            (try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])?["id"] as? String
        }
        #expect(secondLines.map(id) == shuffled.map(id))
    }
}

/// SplitMix64: a shuffle that is the same on every run and machine.
struct SeededGenerator: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
