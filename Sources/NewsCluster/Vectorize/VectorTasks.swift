import Foundation

/// Vectorizing shared out to tasks (after `TermTasks`): the run fits the vocabulary once from
/// the shards' document frequencies (`vocabulary`), writes it beside the shards' work, and
/// vectors task t counts shard t's articles again and writes their TF-IDF rows (`runTask`),
/// which the run lays out in its order (`matrix`). The rows equal those of one machine's fit bit
/// for bit: the same counts, vocabulary and arithmetic (`TFIDFVectorizer.appendRow`).
public enum VectorTasks {
    struct PartPayload: TaskPart {
        static let format = "newscluster-vectors-part-1"
        var format: String = Self.format
        var run: String
        var task: Int
        /// Whether the counts came from the terms task's part (else the shard was counted again).
        var countsFromTermsPart: Bool
        var seconds: Double
    }

    /// The vocabulary `TFIDFVectorizer.fit` would make of the run's documents, from the
    /// frequencies the terms tasks counted: a large class of copies counted once per term, as
    /// the fit counts it, then pruned and weighed by the same code. The classes' members are
    /// counted again here from their texts (`cleaned`), a few thousand at most.
    static func vocabulary(
        _ counted: TermTasks.DocumentFrequencies, documents: [DocumentTerms], articles: [Article],
        cleaned: CleanedTexts, options: TFIDFVectorizer.Options, threads: Int
    ) throws -> TFIDFVectorizer.Vocabulary {
        var frequencies = counted
        let classes = options.copiesCountedOnce > 0
            ? CopyClasses(sketches: documents.map(\.shingles), minimumSize: options.copiesCountedOnce,
                          minimumContainment: options.copyContainment).classes
            : []
        func group(_ index: Int) -> Int {
            frequencies.groups[VectorizeStage.group(language: articles[index].language, script: documents[index].script)]!
        }
        for members in classes {
            let terms = try Parallel.map(count: members.count, threads: threads) { offset in
                Result { () throws -> [UInt64] in
                    let member = members[offset]
                    return DocumentTerms(
                        title: articles[member].title, body: try cleaned.text(of: member), titleWeight: options.titleWeight,
                        nameWeight: options.nameWeight, numberWeight: options.numberWeight,
                        stemmer: TermStemmer(letters: options.stemLetters)).terms
                }
            }.map { try $0.get() }
            var union = Set<UInt64>()
            for (member, memberTerms) in zip(members, terms) {
                let memberGroup = group(member)
                for term in memberTerms { frequencies.add(term, group: memberGroup, count: -1) }
                union.formUnion(memberTerms)
            }
            // In the language group of its first member, as the fit counts a class.
            let classGroup = group(members[0])
            for term in union { frequencies.add(term, group: classGroup, count: 1) }
        }
        let prior = TFIDFVectorizer.LanguagePrior(
            groups: frequencies.groups, groupSizes: frequencies.groupSizes, lengthTotals: frequencies.lengthTotals,
            priorDocuments: options.priorDocuments)
        return TFIDFVectorizer(options: options).vocabulary(
            termHashes: frequencies.termHashes, frequency: frequencies.frequency, groupCount: frequencies.groups.count,
            prior: prior, documents: documents.count).0
    }

