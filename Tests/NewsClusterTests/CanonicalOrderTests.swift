import Testing
@testable import NewsCluster

@Suite("CanonicalOrder")
struct CanonicalOrderTests {
    @Test func theOrderDependsOnTheIDsAloneNotOnTheirInputOrder() {
        // Many articles share a publication time, as scraped news does (whole hours).
        let articles = (0..<500).map { (id: "article-\($0)", published: $0 % 7 == 0 ? nil : Double($0 % 13) * 3_600) }
        var generator = SystemRandomNumberGenerator()
        let shuffled = articles.shuffled(using: &generator)
        let first = CanonicalOrder(ids: articles.map(\.id), published: articles.map(\.published))
        let second = CanonicalOrder(ids: shuffled.map(\.id), published: shuffled.map(\.published))
        #expect(first.canonical(articles.map(\.id)) == second.canonical(shuffled.map(\.id)))
    }

    @Test func earlierFirstThenSmallerIDAndUndatedLast() {
        let order = CanonicalOrder(ids: ["c", "b", "a", "z", "y"], published: [20, 10, 20, nil, 5])
        #expect(order.canonical(["c", "b", "a", "z", "y"]) == ["y", "b", "a", "c", "z"])
    }

    @Test func inputAndCanonicalAreInverse() {
        let ids = ["b", "a", "d", "c", "é", "", "a2"]
        let order = CanonicalOrder(ids: ids, published: [3, nil, 1, 1, nil, 2, 3])
        #expect(order.input(order.canonical(ids)) == ids)
        #expect(Set(order.inputPositions) == Set(ids.indices))
        for (index, position) in order.inputPositions.enumerated() {
            #expect(order.canonicalIndices[position] == index)
        }
    }

    @Test func noArticlesNoOrder() {
        let order = CanonicalOrder(ids: [], published: [])
        #expect(order.inputPositions.isEmpty && order.canonicalIndices.isEmpty)
    }
}
