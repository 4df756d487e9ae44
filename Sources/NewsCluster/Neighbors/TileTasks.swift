import Foundation

/// The tile scan of a search shared out to tasks that may run on other machines (a Spark job's
/// executors): the search writes what the scan needs to one file (`writeSearch`); task t of N
/// scans its share of the tiles into a part file (`runTask`), with the same sgemm on the same
/// tiles as one machine; the search merges the parts (`merge`) and finishes as it does on one
/// machine. The search's result does not depend on how its tiles were shared out (see
/// `NeighborSearch.scanInProcess`), so the reports are those of one machine, given the same
/// binary and OpenBLAS kernels on every task (sgemm's rounding depends on the kernel).
///
/// A task holds only its own rows: the tiles are shared out in their order (row band by row
/// band), so a task's tiles span a band of positions and the window after it, and it reads only
/// those positions' projected rows, sparse rows and shingles from the file.
public enum TileTasks {
    struct SearchPayload: Codable, Equatable {
        static let format = "newscluster-tile-search-1"
        var format = Self.format
        /// A random id, echoed by each part, so that no part of another search is merged.
        var search: String
        /// The binary that wrote it (`binaryIdentity`): every task must be the same build.
        var binary: String
        var tasks: Int
        var options: NeighborSearch.Options
        /// The duplicate grouping's rule, when the scan confirms copies.
        var copyThreshold: Float?
        var copyContainment: Double
        var count: Int
        var columnCount: Int
    }

    struct PartPayload: Codable, Equatable {
        static let format = "newscluster-tile-part-1"
        var format = Self.format
        var search: String
        var task: Int
        var tasks: Int
        /// The positions the task held (its tiles' rows and columns).
        var positions: Int
        var tiles: Int
        var flops: Double
        var sgemmSeconds: Double
        var copyChecks: Int
        var blasCore: String
        var seconds: Double
    }

    /// Writes what the tile scan of `plan` needs, for `tasks` tasks, to `path`; returns the
    /// search's id.
    static func writeSearch(
        _ plan: NeighborSearch.Plan, matrix: SparseMatrix, shingles: [ShingleSketch], copyRule: DuplicateGrouper?,
        options: NeighborSearch.Options, tasks: Int, to path: String
    ) throws -> String {
        precondition(!plan.incremental, "a search with a state is not shared out")
        let id = UUID().uuidString
        var writer = SectionFile.Writer()
        writer.add("times", plan.times.map { $0 ?? .nan })
        writer.add("projected", plan.projected)
        // The sparse rows and shingles in position order: a task reads a contiguous range.
        var rowStarts = [Int](), columns = [Int32](), values = [Float]()
        rowStarts.reserveCapacity(plan.count + 1)
        columns.reserveCapacity(matrix.nonzeroCount)
        values.reserveCapacity(matrix.nonzeroCount)
        rowStarts.append(0)
        for row in plan.order {
            let entries = matrix.row(row)
            columns.append(contentsOf: entries.columns)
            values.append(contentsOf: entries.values)
            rowStarts.append(columns.count)
        }
        writer.add("row_starts", rowStarts)
        writer.add("columns", columns)
        writer.add("values", values)
        var minimaStarts = [Int](), minima = [UInt64](), shingleCounts = [Int]()
        if copyRule != nil {
            minimaStarts.append(0)
            for row in plan.order {
                minima.append(contentsOf: shingles[row].minima)
                minimaStarts.append(minima.count)
                shingleCounts.append(shingles[row].count)
            }
        }
        writer.add("minima_starts", minimaStarts)
        writer.add("minima", minima)
        writer.add("shingle_counts", shingleCounts)
        try writer.write(
            SearchPayload(
                search: id, binary: binaryIdentity, tasks: tasks, options: options,
                copyThreshold: copyRule?.threshold, copyContainment: copyRule?.minimumContainment ?? 0,
                count: plan.count, columnCount: matrix.columnCount),
            to: path)
        return id
    }

    /// This build: its version and a hash of its executable file. Another build may round
    /// sgemm or apply a rule differently, so a task refuses a search another build wrote.
    static let binaryIdentity: String = {
        guard let executable = FileManager.default.contents(atPath: "/proc/self/exe") else { return Pipeline.version }
        let hash = executable.withUnsafeBytes { Tokenizer.hash($0.bindMemory(to: UInt8.self), continuing: Tokenizer.hashSeed) }
        return "\(Pipeline.version)+\(String(hash, radix: 16))"
    }()