    /// Vectors task `task` of the work in `workPath` (written with the vocabulary): writes the
    /// rows of its shard's articles to `output`.
    public static func runTask(work workPath: String, task: Int, tasks: Int?, threads: Int, to output: String) throws {
        let start = ContinuousClock.now
        let (work, file) = try TermTasks.work(at: workPath, task: task, tasks: tasks)
        guard work.hasVocabulary else { throw TaskFailure(reason: "\(workPath): the work holds no vocabulary, so it is not for vectors tasks") }
        let hashes = try file.read("hashes", as: UInt64.self), idf = try file.read("idf", as: Float.self)
        guard idf.count == hashes.count else { throw TaskFailure(reason: "\(workPath): its vocabulary's sections do not fit each other") }
        let vocabulary = TFIDFVectorizer.Vocabulary(hashes: hashes, documentFrequency: [], idf: idf, termsSeen: hashes.count)
        let kept = try file.count(of: "kept.\(task)")
        // The counts of this shard's terms task, when its part is at hand (a shared work dir);
        // else counted again from the input, the same counts either way.
        let counted = work.termsParts.indices.contains(task)
            ? TermTasks.countedTerms(at: work.termsParts[task], run: work.run, task: task, articles: kept) : nil
        let documents = try counted ?? TermTasks.documents(work, file: file, task: task, threads: threads).documents
            .map { (terms: $0.terms, counts: $0.counts) }
        let vectorizer = TFIDFVectorizer(options: work.options.vectorizer)
        let chunks = Parallel.map(count: threads, threads: threads) { chunk -> (lengths: [Int32], columns: [Int32], values: [Float]) in
            var lengths: [Int32] = [], columns: [Int32] = [], values: [Float] = []
            for index in (documents.count * chunk / threads)..<(documents.count * (chunk + 1) / threads) {
                let before = values.count
                vectorizer.appendRow(terms: documents[index].terms, counts: documents[index].counts, vocabulary: vocabulary,
                                     columns: &columns, values: &values)
                lengths.append(Int32(values.count - before))
            }
            return (lengths, columns, values)
        }
        var writer = SectionFile.Writer()
        writer.add("rowLengths", Array(chunks.map(\.lengths).joined()))
        writer.add("columns", Array(chunks.map(\.columns).joined()))
        writer.add("values", Array(chunks.map(\.values).joined()))
        try writer.write(PartPayload(run: work.run, task: task, countsFromTermsPart: counted != nil,
                                     seconds: Pipeline.seconds(ContinuousClock.now - start)), to: output)
    }

    /// The rows of the vectors tasks' parts in the order of `positions` (shard and index among
    /// the shard's kept articles of each), one part in memory at a time beside the matrix.
    static func matrix(
        parts: [String], run: String, positions: [(shard: Int32, ordinal: Int32)], columnCount: Int
    ) throws -> (SparseMatrix, seconds: [Double]) {
        let byShard = TermTasks.positionsByShard(positions, shards: parts.count)
        let files = try parts.map { try SectionFile.Reader(path: $0) }
        var lengths = [Int](repeating: 0, count: positions.count)
        var seconds: [Double] = []
        for (task, file) in files.enumerated() {
            let payload = try file.part(PartPayload.self, of: .vectors, task: task, run: run)
            seconds.append(payload.seconds)
            let rowLengths = try file.read("rowLengths", as: Int32.self)
            guard rowLengths.count == byShard[task].count else {
                throw TaskFailure(reason: "\(file.path): it holds \(rowLengths.count) rows, not the \(byShard[task].count) of shard \(task)")
            }
            for (ordinal, position) in byShard[task].enumerated() { lengths[position] = Int(rowLengths[ordinal]) }
        }
        var rowStarts = ContiguousArray<Int>(repeating: 0, count: positions.count + 1)
        for (position, length) in lengths.enumerated() { rowStarts[position + 1] = rowStarts[position] + length }
        var columns = ContiguousArray<Int32>(repeating: 0, count: rowStarts[positions.count])
        var values = ContiguousArray<Float>(repeating: 0, count: rowStarts[positions.count])
        for (task, file) in files.enumerated() {
            let partColumns = try file.read("columns", as: Int32.self), partValues = try file.read("values", as: Float.self)
            guard partColumns.count == partValues.count,
                  partColumns.count == byShard[task].reduce(0, { $0 + lengths[$1] }),
                  partColumns.allSatisfy({ $0 >= 0 && Int($0) < columnCount }) else {
                throw TaskFailure(reason: "\(file.path): its rows do not fit the vocabulary or their lengths")
            }
            var start = 0
            for position in byShard[task] {
                let end = start + lengths[position]
                columns.replaceSubrange(rowStarts[position]..<rowStarts[position + 1], with: partColumns[start..<end])
                values.replaceSubrange(rowStarts[position]..<rowStarts[position + 1], with: partValues[start..<end])
                start = end
            }
        }
        return (SparseMatrix(rowStarts: rowStarts, columns: columns, values: values, columnCount: columnCount), seconds)
    }
}
