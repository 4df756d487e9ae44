import Foundation
import Testing
@testable import NewsCluster

/// Decodes all of `compressed`, fed in pieces of `piece` bytes and taken out in at most `limit`
/// bytes a call, as `ByteSource` drives the decoder, onto `output`; whether the stream ended
/// where a member or frame ends.
private func decodeAll(
    _ compressed: [UInt8], as format: Decompressor.Format, piece: Int = 1 << 20, limit: Int = 1 << 20,
    into output: inout [UInt8]
) throws(Decompressor.Corrupt) -> Bool {
    let decoder = Decompressor(format)
    var fed = 0, used = 0
    while true {
        let before = output.count
        let consumed = try decoder.decode(compressed[used..<fed], appendingTo: &output, limit: limit)
        used += consumed
        if consumed == 0 && output.count == before {
            guard fed < compressed.count else { break }
            fed = min(compressed.count, fed + piece)
        }
    }
    return decoder.isAtBoundary && used == compressed.count
}

private func decodeAll(
    _ compressed: [UInt8], as format: Decompressor.Format, piece: Int = 1 << 20, limit: Int = 1 << 20
) throws(Decompressor.Corrupt) -> (output: [UInt8], complete: Bool) {
    var output: [UInt8] = []
    let complete = try decodeAll(compressed, as: format, piece: piece, limit: limit, into: &output)
    return (output, complete)
}

/// About 400 KB of words that compress about 2×: zstd decodes whole blocks (128 KiB of
/// output at most), so a stream cut or broken in the middle has output before the fault only
/// when it holds several.
private let largeSample: [UInt8] = {
    var generator = SeededGenerator(seed: 7)
    return Array((0..<60_000).map { _ in "w\(UInt32.random(in: 0...9999, using: &generator)) " }.joined().utf8)
}()

private let sample: [UInt8] = Array((0..<2_000).map { "{\"id\":\"a\($0)\",\"text\":\"line \($0) of the sample\"}\n" }.joined().utf8)

@Suite("Decompressor")
struct DecompressorTests {
    @Test func magicBytesTellTheFormat() {
        #expect(Decompressor.Format.detect([0x1F, 0x8B, 0x08, 0x00]) == .gzip)
        #expect(Decompressor.Format.detect([0x28, 0xB5, 0x2F, 0xFD, 0x04]) == .zstd)
        #expect(Decompressor.Format.detect(Array("{\"id\"".utf8)) == nil)
        // Too short to be a zstd frame's magic number.
        #expect(Decompressor.Format.detect([0x28, 0xB5, 0x2F]) == nil)
        #expect(Decompressor.Format.detect([UInt8]()) == nil)
    }

    @Test(arguments: Decompressor.Format.allCases)
    func roundTripsInAnyPiecesAndLimits(_ format: Decompressor.Format) throws {
        let compressed = Decompressor.compress(sample, as: format)
        #expect(Decompressor.Format.detect(compressed) == format)
        #expect(compressed.count < sample.count / 3)
        for (piece, limit) in [(1 << 20, 1 << 20), (1, 7), (13, 4096), (4096, 1)] {
            let (output, complete) = try decodeAll(compressed, as: format, piece: piece, limit: limit)
            #expect(output == sample, "pieces of \(piece), limit \(limit)")
            #expect(complete)
        }
    }

    @Test(arguments: Decompressor.Format.allCases)
    func concatenatedMembersOrFramesReadAsOneStream(_ format: Decompressor.Format) throws {
        let first = Array(sample.prefix(1000)), second = Array(sample.dropFirst(1000))
        let joined = Decompressor.compress(first, as: format) + Decompressor.compress(second, as: format)
        for piece in [1 << 20, 5] {
            let (output, complete) = try decodeAll(joined, as: format, piece: piece)
            #expect(output == sample)
            #expect(complete)
        }
    }

