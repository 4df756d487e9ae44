/// Groups articles into stories by average linkage on the sparse similarity graph.
///
/// Single linkage chains unrelated stories through intermediates (a roundup that mentions two
/// events glues them); average linkage merges two clusters only when their articles are
/// similar *on average*, counting pairs without an edge as 0. Clusters start from the
/// duplicate groups, so copies always share a story.
public struct StoryClusterer: Sendable {
    public var threshold: Float

    public init(threshold: Float) {
        self.threshold = threshold
    }

    /// Story membership: a cluster index per article, clusters numbered by their first article.
    ///
    /// - Complexity: O(E log E) for E edges (lazy max-heap of cluster pairs; the smaller
    ///   neighbour map is merged into the larger).
    public func cluster(count: Int, edges: [NeighborSearch.Edge], initialGroups: [[Int]]) -> [Int] {
        var owner = Array(0..<count)
        var size = [Int](repeating: 1, count: count)
        var members = (0..<count).map { [$0] }
        for group in initialGroups {
            let root = group[0]
            for member in group.dropFirst() {
                owner[member] = root
                members[root].append(member)
                members[member] = []
                size[member] = 0
            }
            size[root] = group.count
        }
        // Summed similarity between clusters.
        var links = [[Int: Float]](repeating: [:], count: count)
        for edge in edges {
            let a = owner[Int(edge.a)], b = owner[Int(edge.b)]
            guard a != b else { continue }
            links[a][b, default: 0] += edge.score
            links[b][a, default: 0] += edge.score
        }
        var version = [Int](repeating: 0, count: count)
        var heap = PairHeap()
        for a in 0..<count where size[a] > 0 {
            for (b, sum) in links[a] where a < b {
                let average = sum / Float(size[a] * size[b])
                if average >= threshold { heap.push(.init(average: average, a: a, b: b, versionA: 0, versionB: 0)) }
            }
        }
        while let best = heap.pop() {
            guard size[best.a] > 0, size[best.b] > 0,
                  version[best.a] == best.versionA, version[best.b] == best.versionB else { continue }
            // Keep the cluster with the larger neighbour map; fold the other into it.
            var (keep, fold) = (best.a, best.b)
            if links[keep].count < links[fold].count { swap(&keep, &fold) }
            links[keep][fold] = nil
            links[fold][keep] = nil
            for (other, sum) in links[fold] {
                links[keep][other, default: 0] += sum
                links[other][fold] = nil
                links[other][keep, default: 0] += sum
            }
            links[fold] = [:]
            members[keep] += members[fold]
            members[fold] = []
            size[keep] += size[fold]
            size[fold] = 0
            version[keep] += 1
            version[fold] += 1
            for (other, sum) in links[keep] {
                let average = sum / Float(size[keep] * size[other])
                guard average >= threshold else { continue }
                let (a, b) = keep < other ? (keep, other) : (other, keep)
                heap.push(.init(average: average, a: a, b: b, versionA: version[a], versionB: version[b]))
            }
        }
        let roots = (0..<count).filter { size[$0] > 0 }
            .map { (first: members[$0].min()!, root: $0) }
            .sorted { $0.first < $1.first }
        var label = [Int](repeating: 0, count: count)
        for (index, cluster) in roots.enumerated() {
            for member in members[cluster.root] { label[member] = index }
        }
        return label
    }

    struct Candidate {
        var average: Float
        var a: Int
        var b: Int
        var versionA: Int
        var versionB: Int

        /// Higher average first; ties by the smaller pair, so merges do not depend on input order.
        func precedes(_ other: Candidate) -> Bool {
            if average != other.average { return average > other.average }
            return (a, b) < (other.a, other.b)
        }
    }

    /// A binary max-heap of merge candidates.
    struct PairHeap {
        private var items: [Candidate] = []

        mutating func push(_ item: Candidate) {
            items.append(item)
            var child = items.count - 1
            while child > 0 {
                let parent = (child - 1) / 2
                guard items[child].precedes(items[parent]) else { break }
                items.swapAt(child, parent)
                child = parent
            }
        }

        mutating func pop() -> Candidate? {
            guard !items.isEmpty else { return nil }
            items.swapAt(0, items.count - 1)
            let top = items.removeLast()
            var parent = 0
            while true {
                let left = 2 * parent + 1
                guard left < items.count else { break }
                var best = left
                if left + 1 < items.count && items[left + 1].precedes(items[left]) { best = left + 1 }
                guard items[best].precedes(items[parent]) else { break }
                items.swapAt(best, parent)
                parent = best
            }
            return top
        }
    }
}
