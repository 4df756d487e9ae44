import Foundation

/// Finds, for every article, the articles similar enough to matter — without ever holding an
/// N×N matrix: projected rows are compared tile by tile with `cblas_sgemm`; each row keeps its
/// `nearestPerRow` best projected scores (bounded heaps) and every pair whose projected score
/// reaches `candidateFloor` (set just under the duplicate threshold, so no copy is missed); every
/// kept pair is re-scored exactly on the sparse TF-IDF rows. Every score that leaves this stage
/// is an exact cosine.
///
/// A fixed per-row budget, not a low threshold, bounds the work: the projection's noise
/// (σ ≈ 1/√d) would let a low threshold admit a constant share of all N² pairs.
///
/// The pairs above `candidateFloor` are not bounded that way, and a viral story makes them N²:
/// thousands of copies of one text are all above it with each other. So, given a `CopyCheck`,
/// the scan confirms such pairs as copies as it meets them (exact cosine and the check) and
/// joins them (union-find, one per thread); a pair whose two ends are already in one group of
/// at least `nearestPerRow` confirmed copies is not kept: it cannot change the group, and each
/// copy keeps its nearest as any article does, and the screening passes such pairs only when
/// they reach a heap's floor (the members are labelled: `CopyJoiner.labels`). Such groups go
/// out in `Graph.copyGroups` for the grouping to start from. Smaller groups keep every pair, so
/// that ordinary copies are scored as before.
struct NeighborSearch: Sendable {
    struct Options: Sendable, Codable, Equatable {
        /// Projected dimension for the BLAS pass.
        var dimensions = 96
        /// Pairs whose projected score reaches this are always re-scored exactly.
        var candidateFloor: Float = 0.55
        /// Exact scores below this are not kept as edges (they still compete for `related`).
        var edgeFloor: Float = 0.1
        /// Per-row candidates kept by projected score whatever their value.
        var nearestPerRow = 48
        /// Articles published more than this many seconds apart are never compared.
        var windowSeconds: Double?
        /// Terms in at most this many documents (and at least 2) are compared exactly through an
        /// inverted index: names, numbers and story-specific words, which the projection's noise
        /// would drown. 0 turns it off.
        var rareTermDocuments = 0
        /// A pair whose rare terms alone give this dot product is re-scored exactly.
        var rareTermFloor: Float = 0.05
        /// When set, the exact cosine of *all* pairs is computed by brute force (an inverted
        /// index over every term) and the share of pairs above each threshold that the search
        /// found is reported. For benchmarks: O(Σ df²).
        var recallThresholds: [Float] = []
        /// Rows per sgemm tile side (a tile of scores is tileRows² floats).
        var tileRows = 2048
        var threads = 1

        init() {}
    }

    /// Confirms a pair above `candidateFloor` as two copies of one text during the scan: the
    /// exact cosine reaches `threshold` and `confirms(a, b)` (article indices) holds. It must be
    /// the duplicate grouping's own rule, so that joining copies early changes no group.
    struct CopyCheck: Sendable {
        var threshold: Float
        var confirms: @Sendable (_ a: Int, _ b: Int) -> Bool

        init(threshold: Float, confirms: @escaping @Sendable (_ a: Int, _ b: Int) -> Bool) {
            self.threshold = threshold
            self.confirms = confirms
        }
    }

    /// Exact scores of the pairs that matter.
    struct Graph: Sendable, Codable {
        var count: Int
        /// Pairs (i < j) with exact cosine ≥ `edgeFloor`, sorted by (i, j).
        var edges: [Edge]
        /// Per article, the exactly scored candidates (any score > 0), best first.
        var candidates: NeighborLists
        var stats: Stats
        /// Groups of confirmed copies with at least `nearestPerRow` members (article indices,
        /// ascending; groups by their first article), found with a `CopyCheck`: the pairs inside
        /// them beyond each member's nearest are not in `edges`, so a grouping must join them.
        var copyGroups: [[Int]] = []
        /// With a state (`fresh` given): the pairs (i < j) kept as one end's nearest by projected
        /// score whose exact cosine is 0, so not among the candidates. The next night needs every
        /// row's nearest to keep them as a search of all pairs would (see `run`).
        var unscoredNearest: [IndexPair] = []
    }

    struct Edge: Sendable, Equatable, Codable {
        var a: Int32
        var b: Int32
        var score: Float
    }

