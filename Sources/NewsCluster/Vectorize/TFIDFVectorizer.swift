import Foundation

/// Turns documents into L2-normalised TF-IDF rows: sublinear tf, smoothed idf, and
/// document-frequency pruning per language group, which lets IDF handle stop words in any
/// language without a list.
public struct TFIDFVectorizer: Sendable {
    public struct Options: Sendable, Equatable, Codable {
        /// How many times a title token counts relative to a body token.
        public var titleWeight: Float = 2
        /// Weight of a name (a token written capitalized inside sentences, never in lower case).
        public var nameWeight: Float = 2
        /// Weight of a token that starts with a digit (years, scores, counts).
        public var numberWeight: Float = 2
        /// A Cyrillic word counts as its first this many letters (`TermStemmer`; 0 keeps it whole).
        public var stemLetters = 5
        /// tf = 1 + ln(count) instead of count (for counts above 1).
        var sublinearTF = true
        /// Terms in fewer documents are dropped (1 keeps all).
        var minimumDocumentFrequency = 1
        /// Terms in more than this share of the documents of some language group are dropped:
        /// stop words, learnt per language without a list…
        var maximumDocumentShare = 0.5
        /// …where each group also counts this many imagined documents of its language, in which
        /// a word occurs as often as wordfreq says (none when the language has no word list).
        /// A group of a few articles is then pruned of its language's common words, not of its
        /// story's words; a large group is pruned by its own counts.
        var priorDocuments = 20
        /// A class of at least this many copies of one text counts as one document in the
        /// document frequencies (`CopyClasses`; 0 turns it off). Far above the handful of sites
        /// that ordinary syndication reaches, so only a viral story makes one.
        var copiesCountedOnce = 64
        /// Share of the smaller text's shingles the other must contain to be in its class (the
        /// duplicate rule's default).
        var copyContainment = 0.5

        public init() {}

        enum CodingKeys: String, CodingKey {
            case titleWeight = "title_weight"
            case nameWeight = "name_weight"
            case numberWeight = "number_weight"
            case stemLetters = "stem_letters"
            case sublinearTF = "sublinear_tf"
            case minimumDocumentFrequency = "minimum_document_frequency"
            case maximumDocumentShare = "maximum_document_share"
            case priorDocuments = "prior_documents"
            case copiesCountedOnce = "copies_counted_once"
            case copyContainment = "copy_containment"
        }
    }

    struct Vocabulary: Sendable, Codable {
        /// Token hash of each term id; ids are in ascending hash order.
        var hashes: [UInt64]
        var documentFrequency: [Int32]
        var idf: [Float]
        /// Distinct terms before pruning.
        var termsSeen: Int
        /// The terms pruned, ascending (by a fit; a frozen vocabulary's own).
        var pruned: [UInt64] = []
        /// Documents the frequencies were counted over.
        var documents = 0

        func id(of hash: UInt64) -> Int32? {
            var low = 0, high = hashes.count
            while low < high {
                let middle = (low + high) / 2
                if hashes[middle] < hash { low = middle + 1 } else { high = middle }
            }
            return low < hashes.count && hashes[low] == hash ? Int32(low) : nil
        }
    }

    var options: Options

    init(options: Options = Options()) {
        self.options = options
    }

    /// The smoothed IDF of a term in `frequency` of `documents` documents.
    @inline(__always)
    static func idf(frequency: Int32, documents: Int) -> Float {
        logf((1 + Float(documents)) / (1 + Float(frequency))) + 1
    }

    /// A term's weight in a document from its (weighted) count: sublinear above one
    /// occurrence; a fractional (title-weighted) count stays linear.
    @inline(__always)
    func termFrequency(_ count: Float) -> Float {
        options.sublinearTF && count > 1 ? 1 + logf(count) : count
    }

