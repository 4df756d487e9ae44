import Foundation

/// The whole `cluster` run: read → clean → tokenize → vectorize → neighbors → group → describe
/// → report, each stage timed.
public struct Pipeline {
    public static let version = "0.1.0"

    var options: ClusterOptions
    var log: (String) -> Void
    /// Receives progress text of long stages (already formatted for `statusIsTerminal`).
    var status: ((String) -> Void)?
    var statusIsTerminal: Bool
    /// Hands the stages' work to tasks run elsewhere (the Spark driver), when set.
    var tasks: TaskExchange?

    public init(
        options: ClusterOptions, log: @escaping (String) -> Void = { _ in },
        status: ((String) -> Void)? = nil, statusIsTerminal: Bool = false, tasks: TaskExchange? = nil
    ) {
        self.options = options
        self.tasks = tasks
        self.log = log
        self.status = status
        self.statusIsTerminal = statusIsTerminal
    }

    public struct Summary: Sendable {
        public var manifest: RunManifest
        /// Story sizes and headlines, largest first.
        public var largestStories: [(size: Int, headline: String)]
    }

    public func run(inputs: [String], outputDirectory: String) throws -> Summary {
        var timings = Timings(log: log)
        let threads = max(1, options.threads)
        BLAS.setThreadCount(threads)
        try OutputOverlap.check(output: outputDirectory, inputs: inputs)
        // Fail before the work, not after it, when the reports cannot be written. They go to a
        // staging directory that replaces the output directory whole once they are complete.
        let output = try OutputDirectory(outputDirectory)
        if let statePath = options.statePath, output.contains(statePath) {
            throw ReportError.holdsTheState(path: outputDirectory, state: statePath)
        }
        if let vocabularyPath = options.writeVocabularyPath, output.contains(vocabularyPath) {
            throw ReportError.holdsTheVocabulary(path: outputDirectory, vocabulary: vocabularyPath)
        }
        let locks = try takeLocks(outputDirectory: outputDirectory)
        defer { withExtendedLifetime(locks) {} }

        // Opened first, so that a state that cannot be opened fails the run before the work.
        let night: any NightlyState = try options.statePath.map { path in
            StoredNights(store: try StateStore(path: path))
        } ?? NoState()
        let pinned = try options.vocabularyPath.map { try Self.readVocabulary($0, for: options.vectorizer) }
        // Read whole before the work: a file that cannot be used stops the run with its name.
        let givenJudgements = try options.judgementsPaths.flatMap { try JudgementsFile.read($0).judgements }
        let storedJudgements = try night.storedJudgements()
        let keptJudgements = Set(storedJudgements.map(\.id))
        // A corpus too large to hold in memory is read twice: the first pass keeps what each
        // article needs past the read (its line keys among it) and lets the text go; the
        // second reads each text again to clean and count it (`RecordRereader`).
        let files = try inputs.flatMap(ArticleReader.expand)
        let probes = files.map(ByteSource.probe)
        let inputBytes = probes.reduce(0) { $0 + MemoryPlan.estimatedTextBytes(of: $1) }
        var memory = options.memory
        // A pipe's size is known only once it is read, too late to choose: its texts are read
        // twice, from the spool of the read, so that the peak does not grow with their length.
        if probes.contains(where: { !$0.isRegularFile }) {
            memory = MemoryPlan(budget: memory.budget, readsTextsTwice: true)
        }
        try memory.check(articles: MemoryPlan.estimatedArticles(in: files), inputBytes: inputBytes, estimated: true)
        // With a state, a record byte for byte as stored is not decoded: the state gives its
        // fields and line keys, and its text is read only if the run needs it.
        let storedRecords = night.keepsArticles
            ? try timings.measure(.stateRecords) { try night.storedRecords() } : [:]
        // The rest of the state is read beside the input (the run's articles are kept from it
        // once the input is read): one thread of SQLite decoding, otherwise before the read.
        let snapshotLoad = night.keepsArticles ? Background { try night.snapshot() } : nil

        // The read's guards, before the rest of the work.
        func checkRead(_ read: ReadArticles) throws {
            let (accepted, recordsRead, rejected, repaired) = (read.articles.count, read.recordsRead, read.rejected.count, read.warnings.count)
            try options.shrinkGuard.check(
                accepted: accepted, read: recordsRead, rejected: rejected,
                previous: try night.lastRunArticles(), state: options.statePath)
            try memory.check(articles: accepted, inputBytes: inputBytes, estimated: false)
            log("read \(recordsRead) records: \(accepted) accepted, \(rejected) rejected, \(repaired) repaired")
        }
        let vectors: Vectors
        let snapshot: StateStore.Snapshot
        var phases: [ScaleoutUse.Phase] = []
        if let tasks {
            precondition(!night.keepsArticles && pinned == nil, "a run with a state or a pinned vocabulary does not share its stages out")
            (vectors, phases) = try SharedOutFront(options: options, threads: threads, exchange: tasks)
                .run(files: files, timings: &timings, afterRead: checkRead)
            snapshot = try night.snapshot()
        } else {
            // Each stage's input is handed over (`consume`), so that what a stage lets go of (raw
            // texts, line keys, term counts) is freed rather than kept by the caller.
            var read: ReadArticles? = try timings.measure(.read) {
                try ReadStage(options: options, threads: threads).run(
                    files: files, storedRecords: storedRecords, hashesRecords: night.keepsArticles,
                    holdsText: memory.holdsText(inputBytes: inputBytes))
            }
            try checkRead(read!)

            let cleaned = try timings.measure(.clean) {
                let input = read!
                read = nil
                return try CleanStage(options: options, threads: threads).run(consume input, keepsLineKeys: night.keepsArticles)
            }
            let articleIDs = night.keepsArticles ? Set(cleaned.articles.map(\.id)) : []
            snapshot = try snapshotLoad.map { load in
                try timings.measure(.state) { try load.value().restricted(to: articleIDs) }
            } ?? night.snapshot()
            var counts: TermCounts? = try timings.measure(.tokenize) {
                try TokenizeStage(options: options, threads: threads).run(
                    cleaned, stored: snapshot.articles, hashesContent: night.keepsArticles)
            }
            ProcessMemory.releaseFreePages()
            let source = VocabularySource(pinned: pinned, stored: try night.storedVocabulary(), run: snapshot.run)
            vectors = timings.measure(.vectorize) {
                let input = counts!
                counts = nil
                return VectorizeStage(options: options, threads: threads).run(consume input, keepsCounts: night.keepsArticles, source: source)
            }
        }
        log("vocabulary generation \(vectors.use.generation) \(vectors.use.fitted ? "fitted" : "reused"): \(vectors.use.reason)")
        var scaleout: ScaleoutUse?
        let neighbors = try timings.measure(.neighbors) { () throws -> NeighborGraph in
            if let tasks {
                var (graph, use) = try NeighborsStage(options: options).run(vectors, sharingOutTo: tasks)
                use.phases = phases + use.phases
                scaleout = use
                return graph
            }
            let line = ProgressLine(
                stage: "neighbors", unit: "tiles", total: NeighborsStage.tileCount(articles: vectors.articles.count, options: options),
                isTerminal: statusIsTerminal, write: status)
            defer { line.finish() }
            return NeighborsStage(options: options, progress: { line.update($0) })
                .run(vectors, known: night.knownPairs(vectors, snapshot: snapshot))
        }
        let grouping = timings.measure(.group) {
            GroupStage(options: options, threads: threads, judgements: storedJudgements + givenJudgements,
                       keptJudgements: keptJudgements)
                .run(neighbors) { night.identify($0, snapshot: snapshot) }
        }
        let descriptions = timings.measure(.describe) {
            DescribeStage(options: options, threads: threads).run(grouping) { snapshot.termLabels[$0] }
        }
        var manifest = self.manifest(descriptions, outputDirectory: outputDirectory)
        manifest.scaleout = scaleout
        if !keptJudgements.isEmpty || !options.judgementsPaths.isEmpty {
            manifest.judgements = Self.judgementsUse(
                grouping.editors, storyJudgements: grouping.storyJudgements, files: options.judgementsPaths,
                kept: keptJudgements)
        }
        // The state is written in one transaction beside the reports and committed once they
        // are in place: a kill before the commit leaves the state of the previous run, and the
        // next run recomputes the same ids from it.
        let commitsState = Decision()
        let saving = night.keepsArticles ? Background {
            try night.save(descriptions, storedRecords: storedRecords, snapshot: snapshot, commitIf: commitsState.wait)
        } : nil
        do {
            try ReportStage(threads: threads).run(
                descriptions, changes: night.changes(descriptions, snapshot: snapshot), manifest: &manifest,
                timings: &timings, into: output)
        } catch {
            commitsState.make(false)
            _ = try? saving?.value()
            throw error
        }
        commitsState.make(true)
        if let saving { try timings.measure(.save) { try saving.value() } }
        // Kept only for a run whose reports are in place.
        if let path = options.writeVocabularyPath {
            try AtomicFile.write(vectors.frozen.encoded(), to: path)
        }
        let largest = descriptions.stories.prefix(10).map { (size: $0.members.count, headline: $0.headline) }
        return Summary(manifest: manifest, largestStories: largest)
    }

