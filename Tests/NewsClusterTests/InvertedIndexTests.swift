import Testing
@testable import NewsCluster

@Suite("InvertedIndex")
struct InvertedIndexTests {
    /// Rows 0–3 over columns 0–4 (values chosen so every dot product is distinct).
    let matrix = SparseMatrix(rows: [
        [(0, 1), (2, 2)],
        [(0, 3), (1, 1)],
        [(1, 5), (2, 7), (4, 1)],
        [(3, 2)],
    ], columnCount: 5)

    func laterDots(_ index: InvertedIndex, order: [Int], position: Int, limit: Int? = nil) -> [Int: Float] {
        var scratch = [Float](repeating: 0, count: order.count)
        var touched: [Int32] = []
        var result: [Int: Float] = [:]
        index.forEachLaterPosition(
            of: position, row: order[position], in: matrix, limit: limit ?? order.count,
            scratch: &scratch, touched: &touched
        ) { other, dot in result[other] = dot }
        #expect(scratch.allSatisfy { $0 == 0 }, "scratch must be left zeroed")
        return result
    }

    @Test func postingsAreByColumnWithAscendingPositions() {
        let index = InvertedIndex(matrix, order: [0, 1, 2, 3]) { _ in true }
        #expect(index.postings.offsets == [0, 2, 4, 6, 7, 8])
        #expect(index.postings.elements.map(\.position) == [0, 1, 1, 2, 0, 2, 3, 2])
        #expect(index.postings.elements.map(\.value) == [1, 3, 1, 5, 2, 7, 2, 1])
    }

    @Test func dotProductsWithLaterRowsEqualTheSparseDot() {
        let index = InvertedIndex(matrix, order: [0, 1, 2, 3]) { _ in true }
        // Row 0 · row 1 = 1·3 = 3; row 0 · row 2 = 2·7 = 14; row 3 shares nothing.
        #expect(laterDots(index, order: [0, 1, 2, 3], position: 0) == [1: 3, 2: 14])
        #expect(laterDots(index, order: [0, 1, 2, 3], position: 1) == [2: 5])
        #expect(laterDots(index, order: [0, 1, 2, 3], position: 2).isEmpty)
        for a in 0..<4 {
            for (b, dot) in laterDots(index, order: [0, 1, 2, 3], position: a) {
                #expect(dot == matrix.dot(a, b))
            }
        }
    }

    @Test func onlyKeptColumnsCount() {
        // Without column 2, row 0 meets row 1 only (through column 0).
        let index = InvertedIndex(matrix, order: [0, 1, 2, 3]) { $0 != 2 }
        #expect(laterDots(index, order: [0, 1, 2, 3], position: 0) == [1: 3])
    }

    @Test func positionsFollowTheGivenOrderAndTheLimit() {
        // Order 2, 0, 1, 3: position 0 is row 2; rows 0 and 1 come later at positions 1 and 2.
        let order = [2, 0, 1, 3]
        let index = InvertedIndex(matrix, order: order) { _ in true }
        #expect(laterDots(index, order: order, position: 0) == [1: 14, 2: 5])
        #expect(laterDots(index, order: order, position: 0, limit: 2) == [1: 14])
        // Position 1 (row 0) sees only later positions: row 1 at 2.
        #expect(laterDots(index, order: order, position: 1) == [2: 3])
    }
}