    struct Neighbor: Sendable, Equatable, Codable {
        var index: Int32
        var score: Float
    }

    struct Stats: Sendable, Codable, Equatable {
        var tiles = 0
        var tilesSkippedByWindow = 0
        /// Tiles of known articles only (runs with a state).
        var tilesSkippedAsKnown = 0
        /// Pairs of known articles taken from the state that a search of all pairs keeps.
        var knownPairs = 0
        var flops: Double = 0
        var sgemmSeconds: Double = 0
        var projectionSeconds: Double = 0
        /// Scanning the sgemm tiles into heaps (sgemm itself excluded).
        var scanSeconds: Double = 0
        var rareTermSeconds: Double = 0
        /// Sorting the candidates, exact cosines, edges and neighbour lists.
        var rescoreSeconds: Double = 0
        var candidatePairs = 0
        var rareTermPairs = 0
        var edges = 0
        /// Pairs above `candidateFloor` confirmed (or not) as copies during the scan.
        var copyChecks = 0
        /// Pairs inside the large groups of copies that are not kept (not a copy's nearest,
        /// nor a rare-term or known pair).
        var copyPairsDropped = 0
        /// Articles in `Graph.copyGroups`.
        var copyGroupArticles = 0
        var recall: [Recall] = []

        enum CodingKeys: String, CodingKey {
            case tiles, flops, edges
            case copyChecks = "copy_checks"
            case copyPairsDropped = "copy_pairs_dropped"
            case copyGroupArticles = "copy_group_articles"
            case tilesSkippedByWindow = "tiles_skipped_by_window"
            case tilesSkippedAsKnown = "tiles_skipped_as_known"
            case knownPairs = "known_pairs"
            case sgemmSeconds = "sgemm_seconds"
            case projectionSeconds = "projection_seconds"
            case scanSeconds = "scan_seconds"
            case rareTermSeconds = "rare_term_seconds"
            case rescoreSeconds = "rescore_seconds"
            case candidatePairs = "candidate_pairs"
            case rareTermPairs = "rare_term_pairs"
            case recall
        }
    }

    /// Of the pairs whose exact cosine reaches `threshold` (brute force), how many were found.
    struct Recall: Sendable, Codable, Equatable {
        var threshold: Float
        var pairs: Int
        var found: Int
        var share: Double { pairs == 0 ? 1 : Double(found) / Double(pairs) }

        enum CodingKeys: String, CodingKey { case threshold, pairs, found, share }

        init(threshold: Float, pairs: Int, found: Int) {
            self.threshold = threshold
            self.pairs = pairs
            self.found = found
        }

        init(from decoder: Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            threshold = try container.decode(Float.self, forKey: .threshold)
            pairs = try container.decode(Int.self, forKey: .pairs)
            found = try container.decode(Int.self, forKey: .found)
        }

        func encode(to encoder: Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(threshold, forKey: .threshold)
            try container.encode(pairs, forKey: .pairs)
            try container.encode(found, forKey: .found)
            try container.encode((share * 100_000).rounded() / 100_000, forKey: .share)
        }
    }

    var options: Options

    init(options: Options = Options()) {
        self.options = options
    }

    /// - Parameters:
    ///   - matrix: L2-normalised TF-IDF rows.
    ///   - termHashes: token hash of each column, to seed the projection.
    ///   - published: per row, seconds since the epoch, for the time window.
    ///   - fresh: with a state, which articles are new or changed: pairs of two known articles
    ///     are not searched again but taken from
    ///     `knownPairs` (article indices: last night's candidates and `unscoredNearest`, as far
    ///     as both ends are known) and re-scored, or given `knownScores` (one per pair: their
    ///     exact scores, unchanged since), taken as they are.
    ///
    ///     The known pairs are kept as a search of all pairs would keep them: each known row's
    ///     nearest start as the best of its known pairs by projected score (last night's
    ///     nearest, all of which are known pairs), fresh pairs compete for them, and a known
    ///     pair is kept only while it is one end's nearest, reaches `candidateFloor` or shares
    ///     rare terms enough. A known pair has no fresh article, so no search finds it again.
    ///   - copies: confirms copies during the scan, so that a group of thousands of copies keeps
    ///     O(its size) pairs, not O(size²) (see the type's comment).
    ///
    /// - Complexity: O(N² · d) for the tiles (less with a window or a state), plus, for the P
    ///   pairs kept, O(P log P) and their exact scores. Without `copies`, P grows as the square
    ///   of the largest group of copies; with it, as N · `nearestPerRow` plus the pairs above
    ///   the floor outside large groups of copies.
    func run(
        _ matrix: SparseMatrix, termHashes: [UInt64], published: [Double?],
        fresh: [Bool]? = nil, knownPairs: [(Int32, Int32)] = [], knownScores: [Float]? = nil, copies: CopyCheck? = nil,
        progress: ((_ done: Int, _ total: Int) -> Void)? = nil
    ) -> Graph {
        guard matrix.rowCount > 1 else {
            return Graph(count: matrix.rowCount, edges: [], candidates: NeighborLists(Array(repeating: [], count: matrix.rowCount)), stats: Stats())
        }
        let plan = prepare(matrix, termHashes: termHashes, published: published, fresh: fresh, knownPairs: knownPairs)
        let parts = scanInProcess(plan, matrix: matrix, copies: copies, progress: progress)
        return finish(plan, parts: parts, matrix: matrix, knownScores: knownScores, checksCopies: copies != nil)
    }

