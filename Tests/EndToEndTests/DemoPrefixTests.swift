import Foundation
import Testing

/// Small nights: every prefix of the demo in publication order, from 20 articles on, clustered
/// on its own as a night of that size would be, matches its part of the gold with BCubed F1
/// 0.95 or more (`Benchmarks/demo_prefixes.py` prints the same figures).
@Suite struct DemoPrefixTests {
    static let smallest = 20

    /// The demo's records (each a line of `articles.jsonl`, kept byte for byte) in publication
    /// order, with their ids; records published at the same instant keep their file order.
    static func recordsInPublicationOrder() throws -> [(id: String, line: Substring)] {
        let text = try String(contentsOfFile: DemoCorpusTests.corpus + "/articles.jsonl", encoding: .utf8)
        let parser = ISO8601DateFormatter()
        let records = try text.split(separator: "\n").enumerated().map { position, line in
            let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
            let id = try #require(object["id"] as? String)
            let published = try #require((object["published"] as? String).flatMap(parser.date(from:)), "\(id) has no date")
            return (id: id, line: line, published: published, position: position)
        }
        return records.sorted { ($0.published, $0.position) < ($1.published, $1.position) }.map { ($0.id, $0.line) }
    }

    @Test func everyPrefixOfTwentyArticlesOrMoreReachesBCubedF1Of0_95() throws {
        let records = try Self.recordsInPublicationOrder()
        try #require(records.count >= Self.smallest)
        let gold = try Gold(path: DemoCorpusTests.corpus + "/gold.tsv")
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        for count in Self.smallest...records.count {
            let prefix = records.prefix(count)
            let input = try directory.write("prefix.jsonl", prefix.map(\.line).joined(separator: "\n") + "\n")
            let out = directory.file("out-\(count)")
            let result = try Binary.run(["cluster", input, "--out", out, "--quiet"])
            try #require(result.status == 0, "\(count) articles: \(result.stderr)")
            var part = gold
            let ids = Set(prefix.map(\.id))
            part.story = part.story.filter { ids.contains($0.key) }
            try #require(part.story.count == count, "every demo article has a gold story")
            let f1 = part.bcubedF1(predicted: try Reports(directory: out).storyOf)
            #expect(f1 >= 0.95, "\(count) articles: BCubed F1 \(f1)")
        }
    }
}
