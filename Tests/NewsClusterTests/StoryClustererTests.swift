import Foundation
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

private func partition(_ labels: [Int]) -> Set<Set<Int>> {
    Set(Dictionary(grouping: labels.indices, by: { labels[$0] }).values.map(Set.init))
}

/// √(cosine × shared) in Double, as the tests compute it by hand.
private func combined(_ cosine: Double, shared: Double) -> Double { (cosine * shared).squareRoot() }

/// A slow reference of the documented algorithm, written from the doc comment: duplicate groups
/// are units (cosine between units = sum of member-pair scores / (size × size)); each unit's
/// neighbour set is itself plus its `neighbors` best units with cosine ≥ `floor` (ties: smaller
/// index); similarity = √(cosine × |N(a) ∩ N(b)| / min(|N(a)|, |N(b)|)); then naive average
/// linkage over units, merging the best pair while its average reaches the threshold.
private func referencePartition(
    count: Int, edges: [NeighborSearch.Edge], groups: [[Int]], threshold: Double, neighbors: Int, floor: Double
) -> Set<Set<Int>> {
    var unitOf = Array(0..<count)
    var unitMembers = (0..<count).map { [$0] }
    for group in groups {
        for member in group { unitOf[member] = group[0]; if member != group[0] { unitMembers[member] = [] } }
        unitMembers[group[0]] = group
    }
    let units = (0..<count).filter { !unitMembers[$0].isEmpty }
    var cosine = [[Double]](repeating: [Double](repeating: 0, count: count), count: count)
    var hasEdge = Set<[Int]>()
    for edge in edges {
        let a = unitOf[Int(edge.a)], b = unitOf[Int(edge.b)]
        guard a != b else { continue }
        let share = Double(edge.score) / Double(unitMembers[a].count * unitMembers[b].count)
        cosine[a][b] += share
        cosine[b][a] += share
        hasEdge.insert([min(a, b), max(a, b)])
    }
    var nearest: [Int: Set<Int>] = [:]
    for unit in units {
        let best = units.filter { $0 != unit && hasEdge.contains([min($0, unit), max($0, unit)]) && cosine[unit][$0] >= floor }
            .sorted { cosine[unit][$0] > cosine[unit][$1] || (cosine[unit][$0] == cosine[unit][$1] && $0 < $1) }
            .prefix(neighbors)
        nearest[unit] = Set(best).union([unit])
    }
    func similarity(_ a: Int, _ b: Int) -> Double {
        guard hasEdge.contains([min(a, b), max(a, b)]) else { return 0 }
        let shared = Double(nearest[a]!.intersection(nearest[b]!).count) / Double(min(nearest[a]!.count, nearest[b]!.count))
        return combined(cosine[a][b], shared: shared)
    }
    var clusters = units.map { [$0] }
    while true {
        var best: (Double, Int, Int)?
        for i in clusters.indices {
            for j in clusters.indices where i < j {
                var sum = 0.0
                for a in clusters[i] { for b in clusters[j] { sum += similarity(a, b) } }
                guard sum > 0 else { continue }
                let average = sum / Double(clusters[i].count * clusters[j].count)
                if average >= threshold && (best == nil || average > best!.0) { best = (average, i, j) }
            }
        }
        guard let (_, i, j) = best else { break }
        clusters[i] += clusters[j]
        clusters.remove(at: j)
    }
    return Set(clusters.map { Set($0.flatMap { unitMembers[$0] }) })
}

@Suite("StoryClusterer")
struct StoryClustererTests {
    @Test func defaultNeighbourSetsMatchTheClusterOptions() {
        let clusterer = StoryClusterer(threshold: 0.3)
        #expect(clusterer.threshold == 0.3)
        #expect(clusterer.neighbors == 5)
        #expect(clusterer.neighborFloor == 0.15)
        #expect(clusterer.neighbors == ClusterOptions().storyNeighbors)
        #expect(clusterer.neighborFloor == ClusterOptions().storyNeighborFloor)
    }

