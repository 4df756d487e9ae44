import Foundation
import Testing
@testable import NewsCluster

/// Bad records through the binary: each is rejected (or repaired) with file, line and reason in
/// run.json and a summary on stderr; `--strict` stops at the first one.
@Suite struct BadInputTests {
    static let good = [
        #"{"id":"a1","title":"Flood closes the river road","text":"Heavy rain flooded the river road in Tarvel on Monday. Police closed the road and residents moved cars to higher ground."}"#,
        #"{"id":"a2","title":"River road flooded","text":"The river road in Tarvel was closed on Monday after heavy rain, police said, and residents moved their cars uphill."}"#,
    ]

    @Test func badRecordsAreRejectedWithFileLineAndReason() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let lines = Self.good + [
            #"{"id":"a3","text":"unterminated"#,                 // 3 malformed JSON
            #"["not","an","object"]"#,                              // 4 not an object
            #"{"text":"no id here"}"#,                              // 5 missing id
            #"{"id":"","text":"empty id"}"#,                        // 6 empty id
            #"{"id":"a7"}"#,                                        // 7 missing text
            #"{"id":"a8","text":"   "}"#,                           // 8 empty text
            #"{"id":"a1","text":"duplicate id"}"#,                  // 9 duplicate id
        ]
        let input = try dir.write("in.jsonl", lines.joined(separator: "\n") + "\n")
        let result = try Binary.run(["cluster", input, "--out", dir.file("out")])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stderr.contains("7 record(s) rejected"), "\(result.stderr)")
        let reports = try Reports(directory: dir.file("out"))
        #expect(Set(reports.storyOf.keys) == ["a1", "a2"])
        let rejected = reports.rejectedReasons
        #expect(rejected.map(\.line) == [3, 4, 5, 6, 7, 8, 9])
        #expect(rejected.allSatisfy { $0.file == input })
        let reasons = rejected.map(\.reason)
        try #require(reasons.count == 7)
        #expect(reasons[0].hasPrefix("malformed JSON"))
        #expect(reasons[1] == "not a JSON object")
        #expect(reasons[2] == "missing id")
        #expect(reasons[3] == "empty id")
        #expect(reasons[4] == "missing text")
        #expect(reasons[5] == "empty text")
        #expect(reasons[6].contains("duplicate id") && reasons[6].contains(":1"))
    }

    @Test func invalidUTF8IsRepairedAndListedAsAWarning() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        var bytes = Array((Self.good[0] + "\n").utf8)
        bytes += Array(#"{"id":"bad","text":"caf"#.utf8) + [0xC3, 0x28] + Array("\"}\n".utf8)
        let input = try dir.write("in.jsonl", bytes: bytes)
        let result = try Binary.run(["cluster", input, "--out", dir.file("out"), "--quiet"])
        #expect(result.status == 0)
        #expect(result.stderr.contains("1 repaired"))
        let reports = try Reports(directory: dir.file("out"))
        #expect(reports.storyOf["bad"] != nil)
        #expect(reports.warnings.map(\.line) == [2])
        #expect(reports.warnings.first?.reason.contains("U+FFFD") == true)
    }

    @Test func nulAndControlBytesAreRepairedOrRejectedNeverDropped() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        var bytes = Array((Self.good.joined(separator: "\n") + "\n").utf8)
        // 3: escaped NUL and ESC in the text; 4: raw NUL and BEL bytes inside the text string.
        bytes += Array(#"{"id":"c3","text":"Flood\u0000warning\u001b issued for the river road in Tarvel."}"#.utf8) + [0x0A]
        bytes += Array(#"{"id":"c4","text":"Police"#.utf8) + [0x00, 0x07] + Array(#"closed the road."}"#.utf8) + [0x0A]
        // 5: NUL in the id; 6: a run of NULs where a line was; 7: a raw NUL between members.
        bytes += Array(#"{"id":"c\u00005","text":"x"}"#.utf8) + [0x0A]
        bytes += [UInt8](repeating: 0, count: 32) + [0x0A]
        bytes += Array(#"{"id":"c7","#.utf8) + [0x00] + Array(#""text":"x"}"#.utf8) + [0x0A]
        let input = try dir.write("in.jsonl", bytes: bytes)
        let result = try Binary.run(["cluster", input, "--out", dir.file("out"), "--quiet"])
        #expect(result.status == 0, "\(result.stderr)")
        let reports = try Reports(directory: dir.file("out"))
        #expect(Set(reports.storyOf.keys) == ["a1", "a2", "c3", "c4"])
        #expect(reports.warnings.map(\.line) == [3, 4])
        try #require(reports.warnings.count == 2)
        #expect(reports.warnings[0].reason == "control characters replaced with spaces in text")
        #expect(reports.warnings[1].reason.contains("unescaped control characters"))
        #expect(reports.rejectedReasons.map(\.line) == [5, 6, 7])
        try #require(reports.rejectedReasons.count == 3)
        #expect(reports.rejectedReasons[0].reason == "id contains control character U+0000")
        #expect(reports.rejectedReasons[1].reason.hasPrefix("malformed JSON: control character U+0000 at byte 1"))
        #expect(reports.rejectedReasons[2].reason.hasPrefix("malformed JSON: control character U+0000 at byte 12"))
        // Every line is in the output or listed.
        #expect(reports.storyOf.count + reports.rejectedReasons.count == 7)
        #expect((reports.run["counts"] as? [String: Any])?["read"] as? Int == 7)
    }

    @Test func deeplyNestedLinesAreRejectedNotACrash() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let lines = Self.good + [
            String(repeating: "[", count: 100_000),                                            // 3
            #"{"id":"n4","text":"x","tags":"# + String(repeating: #"{"a":"#, count: 100_000),  // 4
        ]
        let input = try dir.write("in.jsonl", lines.joined(separator: "\n"))
        let result = try Binary.run(["cluster", input, "--out", dir.file("out"), "--quiet"])
        #expect(result.status == 0, "\(result.stderr)")
        let reports = try Reports(directory: dir.file("out"))
        #expect(Set(reports.storyOf.keys) == ["a1", "a2"])
        #expect(reports.rejectedReasons.map(\.line) == [3, 4])
        #expect(reports.rejectedReasons.allSatisfy { $0.reason.hasPrefix("malformed JSON: nested deeper than 512 levels") })
    }

    @Test func anEmptyFileFailsWithoutWritingUnlessAllowed() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let input = try dir.write("empty.jsonl", "")
        let refused = try Binary.run(["cluster", input, "--out", dir.file("out"), "--quiet"])
        #expect(refused.status == 5)
        #expect(refused.stderr.contains("the input holds no record") && refused.stderr.contains("--allow-empty"),
                "\(refused.stderr)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path) == ["empty.jsonl"])
        let result = try Binary.run(["cluster", input, "--out", dir.file("out"), "--quiet", "--allow-empty"])
        #expect(result.status == 0, "\(result.stderr)")
        let reports = try Reports(directory: dir.file("out"))
        #expect(reports.articles.isEmpty && reports.stories.isEmpty)
        #expect(reports.rejectedReasons.isEmpty && reports.warnings.isEmpty)
        #expect((reports.run["counts"] as? [String: Any])?["read"] as? Int == 0)
    }

    @Test func byteOrderMarkAndCRLFAreAcceptedSilently() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let input = try dir.write("in.jsonl", bytes: [0xEF, 0xBB, 0xBF] + Array(Self.good.joined(separator: "\r\n").utf8) + [0x0D, 0x0A])
        let result = try Binary.run(["cluster", input, "--out", dir.file("out"), "--quiet"])
        #expect(result.status == 0)
        #expect(result.stderr.isEmpty, "\(result.stderr)")
        let reports = try Reports(directory: dir.file("out"))
        #expect(Set(reports.storyOf.keys) == ["a1", "a2"])
        #expect(reports.rejectedReasons.isEmpty && reports.warnings.isEmpty)
    }

    @Test func strictStopsAtTheFirstBadRecordNamingFileAndLine() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let input = try dir.write("in.jsonl", (Self.good + [#"{"id":"x"}"#, "{oops"]).joined(separator: "\n"))
        let result = try Binary.run(["cluster", input, "--out", dir.file("out"), "--strict"])
        #expect(result.status == 3)
        #expect(result.stderr.contains("\(input):3: missing text"), "\(result.stderr)")
        #expect(!FileManager.default.fileExists(atPath: dir.file("out/articles.jsonl")))
    }

    @Test func unreadablePathFailsAtOnce() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let missing = dir.file("nope.jsonl")
        let result = try Binary.run(["cluster", missing, "--out", dir.file("out")])
        #expect(result.status == 1)
        #expect(result.stderr.contains(missing) && result.stderr.contains("no such file"), "\(result.stderr)")
    }

    @Test func unwritableOutputFailsBeforeTheWork() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let input = try dir.write("in.jsonl", Self.good.joined(separator: "\n"))
        let blocker = try dir.write("file", "a file where the output directory should go")
        let result = try Binary.run(["cluster", input, "--out", blocker + "/out"])
        #expect(result.status == 1)
        #expect(result.stderr.contains("cannot create the output directory"), "\(result.stderr)")
        #expect(!result.stderr.contains("read "), "the run should stop before reading")
    }

    @Test func directoryReadsJSONLAndTextFilesAndIgnoresTheRest() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        _ = try dir.write("a.jsonl", Self.good.joined(separator: "\n"))
        _ = try dir.write("t1.txt", "\n\nStorm hits the coast\n\nA storm hit the coast of Varn on Friday, cutting power to thousands of homes.\n")
        _ = try dir.write("gold.tsv", "id\tstory\nnot\tinput\n")
        _ = try dir.write("README.md", "# not input\n")
        let out = try TemporaryDirectory()
        defer { out.remove() }
        let result = try Binary.run(["cluster", dir.path, "--out", out.path, "--quiet"])
        #expect(result.status == 0, "\(result.stderr)")
        let reports = try Reports(directory: out.path)
        #expect(Set(reports.storyOf.keys) == ["a1", "a2", "t1"])
        let story = try reports.stories.first { try #require($0["members"] as? [[String: Any]]).contains { $0["id"] as? String == "t1" } }
        let member = (story?["members"] as? [[String: Any]])?.first
        #expect(member?["title"] as? String == "Storm hits the coast")
    }

    /// A gzip file of `count` good records, cut short at two thirds of its bytes.
    private static func truncatedGzip(records count: Int, in dir: TemporaryDirectory) throws -> String {
        let lines = (1...count).map { number in
            #"{"id":"r\#(number)","title":"Flood closes road \#(number)","text":"Heavy rain flooded river road \#(number) in Tarvel on Monday; police closed it."}"#
        }
        let compressed = Decompressor.compress(Array(lines.map { $0 + "\n" }.joined().utf8), as: .gzip)
        return try dir.write("news.jsonl.gz", bytes: Array(compressed.prefix(compressed.count * 2 / 3)))
    }

    @Test func aTruncatedGzipKeepsTheRecordsBeforeTheBreakAndListsIt() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let input = try Self.truncatedGzip(records: 400, in: dir)
        let result = try Binary.run(["cluster", input, "--out", dir.file("out"), "--quiet"])
        #expect(result.status == 0, "\(result.stderr)")
        let reports = try Reports(directory: dir.file("out"))
        let kept = reports.articles.count
        #expect(kept > 0 && kept < 400)
        let rejected = try #require(reports.rejectedReasons.first)
        #expect(reports.rejectedReasons.count == 1)
        #expect(rejected.file == input)
        #expect(rejected.line == kept + 1)
        #expect(rejected.reason == "gzip stream truncated after line \(kept)")
        #expect(result.stderr.contains("1 record(s) rejected"), "\(result.stderr)")
    }

    @Test func aTruncatedGzipStopsAStrictRun() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let input = try Self.truncatedGzip(records: 400, in: dir)
        let result = try Binary.run(["cluster", input, "--out", dir.file("out"), "--strict"])
        #expect(result.status == 3)
        #expect(result.stderr.contains(input + ":") && result.stderr.contains("gzip stream truncated after line"), "\(result.stderr)")
        #expect(!FileManager.default.fileExists(atPath: dir.file("out/articles.jsonl")))
    }

    @Test func aFolderWithoutInputFilesIsAnErrorNamingIt() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let empty = dir.file("empty"), unknown = dir.file("unknown")
        try FileManager.default.createDirectory(atPath: empty, withIntermediateDirectories: false)
        try FileManager.default.createDirectory(atPath: unknown, withIntermediateDirectories: false)
        _ = try dir.write("unknown/gold.tsv", "id\tstory\n")
        for folder in [empty, unknown] {
            let result = try Binary.run(["cluster", folder, "--out", dir.file("out")])
            #expect(result.status == 1, "\(result.stderr)")
            #expect(result.stderr.contains(folder + ": no input files in the directory"), "\(result.stderr)")
            #expect(!FileManager.default.fileExists(atPath: dir.file("out/articles.jsonl")))
        }
    }
}
