import Testing
@testable import NewsCluster

@Suite("ByteHash")
struct ByteHashTests {
    @Test func dependsOnEveryByteAndTheLength() {
        let bytes = Array("{\"id\":\"a\",\"text\":\"Зміст статті\"}".utf8)
        let base = ByteHash.hash(bytes[...])
        #expect(ByteHash.hash(bytes[...]) == base)
        for index in bytes.indices {
            var changed = bytes
            changed[index] ^= 1
            #expect(ByteHash.hash(changed[...]) != base, "byte \(index)")
        }
        #expect(ByteHash.hash((bytes + [0])[...]) != base, "a trailing zero byte changes the hash")
        #expect(ByteHash.hash([][...]) != ByteHash.hash([0][...]))
    }

    @Test func aSliceHashesLikeTheSameBytesOnTheirOwn() {
        let bytes = Array(0..<100 as Range<UInt8>)
        for start in 0..<10 {
            for end in (start + 1)..<30 {
                #expect(ByteHash.hash(bytes[start..<end]) == ByteHash.hash(Array(bytes[start..<end])[...]))
            }
        }
    }
}
