import Testing
@testable import NewsCluster

@Suite("SparseMatrix")
struct SparseMatrixTests {
    @Test func buildsCSRRows() throws {
        let matrix = SparseMatrix(rows: [[(1, 2), (4, 3)], [], [(0, 1)]], columnCount: 5)
        try #require(matrix.rowCount == 3)
        #expect(matrix.nonzeroCount == 3)
        #expect(Array(matrix.rowStarts) == [0, 2, 2, 3])
        #expect(Array(matrix.row(0).columns) == [1, 4])
        #expect(Array(matrix.row(0).values) == [2, 3])
        #expect(matrix.row(1).columns.isEmpty)
        #expect(Array(matrix.row(2).columns) == [0])
        var appended = SparseMatrix(columnCount: 5)
        appended.reserveCapacity(rows: 3, nonzeros: 3)
        appended.append(row: [(Int32(1), Float(2)), (4, 3)])
        appended.append(row: [(Int32, Float)]())
        appended.append(row: [(Int32(0), Float(1))])
        #expect(appended.rowStarts == matrix.rowStarts)
        #expect(appended.columns == matrix.columns)
        #expect(appended.values == matrix.values)
    }

    @Test func unsafeBuffersHoldTheRows() throws {
        let matrix = SparseMatrix(rows: [[(1, 0.5), (4, 1)], [], [(0, 2), (3, 0.25), (4, 0.125)]], columnCount: 5)
        try #require(matrix.rowCount == 3)
        try matrix.withUnsafeBuffers { rowStarts, columns, values in
            try #require(Array(rowStarts) == [0, 2, 2, 5])
            try #require(columns.count == 5 && values.count == 5)
            for row in 0..<3 {
                let range = rowStarts[row]..<rowStarts[row + 1]
                #expect(Array(columns[range]) == Array(matrix.row(row).columns))
                #expect(Array(values[range]) == Array(matrix.row(row).values))
            }
        }
    }

    @Test func dotMatchesDenseNaive() throws {
        var generator = SeededGenerator(seed: 21)
        let columns = 200
        let rows = (0..<40).map { _ -> [(Int32, Float)] in
            let nonzeros = Int.random(in: 0...60, using: &generator)
            var chosen = Set<Int32>()
            while chosen.count < nonzeros { chosen.insert(Int32.random(in: 0..<Int32(columns), using: &generator)) }
            return chosen.sorted().map { ($0, Float.random(in: -1...1, using: &generator)) }
        }
        let matrix = SparseMatrix(rows: rows, columnCount: columns)
        // The dense rows are as wide as the matrix says it is.
        try #require(matrix.rowCount == rows.count && matrix.columnCount == columns)
        let dense = (0..<rows.count).map { Fixtures.dense(matrix, row: $0) }
        for a in 0..<rows.count {
            for b in 0..<rows.count {
                var expected: Double = 0
                for column in 0..<columns { expected += Double(dense[a][column]) * Double(dense[b][column]) }
                #expect(abs(Double(matrix.dot(a, b)) - expected) < 1e-4)
                #expect(matrix.dot(a, b) == matrix.dot(b, a))
            }
        }
    }

    @Test func dotOfDisjointOrEmptyRowsIsZero() {
        let matrix = SparseMatrix(rows: [[(0, 1), (2, 1)], [(1, 5), (3, 5)], []], columnCount: 4)
        #expect(matrix.dot(0, 1) == 0)
        #expect(matrix.dot(0, 2) == 0)
        #expect(matrix.dot(2, 2) == 0)
        #expect(matrix.dot(1, 1) == 50)
    }
}

@Suite("SparseMatrix dense row")
struct SparseMatrixDenseRowTests {
    @Test func keepingColumnsDotsOverThoseColumnsOnly() {
        let matrix = SparseMatrix(rows: [[(0, 1), (2, 2), (5, 3)], [(2, 4), (3, 1), (5, 5)], []], columnCount: 6)
        let kept = matrix.keepingColumns([false, true, true, true, true, false])
        #expect(kept.rowCount == 3 && kept.columnCount == 6)
        #expect(Array(kept.row(0).columns) == [2] && Array(kept.row(1).columns) == [2, 3])
        #expect(kept.dot(0, 1) == 8)
        #expect(kept.row(2).columns.isEmpty)
    }

    @Test func scatteredDotEqualsMergedDotAndClears() {
        var generator = SeededGenerator(seed: 5)
        let columns = 120
        let rows = (0..<25).map { _ -> [(Int32, Float)] in
            var chosen = Set<Int32>()
            let nonzeros = Int.random(in: 0...40, using: &generator)
            while chosen.count < nonzeros { chosen.insert(Int32.random(in: 0..<Int32(columns), using: &generator)) }
            return chosen.sorted().map { ($0, Float.random(in: -1...1, using: &generator)) }
        }
        let matrix = SparseMatrix(rows: rows, columnCount: columns)
        var dense = [Float](repeating: 0, count: columns)
        for a in 0..<rows.count {
            matrix.scatter(a, into: &dense)
            for b in 0..<rows.count {
                #expect(abs(matrix.dot(b, dense: dense) - matrix.dot(a, b)) < 1e-5)
            }
            matrix.clear(a, in: &dense)
            #expect(dense.allSatisfy { $0 == 0 })
        }
    }
}