    @Test func aTwoArticleStoryScoresTheSquareRootOfItsCosine() {
        // N(0) = N(1) = {0, 1}: shared = 2 / min(2, 2) = 1; similarity = √(0.5 × 1) ≈ 0.7071.
        let edges = [Fixtures.edge(0, 1, 0.5)]
        #expect(StoryClusterer(threshold: 0.707).cluster(count: 2, edges: edges, initialGroups: []) == [0, 0])
        #expect(StoryClusterer(threshold: 0.708).cluster(count: 2, edges: edges, initialGroups: []) == [0, 1])
        // Plain cosine 0.5 would not reach 0.6; √0.5 does.
        #expect(StoryClusterer(threshold: 0.6).cluster(count: 2, edges: edges, initialGroups: []) == [0, 0])
    }

    @Test func aPairBelowTheNeighbourFloorSharesNoNeighbourAndNeverMerges() {
        // Cosine 0.1 < floor 0.15: N(0) = {0}, N(1) = {1}, shared = 0 / 1 = 0 → similarity 0.
        let edges = [Fixtures.edge(0, 1, 0.1)]
        #expect(StoryClusterer(threshold: 0.001).cluster(count: 2, edges: edges, initialGroups: []) == [0, 1])
        // With the floor at 0.1 the sets are {0, 1} both: √(0.1 × 1) ≈ 0.3162.
        let lower = StoryClusterer(threshold: 0.316, neighbors: 5, neighborFloor: 0.1)
        #expect(lower.cluster(count: 2, edges: edges, initialGroups: []) == [0, 0])
        let higher = StoryClusterer(threshold: 0.317, neighbors: 5, neighborFloor: 0.1)
        #expect(higher.cluster(count: 2, edges: edges, initialGroups: []) == [0, 1])
    }

    @Test func sharedNeighboursSeparateTwoEventsOfOneKind() {
        // Two events whose articles are close within (0.6) and still similar across (0.3).
        var edges = clique([0, 1, 2], 0.6) + clique([3, 4, 5], 0.6)
        for a in 0..<3 { for b in 3..<6 { edges.append(Fixtures.edge(a, b, 0.3)) } }
        // neighbors = 2: N(0) = {0, 1, 2} (its two 0.6 neighbours), N(3) = {3, 4, 5}: across,
        // shared = 0 / 3 = 0 → no link. Within: shared = 3 / 3 → √0.6 ≈ 0.7746.
        let two = StoryClusterer(threshold: 0.2, neighbors: 2, neighborFloor: 0.15)
        #expect(two.cluster(count: 6, edges: edges, initialGroups: []) == [0, 0, 0, 1, 1, 1])
        // neighbors = 5: every set is {0…5}, shared = 1 everywhere; across √0.3 ≈ 0.5477,
        // average of the two events = 9 · 0.5477 / 9 = 0.5477 ≥ 0.2 → one story.
        let five = StoryClusterer(threshold: 0.2, neighbors: 5, neighborFloor: 0.15)
        #expect(five.cluster(count: 6, edges: edges, initialGroups: []) == [0, 0, 0, 0, 0, 0])
        #expect(five.cluster(count: 6, edges: edges, initialGroups: []) == five.cluster(count: 6, edges: edges.reversed(), initialGroups: []))
        // …and 0.5477 is below 0.55.
        let strict = StoryClusterer(threshold: 0.55, neighbors: 5, neighborFloor: 0.15)
        #expect(strict.cluster(count: 6, edges: edges, initialGroups: []) == [0, 0, 0, 1, 1, 1])
    }

