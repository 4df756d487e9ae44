import Foundation

/// Finds, for every article, the articles similar enough to matter — without ever holding an
/// N×N matrix: projected rows are compared tile by tile with `cblas_sgemm`, candidates are kept
/// by a lowered threshold and a per-row top-k, and every kept pair is re-scored exactly on the
/// sparse TF-IDF rows. Every score that leaves this stage is an exact cosine.
public struct NeighborSearch: Sendable {
    public struct Options: Sendable, Codable, Equatable {
        /// Projected dimension for the BLAS pass.
        public var dimensions = 256
        /// Pairs whose projected score reaches this are re-scored exactly.
        public var candidateFloor: Float = 0.1
        /// Exact scores below this are not kept as edges (they still compete for `related`).
        public var edgeFloor: Float = 0.1
        /// Per-row candidates kept by projected score whatever their value, for related lists.
        public var nearestPerRow = 24
        /// Articles published more than this many seconds apart are never compared.
        public var windowSeconds: Double?
        /// Rows per sgemm tile side (a tile of scores is tileRows² floats).
        public var tileRows = 2048
        public var threads = 1

        public init() {}
    }

    /// Exact scores of the pairs that matter.
    public struct Graph: Sendable {
        public var count: Int
        /// Pairs (i < j) with exact cosine ≥ `edgeFloor`, sorted by (i, j).
        public var edges: [Edge]
        /// Per article, the exactly scored candidates (any score > 0), best first.
        public var candidates: [[Neighbor]]
        public var stats: Stats
    }

    public struct Edge: Sendable, Equatable {
        public var a: Int32
        public var b: Int32
        public var score: Float
    }

    public struct Neighbor: Sendable, Equatable {
        public var index: Int32
        public var score: Float
    }

    public struct Stats: Sendable, Codable, Equatable {
        public var tiles = 0
        public var tilesSkippedByWindow = 0
        public var flops: Double = 0
        public var sgemmSeconds: Double = 0
        public var candidatePairs = 0
        public var edges = 0

        enum CodingKeys: String, CodingKey {
            case tiles, flops, edges
            case tilesSkippedByWindow = "tiles_skipped_by_window"
            case sgemmSeconds = "sgemm_seconds"
            case candidatePairs = "candidate_pairs"
        }
    }

    public var options: Options

    public init(options: Options = Options()) {
        self.options = options
    }

    /// - Parameters:
    ///   - matrix: L2-normalised TF-IDF rows.
    ///   - termHashes: token hash of each column, to seed the projection.
    ///   - published: per row, seconds since the epoch, for the time window.
    public func run(_ matrix: SparseMatrix, termHashes: [UInt64], published: [Double?]) -> Graph {
        let n = matrix.rowCount
        var stats = Stats()
        guard n > 1 else {
            return Graph(count: n, edges: [], candidates: Array(repeating: [], count: n), stats: stats)
        }
        // Time order makes the window skip whole tiles; undated rows go last and meet everyone.
        let order = (0..<n).sorted { a, b in
            switch (published[a], published[b]) {
            case let (x?, y?): return x < y || (x == y && a < b)
            case (.some, nil): return true
            case (nil, .some): return false
            case (nil, nil): return a < b
            }
        }
        let times = order.map { published[$0] }
        let d = options.dimensions
        let projected = RandomProjection(dimensions: d).project(
            matrix, termHashes: termHashes, rows: order, threads: options.threads)

        var pairs: [UInt64] = []  // (position a << 32 | position b), a < b
        var nearest = TopKTable(rows: n, k: options.nearestPerRow)
        let tile = max(1, options.tileRows)
        var scores = [Float](repeating: 0, count: min(tile, n) * min(tile, n))
        let floor = options.candidateFloor
        let window = options.windowSeconds

        projected.withUnsafeBufferPointer { projected in
            scores.withUnsafeMutableBufferPointer { scores in
                for rowStart in stride(from: 0, to: n, by: tile) {
                    let rowEnd = min(n, rowStart + tile)
                    for columnStart in stride(from: rowStart, to: n, by: tile) {
                        let columnEnd = min(n, columnStart + tile)
                        // Undated rows sort last: a tile can be skipped only when all its rows
                        // are dated (its last row is), and then by its earliest one.
                        if let window, let last = times[rowEnd - 1], let first = times[columnStart],
                           times[columnEnd - 1] != nil, first - last > window {
                            stats.tilesSkippedByWindow += 1
                            continue
                        }
                        let m = rowEnd - rowStart, w = columnEnd - columnStart
                        let started = DispatchTime.now().uptimeNanoseconds
                        BLAS.multiplyTransposed(
                            projected.baseAddress! + rowStart * d, rows: m,
                            projected.baseAddress! + columnStart * d, rows: w,
                            depth: d, into: scores.baseAddress!)
                        stats.sgemmSeconds += Double(DispatchTime.now().uptimeNanoseconds - started) / 1e9
                        stats.tiles += 1
                        stats.flops += 2 * Double(m) * Double(w) * Double(d)
                        for a in rowStart..<rowEnd {
                            let base = (a - rowStart) * w
                            let first = columnStart == rowStart ? a + 1 : columnStart
                            guard first < columnEnd else { continue }
                            for b in first..<columnEnd {
                                let score = scores[base + b - columnStart]
                                if score >= floor {
                                    if let window, let ta = times[a], let tb = times[b], abs(tb - ta) > window {
                                        continue
                                    }
                                    pairs.append(UInt64(a) << 32 | UInt64(b))
                                } else if score > nearest.floor(a) || score > nearest.floor(b) {
                                    if let window, let ta = times[a], let tb = times[b], abs(tb - ta) > window {
                                        continue
                                    }
                                    nearest.offer(a, score: score, index: Int32(b))
                                    nearest.offer(b, score: score, index: Int32(a))
                                }
                            }
                        }
                    }
                }
            }
        }
        for a in 0..<n {
            for neighbor in nearest.neighbors(of: a) where Int(neighbor.index) > a
                || !nearest.neighbors(of: Int(neighbor.index)).contains(where: { $0.index == Int32(a) }) {
                let b = Int(neighbor.index)
                pairs.append(UInt64(min(a, b)) << 32 | UInt64(max(a, b)))
            }
        }
        pairs.sort()
        pairs = pairs.enumerated().filter { $0.offset == 0 || pairs[$0.offset - 1] != $0.element }.map(\.element)
        stats.candidatePairs = pairs.count

        // Exact re-scoring, in parallel over disjoint slices of the candidate list.
        let exact = Parallel.map(count: pairs.count, threads: options.threads) { index -> Float in
            let pair = pairs[index]
            return matrix.dot(order[Int(pair >> 32)], order[Int(pair & 0xFFFF_FFFF)])
        }
        var edges: [Edge] = []
        var candidates = [[Neighbor]](repeating: [], count: n)
        for (pair, score) in zip(pairs, exact) where score > 0 {
            let a = order[Int(pair >> 32)], b = order[Int(pair & 0xFFFF_FFFF)]
            candidates[a].append(Neighbor(index: Int32(b), score: score))
            candidates[b].append(Neighbor(index: Int32(a), score: score))
            if score >= options.edgeFloor {
                edges.append(Edge(a: Int32(min(a, b)), b: Int32(max(a, b)), score: score))
            }
        }
        for index in 0..<n {
            candidates[index].sort { $0.score > $1.score || ($0.score == $1.score && $0.index < $1.index) }
        }
        edges.sort { ($0.a, $0.b) < ($1.a, $1.b) }
        stats.edges = edges.count
        return Graph(count: n, edges: edges, candidates: candidates, stats: stats)
    }
}
