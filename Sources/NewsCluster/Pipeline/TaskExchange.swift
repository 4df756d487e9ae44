import Foundation

/// How a `cluster` run hands its stages' work to tasks run by someone else (the Spark driver in
/// `scaleout/`). For each kind of task, in order (`Kind`), it writes what the tasks need to one
/// file in `directory`, says so on standard output in one line, and waits for one line on
/// standard input saying that every task's part is in `directory` as `KIND-t.bin`:
///
///     newscluster-tasks ready read 9 DIRECTORY/read.bin
///     newscluster-tasks done
///     newscluster-tasks ready terms 9 DIRECTORY/terms.bin
///     …
///
/// Task t of such a line runs `newscluster stage KIND-task --in PATH --task t --tasks COUNT
/// --out DIRECTORY/KIND-t.bin`. Anything else on standard input, or its end, abandons the run
/// before any report is written.
public struct TaskExchange: Sendable {
    public static let ready = "newscluster-tasks ready"
    public static let done = "newscluster-tasks done"

    /// The kinds of task, in the order a run shares them out.
    public enum Kind: String, Sendable, Codable, CaseIterable {
        /// Read one shard of the input (`ReadTasks`).
        case read
        /// Clean and count one shard's terms, and its document frequencies (`TermTasks`).
        case terms
        /// One shard's TF-IDF rows, with the run's vocabulary (`TermTasks`).
        case vectors
        /// A share of the neighbour search's tiles (`TileTasks`).
        case tiles
    }

    /// Tile tasks (the other kinds have one task per input shard).
    public var tasks: Int
    public var directory: String

    /// - Parameter directory: made absolute, for tasks whose working directory is another.
    public init(tasks: Int, directory: String) {
        self.tasks = tasks
        self.directory = directory.hasPrefix("/")
            ? directory : FileManager.default.currentDirectoryPath + "/" + directory
    }

    /// Where the tasks of `kind` read what they need.
    func inputPath(_ kind: Kind) -> String { "\(directory)/\(kind.rawValue).bin" }

    /// Where task `task` of `kind` leaves its part.
    func partPaths(_ kind: Kind, count: Int) -> [String] {
        (0..<count).map { "\(directory)/\(kind.rawValue)-\($0).bin" }
    }

    /// Announces `count` tasks of `kind`, whose input is in `inputPath(kind)`, and waits until
    /// they are done; returns the seconds that took.
    @discardableResult
    func shareOut(_ kind: Kind, count: Int) throws -> Double {
        let start = ContinuousClock.now
        FileHandle.standardOutput.write(Data("\(Self.ready) \(kind.rawValue) \(count) \(inputPath(kind))\n".utf8))
        guard let line = readLine(strippingNewline: true) else {
            throw TaskFailure(reason: "the \(kind.rawValue) tasks were abandoned: standard input ended before \"\(Self.done)\"")
        }
        guard line == Self.done else {
            throw TaskFailure(reason: "the \(kind.rawValue) tasks were abandoned: standard input said \"\(line.prefix(200))\", not \"\(Self.done)\"")
        }
        return Pipeline.seconds(ContinuousClock.now - start)
    }
}

/// A task's input or part that cannot be used, or tasks that were abandoned.
public struct TaskFailure: Error, CustomStringConvertible, Equatable {
    var reason: String
    public var description: String { reason }

    /// Refuses a task's input file at `path` that is not of the format `expected` (it says
    /// `format`, as `kind` — "plan", "work file", "search file"), that another build wrote
    /// (`binary`), or that has no task `task`: it has `count` tasks (`holder` and `unit` say
    /// whose and what: "the run", "shards"), which a task given a count (`tasks`) checks too.
    static func checkInput(
        _ path: String, kind: String, format: String, expected: String, binary: String,
        holder: String, count: Int, unit: String, task: Int, tasks: Int?
    ) throws {
        guard format == expected else { throw TaskFailure(reason: "\(path): a \(kind) of format \(format), not \(expected)") }
        guard binary == TileTasks.binaryIdentity else {
            throw TaskFailure(reason: "\(path) was written by newscluster \(binary); this is \(TileTasks.binaryIdentity): every task must run the driver's binary (the same archive)")
        }
        if let tasks, tasks != count { throw TaskFailure(reason: "\(path): \(holder) has \(count) \(unit), not \(tasks)") }
        guard (0..<count).contains(task) else {
            throw TaskFailure(reason: "\(path): \(holder) has \(count) \(unit), so there is no task \(task)")
        }
    }
}

/// What the part of a read, terms or vectors task says of itself: which run and task it is of.
protocol TaskPart: Codable {
    static var format: String { get }
    var format: String { get }
    var run: String { get }
    var task: Int { get }
}

extension SectionFile.Reader {
    /// This file's payload as the part of task `task` of `kind` of run `run`, or a failure
    /// naming the file when it is another's.
    func part<Part: TaskPart>(_ type: Part.Type, of kind: TaskExchange.Kind, task: Int, run: String) throws -> Part {
        let part = try payload(Part.self)
        guard part.format == Part.format, part.run == run, part.task == task else {
            throw TaskFailure(reason: "\(path) is not the part of \(kind.rawValue) task \(task) of this run (\(part.run), task \(part.task); this is \(run))")
        }
        return part
    }
}

/// `run.json`'s account of a run whose stages were shared out: how it ran, not what it found.
public struct ScaleoutUse: Sendable, Codable, Equatable {
    public struct Part: Sendable, Codable, Equatable {
        var task: Int
        /// Positions (articles) the task read.
        var positions: Int
        var tiles: Int
        var blasCore: String
        var seconds: Double

        enum CodingKeys: String, CodingKey {
            case task, positions, tiles, seconds
            case blasCore = "blas_core"
        }
    }

    /// One kind of task: how many ran, and the seconds from their announcement to their end.
    public struct Phase: Sendable, Codable, Equatable {
        var kind: TaskExchange.Kind
        var tasks: Int
        var seconds: Double
    }

    /// Tile tasks.
    var tasks: Int
    var searchBytes: Int
    /// The tile tasks' parts.
    var parts: [Part]
    var phases: [Phase] = []

    enum CodingKeys: String, CodingKey {
        case tasks, parts, phases
        case searchBytes = "search_bytes"
    }
}
