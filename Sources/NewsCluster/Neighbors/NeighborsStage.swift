import Foundation

/// The neighbors stage's output: each article's best candidates with exact scores, the edges
/// above the floor, and the classes of copies the search confirmed.
struct NeighborGraph: Sendable, Codable {
    var vectors: Vectors
    var graph: NeighborSearch.Graph

    var articles: [Article] { vectors.articles }
}

/// Pairs a night already knows: which articles are fresh (new or changed) and the stored pairs
/// of two known articles, which are not searched again: taken with their stored scores when
/// the night scores with the vocabulary that made them, else scored again.
struct KnownPairs: Sendable {
    var fresh: [Bool]
    var pairs: [(Int32, Int32)]
    /// One per pair, or nil.
    var scores: [Float]?
}

/// neighbors: `Vectors` → `NeighborGraph`.
struct NeighborsStage {
    var options: ClusterOptions
    /// Receives the number of tiles done, for a progress line.
    var progress: @Sendable (Int) -> Void = { _ in }

    func run(_ vectors: Vectors, known: KnownPairs?) -> NeighborGraph {
        // Copies are confirmed by the grouping's own rule as the search meets them, so that a
        // story copied thousands of times keeps pairs in proportion to its copies.
        let rule = DuplicateGrouper(threshold: options.duplicateThreshold, minimumContainment: options.duplicateContainment)
        let shingles = vectors.counts.documents.map(\.shingles)
        let copies = NeighborSearch.CopyCheck(threshold: rule.threshold) { a, b in
            shingles[a].containment(shingles[b]) >= rule.minimumContainment
        }
        let progress = self.progress
        let graph = NeighborSearch(options: options.neighborOptions).run(
            vectors.matrix, termHashes: vectors.vocabulary.hashes, published: vectors.articles.map(\.published),
            fresh: known?.fresh, knownPairs: known?.pairs ?? [], knownScores: known?.scores, copies: copies,
            progress: { done, _ in progress(done) })
        return NeighborGraph(vectors: vectors, graph: graph)
    }

    static func tileCount(articles: Int, options: ClusterOptions) -> Int {
        NeighborSearch.tileCount(rows: articles, tileRows: options.neighborOptions.tileRows)
    }
}
