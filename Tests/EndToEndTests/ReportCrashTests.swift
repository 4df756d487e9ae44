import Foundation
import Testing

/// `kill -9` at any moment of a 20,000-article run leaves the output directory holding either
/// the previous complete reports or the new complete ones, and nothing beside them.
@Suite(.serialized)
struct ReportCrashTests {
    static let reportNames = ["articles.jsonl", "report.html", "run.json", "stories.json"]

    private func files(in directory: String) throws -> [String: Data] {
        let names = try FileManager.default.contentsOfDirectory(atPath: directory)
        return try Dictionary(uniqueKeysWithValues: names.map {
            ($0, try Data(contentsOf: URL(fileURLWithPath: directory + "/" + $0)))
        })
    }

    @Test func killsAtRandomMomentsLeaveTheOldOrTheNewReportsWhole() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let corpus = try Binary.generateCorpus(articles: 20_000, seed: 9, into: directory.file("corpus"))
        let out = directory.file("reports")
        // The previous night's reports, with other options so that every file differs.
        let previous = try Binary.run(["cluster", corpus, "--out", out, "--quiet", "--related", "2"])
        try #require(previous.status == 0, "\(previous.stderr)")
        // The new reports run to completion elsewhere, timed to place the kills: on the monotonic
        // clock, which a change of the wall clock during the run cannot make negative or huge.
        // Wherever a kill lands on a slower or busier host, the checks below hold.
        let clock = ContinuousClock()
        let started = clock.now
        let complete = try Binary.run(["cluster", corpus, "--out", directory.file("complete"), "--quiet"])
        try #require(complete.status == 0, "\(complete.stderr)")
        let elapsed = started.duration(to: clock.now).components
        let duration = Double(elapsed.seconds) + Double(elapsed.attoseconds) / 1e18
        let new = try files(in: directory.file("complete"))

        var generator = SeededGenerator(seed: 2026)
        // Anywhere in the run, and more near its end, where the reports are written and swapped.
        let moments = (0..<3).map { _ in Double.random(in: 0.05..<0.9, using: &generator) }
            + (0..<3).map { _ in Double.random(in: 0.9..<1.1, using: &generator) }
        for share in moments {
            let before = try files(in: out)
            let process = Process()
            process.executableURL = URL(fileURLWithPath: Binary.path)
            process.arguments = ["cluster", corpus, "--out", out, "--quiet"]
            process.standardError = FileHandle.nullDevice
            try process.run()
            Thread.sleep(forTimeInterval: duration * share)
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()

            let after = try files(in: out)
            let moment = String(format: "a kill at %.2f of the run", share)
            #expect(after.keys.sorted() == Self.reportNames, "stray or missing files after \(moment)")
            if after == before { continue }
            // Otherwise the new reports, all of them and complete.
            #expect(after["articles.jsonl"] == new["articles.jsonl"], "articles.jsonl mixed after \(moment)")
            #expect(after["stories.json"] == new["stories.json"], "stories.json mixed after \(moment)")
            let run = try JSONSerialization.jsonObject(with: after["run.json"] ?? Data()) as? [String: Any]
            #expect((run?["options"] as? [String: Any])?["related"] as? Int == 5, "run.json mixed after \(moment)")
            let page = String(decoding: after["report.html"] ?? Data(), as: UTF8.self)
            #expect(page.trimmingCharacters(in: .whitespacesAndNewlines).hasSuffix("</html>") && after["report.html"] != before["report.html"],
                    "report.html mixed after \(moment)")
        }
        // A run that completes removes what the killed ones left beside the directory.
        let last = try Binary.run(["cluster", corpus, "--out", out, "--quiet"])
        #expect(last.status == 0, "\(last.stderr)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path).sorted() == ["complete", "corpus", "reports"])
        #expect(try files(in: out).keys.sorted() == Self.reportNames)
    }
}
