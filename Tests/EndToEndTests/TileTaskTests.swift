import Foundation
import Testing

/// `cluster --tile-tasks`, driven as the Spark driver in scaleout/ drives it: the test reads the
/// announcement, runs each `stage tile-task` itself (as executors would), and says the tasks
/// are done. The reports are those of one machine.
@Suite(.serialized)
struct TileTaskTests {
    let directory: TemporaryDirectory
    let corpus: String

    /// Each test has its own (Swift Testing makes the suite anew for each).
    init() throws {
        directory = try TemporaryDirectory()
        corpus = try Binary.generateCorpus(articles: 3_000, seed: 11, into: directory.file("corpus"))
    }

    /// A `cluster --tile-tasks` run: `driver` gets the announced search path and returns the
    /// line to answer with (nil closes standard input).
    private func sharedOut(
        _ arguments: [String], tasks: Int, work: String, driver: (String) throws -> String?
    ) throws -> Binary.Result {
        try FileManager.default.createDirectory(atPath: work, withIntermediateDirectories: true)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: Binary.path)
        process.arguments = ["cluster"] + arguments + ["--quiet", "--tile-tasks", "\(tasks)", "--tile-task-dir", work]
        let input = Pipe(), output = Pipe(), errors = Pipe()
        process.standardInput = input
        process.standardOutput = output
        process.standardError = errors
        try process.run()
        var announced = Data()
        while !announced.contains(0x0A) {
            let chunk = output.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            announced += chunk
        }
        let line = String(decoding: announced, as: UTF8.self).trimmingCharacters(in: .newlines)
        if line.isEmpty {
            process.waitUntilExit()
            return Binary.Result(status: process.terminationStatus, stdout: "",
                                 stderr: String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self))
        }
        #expect(line.hasPrefix("newscluster-tile-tasks ready \(tasks) "), "announced: \(line)")
        let answer = try driver(String(line.split(separator: " ").last ?? ""))
        if let answer { try input.fileHandleForWriting.write(contentsOf: Data((answer + "\n").utf8)) }
        try input.fileHandleForWriting.close()
        let rest = output.fileHandleForReading.readDataToEndOfFile()
        let stderr = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Binary.Result(status: process.terminationStatus, stdout: line + "\n" + String(decoding: rest, as: UTF8.self),
                             stderr: String(decoding: stderr, as: UTF8.self))
    }

    private func runTasks(_ search: String, tasks: Int, work: String) throws {
        // Last first: a task depends on the search file only.
        for task in (0..<tasks).reversed() {
            let result = try Binary.run(["stage", "tile-task", "--in", search, "--task", "\(task)", "--tasks", "\(tasks)",
                                         "--out", work + "/task-\(task).bin", "--threads", "1", "--quiet"])
            try #require(result.status == 0, "task \(task): \(result.stderr)")
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
        let plain = try Binary.run(["cluster", corpus, "--out", single, "--quiet"] + options)
        try #require(plain.status == 0, "\(plain.stderr)")
        let work = directory.file("work-\(tasks)"), out = directory.file("shared-\(tasks)")
        let result = try sharedOut([corpus, "--out", out] + options, tasks: tasks, work: work) { search in
            #expect(search == work + "/search.bin")
            try runTasks(search, tasks: tasks, work: work)
            return "newscluster-tile-tasks done"
        }
        try #require(result.status == 0, "\(result.stderr)")
        #expect(try data(out + "/articles.jsonl") == data(single + "/articles.jsonl"))
        #expect(try data(out + "/stories.json") == data(single + "/stories.json"))
        #expect(try comparableRun(out) == comparableRun(single))
        let run = try #require(try JSONSerialization.jsonObject(with: data(out + "/run.json")) as? [String: Any])
        let scaleout = try #require(run["scaleout"] as? [String: Any])
        #expect(scaleout["tasks"] as? Int == tasks)
        #expect((scaleout["parts"] as? [[String: Any]])?.count == tasks)
    }

    @Test func aDriverThatGivesUpLeavesNoReports() throws {
        defer { directory.remove() }
        let work = directory.file("work-abandoned"), out = directory.file("abandoned")
        for answer in [nil, "something else"] as [String?] {
            let result = try sharedOut([corpus, "--out", out], tasks: 2, work: work) { _ in answer }
            #expect(result.status == 1)
            #expect(result.stderr.contains("the tile tasks were abandoned"), "\(result.stderr)")
            #expect(!FileManager.default.fileExists(atPath: out + "/run.json"))
            #expect(!FileManager.default.fileExists(atPath: out + "/articles.jsonl"))
        }
    }

    @Test func aMissingPartFailsTheRunNamingTheTask() throws {
        defer { directory.remove() }
        let work = directory.file("work-missing"), out = directory.file("missing")
        let result = try sharedOut([corpus, "--out", out], tasks: 3, work: work) { search in
            try runTasks(search, tasks: 3, work: work)
            try FileManager.default.removeItem(atPath: work + "/task-1.bin")
            return "newscluster-tile-tasks done"
        }
        #expect(result.status == 1)
        #expect(result.stderr.contains("task-1.bin"), "\(result.stderr)")
        #expect(!FileManager.default.fileExists(atPath: out + "/run.json"))
    }

    @Test func tileTasksTakeNoState() throws {
        defer { directory.remove() }
        let result = try Binary.run(["cluster", corpus, "--out", directory.file("x"), "--state", directory.file("state.db"),
                                     "--tile-tasks", "2", "--tile-task-dir", directory.file("w")])
        #expect(result.status == 64)
        #expect(result.stderr.contains("--tile-tasks does not take --state"))
    }
}