    @Test func weightsScaleTheLinkageButNotTheNeighbourSets() {
        // Two events of one kind as above, neighbors = 5: one story unweighted (0.5477 ≥ 0.2).
        var edges = clique([0, 1, 2], 0.6) + clique([3, 4, 5], 0.6)
        for a in 0..<3 { for b in 3..<6 { edges.append(Fixtures.edge(a, b, 0.3)) } }
        let across = edges.map { $0.a < 3 && $0.b >= 3 ? Float(0.5) : 1 }
        let clusterer = StoryClusterer(threshold: 0.4, neighbors: 5, neighborFloor: 0.15)
        #expect(clusterer.cluster(count: 6, edges: edges, initialGroups: []) == [0, 0, 0, 0, 0, 0])
        // Across pairs at half weight: √(0.3 · 0.5) ≈ 0.3873 < 0.4 → two stories.
        #expect(clusterer.cluster(count: 6, edges: edges, weights: across, initialGroups: []) == [0, 0, 0, 1, 1, 1])
        // The neighbour sets are the unweighted cosine's: a pair at 0.2 weighted by 0.5 is 0.1,
        // below the floor, yet each is in the other's set (shared 1) and √(0.2 · 0.5) ≈ 0.3162.
        let pair = [Fixtures.edge(0, 1, 0.2)]
        let linked = StoryClusterer(threshold: 0.316, neighbors: 5, neighborFloor: 0.15)
        #expect(linked.cluster(count: 2, edges: pair, weights: [0.5], initialGroups: []) == [0, 0])
        let apart = StoryClusterer(threshold: 0.317, neighbors: 5, neighborFloor: 0.15)
        #expect(apart.cluster(count: 2, edges: pair, weights: [0.5], initialGroups: []) == [0, 1])
        // All weights 1 is the unweighted clustering.
        let ones = [Float](repeating: 1, count: edges.count)
        #expect(clusterer.cluster(count: 6, edges: edges, weights: ones, initialGroups: [])
                == clusterer.cluster(count: 6, edges: edges, initialGroups: []))
    }

    @Test func sharedIsTheOverlapOverTheSmallerSet() {
        // Edges 0–1 0.4, 0–2 0.5, 1–3 0.5. N(0) = {0, 1, 2}, N(1) = {0, 1, 3}, N(2) = {0, 2},
        // N(3) = {1, 3}.
        //   0–1: |{0, 1}| / min(3, 3) = 2/3 → √(0.4 · 2/3) = √0.26667 ≈ 0.51640
        //   0–2: |{0, 2}| / min(3, 2) = 1   → √0.5 ≈ 0.70711;   1–3 likewise 0.70711.
        // Merges: {0, 2} and {1, 3} (0.70711 each); then {0, 2} vs {1, 3}: only 0–1 links,
        // 0.51640 / (2 · 2) ≈ 0.12910. (With shared = 1 it would be √0.4 / 4 ≈ 0.1581.)
        let edges = [Fixtures.edge(0, 1, 0.4), Fixtures.edge(0, 2, 0.5), Fixtures.edge(1, 3, 0.5)]
        let expected = combined(0.4, shared: 2.0 / 3.0) / 4
        #expect(abs(expected - 0.12910) < 1e-5)
        #expect(StoryClusterer(threshold: 0.1290).cluster(count: 4, edges: edges, initialGroups: []) == [0, 0, 0, 0])
        #expect(StoryClusterer(threshold: 0.1292).cluster(count: 4, edges: edges, initialGroups: []) == [0, 1, 0, 1])
        #expect(StoryClusterer(threshold: 0.7071).cluster(count: 4, edges: edges, initialGroups: []) == [0, 1, 0, 1])
        #expect(StoryClusterer(threshold: 0.7072).cluster(count: 4, edges: edges, initialGroups: []) == [0, 1, 2, 3])
    }

    @Test func neighbourSetsHoldOnlyTheNearestArticles() {
        // 0–1 0.9, 0–2 0.8.
        let edges = [Fixtures.edge(0, 1, 0.9), Fixtures.edge(0, 2, 0.8)]
        // neighbors = 1: N(0) = {0, 1}, N(1) = {0, 1}, N(2) = {0, 2}.
        //   0–1: 2/2 → √0.9 ≈ 0.94868;  0–2: |{0}| / 2 = 1/2 → √(0.8 · 0.5) ≈ 0.63246.
        //   {0, 1} vs 2: 0.63246 / 2 ≈ 0.31623.
        let one = StoryClusterer(threshold: 0.32, neighbors: 1, neighborFloor: 0.15)
        #expect(one.cluster(count: 3, edges: edges, initialGroups: []) == [0, 0, 1])
        let oneLower = StoryClusterer(threshold: 0.316, neighbors: 1, neighborFloor: 0.15)
        #expect(oneLower.cluster(count: 3, edges: edges, initialGroups: []) == [0, 0, 0])
        // neighbors = 2: N(0) = {0, 1, 2}, N(2) = {0, 2}: 0–2 shared 2/2 → √0.8 ≈ 0.89443;
        // {0, 1} vs 2: 0.89443 / 2 ≈ 0.44721.
        let two = StoryClusterer(threshold: 0.447, neighbors: 2, neighborFloor: 0.15)
        #expect(two.cluster(count: 3, edges: edges, initialGroups: []) == [0, 0, 0])
        let twoHigher = StoryClusterer(threshold: 0.448, neighbors: 2, neighborFloor: 0.15)
        #expect(twoHigher.cluster(count: 3, edges: edges, initialGroups: []) == [0, 0, 1])
    }

    @Test func equalCosinesFillNeighbourSetsBySmallerIndex() {
        // 0–1 and 0–2 both 0.5, neighbors = 1: N(0) = {0, 1} (1 < 2), N(1) = {0, 1}, N(2) = {0, 2}.
        //   0–1: √0.5 ≈ 0.70711;  0–2: 1/2 → √0.25 = 0.5;  {0, 1} vs 2: 0.5 / 2 = 0.25.
        let edges = [Fixtures.edge(0, 2, 0.5), Fixtures.edge(0, 1, 0.5)]
        let clusterer = StoryClusterer(threshold: 0.26, neighbors: 1, neighborFloor: 0.15)
        #expect(clusterer.cluster(count: 3, edges: edges, initialGroups: []) == [0, 0, 1])
        #expect(clusterer.cluster(count: 3, edges: edges.reversed(), initialGroups: []) == [0, 0, 1])
        let lower = StoryClusterer(threshold: 0.249, neighbors: 1, neighborFloor: 0.15)
        #expect(lower.cluster(count: 3, edges: edges, initialGroups: []) == [0, 0, 0])
    }

    @Test func weakBridgeDoesNotChainTwoCliques() {
        // Cliques {0,1,2} at 0.8 and {3,4,5} at 0.7, bridge 2–3 at 0.5 (neighbors 5, floor 0.15).
        // N(0) = N(1) = {0,1,2}, N(2) = {0,1,2,3}, N(3) = {2,3,4,5}, N(4) = N(5) = {3,4,5}.
        // Inside: shared 3/3 = 1 → √0.8 ≈ 0.8944 and √0.7 ≈ 0.8367. Bridge: |{2,3}| / 4 = 0.5 →
        // √(0.5 · 0.5) = 0.5; the two cliques average 0.5 / 9 ≈ 0.0556.
        let edges = clique([0, 1, 2], 0.8) + clique([3, 4, 5], 0.7) + [Fixtures.edge(2, 3, 0.5)]
        #expect(StoryClusterer(threshold: 0.3).cluster(count: 6, edges: edges, initialGroups: []) == [0, 0, 0, 1, 1, 1])
        #expect(StoryClusterer(threshold: 0.056).cluster(count: 6, edges: edges, initialGroups: []) == [0, 0, 0, 1, 1, 1])
        #expect(StoryClusterer(threshold: 0.055).cluster(count: 6, edges: edges, initialGroups: []) == [0, 0, 0, 0, 0, 0])
    }

    @Test func averageLinkageMergesWhenTheAverageReachesTheThreshold() {
        // All pairs ≥ floor, so N = {0, 1, 2} for all and shared = 1. 0–1: √0.9 ≈ 0.9487 merges
        // first; {0, 1} vs 2: (√0.5 + √0.3) / 2 = (0.70711 + 0.54772) / 2 ≈ 0.62742.
        let edges = [Fixtures.edge(0, 1, 0.9), Fixtures.edge(0, 2, 0.5), Fixtures.edge(1, 2, 0.3)]
        #expect(abs((combined(0.5, shared: 1) + combined(0.3, shared: 1)) / 2 - 0.62742) < 1e-5)
        #expect(StoryClusterer(threshold: 0.627).cluster(count: 3, edges: edges, initialGroups: []) == [0, 0, 0])
        #expect(StoryClusterer(threshold: 0.628).cluster(count: 3, edges: edges, initialGroups: []) == [0, 0, 1])
    }

    @Test func missingEdgesCountAsZero() {
        // Clique {0,1,2} at 0.9 and 0–3 at 0.6. N(0) = {0,1,2,3}, N(3) = {0,3}: 0–3 shared
        // 2/2 → √0.6 ≈ 0.77460; {0,1,2} vs 3 = 0.77460 / 3 ≈ 0.25820 (1–3 and 2–3 count 0).
        let edges = clique([0, 1, 2], 0.9) + [Fixtures.edge(0, 3, 0.6)]
        #expect(StoryClusterer(threshold: 0.258).cluster(count: 4, edges: edges, initialGroups: []) == [0, 0, 0, 0])
        #expect(StoryClusterer(threshold: 0.259).cluster(count: 4, edges: edges, initialGroups: []) == [0, 0, 0, 1])
    }

    @Test func initialGroupsStayTogether() {
        // 0 and 5 are copies (one unit) without an edge between them; 5 is weakly close to 4:
        // unit {0,5}–4 cosine = 0.2 / (2 · 1) = 0.1 < floor → no shared neighbours → no link.
        let edges = [Fixtures.edge(1, 2, 0.9), Fixtures.edge(4, 5, 0.2)]
        let labels = StoryClusterer(threshold: 0.01).cluster(count: 6, edges: edges, initialGroups: [[0, 5]])
        #expect(labels == [0, 1, 1, 2, 3, 0])
        #expect(partition(labels) == [[0, 5], [1, 2], [3], [4]])
        // Even at threshold 1, nothing merges but the copies stay one story.
        #expect(StoryClusterer(threshold: 1).cluster(count: 6, edges: edges, initialGroups: [[0, 5], [3, 1]])
                == [0, 1, 2, 1, 3, 0])
    }

    @Test func aUnitCosineIsTheMeanOverMemberPairs() {
        // Copies {0, 1}; only 0 has an edge to 2 (0.6): unit cosine 0.6 / (2 · 1) = 0.3 ≥ floor,
        // sets {0, 2} and {2, 0} → √0.3 ≈ 0.54772.
        let edges = [Fixtures.edge(0, 1, 0.95), Fixtures.edge(0, 2, 0.6)]
        #expect(StoryClusterer(threshold: 0.547).cluster(count: 3, edges: edges, initialGroups: [[0, 1]]) == [0, 0, 0])
        #expect(StoryClusterer(threshold: 0.548).cluster(count: 3, edges: edges, initialGroups: [[0, 1]]) == [0, 0, 1])
        // Both copies linked: (0.6 + 0.4) / 2 = 0.5 → √0.5 ≈ 0.70711.
        let both = edges + [Fixtures.edge(1, 2, 0.4)]
        #expect(StoryClusterer(threshold: 0.707).cluster(count: 3, edges: both, initialGroups: [[0, 1]]) == [0, 0, 0])
        #expect(StoryClusterer(threshold: 0.708).cluster(count: 3, edges: both, initialGroups: [[0, 1]]) == [0, 0, 1])
        // A copy's edge diluted below the floor: 0.2 / 2 = 0.1 < 0.15 → never linked.
        let weak = [Fixtures.edge(0, 2, 0.2)]
        #expect(StoryClusterer(threshold: 0.001).cluster(count: 3, edges: weak, initialGroups: [[0, 1]]) == [0, 0, 1])
        #expect(StoryClusterer(threshold: 0.001).cluster(count: 3, edges: weak, initialGroups: []) == [0, 1, 0])
    }

    @Test func copiesNeitherFillNeighbourSetsNorCountSeveralTimes() {
        // Copies {0, 1}; 2 is close to both copies (0.9) and to 3 (0.5); 3 only to 2.
        // neighbors = 2. Units: U0 = {0, 1}, 2, 3. cos(U0, 2) = (0.9 + 0.9) / 2 = 0.9.
        // N(U0) = {0, 2}, N(2) = {2, 0, 3}, N(3) = {3, 2}.
        //   U0–2: |{0, 2}| / 2 = 1 → √0.9 ≈ 0.94868;  2–3: |{2, 3}| / 2 = 1 → √0.5 ≈ 0.70711.
        // U0 and 2 merge; {U0, 2} vs 3 = 0.70711 / (2 units · 1) ≈ 0.35355.
        // (Were the copies two neighbours, N(2) = {2, 0, 1} would drop 3: shared 1/2 → 0.5, and
        // were they counted as two articles the average would be 0.70711 / 3 ≈ 0.2357.)
        let edges = [Fixtures.edge(0, 1, 0.97), Fixtures.edge(0, 2, 0.9), Fixtures.edge(1, 2, 0.9), Fixtures.edge(2, 3, 0.5)]
        let low = StoryClusterer(threshold: 0.353, neighbors: 2, neighborFloor: 0.15)
        #expect(low.cluster(count: 4, edges: edges, initialGroups: [[0, 1]]) == [0, 0, 0, 0])
        let high = StoryClusterer(threshold: 0.354, neighbors: 2, neighborFloor: 0.15)
        #expect(high.cluster(count: 4, edges: edges, initialGroups: [[0, 1]]) == [0, 0, 0, 1])
    }

    @Test func aLargeDuplicateGroupCountsAsOneUnit() {
        // Three copies {0, 1, 2}, each 0.6 to article 3; 3–4 at 0.5 (neighbors 5).
        // cos(U0, 3) = 1.8 / 3 = 0.6; N(U0) = {0, 3}, N(3) = {0, 3, 4}, N(4) = {3, 4}.
        //   U0–3: 2 / min(2, 3) = 1 → √0.6 ≈ 0.77460;  3–4: 2/2 → √0.5 ≈ 0.70711.
        // {U0, 3} vs 4: 0.70711 / 2 ≈ 0.35355 (not / 4: the copies are one report).
        let edges = clique([0, 1, 2], 0.95) + [0, 1, 2].map { Fixtures.edge($0, 3, 0.6) } + [Fixtures.edge(3, 4, 0.5)]
        #expect(StoryClusterer(threshold: 0.353).cluster(count: 5, edges: edges, initialGroups: [[0, 1, 2]]) == [0, 0, 0, 0, 0])
        #expect(StoryClusterer(threshold: 0.354).cluster(count: 5, edges: edges, initialGroups: [[0, 1, 2]]) == [0, 0, 0, 0, 1])
        #expect(StoryClusterer(threshold: 0.775).cluster(count: 5, edges: edges, initialGroups: [[0, 1, 2]]) == [0, 0, 0, 1, 2])
    }

    @Test func labelsAreNumberedByFirstArticle() {
        let edges = [Fixtures.edge(2, 4, 0.9), Fixtures.edge(0, 3, 0.9), Fixtures.edge(5, 6, 0.9)]
        let labels = StoryClusterer(threshold: 0.5).cluster(count: 7, edges: edges, initialGroups: [])
        #expect(labels == [0, 1, 2, 0, 2, 3, 3])
        // A group whose first listed member is not its smallest is still numbered by its smallest.
        #expect(StoryClusterer(threshold: 0.5).cluster(count: 4, edges: [], initialGroups: [[3, 0]]) == [0, 1, 2, 0])
    }

    @Test func resultDoesNotDependOnEdgeOrder() {
        var generator = SeededGenerator(seed: 12)
        // A chain 0–1–…–9 at 0.5: N(i) = {i−1, i, i+1}. The ends: shared 2/2 → √0.5 ≈ 0.7071;
        // inside: 2/3 → √(0.5 · 2/3) ≈ 0.5774. Ties broken by the smaller pair give
        // {0,1}, {8,9}, {2,3}, {4,5}, {6,7}; then neighbours average ≤ 0.5774 / 2 < 0.3.
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
        let clusterer = StoryClusterer(threshold: 0.25, neighbors: 3, neighborFloor: 0.2)
        let reference = clusterer.cluster(count: 40, edges: edges, initialGroups: [[3, 17]])
        #expect(Set(reference).count > 1 && Set(reference).count < 40)
        for _ in 0..<5 {
            edges.shuffle(using: &generator)
            #expect(clusterer.cluster(count: 40, edges: edges, initialGroups: [[3, 17]]) == reference)
            let shuffled = chain.shuffled(using: &generator)
            #expect(StoryClusterer(threshold: 0.3).cluster(count: 10, edges: shuffled, initialGroups: []) == expected)
        }
    }

    @Test(arguments: [(seed: UInt64(13), neighbors: 5, floor: Float(0.15)), (14, 2, 0.3), (15, 3, 0.1)])
    func matchesASlowReferenceOnRandomGraphs(seed: UInt64, neighbors: Int, floor: Float) throws {
        var generator = SeededGenerator(seed: seed)
        var edges: [NeighborSearch.Edge] = []
        for a in 0..<30 {
            for b in (a + 1)..<30 where Int.random(in: 0..<4, using: &generator) == 0 {
                edges.append(Fixtures.edge(a, b, Float.random(in: 0.05...0.95, using: &generator)))
            }
        }
        let groups = [[4, 9], [12, 20, 27]]
        let threshold: Float = 0.3
        let clusterer = StoryClusterer(threshold: threshold, neighbors: neighbors, neighborFloor: floor)
        for initialGroups in [[], groups] {
            let labels = clusterer.cluster(count: 30, edges: edges, initialGroups: initialGroups)
            #expect(clusterer.cluster(count: 30, edges: edges, initialGroups: initialGroups, threads: 3) == labels)
            let expected = referencePartition(
                count: 30, edges: edges, groups: initialGroups, threshold: Double(threshold),
                neighbors: neighbors, floor: Double(floor))
            #expect(partition(labels) == expected)
            #expect(expected.count > 1 && expected.count < 30)
            // Numbered 0, 1, … by first article.
            try #require(labels.count == 30)
            #expect(labels[0] == 0)
            let firsts = try Set(labels).sorted().map { label in try #require(labels.firstIndex(of: label)) }
            #expect(firsts == firsts.sorted())
            #expect(Set(labels) == Set(0..<partition(labels).count))
        }
    }

    @Test(arguments: [1, 3])
    func listsAreSortedStablyAndEachOtherUnitSummed(threads: Int) throws {
        typealias Share = StoryClusterer.Share
        // Three units' lists, the middle one empty.
        let shares: [Share] = [(5, 0.5), (2, 1), (5, 0.25), (9, 2), (2, 3), (5, 0.125), (7, 1), (3, 0.5), (3, 0.25)]
            .map { Share(other: $0.0, value: $0.1) }
        var lists = RowLists(offsets: [0, 6, 6, 9], elements: shares)
        StoryClusterer.sortAndSumLists(&lists, threads: threads)
        #expect(lists.offsets == [0, 3, 3, 5])
        try #require(lists.rowCount == 3)
        #expect(lists[0].map(\.other) == [2, 5, 9])
        // In the list's order: (0.5 + 0.25) + 0.125, as the edges came.
        let expected: [Float] = [1 + 3, (0.5 + 0.25) + 0.125, 2]
        #expect(lists[0].map(\.value) == expected)
        #expect(lists[2].map(\.other) == [3, 7])
        #expect(lists[2].map(\.value) == [0.5 + 0.25, 1])

        // Many random lists: the same as sorting and summing each one by itself.
        var generator = SeededGenerator(seed: 8)
        var random: [[Share]] = []
        for _ in 0..<200 {
            random.append((0..<Int.random(in: 0..<12, using: &generator)).map { _ in
                Share(other: Int32.random(in: 0..<6, using: &generator), value: Float.random(in: 0...1, using: &generator),
                      weighted: Float.random(in: 0...1, using: &generator))
            })
        }
        var parallel = RowLists(random)
        StoryClusterer.sortAndSumLists(&parallel, threads: threads)
        try #require(parallel.rowCount == 200)
        for unit in 0..<200 {
            var sums: [Share] = []
            for entry in random[unit].enumerated()
                .sorted(by: { ($0.element.other, $0.offset) < ($1.element.other, $1.offset) }).map(\.element) {
                if sums.last?.other == entry.other {
                    sums[sums.count - 1].value += entry.value
                    sums[sums.count - 1].weighted += entry.weighted
                } else {
                    sums.append(entry)
                }
            }
            #expect(Array(parallel[unit]) == sums)
        }
    }

    @Test func theMergeQueueGivesTheHeapsOrder() {
        var generator = SeededGenerator(seed: 21)
        func candidate() -> StoryClusterer.Candidate {
            // Few distinct averages and pairs: ties by pair and repeated pairs.
            let a = Int.random(in: 0..<6, using: &generator)
            return .init(average: Float(Int.random(in: 1...8, using: &generator)) / 8, a: a,
                         b: a + Int.random(in: 1...3, using: &generator),
                         versionA: Int.random(in: 0..<3, using: &generator), versionB: 0)
        }
        let initial = (0..<300).map { _ in candidate() }
        var queue = StoryClusterer.MergeQueue(initial)
        var heap = StoryClusterer.PairHeap()
        for item in initial { heap.push(item) }
        var fromQueue: [StoryClusterer.Candidate] = [], fromHeap: [StoryClusterer.Candidate] = []
        for step in 0..<600 {
            // Pushes between pops, as merges make them.
            if step % 3 == 0 {
                let item = candidate()
                queue.push(item)
                heap.push(item)
            }
            if let item = queue.pop() { fromQueue.append(item) }
            if let item = heap.pop() { fromHeap.append(item) }
        }
        #expect(queue.pop() == nil && heap.pop() == nil)
        #expect(fromQueue.count == 500)
        // The same order, up to candidates neither of which precedes the other (same pair and
        // average, other versions).
        func key(_ c: StoryClusterer.Candidate) -> [Float] { [c.average, Float(c.a), Float(c.b)] }
        #expect(fromQueue.map(key) == fromHeap.map(key))
    }

    @Test func noEdgesMeansSingletons() {
        #expect(StoryClusterer(threshold: 0.1).cluster(count: 3, edges: [], initialGroups: []) == [0, 1, 2])
        #expect(StoryClusterer(threshold: 0.1).cluster(count: 0, edges: [], initialGroups: []) == [])
    }

    /// Editors' judgements act inside the linkage. Two events of one kind merge into one story
    /// unconstrained (see above); one cannot-link pair across them keeps them apart, and the
    /// events themselves still form.
    @Test func aCannotLinkPairKeepsTwoEventsApartThroughEveryMerge() {
        var edges = clique([0, 1, 2], 0.6) + clique([3, 4, 5], 0.6)
        for a in 0..<3 { for b in 3..<6 { edges.append(Fixtures.edge(a, b, 0.3)) } }
        let five = StoryClusterer(threshold: 0.2, neighbors: 5, neighborFloor: 0.15)
        #expect(five.cluster(count: 6, edges: edges, initialGroups: []) == [0, 0, 0, 0, 0, 0])
        let apart = StoryConstraints(cannotLink: [.init(a: 0, b: 5)])
        #expect(five.cluster(count: 6, edges: edges, initialGroups: [], constraints: apart) == [0, 0, 0, 1, 1, 1])
        // A cannot-link between two copies' groups' members acts on the whole unit.
        let groups = [[0, 1], [4, 5]]
        #expect(five.cluster(count: 6, edges: edges, initialGroups: groups, constraints: StoryConstraints(cannotLink: [.init(a: 1, b: 4)]))
                == [0, 0, 0, 1, 1, 1])
    }

    /// A must-link pair is merged first, whatever its similarity: two articles that share no
    /// edge end in one story, and what links to either joins them by the usual linkage.
    @Test func aMustLinkPairIsMergedFirstWhateverItsSimilarity() {
        let edges = clique([0, 1], 0.6) + clique([2, 3], 0.6)
        let clusterer = StoryClusterer(threshold: 0.2, neighbors: 5, neighborFloor: 0.15)
        #expect(clusterer.cluster(count: 5, edges: edges, initialGroups: []) == [0, 0, 1, 1, 2])
        let together = StoryConstraints(mustLink: [.init(a: 1, b: 2)])
        #expect(clusterer.cluster(count: 5, edges: edges, initialGroups: [], constraints: together) == [0, 0, 0, 0, 1])
        // The lone article joins 0 when told, and then counts in the average like any member:
        // {0, 4} to {1, 2, 3} is √0.6 / (2 × 3) ≈ 0.129, below 0.2, so they stay two stories.
        let all = StoryConstraints(mustLink: [.init(a: 4, b: 0), .init(a: 1, b: 2)])
        #expect(clusterer.cluster(count: 5, edges: edges, initialGroups: [], constraints: all) == [0, 1, 1, 1, 0])
    }

    /// When the judgements contradict each other the cannot-link wins inside the clustering
    /// (the caller resolves by time first and warns of what stays unkept).
    @Test func aMustLinkTheCannotLinksForbidIsNotMerged() {
        let clusterer = StoryClusterer(threshold: 0.2)
        let constraints = StoryConstraints(mustLink: [.init(a: 0, b: 1), .init(a: 1, b: 2)], cannotLink: [.init(a: 0, b: 2)])
        let labels = clusterer.cluster(count: 3, edges: [], initialGroups: [], constraints: constraints)
        #expect(labels[0] == labels[1] && labels[1] != labels[2])
    }
}