    /// A tile of scores: positions `rows` against positions `columns`.
    struct Tile: Sendable, Equatable {
        var rows: Range<Int>
        var columns: Range<Int>
    }

    /// What the search has made ready for the tile scan: the rows in time order (positions),
    /// projected, and the tiles to compare.
    struct Plan {
        var count: Int
        /// Per position, its row (article index).
        var order: [Int]
        /// Per position, its publication time.
        var times: [Double?]
        /// As given: per article, whether it is new or changed (nil without a state).
        var fresh: [Bool]?
        var freshAt: [Bool]
        /// Only fresh rows are searched (a night with a state).
        var incremental: Bool
        var freshPositions: [Int]
        /// `dimensions` floats per position.
        var projected: [Float]
        /// The fresh positions' projected rows, packed (incremental only): the tiles' rows.
        var packedFresh: [Float]
        /// As given: the pairs of known articles, and as positions.
        var knownPairs: [(Int32, Int32)]
        var knownAt: [IndexPair]
        var knownProjected: [Float]
        var tiles: [Tile]
        var totalTiles: Int
        var stats: Stats
        var scanStarted: UInt64
    }

    func prepare(
        _ matrix: SparseMatrix, termHashes: [UInt64], published: [Double?], fresh: [Bool]?, knownPairs: [(Int32, Int32)]
    ) -> Plan {
        let n = matrix.rowCount
        var stats = Stats()
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
        let freshAt = order.map { fresh?[$0] ?? true }
        // Only fresh rows are searched when some rows are known; a night of fresh rows only (the
        // first, or a new vocabulary generation) searches as a run without state does.
        let incremental = fresh?.contains(false) ?? false
        let d = options.dimensions
        let started = DispatchTime.now().uptimeNanoseconds
        let projected = RandomProjection(dimensions: d).project(
            matrix, termHashes: termHashes, rows: order, threads: options.threads)

        stats.projectionSeconds = seconds(since: started)
        // The known pairs as positions, and their projected scores.
        var positionOf = [Int32](repeating: 0, count: knownPairs.isEmpty ? 0 : n)
        if !knownPairs.isEmpty { for (position, row) in order.enumerated() { positionOf[row] = Int32(position) } }
        let knownAt = knownPairs.map { IndexPair(Int(positionOf[Int($0.0)]), Int(positionOf[Int($0.1)])) }
        let knownProjected = ScoreTile.scores(of: knownAt, in: projected, depth: d, threads: options.threads)
        let scanStarted = DispatchTime.now().uptimeNanoseconds
        let tile = max(1, options.tileRows)
        let window = options.windowSeconds
        var tiles: [Tile] = []
        // With a state, only fresh rows are compared, with every row: (fresh × all) tiles over
        // the fresh rows packed together; pairs of two known rows come from the state.
        let freshPositions = incremental ? (0..<n).filter { freshAt[$0] } : []
        var packedFresh: [Float] = []
        if incremental {
            packedFresh.reserveCapacity(freshPositions.count * d)
            for position in freshPositions { packedFresh.append(contentsOf: projected[(position * d)..<((position + 1) * d)]) }
            for rowStart in stride(from: 0, to: freshPositions.count, by: tile) {
                let rowEnd = min(freshPositions.count, rowStart + tile)
                for columnStart in stride(from: 0, to: n, by: tile) {
                    let columnEnd = min(n, columnStart + tile)
                    if let window, let rowFirst = times[freshPositions[rowStart]], let rowLast = times[freshPositions[rowEnd - 1]],
                       let columnFirst = times[columnStart], let columnLast = times[columnEnd - 1],
                       columnFirst - rowLast > window || rowFirst - columnLast > window {
                        stats.tilesSkippedByWindow += 1
                        continue
                    }
                    tiles.append(Tile(rows: rowStart..<rowEnd, columns: columnStart..<columnEnd))
                }
            }
        } else {
            (tiles, stats.tilesSkippedByWindow) = Self.upperTiles(times: times, tileRows: tile, window: window)
        }
        stats.tiles = tiles.count
        let totalTiles = incremental ? tiles.count + stats.tilesSkippedByWindow : Self.tileCount(rows: n, tileRows: tile)
        if incremental {
            // Tiles of a full search this run did not need.
            stats.tilesSkippedAsKnown = max(0, Self.tileCount(rows: n, tileRows: tile) - tiles.count - stats.tilesSkippedByWindow)
        }
        return Plan(
            count: n, order: order, times: times, fresh: fresh, freshAt: freshAt, incremental: incremental,
            freshPositions: freshPositions, projected: projected, packedFresh: packedFresh, knownPairs: knownPairs,
            knownAt: knownAt, knownProjected: knownProjected, tiles: tiles, totalTiles: totalTiles, stats: stats,
            scanStarted: scanStarted)
    }

