import Foundation

/// Projects sparse TF-IDF rows to dense `dimensions`-long unit vectors whose dot products
/// estimate the rows' cosines, so that BLAS can compare them in tiles.
///
/// A very sparse random projection: each term adds its weight, with a random sign, to
/// `nonzerosPerTerm` random dimensions. Signs and dimensions come from the term's token hash,
/// so the same term projects the same way in every run.
public struct RandomProjection: Sendable {
    public var dimensions: Int
    public var nonzerosPerTerm: Int

    public init(dimensions: Int = 256, nonzerosPerTerm: Int = 8) {
        precondition(dimensions > 0 && dimensions <= 65_536 && nonzerosPerTerm > 0)
        self.dimensions = dimensions
        self.nonzerosPerTerm = nonzerosPerTerm
    }

    /// Standard deviation of the estimate of a cosine `c` (Achlioptas; the sparse variant is
    /// close to it on TF-IDF rows, measured in the tests).
    public func estimateSpread(at cosine: Double) -> Double {
        ((1 + cosine * cosine) / Double(dimensions)).squareRoot()
    }

    /// The projected rows, row-major, in the order `rows` lists them.
    ///
    /// - Complexity: O(nnz · nonzerosPerTerm + rows · dimensions).
    public func project(
        _ matrix: SparseMatrix, termHashes: [UInt64], rows: [Int], threads: Int
    ) -> [Float] {
        let d = dimensions, s = nonzerosPerTerm
        // Per term: s (dimension, sign) pairs, sign in the top bit.
        var plan = [UInt32](repeating: 0, count: termHashes.count * s)
        for (term, hash) in termHashes.enumerated() {
            var state = hash ^ 0x5851_f42d_4c95_7f2d
            for k in 0..<s {
                state = ShingleSketch.mix(state, UInt64(k) &+ 0x9e37_79b9)
                let dimension = UInt32(truncatingIfNeeded: state >> 1) % UInt32(d)
                plan[term * s + k] = dimension | (state & 1 == 0 ? 0 : 0x8000_0000)
            }
        }
        let scale = 1 / Float(s).squareRoot()
        var output = [Float](repeating: 0, count: rows.count * d)
        output.withUnsafeMutableBufferPointer { output in
            let out = UncheckedSendable(output)
            Parallel.forEachChunk(count: rows.count, threads: threads) { range in
                for position in range {
                    let base = position * d
                    let (columns, values) = matrix.row(rows[position])
                    for (column, value) in zip(columns, values) {
                        let weight = value * scale
                        for k in 0..<s {
                            let entry = plan[Int(column) * s + k]
                            let target = base + Int(entry & 0x7FFF_FFFF)
                            out.value[target] += entry & 0x8000_0000 == 0 ? weight : -weight
                        }
                    }
                    var norm: Float = 0
                    for index in base..<(base + d) { norm += out.value[index] * out.value[index] }
                    if norm > 0 {
                        let inverse = 1 / norm.squareRoot()
                        for index in base..<(base + d) { out.value[index] *= inverse }
                    }
                }
            }
        }
        return output
    }
}