    /// `run.json` but for the timings.
    func manifest(_ descriptions: Descriptions, outputDirectory: String) -> RunManifest {
        let grouping = descriptions.grouping
        let read = grouping.neighbors.vectors.counts.cleaned.read
        let vocabulary = grouping.neighbors.vectors.vocabulary
        let stats = grouping.neighbors.graph.stats
        return RunManifest(
            tool: "newscluster", version: Self.version, inputs: read.files, output: outputDirectory,
            options: options,
            counts: .init(
                read: read.recordsRead, rejected: read.rejected.count, warnings: read.warnings.count,
                articles: read.articles.count, stories: grouping.stories.count,
                storiesWithSeveralArticles: grouping.stories.filter { $0.count > 1 }.count,
                duplicateGroups: grouping.duplicateGroups.count,
                articlesInDuplicateGroups: grouping.duplicateGroups.reduce(0) { $0 + $1.count },
                boilerplateLinesRemoved: grouping.neighbors.vectors.counts.cleaned.boilerplateLinesRemoved,
                vocabulary: vocabulary.hashes.count, termsSeen: vocabulary.termsSeen,
                recordsFromState: read.fromState.filter { $0 }.count,
                countsFromState: grouping.neighbors.vectors.counts.reused.filter { $0 }.count),
            rejected: read.rejected, warnings: read.warnings, timings: [:],
            blas: .init(core: BLAS.coreName, threads: BLAS.threadCount,
                        coreTypeRequested: ProcessInfo.processInfo.environment["OPENBLAS_CORETYPE"],
                        sgemmGflops: stats.sgemmSeconds > 0
                            ? (stats.flops / stats.sgemmSeconds / 1e9 * 10).rounded() / 10 : 0),
            neighbors: stats, vocabulary: grouping.neighbors.vectors.use)
    }

