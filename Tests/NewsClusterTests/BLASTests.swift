import Testing
@testable import NewsCluster

private func naiveMultiplyTransposed(_ a: [Float], rows m: Int, _ b: [Float], rows n: Int, depth k: Int) -> [Float] {
    var c = [Float](repeating: 0, count: m * n)
    for i in 0..<m {
        for j in 0..<n {
            var sum: Double = 0
            for p in 0..<k { sum += Double(a[i * k + p]) * Double(b[j * k + p]) }
            c[i * n + j] = Float(sum)
        }
    }
    return c
}

private func blasMultiplyTransposed(_ a: [Float], rows m: Int, _ b: [Float], rows n: Int, depth k: Int) -> [Float] {
    var c = [Float](repeating: .nan, count: m * n)
    a.withUnsafeBufferPointer { a in
        b.withUnsafeBufferPointer { b in
            c.withUnsafeMutableBufferPointer { c in
                BLAS.multiplyTransposed(a.baseAddress!, rows: m, b.baseAddress!, rows: n, depth: k, into: c.baseAddress!)
            }
        }
    }
    return c
}

extension UsesOpenBLAS {
    @Suite("BLAS")
    struct BLASTests {
        @Test(arguments: [(37, 23, 19), (1, 1, 1), (5, 64, 3), (64, 7, 256), (130, 129, 33)])
        func multiplyTransposedMatchesNaiveLoop(m: Int, n: Int, k: Int) {
            var generator = SeededGenerator(seed: UInt64(m * 10_000 + n * 100 + k))
            let a = (0..<(m * k)).map { _ in Float.random(in: -1...1, using: &generator) }
            let b = (0..<(n * k)).map { _ in Float.random(in: -1...1, using: &generator) }
            let expected = naiveMultiplyTransposed(a, rows: m, b, rows: n, depth: k)
            let got = blasMultiplyTransposed(a, rows: m, b, rows: n, depth: k)
            #expect(got.count == m * n)
            let worst = zip(got, expected).map { abs($0 - $1) }.max() ?? 0
            #expect(worst < 1e-4, "max |difference| \(worst)")
        }

        @Test func multiplyTransposedOverwritesTheOutput() {
            // beta = 0: whatever was in c before does not leak into the result.
            let a: [Float] = [1, 2, 3, 4]        // 2×2
            let b: [Float] = [1, 0, 0, 1, 1, 1]  // 3×2
            #expect(blasMultiplyTransposed(a, rows: 2, b, rows: 3, depth: 2) == [1, 2, 3, 3, 4, 7])
        }

        @Test func rowRangesOfPackedBuffersAreMultiplied() {
            var generator = SeededGenerator(seed: 41)
            let k = 5
            let a = (0..<(9 * k)).map { _ in Float.random(in: -1...1, using: &generator) }
            let b = (0..<(7 * k)).map { _ in Float.random(in: -1...1, using: &generator) }
            // Rows 2..<6 of a against rows 3..<7 of b: the same as multiplying those rows alone.
            let expected = naiveMultiplyTransposed(Array(a[(2 * k)..<(6 * k)]), rows: 4, Array(b[(3 * k)..<(7 * k)]), rows: 4, depth: k)
            var c = [Float](repeating: .nan, count: 20)
            a.withUnsafeBufferPointer { a in
                b.withUnsafeBufferPointer { b in
                    c.withUnsafeMutableBufferPointer { c in
                        BLAS.multiplyTransposed(a, rows: 2..<6, b, rows: 3..<7, depth: k, into: c)
                    }
                }
            }
            let worst = zip(c.prefix(16), expected).map { abs($0 - $1) }.max() ?? .nan
            #expect(worst < 1e-5, "max |difference| \(worst)")
            // Only the tile's scores are written.
            #expect(c.suffix(4).allSatisfy { $0.isNaN })
        }

        @Test func coreNameIsKnown() {
            #expect(!BLAS.coreName.isEmpty)
            #expect(BLAS.threadCount >= 1)
        }
    }
}
