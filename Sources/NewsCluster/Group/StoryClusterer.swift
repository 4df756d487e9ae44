/// Groups articles into stories by average linkage on a shared-neighbour similarity.
///
/// Single linkage chains unrelated stories through intermediates (a roundup that mentions two
/// events glues them); average linkage merges two clusters only when their articles are
/// similar *on average*, counting pairs without an edge as 0.
///
/// Cosine alone cannot tell two events of one kind apart (two pirate attacks foiled by the same
/// navy, two Microsoft patches for Internet Explorer): their articles share most words. But
/// each article's *nearest* neighbours are mostly reports of its own event. So the similarity
/// that is clustered is `sqrt(cosine × shared)`, where `shared` is the overlap of the two
/// articles' neighbour sets (Jarvis–Patrick shared nearest neighbours; each set holds the
/// article itself and its `neighbors` most similar articles with cosine ≥ `neighborFloor`,
/// and the overlap is divided by the smaller set, so a two-article story scores 1).
///
/// Duplicate groups are collapsed to one unit first: five copies of one wire text are one
/// report, and must neither fill each other's neighbour sets nor count five times.
///
/// Edges may carry weights (`PublicationTimeWeight`: articles published weeks apart weigh
/// less than those of one morning). They weigh the cosine that is averaged, not the one that
/// picks the neighbour sets: an article's nearest reports stay its nearest whenever they came
/// out, and only the evidence for merging changes.
///
/// Editors' judgements act inside the clustering (`StoryConstraints`): must-link pairs are
/// merged before any other merge, whatever their similarity, and a merge that would put a
/// cannot-link pair into one cluster is refused, so the linkage goes on with the next best.
struct StoryClusterer: Sendable {
    var threshold: Float
    var neighbors: Int
    var neighborFloor: Float

    init(threshold: Float, neighbors: Int = 5, neighborFloor: Float = 0.15) {
        self.threshold = threshold
        self.neighbors = neighbors
        self.neighborFloor = neighborFloor
    }

