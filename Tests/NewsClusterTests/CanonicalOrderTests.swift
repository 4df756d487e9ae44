import Testing
@testable import NewsCluster

@Suite("CanonicalOrder")
struct CanonicalOrderTests {
    @Test func theOrderDependsOnTheIDsAloneNotOnTheirInputOrder() {
        let ids = (0..<500).map { "article-\($0)" }
        var generator = SystemRandomNumberGenerator()
        let shuffled = ids.shuffled(using: &generator)
        let first = CanonicalOrder(ids: ids), second = CanonicalOrder(ids: shuffled)
        #expect(first.canonical(ids) == second.canonical(shuffled))
    }

    @Test func inputAndCanonicalAreInverse() {
        let ids = ["b", "a", "d", "c", "é", "", "a2"]
        let order = CanonicalOrder(ids: ids)
        #expect(order.input(order.canonical(ids)) == ids)
        #expect(Set(order.inputPositions) == Set(ids.indices))
        for (index, position) in order.inputPositions.enumerated() {
            #expect(order.canonicalIndices[position] == index)
        }
    }

    @Test func noArticlesNoOrder() {
        let order = CanonicalOrder(ids: [])
        #expect(order.inputPositions.isEmpty && order.canonicalIndices.isEmpty)
    }
}
