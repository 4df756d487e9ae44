import Testing
@testable import NewsCluster

struct StoryAffinityTests {
    private func neighbors(_ pairs: [(Int, Float)]) -> [NeighborSearch.Neighbor] {
        pairs.map { NeighborSearch.Neighbor(index: Int32($0.0), score: $0.1) }
    }

    /// Story 0 holds articles 0 and 1. Story 1 (articles 2, 3) matches both of them moderately;
    /// story 2 (article 4) matches article 0 best of all, article 1 not at all.
    private var candidates: NeighborLists {
        NeighborLists([
            neighbors([(4, 0.5), (2, 0.3), (3, 0.3), (1, 0.2)]),
            neighbors([(2, 0.3), (3, 0.3), (0, 0.2)]),
            neighbors([(3, 0.6), (0, 0.3), (1, 0.3)]),
            neighbors([(2, 0.6), (0, 0.3), (1, 0.3)]),
            neighbors([(0, 0.5)]),
        ])
    }
    private let storyOf = [0, 0, 1, 1, 2]
    private let sizes = [2, 2, 1]

    @Test func aStoryMatchedByEveryMemberOutranksOneMatchedBestByOne() {
        let affinity = StoryAffinity(
            story: 0, members: [0, 1], candidates: candidates, storyOf: storyOf, storySizes: sizes, nearestPerRow: 24)
        // Story 1: (0.3 + 0.3 + 0.3 + 0.3) / (2 × 2); story 2: 0.5 / (2 × 1).
        #expect(abs(affinity[1] - 0.3) < 1e-6)
        #expect(abs(affinity[2] - 0.25) < 1e-6)
        #expect(affinity[0] == 0, "its own story is not related to it")
        #expect(affinity[7] == 0, "a story no candidate reaches")
    }

    /// A story larger than an article's candidate list counts only that many members: the
    /// others could not have been listed, so they must not make it look distant.
    @Test func aLargeStoryCountsAtMostACandidateListOfMembers() {
        let affinity = StoryAffinity(
            story: 0, members: [0, 1], candidates: candidates, storyOf: storyOf, storySizes: [2, 1000, 1], nearestPerRow: 4)
        #expect(abs(affinity[1] - 1.2 / 8) < 1e-6)
    }
}
