import Testing
@testable import NewsCluster

@Suite("ReviewPageGzip")
struct ReviewPageGzipTests {
    @Test(arguments: [0, 1, 1000, 3 << 20])
    func compressedBytesInflateToTheInputAsOneMember(count: Int) throws {
        var generator = SeededGenerator(seed: UInt64(count))
        // Text-like bytes (a small alphabet) compress; a few random runs make it work for it.
        let input = (0..<count).map { index in
            index % 97 < 60 ? UInt8.random(in: 0x61...0x7A, using: &generator) : UInt8(truncatingIfNeeded: index)
        }
        let compressed = ReviewPageGzip.compress(input, level: 6)
        #expect(compressed.starts(with: [0x1F, 0x8B]), "a gzip member, as DecompressionStream(\"gzip\") reads it")
        #expect(Array(compressed[4..<8]) == [0, 0, 0, 0], "no time in the header: the page stays the same bytes")
        let decoder = Decompressor(.gzip)
        var output: [UInt8] = [], used = 0
        while true {
            let before = output.count
            let consumed = try decoder.decode(compressed[used...], appendingTo: &output, limit: 1 << 20)
            used += consumed
            if consumed == 0 && output.count == before { break }
        }
        #expect(output == input)
        #expect(decoder.isAtBoundary && used == compressed.count)
        #expect(ReviewPageGzip.compress(input, level: 6) == compressed)
    }
}
