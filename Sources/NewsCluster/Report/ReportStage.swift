import Foundation

/// report: `Descriptions` → the files of the output directory (`articles.jsonl`,
/// `stories.json`, `changes.json`, `report.html`, `run.json`), written into its staging
/// directory and swapped in whole.
struct ReportStage {
    var threads: Int

    func run(
        _ descriptions: Descriptions, changes: ChangesFile?, manifest: inout RunManifest,
        timings: inout Timings, into output: OutputDirectory
    ) throws {
        let writer = ReportWriter(directory: output.staging)
        let threads = self.threads
        // The JSON reports are written beside the page's stories, which are most of the page;
        // the page then shows the report stage's time too.
        let reportsWritten = Background { [articleLines = descriptions.articleLines, storiesFile = descriptions.storiesFile] () throws -> Double in
            let start = ContinuousClock.now
            try writer.writeReports(articles: articleLines, stories: storiesFile, threads: threads)
            try writer.writeChanges(changes)
            return Pipeline.seconds(start.duration(to: .now))
        }
        do {
            let pageStart = timings.now
            var stageTimes = timings
            let html = try ReviewPage().render(
                stories: descriptions.storiesFile, manifest: manifest, changes: changes, threads: threads,
                timings: {
                    stageTimes.recordBeside(.report, try reportsWritten.value(), beside: "the page")
                    return stageTimes.seconds
                })
            try writer.writeReviewPage(bytes: html)
            timings = stageTimes
            timings.stop(.page, since: pageStart)
        } catch {
            _ = try? reportsWritten.value()
            throw error
        }
        // run.json carries the report stage's time and the total, so it is written once, last.
        timings.finish()
        manifest.timings = timings.seconds
        try writer.writeManifest(manifest)
        try output.commit()
    }
}
