/// A fast 64-bit hash of raw bytes, eight at a time: tells a nightly state whether an input
/// record is byte for byte the one it stored, before anything is decoded. Not for adversarial
/// input (an attacker who forges a collision only gets a stale copy of their own record).
enum ByteHash {
    static func hash(_ bytes: ArraySlice<UInt8>) -> UInt64 {
        bytes.withUnsafeBytes { hash($0) }
    }

    static func hash(_ bytes: UnsafeRawBufferPointer) -> UInt64 {
        let multiplier: UInt64 = 0x9E37_79B9_7F4A_7C15
        var state: UInt64 = 0x243F_6A88_85A3_08D3 ^ UInt64(bytes.count)
        func mix(_ word: UInt64) {
            state = (state ^ word) &* multiplier
            state ^= state >> 29
        }
        var offset = 0
        while offset + 8 <= bytes.count {
            mix(bytes.loadUnaligned(fromByteOffset: offset, as: UInt64.self))
            offset += 8
        }
        var tail: UInt64 = 0
        for (shift, byte) in bytes[offset...].enumerated() { tail |= UInt64(byte) << (8 * UInt64(shift)) }
        mix(tail)
        state = (state ^ (state >> 32)) &* multiplier
        return state ^ (state >> 29)
    }
}
