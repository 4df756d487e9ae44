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
            timings[stage] = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
            log(stage.padding(toLength: 10, withPad: " ", startingAt: 0)
                + String(format: "%8.3f s   resident %6d MiB", timings[stage]!, ProcessMemory.residentBytes >> 20))
            return result
        }
        let threads = max(1, options.threads)
        BLAS.setThreadCount(threads)
        // Fail before the work, not after it, when the reports cannot be written.
        try ReportWriter(directory: outputDirectory).prepareDirectory()

        var read = try timed("read") { try ArticleReader(strict: options.strict, threads: threads).read(inputs) }
        let recordsRead = read.recordsRead
        var articles = read.articles
        read.articles = []
        log("read \(recordsRead) records: \(articles.count) accepted, \(read.rejected.count) rejected, \(read.warnings.count) repaired")

        let cleaned = timed("clean") { () -> BoilerplateRemover.Result in
            let texts = articles.map(\.text)
            if options.keepBoilerplate {
                return .init(texts: texts, removedLines: Array(repeating: 0, count: texts.count))
            }
            return BoilerplateRemover().clean(
                texts: texts, titles: articles.map(\.title),
                sources: articles.map { BoilerplateRemover.sourceKey(source: $0.source, url: $0.url) },
                threads: threads)
        }

        // Past cleaning only the cleaned text is read: free the raw text (the input's size).
        for index in articles.indices { articles[index].text = "" }
        ProcessMemory.releaseFreePages()
        let documents = timed("tokenize") {
            Parallel.map(count: articles.count, threads: threads) { index in
                DocumentTerms(title: articles[index].title, body: cleaned.texts[index],
                              titleWeight: options.vectorizer.titleWeight,
                              nameWeight: options.vectorizer.nameWeight,
                              numberWeight: options.vectorizer.numberWeight)
            }
        }

        let (matrix, vocabulary) = timed("vectorize") {
            let groups = zip(articles, documents).map { article, document -> String in
                if let language = article.language?.lowercased().split(separator: "-").first, !language.isEmpty {
                    return String(language)
                }
                return document.script
            }
            return TFIDFVectorizer(options: options.vectorizer).fit(documents, groups: groups, threads: threads)
        }

        let graph = timed("neighbors") { () -> NeighborSearch.Graph in
            let tiles = NeighborSearch.tileCount(rows: articles.count, tileRows: options.neighborOptions.tileRows)
            let line = ProgressLine(stage: "neighbors", unit: "tiles", total: tiles,
                                    isTerminal: statusIsTerminal, write: status)
            defer { line.finish() }
            return NeighborSearch(options: options.neighborOptions).run(
                matrix, termHashes: vocabulary.hashes, published: articles.map(\.published),
                progress: { done, _ in line.update(done) })
        }

        let lengths = documents.map(\.length)
        let (duplicateGroups, storyOf, stories) = timed("group") { () -> ([[Int]], [Int], [[Int]]) in
            let duplicates = DuplicateGrouper(
                threshold: options.duplicateThreshold, minimumContainment: options.duplicateContainment)
                .groups(edges: graph.edges, shingles: documents.map(\.shingles), count: articles.count)
            let labels = StoryClusterer(
                threshold: options.storyThreshold, neighbors: options.storyNeighbors,
                neighborFloor: options.storyNeighborFloor)
                .cluster(count: articles.count, edges: graph.edges, initialGroups: duplicates)
            var stories = [[Int]](repeating: [], count: (labels.max() ?? -1) + 1)
            for (article, label) in labels.enumerated() { stories[label].append(article) }
            return (duplicates, labels, stories)
        }

        let (articleLines, storiesFile, descriptions) = timed("describe") {
            describe(articles: articles, texts: cleaned.texts, matrix: matrix, vocabulary: vocabulary,
                     graph: graph, duplicateGroups: duplicateGroups, lengths: lengths,
                     storyOf: storyOf, stories: stories)
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
                boilerplateLinesRemoved: cleaned.totalRemovedLines,
                vocabulary: vocabulary.hashes.count, termsSeen: vocabulary.termsSeen),
            rejected: read.rejected, warnings: read.warnings, timings: [:],
            blas: .init(core: BLAS.coreName, threads: BLAS.threadCount,
                        coreTypeRequested: ProcessInfo.processInfo.environment["OPENBLAS_CORETYPE"],
                        sgemmGflops: graph.stats.sgemmSeconds > 0
                            ? (graph.stats.flops / graph.stats.sgemmSeconds / 1e9 * 10).rounded() / 10 : 0),
            neighbors: graph.stats)
        let writer = ReportWriter(directory: outputDirectory)
        try timed("report") { try writer.writeReports(articles: articleLines, stories: storiesFile, threads: threads) }
        // run.json carries the report stage's time and the total, so it is written once, last.
        let total = runStart.duration(to: clock.now)
        manifest.timings = timings
        manifest.timings["total"] = Double(total.components.seconds) + Double(total.components.attoseconds) / 1e18
        try writer.writeManifest(manifest)
        let largest = descriptions.prefix(10).map { (size: $0.members.count, headline: $0.headline) }
        return Summary(manifest: manifest, largestStories: largest)
    }

    /// Ids derived from content, not from run order: a story is named after its earliest
    /// article, a duplicate group after its canonical article.
    static func contentID(prefix: String, of key: String) -> String {
        var key = key
        let hex = String(key.withUTF8(Tokenizer.hash), radix: 16)
        return prefix + (String(repeating: "0", count: max(0, 16 - hex.count)) + hex).prefix(10)
    }

    private func describe(
        articles: [Article], texts: [String], matrix: SparseMatrix,
        vocabulary: TFIDFVectorizer.Vocabulary, graph: NeighborSearch.Graph,
        duplicateGroups: [[Int]], lengths: [Int], storyOf: [Int], stories: [[Int]]
    ) -> ([ArticleLine], StoriesFile, [StoryDescription]) {
        let threads = max(1, options.threads)
        var duplicateGroupOf = [Int?](repeating: nil, count: articles.count)
        var canonicalOf = [Int?](repeating: nil, count: articles.count)
        var groupIDs: [String] = []
        var canonicals: [Int] = []
        for (index, group) in duplicateGroups.enumerated() {
            let canonical = DuplicateGrouper.canonical(of: group, articles: articles, lengths: lengths)
            canonicals.append(canonical)
            groupIDs.append(Self.contentID(prefix: "d-", of: articles[canonical].id))
            for member in group {
                duplicateGroupOf[member] = index
                canonicalOf[member] = canonical
            }
        }
        let storyIDs = stories.map { members -> String in
            let first = members.min { StoryDescriber.earlier(articles, $0, $1) }!
            return Self.contentID(prefix: "s-", of: articles[first].id)
        }
        let descriptions = StoryDescriber(relatedStoryCount: 5).describe(
            stories: stories, storyIDs: storyIDs, articles: articles, texts: texts, matrix: matrix,
            termHashes: vocabulary.hashes, graph: graph, storyOf: storyOf,
            duplicateGroupOf: duplicateGroupOf,
            isCopy: articles.indices.map { canonicalOf[$0] != nil && canonicalOf[$0] != $0 },
            threads: threads)

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
