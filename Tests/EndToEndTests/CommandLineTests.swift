import Foundation
import Testing

@Suite struct CommandLineTests {
    @Test func helpExplainsEveryOptionWithItsDefault() throws {
        let result = try Binary.run(["cluster", "--help"])
        #expect(result.status == 0)
        let help = result.stdout
        for option in ["--out", "--duplicate-threshold", "--story-threshold", "--related", "--window-days",
                       "--threads", "--strict", "--quiet", "--keep-boilerplate", "--stem-letters"] {
            #expect(help.contains(option), "help lacks \(option)")
        }
        #expect(help.contains("(default: 5)"))
        #expect(help.contains("(default: 0.8)"))
        #expect(help.contains("no window"))
        #expect(help.contains("Exit codes"))
    }

    @Test func invalidOptionsAreUsageErrors() throws {
        let result = try Binary.run(["cluster", "x.jsonl", "--out", "/tmp/x", "--story-threshold", "2"])
        #expect(result.status == 64)
        #expect(result.stderr.contains("--story-threshold"))
        let stem = try Binary.run(["cluster", "x.jsonl", "--out", "/tmp/x", "--stem-letters", "41"])
        #expect(stem.status == 64)
        #expect(stem.stderr.contains("--stem-letters must be within 0…40"), "\(stem.stderr)")
        let weight = try Binary.run(["cluster", "x.jsonl", "--out", "/tmp/x", "--stemmed-pair-weight", "2"])
        #expect(weight.status == 64)
        #expect(weight.stderr.contains("--stemmed-pair-weight must be within 0…1"), "\(weight.stderr)")
    }

    @Test func windowAndThreadsAreHonoured() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let corpus = DemoCorpusTests.corpus
        let result = try Binary.run(["cluster", corpus, "--out", dir.path, "--quiet", "--window-days", "1", "--threads", "1"])
        #expect(result.status == 0, "\(result.stderr)")
        let run = try Reports(directory: dir.path).run
        let options = try #require(run["options"] as? [String: Any])
        #expect(options["window_days"] as? Double == 1)
        #expect(options["threads"] as? Int == 1)
        #expect((run["blas"] as? [String: Any])?["threads"] as? Int == 1)
    }

    @Test func anInputThatCannotFitInMaxMemoryFailsBeforeTheWork() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let corpus = DemoCorpusTests.corpus
        let result = try Binary.run(["cluster", corpus, "--out", dir.file("out"), "--max-memory", "1M"])
        #expect(result.status == 4)
        #expect(result.stderr.contains("does not fit in memory") && result.stderr.contains("--max-memory allows 1.0 MiB"),
                "\(result.stderr)")
        // Nothing was written, not even a staging directory.
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path).isEmpty)
    }

    @Test func anOutputDirectoryHoldingOtherFilesOrTheStateIsRefused() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let corpus = DemoCorpusTests.corpus
        // The corpus folder itself: its articles.jsonl must never be replaced by a report.
        let intoInput = try Binary.run(["cluster", corpus, "--out", corpus])
        #expect(intoInput.status == 1)
        #expect(intoInput.stderr.contains("is, holds or lies inside the input"), "\(intoInput.stderr)")
        try FileManager.default.createDirectory(atPath: dir.file("other"), withIntermediateDirectories: true)
        let holdingOthers = try dir.write("other/notes.txt", "")
        let intoOthers = try Binary.run(["cluster", corpus, "--out", dir.file("other")])
        #expect(intoOthers.status == 1)
        #expect(intoOthers.stderr.contains("did not write (notes.txt)"), "\(intoOthers.stderr)")
        #expect(FileManager.default.fileExists(atPath: holdingOthers))
        let intoItself = try Binary.run(["cluster", corpus, "--out", dir.file("out"), "--state", dir.file("out/state.sqlite")])
        #expect(intoItself.status == 1)
        #expect(intoItself.stderr.contains("cannot live inside the output directory"), "\(intoItself.stderr)")
        #expect(!FileManager.default.fileExists(atPath: dir.file("out/state.sqlite")))
    }

    @Test func idsThatLookLikePathsNeverBecomeFileNames() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let ids = ["../../escaped", "/tmp/absolute", "a/b/c", "..", ".", "con", "report.html"]
        let lines = ids.enumerated().map { index, id in
            "{\"id\": \"\(id)\", \"title\": \"Title \(index)\", \"text\": \"Body of article number \(index) about rivers.\"}"
        }
        let input = try dir.write("input.jsonl", lines.joined(separator: "\n") + "\n")
        let result = try Binary.run(["cluster", input, "--out", dir.file("out"), "--quiet", "--state", dir.file("state.sqlite")])
        #expect(result.status == 0, "\(result.stderr)")
        let everything = try FileManager.default.subpathsOfDirectory(atPath: dir.path).sorted()
        #expect(everything == ["input.jsonl", "out", "out/articles.jsonl", "out/changes.json", "out/report.html",
                               "out/run.json", "out/stories.json", "state.sqlite", "state.sqlite.lock"])
        #expect(try Reports(directory: dir.file("out")).articles.count == ids.count)
    }
}
