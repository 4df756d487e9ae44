import Testing
@testable import NewsCluster

private func sketch(_ tokens: [UInt64]) -> ShingleSketch { ShingleSketch(tokens: tokens) }

@Suite("DuplicateGrouper")
struct DuplicateGrouperTests {
    let story: [UInt64] = Array(1...80)

    @Test func highCosineWithSharedTextIsADuplicate() {
        let shingles = [sketch(story), sketch(Array(story.prefix(70)) + [500, 501]), sketch(Array(900...980))]
        let groups = DuplicateGrouper().groups(
            edges: [Fixtures.edge(0, 1, 0.93), Fixtures.edge(1, 2, 0.95)], shingles: shingles, count: 3)
        #expect(groups == [[0, 1]])
    }

    @Test func highCosineButLowContainmentIsNotADuplicate() {
        // The same words in another order: cosine 1, no shared 4-gram.
        let shingles = [sketch(story), sketch(story.reversed())]
        #expect(shingles[0].containment(shingles[1]) < 0.5)
        let groups = DuplicateGrouper().groups(edges: [Fixtures.edge(0, 1, 1.0)], shingles: shingles, count: 2)
        #expect(groups.isEmpty)
    }

    @Test func sharedTextButLowCosineIsNotADuplicate() {
        let shingles = [sketch(story), sketch(story)]
        let grouper = DuplicateGrouper(threshold: 0.8, minimumContainment: 0.5)
        #expect(grouper.groups(edges: [Fixtures.edge(0, 1, 0.79)], shingles: shingles, count: 2).isEmpty)
        #expect(grouper.groups(edges: [Fixtures.edge(0, 1, 0.8)], shingles: shingles, count: 2) == [[0, 1]])
    }

    /// A copy re-titled and trimmed: below the cosine threshold, it is a copy only when it holds
    /// nearly all of the other's 4-grams, and only from the lower threshold on.
    @Test func aRewrittenCopyNeedsNearlyAllTheOthersShinglesBelowTheThreshold() {
        let trimmed = sketch(Array(story.prefix(76)))
        let quoting = sketch(Array(story.prefix(60)) + Array(600...620))
        let shingles = [sketch(story), trimmed, quoting]
        #expect(shingles[0].containment(trimmed) >= 0.9)
        let containment = shingles[0].containment(quoting)
        #expect(containment >= 0.5 && containment < 0.9)
        let grouper = DuplicateGrouper(threshold: 0.8, minimumContainment: 0.5, rewrittenThreshold: 0.7, rewrittenContainment: 0.9)
        #expect(grouper.groups(edges: [Fixtures.edge(0, 1, 0.72)], shingles: shingles, count: 3) == [[0, 1]])
        #expect(grouper.groups(edges: [Fixtures.edge(0, 2, 0.72)], shingles: shingles, count: 3).isEmpty,
                "most of the text in common is not enough below the threshold")
        #expect(grouper.groups(edges: [Fixtures.edge(0, 2, 0.8)], shingles: shingles, count: 3) == [[0, 2]])
        #expect(grouper.groups(edges: [Fixtures.edge(0, 1, 0.69)], shingles: shingles, count: 3).isEmpty)
        // Without a lower threshold, as before.
        #expect(DuplicateGrouper(threshold: 0.8).groups(edges: [Fixtures.edge(0, 1, 0.72)], shingles: shingles, count: 3).isEmpty)
    }

    @Test func copiesOfCopiesJoinOneGroup() {
        let shingles = (0..<5).map { _ in sketch(story) }
        let edges = [Fixtures.edge(0, 3, 0.9), Fixtures.edge(3, 4, 0.9), Fixtures.edge(1, 2, 0.99)]
        #expect(DuplicateGrouper().groups(edges: edges, shingles: shingles, count: 5) == [[0, 3, 4], [1, 2]])
    }

    @Test func joinedGroupsStartTheUnionsAndEdgesExtendThem() {
        let shingles = (0..<6).map { _ in sketch(story) }
        // The search's copy groups need no edge inside them; an edge still joins a group to another.
        let groups = DuplicateGrouper().groups(
            edges: [Fixtures.edge(2, 4, 0.9), Fixtures.edge(1, 5, 0.5)], shingles: shingles, count: 6,
            joined: [[0, 2, 3]])
        #expect(groups == [[0, 2, 3, 4]])
    }

    @Test func canonicalIsEarliestThenLongestThenSmallestID() {
        func article(_ id: String, _ published: Double?) -> Article { Article(id: id, text: "x", published: published) }
        // Earliest published wins, whatever the length; undated counts as latest.
        var articles = [article("c", 300), article("b", 100), article("a", nil)]
        #expect(DuplicateGrouper.canonical(of: [0, 1, 2], articles: articles, lengths: [50, 10, 90]) == 1)
        // Same time: the longest.
        articles = [article("c", 100), article("b", 100), article("a", 100)]
        #expect(DuplicateGrouper.canonical(of: [0, 1, 2], articles: articles, lengths: [50, 80, 60]) == 1)
        // Same time and length: the smallest id (by UTF-8 bytes: "a10" < "a9", "Z" < "a").
        articles = [article("a9", 100), article("a10", 100), article("b", 100)]
        #expect(DuplicateGrouper.canonical(of: [0, 1, 2], articles: articles, lengths: [5, 5, 5]) == 1)
        articles = [article("a", nil), article("Z", nil)]
        #expect(DuplicateGrouper.canonical(of: [0, 1], articles: articles, lengths: [5, 5]) == 1)
        // Only members of the group count.
        articles = [article("x", 1), article("y", 50), article("z", 60)]
        #expect(DuplicateGrouper.canonical(of: [1, 2], articles: articles, lengths: [1, 1, 1]) == 1)
    }
}
