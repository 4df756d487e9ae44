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

    /// `articles.jsonl` and `stories.json`; call `writeManifest` after them.
    public func writeReports(articles: [ArticleLine], stories: StoriesFile) throws {
        try prepareDirectory()
        let lineEncoder = JSONEncoder()
        lineEncoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        var lines = Data()
        for article in articles {
            lines.append(try lineEncoder.encode(article))
            lines.append(0x0A)
        }
        try AtomicFile.write(lines, to: path("articles.jsonl"))
        try AtomicFile.write(try Self.pretty(stories), to: path("stories.json"))
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
