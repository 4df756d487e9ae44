import Foundation
import Testing
@testable import NewsCluster

/// `cluster --tasks`, driven as the Spark driver in scaleout/ drives it: the test reads each
/// announcement, runs the announced `stage KIND-task`s itself (as executors would), and says
/// they are done. The reports are those of one machine.
@Suite(.serialized)
struct SharedOutTests {
    let directory: TemporaryDirectory
    let corpus: String
    /// The corpus in several files: plain ones (split into byte ranges), a gzip one, a text
    /// file, an id repeated across files, a malformed line and a numeric id.
    let files: String

    /// Each test has its own (Swift Testing makes the suite anew for each).
    init() throws {
        directory = try TemporaryDirectory()
        corpus = try Binary.generateCorpus(articles: 3_000, seed: 11, into: directory.file("corpus"))
        files = directory.file("files")
        try FileManager.default.createDirectory(atPath: files, withIntermediateDirectories: true)
        var lines = try String(contentsOfFile: corpus, encoding: .utf8).split(separator: "\n").map(String.init)
        lines.insert(lines[100], at: 1_500)
        lines.insert(#"{"id": "broken", "text": "#, at: 2_000)
        lines.insert(#"{"id": 4711, "title": "A numbered record", "text": "Harbour cranes stood still on Tuesday."}"#, at: 2_500)
        let shares = [0..<1_200, 1_200..<1_700, 1_700..<lines.count]
        try (lines[shares[0]].joined(separator: "\n") + "\n").write(toFile: files + "/a.jsonl", atomically: true, encoding: .utf8)
        try Data((lines[shares[1]].joined(separator: "\n") + "\n").utf8).write(to: URL(fileURLWithPath: files + "/b.jsonl"))
        let gzip = Process()
        gzip.executableURL = URL(fileURLWithPath: "/bin/gzip")
        gzip.arguments = ["-f", files + "/b.jsonl"]
        try gzip.run()
        gzip.waitUntilExit()
        try #require(gzip.terminationStatus == 0)
        try lines[shares[2]].joined(separator: "\n").write(toFile: files + "/c.jsonl", atomically: true, encoding: .utf8)
        try "A note on the harbour\n\nThe harbour master wrote a note about cranes.\n"
            .write(toFile: files + "/note.txt", atomically: true, encoding: .utf8)
    }

    /// A line-at-a-time reader of a pipe.
    private final class Lines {
        let handle: FileHandle
        var buffer = Data()
        init(_ handle: FileHandle) { self.handle = handle }
        func next() -> String? {
            while true {
                if let newline = buffer.firstIndex(of: 0x0A) {
                    let line = String(decoding: buffer[buffer.startIndex..<newline], as: UTF8.self)
                    buffer = Data(buffer[(newline + 1)...])
                    return line
                }
                let chunk = handle.availableData
                if chunk.isEmpty { return nil }
                buffer += chunk
            }
        }
    }

    struct Announcement: Equatable {
        var kind: String
        var count: Int
        var path: String
    }

    /// A `cluster --tasks` run: `driver` gets each announcement and returns the line to answer
    /// with (nil closes standard input). Also returns the announcements.
    private func sharedOut(
        _ arguments: [String], tasks: Int, work: String, driver: (Announcement) throws -> String?
    ) throws -> (Binary.Result, [Announcement]) {
        try FileManager.default.createDirectory(atPath: work, withIntermediateDirectories: true)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: Binary.path)
        process.arguments = ["cluster"] + arguments + ["--quiet", "--tasks", "\(tasks)", "--task-dir", work]
        let input = Pipe(), output = Pipe(), errors = Pipe()
        process.standardInput = input
        process.standardOutput = output
        process.standardError = errors
        try process.run()
        // Read beside the run, so that a run that writes much to it never blocks.
        let stderr = Background { errors.fileHandleForReading.readDataToEndOfFile() }
        let lines = Lines(output.fileHandleForReading)
        var announcements: [Announcement] = []
        var stdout = ""
        var inputOpen = true
        while let line = lines.next() {
            stdout += line + "\n"
            guard line.hasPrefix("newscluster-tasks ready ") else { continue }
            let fields = line.split(separator: " ").map(String.init)
            try #require(fields.count == 5, "announced: \(line)")
            let announcement = Announcement(kind: fields[2], count: Int(fields[3]) ?? -1, path: fields[4])
            announcements.append(announcement)
            if let answer = try driver(announcement) {
                try input.fileHandleForWriting.write(contentsOf: Data((answer + "\n").utf8))
            } else {
                try input.fileHandleForWriting.close()
                inputOpen = false
            }
        }
        if inputOpen { try input.fileHandleForWriting.close() }
        process.waitUntilExit()
        return (Binary.Result(status: process.terminationStatus, stdout: stdout,
                              stderr: String(decoding: try stderr.value(), as: UTF8.self)), announcements)
    }

    /// Runs the announced tasks, last first (a task depends on its input file only).
    private func runTasks(_ announcement: Announcement, work: String) throws {
        let stage = announcement.kind == "tiles" ? "tile-task" : "\(announcement.kind)-task"
        for task in (0..<announcement.count).reversed() {
            let result = try Binary.run(["stage", stage, "--in", announcement.path, "--task", "\(task)",
                                         "--tasks", "\(announcement.count)", "--out", work + "/\(announcement.kind)-\(task).bin",
                                         "--threads", "1", "--quiet"])
            try #require(result.status == 0, "\(stage) \(task): \(result.stderr)")
        }
    }

    private func data(_ path: String) throws -> Data { try Data(contentsOf: URL(fileURLWithPath: path)) }

    /// run.json without what says how the run went: timings, rates, the output path, checks
    /// made (which depend on how the tiles were shared, as on the threads), and `scaleout`.
    private func comparableRun(_ directory: String) throws -> NSDictionary {
        var run = try #require(try JSONSerialization.jsonObject(with: data(directory + "/run.json")) as? [String: Any])
        for key in ["timings", "output", "scaleout"] { run[key] = nil }
        var blas = try #require(run["blas"] as? [String: Any])
        blas["sgemm_gflops"] = nil
        run["blas"] = blas
        var neighbors = try #require(run["neighbors"] as? [String: Any])
        for key in neighbors.keys where key.hasSuffix("_seconds") || key == "copy_checks" { neighbors[key] = nil }
        run["neighbors"] = neighbors
        return run as NSDictionary
    }

    @Test(arguments: [1, 4])
    func reportsAreThoseOfOneMachine(tasks: Int) throws {
        defer { directory.remove() }
        let options = ["--window-days", "2"]
        let single = directory.file("single-\(tasks)")
        let plain = try Binary.run(["cluster", files, "--out", single, "--quiet"] + options)
        try #require(plain.status == 0, "\(plain.stderr)")
        let work = directory.file("work-\(tasks)"), out = directory.file("shared-\(tasks)")
        let (result, announcements) = try sharedOut([files, "--out", out] + options, tasks: tasks, work: work) { announcement in
            #expect(announcement.path == work + "/\(announcement.kind).bin")
            try runTasks(announcement, work: work)
            return "newscluster-tasks done"
        }
        try #require(result.status == 0, "\(result.stderr)")
        #expect(announcements.map(\.kind) == ["read", "terms", "vectors", "tiles"])
        // A shard per compressed and text file, and the plain ones split when there are tasks for it.
        #expect(announcements[0].count >= (tasks == 1 ? 4 : 6), "\(announcements)")
        #expect(announcements.last?.count == tasks)
        #expect(try data(out + "/articles.jsonl") == data(single + "/articles.jsonl"))
        #expect(try data(out + "/stories.json") == data(single + "/stories.json"))
        #expect(try comparableRun(out) == comparableRun(single))
        let run = try #require(try JSONSerialization.jsonObject(with: data(out + "/run.json")) as? [String: Any])
        let rejected = try #require(run["rejected"] as? [[String: Any]])
        #expect(rejected.map { "\(($0["file"] as? String).map { ($0 as NSString).lastPathComponent } ?? ""):\($0["line"] ?? "")" }
                == ["b.jsonl.gz:301", "c.jsonl:301"], "\(rejected)")
        let scaleout = try #require(run["scaleout"] as? [String: Any])
        #expect(scaleout["tasks"] as? Int == tasks)
        #expect((scaleout["parts"] as? [[String: Any]])?.count == tasks)
        #expect((scaleout["phases"] as? [[String: Any]])?.compactMap { $0["kind"] as? String } == ["read", "terms", "vectors", "tiles"])
    }

