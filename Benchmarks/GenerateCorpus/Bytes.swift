// Byte-level output helpers: a growable byte buffer, JSON string escaping, ISO 8601 dates and
// base-36 numbers. The generator never builds Swift Strings per article: all text is assembled
// from precomputed UTF-8 byte arrays.

import Foundation

/// A growable byte buffer over manually managed memory (no copy-on-write, no bounds checks in
/// the hot path). Owned by exactly one `Generator` / thread; `free()` releases it.
struct ByteBuffer {
    private(set) var base: UnsafeMutablePointer<UInt8>
    private(set) var capacity: Int
    var count = 0

    init(capacity: Int = 1 << 16) {
        self.capacity = capacity
        base = .allocate(capacity: capacity)
    }

    func free() { base.deallocate() }

    @inline(__always)
    mutating func reserve(_ extra: Int) {
        if count + extra > capacity { grow(count + extra) }
    }

    private mutating func grow(_ needed: Int) {
        var c = capacity * 2
        while c < needed { c *= 2 }
        let p = UnsafeMutablePointer<UInt8>.allocate(capacity: c)
        p.update(from: base, count: count)
        base.deallocate()
        base = p
        capacity = c
    }

    @inline(__always)
    mutating func append(_ p: UnsafePointer<UInt8>, _ n: Int) {
        reserve(n)
        let d = base + count
        if n <= 16 {
            // words: a byte loop beats a memmove call
            var i = 0
            while i < n { d[i] = p[i]; i += 1 }
        } else {
            d.update(from: p, count: n)
        }
        count += n
    }

    @inline(__always)
    mutating func append(_ b: UInt8) {
        reserve(1)
        base[count] = b
        count += 1
    }

    @inline(__always)
    mutating func append(_ a: [UInt8]) {
        a.withUnsafeBufferPointer { if let p = $0.baseAddress { append(p, $0.count) } }
    }

    mutating func append(_ other: ByteBuffer) { append(other.base, other.count) }

    mutating func append(ascii s: StaticString) {
        append(s.utf8Start, s.utf8CodeUnitCount)
    }

    /// Appends the bytes of `src` as the inside of a JSON string: quote, backslash and control
    /// characters escaped; everything else (including non-ASCII UTF-8) copied as is.
    mutating func appendJSONEscaped(_ src: UnsafePointer<UInt8>, _ n: Int) {
        reserve(n + 16)
        var i = 0
        var runStart = 0
        while i < n {
            // 8 bytes at a time while none of them needs escaping (SWAR test for a byte < 0x20,
            // == '"' or == '\\')
            while i + 8 <= n {
                let x = UnsafeRawPointer(src + i).loadUnaligned(as: UInt64.self)
                let lo: UInt64 = 0x0101_0101_0101_0101, hi: UInt64 = 0x8080_8080_8080_8080
                let ctl = (x &- lo &* 0x20) & ~x & hi
                let q = x ^ (lo &* 0x22), bs = x ^ (lo &* 0x5C)
                let hasQ = (q &- lo) & ~q & hi
                let hasB = (bs &- lo) & ~bs & hi
                if ctl | hasQ | hasB != 0 { break }
                i += 8
            }
            if i >= n { break }
            let b = src[i]
            if b >= 0x20 && b != 0x22 && b != 0x5C {
                i += 1
                continue
            }
            if i > runStart { append(src + runStart, i - runStart) }
            reserve(6)
            switch b {
            case 0x22: append(0x5C); append(0x22)
            case 0x5C: append(0x5C); append(0x5C)
            case 0x0A: append(0x5C); append(UInt8(ascii: "n"))
            case 0x0D: append(0x5C); append(UInt8(ascii: "r"))
            case 0x09: append(0x5C); append(UInt8(ascii: "t"))
            default:
                let hex: StaticString = "0123456789abcdef"
                append(0x5C); append(UInt8(ascii: "u")); append(0x30); append(0x30)
                append(hex.utf8Start[Int(b >> 4)]); append(hex.utf8Start[Int(b & 15)])
            }
            i += 1
            runStart = i
        }
        if n > runStart { append(src + runStart, n - runStart) }
    }

    mutating func appendJSONEscaped(_ other: ByteBuffer) { appendJSONEscaped(other.base, other.count) }

    mutating func appendJSONEscaped(_ a: [UInt8]) {
        a.withUnsafeBufferPointer { if let p = $0.baseAddress { appendJSONEscaped(p, $0.count) } }
    }

    /// Decimal, at least `width` digits.
    mutating func appendDecimal(_ v: Int, width: Int = 1) {
        var digits: (UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8,
                     UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8) =
            (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        var x = v < 0 ? -v : v
        var n = 0
        withUnsafeMutableBytes(of: &digits) { d in
            repeat {
                d[n] = UInt8(48 + x % 10)
                x /= 10
                n += 1
            } while x > 0 || n < width
        }
        if v < 0 { append(UInt8(ascii: "-")) }
        withUnsafeBytes(of: &digits) { d in
            var i = n - 1
            while i >= 0 { append(d[i]); i -= 1 }
        }
    }

    /// Base 36, exactly `width` digits (0-9a-z).
    mutating func appendBase36(_ v: UInt64, width: Int) {
        let alphabet: StaticString = "0123456789abcdefghijklmnopqrstuvwxyz"
        reserve(width)
        var x = v
        var i = width - 1
        while i >= 0 {
            base[count + i] = alphabet.utf8Start[Int(x % 36)]
            x /= 36
            i -= 1
        }
        count += width
    }

    /// ISO 8601 local date-time with offset, e.g. 2020-10-06T08:15:00+06:00.
    mutating func appendISODate(unixSeconds t: Int, offsetMinutes: Int) {
        let c = CivilTime(unixSeconds: t + offsetMinutes * 60)
        appendDecimal(c.year, width: 4); append(UInt8(ascii: "-"))
        appendDecimal(c.month, width: 2); append(UInt8(ascii: "-"))
        appendDecimal(c.day, width: 2); append(UInt8(ascii: "T"))
        appendDecimal(c.hour, width: 2); append(UInt8(ascii: ":"))
        appendDecimal(c.minute, width: 2); append(UInt8(ascii: ":"))
        appendDecimal(c.second, width: 2)
        append(offsetMinutes < 0 ? UInt8(ascii: "-") : UInt8(ascii: "+"))
        let a = abs(offsetMinutes)
        appendDecimal(a / 60, width: 2); append(UInt8(ascii: ":"))
        appendDecimal(a % 60, width: 2)
    }

    func toArray() -> [UInt8] { Array(UnsafeBufferPointer(start: base, count: count)) }
}

/// Proleptic Gregorian calendar fields of a Unix time (H. Hinnant's civil_from_days).
struct CivilTime {
    var year: Int, month: Int, day: Int, hour: Int, minute: Int, second: Int

    init(unixSeconds t: Int) {
        let days = t >= 0 ? t / 86400 : (t - 86399) / 86400
        let secs = t - days * 86400
        hour = secs / 3600
        minute = secs % 3600 / 60
        second = secs % 60
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        day = doy - (153 * mp + 2) / 5 + 1
        month = mp < 10 ? mp + 3 : mp - 9
        year = yoe + era * 400 + (month <= 2 ? 1 : 0)
    }

    /// Days since 1970-01-01 of a civil date (days_from_civil).
    static func days(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = month > 2 ? month - 3 : month + 9
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }
}