    /// `run.json`'s account of the editors' judgements.
    static func judgementsUse(
        _ editors: EditorConstraints, storyJudgements: [[Int]], files: [String], kept: Set<String>
    ) -> JudgementsUse {
        JudgementsUse(
            files: files, fromState: kept.count,
            new: editors.judgements.filter { !kept.contains($0.id) }.count,
            inactive: editors.inactive, mustLink: editors.mustLink.count, cannotLink: editors.cannotLink.count,
            storiesShaped: storyJudgements.filter { !$0.isEmpty }.count, warnings: editors.warnings)
    }

    /// The vocabulary of `--vocabulary FILE`, which must have been written with the terms
    /// `options` make.
    static func readVocabulary(_ path: String, for options: TFIDFVectorizer.Options) throws -> FrozenVocabulary {
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw ReadError.unreadable(path: path, reason: "cannot read the vocabulary: \((error as NSError).localizedDescription)")
        }
        let vocabulary: FrozenVocabulary
        do {
            vocabulary = try FrozenVocabulary(decoding: data)
        } catch {
            throw ReadError.unreadable(path: path, reason: error.description)
        }
        // Its terms are hashes of whole words or of stems: with the other kind, not one would match.
        let written = vocabulary.pruning.stemLetters
        guard written == options.stemLetters else {
            throw ReadError.unreadable(path: path, reason: """
                the vocabulary was written with --stem-letters \(written), this run uses \(options.stemLetters); \
                run with --stem-letters \(written) or write the vocabulary again
                """)
        }
        return vocabulary
    }

    /// Holds the output directory, and the state when there is one, for the whole run; with
    /// `waitForOtherRun`, waits for a run that holds either.
    private func takeLocks(outputDirectory: String) throws -> [RunLock] {
        func lock(_ path: String, isDirectory: Bool) throws -> RunLock {
            try RunLock(guarding: path, isDirectory: isDirectory, wait: options.waitForOtherRun) { holder in
                log("\(path): waiting for the newscluster run that holds it (\(holder))")
            }
        }
        var locks = [try lock(outputDirectory, isDirectory: true)]
        if let statePath = options.statePath { locks.append(try lock(statePath, isDirectory: false)) }
        return locks
    }

    static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }

    /// Hash of what cleaning and counting made of a page's lines: the weights and which lines
    /// stayed. A record unchanged byte for byte with the same cleaning hash has the same counts.
    static func cleaningHash(weights: String, keep: [Bool]?) -> UInt64 {
        let lines = keep.map { String($0.map { $0 ? "1" : "0" }) } ?? "all"
        return contentHash("cleaning", weights, lines)
    }

    /// Hash of the parts an article's stored data was made from, for a state: its term counts
    /// from the weights, title and text *as cleaned in this run* (boilerplate is learnt from the
    /// whole corpus, so one article's cleaning can change when others arrive); its line keys
    /// from its raw title and text. A stored article whose hash differs is computed again.
    static func contentHash(_ parts: String...) -> UInt64 {
        // The token hash of the parts joined by U+001F, without building the joined copy.
        var hash = Tokenizer.hashSeed
        for (index, part) in parts.enumerated() {
            if index > 0 { hash = Self.partSeparator.withUnsafeBufferPointer { Tokenizer.hash($0, continuing: hash) } }
            var part = part
            hash = part.withUTF8 { Tokenizer.hash($0, continuing: hash) }
        }
        return hash
    }

    private static let partSeparator: [UInt8] = [0x1F]

    /// The vectorizer's weights, as part of the cleaning and content hashes.
    static func weightsKey(_ options: TFIDFVectorizer.Options) -> String {
        // Stemming joined the key later: without it, the key (and every stored hash) is as before.
        "\(options.titleWeight) \(options.nameWeight) \(options.numberWeight)"
            + (options.stemLetters > 0 ? " stem \(options.stemLetters)" : "")
    }

}