    @Test func aDriverThatGivesUpLeavesNoReports() throws {
        defer { directory.remove() }
        let work = directory.file("work-abandoned"), out = directory.file("abandoned")
        for (phase, answer) in [("read", nil), ("terms", "something else"), ("tiles", nil)] as [(String, String?)] {
            let (result, _) = try sharedOut([corpus, "--out", out], tasks: 2, work: work) { announcement in
                if announcement.kind == phase { return answer }
                try runTasks(announcement, work: work)
                return "newscluster-tasks done"
            }
            #expect(result.status == 1)
            #expect(result.stderr.contains("the \(phase) tasks were abandoned"), "\(result.stderr)")
            #expect(!FileManager.default.fileExists(atPath: out + "/run.json"))
            #expect(!FileManager.default.fileExists(atPath: out + "/articles.jsonl"))
        }
    }

    @Test(arguments: ["read", "terms", "vectors", "tiles"])
    func aMissingPartFailsTheRunNamingIt(kind: String) throws {
        defer { directory.remove() }
        let work = directory.file("work-missing"), out = directory.file("missing")
        let (result, _) = try sharedOut([corpus, "--out", out], tasks: 3, work: work) { announcement in
            try runTasks(announcement, work: work)
            if announcement.kind == kind { try FileManager.default.removeItem(atPath: work + "/\(kind)-1.bin") }
            return "newscluster-tasks done"
        }
        #expect(result.status == 1)
        #expect(result.stderr.contains("\(kind)-1.bin"), "\(result.stderr)")
        #expect(!FileManager.default.fileExists(atPath: out + "/run.json"))
    }

