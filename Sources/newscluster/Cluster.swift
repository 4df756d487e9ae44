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
        Exit codes: 0 success; 1 an input, output, state or judgements path cannot be used; \
        3 --strict met a bad record; 4 the input cannot fit in --max-memory; 5 the input is empty, \
        or smaller than --min-share of the state's last run (nothing written); 6 another run holds \
        the state or the output directory (see --wait); 64 invalid command line.
        """)

    @Argument(help: "JSONL files (plain, gzip or zstd), - for standard input, or directories to read.")
    var inputs: [String]

    @Option(name: .long, help: ArgumentHelp("Directory for the reports (created if missing).", valueName: "dir"))
    var out: String

    @OptionGroup(title: "Clustering")
    var clustering: ClusteringOptions

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

    @Option(help: ArgumentHelp("Memory the run may plan for, such as 8G or 512M. An input whose texts would not fit (about three times its size) is read twice instead of held in memory; the sgemm tiles shrink to fit; an input that cannot fit at all (about 8 KB per article) fails before the work (exit code 4). (default: half of physical memory)", valueName: "size"))
    var maxMemory: String?

    @Flag(help: "Read each text again when it is cleaned and counted instead of holding the texts in memory, whatever the input's size (what --max-memory chooses for large inputs): less memory, one more read of the input.")
    var readTextsTwice = false

    @Option(help: ArgumentHelp("Write the vocabulary and IDF this run scored with to this file, once its reports are in place (not inside --out).", valueName: "file"))
    var writeVocabulary: String?

    @Flag(help: "With --state: fit a new vocabulary generation on this run's articles instead of reusing the stored one (every stored pair is then scored again).")
    var refreshVocabulary = false

    @Option(help: ArgumentHelp("With --state: refit the vocabulary when this run's document frequencies move the IDF a term occurrence carries by more than this share on average (it is refitted anyway after \(VocabularyPolicy().maximumRuns) runs).", valueName: "share"))
    var vocabularyMaxDrift: Double = VocabularyPolicy().maximumDrift

    @Option(help: ArgumentHelp("Editors' judgements exported from the review page (judgements.json; repeat for several files): articles an editor put together stay together, an article marked out of a story never joins it again. With --state they are kept in the state, so a file is given once.", valueName: "file"))
    var judgements: [String] = []

    @Flag(help: "Also compute every pair's exact cosine by brute force and report in run.json which share of the pairs above the duplicate and story thresholds the neighbour search found (for benchmarks; slow on large inputs).")
    var measureRecall = false

    @Option(help: ArgumentHelp("Share the stages' work out to tasks that another program runs (the Spark driver in scaleout/): reading, counting and vectorizing one task per input shard (about N shards), the neighbour search's tile scan in N tasks. Each kind's input is written to --task-dir and announced on standard output; the run waits for a line on standard input saying the tasks' parts are there.", valueName: "n", visibility: .hidden))
    var tasks: Int?

    @Option(help: ArgumentHelp("With --tasks: the directory for the tasks' inputs and parts.", valueName: "dir", visibility: .hidden))
    var taskDir: String?

    func validate() throws {
        if (tasks == nil) != (taskDir == nil) { throw ValidationError("--tasks and --task-dir go together.") }
        if let tasks {
            guard (1...100_000).contains(tasks) else { throw ValidationError("--tasks must be within 1…100000.") }
            guard state == nil else {
                throw ValidationError("--tasks does not take --state: a night's run reads its state and its new articles on one machine.")
            }
            guard clustering.vocabulary == nil else {
                throw ValidationError("--tasks does not take --vocabulary: a shared-out run fits its vocabulary on its own articles.")
            }
            guard !inputs.contains("-") else {
                throw ValidationError("--tasks reads files only: its tasks read the input themselves, and standard input carries the run's protocol.")
            }
        }
        guard !inputs.isEmpty else { throw ValidationError("Give at least one INPUT.") }
        if let maxMemory, ByteCount.parse(maxMemory) == nil {
            throw ValidationError("--max-memory must be a size such as 8G, 512M or 1000000 (bytes).")
        }
        guard (0...1).contains(vocabularyMaxDrift) else { throw ValidationError("--vocabulary-max-drift must be within 0…1.") }
        guard (0...1).contains(minShare) else { throw ValidationError("--min-share must be within 0…1.") }
    }

    func run() throws {
        var options = clustering.options
        options.measureRecall = measureRecall
        options.strict = strict
        options.statePath = state
        options.maxMemory = maxMemory.flatMap(ByteCount.parse)
        options.readTextsTwice = readTextsTwice
        options.shrinkGuard = InputShrinkGuard(minimumShare: minShare, allowsShrink: allowShrink, allowsEmpty: allowEmpty)
        options.waitForOtherRun = wait
        options.writeVocabularyPath = writeVocabulary
        options.vocabularyPolicy.refresh = refreshVocabulary
        options.vocabularyPolicy.maximumDrift = vocabularyMaxDrift
        options.judgementsPaths = judgements
        let quiet = self.quiet
        let pipeline = Pipeline(
            options: options,
            log: { message in
                if !quiet { FileHandle.standardError.write(Data(("  " + message + "\n").utf8)) }
            },
            status: quiet ? nil : { text in FileHandle.standardError.write(Data(text.utf8)) },
            statusIsTerminal: isatty(2) != 0,
            tasks: tasks.map { TaskExchange(tasks: $0, directory: taskDir!) })
        let summary: Pipeline.Summary
        do {
            summary = try pipeline.run(inputs: inputs, outputDirectory: out)
        } catch let error as ReadError {
            printError("newscluster: \(error)")
            if case .badRecord = error { throw ExitCode(3) }
            throw ExitCode(1)
        } catch let error where error is ReportError || error is StateStore.StateError || error is JudgementsError
                    || error is TaskFailure || error is SectionFile.Failure {
            // A path that cannot be used: an output, the state, a judgements file, a task's file.
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
        if let judged = summary.manifest.judgements, !judged.warnings.isEmpty {
            printError("newscluster: \(judged.warnings.count) warning(s) about editors' judgements; see \(out)/run.json")
        }
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
