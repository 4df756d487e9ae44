/// Large classes of copies, found from the shingle sketches alone before any vector exists, so
/// that a text copied thousands of times counts once in the document frequencies.
///
/// Counted once per copy, a viral story's words reach the document share at which stop words
/// are pruned (half of its language's articles are its copies), or at least get the low IDF of
/// common words while each copy's few edits keep a high one: the copies stop being copies.
///
/// The rule: documents whose sketches share one of their `keys` smallest shingle hashes are
/// candidates (a copy keeps most of its text's smallest shingles); in a bucket of at least
/// `minimumSize` of them, each one whose `containment` with the bucket's representative reaches
/// `minimumContainment` joins it (a common phrase that happens to hash low brings unrelated
/// documents into one bucket, and they do not contain each other). Classes are the joined sets
/// of at least `minimumSize` documents. Ordinary copies (a handful of sites) never make one.
struct CopyClasses: Sendable, Equatable {
    /// Each class's documents, ascending; classes by their first document.
    let classes: [[Int]]

    static let keys = 3
    /// Members of a bucket tried as its representative before the bucket is given up.
    static let representativeTries = 3

    /// - Complexity: O(n log n) for n documents, and O(n) containments.
    init(sketches: [ShingleSketch], minimumSize: Int, minimumContainment: Double) {
        let n = sketches.count
        guard minimumSize >= 2, n >= minimumSize else {
            classes = []
            return
        }
        var sets = UnionFind(count: n)
        var joined = [Bool](repeating: false, count: n)
        // Buckets by hash value, whatever its rank in each sketch: a copy whose edit made a new
        // smallest shingle still has the text's smallest one second.
        var entries: [(hash: UInt64, document: Int32)] = []
        entries.reserveCapacity(n * Self.keys)
        for (document, sketch) in sketches.enumerated() {
            for hash in sketch.minima.prefix(Self.keys) { entries.append((hash, Int32(document))) }
        }
        entries.sort { $0.hash < $1.hash || ($0.hash == $1.hash && $0.document < $1.document) }
        var start = 0
        while start < entries.count {
            var end = start + 1
            while end < entries.count && entries[end].hash == entries[start].hash { end += 1 }
            defer { start = end }
            guard end - start >= minimumSize else { continue }
            let bucket = entries[start..<end].map { Int($0.document) }
            for representative in bucket.prefix(Self.representativeTries) {
                let members = bucket.filter { member in
                    member == representative
                        || sketches[representative].containment(sketches[member]) >= minimumContainment
                }
                guard members.count >= minimumSize else { continue }
                for member in members {
                    sets.union(representative, member)
                    joined[member] = true
                }
                break
            }
        }
        var byRoot: [Int: [Int]] = [:]
        for document in 0..<n where joined[document] { byRoot[sets.find(document), default: []].append(document) }
        classes = byRoot.values.filter { $0.count >= minimumSize }.sorted { $0[0] < $1[0] }
    }
}
