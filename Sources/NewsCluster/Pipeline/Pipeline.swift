import Foundation

/// The whole `cluster` run: read → clean → tokenize → vectorize → neighbors → group → describe
/// → report, each stage timed.
public struct Pipeline {
    public static let version = "0.1.0"

    public var options: ClusterOptions
    public var log: (String) -> Void
    /// Receives progress text of long stages (already formatted for `statusIsTerminal`).
    public var status: ((String) -> Void)?
    public var statusIsTerminal: Bool

    public init(
        options: ClusterOptions, log: @escaping (String) -> Void = { _ in },
        status: ((String) -> Void)? = nil, statusIsTerminal: Bool = false
    ) {
        self.options = options
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
        var timings: [String: Double] = [:]
        let clock = ContinuousClock()
        let runStart = clock.now
        func timed<T>(_ stage: String, _ body: () throws -> T) rethrows -> T {
            let start = clock.now
            let result = try body()
            let elapsed = start.duration(to: clock.now)
            timings[stage] = Self.seconds(elapsed)
            log(stage.padding(toLength: 10, withPad: " ", startingAt: 0)
                + String(format: "%8.3f s   resident %6d MiB", timings[stage]!, ProcessMemory.residentBytes >> 20))
            return result
        }
        let threads = max(1, options.threads)
        BLAS.setThreadCount(threads)
        try OutputOverlap.check(output: outputDirectory, inputs: inputs)
        // Fail before the work, not after it, when the reports cannot be written. They go to a
        // staging directory that replaces the output directory whole once they are complete.
        let output = try OutputDirectory(outputDirectory)
        if let statePath = options.statePath, output.contains(statePath) {
            throw ReportError.holdsTheState(path: outputDirectory, state: statePath)
        }
        let locks = try takeLocks(outputDirectory: outputDirectory)
        defer { withExtendedLifetime(locks) {} }

        // Opened first, so that a state that cannot be opened fails the run before the work.
        let state = try options.statePath.map { path in try StateStore(path: path) }
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
        let holdsText = memory.holdsText(inputBytes: inputBytes)
        // With a state, a record byte for byte as stored is not decoded: the state gives its
        // fields and line keys, and its text is read only if the run needs it.
        let storedRecords: [UInt64: StateStore.StoredRecord] = try state.map { state in
            try timed("state_records") { try state.storedRecords() }
        } ?? [:]
        // The rest of the state is read beside the input (the run's articles are kept from it
        // once the input is read): one thread of SQLite decoding, otherwise before the read.
        let snapshotLoad = state.map { state in Background { try state.snapshot() } }
        var lineKeys: [[BoilerplateRemover.LineKeys]] = []
        // Per article: taken from the state's record (its text not read), else decoded.
        var fromState: [Bool] = []
        let known: (@Sendable (UInt64) -> Article?)? = state == nil ? nil : { @Sendable hash in storedRecords[hash]?.article }
        // Texts are read again when they are not held, and with a state for its records.
        let reader = ArticleReader(strict: options.strict, threads: threads, known: known,
                                   spoolsForRereading: !holdsText || state != nil)
        var read = try timed("read") {
            try reader.read(files) { batch in
                let keyed = Parallel.map(count: batch.count, threads: threads) {
                    offset -> (keys: [BoilerplateRemover.LineKeys], fromState: Bool) in
                    let article = batch[batch.startIndex + offset]
                    // The reader accepts no record without text: an empty one came from the state.
                    if article.text.isEmpty, let stored = article.span.flatMap({ storedRecords[$0.hash] }) {
                        return (keys: stored.lineKeys, fromState: true)
                    }
                    let keys = options.keepBoilerplate
                        ? [] : BoilerplateRemover.lineKeys(of: article.text, title: article.title)
                    return (keys: keys, fromState: false)
                }
                lineKeys += keyed.map(\.keys)
                fromState += keyed.map(\.fromState)
                if !holdsText {
                    for index in batch.indices { batch[index].text = "" }
                }
            }
        }
        let recordsRead = read.recordsRead
        try options.shrinkGuard.check(
            accepted: read.articles.count, read: recordsRead, rejected: read.rejected.count,
            previous: try state?.lastRunArticles(), state: options.statePath)
        try memory.check(articles: read.articles.count, inputBytes: inputBytes, estimated: false)
        // Past the read, everything works in an order fixed by the records themselves
        // (publication time, then id), so that the same records in another order give the
        // same stories and ids.
        let order = CanonicalOrder(ids: read.articles.map(\.id), published: read.articles.map(\.published))
        var articles = order.canonical(read.articles)
        read.articles = []
        lineKeys = order.canonical(lineKeys)
        fromState = order.canonical(fromState)
        log("read \(recordsRead) records: \(articles.count) accepted, \(read.rejected.count) rejected, \(read.warnings.count) repaired")

        let plan = timed("clean") { () -> BoilerplateRemover.Plan? in
            if options.keepBoilerplate { return nil }
            return BoilerplateRemover().plan(
                pages: lineKeys, titles: articles.map(\.title),
                sources: articles.map { BoilerplateRemover.sourceKey(source: $0.source, url: $0.url) },
                threads: threads)
        }
        // Only a state stores line keys; without one they are not needed past the plan.
        if state == nil { lineKeys = [] }
        // Texts not held are read again: all of them for a large input, and with a state those
        // of the records taken from it.
        let textHeld = articles.indices.map { holdsText && !fromState[$0] }
        let rereader = textHeld.allSatisfy { $0 } ? nil : try RecordRereader(files: read.files.map(\.path), spools: read.spools)
        /// An article's text as cleaned: the kept lines of its raw text.
        @Sendable func cleanedText(raw: String, of index: Int) -> String {
            plan.map { BoilerplateRemover.apply($0.keep[index], to: raw) } ?? raw
        }

        let articleIDs = state == nil ? [] : Set(articles.map(\.id))
        let snapshot = try snapshotLoad.map { load in
            try timed("state") { try load.value().restricted(to: articleIDs) }
        }
        // What an article's counts are made of: its title, its cleaned text and the weights.
        // With a state, an article stored with the same content keeps its stored counts.
        let weights = "\(options.vectorizer.titleWeight) \(options.vectorizer.nameWeight) \(options.vectorizer.numberWeight)"
        let cleaningHashes = state == nil ? [] : Parallel.map(count: articles.count, threads: threads) { index in
            Self.cleaningHash(weights: weights, keep: plan.map { $0.keep[index] } ?? nil)
        }
        var documents: [DocumentTerms]
        let contentHashes: [UInt64], reused: [Bool]
        (documents, contentHashes, reused) = try timed("tokenize") { () -> ([DocumentTerms], [UInt64], [Bool]) in
            let counted = try articles.withUnsafeMutableBufferPointer { buffer in
                let shared = UncheckedSendable(buffer)
                // In input order: texts read again are then read in file order.
                return try order.canonical(Parallel.map(count: buffer.count, threads: threads) { position in
                    let index = order.canonicalIndices[position]
                    return Result { () throws -> (document: DocumentTerms, contentHash: UInt64, reused: Bool) in
                        let article = shared.value[index]
                        let stored = snapshot?.articles[article.id]
                        // A record as stored, cleaned as it was then: its stored counts hold
                        // without reading its text.
                        if fromState[index], let stored, stored.cleaningHash == cleaningHashes[index] {
                            return (stored.terms, stored.contentHash, true)
                        }
                        let raw = textHeld[index] ? article.text : try rereader!.text(of: article)
                        let cleaned = cleanedText(raw: raw, of: index)
                        // Only a state compares content hashes.
                        let contentHash = state == nil ? 0 : Self.contentHash(weights, article.title, cleaned)
                        // Held texts are replaced by their cleaned form as they go (each index
                        // belongs to one worker), which the describe stage quotes.
                        if textHeld[index] { shared.value[index].text = cleaned }
                        if let stored, stored.contentHash == contentHash {
                            return (stored.terms, contentHash, true)
                        }
                        return (DocumentTerms(
                            title: article.title, body: cleaned, titleWeight: options.vectorizer.titleWeight,
                            nameWeight: options.vectorizer.nameWeight, numberWeight: options.vectorizer.numberWeight),
                            contentHash, false)
                    }
                }).map { try $0.get() }
            }
            return (counted.map(\.document), counted.map(\.contentHash), counted.map(\.reused))
        }
        ProcessMemory.releaseFreePages()

        let (matrix, vocabulary) = timed("vectorize") {
            let groups = zip(articles, documents).map { article, document -> String in
                if let language = article.language?.lowercased().split(separator: "-").first, !language.isEmpty {
                    return String(language)
                }
                return document.script
            }
            return TFIDFVectorizer(options: options.vectorizer).fit(documents, groups: groups, threads: threads)
        }
        // Past the matrix, only a state still needs the counts (of the articles it will store).
        if state == nil {
            for index in documents.indices {
                documents[index].terms = []
                documents[index].counts = []
            }
            ProcessMemory.releaseFreePages()
        }

        // The duplicate rule serves the search, which confirms copies as it meets them, and the
        // grouping.
        let duplicateRule = DuplicateGrouper(
            threshold: options.duplicateThreshold, minimumContainment: options.duplicateContainment)
        let shingles = documents.map(\.shingles)
        let graph = timed("neighbors") { () -> NeighborSearch.Graph in
            let tiles = NeighborSearch.tileCount(rows: articles.count, tileRows: options.neighborOptions.tileRows)
            let line = ProgressLine(stage: "neighbors", unit: "tiles", total: tiles,
                                    isTerminal: statusIsTerminal, write: status)
            defer { line.finish() }
            // With a state, pairs of two known articles come from it, re-scored, not searched.
            var knownPairs: [(Int32, Int32)] = []
            if let snapshot {
                let indexOfRow = StateStore.RowTable(articles.indices.compactMap { index in
                    reused[index] ? snapshot.articles[articles[index].id].map { ($0.rowID, Int32(index)) } : nil
                }, missing: -1)
                knownPairs.reserveCapacity(snapshot.knownPairs.count)
                for (a, b) in snapshot.knownPairs {
                    let ia = indexOfRow[a], ib = indexOfRow[b]
                    if ia >= 0 && ib >= 0 && ia != ib { knownPairs.append((ia, ib)) }
                }
            }
            // Copies are confirmed by the grouping's own rule as the search meets them, so that
            // a story copied thousands of times keeps pairs in proportion to its copies.
            let copies = NeighborSearch.CopyCheck(threshold: duplicateRule.threshold) { a, b in
                shingles[a].containment(shingles[b]) >= duplicateRule.minimumContainment
            }
            return NeighborSearch(options: options.neighborOptions).run(
                matrix, termHashes: vocabulary.hashes, published: articles.map(\.published),
                fresh: snapshot == nil ? nil : reused.map { !$0 }, knownPairs: knownPairs, copies: copies,
                progress: { done, _ in line.update(done) })
        }

        let lengths = documents.map(\.length)
        let (duplicateGroups, storyOf, stories) = timed("group") { () -> ([[Int]], [Int], [[Int]]) in
            let duplicates = duplicateRule.groups(
                edges: graph.edges, shingles: shingles, count: articles.count, joined: graph.copyGroups)
            let labels = StoryClusterer(
                threshold: options.storyThreshold, neighbors: options.storyNeighbors,
                neighborFloor: options.storyNeighborFloor)
                .cluster(count: articles.count, edges: graph.edges, initialGroups: duplicates, threads: threads)
            var stories = [[Int]](repeating: [], count: (labels.max() ?? -1) + 1)
            for (article, label) in labels.enumerated() { stories[label].append(article) }
            return (duplicates, labels, stories)
        }

        // Per duplicate group its canonical article, per article its group: for the ids, the
        // reports and the state.
        let canonicals = duplicateGroups.map { DuplicateGrouper.canonical(of: $0, articles: articles, lengths: lengths) }
        let duplicateGroupOf = duplicateGroups.enumerated().reduce(
            into: [Int?](repeating: nil, count: articles.count)
        ) { groupOf, entry in
            for member in entry.element { groupOf[member] = entry.offset }
        }
        let identities = identify(
            articles: articles, stories: stories, duplicateGroups: duplicateGroups, canonicals: canonicals,
            snapshot: snapshot)
        let (articleLines, storiesFile, descriptions) = timed("describe") {
            let (lines, stories, descriptions) = describe(articles: articles, text: { index in
                        // Streamed texts are read again; should that fail (the input changed
                        // since it was counted), a story's labels come from its titles alone.
                        if textHeld[index] { return articles[index].text }
                        return (try? rereader?.text(of: articles[index])).map { cleanedText(raw: $0, of: index) } ?? ""
                     }, matrix: matrix, vocabulary: vocabulary,
                     graph: graph, duplicateGroups: duplicateGroups, canonicals: canonicals,
                     duplicateGroupOf: duplicateGroupOf,
                     storyOf: storyOf, stories: stories, storyIDs: identities.stories.ids,
                     groupIDs: identities.duplicateGroups.ids, knownLabels: snapshot?.termLabels ?? [:])
            return (order.input(lines), stories, descriptions)
        }

        var manifest = RunManifest(
            tool: "newscluster", version: Self.version, inputs: read.files, output: outputDirectory,
            options: options,
            counts: .init(
                read: recordsRead, rejected: read.rejected.count, warnings: read.warnings.count,
                articles: articles.count, stories: stories.count,
                storiesWithSeveralArticles: stories.filter { $0.count > 1 }.count,
                duplicateGroups: duplicateGroups.count,
                articlesInDuplicateGroups: duplicateGroups.reduce(0) { $0 + $1.count },
                boilerplateLinesRemoved: plan?.removedLines.reduce(0, +) ?? 0,
                vocabulary: vocabulary.hashes.count, termsSeen: vocabulary.termsSeen),
            rejected: read.rejected, warnings: read.warnings, timings: [:],
            blas: .init(core: BLAS.coreName, threads: BLAS.threadCount,
                        coreTypeRequested: ProcessInfo.processInfo.environment["OPENBLAS_CORETYPE"],
                        sgemmGflops: graph.stats.sgemmSeconds > 0
                            ? (graph.stats.flops / graph.stats.sgemmSeconds / 1e9 * 10).rounded() / 10 : 0),
            neighbors: graph.stats)
        // The state is written in one transaction beside the reports and committed once they
        // are in place: a kill before the commit leaves the state of the previous run, and the
        // next run recomputes the same ids from it.
        let commitsState = Decision()
        let saving = state.flatMap { state -> Background<Void>? in
            guard let snapshot else { return nil }
            // What to store is gathered on the save's thread too: 0.2 s at 100k articles.
            let edgeFloor = options.edgeFloor, cleaned = plan != nil, warnings = read.warnings
            return Background { [articles, fromState, lineKeys, documents] in
                let headlineOf = Dictionary(uniqueKeysWithValues: descriptions.map { ($0.id, $0.headline) })
                var pairs: [(Int32, Int32)] = []
                for (article, neighbors) in graph.candidates.enumerated() {
                    for neighbor in neighbors where Int(neighbor.index) > article && neighbor.score >= edgeFloor {
                        pairs.append((Int32(article), neighbor.index))
                    }
                }
                let warned = Set(warnings.map(\.location))
                let update = StateStore.Update(
                    articles: articles.indices.map { index in
                        let article = articles[index]
                        let stored = snapshot.articles[article.id]
                        let story = identities.stories.ids[storyOf[index]]
                        let group = duplicateGroupOf[index].map { identities.duplicateGroups.ids[$0] }
                        // A record is kept to be matched next run unless it had to be repaired (it
                        // is then decoded and warned about again) or was read without cleaning
                        // (its line keys would be empty).
                        let hash = article.span?.hash ?? 0
                        var record: StateStore.StoredRecord?
                        if fromState[index] {
                            record = storedRecords[hash]
                        } else if hash != 0 && !warned.contains(article.location) && cleaned {
                            var fields = article
                            fields.text = ""
                            record = .init(hash: hash, article: fields, lineKeys: lineKeys[index])
                        }
                        return StateStore.Update.Article(
                            rowID: stored?.rowID, id: article.id, contentHash: contentHashes[index],
                            story: story, duplicateGroup: group,
                            terms: reused[index] ? nil : documents[index],
                            moved: stored?.story != story || stored?.duplicateGroup != group,
                            record: record, recordChanged: !fromState[index],
                            cleaningHash: cleaningHashes[index],
                            recleaned: stored?.cleaningHash != cleaningHashes[index])
                    },
                    stories: stories.indices.map { story in
                        let id = identities.stories.ids[story]
                        return .init(id: id, size: stories[story].count, headline: headlineOf[id] ?? "")
                    },
                    duplicateGroups: duplicateGroups.indices.map { group in
                        .init(id: identities.duplicateGroups.ids[group], size: duplicateGroups[group].count, headline: "")
                    },
                    storyChanges: identities.stories.changes,
                    duplicateGroupChanges: identities.duplicateGroups.changes,
                    tokenizedArticles: reused.filter { !$0 }.count, pairs: pairs,
                    termLabels: descriptions.reduce(into: [:]) { labels, story in
                        for (hash, label) in zip(story.termHashes, story.terms) { labels[hash] = label }
                    })
                try state.save(update, run: snapshot.run, commitIf: commitsState.wait)
            }
        }
        let writer = ReportWriter(directory: output.staging)
        let changes = snapshot.map { snapshot in
            Self.changesFile(run: snapshot.run, identities: identities, descriptions: descriptions, known: snapshot.stories)
        }
        do {
            // The JSON reports are written beside the page's stories, which are most of the page;
            // the page then shows the report stage's time too.
            let reportsWritten = Background { () throws -> Double in
                let start = ContinuousClock.now
                try writer.writeReports(articles: articleLines, stories: storiesFile, threads: threads)
                try writer.writeChanges(changes)
                return Self.seconds(start.duration(to: .now))
            }
            do {
                try timed("page") {
                    try writer.writeReviewPage(ReviewPage().render(
                        stories: storiesFile, manifest: manifest, changes: changes, threads: threads,
                        timings: {
                            timings["report"] = try reportsWritten.value()
                            log("report    " + String(format: "%8.3f s   beside the page", timings["report"]!))
                            return timings
                        }))
                }
            } catch {
                _ = try? reportsWritten.value()
                throw error
            }
            // run.json carries the report stage's time and the total, so it is written once, last.
            let total = runStart.duration(to: clock.now)
            manifest.timings = timings
            manifest.timings["total"] = Self.seconds(total)
            try writer.writeManifest(manifest)
            try output.commit()
        } catch {
            commitsState.make(false)
            _ = try? saving?.value()
            throw error
        }
        commitsState.make(true)
        if let saving { try timed("save") { try saving.value() } }
        let largest = descriptions.prefix(10).map { (size: $0.members.count, headline: $0.headline) }
        return Summary(manifest: manifest, largestStories: largest)
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

    struct Identities {
        var stories: GroupIdentity.Result
        var duplicateGroups: GroupIdentity.Result
    }

    /// Story and duplicate-group ids: from the content alone without a state (a story is named
    /// after its earliest article, a group after its canonical one), and carried over from the
    /// previous run with one (`GroupIdentity`).
    func identify(
        articles: [Article], stories: [[Int]], duplicateGroups: [[Int]], canonicals: [Int],
        snapshot: StateStore.Snapshot?
    ) -> Identities {
        func fresh(prefix: String, key: String, attempt: Int) -> String {
            Self.contentID(prefix: prefix, of: attempt == 0 ? key : key + "#\(attempt)")
        }
        let storyKeys = stories.map { members in
            articles[members.min { StoryDescriber.earlier(articles, $0, $1) }!].id
        }
        let groupKeys = canonicals.map { articles[$0].id }
        guard let snapshot else {
            return Identities(
                stories: .init(ids: storyKeys.map { fresh(prefix: "s-", key: $0, attempt: 0) }, changes: []),
                duplicateGroups: .init(ids: groupKeys.map { fresh(prefix: "d-", key: $0, attempt: 0) }, changes: []))
        }
        var previousStory: [String: String] = [:]
        var previousGroup: [String: String] = [:]
        for (id, stored) in snapshot.articles {
            previousStory[id] = stored.story
            previousGroup[id] = stored.duplicateGroup
        }
        let identity = GroupIdentity()
        return Identities(
            stories: identity.assign(
                groups: stories.map { $0.map { articles[$0].id } }, previousGroupOf: previousStory,
                known: snapshot.stories, usedIDs: snapshot.usedIDs,
                freshID: { fresh(prefix: "s-", key: storyKeys[$0], attempt: $1) }),
            duplicateGroups: identity.assign(
                groups: duplicateGroups.map { $0.map { articles[$0].id } }, previousGroupOf: previousGroup,
                known: snapshot.duplicateGroups, usedIDs: snapshot.usedIDs,
                freshID: { fresh(prefix: "d-", key: groupKeys[$0], attempt: $1) }))
    }

    static func changesFile(
        run: Int, identities: Identities, descriptions: [StoryDescription], known: [String: GroupIdentity.Known]
    ) -> ChangesFile {
        let current = Dictionary(uniqueKeysWithValues: descriptions.map { ($0.id, $0) })
        func now(_ id: String) -> ChangesFile.Story {
            ChangesFile.Story(id: id, headline: current[id]?.headline ?? "", size: current[id]?.members.count ?? 0)
        }
        func before(_ id: String) -> ChangesFile.Story {
            ChangesFile.Story(id: id, headline: known[id]?.headline ?? "", size: known[id]?.size ?? 0)
        }
        var file = ChangesFile(
            run: run, previousRun: run > 1 ? run - 1 : nil, new: [], grown: [], merged: [], split: [], left: [],
            duplicateGroups: .init(new: 0, grown: 0, merged: 0, split: 0, left: 0, dissolved: 0))
        for change in identities.stories.changes {
            switch change {
            case .new(let id): file.new.append(now(id))
            case .grown(let id, let added):
                let story = now(id)
                file.grown.append(.init(id: id, headline: story.headline, size: story.size, added: added))
            case .merged(let ids, let into): file.merged.append(.init(into: now(into), stories: ids.map(before)))
            case .split(let id, let parts): file.split.append(.init(story: before(id), parts: parts.map(now)))
            case .left(let id): file.left.append(before(id))
            case .dissolved(let id): file.left.append(before(id))
            }
        }
        // Largest first, so the morning starts with what matters most.
        file.new.sort { $0.size != $1.size ? $0.size > $1.size : $0.id < $1.id }
        file.grown.sort { $0.added != $1.added ? $0.added > $1.added : $0.id < $1.id }
        for change in identities.duplicateGroups.changes {
            switch change {
            case .new: file.duplicateGroups.new += 1
            case .grown: file.duplicateGroups.grown += 1
            case .merged(let ids, _): file.duplicateGroups.merged += ids.count
            case .split: file.duplicateGroups.split += 1
            case .left: file.duplicateGroups.left += 1
            case .dissolved: file.duplicateGroups.dissolved += 1
            }
        }
        return file
    }

    /// Ids derived from content, not from run order: a story is named after its earliest
    /// article, a duplicate group after its canonical article.
    static func contentID(prefix: String, of key: String) -> String {
        let hex = String(contentHash(key), radix: 16)
        return prefix + (String(repeating: "0", count: max(0, 16 - hex.count)) + hex).prefix(10)
    }

    private func describe(
        articles: [Article], text: (Int) -> String, matrix: SparseMatrix,
        vocabulary: TFIDFVectorizer.Vocabulary, graph: NeighborSearch.Graph,
        duplicateGroups: [[Int]], canonicals: [Int], duplicateGroupOf: [Int?], storyOf: [Int],
        stories: [[Int]], storyIDs: [String], groupIDs: [String], knownLabels: [UInt64: String]
    ) -> ([ArticleLine], StoriesFile, [StoryDescription]) {
        let threads = max(1, options.threads)
        let canonicalOf = duplicateGroupOf.map { $0.map { canonicals[$0] } }
        let descriptions = StoryDescriber(relatedStoryCount: 5).describe(
            stories: stories, storyIDs: storyIDs, articles: articles, text: text, matrix: matrix,
            termHashes: vocabulary.hashes, graph: graph, storyOf: storyOf,
            duplicateGroupOf: duplicateGroupOf,
            isCopy: articles.indices.map { canonicalOf[$0] != nil && canonicalOf[$0] != $0 },
            knownLabel: { knownLabels[$0] }, threads: threads)

        let lines = Parallel.map(count: articles.count, threads: threads) { index -> ArticleLine in
            let related = graph.candidates[index]
                .filter { storyOf[Int($0.index)] != storyOf[index] }
                .prefix(options.related)
                .map { RelatedArticle(id: articles[Int($0.index)].id, story: storyIDs[storyOf[Int($0.index)]],
                                      score: Self.rounded($0.score)) }
            return ArticleLine(
                id: articles[index].id, story: storyIDs[storyOf[index]],
                duplicateGroup: duplicateGroupOf[index].map { groupIDs[$0] },
                canonical: canonicalOf[index].map { articles[$0].id }, related: related)
        }
        // Stories: largest first, then earliest, then id.
        let ordered = descriptions.sorted { a, b in
            if a.members.count != b.members.count { return a.members.count > b.members.count }
            let fa = a.firstPublished ?? .infinity, fb = b.firstPublished ?? .infinity
            if fa != fb { return fa < fb }
            return a.id < b.id
        }
        let entries = Parallel.map(count: ordered.count, threads: threads) { position -> StoryEntry in
            let story = ordered[position]
            return StoryEntry(
                id: story.id, headline: story.headline, size: story.members.count, terms: story.terms,
                sources: story.sources.map { SourceCount(name: $0.name, articles: $0.articles) },
                languages: story.languages,
                firstPublished: story.firstPublished.map(PublishedDate.dateTime),
                lastPublished: story.lastPublished.map(PublishedDate.dateTime),
                cohesion: Self.rounded(story.cohesion),
                members: story.members.map { member in
                    StoryMember(
                        id: articles[member].id, title: articles[member].title,
                        source: articles[member].source, published: articles[member].publishedText,
                        url: articles[member].url, language: articles[member].language,
                        duplicateGroup: duplicateGroupOf[member].map { groupIDs[$0] },
                        canonical: canonicalOf[member] == nil || canonicalOf[member] == member)
                },
                duplicateGroups: story.duplicateGroups.map { group in
                    DuplicateGroupEntry(
                        id: groupIDs[group], canonical: articles[canonicals[group]].id,
                        members: duplicateGroups[group].sorted { StoryDescriber.earlier(articles, $0, $1) }
                            .map { articles[$0].id })
                },
                relatedStories: story.relatedStories.map {
                    RelatedStory(id: storyIDs[$0.story], headline: descriptions[$0.story].headline,
                                 score: Self.rounded($0.score))
                })
        }
        return (lines, StoriesFile(tool: "newscluster", version: Self.version, stories: entries), ordered)
    }

    /// Scores are written with 4 decimals: enough to rank, and stable across platforms.
    static func rounded(_ value: Float) -> Double {
        (Double(value) * 10_000).rounded() / 10_000
    }
}
