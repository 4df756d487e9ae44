import ArgumentParser
import Foundation
import NewsCluster

struct Cluster: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Cluster articles into duplicate groups and stories; write JSON reports.",
        discussion: """
        INPUT is a JSONL file (one article per line: id, text, and optionally title, url, \
        source, published, language), plain or compressed with gzip or zstd; - for standard \
        input, or a pipe such as <(zcat f.gz); or a directory (its .jsonl, .jsonl.gz and \
        .jsonl.zst files, and its .txt files: first non-empty line = title, file name = id).

        Writes articles.jsonl, stories.json and run.json into --out (and changes.json with --state).
        Exit codes: 0 success; 1 an input, output or state path cannot be used; \
        3 --strict met a bad record; 4 the input cannot fit in --max-memory; 5 the input is empty, \
        or smaller than --min-share of the state's last run (nothing written); 6 another run holds \
        the state or the output directory (see --wait); 64 invalid command line.
        """)

    @Argument(help: "JSONL files (plain, gzip or zstd), - for standard input, or directories to read.")
    var inputs: [String]

    @Option(name: .long, help: ArgumentHelp("Directory for the reports (created if missing).", valueName: "dir"))
    var out: String

    @Option(help: "Exact cosine from which two articles may be copies; confirmed by shared word 4-grams.")
    var duplicateThreshold: Float = ClusterOptions().duplicateThreshold

    @Option(help: "Average-linkage threshold on sqrt(cosine × shared-neighbour overlap): clusters merge while their mean reaches it.")
    var storyThreshold: Float = ClusterOptions().storyThreshold

    @Option(help: "Shared-neighbour sets hold this many nearest articles (story clustering).")
    var storyNeighbors: Int = ClusterOptions().storyNeighbors

    @Option(help: "Only articles at this exact cosine or more enter each other's shared-neighbour sets.")
    var storyNeighborFloor: Float = ClusterOptions().storyNeighborFloor

    @Option(help: "Weight of a title token relative to a body token.")
    var titleWeight: Float = ClusterOptions().vectorizer.titleWeight

    @Option(help: "Weight of a name: a token written capitalized inside sentences and never in lower case.")
    var nameWeight: Float = ClusterOptions().vectorizer.nameWeight

    @Option(help: "Weight of a token that starts with a digit (years, scores, counts).")
    var numberWeight: Float = ClusterOptions().vectorizer.numberWeight

    @Option(help: "Related articles from other stories listed per article.")
    var related: Int = ClusterOptions().related

    @Option(help: ArgumentHelp("Never compare articles published more than N days apart. (default: no window)", valueName: "N"))
    var windowDays: Double?

    @Option(help: "Threads for every stage, BLAS included. (default: all cores)")
    var threads: Int?

    @Flag(help: "Keep scraped-page boilerplate (taglines, author lines, teaser blocks) instead of removing it.")
    var keepBoilerplate = false

    @Flag(help: "Stop at the first rejected or repaired record (exit code 3).")
    var strict = false

    @Flag(help: "Print nothing but errors.")
    var quiet = false

    @Option(help: ArgumentHelp("Nightly state (SQLite, created if missing): unchanged articles are not tokenized again, stories keep their ids from run to run, and changes.json lists what changed.", valueName: "file"))
    var state: String?

    @Option(help: ArgumentHelp("With --state: refuse a run that accepts fewer articles than this share of the state's last run (a failed scrape, a missing file), before it writes anything (exit code 5).", valueName: "share"))
    var minShare: Double = InputShrinkGuard().minimumShare

    @Flag(help: "With --state: accept a run below --min-share (the corpus did shrink); the missing articles leave their stories.")
    var allowShrink = false

    @Flag(help: "Accept an input without any article: write empty reports (and with --state, mark every story as left) instead of failing with exit code 5.")
    var allowEmpty = false

    @Flag(help: "Wait for another run that holds the state or the output directory instead of failing at once (exit code 6).")
    var wait = false

    @Option(help: "Dimension of the random projection compared with sgemm to pick each article's candidates (speed against candidate recall).")
    var projectionDimensions: Int = ClusterOptions().projectionDimensions

    @Option(help: "Best projected candidates per article that are re-scored exactly.")
    var candidatesPerArticle: Int = ClusterOptions().candidatesPerArticle

    @Option(help: "Terms in at most this many articles are compared exactly through an inverted index (names, numbers, story words the projection would blur); 0 turns it off.")
    var rareTermDocuments: Int = ClusterOptions().rareTermDocuments

    @Option(help: ArgumentHelp("Memory the run may plan for, such as 8G or 512M. An input whose texts would not fit (about three times its size) is read twice instead of held in memory; the sgemm tiles shrink to fit; an input that cannot fit at all (about 8 KB per article) fails before the work (exit code 4). (default: half of physical memory)", valueName: "size"))
    var maxMemory: String?

    @Flag(help: "Read each text again when it is cleaned and counted instead of holding the texts in memory, whatever the input's size (what --max-memory chooses for large inputs): less memory, one more read of the input.")
    var readTextsTwice = false

    @Option(help: ArgumentHelp("Score with the vocabulary and IDF in this file (written by --write-vocabulary) instead of fitting them on the input: a run without state then gives a night's reports.", valueName: "file"))
    var vocabulary: String?

    @Option(help: ArgumentHelp("Write the vocabulary and IDF this run scored with to this file.", valueName: "file"))
    var writeVocabulary: String?

    @Flag(help: "With --state: fit a new vocabulary generation on this run's articles instead of reusing the stored one (every stored pair is then scored again).")
    var refreshVocabulary = false

    @Option(help: ArgumentHelp("With --state: refit the vocabulary when this run's document frequencies move the IDF a term occurrence carries by more than this share on average (it is refitted anyway after \(VocabularyPolicy().maximumRuns) runs).", valueName: "share"))
    var vocabularyMaxDrift: Double = VocabularyPolicy().maximumDrift

    @Flag(help: "Also compute every pair's exact cosine by brute force and report in run.json which share of the pairs above the duplicate and story thresholds the neighbour search found (for benchmarks; slow on large inputs).")
    var measureRecall = false

    func validate() throws {
        guard !inputs.isEmpty else { throw ValidationError("Give at least one INPUT.") }
        guard (0...1).contains(duplicateThreshold) else { throw ValidationError("--duplicate-threshold must be within 0…1.") }
        guard (0...1).contains(storyThreshold) else { throw ValidationError("--story-threshold must be within 0…1.") }
        guard related >= 0 else { throw ValidationError("--related must be 0 or more.") }
        if let windowDays, windowDays <= 0 { throw ValidationError("--window-days must be positive.") }
        guard (16...4096).contains(projectionDimensions) else { throw ValidationError("--projection-dimensions must be within 16…4096.") }
        guard rareTermDocuments >= 0 else { throw ValidationError("--rare-term-documents must be 0 or more.") }
        guard candidatesPerArticle >= 1 else { throw ValidationError("--candidates-per-article must be at least 1.") }
        if let threads, threads < 1 { throw ValidationError("--threads must be at least 1.") }
        if let maxMemory, ByteCount.parse(maxMemory) == nil {
            throw ValidationError("--max-memory must be a size such as 8G, 512M or 1000000 (bytes).")
        }
        guard (0...1).contains(vocabularyMaxDrift) else { throw ValidationError("--vocabulary-max-drift must be within 0…1.") }
        guard (0...1).contains(minShare) else { throw ValidationError("--min-share must be within 0…1.") }
        guard storyNeighbors >= 1 else { throw ValidationError("--story-neighbors must be at least 1.") }
        guard (0...1).contains(storyNeighborFloor) else { throw ValidationError("--story-neighbor-floor must be within 0…1.") }
        for (name, weight) in [("--title-weight", titleWeight), ("--name-weight", nameWeight), ("--number-weight", numberWeight)]
        where !(weight >= 0 && weight <= 100) {
            throw ValidationError("\(name) must be within 0…100.")
        }
    }

    func run() throws {
        var options = ClusterOptions()
        options.duplicateThreshold = duplicateThreshold
        options.storyThreshold = storyThreshold
        options.storyNeighbors = storyNeighbors
        options.storyNeighborFloor = storyNeighborFloor
        options.vectorizer.titleWeight = titleWeight
        options.vectorizer.nameWeight = nameWeight
        options.vectorizer.numberWeight = numberWeight
        options.related = related
        options.windowDays = windowDays
        if let threads { options.threads = threads }
        options.keepBoilerplate = keepBoilerplate
        options.strict = strict
        options.measureRecall = measureRecall
        options.projectionDimensions = projectionDimensions
        options.statePath = state
        options.candidatesPerArticle = candidatesPerArticle
        options.rareTermDocuments = rareTermDocuments
        options.maxMemory = maxMemory.flatMap(ByteCount.parse)
        options.readTextsTwice = readTextsTwice
        options.shrinkGuard = InputShrinkGuard(minimumShare: minShare, allowsShrink: allowShrink, allowsEmpty: allowEmpty)
        options.waitForOtherRun = wait
        options.vocabularyPath = vocabulary
        options.writeVocabularyPath = writeVocabulary
        options.vocabularyPolicy.refresh = refreshVocabulary
        options.vocabularyPolicy.maximumDrift = vocabularyMaxDrift
        let quiet = self.quiet
        let pipeline = Pipeline(
            options: options,
            log: { message in
                if !quiet { FileHandle.standardError.write(Data(("  " + message + "\n").utf8)) }
            },
            status: quiet ? nil : { text in FileHandle.standardError.write(Data(text.utf8)) },
            statusIsTerminal: isatty(2) != 0)
        let summary: Pipeline.Summary
        do {
            summary = try pipeline.run(inputs: inputs, outputDirectory: out)
        } catch let error as ReadError {
            printError("newscluster: \(error)")
            if case .badRecord = error { throw ExitCode(3) }
            throw ExitCode(1)
        } catch let error as ReportError {
            printError("newscluster: \(error)")
            throw ExitCode(1)
        } catch let error as StateStore.StateError {
            printError("newscluster: \(error)")
            throw ExitCode(1)
        } catch let error as MemoryPlan.DoesNotFit {
            printError("newscluster: \(error)")
            throw ExitCode(4)
        } catch let error as InputShrinkGuard.Refusal {
            printError("newscluster: \(error)")
            throw ExitCode(5)
        } catch let error as RunLock.Failure {
            printError("newscluster: \(error)")
            if case .busy = error { throw ExitCode(6) }
            throw ExitCode(1)
        }
        let counts = summary.manifest.counts
        if counts.rejected > 0 || counts.warnings > 0 {
            printError("newscluster: \(counts.rejected) record(s) rejected, \(counts.warnings) repaired; see \(out)/run.json")
            for issue in (summary.manifest.rejected + summary.manifest.warnings).prefix(5) {
                printError("  \(issue.file):\(issue.line): \(issue.reason)")
            }
        }
        if !quiet {
            printError("""
            newscluster: \(counts.articles) articles → \(counts.stories) stories \
            (\(counts.storiesWithSeveralArticles) with several articles), \
            \(counts.duplicateGroups) duplicate groups, \
            \(counts.boilerplateLinesRemoved) boilerplate lines removed
            """)
            printError("largest stories:")
            for story in summary.largestStories.prefix(5) {
                printError("  \(String(story.size).leftPadded(to: 4))  \(story.headline)")
            }
            printError("reports: \(out)/report.html (review page), articles.jsonl, stories.json, run.json"
                       + (state == nil ? "" : ", changes.json"))
        }
    }

    private func printError(_ message: String) {
        FileHandle.standardError.write(Data((message + "\n").utf8))
    }
}

extension String {
    fileprivate func leftPadded(to width: Int) -> String {
        count >= width ? self : String(repeating: " ", count: width - count) + self
    }
}