    /// The upper triangle of tiles over positions with these times, minus those the window
    /// rules out, row band by row band; and how many it ruled out. Undated rows sort last: a
    /// tile can be skipped only when all its rows are dated (its last row is), and then by its
    /// earliest one.
    static func upperTiles(times: [Double?], tileRows: Int, window: Double?) -> (tiles: [Tile], skippedByWindow: Int) {
        let n = times.count, tile = max(1, tileRows)
        var tiles: [Tile] = []
        var skipped = 0
        for rowStart in stride(from: 0, to: n, by: tile) {
            let rowEnd = min(n, rowStart + tile)
            for columnStart in stride(from: rowStart, to: n, by: tile) {
                let columnEnd = min(n, columnStart + tile)
                if let window, let last = times[rowEnd - 1], let first = times[columnStart],
                   times[columnEnd - 1] != nil, first - last > window {
                    skipped += 1
                    continue
                }
                tiles.append(Tile(rows: rowStart..<rowEnd, columns: columnStart..<columnEnd))
            }
        }
        return (tiles, skipped)
    }

    /// The tile scan on this machine's threads. Each thread runs single-threaded sgemm on every
    /// `workers`-th tile and screens it into its own heaps, so that sgemm and screening overlap
    /// and no heap is shared; `finish` merges the parts (a top-k set does not depend on the
    /// order of its offers, nor on how the tiles were shared out).
    func scanInProcess(
        _ plan: Plan, matrix: SparseMatrix, copies: CopyCheck?, progress: ((_ done: Int, _ total: Int) -> Void)?
    ) -> [TilePart] {
        let n = plan.count, order = plan.order
        let tiles = plan.tiles
        let workers = max(1, min(options.threads, tiles.count))
        let blasThreads = BLAS.threadCount
        BLAS.setThreadCount(1)
        defer { BLAS.setThreadCount(blasThreads) }
        let skipped = plan.stats.tilesSkippedByWindow + plan.stats.tilesSkippedAsKnown
        return Parallel.map(count: workers, threads: workers) { worker -> TilePart in
            let part = TilePart(
                table: TopKTable(rows: n, k: options.nearestPerRow),
                copies: copies.map { check in
                    CopyJoiner(positions: n, largeGroup: options.nearestPerRow) { a, b in
                        matrix.dot(order[a], order[b]) >= check.threshold && check.confirms(order[a], order[b])
                    }
                })
            // Known rows start with the best of their known pairs: last night's nearest. Every
            // thread's table starts so, so that its screening passes only what beats them.
            for (pair, score) in zip(plan.knownAt, plan.knownProjected) {
                part.table.offer(pair.first, score: score, index: Int32(pair.second))
                part.table.offer(pair.second, score: score, index: Int32(pair.first))
            }
            let mine = stride(from: worker, to: tiles.count, by: workers).map { tiles[$0] }
            scan(mine, rows: plan.incremental ? plan.packedFresh : plan.projected, columns: plan.projected,
                 times: plan.times, fresh: plan.incremental ? (plan.freshPositions, plan.freshAt) : nil, into: part
            ) { done in
                if worker == 0 { progress?(min(tiles.count, done * workers) + skipped, plan.totalTiles) }
            }
            return part
        }
    }

