/// Numbers distinct 64-bit keys 0, 1, 2, … in the order they are first met.
///
/// Open addressing with linear probing and a multiplicative hash. It replaces
/// `[UInt64: Int32]` in the vectorizer and dictionaries in the boilerplate plan, whose SipHash
/// per term or line occurrence was a third of the vectorize stage and most of the plan's
/// single-threaded part (measured with perf at 100k articles).
struct DenseNumbering {
    private static let empty: Int32 = -1
    private var keys: [UInt64]
    private var numbers: [Int32]
    private(set) var count = 0

    init(capacity: Int = 8) {
        var slots = 8
        while slots < 2 * capacity { slots *= 2 }
        keys = Array(repeating: 0, count: slots)
        numbers = Array(repeating: Self.empty, count: slots)
    }

    /// The number of `key`, given it now (the next one) if it has none yet.
    @inline(__always)
    mutating func number(of key: UInt64) -> (number: Int32, isNew: Bool) {
        var slot = Self.home(key, mask: keys.count - 1)
        while numbers[slot] != Self.empty {
            if keys[slot] == key { return (numbers[slot], false) }
            slot = (slot + 1) & (keys.count - 1)
        }
        let number = Int32(count)
        keys[slot] = key
        numbers[slot] = number
        count += 1
        if 2 * count > keys.count { grow() }
        return (number, true)
    }

    /// The number of `key`, if it has one.
    @inline(__always)
    func existingNumber(of key: UInt64) -> Int32? {
        var slot = Self.home(key, mask: keys.count - 1)
        while numbers[slot] != Self.empty {
            if keys[slot] == key { return numbers[slot] }
            slot = (slot + 1) & (keys.count - 1)
        }
        return nil
    }

    @inline(__always)
    private static func home(_ key: UInt64, mask: Int) -> Int {
        // The high bits of a multiplicative hash: the token hashes' low bits alone are weak.
        Int(truncatingIfNeeded: (key &* 0x9E37_79B9_7F4A_7C15) >> 32) & mask
    }

    private mutating func grow() {
        let oldKeys = keys, oldNumbers = numbers
        keys = Array(repeating: 0, count: 2 * oldKeys.count)
        numbers = Array(repeating: Self.empty, count: 2 * oldKeys.count)
        let mask = keys.count - 1
        for (key, number) in zip(oldKeys, oldNumbers) where number != Self.empty {
            var slot = Self.home(key, mask: mask)
            while numbers[slot] != Self.empty { slot = (slot + 1) & mask }
            keys[slot] = key
            numbers[slot] = number
        }
    }
}
