/// A compressed sparse row matrix of `Float` with 32-bit column indices, columns ascending
/// within each row.
struct SparseMatrix: Sendable, Codable {
    private(set) var rowStarts: ContiguousArray<Int>
    private(set) var columns: ContiguousArray<Int32>
    private(set) var values: ContiguousArray<Float>
    let columnCount: Int

    var rowCount: Int { rowStarts.count - 1 }
    var nonzeroCount: Int { columns.count }

    init(columnCount: Int) {
        self.rowStarts = [0]
        self.columns = []
        self.values = []
        self.columnCount = columnCount
    }

    /// A matrix from its CSR arrays (columns ascending within each row).
    init(rowStarts: ContiguousArray<Int>, columns: ContiguousArray<Int32>, values: ContiguousArray<Float>,
         columnCount: Int) {
        precondition(rowStarts.first == 0 && rowStarts.last == columns.count && columns.count == values.count)
        self.rowStarts = rowStarts
        self.columns = columns
        self.values = values
        self.columnCount = columnCount
    }

    init(rows: [[(Int32, Float)]], columnCount: Int) {
        self.init(columnCount: columnCount)
        for row in rows { append(row: row) }
    }

    /// Appends a row; `entries` must have ascending, distinct columns.
    mutating func append<S: Sequence>(row entries: S) where S.Element == (Int32, Float) {
        for (column, value) in entries {
            precondition(columns.count == rowStarts.last! || column > columns.last!,
                         "columns must ascend within a row")
            columns.append(column)
            values.append(value)
        }
        rowStarts.append(columns.count)
    }

    mutating func reserveCapacity(rows: Int, nonzeros: Int) {
        rowStarts.reserveCapacity(rows + 1)
        columns.reserveCapacity(nonzeros)
        values.reserveCapacity(nonzeros)
    }

    func row(_ index: Int) -> (columns: ArraySlice<Int32>, values: ArraySlice<Float>) {
        let range = rowStarts[index]..<rowStarts[index + 1]
        return (columns[range], values[range])
    }

    /// The CSR arrays as buffers, for loops over every entry that bounds checks and a retained
    /// slice per row would slow (the random projection).
    func withUnsafeBuffers<Result>(
        _ body: (_ rowStarts: UnsafeBufferPointer<Int>, _ columns: UnsafeBufferPointer<Int32>,
                 _ values: UnsafeBufferPointer<Float>) throws -> Result
    ) rethrows -> Result {
        try rowStarts.withUnsafeBufferPointer { rowStarts in
            try columns.withUnsafeBufferPointer { columns in
                try values.withUnsafeBufferPointer { values in try body(rowStarts, columns, values) }
            }
        }
    }

    /// Dot product of rows `a` and `b` by merging their sorted columns.
    ///
    /// - Complexity: O(nnz(a) + nnz(b)).
    func dot(_ a: Int, _ b: Int) -> Float {
        columns.withUnsafeBufferPointer { columns in
            values.withUnsafeBufferPointer { values in
                var i = rowStarts[a], j = rowStarts[b]
                let endA = rowStarts[a + 1], endB = rowStarts[b + 1]
                var sum: Float = 0
                while i < endA && j < endB {
                    let ca = columns[i], cb = columns[j]
                    if ca == cb {
                        sum += values[i] * values[j]
                        i += 1
                        j += 1
                    } else if ca < cb {
                        i += 1
                    } else {
                        j += 1
                    }
                }
                return sum
            }
        }
    }

    /// The same rows with only the columns `included` marks (same column numbers): their dot
    /// products are those over these columns, summed in column order as a search through an
    /// inverted index of these columns sums them.
    func keepingColumns(_ included: [Bool]) -> SparseMatrix {
        var starts = ContiguousArray<Int>([0])
        starts.reserveCapacity(rowCount + 1)
        var kept = ContiguousArray<Int32>(), keptValues = ContiguousArray<Float>()
        for row in 0..<rowCount {
            for index in rowStarts[row]..<rowStarts[row + 1] where included[Int(columns[index])] {
                kept.append(columns[index])
                keptValues.append(values[index])
            }
            starts.append(kept.count)
        }
        return SparseMatrix(rowStarts: starts, columns: kept, values: keptValues, columnCount: columnCount)
    }

    /// Adds row `a` into `dense` (indexed by column): with `dot(_:dense:)`, one row is compared
    /// with many others at the cost of the others' lengths only.
    func scatter(_ a: Int, into dense: inout [Float]) {
        for index in rowStarts[a]..<rowStarts[a + 1] { dense[Int(columns[index])] += values[index] }
    }

    /// Sets back to zero the entries of `dense` that row `a` touches.
    func clear(_ a: Int, in dense: inout [Float]) {
        for index in rowStarts[a]..<rowStarts[a + 1] { dense[Int(columns[index])] = 0 }
    }

    /// Dot product of row `b` with a dense vector (indexed by column).
    ///
    /// - Complexity: O(nnz(b)).
    func dot(_ b: Int, dense: [Float]) -> Float {
        var sum: Float = 0
        for index in rowStarts[b]..<rowStarts[b + 1] { sum += values[index] * dense[Int(columns[index])] }
        return sum
    }

    private enum CodingKeys: String, CodingKey { case rowStarts, columns, values, columnCount }

    /// A matrix as a stage file holds it, checked as `init(rowStarts:…)` checks one.
    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let rowStarts = try container.decode(ContiguousArray<Int>.self, forKey: .rowStarts)
        let columns = try container.decode(ContiguousArray<Int32>.self, forKey: .columns)
        let values = try container.decode(ContiguousArray<Float>.self, forKey: .values)
        let columnCount = try container.decode(Int.self, forKey: .columnCount)
        guard rowStarts.first == 0, rowStarts.last == columns.count, columns.count == values.count,
              zip(rowStarts, rowStarts.dropFirst()).allSatisfy({ $0 <= $1 }),
              columns.allSatisfy({ $0 >= 0 && Int($0) < columnCount })
        else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "not a CSR matrix"))
        }
        self.init(rowStarts: rowStarts, columns: columns, values: values, columnCount: columnCount)
    }
}
