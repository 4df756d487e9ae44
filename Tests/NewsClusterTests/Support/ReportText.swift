import Foundation
@testable import NewsCluster

extension ReviewPage {
    /// The page as text, for tests that search it.
    func renderText(
        stories: StoriesFile, manifest: RunManifest, changes: ChangesFile?, threads: Int = 1,
        timings: (() throws -> [String: Double])? = nil
    ) throws -> String {
        String(decoding: try render(stories: stories, manifest: manifest, changes: changes, threads: threads,
                                    timings: timings), as: UTF8.self)
    }
}

extension ReportWriter {
    /// `stories.json`'s bytes in one buffer, to compare with `pretty(file)`.
    static func prettyStories(_ file: StoriesFile, threads: Int) -> Data {
        Data(prettyStoriesPieces(file, threads: threads).joined())
    }
}

extension ReportWriter {
    /// The two reports, then `run.json`, as a run writes them.
    func write(articles: [ArticleLine], stories: StoriesFile, manifest: RunManifest) throws {
        try writeReports(articles: articles, stories: stories)
        try writeManifest(manifest)
    }
}