    /// Scans `tiles` into `part`: sgemm of each tile's rows of `rows` (packed rows of
    /// `dimensions` floats; the fresh rows when `fresh` is given) against its columns of
    /// `columns`, each row's scores offered to the heaps of both ends, and every pair at the
    /// candidate floor kept (less those inside a large group of copies). A distributed task
    /// calls it with positions shifted to the rows it holds; the result does not depend on it.
    func scan(
        _ tiles: [Tile], rows rowSource: [Float], columns projected: [Float], times: [Double?],
        fresh: (positions: [Int], at: [Bool])?, into part: TilePart, progress: (_ done: Int) -> Void = { _ in }
    ) {
        let d = options.dimensions, floor = options.candidateFloor, window = options.windowSeconds
        let incremental = fresh != nil
        let side = min(max(1, options.tileRows), times.count)
        var scores = ScoreTile(capacity: side * side)
        for (done, tile) in tiles.enumerated() {
            let (rows, columns) = (tile.rows, tile.columns)
            let started = DispatchTime.now().uptimeNanoseconds
            scores.multiply(rowSource, rows: rows, projected, columns: columns, depth: d)
            part.sgemmSeconds += Double(DispatchTime.now().uptimeNanoseconds - started) / 1e9
            part.flops += 2 * Double(rows.count) * Double(columns.count) * Double(d)
            progress(done + 1)
            for row in rows {
                let a = fresh?.positions[row] ?? row
                let first = !incremental && columns.lowerBound == rows.lowerBound ? a + 1 : columns.lowerBound
                guard first < columns.upperBound else { continue }
                let ta = times[a]
                scores.withScores(ofRow: row, from: first) { rowScores in
                    part.table.offerPairs(
                        row: a, columns: first..<columns.upperBound, scores: rowScores,
                        threshold: floor, labels: part.copies.map { UnsafePointer($0.labels) }
                    ) { b, score in
                        // Two fresh rows meet twice in (fresh × all) tiles: once is enough.
                        if let fresh, b == a || (fresh.at[b] && b < a) { return false }
                        if let window, let ta, let tb = times[b], abs(tb - ta) > window { return false }
                        if score >= floor && part.copies?.keeps(a, b) ?? true {
                            part.pairs.append(IndexPair(a, b))
                        }
                        return true
                    }
                }
            }
        }
    }

