import Foundation

/// Writes `articles.jsonl`, `stories.json` and `run.json` into the output directory, each
/// atomically, `run.json` last: a reader that finds a new `run.json` finds the new reports.
public struct ReportWriter {
    public var directory: String

    public init(directory: String) {
        self.directory = directory
    }

    /// Creates the directory if needed and checks that it is writable.
    public func prepareDirectory() throws {
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        } catch {
            throw ReportError.cannotCreateDirectory(path: directory)
        }
        guard FileManager.default.isWritableFile(atPath: directory) else {
            throw ReportError.cannotWrite(path: directory)
        }
    }

    public func write(articles: [ArticleLine], stories: StoriesFile, manifest: RunManifest) throws {
        try writeReports(articles: articles, stories: stories)
        try writeManifest(manifest)
    }

    /// `articles.jsonl` and `stories.json`; call `writeManifest` after them. Encoding is most
    /// of this stage's time (JSONEncoder, 3 s at 100k articles on one core), so records are
    /// encoded in parallel and spliced in order; the bytes are those of a single encoder.
    public func writeReports(articles: [ArticleLine], stories: StoriesFile, threads: Int = 1) throws {
        try prepareDirectory()
        let lineChunks = try Self.encodeInChunks(articles, threads: threads) { encoder, article in
            var line = try encoder.encode(article)
            line.append(0x0A)
            return line
        } configure: { $0.outputFormatting = [.sortedKeys, .withoutEscapingSlashes] }
        try AtomicFile.write(Data(lineChunks.joined()), to: path("articles.jsonl"))
        try AtomicFile.write(try Self.prettyStories(stories, threads: threads), to: path("stories.json"))
    }

    /// `pretty(stories)`, with the stories encoded in parallel: each is pretty-printed on its
    /// own and indented to its depth (JSON strings hold no raw newline, so every newline byte
    /// is layout; empty arrays print a blank line, which stays blank).
    static func prettyStories(_ file: StoriesFile, threads: Int) throws -> Data {
        guard !file.stories.isEmpty else { return try pretty(file) }
        let indent: [UInt8] = Array("    ".utf8)
        let entries = try encodeInChunks(file.stories, threads: threads) { encoder, story in
            let encoded = [UInt8](try encoder.encode(story))
            var indented: [UInt8] = []
            indented.reserveCapacity(encoded.count + encoded.count / 4)
            for index in encoded.indices {
                indented.append(encoded[index])
                // Blank lines (inside an empty array) stay blank.
                if encoded[index] == 0x0A && index + 1 < encoded.count && encoded[index + 1] != 0x0A {
                    indented.append(contentsOf: indent)
                }
            }
            return Data(indented)
        } configure: { $0.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes] }
        let tail = try pretty(StoriesTail(tool: file.tool, version: file.version))
        var data = Data("{\n  \"stories\" : [\n    ".utf8)
        data.append(Data(entries.joined(separator: Data(",\n    ".utf8))))
        data.append(Data("\n  ],\n".utf8))
        data.append(tail.dropFirst(2))  // "{\n" of the tail object
        return data
    }

    /// The keys of `StoriesFile` after `stories`, in sorted order.
    private struct StoriesTail: Encodable {
        var tool: String
        var version: String
    }

    /// Encodes `values` in order, in parallel chunks that each own an encoder.
    private static func encodeInChunks<T: Encodable>(
        _ values: [T], threads: Int, _ encode: (JSONEncoder, T) throws -> Data,
        configure: (JSONEncoder) -> Void
    ) throws -> [Data] {
        let chunks = min(values.count, max(1, threads * 8))
        let parts = Parallel.map(count: chunks, threads: threads) { chunk -> Result<[Data], Error> in
            let encoder = JSONEncoder()
            configure(encoder)
            return Result {
                try ((values.count * chunk / chunks)..<(values.count * (chunk + 1) / chunks)).map { try encode(encoder, values[$0]) }
            }
        }
        return try parts.flatMap { try $0.get() }
    }

    /// `run.json`, written last: a reader that finds a new one finds the new reports.
    public func writeManifest(_ manifest: RunManifest) throws {
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
