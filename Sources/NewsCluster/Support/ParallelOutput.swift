/// An array's storage lent to `Parallel` workers that each write their own indices: every
/// index is written by one worker at most, and nothing reads what another worker writes while
/// they run. Keeps the pointer to the storage out of the stages that fill arrays in parallel.
///
/// Indices are checked in debug builds only, as an `UnsafeMutableBufferPointer`'s are: the
/// writers are the hot loops of their stages.
struct ParallelOutput<Element> {
    private let buffer: UnsafeMutableBufferPointer<Element>

    fileprivate init(_ buffer: UnsafeMutableBufferPointer<Element>) {
        self.buffer = buffer
    }

    var count: Int { buffer.count }

    subscript(index: Int) -> Element {
        @inline(__always) get { buffer[index] }
        @inline(__always) nonmutating set { buffer[index] = newValue }
    }
}

extension Array {
    /// Lends the array's storage to `body` for parallel writes at disjoint indices; the output
    /// must not outlive the call.
    mutating func withParallelOutput<Result>(_ body: (ParallelOutput<Element>) throws -> Result) rethrows -> Result {
        try withUnsafeMutableBufferPointer { try body(ParallelOutput($0)) }
    }
}

extension ContiguousArray {
    /// Lends the array's storage to `body` for parallel writes at disjoint indices; the output
    /// must not outlive the call.
    mutating func withParallelOutput<Result>(_ body: (ParallelOutput<Element>) throws -> Result) rethrows -> Result {
        try withUnsafeMutableBufferPointer { try body(ParallelOutput($0)) }
    }
}
