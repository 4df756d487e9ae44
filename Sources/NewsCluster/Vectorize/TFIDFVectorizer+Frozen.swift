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
        // The terms the generation never saw, per chunk, then merged.
        let unseenParts = Parallel.mapChunks(count: documents.count, threads: threads) { range -> [UInt64] in
            var unseen = Set<UInt64>()
            for index in range {
                for term in documents[index].terms where known.existingNumber(of: term) == nil { unseen.insert(term) }
            }
            return Array(unseen)
        }
        let unseen = Array(Set(unseenParts.joined())).sorted()
        // The run's columns: the frozen terms and the unseen ones, merged in hash order.
        var hashes: [UInt64] = []
        var frequency: [Int32] = []
        hashes.reserveCapacity(frozen.hashes.count + unseen.count)
        frequency.reserveCapacity(frozen.hashes.count + unseen.count)
        var next = 0
        for (index, hash) in frozen.hashes.enumerated() {
            while next < unseen.count && unseen[next] < hash {
                hashes.append(unseen[next])
                frequency.append(FrozenVocabulary.unseenDocumentFrequency)
                next += 1
            }
            hashes.append(hash)
            frequency.append(frozen.documentFrequency[index])
        }
        for hash in unseen[next...] {
            hashes.append(hash)
            frequency.append(FrozenVocabulary.unseenDocumentFrequency)
        }
        // One lookup per term occurrence: a frozen term's run column by its frozen number; the
        // few unseen terms through a numbering of their own.
        var frozenColumn = [Int32](repeating: 0, count: frozen.hashes.count)
        var unseenColumn = [Int32](repeating: 0, count: unseen.count)
        var unseenNumber = DenseNumbering(capacity: unseen.count)
        for hash in unseen { _ = unseenNumber.number(of: hash) }
        do {
            var frozenIndex = 0, unseenIndex = 0
            for (column, hash) in hashes.enumerated() {
                if frozenIndex < frozen.hashes.count && frozen.hashes[frozenIndex] == hash {
                    frozenColumn[frozenIndex] = Int32(column)
                    frozenIndex += 1
                } else {
                    unseenColumn[unseenIndex] = Int32(column)
                    unseenIndex += 1
                }
            }
        }
        let idf = frequency.map { Self.idf(frequency: $0, documents: frozen.documents) }

        struct Rows { var lengths: [Int] = []; var columns: [Int32] = []; var values: [Float] = []; var frequency: [Int32] }
        let parts = Parallel.mapChunks(count: documents.count, threads: threads) { range -> Rows in
            var rows = Rows(frequency: [Int32](repeating: 0, count: hashes.count))
            for index in range {
                let start = rows.columns.count
                var norm: Float = 0
                for (term, count) in zip(documents[index].terms, documents[index].counts) {
                    let column: Int32
                    if let number = known.existingNumber(of: term) {
                        if number >= prunedFrom { continue }
                        column = frozenColumn[Int(number)]
                    } else {
                        column = unseenColumn[Int(unseenNumber.existingNumber(of: term)!)]
                    }
                    let weight = termFrequency(count) * idf[Int(column)]
                    rows.columns.append(column)
                    rows.values.append(weight)
                    rows.frequency[Int(column)] += 1
                    norm += weight * weight
                }
                let scale = norm > 0 ? 1 / sqrtf(norm) : 0
                for entry in start..<rows.values.count { rows.values[entry] *= scale }
                rows.lengths.append(rows.columns.count - start)
            }
            return rows
        }
        var rowStarts = ContiguousArray<Int>([0])
        rowStarts.reserveCapacity(documents.count + 1)
        var columns = ContiguousArray<Int32>()
        var values = ContiguousArray<Float>()
        var ownFrequency = [Int32](repeating: 0, count: hashes.count)
        for part in parts {
            for length in part.lengths { rowStarts.append(rowStarts.last! + length) }
            columns.append(contentsOf: part.columns)
            values.append(contentsOf: part.values)
            for (term, count) in part.frequency.enumerated() { ownFrequency[term] += count }
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
