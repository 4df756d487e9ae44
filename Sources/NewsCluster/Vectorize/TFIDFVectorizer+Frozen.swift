import Foundation

extension TFIDFVectorizer.Vocabulary {
    /// This fit's vocabulary as generation `generation`, to be reused.
    func frozen(generation: Int, options: TFIDFVectorizer.Options) -> FrozenVocabulary {
        FrozenVocabulary(
            generation: generation, documents: documents, hashes: hashes, documentFrequency: documentFrequency,
            pruned: pruned, termsSeen: termsSeen, pruning: .init(options))
    }
}

extension TFIDFVectorizer {
    /// Rows scored with a frozen vocabulary's IDF, with how far the documents' own frequencies
    /// have drifted from it.
    struct Transformed: Sendable {
        var matrix: SparseMatrix
        /// The frozen terms and the unseen terms of these documents, ascending.
        var vocabulary: Vocabulary
        /// `FrozenVocabulary.drift`-style measure: the IDF-weighted share by which these
        /// documents' own IDF differs from the frozen one.
        var drift: Double
    }

    /// The matrix of `documents` with the IDF of `frozen`, whose columns are its terms and the
    /// terms it never saw, in hash order. A document's row depends only on its own counts and
    /// `frozen`, so it is the same in every run of the generation; and a fit on the documents
    /// `frozen` was made from, then this, gives the fit's own matrix.
    ///
    /// The drift is Σₜ dfₜ·|idf′ₜ − idfₜ| / Σₜ dfₜ·idfₜ over the terms of `documents`, where dfₜ
    /// and idf′ₜ are the documents' own document frequency and IDF, idfₜ the frozen one: 0 when
    /// the frequencies are the generation's, 0.1 when the IDF a term occurrence carries is off
    /// by a tenth on average.
    ///
    /// - Complexity: O(total terms) hash lookups.
    func transform(_ documents: [DocumentTerms], frozen: FrozenVocabulary, threads: Int = 1) -> Transformed {
        var known = DenseNumbering(capacity: frozen.hashes.count + frozen.pruned.count)
        for hash in frozen.hashes { _ = known.number(of: hash) }
        let prunedFrom = Int32(frozen.hashes.count)
        for hash in frozen.pruned { _ = known.number(of: hash) }
        let frozenIDF = frozen.documentFrequency.map { Self.idf(frequency: $0, documents: frozen.documents) }
        let unseenIDF = Self.idf(frequency: FrozenVocabulary.unseenDocumentFrequency, documents: frozen.documents)

        // One lookup per term occurrence. A row's entries are first numbered as the generation
        // numbers its terms (a frozen term by its number; a term it never saw as -1 - its number
        // among the chunk's unseen terms), weighted and normalised; the run's columns, the
        // frozen terms and the unseen ones merged in hash order, replace the numbers after.
        struct Rows {
            var lengths: [Int] = []
            var entries: [Int32] = []
            var values: [Float] = []
            var frozenFrequency: [Int32]
            var unseen = DenseNumbering(capacity: 64)
            var unseenHashes: [UInt64] = []
            var unseenFrequency: [Int32] = []
        }
        let parts = Parallel.mapChunks(count: documents.count, threads: threads) { range -> Rows in
            var rows = Rows(frozenFrequency: [Int32](repeating: 0, count: frozen.hashes.count))
            for index in range {
                let start = rows.entries.count
                var norm: Float = 0
                for (term, count) in zip(documents[index].terms, documents[index].counts) {
                    let entry: Int32, idf: Float
                    if let number = known.existingNumber(of: term) {
                        if number >= prunedFrom { continue }
                        entry = number
                        idf = frozenIDF[Int(number)]
                        rows.frozenFrequency[Int(number)] += 1
                    } else {
                        let (number, isNew) = rows.unseen.number(of: term)
                        if isNew {
                            rows.unseenHashes.append(term)
                            rows.unseenFrequency.append(0)
                        }
                        rows.unseenFrequency[Int(number)] += 1
                        entry = -1 - number
                        idf = unseenIDF
                    }
                    let weight = termFrequency(count) * idf
                    rows.entries.append(entry)
                    rows.values.append(weight)
                    norm += weight * weight
                }
                let scale = norm > 0 ? 1 / sqrtf(norm) : 0
                for entry in start..<rows.values.count { rows.values[entry] *= scale }
                rows.lengths.append(rows.entries.count - start)
            }
            return rows
        }
        // The run's columns: the frozen terms and the terms the generation never saw, merged in
        // hash order (so each row's entries stay in column order).
        let unseen = Array(Set(parts.lazy.flatMap(\.unseenHashes))).sorted()
        var hashes: [UInt64] = []
        var frequency: [Int32] = []
        var frozenColumn = [Int32](repeating: 0, count: frozen.hashes.count)
        var unseenColumn: [UInt64: Int32] = [:]
        unseenColumn.reserveCapacity(unseen.count)
        hashes.reserveCapacity(frozen.hashes.count + unseen.count)
        frequency.reserveCapacity(frozen.hashes.count + unseen.count)
        var next = 0
        func appendUnseen(through limit: UInt64?) {
            while next < unseen.count && limit.map({ unseen[next] < $0 }) ?? true {
                unseenColumn[unseen[next]] = Int32(hashes.count)
                hashes.append(unseen[next])
                frequency.append(FrozenVocabulary.unseenDocumentFrequency)
                next += 1
            }
        }
        for (index, hash) in frozen.hashes.enumerated() {
            appendUnseen(through: hash)
            frozenColumn[index] = Int32(hashes.count)
            hashes.append(hash)
            frequency.append(frozen.documentFrequency[index])
        }
        appendUnseen(through: nil)
        let idf = frequency.map { Self.idf(frequency: $0, documents: frozen.documents) }

        var ownFrequency = [Int32](repeating: 0, count: hashes.count)
        for part in parts {
            for (number, count) in part.frozenFrequency.enumerated() where count > 0 { ownFrequency[Int(frozenColumn[number])] += count }
            for (hash, count) in zip(part.unseenHashes, part.unseenFrequency) { ownFrequency[Int(unseenColumn[hash]!)] += count }
        }
        // Numbers to columns.
        var rowStarts = ContiguousArray<Int>([0])
        rowStarts.reserveCapacity(documents.count + 1)
        var columns = ContiguousArray<Int32>()
        var values = ContiguousArray<Float>()
        columns.reserveCapacity(parts.reduce(0) { $0 + $1.entries.count })
        values.reserveCapacity(columns.capacity)
        for part in parts {
            for length in part.lengths { rowStarts.append(rowStarts.last! + length) }
            let columnOfUnseen = part.unseenHashes.map { unseenColumn[$0]! }
            for entry in part.entries {
                columns.append(entry >= 0 ? frozenColumn[Int(entry)] : columnOfUnseen[Int(-1 - entry)])
            }
            values.append(contentsOf: part.values)
        }
        var moved = 0.0, total = 0.0
        for term in hashes.indices where ownFrequency[term] > 0 {
            let own = Double(Self.idf(frequency: ownFrequency[term], documents: documents.count))
            moved += Double(ownFrequency[term]) * abs(own - Double(idf[term]))
            total += Double(ownFrequency[term]) * Double(idf[term])
        }
        let vocabulary = Vocabulary(
            hashes: hashes, documentFrequency: frequency, idf: idf, termsSeen: frozen.termsSeen + unseen.count,
            pruned: frozen.pruned, documents: frozen.documents)
        return Transformed(
            matrix: SparseMatrix(rowStarts: rowStarts, columns: columns, values: values, columnCount: hashes.count),
            vocabulary: vocabulary, drift: total > 0 ? moved / total : 0)
    }
}
