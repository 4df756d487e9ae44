// The only file that imports the C BLAS module: everything else calls these wrappers.
private import COpenBLAS

/// The OpenBLAS calls the pipeline uses.
enum BLAS {
    /// The kernel family OpenBLAS chose when it loaded (e.g. `SkylakeX`, `Haswell`, `Prescott`).
    static var coreName: String {
        guard let name = openblas_get_corename() else { return "unknown" }
        return String(cString: name)
    }

    static var threadCount: Int { Int(openblas_get_num_threads()) }

    static func setThreadCount(_ count: Int) {
        openblas_set_num_threads(Int32(max(1, count)))
    }

    /// `c[m×n] = a[m×k] · b[n×k]ᵀ`, all row-major and packed (leading dimension = row length).
    static func multiplyTransposed(
        _ a: UnsafePointer<Float>, rows m: Int,
        _ b: UnsafePointer<Float>, rows n: Int,
        depth k: Int, into c: UnsafeMutablePointer<Float>
    ) {
        precondition(m <= Int(Int32.max) && n <= Int(Int32.max) && k <= Int(Int32.max),
                     "blasint is 32-bit")
        cblas_sgemm(
            CblasRowMajor, CblasNoTrans, CblasTrans,
            Int32(m), Int32(n), Int32(k),
            1, a, Int32(k), b, Int32(k),
            0, c, Int32(n))
    }

    /// `c = a[aRows] · b[bRows]ᵀ`, where `a` and `b` hold packed rows of `depth` floats: `c`
    /// gets `aRows.count × bRows.count` scores, row-major and packed.
    static func multiplyTransposed(
        _ a: UnsafeBufferPointer<Float>, rows aRows: Range<Int>,
        _ b: UnsafeBufferPointer<Float>, rows bRows: Range<Int>,
        depth k: Int, into c: UnsafeMutableBufferPointer<Float>
    ) {
        precondition(k > 0 && aRows.lowerBound >= 0 && bRows.lowerBound >= 0, "rows and depth must be positive")
        precondition(aRows.upperBound * k <= a.count && bRows.upperBound * k <= b.count, "rows outside the inputs")
        precondition(aRows.count * bRows.count <= c.count, "output too small")
        guard !aRows.isEmpty && !bRows.isEmpty else { return }
        multiplyTransposed(
            a.baseAddress! + aRows.lowerBound * k, rows: aRows.count,
            b.baseAddress! + bRows.lowerBound * k, rows: bRows.count,
            depth: k, into: c.baseAddress!)
    }
}
