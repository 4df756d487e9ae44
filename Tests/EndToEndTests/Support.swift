import Foundation
import Testing

/// Runs the built `newscluster` binary, as a user would.
enum Binary {
    static let packageRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// The binary next to the test bundle (the same build), or `NEWSCLUSTER_BINARY`.
    static var path: String {
        if let explicit = ProcessInfo.processInfo.environment["NEWSCLUSTER_BINARY"] { return explicit }
        var candidates: [URL] = []
        if let executable = Bundle.main.executableURL {
            candidates.append(executable.deletingLastPathComponent().appendingPathComponent("newscluster"))
        }
        candidates.append(URL(fileURLWithPath: CommandLine.arguments[0])
            .deletingLastPathComponent().appendingPathComponent("newscluster"))
        candidates.append(packageRoot.appendingPathComponent(".build/debug/newscluster"))
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0.path) }?.path
            ?? candidates.last!.path
    }

    /// Writes a generated corpus of `articles` articles (`generate-corpus`, built beside the
    /// binary) into `directory`; returns the path of its `articles.jsonl`.
    static func generateCorpus(articles: Int, seed: Int, into directory: String, options: [String] = []) throws -> String {
        let generator = URL(fileURLWithPath: path).deletingLastPathComponent().appendingPathComponent("generate-corpus")
        let process = Process()
        process.executableURL = generator
        process.arguments = ["--articles", "\(articles)", "--seed", "\(seed)", "--out", directory, "--quiet"] + options
        try process.run()
        process.waitUntilExit()
        try #require(process.terminationStatus == 0, "generate-corpus failed")
        return directory + "/articles.jsonl"
    }

    struct Result {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    /// Runs the binary with `arguments` in `directory` (the package's root unless given) and
    /// waits for it; with `standardInput`, a pipe that gives those bytes, written from another
    /// thread as the binary reads them.
    static func run(
        _ arguments: [String], environment: [String: String]? = nil, in directory: String? = nil,
        standardInput: Data? = nil
    ) throws -> Result {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = arguments
        process.currentDirectoryURL = directory.map { URL(fileURLWithPath: $0) } ?? packageRoot
        if let environment { process.environment = environment }
        let out = Pipe(), err = Pipe(), input = Pipe()
        process.standardOutput = out
        process.standardError = err
        if standardInput != nil { process.standardInput = input }
        try process.run()
        if let standardInput {
            Thread.detachNewThread {
                // The callers' runs read their input to the end, so the write never meets a
                // closed pipe (which would raise SIGPIPE in the test process).
                try? input.fileHandleForWriting.write(contentsOf: standardInput)
                try? input.fileHandleForWriting.close()
            }
        }
        // Read before waiting: a full pipe would block the child.
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        let errData = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Result(status: process.terminationStatus,
                      stdout: String(decoding: outData, as: UTF8.self),
                      stderr: String(decoding: errData, as: UTF8.self))
    }
}

/// A fresh temporary directory, removed by the caller with `remove()`.
struct TemporaryDirectory {
    let url: URL
    var path: String { url.path }

