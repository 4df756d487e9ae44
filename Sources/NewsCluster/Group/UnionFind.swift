/// Disjoint sets over `0..<count` with path halving and union by size.
struct UnionFind: Sendable {
    private var parent: [Int32]
    private var size: [Int32]

    init(count: Int) {
        parent = (0..<count).map { Int32($0) }
        size = [Int32](repeating: 1, count: count)
    }

    /// - Complexity: amortised O(α(n)).
    mutating func find(_ element: Int) -> Int {
        var current = element
        while Int(parent[current]) != current {
            let grandparent = parent[Int(parent[current])]
            parent[current] = grandparent
            current = Int(grandparent)
        }
        return current
    }

    /// Elements in the set whose root is `root` (a value `find` returned since the last union).
    func size(ofRoot root: Int) -> Int {
        Int(size[root])
    }

    /// Elements in all the sets.
    var count: Int { parent.count }

    /// Joins the sets of `a` and `b`; returns false when they were already one.
    @discardableResult
    mutating func union(_ a: Int, _ b: Int) -> Bool {
        var rootA = find(a), rootB = find(b)
        guard rootA != rootB else { return false }
        if size[rootA] < size[rootB] || (size[rootA] == size[rootB] && rootB < rootA) {
            swap(&rootA, &rootB)
        }
        parent[rootB] = Int32(rootA)
        size[rootA] += size[rootB]
        return true
    }

    /// The sets with more than one element, each sorted, ordered by their smallest element.
    mutating func groups() -> [[Int]] {
        var byRoot: [Int: [Int]] = [:]
        for element in 0..<parent.count { byRoot[find(element), default: []].append(element) }
        return byRoot.values.filter { $0.count > 1 }.sorted { $0[0] < $1[0] }
    }
}