    /// Task `task`'s share of `tiles` (all of them in order, as `NeighborSearch.upperTiles`
    /// gives them): a contiguous run, the runs as even as the count allows.
    static func share(of tiles: [NeighborSearch.Tile], task: Int, tasks: Int) -> ArraySlice<NeighborSearch.Tile> {
        let start = tiles.count * task / tasks, end = tiles.count * (task + 1) / tasks
        return tiles[start..<end]
    }

    /// Runs task `task` of the search in `searchPath` on `threads` threads; writes its part to
    /// `output`.
    public static func runTask(search searchPath: String, task: Int, tasks: Int? = nil, threads: Int, to output: String) throws {
        let started = DispatchTime.now().uptimeNanoseconds
        let file = try SectionFile.Reader(path: searchPath)
        let search = try file.payload(SearchPayload.self)
        try TaskFailure.checkInput(
            searchPath, kind: "search file", format: search.format, expected: SearchPayload.format, binary: search.binary,
            holder: "the search", count: search.tasks, unit: "tasks", task: task, tasks: tasks)
        var options = search.options
        options.threads = max(1, threads)
        let times = try file.read("times", as: Double.self).map { $0.isNaN ? nil : $0 }
        let (tiles, _) = NeighborSearch.upperTiles(times: times, tileRows: options.tileRows, window: options.windowSeconds)
        let mine = share(of: tiles, task: task, tasks: search.tasks)
        let rows = try TaskRows(holding: mine, of: search, in: file, times: times, tileRows: options.tileRows)
        let local = mine.map { NeighborSearch.Tile(rows: rows.local($0.rows), columns: rows.local($0.columns)) }
        let (globalOf, projected, localTimes) = (rows.positions, rows.projected, rows.times)
        let n = globalOf.count
        let scanner = NeighborSearch(options: options)
        let workers = max(1, min(options.threads, local.count))
        let blasThreads = BLAS.threadCount
        BLAS.setThreadCount(1)
        defer { BLAS.setThreadCount(blasThreads) }
        let copyThreshold = search.copyThreshold, containment = search.copyContainment
        var failure: (any Error)?
        let failureLock = NSLock()
        let parts = Parallel.map(count: workers, threads: workers) { worker -> NeighborSearch.TilePart in
            // Each thread reads the rows it checks as copies once, as it meets them: a few of the
            // rows it holds, not all (their sparse rows and sketches are most of a task's input).
            let copyRows = CopyRows(file: file, positions: globalOf, columnCount: search.columnCount)
            let part = NeighborSearch.TilePart(
                table: TopKTable(rows: n, k: options.nearestPerRow),
                copies: copyThreshold.map { threshold in
                    CopyJoiner(positions: n, largeGroup: options.nearestPerRow) { a, b in
                        do {
                            return try copyRows.dot(a, b) >= threshold && copyRows.sketch(a).containment(copyRows.sketch(b)) >= containment
                        } catch {
                            failureLock.withLock { failure = failure ?? error }
                            return false
                        }
                    }
                })
            let tiles = stride(from: worker, to: local.count, by: workers).map { local[$0] }
            scanner.scan(tiles, rows: projected, columns: projected, times: localTimes, fresh: nil, into: part)
            return part
        }
        if let failure { throw failure }
        // The threads' heaps into the first (each pair was offered by one tile only).
        for part in parts.dropFirst() { parts[0].table.absorb(part.table) }
        var rowCounts = [Int32](), indices = [Int32](), scores = [Float]()
        rowCounts.reserveCapacity(n)
        for row in 0..<n {
            let kept = parts[0].table.scoredEntries(of: row)
            rowCounts.append(Int32(kept.count))
            for (index, score) in kept {
                indices.append(Int32(globalOf[Int(index)]))
                scores.append(score)
            }
        }
        var pairs = [Int32](), unions = [Int32]()
        for part in parts {
            for pair in part.pairs {
                pairs.append(Int32(globalOf[pair.first]))
                pairs.append(Int32(globalOf[pair.second]))
            }
            part.copies?.forEachUnion { position, root in
                unions.append(Int32(globalOf[position]))
                unions.append(Int32(globalOf[root]))
            }
        }
        var writer = SectionFile.Writer()
        writer.add("positions", globalOf.map { Int32($0) })
        writer.add("row_counts", rowCounts)
        writer.add("indices", indices)
        writer.add("scores", scores)
        writer.add("pairs", pairs)
        writer.add("unions", unions)
        try writer.write(
            PartPayload(
                search: search.search, task: task, tasks: search.tasks, positions: globalOf.count, tiles: mine.count,
                flops: parts.reduce(0) { $0 + $1.flops }, sgemmSeconds: parts.reduce(0) { $0 + $1.sgemmSeconds },
                copyChecks: parts.reduce(0) { $0 + ($1.copies?.checks ?? 0) }, blasCore: BLAS.coreName,
                seconds: Double(DispatchTime.now().uptimeNanoseconds - started) / 1e9),
            to: output)
    }

