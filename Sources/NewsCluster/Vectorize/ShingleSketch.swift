/// A bottom-k sketch of a document's word 4-gram shingles: enough to estimate how much of one
/// text another contains, in constant memory per document.
///
/// Duplicates are confirmed with shingles, not only with cosine, because two pages can share
/// every frequent word (a template, a list of results) without sharing a single sentence.
struct ShingleSketch: Sendable, Equatable, Codable {
    static let shingleLength = 4
    static let capacity = 96

    /// The `capacity` smallest distinct shingle hashes, ascending (all of them when fewer).
    var minima: [UInt64]
    /// Distinct shingles in the document.
    var count: Int

    init(minima: [UInt64], count: Int) {
        self.minima = minima
        self.count = count
    }

    /// Sketches the token-hash sequence of a text.
    ///
    /// - Complexity: O(n log k) for n tokens.
    init(tokens: [UInt64]) {
        let n = Self.shingleLength
        guard tokens.count >= n else {
            // A text shorter than one shingle is its own single shingle.
            let whole = tokens.reduce(0x9e37_79b9_7f4a_7c15 as UInt64) { Self.mix($0, $1) }
            self.init(minima: tokens.isEmpty ? [] : [whole], count: tokens.isEmpty ? 0 : 1)
            return
        }
        // Sorting a flat array beats a Set here (measured), and gives the minima directly.
        var shingles = [UInt64](repeating: 0, count: tokens.count - n + 1)
        for start in 0...(tokens.count - n) {
            var hash: UInt64 = 0x9e37_79b9_7f4a_7c15
            for offset in 0..<n { hash = Self.mix(hash, tokens[start + offset]) }
            shingles[start] = hash
        }
        shingles.sort()
        var minima: [UInt64] = []
        minima.reserveCapacity(Self.capacity)
        var distinct = 0
        var previous: UInt64?
        for shingle in shingles where shingle != previous {
            previous = shingle
            distinct += 1
            if minima.count < Self.capacity { minima.append(shingle) }
        }
        self.init(minima: minima, count: distinct)
    }

    @inline(__always)
    static func mix(_ seed: UInt64, _ value: UInt64) -> UInt64 {
        var x = (seed ^ value) &* 0xff51_afd7_ed55_8ccd
        x ^= x >> 33
        x = x &* 0xc4ce_b9fe_1a85_ec53
        return x ^ (x >> 29)
    }

    /// Estimated Jaccard similarity of the two shingle sets (exact when both sets fit the sketch).
    ///
    /// Looks at the union's values up to the smaller cut-off of the two sketches: below it,
    /// membership in both sets is known exactly.
    func jaccard(_ other: ShingleSketch) -> Double {
        guard !minima.isEmpty, !other.minima.isEmpty else { return 0 }
        let limit = Swift.min(cutoff, other.cutoff)
        var i = 0, j = 0, taken = 0, shared = 0
        while true {
            let a = i < minima.count ? minima[i] : UInt64.max
            let b = j < other.minima.count ? other.minima[j] : UInt64.max
            let value = Swift.min(a, b)
            if value > limit || (i >= minima.count && j >= other.minima.count) { break }
            if a == b { shared += 1; i += 1; j += 1 } else if a < b { i += 1 } else { j += 1 }
            taken += 1
        }
        return taken == 0 ? 0 : Double(shared) / Double(taken)
    }

    /// The largest hash the sketch speaks for: its last value when it dropped some, else all.
    private var cutoff: UInt64 { count > minima.count ? minima[minima.count - 1] : UInt64.max }

    /// Estimated share of the smaller document's shingles that the larger one contains: robust
    /// to a copy that dropped its last paragraph or gained a credit line.
    func containment(_ other: ShingleSketch) -> Double {
        let j = jaccard(other)
        let smaller = Swift.min(count, other.count)
        guard smaller > 0, j > 0 else { return 0 }
        let intersection = j * Double(count + other.count) / (1 + j)
        return Swift.min(1, intersection / Double(smaller))
    }
}
