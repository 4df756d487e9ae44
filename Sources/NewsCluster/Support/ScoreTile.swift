/// The scores of one tile of the neighbour search, `a[rows] · b[columns]ᵀ` over projected rows
/// (row-major, made by BLAS), in storage reused from tile to tile. Hands out each row's scores
/// from a given column on as the pointer that `TopKTable.offerPairs` screens 16 at a time.
struct ScoreTile {
    private var scores: [Float]
    /// The rows of `a` and of `b` the current scores are for.
    private(set) var rows: Range<Int> = 0..<0
    private(set) var columns: Range<Int> = 0..<0

    /// Room for tiles of up to `capacity` scores (rows × columns).
    init(capacity: Int) {
        scores = [Float](repeating: 0, count: max(0, capacity))
    }

    /// Scores rows `rows` of `a` against rows `columns` of `b`; both hold packed rows of
    /// `depth` floats.
    mutating func multiply(_ a: [Float], rows: Range<Int>, _ b: [Float], columns: Range<Int>, depth: Int) {
        precondition(rows.count * columns.count <= scores.count, "tile larger than its capacity")
        a.withUnsafeBufferPointer { a in
            b.withUnsafeBufferPointer { b in
                scores.withUnsafeMutableBufferPointer { scores in
                    BLAS.multiplyTransposed(a, rows: rows, b, rows: columns, depth: depth, into: scores)
                }
            }
        }
        self.rows = rows
        self.columns = columns
    }

    /// Calls `body` with the scores of `row` against `column`, `column + 1`, … up to
    /// `columns.upperBound` (valid during the call only).
    func withScores<Result>(
        ofRow row: Int, from column: Int, _ body: (UnsafePointer<Float>) throws -> Result
    ) rethrows -> Result {
        precondition(rows.contains(row) && columns.contains(column), "outside the tile")
        return try scores.withUnsafeBufferPointer { scores in
            try body(scores.baseAddress! + (row - rows.lowerBound) * columns.count + (column - columns.lowerBound))
        }
    }

    /// The score of `row` against `column`.
    subscript(row: Int, column: Int) -> Float {
        precondition(rows.contains(row) && columns.contains(column), "outside the tile")
        return scores[(row - rows.lowerBound) * columns.count + (column - columns.lowerBound)]
    }

    /// The score of each pair of rows of `a` (packed rows of `depth` floats), as a tile gives it
    /// up to the rounding of the sum (16 lanes summed at the end, where a tile sums in order):
    /// for the few pairs a night needs without multiplying their tiles.
    static func scores(of pairs: [IndexPair], in a: [Float], depth: Int, threads: Int) -> [Float] {
        typealias Lanes = SIMD16<Float>
        var scores = [Float](repeating: 0, count: pairs.count)
        scores.withParallelOutput { output in
            a.withUnsafeBufferPointer { a in
                let base = UnsafeRawPointer(a.baseAddress!)
                let stride = MemoryLayout<Float>.stride
                Parallel.forEachChunk(count: pairs.count, threads: threads) { range in
                    for index in range {
                        let x = pairs[index].first * depth, y = pairs[index].second * depth
                        precondition((max(x, y) + depth) <= a.count, "a pair outside the rows")
                        var sum = Lanes(repeating: 0)
                        var k = 0
                        while k + Lanes.scalarCount <= depth {
                            sum += base.loadUnaligned(fromByteOffset: (x + k) * stride, as: Lanes.self)
                                * base.loadUnaligned(fromByteOffset: (y + k) * stride, as: Lanes.self)
                            k += Lanes.scalarCount
                        }
                        var score = sum.sum()
                        while k < depth {
                            score += a[x + k] * a[y + k]
                            k += 1
                        }
                        output[index] = score
                    }
                }
            }
        }
        return scores
    }
}
