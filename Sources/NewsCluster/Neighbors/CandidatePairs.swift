/// Candidate pairs of positions grouped by their first position: for position `a`, the
/// distinct later positions it is paired with, ascending. Built by counting, not by sorting the
/// whole list, so that the rows can then be scored in parallel, each against a dense copy of `a`.
struct CandidatePairs: Sendable {
    /// Row `a`: the partners of position `a`.
    private let lists: RowLists<Int32>

    var count: Int { lists.count }

    /// - Parameter pairs: pairs of positions below `positions`, in any order and with repeats.
    init(_ pairs: [IndexPair], positions: Int, threads: Int) {
        var builder = RowLists<Int32>.Builder(rowCount: positions)
        for pair in pairs { builder.reserve(in: pair.first) }
        builder.allocate(placeholder: 0)
        for pair in pairs { builder.append(Int32(truncatingIfNeeded: pair.second), to: pair.first) }
        var lists = builder.finish()
        // Each position's partners sorted and made distinct in place, in parallel.
        lists.sortAndMergeEachRow(threads: threads, by: Distinct.self)
        self.lists = lists
    }

    /// Ascending partners, each once.
    private enum Distinct: RowMerge {
        static func areInIncreasingOrder(_ a: Int32, _ b: Int32) -> Bool { a < b }
        static func merge(_ kept: inout Int32, _ next: Int32) -> Bool { kept == next }
    }

    /// Where the partners of position `a` are: indices for `partner(at:)`, and for arrays of
    /// one value per pair.
    @inline(__always)
    func range(of a: Int) -> Range<Int> { lists.range(of: a) }

    @inline(__always)
    func partner(at index: Int) -> Int { Int(lists.elements[index]) }

    /// The rows' bounds, as `range(of:)` gives them (`positions + 1` of them).
    var offsets: [Int] { lists.offsets }

    /// Every pair, by first then second position.
    var pairs: [IndexPair] {
        var pairs: [IndexPair] = []
        pairs.reserveCapacity(count)
        for a in 0..<lists.rowCount {
            for index in range(of: a) { pairs.append(IndexPair(a, partner(at: index))) }
        }
        return pairs
    }
}
