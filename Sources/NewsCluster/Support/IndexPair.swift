/// Two indices (of articles, or of their positions in the canonical order) as an unordered
/// pair: `first ≤ second`, in 8 bytes. Pairs compare, hash and sort as (first, second), which
/// is the order of the packed key `first << 32 | second` that they are stored as, so that the
/// millions of candidate pairs of a search cost one word each and sort as integers.
struct IndexPair: Hashable, Comparable, Sendable {
    private let key: UInt64

    /// The pair of `x` and `y`, in either order; both must fit in 32 bits.
    @inline(__always)
    init(_ x: Int, _ y: Int) {
        precondition(x >= 0 && y >= 0 && x <= Int(UInt32.max) && y <= Int(UInt32.max), "indices must fit in 32 bits")
        key = UInt64(min(x, y)) << 32 | UInt64(max(x, y))
    }

    var first: Int { Int(key >> 32) }
    var second: Int { Int(key & 0xFFFF_FFFF) }

    @inline(__always)
    static func < (lhs: IndexPair, rhs: IndexPair) -> Bool { lhs.key < rhs.key }
}

/// In a stage file, as its two indices.
extension IndexPair: Codable {
    init(from decoder: any Decoder) throws {
        var container = try decoder.unkeyedContainer()
        let (x, y) = (try container.decode(Int.self), try container.decode(Int.self))
        guard x >= 0, y >= 0, x <= Int(UInt32.max), y <= Int(UInt32.max) else {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "a pair's indices must fit in 32 bits")
        }
        self.init(x, y)
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.unkeyedContainer()
        try container.encode(first)
        try container.encode(second)
    }
}
