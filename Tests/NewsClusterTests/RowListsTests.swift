import Testing
@testable import NewsCluster

@Suite("RowLists")
struct RowListsTests {
    /// Random (row, value) entries over `rows` rows, some rows left empty.
    func entries(rows: Int, count: Int, values: Range<Int32>, seed: UInt64) -> [(row: Int, value: Int32)] {
        var generator = SeededGenerator(seed: seed)
        return (0..<count).map { _ in
            (Int.random(in: 0..<rows, using: &generator), Int32.random(in: values, using: &generator))
        }
    }

    func build(rows: Int, _ entries: [(row: Int, value: Int32)]) -> RowLists<Int32> {
        var builder = RowLists<Int32>.Builder(rowCount: rows)
        for entry in entries { builder.reserve(in: entry.row) }
        builder.allocate(placeholder: -1)
        for entry in entries { builder.append(entry.value, to: entry.row) }
        return builder.finish()
    }

    @Test func theBuilderKeepsEachRowsElementsInTheOrderTheyCame() throws {
        let source = entries(rows: 40, count: 500, values: 0..<1000, seed: 3)
        let lists = build(rows: 40, source)
        try #require(lists.rowCount == 40 && lists.offsets.count == 41)
        #expect(lists.count == 500 && lists.offsets.first == 0 && lists.offsets.last == 500)
        for row in 0..<40 {
            #expect(Array(lists[row]) == source.filter { $0.row == row }.map(\.value))
            #expect(lists.range(of: row) == lists.offsets[row]..<lists.offsets[row + 1])
        }
    }

    @Test func reserveCountsSeveralAtOnce() {
        var builder = RowLists<Int32>.Builder(rowCount: 3)
        builder.reserve(2, in: 2)
        builder.allocate(placeholder: 0)
        builder.append(7, to: 2)
        builder.append(8, to: 2)
        let lists = builder.finish()
        #expect(lists.offsets == [0, 0, 0, 2] && Array(lists[2]) == [7, 8] && lists[0].isEmpty)
    }

    @Test func noRowsAndEmptyRows() {
        #expect(RowLists<Int32>().rowCount == 0 && RowLists<Int32>().count == 0)
        #expect(build(rows: 0, []) == RowLists<Int32>())
        let empty = build(rows: 4, [])
        #expect(empty.offsets == [0, 0, 0, 0, 0] && empty.count == 0)
        #expect(empty == RowLists([[], [], [], []]))
    }

    @Test func listsOfListsAndOffsetsGiveTheSameRows() throws {
        let rows: [[Int32]] = [[3, 1], [], [2], [5, 5, 4]]
        let lists = RowLists(rows)
        try #require(lists.rowCount == 4)
        #expect((0..<4).map { Array(lists[$0]) } == rows)
        #expect(lists == RowLists(offsets: [0, 2, 2, 3, 6], elements: [3, 1, 2, 5, 5, 4]))
        #expect(lists != RowLists([[1, 3], [], [2], [5, 5, 4]]))
    }

    @Test(arguments: [1, 2, 5])
    func sortEachRowSortsWithinRowsOnly(threads: Int) throws {
        let source = entries(rows: 300, count: 4_000, values: 0..<50, seed: 11)
        var lists = build(rows: 300, source)
        let offsets = lists.offsets
        lists.sortEachRow(threads: threads, by: Descending.self)
        #expect(lists.offsets == offsets)
        for row in 0..<300 {
            #expect(Array(lists[row]) == source.filter { $0.row == row }.map(\.value).sorted(by: >))
        }
    }

    @Test(arguments: [1, 3])
    func sortAndMergeKeepsDistinctElementsAndPacksTheRows(threads: Int) throws {
        let source = entries(rows: 200, count: 3_000, values: 0..<30, seed: 5)
        var lists = build(rows: 200, source)
        lists.sortAndMergeEachRow(threads: threads, by: Distinct.self)
        try #require(lists.rowCount == 200)
        var expected: [[Int32]] = []
        for row in 0..<200 { expected.append(Array(Set(source.filter { $0.row == row }.map(\.value))).sorted()) }
        #expect(lists == RowLists(expected))
        #expect(lists.count == expected.reduce(0) { $0 + $1.count })
    }

    struct Keyed: Equatable {
        var key: Int32
        var value: Float
    }

    enum Descending: RowOrder {
        static func areInIncreasingOrder(_ a: Int32, _ b: Int32) -> Bool { a > b }
    }

    enum Distinct: RowMerge {
        static func areInIncreasingOrder(_ a: Int32, _ b: Int32) -> Bool { a < b }
        static func merge(_ kept: inout Int32, _ next: Int32) -> Bool { kept == next }
    }

    enum SumByKey: RowMerge {
        static func areInIncreasingOrder(_ a: Keyed, _ b: Keyed) -> Bool { a.key < b.key }
        static func merge(_ kept: inout Keyed, _ next: Keyed) -> Bool {
            guard kept.key == next.key else { return false }
            kept.value += next.value
            return true
        }
    }

    @Test(arguments: [1, 4])
    func sortAndMergeSumsEqualKeysInTheirStableOrder(threads: Int) throws {
        // (0.5 + 0.25) + 0.125 in the order they came, not 0.5 + (0.25 + 0.125).
        var lists = RowLists<Keyed>([
            [.init(key: 5, value: 0.5), .init(key: 2, value: 1), .init(key: 5, value: 0.25), .init(key: 5, value: 0.125)],
            [],
            [.init(key: 1, value: 3)],
        ])
        lists.sortAndMergeEachRow(threads: threads, by: SumByKey.self)
        #expect(lists == RowLists([
            [.init(key: 2, value: 1), .init(key: 5, value: (0.5 + 0.25) + 0.125)], [], [.init(key: 1, value: 3)],
        ]))
    }
}
