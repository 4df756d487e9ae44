import Dispatch

/// Runs `body` over `0..<count` split into contiguous chunks on up to `threads` threads.
/// Chunks are fixed by `count` and `threads`, so results written per index are deterministic.
enum Parallel {
    static func forEachChunk(count: Int, threads: Int, _ body: (Range<Int>) -> Void) {
        guard count > 0 else { return }
        let workers = max(1, min(threads, count))
        if workers == 1 {
            body(0..<count)
            return
        }
        let chunks = min(count, workers * 8)
        // Workers write disjoint ranges; the closure outlives no call of this function.
        withoutActuallyEscaping(body) { body in
            let work = UncheckedSendable(body)
            DispatchQueue.concurrentPerform(iterations: chunks) { chunk in
                let start = count * chunk / chunks
                let end = count * (chunk + 1) / chunks
                if start < end { work.value(start..<end) }
            }
        }
    }

    /// Calls `body` on contiguous chunks of `0..<count` (about 8 per thread) in parallel; one
    /// result per chunk, in chunk order. For work that folds a range into one value.
    static func mapChunks<T>(count: Int, threads: Int, _ body: (Range<Int>) -> T) -> [T] {
        let chunks = min(count, max(1, threads * 8))
        return map(count: chunks, threads: threads) { chunk in
            body((count * chunk / chunks)..<(count * (chunk + 1) / chunks))
        }
    }

    /// Maps `0..<count` in parallel, keeping order.
    static func map<T>(count: Int, threads: Int, _ transform: (Int) -> T) -> [T] {
        var results = [T?](repeating: nil, count: count)
        results.withUnsafeMutableBufferPointer { buffer in
            let output = UncheckedSendable(buffer)
            forEachChunk(count: count, threads: threads) { range in
                for index in range { output.value[index] = transform(index) }
            }
        }
        return results.map { $0! }
    }
}

/// Hands a buffer to parallel workers that write disjoint indices.
struct UncheckedSendable<Value>: @unchecked Sendable {
    var value: Value
    init(_ value: Value) { self.value = value }
}