    /// Builds the vocabulary and the matrix. `groups[i]` is the language group of document `i`
    /// (the `language` field, else its script).
    ///
    /// - Complexity: O(total terms · log(vocabulary)).
    func fit(
        _ documents: [DocumentTerms], groups: [String], threads: Int = 1
    ) -> (SparseMatrix, Vocabulary) {
        precondition(documents.count == groups.count)
        var groupIndex: [String: Int] = [:]
        let groupOf = groups.map { name -> Int in
            if let index = groupIndex[name] { return index }
            groupIndex[name] = groupIndex.count
            return groupIndex.count - 1
        }
        let groupCount = groupIndex.count
        var groupSizes = [Int](repeating: 0, count: groupCount)
        for group in groupOf { groupSizes[group] += 1 }

        // One lookup per (document, term): the term's slot; document frequencies per
        // (slot, group) in one flat array (an array per term was the stage's main cost). Terms
        // are sharded by hash over the threads, each shard with its own numbering; slots are
        // numbered shard after shard.
        // A large class of copies counts once per term: its members' terms are counted as the
        // terms of one document, not each member's.
        let copyClasses = options.copiesCountedOnce > 0
            ? CopyClasses(sketches: documents.map(\.shingles), minimumSize: options.copiesCountedOnce,
                          minimumContainment: options.copyContainment).classes
            : []
        var countedAlone = [Bool](repeating: true, count: documents.count)
        for members in copyClasses { for member in members { countedAlone[member] = false } }
        var termStarts = [Int](repeating: 0, count: documents.count + 1)
        for (index, document) in documents.enumerated() { termStarts[index + 1] = termStarts[index] + document.terms.count }
        var localSlots = [Int32](repeating: 0, count: termStarts[documents.count])
        let shardCount = max(1, threads)
        let shards = localSlots.withParallelOutput { output in
            Parallel.map(count: shardCount, threads: shardCount) { shard -> (hashes: [UInt64], frequency: [Int32]) in
                var slots = DenseNumbering()
                var hashes: [UInt64] = []
                var frequency: [Int32] = []
                for (index, document) in documents.enumerated() {
                    let group = groupOf[index]
                    for (offset, term) in document.terms.enumerated() where Int(term % UInt64(shardCount)) == shard {
                        let (slot, isNew) = slots.number(of: term)
                        if isNew {
                            hashes.append(term)
                            frequency.append(contentsOf: repeatElement(0, count: groupCount))
                        }
                        if countedAlone[index] { frequency[Int(slot) * groupCount + group] += 1 }
                        output[termStarts[index] + offset] = slot
                    }
                }
                for members in copyClasses {
                    // In the language group of its first member: copies share a language.
                    let group = groupOf[members[0]]
                    var counted = Set<Int32>()
                    for member in members {
                        for term in documents[member].terms where Int(term % UInt64(shardCount)) == shard {
                            let slot = slots.number(of: term).0
                            if counted.insert(slot).inserted { frequency[Int(slot) * groupCount + group] += 1 }
                        }
                    }
                }
                return (hashes, frequency)
            }
        }
        var shardOffsets = [Int32](repeating: 0, count: shardCount)
        for shard in 1..<max(1, shardCount) { shardOffsets[shard] = shardOffsets[shard - 1] + Int32(shards[shard - 1].hashes.count) }
        let slotHashes = shards.flatMap(\.hashes)
        let frequency = shards.flatMap(\.frequency)
        func slot(_ index: Int, _ offset: Int) -> Int {
            let shard = Int(documents[index].terms[offset] % UInt64(shardCount))
            return Int(shardOffsets[shard] + localSlots[termStarts[index] + offset])
        }
        let prior = LanguagePrior(
            groups: groupIndex, groupOf: groupOf, groupSizes: groupSizes, lengths: documents.map(\.length),
            priorDocuments: options.priorDocuments)
        let (vocabulary, columnOfSlot) = vocabulary(
            termHashes: slotHashes, frequency: frequency, groupCount: groupCount, prior: prior, documents: documents.count)
        let idf = vocabulary.idf

        // Rows in parallel into preallocated CSR arrays.
        var rowStarts = ContiguousArray<Int>(repeating: 0, count: documents.count + 1)
        for index in documents.indices {
            var kept = 0
            for offset in documents[index].terms.indices where columnOfSlot[slot(index, offset)] >= 0 { kept += 1 }
            rowStarts[index + 1] = rowStarts[index] + kept
        }
        var columns = ContiguousArray<Int32>(repeating: 0, count: rowStarts[documents.count])
        var values = ContiguousArray<Float>(repeating: 0, count: rowStarts[documents.count])
        columns.withParallelOutput { columns in
            values.withParallelOutput { values in
                Parallel.forEachChunk(count: documents.count, threads: threads) { range in
                    for index in range {
                        var position = rowStarts[index]
                        var norm: Float = 0
                        for (offset, count) in documents[index].counts.enumerated() {
                            let column = columnOfSlot[slot(index, offset)]
                            guard column >= 0 else { continue }
                            let weight = termFrequency(count) * idf[Int(column)]
                            columns[position] = column
                            values[position] = weight
                            norm += weight * weight
                            position += 1
                        }
                        let scale = norm > 0 ? 1 / sqrtf(norm) : 0
                        for entry in rowStarts[index]..<position { values[entry] *= scale }
                    }
                }
            }
        }
        let matrix = SparseMatrix(
            rowStarts: rowStarts, columns: columns, values: values, columnCount: vocabulary.hashes.count)
        return (matrix, vocabulary)
    }

