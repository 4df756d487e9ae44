import Testing
@testable import NewsCluster

/// Rows with a spread of cosines: each is a random mix of a few shared "topic" rows and its
/// own noise, L2-normalised.
private func topicalRows(count: Int, columns: Int, seed: UInt64) -> SparseMatrix {
    var generator = SeededGenerator(seed: seed)
    let topics = Fixtures.randomSparseRows(count: 6, columns: columns, nonzeros: 25, using: &generator)
    let rows = (0..<count).map { _ -> [(Int32, Float)] in
        var dense: [Int32: Float] = [:]
        let topic = topics[Int.random(in: 0..<topics.count, using: &generator)]
        let weight = Float.random(in: 0...1, using: &generator)
        for (column, value) in topic { dense[column, default: 0] += weight * value }
        for _ in 0..<20 {
            dense[Int32.random(in: 0..<Int32(columns), using: &generator), default: 0] += Float.random(in: 0.05...0.5, using: &generator)
        }
        return dense.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
    }
    return Fixtures.normalizedMatrix(rows, columnCount: columns)
}

private func projectedDot(_ projected: [Float], _ a: Int, _ b: Int, dimensions d: Int) -> Float {
    (0..<d).reduce(0) { $0 + projected[a * d + $1] * projected[b * d + $1] }
}

@Suite("RandomProjection")
struct RandomProjectionTests {
    @Test(arguments: [128, 256])
    func projectedDotsApproximateExactCosines(dimensions: Int) throws {
        let matrix = topicalRows(count: 120, columns: 3000, seed: 17)
        let hashes = Fixtures.termHashes(matrix.columnCount)
        let projection = RandomProjection(dimensions: dimensions)
        let projected = projection.project(matrix, termHashes: hashes, rows: Array(0..<matrix.rowCount), threads: 1)
        try #require(projected.count == matrix.rowCount * dimensions)
        var totalError = 0.0, totalSpread = 0.0, worst = 0.0, pairs = 0
        var exactValues: [Double] = []
        for a in 0..<matrix.rowCount {
            for b in (a + 1)..<matrix.rowCount {
                let exact = Double(matrix.dot(a, b))
                let error = abs(Double(projectedDot(projected, a, b, dimensions: dimensions)) - exact)
                exactValues.append(exact)
                totalError += error
                totalSpread += projection.estimateSpread(at: exact)
                worst = max(worst, error / projection.estimateSpread(at: exact))
                pairs += 1
            }
        }
        // The fixture has a real spread of cosines, not only near-zero pairs.
        #expect(exactValues.filter { $0 > 0.5 }.count > 100)
        #expect(exactValues.filter { $0 < 0.1 }.count > 100)
        // For a normal error with standard deviation σ, E|error| = σ·√(2/π) ≈ 0.8σ.
        let meanError = totalError / Double(pairs), meanSpread = totalSpread / Double(pairs)
        #expect(meanError < 1.0 * meanSpread, "mean |error| \(meanError), mean spread \(meanSpread)")
        #expect(worst < 6, "worst error in spreads \(worst)")
    }

    /// Every dimension and sign as the type documents them (from the term's hash), summed in
    /// the row's order, for both table widths (one byte up to 128 dimensions, four above).
    @Test(arguments: [1, 96, 128, 129, 300])
    func projectsAsTheReferenceBitForBit(dimensions d: Int) throws {
        let matrix = topicalRows(count: 40, columns: 90, seed: 17)
        let hashes = (0..<90).map { UInt64($0) &* 0x9E37_79B9_7F4A_7C15 ^ 0xABCD }
        let projection = RandomProjection(dimensions: d, nonzerosPerTerm: 8)
        let rows = Array((0..<40).reversed())
        let projected = projection.project(matrix, termHashes: hashes, rows: rows, threads: 2)
        try #require(projected.count == rows.count * d)
        let scale = 1 / Float(8).squareRoot()
        for (position, row) in rows.enumerated() {
            var expected = [Float](repeating: 0, count: d)
            let (columns, values) = matrix.row(row)
            for (column, value) in zip(columns, values) {
                var state = hashes[Int(column)] ^ 0x5851_f42d_4c95_7f2d
                for k in 0..<8 {
                    state = ShingleSketch.mix(state, UInt64(k) &+ 0x9e37_79b9)
                    let dimension = Int(UInt32(truncatingIfNeeded: state >> 1) % UInt32(d))
                    expected[dimension] += state & 1 == 0 ? value * scale : -(value * scale)
                }
            }
            let norm = expected.reduce(0) { $0 + $1 * $1 }
            if norm > 0 {
                let inverse = 1 / norm.squareRoot()
                for index in 0..<d { expected[index] *= inverse }
            }
            #expect(Array(projected[(position * d)..<((position + 1) * d)]).map(\.bitPattern) == expected.map(\.bitPattern))
        }
    }

