// Seeded randomness. Everything the generator draws comes from these functions, never from
// SystemRandomNumberGenerator or the standard library's `random(in:)`, so that the output depends
// only on (--articles, --seed, options) and not on the Swift version or the machine.

import Foundation

/// SplitMix64 finaliser: a bijective 64-bit mixer.
@inline(__always)
func mix64(_ x: UInt64) -> UInt64 {
    var z = x &+ 0x9E37_79B9_7F4A_7C15
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
}

/// Random streams. Each entity (story, report, copy, page, site-day pool...) gets its own
/// generator seeded from (seed, stream, index), so that entities can be generated in any order
/// and on any thread with identical results.
enum Stream: UInt64 {
    case plan = 1, vocabulary, names, sites, topic, story, report, copy, copySites, page, pool, order, idKey, viral
}

@inline(__always)
func derive(_ seed: UInt64, _ stream: Stream, _ index: UInt64 = 0) -> UInt64 {
    mix64(mix64(seed ^ mix64(stream.rawValue &* 0xD6E8_FEB8_6659_FD93)) &+ index &* 0x9E37_79B9_7F4A_7C15)
}

/// xoshiro256** seeded through SplitMix64.
struct Rng {
    private var s0: UInt64, s1: UInt64, s2: UInt64, s3: UInt64

    init(_ seed: UInt64) {
        s0 = mix64(seed)
        s1 = mix64(seed &+ 0x9E37_79B9_7F4A_7C15)
        s2 = mix64(seed &+ 0x3C6E_F372_FE94_F82A)
        s3 = mix64(seed &+ 0xDAA6_6D2C_7DDF_743F)
        if s0 | s1 | s2 | s3 == 0 { s0 = 1 }
    }

    @inline(__always)
    mutating func next() -> UInt64 {
        let result = ((s1 &* 5) << 7 | (s1 &* 5) >> 57) &* 9
        let t = s1 << 17
        s2 ^= s0
        s3 ^= s1
        s1 ^= s2
        s0 ^= s3
        s2 ^= t
        s3 = s3 << 45 | s3 >> 19
        return result
    }

    /// Uniform in 0..<n (multiply-high; the bias is below 2^-40 for our n).
    @inline(__always)
    mutating func below(_ n: Int) -> Int {
        Int(truncatingIfNeeded: next().multipliedFullWidth(by: UInt64(n)).high)
    }

    /// Uniform in lo...hi.
    @inline(__always)
    mutating func int(_ lo: Int, _ hi: Int) -> Int { lo + below(hi - lo + 1) }

    /// Uniform in [0, 1).
    @inline(__always)
    mutating func unit() -> Double { Double(next() >> 11) * 0x1.0p-53 }

    @inline(__always)
    mutating func chance(_ p: Double) -> Bool { unit() < p }

    mutating func uniform(_ lo: Double, _ hi: Double) -> Double { lo + (hi - lo) * unit() }

    /// Standard normal (Box-Muller, one value per call).
    mutating func normal() -> Double {
        let u1 = max(unit(), 1e-300)
        let u2 = unit()
        return (-2 * log(u1)).squareRoot() * cos(2 * Double.pi * u2)
    }

    mutating func logUniform(_ lo: Double, _ hi: Double) -> Double {
        exp(uniform(log(lo), log(hi)))
    }

    mutating func pick<T>(_ a: [T]) -> T { a[below(a.count)] }

    mutating func shuffle<T>(_ a: inout [T]) {
        var i = a.count - 1
        while i > 0 {
            let j = below(i + 1)
            if i != j { a.swapAt(i, j) }
            i -= 1
        }
    }
}

/// Walker/Vose alias table: O(1) sampling from a discrete distribution.
struct AliasTable {
    private(set) var prob: [UInt32]
    private(set) var alias: [Int32]
    var count: Int { prob.count }

    init(weights: [Double]) {
        let n = weights.count
        precondition(n > 0)
        let total = weights.reduce(0, +)
        var scaled = weights.map { $0 * Double(n) / total }
        prob = [UInt32](repeating: UInt32.max, count: n)
        alias = (0..<n).map { Int32($0) }
        var small: [Int] = []
        var large: [Int] = []
        for i in 0..<n { if scaled[i] < 1 { small.append(i) } else { large.append(i) } }
        while let s = small.popLast() {
            guard let l = large.last else { break }
            prob[s] = UInt32(min(scaled[s] * 4294967296.0, 4294967295.0))
            alias[s] = Int32(l)
            scaled[l] = (scaled[l] + scaled[s]) - 1
            if scaled[l] < 1 {
                large.removeLast()
                small.append(l)
            }
        }
    }

    @inline(__always)
    func sample(_ r: inout Rng) -> Int {
        let u = r.next()
        let i = Int(truncatingIfNeeded: ((u >> 32) &* UInt64(prob.count)) >> 32)
        return UInt32(truncatingIfNeeded: u) < prob[i] ? i : Int(alias[i])
    }
}

/// A seeded bijection on 0..<2^36, used to turn counters into opaque ids.
struct Scrambler36 {
    let k1: UInt64, k2: UInt64
    static let mask: UInt64 = (1 << 36) - 1

    init(seed: UInt64) {
        k1 = mix64(seed) & Scrambler36.mask
        k2 = mix64(seed ^ 0x5555) & Scrambler36.mask
    }

    func scramble(_ v: UInt64) -> UInt64 {
        let m = Scrambler36.mask
        var x = (v &+ k1) & m
        x ^= x >> 19
        x = (x &* 0x9E37_79B1) & m
        x ^= x >> 17
        x = (x &* 0x85EB_CA6B) & m
        x ^= x >> 15
        x = (x &* 0xC2B2_AE35) & m
        x ^= x >> 16
        return (x &+ k2) & m
    }
}