    @Test func aPartOfAnotherRunIsRefused() throws {
        defer { directory.remove() }
        let work = directory.file("work-other"), out = directory.file("other")
        var first: Data?
        for run in 0..<2 {
            let (result, _) = try sharedOut([corpus, "--out", out], tasks: 2, work: work) { announcement in
                try runTasks(announcement, work: work)
                if announcement.kind == "terms" {
                    if let first { try first.write(to: URL(fileURLWithPath: work + "/terms-0.bin")) } else {
                        first = try data(work + "/terms-0.bin")
                    }
                }
                return "newscluster-tasks done"
            }
            if run == 0 {
                #expect(result.status == 0, "\(result.stderr)")
            } else {
                #expect(result.status == 1)
                #expect(result.stderr.contains("terms-0.bin is not the part of terms task 0 of this run"), "\(result.stderr)")
            }
        }
    }

    @Test func anInputChangedUnderTheTasksFailsTheTask() throws {
        defer { directory.remove() }
        let copy = directory.file("changing.jsonl")
        try FileManager.default.copyItem(atPath: corpus, toPath: copy)
        let work = directory.file("work-changed"), out = directory.file("changed")
        let (result, _) = try sharedOut([copy, "--out", out], tasks: 2, work: work) { announcement in
            guard announcement.kind == "terms" else {
                try runTasks(announcement, work: work)
                return "newscluster-tasks done"
            }
            // Another record in the first record's place.
            var lines = try String(contentsOfFile: copy, encoding: .utf8).split(separator: "\n", omittingEmptySubsequences: false)
            lines.swapAt(0, 1)
            try lines.joined(separator: "\n").write(toFile: copy, atomically: true, encoding: .utf8)
            let task = try Binary.run(["stage", "terms-task", "--in", announcement.path, "--task", "0",
                                       "--out", work + "/terms-0.bin", "--quiet"])
            #expect(task.status == 1)
            #expect(task.stderr.contains("changing.jsonl:1: the record changed while the run was reading it"), "\(task.stderr)")
            return nil
        }
        #expect(result.status == 1)
        #expect(!FileManager.default.fileExists(atPath: out + "/run.json"))
    }

    @Test(arguments: [["--state", "STATE"], ["--vocabulary", "VOCABULARY"], ["-"]])
    func sharedOutRunsRefuse(_ arguments: [String]) throws {
        defer { directory.remove() }
        let resolved = arguments.map { $0 == "STATE" ? directory.file("state.db") : $0 == "VOCABULARY" ? directory.file("v.json") : $0 }
        let result = try Binary.run(["cluster", corpus, "--out", directory.file("x"), "--tasks", "2", "--task-dir", directory.file("w")] + resolved)
        #expect(result.status == 64, "\(result.stderr)")
        #expect(result.stderr.contains("--tasks"), "\(result.stderr)")
    }
}
