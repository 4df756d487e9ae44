/// Rows of variable-length lists in one flat array with row offsets (compressed sparse rows):
/// an array per row would cost a header and an allocation per row, and a second copy of every
/// element while the rows are sorted.
///
/// Built in two passes over the same source by a `Builder`: first each row's length is
/// counted, then (after a prefix sum into offsets) each element is appended to its row. The
/// rows can then be sorted, and merged, in parallel: rows are disjoint ranges of `elements`, so
/// each is done by one worker. All the pointer work of that lives in this file.
struct RowLists<Element> {
    /// Row `r` is `elements[offsets[r]..<offsets[r + 1]]`; `offsets` has `rowCount + 1` entries.
    private(set) var offsets: [Int]
    private(set) var elements: [Element]

    /// No rows.
    init() {
        offsets = [0]
        elements = []
    }

    /// Lists already laid out: `offsets` starts at 0, never decreases and ends at `elements.count`.
    init(offsets: [Int], elements: [Element]) {
        precondition(offsets.first == 0 && offsets.last == elements.count, "offsets must span the elements")
        precondition(zip(offsets, offsets.dropFirst()).allSatisfy { $0 <= $1 }, "offsets must not decrease")
        self.offsets = offsets
        self.elements = elements
    }

    /// One list per row, in order.
    init(_ rows: [[Element]]) {
        var offsets = [0]
        offsets.reserveCapacity(rows.count + 1)
        for row in rows { offsets.append(offsets[offsets.count - 1] + row.count) }
        self.init(offsets: offsets, elements: rows.flatMap { $0 })
    }

    var rowCount: Int { offsets.count - 1 }
    /// Elements in all rows.
    var count: Int { elements.count }

    /// Where row `row` lies in `elements`.
    @inline(__always)
    func range(of row: Int) -> Range<Int> { offsets[row]..<offsets[row + 1] }

    subscript(row: Int) -> ArraySlice<Element> { elements[range(of: row)] }

    /// Counts, then fills, the rows:
    ///
    ///     var builder = RowLists<Int32>.Builder(rowCount: n)
    ///     for (row, _) in source { builder.reserve(row) }
    ///     builder.allocate(placeholder: 0)
    ///     for (row, value) in source { builder.append(value, to: row) }
    ///     let lists = builder.finish()
    ///
    /// Within a row, elements keep the order they were appended in.
    struct Builder {
        private var offsets: [Int]
        private var next: [Int] = []
        private var elements: [Element] = []
        private var allocated = false

        init(rowCount: Int) {
            precondition(rowCount >= 0)
            offsets = [Int](repeating: 0, count: rowCount + 1)
        }

        /// Counts `count` more elements for `row` (before `allocate`).
        @inline(__always)
        mutating func reserve(_ count: Int = 1, in row: Int) {
            assert(!allocated, "reserve before allocate")
            offsets[row + 1] += count
        }

        /// Turns the counts into offsets and makes room for every counted element.
        mutating func allocate(placeholder: Element) {
            precondition(!allocated, "allocate once")
            for row in 0..<(offsets.count - 1) { offsets[row + 1] += offsets[row] }
            next = offsets
            next.removeLast()
            elements = [Element](repeating: placeholder, count: offsets[offsets.count - 1])
            allocated = true
        }

        /// Appends `element` to `row` (after `allocate`); a row takes as many as it reserved.
        @inline(__always)
        mutating func append(_ element: Element, to row: Int) {
            assert(allocated && next[row] < offsets[row + 1], "row \(row) is full")
            elements[next[row]] = element
            next[row] += 1
        }

        /// The lists; every row must have been filled exactly.
        consuming func finish() -> RowLists {
            precondition(allocated, "allocate before finish")
            for row in next.indices { precondition(next[row] == offsets[row + 1], "row \(row) is not full") }
            return RowLists(checkedOffsets: offsets, elements: elements)
        }
    }

    /// For `Builder`, whose offsets are a prefix sum by construction.
    private init(checkedOffsets offsets: [Int], elements: [Element]) {
        self.offsets = offsets
        self.elements = elements
    }

    /// Sorts each row in `Order`, rows in parallel.
    ///
    /// - Complexity: O(Σ r log r) over the row lengths r, shared by `threads` threads.
    mutating func sortEachRow<Order: RowOrder>(threads: Int, by order: Order.Type) where Order.Element == Element {
        let offsets = self.offsets
        elements.withUnsafeMutableBufferPointer { elements in
            Parallel.forEachChunk(count: offsets.count - 1, threads: threads) { rows in
                for row in rows where offsets[row + 1] - offsets[row] > 1 {
                    var list = UnsafeMutableBufferPointer(rebasing: elements[offsets[row]..<offsets[row + 1]])
                    list.sort(by: Order.areInIncreasingOrder)
                }
            }
        }
    }

    /// Sorts each row in `Merge`'s order (rows in parallel), then walks it in that order
    /// folding each element into the last one kept when `Merge.merge(&kept, element)` says so
    /// (returns true), and packs the shorter rows together in place.
    ///
    /// With a merge that returns `kept == element` each row keeps its distinct elements; with
    /// one that sums the values of equal keys, each key's values are summed in the sorted order.
    ///
    /// - Complexity: O(Σ r log r) over the row lengths r, plus O(`count`) on one thread to pack.
    mutating func sortAndMergeEachRow<Merge: RowMerge>(threads: Int, by merge: Merge.Type) where Merge.Element == Element {
        let rowCount = self.rowCount
        let offsets = self.offsets
        var lengths = [Int](repeating: 0, count: rowCount)
        elements.withUnsafeMutableBufferPointer { elements in
            lengths.withParallelOutput { lengths in
                Parallel.forEachChunk(count: rowCount, threads: threads) { rows in
                    for row in rows where offsets[row] < offsets[row + 1] {
                        var list = UnsafeMutableBufferPointer(rebasing: elements[offsets[row]..<offsets[row + 1]])
                        list.sort(by: Merge.areInIncreasingOrder)
                        var kept = 1
                        for index in 1..<list.count where !Merge.merge(&list[kept - 1], list[index]) {
                            list[kept] = list[index]
                            kept += 1
                        }
                        lengths[row] = kept
                    }
                }
            }
        }
        // Rows only shrink, so each moves to the left of where it was: one pass in row order.
        var packed = 0
        var newOffsets = [Int](repeating: 0, count: rowCount + 1)
        for row in 0..<rowCount {
            let from = offsets[row]
            if from != packed {
                for offset in 0..<lengths[row] { elements[packed + offset] = elements[from + offset] }
            }
            packed += lengths[row]
            newOffsets[row + 1] = packed
        }
        elements.removeLast(elements.count - packed)
        self.offsets = newOffsets
    }
}

extension RowLists: Sendable where Element: Sendable {}

extension RowLists: Equatable where Element: Equatable {}

/// An order for the elements of rows. A type rather than a closure so that each sort is
/// specialised for it: a closure handed to the parallel workers would be called through a
/// pointer on every comparison.
protocol RowOrder {
    associatedtype Element
    static func areInIncreasingOrder(_ a: Element, _ b: Element) -> Bool
}

/// An order, and a rule that folds an element into the one before it in that order.
protocol RowMerge: RowOrder {
    /// Folds `next` into `kept` and returns true, or returns false to keep `next` apart.
    static func merge(_ kept: inout Element, _ next: Element) -> Bool
}

// A stage file holds the neighbour lists as they are.
extension RowLists: Codable where Element: Codable {}