    @Test func estimateSpread() {
        #expect(abs(RandomProjection(dimensions: 256).estimateSpread(at: 0) - 1.0 / 16) < 1e-12)
        #expect(abs(RandomProjection(dimensions: 100).estimateSpread(at: 1) - (2.0 / 100).squareRoot()) < 1e-12)
    }

    @Test func projectedRowsAreUnitNorm() throws {
        let matrix = SparseMatrix(
            rows: topicalRowsArray(count: 30, columns: 500) + [[]], columnCount: 500)
        let d = 64
        let projected = RandomProjection(dimensions: d).project(
            matrix, termHashes: Fixtures.termHashes(500), rows: Array(0..<matrix.rowCount), threads: 1)
        try #require(projected.count == matrix.rowCount * d)
        for row in 0..<30 {
            let norm = (0..<d).reduce(Float(0)) { $0 + projected[row * d + $1] * projected[row * d + $1] }
            #expect(abs(norm - 1) < 1e-5)
        }
        // An empty row stays zero, not NaN.
        #expect(projected[(30 * d)...].allSatisfy { $0 == 0 })
    }

    @Test func deterministicForTheSameInput() {
        let matrix = topicalRows(count: 50, columns: 1000, seed: 3)
        let hashes = Fixtures.termHashes(1000)
        let projection = RandomProjection(dimensions: 96)
        let rows = Array(0..<50)
        let first = projection.project(matrix, termHashes: hashes, rows: rows, threads: 1)
        let second = projection.project(matrix, termHashes: hashes, rows: rows, threads: 1)
        let threaded = projection.project(matrix, termHashes: hashes, rows: rows, threads: 4)
        #expect(first == second)
        #expect(first == threaded)
    }

    @Test func rowsComeOutInTheRequestedOrder() throws {
        let matrix = topicalRows(count: 10, columns: 400, seed: 5)
        let hashes = Fixtures.termHashes(400)
        let d = 32
        let projection = RandomProjection(dimensions: d)
        let natural = projection.project(matrix, termHashes: hashes, rows: Array(0..<10), threads: 1)
        let order = [7, 2, 9, 0]
        let picked = projection.project(matrix, termHashes: hashes, rows: order, threads: 1)
        try #require(natural.count == 10 * d)
        try #require(picked.count == order.count * d)
        for (position, row) in order.enumerated() {
            #expect(Array(picked[(position * d)..<((position + 1) * d)]) == Array(natural[(row * d)..<((row + 1) * d)]))
        }
    }

    @Test func projectionFollowsTermHashesNotColumnNumbers() {
        // The same terms in another column order project to the same vector.
        let hashes: [UInt64] = [11, 22, 33, 44]
        let a = SparseMatrix(rows: [[(0, 0.1), (1, 0.2), (2, 0.3), (3, 0.9)]], columnCount: 4)
        let b = SparseMatrix(rows: [[(0, 0.9), (1, 0.3), (2, 0.2), (3, 0.1)]], columnCount: 4)
        let projection = RandomProjection(dimensions: 16)
        let pa = projection.project(a, termHashes: hashes, rows: [0], threads: 1)
        let pb = projection.project(b, termHashes: hashes.reversed(), rows: [0], threads: 1)
        for (x, y) in zip(pa, pb) { #expect(abs(x - y) < 1e-6) }
        // A different term hash gives a different vector.
        let pc = projection.project(a, termHashes: [11, 22, 33, 45], rows: [0], threads: 1)
        #expect(pc != pa)
    }
}

private func topicalRowsArray(count: Int, columns: Int) -> [[(Int32, Float)]] {
    var generator = SeededGenerator(seed: 77)
    return Fixtures.randomSparseRows(count: count, columns: columns, nonzeros: 15, using: &generator)
}
