/// The order the pipeline works in past the read: by publication time (undated last), then by
/// id. The same records in any input order get the same indices, so every tie broken by index
/// and every float sum taken in index order comes out the same: shuffled input lines give
/// byte-identical stories and the same ids. Time order also keeps a story's articles close
/// together in memory, as a chronological input would. Input order is kept only where the
/// contract asks for it (`articles.jsonl`) and where it helps the disk (texts read again go in
/// file order).
struct CanonicalOrder: Sendable, Codable {
    /// For each canonical index, the article's position in the input.
    let inputPositions: [Int]
    /// For each input position, the article's canonical index.
    let canonicalIndices: [Int]

    init(ids: [String], published: [Double?]) {
        precondition(ids.count == published.count)
        inputPositions = ids.indices.sorted { a, b in
            let ta = published[a] ?? .infinity, tb = published[b] ?? .infinity
            return ta != tb ? ta < tb : ids[a].utf8.lexicographicallyPrecedes(ids[b].utf8)
        }
        var canonical = [Int](repeating: 0, count: ids.count)
        for (index, position) in inputPositions.enumerated() { canonical[position] = index }
        canonicalIndices = canonical
    }

    /// `values` (in input order) in canonical order.
    func canonical<T>(_ values: [T]) -> [T] {
        inputPositions.map { values[$0] }
    }

    /// `values` (in canonical order) in input order.
    func input<T>(_ values: [T]) -> [T] {
        canonicalIndices.map { values[$0] }
    }
}
