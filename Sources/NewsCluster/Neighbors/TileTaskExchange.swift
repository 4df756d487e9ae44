import Foundation

/// How a `cluster` run hands its tile scan to tasks run by someone else (the Spark driver in
/// `scaleout/`): it writes the search to `directory`, says so on standard output in one line,
/// and waits for one line on standard input saying that every task's part is in `directory`:
///
///     newscluster-tile-tasks ready N DIRECTORY/search.bin
///     newscluster-tile-tasks done
///
/// Anything else on standard input, or its end, abandons the run before any report is written.
public struct TileTaskExchange: Sendable {
    public static let ready = "newscluster-tile-tasks ready"
    public static let done = "newscluster-tile-tasks done"

    public var tasks: Int
    public var directory: String

    public init(tasks: Int, directory: String) {
        self.tasks = tasks
        self.directory = directory
    }

    /// Announces the search in `searchPath` and waits until its tasks are done.
    func shareOut(_ searchPath: String) throws {
        FileHandle.standardOutput.write(Data("\(Self.ready) \(tasks) \(searchPath)\n".utf8))
        guard let line = readLine(strippingNewline: true) else {
            throw TileTasks.Failure(reason: "the tile tasks were abandoned: standard input ended before \"\(Self.done)\"")
        }
        guard line == Self.done else {
            throw TileTasks.Failure(reason: "the tile tasks were abandoned: standard input said \"\(line.prefix(200))\", not \"\(Self.done)\"")
        }
    }
}

/// `run.json`'s account of a run whose tile scan was shared out: how it ran, not what it found.
public struct TileTaskUse: Sendable, Codable, Equatable {
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

    var tasks: Int
    var searchBytes: Int
    var parts: [Part]

    enum CodingKeys: String, CodingKey {
        case tasks, parts
        case searchBytes = "search_bytes"
    }
}
