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

    /// Copies are confirmed by the grouping's own rule as the search meets them, so that a story
    /// copied thousands of times keeps pairs in proportion to its copies.
    private var copyRule: DuplicateGrouper {
        DuplicateGrouper(threshold: options.duplicateThreshold, minimumContainment: options.duplicateContainment)
    }

    func run(_ vectors: Vectors, known: KnownPairs?) -> NeighborGraph {
        let rule = copyRule
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

    /// The search with its tile scan shared out to tasks (`TileTasks`) through `exchange`; the
    /// same graph as `run`. Runs without a state only.
    func run(_ vectors: Vectors, sharingOutTo exchange: TaskExchange) throws -> (NeighborGraph, ScaleoutUse) {
        let search = NeighborSearch(options: options.neighborOptions)
        let matrix = vectors.matrix
        guard matrix.rowCount > 1 else {
            return (run(vectors, known: nil), ScaleoutUse(tasks: exchange.tasks, searchBytes: 0, parts: []))
        }
        let plan = search.prepare(matrix, termHashes: vectors.vocabulary.hashes, published: vectors.articles.map(\.published),
                                  fresh: nil, knownPairs: [])
        let searchPath = exchange.inputPath(.tiles)
        let id = try TileTasks.writeSearch(
            plan, matrix: matrix, shingles: vectors.counts.documents.map(\.shingles), copyRule: copyRule,
            options: options.neighborOptions, tasks: exchange.tasks, to: searchPath)
        let searchBytes = (try? FileManager.default.attributesOfItem(atPath: searchPath)[.size] as? Int) ?? 0
        let seconds = try exchange.shareOut(.tiles, count: exchange.tasks)
        let paths = exchange.partPaths(.tiles, count: exchange.tasks)
        let (part, payloads) = try TileTasks.merge(
            parts: paths, search: id, tasks: exchange.tasks, count: plan.count, options: options.neighborOptions,
            checksCopies: true)
        let graph = search.finish(plan, parts: [part], matrix: matrix, knownScores: nil, checksCopies: true)
        let use = ScaleoutUse(
            tasks: exchange.tasks, searchBytes: searchBytes,
            parts: payloads.map { .init(task: $0.task, positions: $0.positions, tiles: $0.tiles, blasCore: $0.blasCore,
                                        seconds: ($0.seconds * 1000).rounded() / 1000) },
            phases: [.init(kind: .tiles, tasks: exchange.tasks, seconds: (seconds * 1000).rounded() / 1000)])
        return (NeighborGraph(vectors: vectors, graph: graph), use)
    }

    static func tileCount(articles: Int, options: ClusterOptions) -> Int {
        NeighborSearch.tileCount(rows: articles, tileRows: options.neighborOptions.tileRows)
    }
}