    @Test(arguments: Decompressor.Format.allCases)
    func aTruncatedStreamEndsOutsideABoundary(_ format: Decompressor.Format) throws {
        let compressed = Decompressor.compress(largeSample, as: format)
        let (output, complete) = try decodeAll(Array(compressed.prefix(compressed.count / 2)), as: format)
        #expect(!complete)
        #expect(!output.isEmpty && largeSample.starts(with: output))
        // Cut inside the second member: the first is whole.
        let joined = compressed + compressed
        let cut = try decodeAll(Array(joined.dropLast(3)), as: format)
        #expect(!cut.complete)
        #expect(cut.output.count >= largeSample.count)
        // The magic number alone.
        #expect(try !decodeAll(Array(compressed.prefix(4)), as: format).complete)
    }

    @Test(arguments: Decompressor.Format.allCases)
    func corruptBytesThrowAfterTheOutputBeforeThem(_ format: Decompressor.Format) throws {
        // A good member or frame, then a broken one: the first is decoded before the fault.
        let half = largeSample.count / 2
        var broken = Decompressor.compress(Array(largeSample[half...]), as: format)
        for index in (broken.count / 2)..<(broken.count / 2 + 64) { broken[index] ^= 0x5A }
        let compressed = Decompressor.compress(Array(largeSample[..<half]), as: format) + broken
        var output: [UInt8] = []
        var failure: Decompressor.Corrupt?
        do {
            _ = try decodeAll(compressed, as: format, piece: 4096, limit: 1000, into: &output)
        } catch {
            failure = error
        }
        let reason = try #require(failure?.reason)
        #expect(!reason.isEmpty)
        #expect(output.count >= half)
        #expect(largeSample.starts(with: output.prefix(half)))
    }

    @Test func aFaultMetAfterSomeOutputIsThrownByTheNextCall() throws {
        var compressed = Decompressor.compress(sample, as: .gzip)
        // The CRC of the trailer: every byte decodes, then the check fails.
        compressed[compressed.count - 8] ^= 0xFF
        let decoder = Decompressor(.gzip)
        var output: [UInt8] = []
        let consumed = try decoder.decode(compressed[...], appendingTo: &output, limit: 1 << 20)
        #expect(output == sample)
        #expect(consumed > 0)
        #expect(throws: Decompressor.Corrupt(reason: "incorrect data check")) {
            _ = try decoder.decode(compressed[consumed...], appendingTo: &output, limit: 1 << 20)
        }
        // The fault stays: the decoder does not go on past it.
        #expect(throws: Decompressor.Corrupt.self) { _ = try decoder.decode([], appendingTo: &output, limit: 10) }
    }

    @Test func zstdFramesOfAnotherFormatAreCorrupt() {
        // A gzip member fed to the zstd decoder, and the reverse.
        let gzip = Decompressor.compress(sample, as: .gzip), zstd = Decompressor.compress(sample, as: .zstd)
        #expect(throws: Decompressor.Corrupt.self) { _ = try decodeAll(gzip, as: .zstd) }
        #expect(throws: Decompressor.Corrupt.self) { _ = try decodeAll(zstd, as: .gzip) }
    }

    /// What the review page embeds: `DecompressionStream("gzip")` reads one member, and a
    /// header without a time keeps the page the same bytes from run to run.
    @Test(arguments: [0, 1, 1000, 3 << 20])
    func gzipOutputInflatesToTheInputAsOneMemberWithoutATime(count: Int) throws {
        var generator = SeededGenerator(seed: UInt64(count))
        // Text-like bytes (a small alphabet) compress; a few random runs make it work for it.
        let input = (0..<count).map { index in
            index % 97 < 60 ? UInt8.random(in: 0x61...0x7A, using: &generator) : UInt8(truncatingIfNeeded: index)
        }
        let compressed = Decompressor.compress(input, as: .gzip)
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
        #expect(Decompressor.compress(input, as: .gzip) == compressed)
    }
}
