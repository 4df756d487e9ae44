import Foundation

/// report: `Descriptions` → the files of the output directory (`articles.jsonl`,
/// `stories.json`, `changes.json`, `report.html`, `run.json`), written into its staging
/// directory and swapped in whole.
struct ReportStage {
    var threads: Int
    var log: (String) -> Void = { _ in }

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
            let clock = ContinuousClock()
            let pageStart = clock.now
            var reportSeconds = 0.0
            let stageTimes = timings.seconds
            let html = try ReviewPage().render(
                stories: descriptions.storiesFile, manifest: manifest, changes: changes, threads: threads,
                timings: {
                    reportSeconds = try reportsWritten.value()
                    log("report    " + String(format: "%8.3f s   beside the page", reportSeconds))
                    return stageTimes.merging(["report": reportSeconds]) { $1 }
                })
            try writer.writeReviewPage(bytes: html)
            timings.record(.report, reportSeconds)
            timings.record(.page, Pipeline.seconds(pageStart.duration(to: clock.now)))
            log("page      " + String(format: "%8.3f s   resident %6d MiB", timings.seconds["page"]!, ProcessMemory.residentBytes >> 20))
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