    /// The parts of search `id` (every task's exactly once) as one scanned part of `count`
    /// positions, and what each task said of itself.
    static func merge(
        parts paths: [String], search id: String, tasks: Int, count: Int, options: NeighborSearch.Options, checksCopies: Bool
    ) throws -> (part: NeighborSearch.TilePart, payloads: [PartPayload]) {
        let merged = NeighborSearch.TilePart(
            table: TopKTable(rows: count, k: options.nearestPerRow),
            copies: checksCopies ? CopyJoiner(positions: count, largeGroup: options.nearestPerRow) { _, _ in true } : nil)
        var payloads: [PartPayload?] = Array(repeating: nil, count: tasks)
        for path in paths {
            let file = try SectionFile.Reader(path: path)
            let payload = try file.payload(PartPayload.self)
            guard payload.format == PartPayload.format, payload.search == id, payload.tasks == tasks else {
                throw TaskFailure(reason: "\(path) is not a part of this search (\(payload.search), \(payload.tasks) tasks; this is \(id), \(tasks) tasks)")
            }
            guard (0..<tasks).contains(payload.task), payloads[payload.task] == nil else {
                throw TaskFailure(reason: "\(path): task \(payload.task) given twice or out of range")
            }
            payloads[payload.task] = payload
            let positions = try file.read("positions", as: Int32.self)
            let rowCounts = try file.read("row_counts", as: Int32.self)
            let indices = try file.read("indices", as: Int32.self)
            let scores = try file.read("scores", as: Float.self)
            guard rowCounts.count == positions.count, positions.allSatisfy({ $0 >= 0 && Int($0) < count }),
                  indices.count == scores.count,
                  rowCounts.reduce(0, { $0 + Int($1) }) == indices.count,
                  indices.allSatisfy({ $0 >= 0 && Int($0) < count }) else {
                throw TaskFailure(reason: "\(path): its nearest lists do not fit its positions")
            }
            var slot = 0
            for (position, kept) in zip(positions, rowCounts) {
                for _ in 0..<Int(kept) {
                    merged.table.offer(Int(position), score: scores[slot], index: indices[slot])
                    slot += 1
                }
            }
            let pairs = try file.read("pairs", as: Int32.self)
            let unions = try file.read("unions", as: Int32.self)
            guard pairs.count % 2 == 0, unions.count % 2 == 0,
                  pairs.allSatisfy({ $0 >= 0 && Int($0) < count }), unions.allSatisfy({ $0 >= 0 && Int($0) < count }) else {
                throw TaskFailure(reason: "\(path): its pairs do not fit the search's positions")
            }
            merged.pairs.reserveCapacity(merged.pairs.count + pairs.count / 2)
            for index in stride(from: 0, to: pairs.count, by: 2) {
                merged.pairs.append(IndexPair(Int(pairs[index]), Int(pairs[index + 1])))
            }
            if let copies = merged.copies {
                for index in stride(from: 0, to: unions.count, by: 2) { copies.joinCopies(Int(unions[index]), Int(unions[index + 1])) }
                copies.countChecks(payload.copyChecks)
            }
            merged.flops += payload.flops
            merged.sgemmSeconds += payload.sgemmSeconds
        }
        let missing = payloads.indices.filter { payloads[$0] == nil }
        guard missing.isEmpty else {
            throw TaskFailure(reason: "no part of task(s) \(missing.map(String.init).joined(separator: ", ")) of \(tasks)")
        }
        return (merged, payloads.map { $0! })
    }