    /// The search from the scanned parts: the heaps and copy groups merged, the rare-term and
    /// known pairs added, every kept pair scored exactly, the lists and edges built.
    func finish(
        _ plan: Plan, parts: [TilePart], matrix: SparseMatrix, knownScores: [Float]?, checksCopies: Bool
    ) -> Graph {
        let n = plan.count, order = plan.order, times = plan.times, freshAt = plan.freshAt
        let incremental = plan.incremental
        let knownPairs = plan.knownPairs, knownAt = plan.knownAt, knownProjected = plan.knownProjected
        let floor = options.candidateFloor
        var stats = plan.stats
        let workers = max(1, parts.count)
        let nearest = parts[0].table
        // (The known pairs each table started from are in the first.)
        for part in parts.dropFirst() { nearest.absorb(part.table) { !incremental || freshAt[$0] || freshAt[$1] } }
        var pairs = parts.flatMap(\.pairs)  // of positions
        var copyGroups: [[Int]] = []
        var copyJoined: CopyJoiner.Merged?
        if checksCopies {
            let joiners = parts.compactMap(\.copies)
            let joined = CopyJoiner.merged(joiners, largeGroup: options.nearestPerRow)
            stats.copyChecks = joiners.reduce(0) { $0 + $1.checks }
            // A thread kept the pairs it met before their group was large: dropped here too, so
            // that what is kept does not depend on the threads.
            pairs.removeAll { joined.isLarge[$0.first] && joined.isLarge[$0.second]
                && joined.group[$0.first] == joined.group[$0.second] }
            copyGroups = joined.largeGroups.map { group in group.map { order[$0] }.sorted() }.sorted { $0[0] < $1[0] }
            stats.copyGroupArticles = copyGroups.reduce(0) { $0 + $1.count }
            copyJoined = joined
        }
        stats.flops = parts.reduce(0) { $0 + $1.flops }
        // Wall-clock share of sgemm: the threads ran side by side.
        stats.sgemmSeconds = parts.reduce(0) { $0 + $1.sgemmSeconds } / Double(workers)
        stats.scanSeconds = seconds(since: plan.scanStarted) - stats.sgemmSeconds
        // Every kept neighbour as an ordered pair; duplicates go with the grouping below. A kept
        // pair of two known rows is one of the known pairs, below.
        nearest.forEachEntry { a, b in
            if !incremental || freshAt[a] || freshAt[b] { pairs.append(IndexPair(a, b)) }
        }
        if options.rareTermDocuments > 0 {
            let started = DispatchTime.now().uptimeNanoseconds
            let rare = rareTermPairs(matrix, order: order, times: times, freshAt: incremental ? freshAt : nil)
            stats.rareTermPairs = rare.count
            stats.rareTermSeconds = seconds(since: started)
            pairs += rare
        }
        // The known pairs a search of all pairs keeps: one end's nearest, above the floor, or
        // sharing rare terms enough (as rare as tonight's frequencies make them).
        let rare = options.rareTermDocuments > 0 && !knownAt.isEmpty ? matrix.keepingColumns(rareColumns(matrix)) : nil
        let rareFloor = options.rareTermFloor
        let scoredKnownPairs = knownScores.map { $0.count == knownPairs.count } ?? false
        let keepsKnown = Parallel.map(count: knownAt.count, threads: options.threads) { index -> Bool in
            let pair = knownAt[index], score = knownProjected[index]
            if score >= floor { return true }
            // A pair is one end's nearest when it beats that end's floor (the table holds it, with
            // the score it was seeded with), or ties it and is the one kept.
            func keeps(_ row: Int, _ other: Int) -> Bool {
                let floor = nearest.floor(row)
                return score > floor || (score == floor && nearest.holds(row, Int32(other)))
            }
            if keeps(pair.first, pair.second) || keeps(pair.second, pair.first) { return true }
            guard let rare else { return false }
            // Over some of their terms the two rows score at most their cosine (the weights are
            // not negative): a pair whose stored cosine is below the rare-term floor (with a margin
            // for rounding) cannot reach it.
            if scoredKnownPairs, knownScores![index] < rareFloor * 0.999 { return false }
            return rare.dot(order[pair.first], order[pair.second]) >= rareFloor
        }
        if !scoredKnownPairs {
            for (pair, keeps) in zip(knownAt, keepsKnown) where keeps { pairs.append(pair) }
        }
        stats.knownPairs = keepsKnown.count { $0 }
        let rescoreStarted = DispatchTime.now().uptimeNanoseconds
        var grouped = CandidatePairs(pairs, positions: n, threads: options.threads)
        pairs = []
        stats.candidatePairs = grouped.count
        if let copyJoined {
            // The pairs inside large groups, less those kept as a copy's nearest (or rare-term,
            // or known) pairs.
            var kept = 0
            for a in 0..<n where copyJoined.isLarge[a] {
                for index in grouped.range(of: a) where copyJoined.group[grouped.partner(at: index)] == copyJoined.group[a] { kept += 1 }
            }
            let inside = copyJoined.largeGroups.reduce(0) { $0 + $1.count * ($1.count - 1) / 2 }
            stats.copyPairsDropped = inside - kept
        }

        // Exact re-scoring, in parallel over positions: each position's row is laid out densely
        // once and every partner is scored against it in O(its own length).
        let columnCount = matrix.columnCount
        var exact = [Float](repeating: 0, count: grouped.count)
        exact.withParallelOutput { exact in
            Parallel.forEachChunk(count: n, threads: options.threads) { range in
                var dense = [Float](repeating: 0, count: columnCount)
                for a in range where !grouped.range(of: a).isEmpty {
                    let row = order[a]
                    matrix.scatter(row, into: &dense)
                    for index in grouped.range(of: a) {
                        exact[index] = matrix.dot(order[grouped.partner(at: index)], dense: dense)
                    }
                    matrix.clear(row, in: &dense)
                }
            }
        }

        // Per article, its scored candidates (both directions), best first.
        var lists = RowLists<Neighbor>.Builder(rowCount: n)
        for a in 0..<n {
            for index in grouped.range(of: a) where exact[index] > 0 {
                lists.reserve(in: order[a])
                lists.reserve(in: order[grouped.partner(at: index)])
            }
        }
        let knownScored = scoredKnownPairs
            ? zip(knownPairs, knownScores!).enumerated().filter { keepsKnown[$0.offset] && $0.element.1 > 0 }.map(\.element) : []
        for ((a, b), _) in knownScored {
            lists.reserve(in: Int(a))
            lists.reserve(in: Int(b))
        }
        lists.allocate(placeholder: Neighbor(index: 0, score: 0))
        for a in 0..<n {
            for index in grouped.range(of: a) where exact[index] > 0 {
                let first = order[a], second = order[grouped.partner(at: index)]
                lists.append(Neighbor(index: Int32(second), score: exact[index]), to: first)
                lists.append(Neighbor(index: Int32(first), score: exact[index]), to: second)
            }
        }
        for ((a, b), score) in knownScored {
            lists.append(Neighbor(index: b, score: score), to: Int(a))
            lists.append(Neighbor(index: a, score: score), to: Int(b))
        }
        let found = options.recallThresholds.isEmpty ? [] : Set(grouped.pairs)
        grouped = CandidatePairs([], positions: 0, threads: 1)
        exact = []
        var sorted = lists.finish()
        sorted.sortEachRow(threads: options.threads, by: BestFirst.self)
        let candidates = NeighborLists(sorted)
        sorted = RowLists()
        // With a state, the nearest that no candidate list shows (exact cosine 0), for the next
        // night: its known rows start from all of their nearest.
        var unscoredNearest: [IndexPair] = []
        if plan.fresh != nil {
            let chunks = Parallel.mapChunks(count: n, threads: options.threads) { positions -> [IndexPair] in
                var listed = [Int32](repeating: -1, count: n)
                var found: [IndexPair] = []
                for position in positions {
                    let article = order[position]
                    for neighbor in candidates[article] { listed[Int(neighbor.index)] = Int32(article) }
                    nearest.forEachEntry(of: position) { other in
                        if listed[order[other]] != Int32(article) { found.append(IndexPair(article, order[other])) }
                    }
                }
                return found
            }
            unscoredNearest = Array(Set(chunks.joined())).sorted()
        }
        // Edges (i < j) come out of the lists already grouped by i; each group sorted by j.
        let edgeFloor = options.edgeFloor
        let edgeChunks = Parallel.mapChunks(count: n, threads: options.threads) { articles -> [Edge] in
            var edges: [Edge] = []
            for article in articles {
                let from = edges.count
                for neighbor in candidates[article] where Int(neighbor.index) > article && neighbor.score >= edgeFloor {
                    edges.append(Edge(a: Int32(article), b: neighbor.index, score: neighbor.score))
                }
                edges[from...].sort { $0.b < $1.b }
            }
            return edges
        }
        let edges = Array(edgeChunks.joined())
        stats.edges = edges.count
        stats.rescoreSeconds = seconds(since: rescoreStarted)
        if !options.recallThresholds.isEmpty {
            stats.recall = recall(matrix, order: order, found: found)
        }
        return Graph(count: n, edges: edges, candidates: candidates, stats: stats, copyGroups: copyGroups,
                     unscoredNearest: unscoredNearest)
    }

