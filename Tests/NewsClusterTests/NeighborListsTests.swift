import Testing
@testable import NewsCluster

@Suite("NeighborLists")
struct NeighborListsTests {
    typealias Neighbor = NeighborSearch.Neighbor

    @Test func eachArticleSeesItsOwnListIncludingEmptyOnes() throws {
        let lists: [[Neighbor]] = [[.init(index: 1, score: 0.9), .init(index: 2, score: 0.5)], [], [.init(index: 0, score: 0.5)]]
        let flat = NeighborLists(lists)
        try #require(flat.count == 3)
        #expect(flat.map(Array.init) == lists)
        #expect(flat[1].isEmpty && flat[2].first == Neighbor(index: 0, score: 0.5))
        #expect(flat == NeighborLists(RowLists(offsets: [0, 2, 2, 3], elements: lists.flatMap { $0 })))
        #expect(flat != NeighborLists([[], lists[0], lists[2]]))
        #expect(NeighborLists([]).isEmpty)
    }
}
