/// Candidate pairs of positions grouped by their first position (CSR): for position `a`, the
/// distinct later positions it is paired with, ascending. Built by counting, not by sorting the
/// whole list, so that the rows can then be scored in parallel, each against a dense copy of `a`.
struct CandidatePairs: Sendable {
    /// Partners of position `a` are `partners[starts[a]..<starts[a + 1]]`.
    let starts: [Int]
    let partners: [Int32]

    var count: Int { partners.count }

    /// - Parameter packed: pairs as `a << 32 | b` with `a < b < positions`, in any order and
    ///   with repeats.
    init(packed: [UInt64], positions: Int, threads: Int) {
        var counts = [Int](repeating: 0, count: positions + 1)
        for pair in packed { counts[Int(pair >> 32) + 1] += 1 }
        for position in 0..<positions { counts[position + 1] += counts[position] }
        var next = counts
        var scattered = [Int32](repeating: 0, count: packed.count)
        for pair in packed {
            let a = Int(pair >> 32)
            scattered[next[a]] = Int32(truncatingIfNeeded: pair)
            next[a] += 1
        }
        // Each position's partners sorted and made distinct in place, in parallel.
        var distinct = [Int](repeating: 0, count: positions + 1)
        scattered.withUnsafeMutableBufferPointer { buffer in
            let shared = UncheckedSendable(buffer)
            distinct.withUnsafeMutableBufferPointer { distinct in
                let lengths = UncheckedSendable(distinct)
                Parallel.forEachChunk(count: positions, threads: threads) { range in
                    for position in range {
                        let start = counts[position], end = counts[position + 1]
                        guard start < end else { continue }
                        var slice = UnsafeMutableBufferPointer(rebasing: shared.value[start..<end])
                        slice.sort()
                        var kept = 1
                        for index in 1..<slice.count where slice[index] != slice[kept - 1] {
                            slice[kept] = slice[index]
                            kept += 1
                        }
                        lengths.value[position + 1] = kept
                    }
                }
            }
        }
        for position in 0..<positions { distinct[position + 1] += distinct[position] }
        var partners = [Int32](repeating: 0, count: distinct[positions])
        for position in 0..<positions {
            let from = counts[position], to = distinct[position]
            for offset in 0..<(distinct[position + 1] - to) { partners[to + offset] = scattered[from + offset] }
        }
        starts = distinct
        self.partners = partners
    }

    /// Every pair, packed as `a << 32 | b`.
    var packed: [UInt64] {
        var pairs: [UInt64] = []
        pairs.reserveCapacity(partners.count)
        for a in 0..<(starts.count - 1) {
            for index in starts[a]..<starts[a + 1] { pairs.append(UInt64(a) << 32 | UInt64(partners[index])) }
        }
        return pairs
    }
}