    /// Best first: the higher score, then the lower index.
    static func ranksBefore(_ x: Neighbor, _ y: Neighbor) -> Bool {
        x.score > y.score || (x.score == y.score && x.index < y.index)
    }

    /// `ranksBefore` as a row order.
    private enum BestFirst: RowOrder {
        static func areInIncreasingOrder(_ x: Neighbor, _ y: Neighbor) -> Bool { ranksBefore(x, y) }
    }

    /// What one thread (or one distributed task) of the tile scan found.
    final class TilePart {
        let table: TopKTable
        let copies: CopyJoiner?
        var pairs: [IndexPair] = []
        var sgemmSeconds: Double = 0
        var flops: Double = 0
        init(table: TopKTable, copies: CopyJoiner?) {
            self.table = table
            self.copies = copies
        }
    }

    /// Candidate pairs of positions whose rare terms alone reach `rareTermFloor`.
    /// With `freshAt`, only pairs with at least one fresh position are looked for.
    func rareTermPairs(_ matrix: SparseMatrix, order: [Int], times: [Double?], freshAt: [Bool]? = nil) -> [IndexPair] {
        var indexed = rareColumns(matrix)
        // With a state only fresh rows are looked up: a column no fresh row has would be indexed
        // for nothing (most of them in a night, and the index is built on one thread).
        if let freshAt {
            var inFresh = [Bool](repeating: false, count: matrix.columnCount)
            for (position, row) in order.enumerated() where freshAt[position] {
                for column in matrix.row(row).columns { inFresh[Int(column)] = true }
            }
            for column in indexed.indices where !inFresh[column] { indexed[column] = false }
        }
        let index = InvertedIndex(matrix, order: order) { indexed[$0] }
        let floor = options.rareTermFloor
        let window = options.windowSeconds
        return forEachIndexedPair(matrix, order: order, index: index, start: [IndexPair](), freshAt: freshAt) { found, a, b, partial in
            guard partial >= floor else { return }
            if let window, let ta = times[a], let tb = times[b], abs(tb - ta) > window { return }
            found.append(IndexPair(a, b))
        }.flatMap { $0 }
    }

