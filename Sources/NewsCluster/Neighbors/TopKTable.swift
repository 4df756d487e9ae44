/// For each of `rows` rows, the `k` highest-scoring (score, index) pairs offered so far:
/// one bounded min-heap per row in flat storage (no per-row allocation), and each row's current
/// floor in its own array so that a tile of scores can be screened 16 at a time.
///
/// A class over manually allocated storage: the screening loop reads the floors through a
/// pointer while offers update them, which Swift's exclusivity rules forbid on array properties.
final class TopKTable {
    let k: Int
    let rows: Int
    private let scores: UnsafeMutablePointer<Float>
    private let indices: UnsafeMutablePointer<Int32>
    private let counts: UnsafeMutablePointer<Int32>
    /// `floor(row)` for every row, kept current by `offer`.
    /// +infinity marks a row that takes no offers (k = 0): scores are finite.
    private let floors: UnsafeMutablePointer<Float>

    init(rows: Int, k: Int) {
        precondition(rows >= 0 && k >= 0)
        self.k = k
        self.rows = rows
        scores = .allocate(capacity: max(1, rows * k))
        indices = .allocate(capacity: max(1, rows * k))
        counts = .allocate(capacity: max(1, rows))
        floors = .allocate(capacity: max(1, rows))
        counts.initialize(repeating: 0, count: max(1, rows))
        // A row that can hold nothing accepts nothing.
        floors.initialize(repeating: k > 0 ? -.infinity : .infinity, count: max(1, rows))
    }

    deinit {
        scores.deallocate()
        indices.deallocate()
        counts.deallocate()
        floors.deallocate()
    }

    /// The lowest score kept for `row`, or -infinity while the row has room (+infinity when
    /// rows hold nothing, so that nothing is offered).
    @inline(__always)
    func floor(_ row: Int) -> Float { floors[row] }

    /// Offers a neighbour; ties keep the smaller index, so results do not depend on order.
    ///
    /// - Complexity: O(log k).
    func offer(_ row: Int, score: Float, index: Int32) {
        guard floors[row] < .infinity else { return }
        let scores = self.scores + row * k, indices = self.indices + row * k
        let count = Int(counts[row])
        if count < k {
            var child = count
            scores[child] = score
            indices[child] = index
            counts[row] += 1
            while child > 0 {
                let parent = (child - 1) / 2
                guard Self.less(scores[child], indices[child], scores[parent], indices[parent]) else { break }
                swapAt(scores, indices, child, parent)
                child = parent
            }
            if count + 1 == k { floors[row] = scores[0] }
            return
        }
        guard Self.less(scores[0], indices[0], score, index) else { return }
        scores[0] = score
        indices[0] = index
        var parent = 0
        while true {
            let left = 2 * parent + 1
            guard left < k else { break }
            var smallest = left
            let right = left + 1
            if right < k && Self.less(scores[right], indices[right], scores[left], indices[left]) {
                smallest = right
            }
            guard Self.less(scores[smallest], indices[smallest], scores[parent], indices[parent]) else { break }
            swapAt(scores, indices, smallest, parent)
            parent = smallest
        }
        floors[row] = scores[0]
    }

    @inline(__always)
    private func swapAt(_ scores: UnsafeMutablePointer<Float>, _ indices: UnsafeMutablePointer<Int32>, _ i: Int, _ j: Int) {
        (scores[i], scores[j]) = (scores[j], scores[i])
        (indices[i], indices[j]) = (indices[j], indices[i])
    }

    /// Heap order: lower score first; on equal scores the larger index counts as lower.
    @inline(__always)
    static func less(_ a: Float, _ ai: Int32, _ b: Float, _ bi: Int32) -> Bool {
        a < b || (a == b && ai > bi)
    }

