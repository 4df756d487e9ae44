/// Groups near-duplicates: syndicated copies and lightly edited rewrites of one article.
///
/// Two articles are copies when their exact TF-IDF cosine reaches `threshold` *and* one
/// contains most of the other's word 4-grams — so a shared template or a list of the same
/// names never makes a duplicate on its own. A copy re-titled and trimmed by a sentence or two
/// loses more cosine than a short text can spare, while the other still holds nearly all of its
/// 4-grams: from `rewrittenThreshold` on, a pair is a copy with `rewrittenContainment`. Copies
/// of copies join one group (union-find).
struct DuplicateGrouper: Sendable {
    var threshold: Float
    var minimumContainment: Double
    var rewrittenThreshold: Float
    var rewrittenContainment: Double

    /// Without `rewrittenThreshold`, only `threshold` makes copies.
    init(threshold: Float = 0.8, minimumContainment: Double = 0.5,
         rewrittenThreshold: Float? = nil, rewrittenContainment: Double = 0.9) {
        self.threshold = threshold
        self.minimumContainment = minimumContainment
        self.rewrittenThreshold = min(threshold, rewrittenThreshold ?? threshold)
        self.rewrittenContainment = max(minimumContainment, rewrittenContainment)
    }

    /// Duplicate groups (each sorted by article index, at least two members).
    ///
    /// - Parameter joined: groups already confirmed as copies by this rule (the search's
    ///   `copyGroups`, whose inner pairs are not all in `edges`).
    /// - Complexity: O(E + n) unions, one containment per edge above `rewrittenThreshold` across
    ///   groups.
    func groups(
        edges: [NeighborSearch.Edge], shingles: [ShingleSketch], count: Int, joined: [[Int]] = []
    ) -> [[Int]] {
        var sets = UnionFind(count: count)
        for group in joined {
            for member in group.dropFirst() { sets.union(group[0], member) }
        }
        for edge in edges where edge.score >= rewrittenThreshold {
            let a = Int(edge.a), b = Int(edge.b)
            // Already one group: the containment would change nothing (a group of thousands of
            // copies has hundreds of thousands of edges inside it).
            if sets.find(a) == sets.find(b) { continue }
            let needed = edge.score >= threshold ? minimumContainment : rewrittenContainment
            if shingles[a].containment(shingles[b]) >= needed {
                sets.union(a, b)
            }
        }
        return sets.groups()
    }

    /// The canonical article of a group: earliest published, then longest, then smallest id.
    static func canonical(of group: [Int], articles: [Article], lengths: [Int]) -> Int {
        group.min { a, b in
            let ta = articles[a].published ?? .infinity, tb = articles[b].published ?? .infinity
            if ta != tb { return ta < tb }
            if lengths[a] != lengths[b] { return lengths[a] > lengths[b] }
            return articles[a].id.utf8.lexicographicallyPrecedes(articles[b].id.utf8)
        }!
    }
}
