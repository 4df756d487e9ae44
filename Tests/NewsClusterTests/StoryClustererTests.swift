import Testing
@testable import NewsCluster

/// All pairs of `members` with the same score.
private func clique(_ members: [Int], _ score: Float) -> [NeighborSearch.Edge] {
    var edges: [NeighborSearch.Edge] = []
    for (position, a) in members.enumerated() {
        for b in members[(position + 1)...] { edges.append(Fixtures.edge(min(a, b), max(a, b), score)) }
    }
    return edges
}

/// Single linkage at `threshold`: connected components of the edges that reach it.
private func singleLinkage(count: Int, edges: [NeighborSearch.Edge], threshold: Float) -> [[Int]] {
    var sets = UnionFind(count: count)
    for edge in edges where edge.score >= threshold { sets.union(Int(edge.a), Int(edge.b)) }
    return sets.groups()
}

private func partition(_ labels: [Int]) -> Set<Set<Int>> {
    Set(Dictionary(grouping: labels.indices, by: { labels[$0] }).values.map(Set.init))
}

@Suite("StoryClusterer")
struct StoryClustererTests {
    @Test func weakBridgeDoesNotChainTwoCliques() {
        let edges = clique([0, 1, 2], 0.8) + clique([3, 4, 5], 0.7) + [Fixtures.edge(2, 3, 0.5)]
        // Single linkage would join everything through the bridge.
        #expect(singleLinkage(count: 6, edges: edges, threshold: 0.3) == [[0, 1, 2, 3, 4, 5]])
        let labels = StoryClusterer(threshold: 0.3).cluster(count: 6, edges: edges, initialGroups: [])
        #expect(labels == [0, 0, 0, 1, 1, 1])
    }

    @Test func averageLinkageMergesWhenTheAverageReachesTheThreshold() {
        // Between {0,1} and {2}: (0.5 + 0.3) / 2 = 0.4.
        let edges = [Fixtures.edge(0, 1, 0.9), Fixtures.edge(0, 2, 0.5), Fixtures.edge(1, 2, 0.3)]
        #expect(StoryClusterer(threshold: 0.4).cluster(count: 3, edges: edges, initialGroups: []) == [0, 0, 0])
        #expect(StoryClusterer(threshold: 0.41).cluster(count: 3, edges: edges, initialGroups: []) == [0, 0, 1])
    }

    @Test func missingEdgesCountAsZero() {
        // {0,1,2} has an edge to 3 only from 0: 0.6 / 3 = 0.2 < 0.3.
        let edges = clique([0, 1, 2], 0.9) + [Fixtures.edge(0, 3, 0.6)]
        #expect(StoryClusterer(threshold: 0.3).cluster(count: 4, edges: edges, initialGroups: []) == [0, 0, 0, 1])
    }

    @Test func initialGroupsStayTogether() {
        // 0 and 5 are copies (initial group) without an edge between them; 5 is close to 4.
        let edges = [Fixtures.edge(1, 2, 0.9), Fixtures.edge(4, 5, 0.2)]
        let labels = StoryClusterer(threshold: 0.5).cluster(count: 6, edges: edges, initialGroups: [[0, 5]])
        #expect(labels[0] == labels[5])
        #expect(labels[1] == labels[2])
        #expect(labels[4] != labels[5])
        #expect(partition(labels) == [[0, 5], [1, 2], [3], [4]])
    }

    @Test func initialGroupsCountWithTheirSize() {
        // Group {0,1} links to 2 with 0.5 + 0.5 = 1.0 over 2 pairs: average 0.5.
        let edges = [Fixtures.edge(0, 2, 0.5), Fixtures.edge(1, 2, 0.5), Fixtures.edge(2, 3, 0.45)]
        let labels = StoryClusterer(threshold: 0.46).cluster(count: 4, edges: edges, initialGroups: [[0, 1]])
        #expect(labels == [0, 0, 0, 1])
    }

    @Test func labelsAreNumberedByFirstArticle() {
        let edges = [Fixtures.edge(2, 4, 0.9), Fixtures.edge(0, 3, 0.9), Fixtures.edge(5, 6, 0.9)]
        let labels = StoryClusterer(threshold: 0.5).cluster(count: 7, edges: edges, initialGroups: [])
        #expect(labels == [0, 1, 2, 0, 2, 3, 3])
    }

    @Test func resultDoesNotDependOnEdgeOrder() {
        var generator = SeededGenerator(seed: 12)
        // A chain with equal scores: ties are broken by the smaller pair, whatever the order.
        let chain = (0..<9).map { Fixtures.edge($0, $0 + 1, 0.5) }
        let expected = StoryClusterer(threshold: 0.3).cluster(count: 10, edges: chain, initialGroups: [])
        #expect(expected == [0, 0, 1, 1, 2, 2, 3, 3, 4, 4])
        // Random graph.
        var edges: [NeighborSearch.Edge] = []
        for a in 0..<40 {
            for b in (a + 1)..<40 where Int.random(in: 0..<8, using: &generator) == 0 {
                edges.append(Fixtures.edge(a, b, Float(Int.random(in: 1...10, using: &generator)) / 10))
            }
        }
        let reference = StoryClusterer(threshold: 0.25).cluster(count: 40, edges: edges, initialGroups: [[3, 17]])
        for _ in 0..<5 {
            edges.shuffle(using: &generator)
            #expect(StoryClusterer(threshold: 0.25).cluster(count: 40, edges: edges, initialGroups: [[3, 17]]) == reference)
            let shuffled = chain.shuffled(using: &generator)
            #expect(StoryClusterer(threshold: 0.3).cluster(count: 10, edges: shuffled, initialGroups: []) == expected)
        }
    }

    @Test func everyClusterMeetsTheThresholdOnAverage() {
        // Invariant of average linkage: each cluster of size > 1 was formed by merges whose
        // average reached the threshold; here: no two final clusters could still merge.
        var generator = SeededGenerator(seed: 13)
        var edges: [NeighborSearch.Edge] = []
        for a in 0..<30 {
            for b in (a + 1)..<30 where Int.random(in: 0..<4, using: &generator) == 0 {
                edges.append(Fixtures.edge(a, b, Float.random(in: 0.05...0.95, using: &generator)))
            }
        }
        let threshold: Float = 0.3
        let labels = StoryClusterer(threshold: threshold).cluster(count: 30, edges: edges, initialGroups: [])
        let clusters = Array(partition(labels))
        for i in clusters.indices {
            for j in clusters.indices where i < j {
                let sum = edges.filter {
                    (clusters[i].contains(Int($0.a)) && clusters[j].contains(Int($0.b)))
                        || (clusters[j].contains(Int($0.a)) && clusters[i].contains(Int($0.b)))
                }.reduce(Float(0)) { $0 + $1.score }
                #expect(sum / Float(clusters[i].count * clusters[j].count) < threshold)
            }
        }
        #expect(labels[0] == 0)
        #expect(Set(labels) == Set(0..<clusters.count))
    }

    @Test func noEdgesMeansSingletons() {
        #expect(StoryClusterer(threshold: 0.1).cluster(count: 3, edges: [], initialGroups: []) == [0, 1, 2])
        #expect(StoryClusterer(threshold: 0.1).cluster(count: 0, edges: [], initialGroups: []) == [])
    }
}
