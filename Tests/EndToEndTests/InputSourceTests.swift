import Foundation
import Testing
@testable import NewsCluster

/// Input as users have it, through the binary: gzip and zstd files, standard input (`-` and
/// `/dev/stdin`), a FIFO and a process substitution. Each run must give the articles.jsonl of
/// the plain file, also when texts are read twice and with a state, which both read records
/// again by offset (from a spool for these inputs).
@Suite("Compressed and piped input", .serialized)
struct InputSourceTests {
    static let plain = DemoCorpusTests.corpus + "/articles.jsonl"

    /// The demo's articles.jsonl as clustered from the plain file with `options`.
    private func reference(_ options: [String], in directory: TemporaryDirectory) throws -> Data {
        let out = directory.file("reference")
        let result = try Binary.run(["cluster", Self.plain, "--out", out, "--quiet"] + options)
        try #require(result.status == 0, "\(result.stderr)")
        return try Data(contentsOf: URL(fileURLWithPath: out + "/articles.jsonl"))
    }

    /// Runs `cluster INPUT --out OUT options`, with `standardInput` on a pipe; the run.json
    /// input entries and the articles.jsonl.
    private func cluster(
        _ input: String, _ options: [String] = [], standardInput: Data? = nil, in directory: TemporaryDirectory
    ) throws -> (inputs: [[String: Any]], articles: Data) {
        let out = directory.file("out-\(UUID().uuidString)")
        let result = try Binary.run(["cluster", input, "--out", out, "--quiet"] + options, standardInput: standardInput)
        try #require(result.status == 0, "\(result.stderr)")
        let reports = try Reports(directory: out)
        #expect(reports.rejectedReasons.isEmpty)
        let inputs = try #require(reports.run["inputs"] as? [[String: Any]])
        return (inputs, try Data(contentsOf: URL(fileURLWithPath: out + "/articles.jsonl")))
    }

    private func compressed(_ format: Decompressor.Format) throws -> [UInt8] {
        Decompressor.compress(Array(try Data(contentsOf: URL(fileURLWithPath: Self.plain))), as: format)
    }

    @Test(arguments: Decompressor.Format.allCases)
    func aCompressedFileClustersAsThePlainOne(_ format: Decompressor.Format) throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let bytes = try compressed(format)
        // The name says nothing: the magic bytes tell.
        let path = try directory.write("articles.data", bytes: bytes)
        for options in [[], ["--read-texts-twice"], ["--state", directory.file("state-\(format).sqlite")]] {
            let (inputs, articles) = try cluster(path, options, in: directory)
            #expect(articles == (try reference(options.first == "--state" ? [] : options, in: directory)), "\(options)")
            #expect(inputs.first?["format"] as? String == "jsonl+\(format)")
            #expect(inputs.first?["bytes"] as? Int == bytes.count)
            #expect(inputs.first?["records"] as? Int == 60)
        }
    }

    @Test func aStateNightOnAGzipInputMatchesOneOnThePlainFile() throws {
        // The second night takes most records from the state and reads their texts again
        // only where needed: from the spool of the decompressed text.
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let gzip = try directory.write("articles.jsonl.gz", bytes: try compressed(.gzip))
        var nights: [String: [Data]] = [:]
        for (name, input) in [("plain", Self.plain), ("gzip", gzip)] {
            let state = directory.file("\(name).sqlite")
            for _ in 0..<2 { nights[name, default: []].append(try cluster(input, ["--state", state], in: directory).articles) }
        }
        #expect(nights["plain"]?.count == 2)
        #expect(nights["gzip"] == nights["plain"])
    }

    @Test(arguments: [[], ["--read-texts-twice"], ["--state"]])
    func standardInputIsReadToTheEnd(_ options: [String]) throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let plain = try Data(contentsOf: URL(fileURLWithPath: Self.plain))
        let expected = try reference(options == ["--read-texts-twice"] ? options : [], in: directory)
        for (input, bytes, format) in [("-", plain, "jsonl (stdin)"), ("/dev/stdin", plain, "jsonl (pipe)"),
                                       ("-", Data(try compressed(.gzip)), "jsonl+gzip (stdin)")] {
            // A first night each: a night after another one may group otherwise.
            let extra = options == ["--state"] ? ["--state", directory.file("state-\(UUID().uuidString).sqlite")] : options
            let (inputs, articles) = try cluster(input, extra, standardInput: bytes, in: directory)
            #expect(articles == expected, "\(input) \(format)")
            #expect(inputs.first?["format"] as? String == format)
            #expect(inputs.first?["bytes"] as? Int == bytes.count)
            #expect(inputs.first?["path"] as? String == input)
        }
    }

    @Test func standardInputGivenTwiceIsReadOnce() throws {
        // The second `-` finds the pipe at its end: no records, and the texts of the first
        // read are read again from the first read's spool, not from the second's, empty one.
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let plain = try Data(contentsOf: URL(fileURLWithPath: Self.plain))
        let (inputs, articles) = try cluster("-", ["-", "--read-texts-twice"], standardInput: plain, in: directory)
        #expect(articles == (try reference(["--read-texts-twice"], in: directory)))
        #expect(inputs.map { $0["records"] as? Int } == [60, 0])
    }

    /// The limit only stops a hang (a writer that never opens the FIFO leaves the run blocked):
    /// two runs on the 60-article demo take seconds even on a loaded host.
    @Test(.timeLimit(.minutes(2))) func aFIFOIsReadToTheEnd() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let fifo = directory.file("input.fifo")
        try #require(mkfifo(fifo, 0o600) == 0)
        let bytes = Data(try compressed(.zstd))
        Thread.detachNewThread {
            // Blocks until the binary opens the other end.
            guard let handle = FileHandle(forWritingAtPath: fifo) else { return }
            try? handle.write(contentsOf: bytes)
            try? handle.close()
        }
        let (inputs, articles) = try cluster(fifo, ["--read-texts-twice"], in: directory)
        #expect(articles == (try reference(["--read-texts-twice"], in: directory)))
        #expect(inputs.first?["format"] as? String == "jsonl+zstd (pipe)")
    }

    @Test func aProcessSubstitutionIsReadToTheEnd() throws {
        // `newscluster cluster <(cat articles.jsonl)`: the path is /dev/fd/63 or the like.
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let out = directory.file("out")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/bash")
        process.arguments = ["-c", #""$0" cluster <(cat "$1") --out "$2" --quiet"#, Binary.path, Self.plain, out]
        try process.run()
        process.waitUntilExit()
        try #require(process.terminationStatus == 0)
        let articles = try Data(contentsOf: URL(fileURLWithPath: out + "/articles.jsonl"))
        #expect(articles == (try reference([], in: directory)))
        let inputs = try #require(try Reports(directory: out).run["inputs"] as? [[String: Any]])
        #expect((inputs.first?["path"] as? String)?.hasPrefix("/dev/fd/") == true)
        #expect(inputs.first?["format"] as? String == "jsonl (pipe)")
    }
}