    /// Story membership: a cluster index per article, clusters numbered by their first article.
    ///
    /// - Complexity: O(E log E) for E edges (cluster pairs in a `MergeQueue`, stale ones
    ///   skipped as they come out; the smaller neighbour map is merged into the larger).
    ///
    /// - Parameter pairScale: scales a pair's cosine everywhere, neighbour sets included.
    /// - Parameter weights: one per edge, multiplying its cosine in the linkage (nil: all 1).
    /// - Parameter constraints: pairs of articles, never two of one initial group for a
    ///   cannot-link (the caller takes such an article out of its group first).
    func cluster(
        count: Int, edges: [NeighborSearch.Edge], pairScale: PairScale? = nil, weights: [Float]? = nil, initialGroups: [[Int]],
        constraints: StoryConstraints = StoryConstraints(), threads: Int = 1
    ) -> [Int] {
        var unitOf = Array(0..<count)
        var unitSize = [Float](repeating: 1, count: count)
        for group in initialGroups {
            for member in group { unitOf[member] = group[0] }
            unitSize[group[0]] = Float(group.count)
        }
        var members = (0..<count).map { unitOf[$0] == $0 ? [$0] : [] }
        for group in initialGroups { members[group[0]] = group }
        var size = (0..<count).map { unitOf[$0] == $0 ? 1 : 0 }

        // Unit-to-unit cosine, the mean over member pairs, as per-unit lists sorted by the other
        // unit (counting sort by unit, then a stable sort: member pairs add up in edge order).
        var builder = RowLists<Share>.Builder(rowCount: count)
        for edge in edges {
            let a = unitOf[Int(edge.a)], b = unitOf[Int(edge.b)]
            guard a != b else { continue }
            builder.reserve(in: a)
            builder.reserve(in: b)
        }
        builder.allocate(placeholder: Share(other: 0, value: 0))
        for (index, edge) in edges.enumerated() {
            let a = unitOf[Int(edge.a)], b = unitOf[Int(edge.b)]
            guard a != b else { continue }
            let score = pairScale.map { edge.score * $0.factor(edge.a, edge.b) } ?? edge.score
            let share = score / (unitSize[a] * unitSize[b])
            let weighted = weights.map { share * $0[index] } ?? share
            builder.append(Share(other: Int32(b), value: share, weighted: weighted), to: a)
            builder.append(Share(other: Int32(a), value: share, weighted: weighted), to: b)
        }
        // Each unit's list sorted and its repeated units summed in place: a second copy of the
        // lists was the largest allocation of the stage at a million articles (measured).
        var lists = builder.finish()
        Self.sortAndSumLists(&lists, threads: threads)
        func cosine(_ unit: Int) -> ArraySlice<Share> { lists[unit] }
        // Neighbour sets as small sorted arrays: intersecting them is a merge, not hashing.
        let nearest = Parallel.map(count: count, threads: threads) { unit -> [Int] in
            var set = [unit]
            for share in cosine(unit).filter({ $0.value >= neighborFloor })
                .sorted(by: { $0.value > $1.value || ($0.value == $1.value && $0.other < $1.other) })
                .prefix(neighbors) {
                set.append(Int(share.other))
            }
            return set.sorted()
        }
        func sharedCount(_ x: [Int], _ y: [Int]) -> Int {
            var i = 0, j = 0, shared = 0
            while i < x.count && j < y.count {
                if x[i] == y[j] { shared += 1; i += 1; j += 1 } else if x[i] < y[j] { i += 1 } else { j += 1 }
            }
            return shared
        }
        // Summed combined similarity between clusters, each unit's map from its own list (in
        // parallel): a pair's cosine is the same sum in both units' lists, summed in edge order.
        var links = Parallel.map(count: count, threads: threads) { a -> LinkMap in
            var map = LinkMap()
            for share in cosine(a) {
                let b = Int(share.other)
                let shared = Float(sharedCount(nearest[a], nearest[b]))
                    / Float(min(nearest[a].count, nearest[b].count))
                let combined = (share.weighted * shared).squareRoot()
                if combined > 0 { map.add(combined, to: b) }
            }
            return map
        }
        lists = RowLists()
        var version = [Int](repeating: 0, count: count)
        // Clusters are named by a unit; `root` finds a unit's cluster (folded units point on).
        var parent = Array(0..<count)
        func root(_ unit: Int) -> Int {
            var unit = unit
            while parent[unit] != unit {
                parent[unit] = parent[parent[unit]]
                unit = parent[unit]
            }
            return unit
        }
        // Per cluster, the units its articles must never share a cluster with.
        var forbidden = [[Int32]](repeating: [], count: count)
        for pair in constraints.cannotLink {
            let a = unitOf[pair.a], b = unitOf[pair.b]
            guard a != b else { continue }
            forbidden[a].append(Int32(b))
            forbidden[b].append(Int32(a))
        }
        func mayMerge(_ a: Int, _ b: Int) -> Bool {
            let (few, other) = forbidden[a].count <= forbidden[b].count ? (a, b) : (b, a)
            return !forbidden[few].contains { root(Int($0)) == other }
        }
        /// Folds one cluster into the other; the one kept is returned.
        func merge(_ a: Int, _ b: Int) -> Int {
            // Keep the cluster with the larger neighbour map; fold the other into it.
            var (keep, fold) = (a, b)
            if links[keep].count < links[fold].count { swap(&keep, &fold) }
            links[keep].remove(fold)
            links[fold].remove(keep)
            let folded = links[fold]
            links[fold].removeAll()
            folded.forEach { other, sum in
                links[keep].add(sum, to: other)
                links[other].remove(fold)
                links[other].add(sum, to: keep)
            }
            members[keep] += members[fold]
            members[fold] = []
            size[keep] += size[fold]
            size[fold] = 0
            version[keep] += 1
            version[fold] += 1
            parent[fold] = keep
            if !forbidden[fold].isEmpty {
                forbidden[keep] += forbidden[fold]
                forbidden[fold] = []
            }
            return keep
        }
        // Editors' must-links first, whatever the similarity (one the cannot-links forbid stays
        // apart: the caller finds it unkept).
        for pair in constraints.mustLink {
            let a = root(unitOf[pair.a]), b = root(unitOf[pair.b])
            if a != b && mayMerge(a, b) { _ = merge(a, b) }
        }
        var initial: [Candidate] = []
        for a in 0..<count where size[a] > 0 {
            links[a].forEach { b, sum in
                guard a < b else { return }
                let average = sum / Float(size[a] * size[b])
                if average >= threshold { initial.append(.init(average: average, a: a, b: b, versionA: version[a], versionB: version[b])) }
            }
        }
        var queue = MergeQueue(consume initial)
        while let best = queue.pop() {
            let (a, b) = (Int(best.a), Int(best.b))
            guard size[a] > 0, size[b] > 0,
                  version[a] == Int(best.versionA), version[b] == Int(best.versionB) else { continue }
            guard mayMerge(a, b) else { continue }
            let keep = merge(a, b)
            links[keep].forEach { other, sum in
                let average = sum / Float(size[keep] * size[other])
                guard average >= threshold else { return }
                let (a, b) = keep < other ? (keep, other) : (other, keep)
                queue.push(.init(average: average, a: a, b: b, versionA: version[a], versionB: version[b]))
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

    /// One unit's share of the cosine between two units: an edge's score over the product of
    /// their sizes; `weighted` with the edge's weight.
    struct Share: Equatable {
        var other: Int32
        var value: Float
        var weighted: Float

        init(other: Int32, value: Float, weighted: Float? = nil) {
            self.other = other
            self.value = value
            self.weighted = weighted ?? value
        }
    }

    /// Sorts each unit's list by the other unit, stably (a pair's shares stay in edge order),
    /// and sums the shares of each other unit into one, in that order. Units are done in
    /// parallel.
    static func sortAndSumLists(_ lists: inout RowLists<Share>, threads: Int) {
        lists.sortAndMergeEachRow(threads: threads, by: SumByOther.self)
    }

    /// By the other unit (stably, as `sort` is), each other unit's shares summed.
    private enum SumByOther: RowMerge {
        static func areInIncreasingOrder(_ a: Share, _ b: Share) -> Bool { a.other < b.other }
        static func merge(_ kept: inout Share, _ next: Share) -> Bool {
            guard kept.other == next.other else { return false }
            kept.value += next.value
            kept.weighted += next.weighted
            return true
        }
    }

    /// 20 bytes, not 40: the merge queue holds a million of these at 100k articles, most of
    /// them stale (measured when they were popped from one heap: the merge loop 0.79 s with
    /// 64-bit fields).
    struct Candidate {
        var average: Float
        var a: Int32
        var b: Int32
        var versionA: Int32
        var versionB: Int32

        init(average: Float, a: Int, b: Int, versionA: Int, versionB: Int) {
            self.average = average
            self.a = Int32(a)
            self.b = Int32(b)
            self.versionA = Int32(versionA)
            self.versionB = Int32(versionB)
        }

        /// Higher average first; ties by the smaller pair, so merges do not depend on input order.
        func precedes(_ other: Candidate) -> Bool {
            if average != other.average { return average > other.average }
            return (a, b) < (other.a, other.b)
        }
    }

    /// Merge candidates, best first: those of the start sorted once, those made by merges in a
    /// heap. Most candidates are made at the start and most of them go stale; popped from one
    /// heap of a million, each walked its height in cache misses (the merge loop was 0.65 s at
    /// 100k articles, measured), popped from a sorted array they are read in order.
    struct MergeQueue {
        private let sorted: [Candidate]
        private var next = 0
        private var heap = PairHeap()

        /// Sorts `initial` in place: at a million articles it holds millions of candidates.
        init(_ initial: consuming [Candidate]) {
            initial.sort { $0.precedes($1) }
            sorted = initial
        }

        mutating func push(_ item: Candidate) { heap.push(item) }

        /// Two candidates that precede neither the other are the same pair with other versions:
        /// one of them at most is current, so which comes out first changes no merge.
        mutating func pop() -> Candidate? {
            if next < sorted.count, heap.top.map({ !$0.precedes(sorted[next]) }) ?? true {
                next += 1
                return sorted[next - 1]
            }
            return heap.pop()
        }
    }

    /// A binary max-heap of merge candidates.
    struct PairHeap {
        private var items: [Candidate] = []

        var top: Candidate? { items.first }

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

extension StoryClusterer {
    /// A factor on the cosine of pairs whose two articles are both `scaled`.
    struct PairScale: Sendable, Equatable {
        var scaled: [Bool]
        var factor: Float

        func factor(_ a: Int32, _ b: Int32) -> Float {
            scaled[Int(a)] && scaled[Int(b)] ? factor : 1
        }
    }
}

/// Pairs of articles (indices) that editors put in one story or kept apart.
struct StoryConstraints: Sendable, Equatable {
    struct Pair: Sendable, Equatable {
        var a: Int
        var b: Int
    }

    var mustLink: [Pair] = []
    var cannotLink: [Pair] = []

    var isEmpty: Bool { mustLink.isEmpty && cannotLink.isEmpty }
}