    /// The rows a task holds: the tile-rows its tiles touch (its band, the window after it, the
    /// undated rows at the end), their projected rows and times read from the search file and
    /// laid end to end in order, so that a tile's rows and columns stay one contiguous range each
    /// and the order of positions (which breaks ties in the heaps) stays that of the whole search.
    struct TaskRows {
        /// Per local position, its position in the search.
        var positions: [Int]
        var projected: [Float]
        var times: [Double?]
        private var blockStart: [Int: Int]
        private let block: Int

        init(holding tiles: ArraySlice<NeighborSearch.Tile>, of search: SearchPayload, in file: SectionFile.Reader,
             times allTimes: [Double?], tileRows: Int) throws {
            let block = max(1, tileRows)
            self.block = block
            let blocks = Set(tiles.flatMap { [$0.rows.lowerBound / block, $0.columns.lowerBound / block] }).sorted()
            var ranges: [Range<Int>] = []
            for start in blocks.map({ $0 * block }) {
                let range = start..<min(search.count, start + block)
                if let last = ranges.last, last.upperBound == range.lowerBound {
                    ranges[ranges.count - 1] = last.lowerBound..<range.upperBound
                } else {
                    ranges.append(range)
                }
            }
            let positions = ranges.flatMap { Array($0) }
            self.positions = positions
            var blockStart: [Int: Int] = [:]
            for (local, position) in positions.enumerated() where position % block == 0 { blockStart[position / block] = local }
            self.blockStart = blockStart
            let d = search.options.dimensions
            projected = []
            projected.reserveCapacity(positions.count * d)
            times = []
            for range in ranges {
                projected += try file.read("projected", as: Float.self, range: (range.lowerBound * d)..<(range.upperBound * d))
                times += allTimes[range]
            }
        }

        /// A tile's range of positions in the search as local positions.
        func local(_ range: Range<Int>) -> Range<Int> {
            let start = blockStart[range.lowerBound / block]! + range.lowerBound % block
            return start..<(start + range.count)
        }
    }

    /// The sparse rows and shingle sketches of a task's rows, read from the search file the
    /// first time a copy check needs them and kept (one per thread).
    final class CopyRows {
        private let file: SectionFile.Reader
        /// Per local position, its position in the search.
        private let positions: [Int]
        /// The rows read so far, one after the other, and where each local position's row is.
        private var rows: SparseMatrix
        private var rowOf: [Int: Int] = [:]
        private var sketches: [Int: ShingleSketch] = [:]

        init(file: SectionFile.Reader, positions: [Int], columnCount: Int) {
            self.file = file
            self.positions = positions
            rows = SparseMatrix(columnCount: columnCount)
        }

        /// The cosine of local positions a and b, summed as `SparseMatrix.dot` sums it on one
        /// machine (the same rows, the same order).
        func dot(_ a: Int, _ b: Int) throws -> Float {
            let (x, y) = (try row(a), try row(b))
            return rows.dot(x, y)
        }

        func sketch(_ local: Int) throws -> ShingleSketch {
            if let sketch = sketches[local] { return sketch }
            let position = positions[local]
            let starts = try file.read("minima_starts", as: Int.self, range: position..<(position + 2))
            let sketch = ShingleSketch(minima: try file.read("minima", as: UInt64.self, range: starts[0]..<starts[1]),
                                       count: try file.read("shingle_counts", as: Int.self, range: position..<(position + 1))[0])
            sketches[local] = sketch
            return sketch
        }

        /// The row of `local` in `rows`, read and appended the first time.
        private func row(_ local: Int) throws -> Int {
            if let row = rowOf[local] { return row }
            let position = positions[local]
            let starts = try file.read("row_starts", as: Int.self, range: position..<(position + 2))
            let columns = try file.read("columns", as: Int32.self, range: starts[0]..<starts[1])
            let values = try file.read("values", as: Float.self, range: starts[0]..<starts[1])
            rows.append(row: zip(columns, values))
            rowOf[local] = rows.rowCount - 1
            return rows.rowCount - 1
        }
    }
}