    /// The rare columns: in at least 2 rows and at most `rareTermDocuments`.
    func rareColumns(_ matrix: SparseMatrix) -> [Bool] {
        var frequency = [Int32](repeating: 0, count: matrix.columnCount)
        for column in matrix.columns { frequency[Int(column)] += 1 }
        let limit = Int32(options.rareTermDocuments)
        return frequency.map { $0 >= 2 && $0 <= limit }
    }

    /// Brute-force recall: every pair's exact cosine through an inverted index of all terms.
    func recall(_ matrix: SparseMatrix, order: [Int], found: Set<IndexPair>) -> [Recall] {
        let index = InvertedIndex(matrix, order: order) { _ in true }
        let thresholds = options.recallThresholds
        let start = [(pairs: Int, found: Int)](repeating: (0, 0), count: thresholds.count)
        let counts = forEachIndexedPair(matrix, order: order, index: index, start: start) { tally, a, b, score in
            let wasFound = found.contains(IndexPair(a, b))
            for (k, threshold) in thresholds.enumerated() where score >= threshold {
                tally[k].pairs += 1
                if wasFound { tally[k].found += 1 }
            }
        }
        return thresholds.indices.map { k in
            Recall(threshold: thresholds[k], pairs: counts.reduce(0) { $0 + $1[k].pairs },
                   found: counts.reduce(0) { $0 + $1[k].found })
        }
    }

    /// Visits every pair of positions (a < b) that share an indexed column, with their dot
    /// product over those columns, in parallel chunks of positions; each chunk folds into its
    /// own copy of `start`, returned in chunk order.
    /// With `freshAt`, only fresh positions are visited, each with every other position; a pair
    /// of two fresh positions is visited once (from its earlier one).
    private func forEachIndexedPair<Result>(
        _ matrix: SparseMatrix, order: [Int], index: InvertedIndex, start: Result, freshAt: [Bool]? = nil,
        _ visit: (inout Result, Int, Int, Float) -> Void
    ) -> [Result] {
        let n = order.count
        return Parallel.mapChunks(count: n, threads: options.threads) { positions -> Result in
            var result = start
            var scratch = [Float](repeating: 0, count: n)
            var touched: [Int32] = []
            for position in positions {
                if let freshAt, !freshAt[position] { continue }
                index.forEachLaterPosition(
                    of: position, row: order[position], in: matrix, limit: n, everyPosition: freshAt != nil,
                    scratch: &scratch, touched: &touched
                ) { other, dot in
                    // Two fresh positions: visited from the earlier one only.
                    if let freshAt, other < position, freshAt[other] { return }
                    visit(&result, position, other, dot)
                }
            }
            return result
        }
    }

    private func seconds(since start: UInt64) -> Double {
        Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
    }

    /// Tiles of the upper triangle that a search over `rows` rows visits (or skips).
    static func tileCount(rows: Int, tileRows: Int) -> Int {
        let side = (rows + tileRows - 1) / max(1, tileRows)
        return side * (side + 1) / 2
    }
}
