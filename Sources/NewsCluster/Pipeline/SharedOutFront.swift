import Foundation

/// read → clean → tokenize → vectorize with the work on each shard of the input done by tasks
/// elsewhere (`TaskExchange`: read, terms and vectors tasks), and here only what needs the whole
/// corpus: judging the records in input order (duplicate ids, `--strict`), the boilerplate plan,
/// the classes of copies and the vocabulary. The result is the `Vectors` one machine's stages
/// make of the same input, row for row and bit for bit.
struct SharedOutFront {
    var options: ClusterOptions
    var threads: Int
    var exchange: TaskExchange

    /// The stages' output and how each kind of task ran. `afterRead` sees the read before the
    /// rest goes on (the run's guards).
    func run(
        files: [String], timings: inout Timings, afterRead: (ReadArticles) throws -> Void
    ) throws -> (Vectors, [ScaleoutUse.Phase]) {
        var phases: [ScaleoutUse.Phase] = []
        func shareOut(_ kind: TaskExchange.Kind, count: Int) throws -> [String] {
            let seconds = try exchange.shareOut(kind, count: count)
            phases.append(.init(kind: kind, tasks: count, seconds: (seconds * 1000).rounded() / 1000))
            return exchange.partPaths(kind, count: count)
        }
        let (read, plan, merged) = try timings.measure(.read) { () throws -> (ReadArticles, ReadTasks.Plan, ReadTasks.Merged) in
            let plan = try ReadTasks.writePlan(files: files, tasks: exchange.tasks, options: options, to: exchange.inputPath(.read))
            let parts = try shareOut(.read, count: plan.shards.count)
            let merged = try ReadTasks.merge(parts: parts, plan: plan, strict: options.strict)
            return (try Self.readArticles(merged, plan: plan), plan, merged)
        }
        try afterRead(read)
        let positions = Self.positions(merged, order: read.order)
        var cleaned = try timings.measure(.clean) {
            try CleanStage(options: options, threads: threads).run(read, keepsLineKeys: false)
        }
        let (shardIDs, shardKeep) = Self.byShard(cleaned, kept: merged.kept, positions: positions)

        let termsParts = exchange.partPaths(.terms, count: plan.shards.count)
        let (documents, frequencies) = try timings.measure(.tokenize) { () throws -> ([DocumentTerms], TermTasks.DocumentFrequencies) in
            try TermTasks.writeWork(plan, lineBases: merged.lineBases, kept: merged.kept, ids: shardIDs, keep: shardKeep, vocabulary: nil, to: exchange.inputPath(.terms))
            _ = try shareOut(.terms, count: plan.shards.count)
            let (documents, identified, frequencies, _) = try TermTasks.merge(parts: termsParts, run: plan.run, positions: positions)
            for (position, language) in identified.enumerated() where language != nil {
                cleaned.read.articles[position].language = language
            }
            return (documents, frequencies)
        }
        let vectors = try timings.measure(.vectorize) { () throws -> Vectors in
            let vectorizer = options.vectorizer
            let vocabulary = try VectorTasks.vocabulary(
                frequencies, documents: documents, articles: cleaned.articles, cleaned: cleaned, options: vectorizer,
                threads: threads)
            try TermTasks.writeWork(plan, lineBases: merged.lineBases, kept: merged.kept, ids: shardIDs, keep: shardKeep, vocabulary: vocabulary,
                                    termsParts: termsParts, to: exchange.inputPath(.vectors))
            let parts = try shareOut(.vectors, count: plan.shards.count)
            let (matrix, _) = try VectorTasks.matrix(
                parts: parts, run: plan.run, positions: positions, columnCount: vocabulary.hashes.count)
            let counts = TermCounts(
                cleaned: cleaned, documents: documents, contentHashes: [UInt64](repeating: 0, count: documents.count),
                cleaningHashes: [], reused: [Bool](repeating: false, count: documents.count))
            return Vectors(
                counts: counts, matrix: matrix, vocabulary: vocabulary,
                frozen: vocabulary.frozen(generation: 1, options: vectorizer),
                use: VocabularyUse(generation: 1, fitted: true, reason: "fitted on this run's articles", drift: nil))
        }
        return (vectors, phases)
    }

    /// The read stage's output from the shards' judged records: the articles in canonical
    /// order, their texts to be read again from the inputs (those of a compressed file from a
    /// copy of its text, as one machine reads them).
    static func readArticles(_ merged: ReadTasks.Merged, plan: ReadTasks.Plan) throws -> ReadArticles {
        var spools: [String: Spool] = [:]
        for shard in plan.shards where shard.bytes == nil && !shard.isText && spools[shard.file] == nil {
            spools[shard.file] = try spool(shard.file)
        }
        let result = merged.result
        let order = CanonicalOrder(ids: result.articles.map(\.id), published: result.articles.map(\.published))
        return ReadArticles(
            articles: order.canonical(result.articles), lineKeys: order.canonical(merged.lineKeys),
            fromState: [Bool](repeating: false, count: result.articles.count), rejected: result.rejected,
            warnings: result.warnings, files: result.files, recordsRead: result.recordsRead, holdsText: false,
            order: order, spools: spools)
    }

    /// Where each article, in canonical order, is: its shard, and its place among the shard's
    /// kept articles.
    static func positions(_ merged: ReadTasks.Merged, order: CanonicalOrder) -> [(shard: Int32, ordinal: Int32)] {
        order.canonical(merged.kept.enumerated().flatMap { shard, kept in
            kept.indices.map { (shard: Int32(shard), ordinal: Int32($0)) }
        })
    }

    /// The ids and cleaning flags of `cleaned`'s articles, shard by shard, in each shard's
    /// order (the flags nil when the run does not clean).
    static func byShard(
        _ cleaned: CleanedTexts, kept: [[Int32]], positions: [(shard: Int32, ordinal: Int32)]
    ) -> (ids: [[String]], keep: [[[Bool]?]]?) {
        var ids = kept.map { [String](repeating: "", count: $0.count) }
        var keep: [[[Bool]?]]? = cleaned.plan.map { _ in kept.map { [[Bool]?](repeating: nil, count: $0.count) } }
        for (position, place) in positions.enumerated() {
            ids[Int(place.shard)][Int(place.ordinal)] = cleaned.articles[position].id
            if let plan = cleaned.plan { keep![Int(place.shard)][Int(place.ordinal)] = plan.keep[position] }
        }
        return (ids, keep)
    }

    /// A copy of the text of the compressed file at `path`, which `RecordRereader` reads by
    /// offset (up to a break in the stream: the records after it were rejected).
    static func spool(_ path: String) throws -> Spool {
        let source = try ByteSource(path: path)
        let spool = try Spool()
        source.spool = spool
        var buffer: [UInt8] = []
        do {
            while try source.read(appendingTo: &buffer, maximum: 1 << 22) > 0 { buffer.removeAll(keepingCapacity: true) }
        } catch is ByteSource.BrokenStream {}
        return spool
    }
}
