import Foundation

/// Writes `articles.jsonl`, `stories.json`, `changes.json`, `report.html` and `run.json` into a
/// directory, each atomically. The pipeline writes them into `OutputDirectory`'s staging
/// directory, which then replaces the output directory whole.
struct ReportWriter: Sendable {
    var directory: String

    init(directory: String) {
        self.directory = directory
    }

    /// Creates the directory if needed and checks that it is writable.
    func prepareDirectory() throws {
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        } catch {
            throw ReportError.cannotCreateDirectory(path: directory)
        }
        guard FileManager.default.isWritableFile(atPath: directory) else {
            throw ReportError.cannotWrite(path: directory)
        }
    }

    /// `articles.jsonl` and `stories.json`; call `writeManifest` after them. Records are
    /// written in parallel chunks (`JSONWriter`) and joined in order.
    func writeReports(articles: [ArticleLine], stories: StoriesFile, threads: Int = 1) throws {
        try prepareDirectory()
        let lines = Parallel.mapChunks(count: articles.count, threads: threads) { range -> [UInt8] in
            var bytes: [UInt8] = []
            for index in range {
                var json = JSONWriter(pretty: false)
                articles[index].write(to: &json)
                bytes.append(contentsOf: json.bytes)
                bytes.append(0x0A)
            }
            return bytes
        }
        try AtomicFile.write(pieces: lines, to: path("articles.jsonl"))
        try AtomicFile.write(pieces: Self.prettyStoriesPieces(stories, threads: threads), to: path("stories.json"))
    }

    /// The bytes `pretty(file)` gives, in pieces to be written one after the other, with the
    /// stories written in parallel at their depth.
    static func prettyStoriesPieces(_ file: StoriesFile, threads: Int) -> [[UInt8]] {
        var head = JSONWriter(pretty: true)
        head.beginObject()
        head.field("schema", file.schema)
        head.key("stories")
        var pieces = [head.bytes]
        if file.stories.isEmpty {
            pieces.append(Array("[\n\n  ]".utf8))
        } else {
            pieces.append(Array("[".utf8))
            pieces += Parallel.mapChunks(count: file.stories.count, threads: threads) { range -> [UInt8] in
                var bytes: [UInt8] = []
                for index in range {
                    var json = JSONWriter(pretty: true, baseLevel: 2)
                    file.stories[index].write(to: &json)
                    bytes.append(contentsOf: index == 0 ? Array("\n    ".utf8) : Array(",\n    ".utf8))
                    bytes.append(contentsOf: json.bytes)
                }
                return bytes
            }
            pieces.append(Array("\n  ]".utf8))
        }
        var tail = JSONWriter(pretty: true, baseLevel: 1)
        tail.value(file.tool)
        pieces.append(Array(",\n  \"tool\" : ".utf8) + tail.bytes)
        tail = JSONWriter(pretty: true, baseLevel: 1)
        tail.value(file.version)
        pieces.append(Array(",\n  \"version\" : ".utf8) + tail.bytes)
        pieces.append(Array("\n}\n".utf8))
        return pieces
    }

    /// `changes.json` of a run with a state; without one, an old `changes.json` is removed so
    /// that it is never read as this run's.
    func writeChanges(_ changes: ChangesFile?) throws {
        if let changes {
            try AtomicFile.write(try Self.pretty(changes), to: path("changes.json"))
        } else if FileManager.default.fileExists(atPath: path("changes.json")) {
            try FileManager.default.removeItem(atPath: path("changes.json"))
        }
    }

    /// `run.json`, written last: a reader that finds a new one finds the new reports.
    /// `report.html`, the review page (`ReviewPage`).
    func writeReviewPage(bytes: [UInt8]) throws {
        try AtomicFile.write(bytes, to: path("report.html"))
    }

    func writeManifest(_ manifest: RunManifest) throws {
        try AtomicFile.write(try Self.pretty(manifest), to: path("run.json"))
    }

    func path(_ name: String) -> String {
        (directory.hasSuffix("/") ? directory : directory + "/") + name
    }

    static func pretty<T: Encodable>(_ value: T) throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        var data = try encoder.encode(value)
        data.append(0x0A)
        return data
    }
}
