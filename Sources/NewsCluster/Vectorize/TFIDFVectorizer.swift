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
        /// tf = 1 + ln(count) instead of count (for counts above 1).
        public var sublinearTF = true
        /// Terms in fewer documents are dropped (1 keeps all).
        public var minimumDocumentFrequency = 1
        /// Terms in more than this share of the documents of some language group are dropped…
        public var maximumDocumentShare = 0.5
        /// …when that group has at least this many documents.
        public var minimumGroupSizeForPruning = 20

        public init() {}

        enum CodingKeys: String, CodingKey {
            case titleWeight = "title_weight"
            case nameWeight = "name_weight"
            case numberWeight = "number_weight"
            case sublinearTF = "sublinear_tf"
            case minimumDocumentFrequency = "minimum_document_frequency"
            case maximumDocumentShare = "maximum_document_share"
            case minimumGroupSizeForPruning = "minimum_group_size_for_pruning"
        }
    }

    public struct Vocabulary: Sendable {
        /// Token hash of each term id; ids are in ascending hash order.
        public var hashes: [UInt64]
        public var documentFrequency: [Int32]
        public var idf: [Float]
        /// Distinct terms before pruning.
        public var termsSeen: Int

        public func id(of hash: UInt64) -> Int32? {
            var low = 0, high = hashes.count
            while low < high {
                let middle = (low + high) / 2
                if hashes[middle] < hash { low = middle + 1 } else { high = middle }
            }
            return low < hashes.count && hashes[low] == hash ? Int32(low) : nil
        }
    }

    public var options: Options

    public init(options: Options = Options()) {
        self.options = options
    }

    /// Builds the vocabulary and the matrix. `groups[i]` is the language group of document `i`
    /// (the `language` field, else its script).
    ///
    /// - Complexity: O(total terms · log(vocabulary)).
    public func fit(_ documents: [DocumentTerms], groups: [String]) -> (SparseMatrix, Vocabulary) {
        precondition(documents.count == groups.count)
        var groupIndex: [String: Int] = [:]
        let groupOf = groups.map { name -> Int in
            if let index = groupIndex[name] { return index }
            groupIndex[name] = groupIndex.count
            return groupIndex.count - 1
        }
        var groupSizes = [Int](repeating: 0, count: groupIndex.count)
        for group in groupOf { groupSizes[group] += 1 }

        var frequency: [UInt64: [Int32]] = [:]
        for (index, document) in documents.enumerated() {
            for term in document.terms {
                frequency[term, default: [Int32](repeating: 0, count: groupSizes.count)][groupOf[index]] += 1
            }
        }
        let termsSeen = frequency.count
        let kept = frequency.filter { _, perGroup in
            let total = perGroup.reduce(0, +)
            if total < options.minimumDocumentFrequency { return false }
            for (group, count) in perGroup.enumerated()
            where groupSizes[group] >= options.minimumGroupSizeForPruning
                && Double(count) > options.maximumDocumentShare * Double(groupSizes[group]) {
                return false
            }
            return true
        }
        let hashes = kept.keys.sorted()
        let documentFrequency = hashes.map { kept[$0]!.reduce(0, +) }
        let n = Float(documents.count)
        let idf = documentFrequency.map { logf((1 + n) / (1 + Float($0))) + 1 }
        let vocabulary = Vocabulary(
            hashes: hashes, documentFrequency: documentFrequency, idf: idf, termsSeen: termsSeen)

        var matrix = SparseMatrix(columnCount: hashes.count)
        matrix.reserveCapacity(rows: documents.count, nonzeros: documents.reduce(0) { $0 + $1.terms.count })
        var row: [(Int32, Float)] = []
        for document in documents {
            row.removeAll(keepingCapacity: true)
            var norm: Float = 0
            for (term, count) in zip(document.terms, document.counts) {
                guard let id = vocabulary.id(of: term) else { continue }
                // Sublinear above one occurrence; a fractional (title-weighted) count stays linear.
                let tf = options.sublinearTF && count > 1 ? 1 + logf(count) : count
                let weight = tf * idf[Int(id)]
                row.append((id, weight))
                norm += weight * weight
            }
            let scale = norm > 0 ? 1 / sqrtf(norm) : 0
            matrix.append(row: row.lazy.map { ($0.0, $0.1 * scale) })
        }
        return (matrix, vocabulary)
    }
}
