/// The columns of a sparse matrix as posting lists: for each column, the rows (by position in a
/// chosen order) that have it and their values, positions ascending. Lets rare terms be
/// compared exactly: two rows meet only through the columns they share.
struct InvertedIndex: Sendable {
    /// Posting list `c` is `starts[c]..<starts[c + 1]` of `positions` and `values`.
    let starts: [Int]
    let positions: [Int32]
    let values: [Float]

    /// - Parameters:
    ///   - order: the matrix rows in the order their positions should have.
    ///   - keep: which columns to index.
    /// - Complexity: O(nnz).
    init(_ matrix: SparseMatrix, order: [Int], keep: (Int) -> Bool) {
        var counts = [Int](repeating: 0, count: matrix.columnCount + 1)
        for column in matrix.columns where keep(Int(column)) { counts[Int(column) + 1] += 1 }
        for column in 0..<matrix.columnCount { counts[column + 1] += counts[column] }
        var next = counts
        var positions = [Int32](repeating: 0, count: counts[matrix.columnCount])
        var values = [Float](repeating: 0, count: counts[matrix.columnCount])
        for (position, row) in order.enumerated() {
            let (columns, rowValues) = matrix.row(row)
            for (column, value) in zip(columns, rowValues) where keep(Int(column)) {
                positions[next[Int(column)]] = Int32(position)
                values[next[Int(column)]] = value
                next[Int(column)] += 1
            }
        }
        starts = counts
        self.positions = positions
        self.values = values
    }

    /// For the row at `position` (whose row in the matrix is `row`), the dot products restricted
    /// to the indexed columns with every later position up to `limit` (exclusive) that shares
    /// one; `body` gets (other position, partial dot product). Uses `scratch` (zeroed, at least
    /// as long as the number of positions) and leaves it zeroed.
    ///
    /// - Complexity: O(Σ postings scanned) for the row's indexed columns.
    /// With `everyPosition`, every other position is visited, earlier ones too.
    func forEachLaterPosition(
        of position: Int, row: Int, in matrix: SparseMatrix, limit: Int, everyPosition: Bool = false,
        scratch: inout [Float], touched: inout [Int32], _ body: (Int, Float) -> Void
    ) {
        touched.removeAll(keepingCapacity: true)
        let (columns, rowValues) = matrix.row(row)
        for (column, value) in zip(columns, rowValues) {
            let start = starts[Int(column)], end = starts[Int(column) + 1]
            guard start < end else { continue }
            // Postings are ascending: skip to the first position after this row.
            var low = start, high = everyPosition ? start : end
            while low < high {
                let middle = (low + high) / 2
                if Int(positions[middle]) <= position { low = middle + 1 } else { high = middle }
            }
            var index = low
            while index < end {
                let other = Int(positions[index])
                guard other < limit else { break }
                if other == position { index += 1; continue }
                if scratch[other] == 0 { touched.append(Int32(other)) }
                scratch[other] += value * values[index]
                index += 1
            }
        }
        for other in touched {
            let value = scratch[Int(other)]
            scratch[Int(other)] = 0
            if value != 0 { body(Int(other), value) }
        }
    }
}
