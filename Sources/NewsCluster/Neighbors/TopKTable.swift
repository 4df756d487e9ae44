/// For each of `rows` rows, the `k` highest-scoring (score, index) pairs offered so far:
/// one bounded min-heap per row in flat storage (no per-row allocation).
struct TopKTable {
    let k: Int
    private(set) var scores: [Float]
    private(set) var indices: [Int32]
    private(set) var counts: [Int32]

    init(rows: Int, k: Int) {
        self.k = k
        scores = [Float](repeating: 0, count: rows * k)
        indices = [Int32](repeating: 0, count: rows * k)
        counts = [Int32](repeating: 0, count: rows)
    }

    /// The lowest score kept for `row`, or -infinity while the row has room (+infinity when
    /// rows hold nothing, so that nothing is offered).
    @inline(__always)
    func floor(_ row: Int) -> Float {
        guard k > 0 else { return .infinity }
        return Int(counts[row]) < k ? -.infinity : scores[row * k]
    }

    /// Offers a neighbour; ties keep the smaller index, so results do not depend on order.
    ///
    /// - Complexity: O(log k).
    mutating func offer(_ row: Int, score: Float, index: Int32) {
        guard k > 0 else { return }
        let base = row * k
        let count = Int(counts[row])
        if count < k {
            var child = count
            scores[base + child] = score
            indices[base + child] = index
            counts[row] += 1
            while child > 0 {
                let parent = (child - 1) / 2
                guard Self.less(scores[base + child], indices[base + child],
                                scores[base + parent], indices[base + parent]) else { break }
                scores.swapAt(base + child, base + parent)
                indices.swapAt(base + child, base + parent)
                child = parent
            }
            return
        }
        guard Self.less(scores[base], indices[base], score, index) else { return }
        scores[base] = score
        indices[base] = index
        var parent = 0
        while true {
            let left = 2 * parent + 1
            guard left < k else { break }
            var smallest = left
            let right = left + 1
            if right < k && Self.less(scores[base + right], indices[base + right],
                                      scores[base + left], indices[base + left]) {
                smallest = right
            }
            guard Self.less(scores[base + smallest], indices[base + smallest],
                            scores[base + parent], indices[base + parent]) else { break }
            scores.swapAt(base + smallest, base + parent)
            indices.swapAt(base + smallest, base + parent)
            parent = smallest
        }
    }

    /// Heap order: lower score first; on equal scores the larger index counts as lower.
    @inline(__always)
    static func less(_ a: Float, _ ai: Int32, _ b: Float, _ bi: Int32) -> Bool {
        a < b || (a == b && ai > bi)
    }

    /// The kept neighbours of `row`, best first.
    func neighbors(of row: Int) -> [(index: Int32, score: Float)] {
        let base = row * k
        return (0..<Int(counts[row])).map { (indices[base + $0], scores[base + $0]) }
            .sorted { $0.score > $1.score || ($0.score == $1.score && $0.index < $1.index) }
    }

    /// Calls `body` with (row, kept index) for every kept entry, rows in order.
    func forEachEntry(_ body: (Int, Int) -> Void) {
        for row in 0..<counts.count {
            for slot in 0..<Int(counts[row]) { body(row, Int(indices[row * k + slot])) }
        }
    }
}
