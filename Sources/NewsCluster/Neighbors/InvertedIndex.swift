/// The columns of a sparse matrix as posting lists: for each column, the rows (by position in a
/// chosen order) that have it and their values, positions ascending. Lets rare terms be
/// compared exactly: two rows meet only through the columns they share.
struct InvertedIndex: Sendable {
    /// One row's entry in a column's posting list.
    struct Posting: Sendable, Equatable {
        var position: Int32
        var value: Float
    }

    /// Row `c`: the postings of column `c`, positions ascending.
    let postings: RowLists<Posting>

    /// - Parameters:
    ///   - order: the matrix rows in the order their positions should have.
    ///   - keep: which columns to index.
    /// - Complexity: O(nnz).
    init(_ matrix: SparseMatrix, order: [Int], keep: (Int) -> Bool) {
        var builder = RowLists<Posting>.Builder(rowCount: matrix.columnCount)
        for column in matrix.columns where keep(Int(column)) { builder.reserve(in: Int(column)) }
        builder.allocate(placeholder: Posting(position: 0, value: 0))
        for (position, row) in order.enumerated() {
            let (columns, rowValues) = matrix.row(row)
            for (column, value) in zip(columns, rowValues) where keep(Int(column)) {
                builder.append(Posting(position: Int32(position), value: value), to: Int(column))
            }
        }
        postings = builder.finish()
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
        let postings = self.postings.elements
        for (column, value) in zip(columns, rowValues) {
            let range = self.postings.range(of: Int(column))
            guard !range.isEmpty else { continue }
            // Postings are ascending: skip to the first position after this row.
            var low = range.lowerBound, high = everyPosition ? range.lowerBound : range.upperBound
            while low < high {
                let middle = (low + high) / 2
                if Int(postings[middle].position) <= position { low = middle + 1 } else { high = middle }
            }
            var index = low
            while index < range.upperBound {
                let other = Int(postings[index].position)
                guard other < limit else { break }
                if other == position { index += 1; continue }
                if scratch[other] == 0 { touched.append(Int32(other)) }
                scratch[other] += value * postings[index].value
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
