import Foundation
import Testing

@Suite struct CommandLineTests {
    @Test func helpExplainsEveryOptionWithItsDefault() throws {
        let result = try Binary.run(["cluster", "--help"])
        #expect(result.status == 0)
        let help = result.stdout
        for option in ["--out", "--duplicate-threshold", "--story-threshold", "--related", "--window-days",
                       "--threads", "--strict", "--quiet", "--keep-boilerplate"] {
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
    }

    @Test func windowAndThreadsAreHonoured() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let corpus = Binary.packageRoot.appendingPathComponent("Corpora/demo").path
        let result = try Binary.run(["cluster", corpus, "--out", dir.path, "--quiet", "--window-days", "1", "--threads", "1"])
        #expect(result.status == 0, "\(result.stderr)")
        let run = try Reports(directory: dir.path).run
        let options = try #require(run["options"] as? [String: Any])
        #expect(options["window_days"] as? Double == 1)
        #expect(options["threads"] as? Int == 1)
        #expect((run["blas"] as? [String: Any])?["threads"] as? Int == 1)
    }
}