    /// The vocabulary from every term seen (`termHashes`, in any order) with its document
    /// frequency in each of `groupCount` language groups (`frequency[term * groupCount +
    /// group]`) over `documents` documents: the terms kept, in hash order, with their IDF; and
    /// each term's column (-1: pruned).
    func vocabulary(
        termHashes: [UInt64], frequency: [Int32], groupCount: Int, prior: LanguagePrior, documents: Int
    ) -> (Vocabulary, columns: [Int32]) {
        let termsSeen = termHashes.count
        let keptSlots = (0..<termsSeen).filter { slot in
            let perGroup = frequency[(slot * groupCount)..<((slot + 1) * groupCount)]
            if Int(perGroup.reduce(0, +)) < options.minimumDocumentFrequency { return false }
            for (group, count) in perGroup.enumerated()
            where prior.share(of: termHashes[slot], count: count, group: group, above: options.maximumDocumentShare) {
                return false
            }
            return true
        }.sorted { termHashes[$0] < termHashes[$1] }
        // Columns in hash order, so a document's (hash-sorted) terms map to ascending columns.
        var columnOfSlot = [Int32](repeating: -1, count: termsSeen)
        for (column, slot) in keptSlots.enumerated() { columnOfSlot[slot] = Int32(column) }
        let hashes = keptSlots.map { termHashes[$0] }
        let documentFrequency = keptSlots.map { slot in
            frequency[(slot * groupCount)..<((slot + 1) * groupCount)].reduce(0, +)
        }
        let idf = documentFrequency.map { Self.idf(frequency: $0, documents: documents) }
        let pruned = (0..<termsSeen).filter { columnOfSlot[$0] < 0 }.map { termHashes[$0] }.sorted()
        let vocabulary = Vocabulary(
            hashes: hashes, documentFrequency: documentFrequency, idf: idf, termsSeen: termsSeen,
            pruned: pruned, documents: documents)
        return (vocabulary, columnOfSlot)
    }
}

extension TFIDFVectorizer {
    /// A term's share of a language group's documents, with `priorDocuments` imagined documents
    /// of the group's language added, in which the term occurs with the probability its word
    /// frequency gives a document of the group's mean length (a Poisson count above zero).
    struct LanguagePrior {
        private let frequencies: [LanguageIdentifier.WordFrequencies?]
        private let groupSizes: [Int]
        private let meanLengths: [Float]
        private let priorDocuments: Double

        /// `groups` numbers the group names, `groupOf` gives each document's group number and
        /// `groupSizes` each group's documents.
        init(groups: [String: Int], groupOf: [Int], groupSizes: [Int], lengths: [Int], priorDocuments: Int) {
            var totals = [Int](repeating: 0, count: groups.count)
            for (document, group) in groupOf.enumerated() { totals[group] += lengths[document] }
            self.init(groups: groups, groupSizes: groupSizes, lengthTotals: totals, priorDocuments: priorDocuments)
        }

        /// As `init(groups:groupOf:groupSizes:lengths:priorDocuments:)`, from each group's total
        /// of document lengths (tokens).
        init(groups: [String: Int], groupSizes: [Int], lengthTotals totals: [Int], priorDocuments: Int) {
            var names = [String](repeating: "", count: groups.count)
            for (name, index) in groups { names[index] = name }
            frequencies = names.map { LanguageIdentifier.wordFrequencies(of: $0) }
            meanLengths = zip(totals, groupSizes).map { $1 > 0 ? Float($0) / Float($1) : 0 }
            self.groupSizes = groupSizes
            self.priorDocuments = Double(priorDocuments)
        }

        /// Whether the term's share of the group's documents, imagined ones included, is above
        /// `limit`.
        func share(of term: UInt64, count: Int32, group: Int, above limit: Double) -> Bool {
            let documents = Double(groupSizes[group]) + priorDocuments
            // The word list is only looked up when its answer could matter (a large group
            // decides almost every term by its own counts).
            guard count > 0, Double(count) + priorDocuments > limit * documents else { return false }
            var expected = 0.0
            if let frequencies = frequencies[group] {
                expected = priorDocuments * Double(1 - expf(-meanLengths[group] * frequencies.frequency(of: term)))
            }
            return (Double(count) + expected) / documents > limit
        }
    }
}


extension TFIDFVectorizer {
    /// Appends the row of a document's `terms` and their `counts` (`DocumentTerms`) with the
    /// fitted `vocabulary` to `columns` and `values`, weighed
    /// and normalised in the order and arithmetic of `fit`, so that a row computed on its own
    /// (a vectors task, `VectorTasks`) equals the fitted one bit for bit.
    func appendRow(terms: [UInt64], counts: [Float], vocabulary: Vocabulary, columns: inout [Int32], values: inout [Float]) {
        let start = values.count
        var norm: Float = 0
        for (term, count) in zip(terms, counts) {
            guard let column = vocabulary.id(of: term) else { continue }
            let weight = termFrequency(count) * vocabulary.idf[Int(column)]
            columns.append(column)
            values.append(weight)
            norm += weight * weight
        }
        let scale = norm > 0 ? 1 / sqrtf(norm) : 0
        for entry in start..<values.count { values[entry] *= scale }
    }
}