    init() throws {
        url = FileManager.default.temporaryDirectory
            .appendingPathComponent("newscluster-e2e-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    /// The directory `path` (created if missing): a folder inside another temporary directory,
    /// removed with it.
    init(at path: String) throws {
        url = URL(fileURLWithPath: path)
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    func file(_ name: String) -> String { url.appendingPathComponent(name).path }

    func write(_ name: String, _ content: String) throws -> String {
        let path = file(name)
        try Data(content.utf8).write(to: URL(fileURLWithPath: path))
        return path
    }

    func write(_ name: String, bytes: [UInt8]) throws -> String {
        let path = file(name)
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        return path
    }

    func remove() { try? FileManager.default.removeItem(at: url) }
}

/// The reports of one run, parsed.
struct Reports {
    var articles: [[String: Any]]
    var stories: [[String: Any]]
    var run: [String: Any]

    init(directory: String) throws {
        let lines = try String(contentsOfFile: directory + "/articles.jsonl", encoding: .utf8)
            .split(separator: "\n")
        articles = try lines.map {
            try #require(try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any])
        }
        let storiesFile = try #require(try JSONSerialization.jsonObject(
            with: Data(contentsOf: URL(fileURLWithPath: directory + "/stories.json"))) as? [String: Any])
        stories = try #require(storiesFile["stories"] as? [[String: Any]])
        run = try #require(try JSONSerialization.jsonObject(
            with: Data(contentsOf: URL(fileURLWithPath: directory + "/run.json"))) as? [String: Any])
    }

    // The properties below read what the binary wrote, which may be wrong: a line without the
    // expected fields, or an id written twice, is recorded as an issue (the test fails) and
    // left out, instead of a forced cast or a duplicate key crashing the whole test process.
    // They stay non-throwing so that every test reading them keeps compiling as it is.

    var storyOf: [String: String] {
        var result: [String: String] = [:]
        for article in articles {
            guard let id = article["id"] as? String, let story = article["story"] as? String else {
                Issue.record("articles.jsonl: a line without a string id and story: \(article)")
                continue
            }
            if result.updateValue(story, forKey: id) != nil { Issue.record("articles.jsonl: \(id) is reported twice") }
        }
        return result
    }

    var duplicateGroupOf: [String: String] {
        var result: [String: String] = [:]
        for article in articles {
            guard let group = article["duplicate_group"] as? String else { continue }
            guard let id = article["id"] as? String else {
                Issue.record("articles.jsonl: a line without a string id: \(article)")
                continue
            }
            result[id] = group
        }
        return result
    }

    var rejectedReasons: [(file: String, line: Int, reason: String)] {
        Self.issues(run["rejected"], named: "rejected")
    }

    var warnings: [(file: String, line: Int, reason: String)] {
        Self.issues(run["warnings"], named: "warnings")
    }

    private static func issues(_ value: Any?, named name: String) -> [(file: String, line: Int, reason: String)] {
        ((value as? [[String: Any]]) ?? []).compactMap { entry in
            guard let file = entry["file"] as? String, let line = entry["line"] as? Int,
                  let reason = entry["reason"] as? String else {
                Issue.record("run.json: a \(name) entry without a file, line and reason: \(entry)")
                return nil
            }
            return (file, line, reason)
        }
    }
}

extension Reports {
    /// The reports of the demo corpus clustered with the default options into `output`.
    static func ofTheDemo(into output: TemporaryDirectory) throws -> Reports {
        let result = try Binary.run(["cluster", DemoCorpusTests.corpus, "--out", output.path, "--quiet"])
        #expect(result.status == 0, "stderr: \(result.stderr)")
        return try Reports(directory: output.path)
    }
}

/// `gold.tsv` of a labelled corpus: id → (story, duplicate group or nil).
struct Gold {
    var story: [String: String] = [:]
    var duplicateGroup: [String: String] = [:]

    init(path: String) throws {
        let lines = try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n")
        let first = try #require(lines.first, "\(path) is empty")
        let header = first.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
        let idColumn = try #require(header.firstIndex(of: "id"), "\(path) has no id column")
        let storyColumn = try #require(header.firstIndex(of: "story"), "\(path) has no story column")
        let groupColumn = header.firstIndex(of: "duplicate_group")
        for line in lines.dropFirst() {
            let fields = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
            try #require(fields.count > max(idColumn, storyColumn), "\(path): a line without an id and story: \(line)")
            story[fields[idColumn]] = fields[storyColumn]
            if let groupColumn, groupColumn < fields.count, !fields[groupColumn].isEmpty {
                duplicateGroup[fields[idColumn]] = fields[groupColumn]
            }
        }
    }

    /// BCubed F1 of `predicted` against the gold stories (over the gold ids).
    func bcubedF1(predicted: [String: String]) -> Double {
        let ids = Array(story.keys)
        var goldMembers: [String: Set<String>] = [:]
        var predictedMembers: [String: Set<String>] = [:]
        for id in ids {
            goldMembers[story[id]!, default: []].insert(id)
            predictedMembers[predicted[id] ?? "missing:" + id, default: []].insert(id)
        }
        var precision = 0.0, recall = 0.0
        for id in ids {
            let gold = goldMembers[story[id]!]!
            let found = predictedMembers[predicted[id] ?? "missing:" + id]!
            let shared = Double(gold.intersection(found).count)
            precision += shared / Double(found.count)
            recall += shared / Double(gold.count)
        }
        precision /= Double(ids.count)
        recall /= Double(ids.count)
        return precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall)
    }

    /// Pairs of ids that share a gold duplicate group.
    var duplicatePairs: [(String, String)] {
        var byGroup: [String: [String]] = [:]
        for (id, group) in duplicateGroup { byGroup[group, default: []].append(id) }
        return byGroup.values.flatMap { members in
            let sorted = members.sorted()
            return sorted.indices.flatMap { i in sorted[(i + 1)...].map { (sorted[i], $0) } }
        }
    }
}
