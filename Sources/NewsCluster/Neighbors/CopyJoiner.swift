/// The groups of confirmed copies that one thread of the tile scan has met so far, so that the
/// scan can stop keeping the pairs inside a large group (see `NeighborSearch`).
///
/// Which pairs a thread keeps depends on the order it meets them in; what the search keeps in
/// the end does not: `merged` joins the threads' groups, and the search then drops every pair
/// inside a large merged group, which includes all the pairs a thread left out.
///
/// Manually allocated labels, as `TopKTable`'s floors: the screening loop reads them through a
/// pointer while the unions it calls back into change them.
final class CopyJoiner {
    private var sets: UnionFind
    /// Groups of at least this many copies keep no more pairs.
    let largeGroup: Int
    private let confirms: (_ a: Int, _ b: Int) -> Bool
    /// Pairs checked with `confirms`.
    private(set) var checks = 0
    /// Per position, its group's root when the group is large, else -1: two positions with the
    /// same label are in one large group (a group's members are relabelled when it joins a
    /// larger one, so no stale label survives).
    let labels: UnsafeMutablePointer<Int32>
    /// Each group's members as a linked list from its root: `next[member]` (-1 ends it).
    private var next: [Int32]
    private var last: [Int32]

    /// - Parameter confirms: whether positions a and b are copies (the exact rule).
    init(positions: Int, largeGroup: Int, confirms: @escaping (_ a: Int, _ b: Int) -> Bool) {
        sets = UnionFind(count: positions)
        self.largeGroup = max(2, largeGroup)
        self.confirms = confirms
        labels = .allocate(capacity: max(1, positions))
        labels.initialize(repeating: -1, count: max(1, positions))
        next = [Int32](repeating: -1, count: positions)
        last = (0..<positions).map { Int32($0) }
    }

    deinit {
        labels.deallocate()
    }

    /// Whether the pair (a, b), met above the floor, is to be kept: not when both are already
    /// in one group of at least `largeGroup` copies. A pair across groups is checked, and joins
    /// them when it is a pair of copies; it is kept either way (it is scored like any other).
    ///
    /// - Complexity: amortised O(α(n)), plus one `confirms` for a pair across groups, plus the
    ///   relabelling of the smaller group when a large one grows (O(n log n) in all).
    func keeps(_ a: Int, _ b: Int) -> Bool {
        let rootA = sets.find(a), rootB = sets.find(b)
        if rootA == rootB { return sets.size(ofRoot: rootA) < largeGroup }
        checks += 1
        if confirms(a, b) { join(rootA, rootB) }
        return true
    }

    /// Joins the groups of `a` and `b`, known to be copies (a distributed task confirmed them).
    func joinCopies(_ a: Int, _ b: Int) {
        let rootA = sets.find(a), rootB = sets.find(b)
        if rootA != rootB { join(rootA, rootB) }
    }

    /// Adds checks that a distributed task made.
    func countChecks(_ count: Int) { checks += count }

    /// Calls `body` with (position, its group's root) for every position not its own root:
    /// joined in another joiner, these rebuild the same groups.
    func forEachUnion(_ body: (_ position: Int, _ root: Int) -> Void) {
        for position in 0..<sets.count {
            let root = sets.find(position)
            if root != position { body(position, root) }
        }
    }

    private func join(_ rootA: Int, _ rootB: Int) {
        let wasLarge = (sets.size(ofRoot: rootA) >= largeGroup, sets.size(ofRoot: rootB) >= largeGroup)
        sets.union(rootA, rootB)
        let root = sets.find(rootA)
        let other = root == rootA ? rootB : rootA
        let rootWasLarge = root == rootA ? wasLarge.0 : wasLarge.1
        // The other group's list goes after the root's.
        let otherFirst = Int32(other)
        next[Int(last[root])] = otherFirst
        last[root] = last[other]
        guard sets.size(ofRoot: root) >= largeGroup else { return }
        // Union by size keeps the larger root: a large group only relabels the smaller one.
        var member: Int32 = rootWasLarge ? otherFirst : Int32(root)
        while member >= 0 {
            labels[Int(member)] = Int32(root)
            member = next[Int(member)]
        }
    }

    /// The threads' groups joined: per position its group (a representative position) and
    /// whether that group is large; the large groups, each ascending, by their first position.
    struct Merged {
        var group: [Int32]
        var isLarge: [Bool]
        var largeGroups: [[Int]]
    }

    /// - Complexity: O(n · joiners.count · α(n)).
    static func merged(_ joiners: [CopyJoiner], largeGroup: Int) -> Merged {
        let n = joiners.first?.sets.count ?? 0
        var joined = UnionFind(count: n)
        for joiner in joiners {
            for position in 0..<n {
                let root = joiner.sets.find(position)
                if root != position { joined.union(position, root) }
            }
        }
        let group = (0..<n).map { Int32(joined.find($0)) }
        let bound = max(2, largeGroup)
        let isLarge = (0..<n).map { joined.size(ofRoot: Int(group[$0])) >= bound }
        var members: [Int32: [Int]] = [:]
        for position in 0..<n where isLarge[position] { members[group[position], default: []].append(position) }
        // Positions ascend within each list; lists ordered by their first position.
        let largeGroups = members.values.sorted { $0[0] < $1[0] }
        return Merged(group: group, isLarge: isLarge, largeGroups: largeGroups)
    }
}