    /// Offers the pairs (`row`, c) for every c in `columns`, scored `scores[c - columns.lowerBound]`,
    /// to the heaps of both ends. Most scores beat neither floor: they are screened 16 at a time
    /// against `min(floor(row), threshold)` and the columns' floors. `visit(c, score)` sees every
    /// pair that reaches either floor or `threshold` (and perhaps a few just below `threshold`),
    /// first, and returns false to drop it.
    ///
    /// With `labels` (one per row, read as they are when each 16 columns are screened): a column
    /// whose label is the row's, when that is not negative, reaches `threshold` for nothing, and
    /// only the floors let it through (it gives the heaps what it would have given them). The
    /// search labels the rows of a large group of copies so, and so screens the square of a
    /// viral story's copies 16 pairs at a time instead of visiting each.
    func offerPairs(
        row: Int, columns: Range<Int>, scores rowScores: UnsafePointer<Float>, threshold: Float,
        labels: UnsafePointer<Int32>? = nil, _ visit: (Int, Float) -> Bool
    ) {
        let below = threshold.nextDown
        var rowGate = min(floors[row], below)
        let start = columns.lowerBound
        @inline(__always) func consider(_ column: Int, rowLabel: Int32) {
            let score = rowScores[column - start]
            // `>=`: a score equal to a floor may still win its tie on the index (offers do not
            // always come in index order: incremental runs, merged tables).
            guard score >= rowGate || score >= floors[column] else { return }
            if rowLabel >= 0, score < floors[row], score < floors[column], labels![column] == rowLabel { return }
            guard visit(column, score) else { return }
            offer(row, score: score, index: Int32(column))
            offer(column, score: score, index: Int32(row))
            rowGate = min(floors[row], below)
        }
        typealias Lanes = SIMD16<Float>
        typealias LabelLanes = SIMD16<Int32>
        var column = start
        while column + Lanes.scalarCount <= columns.upperBound {
            let values = UnsafeRawPointer(rowScores + (column - start)).loadUnaligned(as: Lanes.self)
            let gates = UnsafeRawPointer(floors + column).loadUnaligned(as: Lanes.self)
            let rowLabel = labels?[row] ?? -1
            let pass: SIMDMask<LabelLanes>
            if let labels, rowLabel >= 0 {
                let others = UnsafeRawPointer(labels + column).loadUnaligned(as: LabelLanes.self) .!= LabelLanes(repeating: rowLabel)
                pass = (values .>= gates) .| (values .>= Lanes(repeating: floors[row]))
                    .| ((values .>= Lanes(repeating: below)) .& others)
            } else {
                pass = (values .>= gates) .| (values .>= Lanes(repeating: rowGate))
            }
            if any(pass) {
                for lane in 0..<Lanes.scalarCount where pass[lane] { consider(column + lane, rowLabel: rowLabel) }
            }
            column += Lanes.scalarCount
        }
        while column < columns.upperBound {
            consider(column, rowLabel: labels?[row] ?? -1)
            column += 1
        }
    }

    /// Offers every entry of `other` (same shape) that `includes` (row, index): afterwards each
    /// row holds the best `k` of both tables' offers, as if all had been made to this one. (An
    /// entry both tables were offered must be left out: a row would hold it twice.)
    func absorb(_ other: TopKTable, including includes: (Int, Int) -> Bool = { _, _ in true }) {
        precondition(other.rows == rows && other.k == k)
        for row in 0..<rows {
            for slot in 0..<Int(other.counts[row]) where includes(row, Int(other.indices[row * k + slot])) {
                offer(row, score: other.scores[row * k + slot], index: other.indices[row * k + slot])
            }
        }
    }

    /// Whether `row` keeps `index`.
    ///
    /// - Complexity: O(k).
    func holds(_ row: Int, _ index: Int32) -> Bool {
        let base = row * k
        for slot in 0..<Int(counts[row]) where indices[base + slot] == index { return true }
        return false
    }

    /// The kept neighbours of `row`, best first.
    func neighbors(of row: Int) -> [(index: Int32, score: Float)] {
        let base = row * k
        return (0..<Int(counts[row])).map { (indices[base + $0], scores[base + $0]) }
            .sorted { $0.score > $1.score || ($0.score == $1.score && $0.index < $1.index) }
    }

    /// The kept (index, score) pairs of `row`, in heap order.
    func scoredEntries(of row: Int) -> [(index: Int32, score: Float)] {
        (0..<Int(counts[row])).map { (indices[row * k + $0], scores[row * k + $0]) }
    }

    /// Calls `body` with every index `row` keeps.
    func forEachEntry(of row: Int, _ body: (Int) -> Void) {
        for slot in 0..<Int(counts[row]) { body(Int(indices[row * k + slot])) }
    }

    /// Calls `body` with (row, kept index) for every kept entry, rows in order.
    func forEachEntry(_ body: (Int, Int) -> Void) {
        for row in 0..<rows {
            for slot in 0..<Int(counts[row]) { body(row, Int(indices[row * k + slot])) }
        }
    }
}
