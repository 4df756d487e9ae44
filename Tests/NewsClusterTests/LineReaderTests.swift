import Foundation
import Testing
@testable import NewsCluster

private func readAll(_ path: String, chunkSize: Int = 1 << 22) throws -> (lines: [[UInt8]], numbers: [Int]) {
    var reader = try LineReader(path: path, chunkSize: chunkSize)
    var lines: [[UInt8]] = []
    var numbers: [Int] = []
    while let line = try reader.next() {
        lines.append(Array(line))
        numbers.append(reader.lineNumber)
    }
    return (lines, numbers)
}

private func text(_ lines: [[UInt8]]) -> [String] {
    lines.map { String(decoding: $0, as: UTF8.self) }
}

/// The CPU time the calling thread has used. Unlike the wall clock, it is not stretched when
/// the host is loaded (two shared cores, a benchmark beside the tests) or stepped by NTP.
private func threadCPUTime() -> Duration {
    var now = timespec()
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &now)
    return .seconds(now.tv_sec) + .nanoseconds(now.tv_nsec)
}

@Suite("LineReader")
struct LineReaderTests {
    @Test func splitsLinesAndCountsThem() throws {
        let directory = Fixtures.temporaryDirectory()
        defer { Fixtures.remove(directory) }
        let path = Fixtures.write("one\ntwo\n\nfour\n", named: "a.jsonl", in: directory)
        let (lines, numbers) = try readAll(path)
        #expect(text(lines) == ["one", "two", "", "four"])
        #expect(numbers == [1, 2, 3, 4])
    }

    @Test func lastLineWithoutNewlineIsReturned() throws {
        let directory = Fixtures.temporaryDirectory()
        defer { Fixtures.remove(directory) }
        let path = Fixtures.write("one\ntwo", named: "a.jsonl", in: directory)
        #expect(text(try readAll(path).lines) == ["one", "two"])
    }

    @Test func emptyFileHasNoLines() throws {
        let directory = Fixtures.temporaryDirectory()
        defer { Fixtures.remove(directory) }
        let path = Fixtures.write("", named: "a.jsonl", in: directory)
        #expect(try readAll(path).lines.isEmpty)
    }

    @Test func byteOrderMarkStrippedAtTheStartOfAnyLineOnly() throws {
        // Files joined with `cat` bring their marks into the middle of the input.
        let directory = Fixtures.temporaryDirectory()
        defer { Fixtures.remove(directory) }
        let bom: [UInt8] = [0xEF, 0xBB, 0xBF]
        let path = Fixtures.write(bom + Array("one\n".utf8) + bom + Array("two\r\nthree".utf8) + bom + Array("\n".utf8),
                                  named: "a.jsonl", in: directory)
        let lines = try readAll(path).lines
        #expect(lines == [Array("one".utf8), Array("two".utf8), Array("three".utf8) + bom])
    }

    @Test func crlfLineEndingsAreStripped() throws {
        let directory = Fixtures.temporaryDirectory()
        defer { Fixtures.remove(directory) }
        let path = Fixtures.write("one\r\ntwo\r\n\r\nlast\r", named: "a.jsonl", in: directory)
        #expect(text(try readAll(path).lines) == ["one", "two", "", "last"])
    }

    @Test(arguments: [1, 2, 3, 5, 7, 64])
    func smallChunksGiveTheSameLines(chunkSize: Int) throws {
        let directory = Fixtures.temporaryDirectory()
        defer { Fixtures.remove(directory) }
        let content: [UInt8] = [0xEF, 0xBB, 0xBF] + Array("{\"id\":\"1\"}\r\nсловo\n\n   \nxyz\nlast line no newline".utf8)
        let path = Fixtures.write(content, named: "a.jsonl", in: directory)
        let expected = try readAll(path)
        let chunked = try readAll(path, chunkSize: chunkSize)
        #expect(chunked.lines == expected.lines)
        #expect(chunked.numbers == expected.numbers)
        #expect(text(chunked.lines) == ["{\"id\":\"1\"}", "словo", "", "   ", "xyz", "last line no newline"])
    }

    @Test func nulAndControlBytesPassThroughUntouched() throws {
        let directory = Fixtures.temporaryDirectory()
        defer { Fixtures.remove(directory) }
        let first: [UInt8] = [0x00, 0x01, 0x0D, 0x1F, 0x7F, 0x00]
        let second: [UInt8] = [0x00, 0x00]
        let path = Fixtures.write(first + [0x0A] + second, named: "a.jsonl", in: directory)
        // Only a carriage return right before the newline belongs to the line ending.
        #expect(try readAll(path).lines == [first, second])
    }

    /// A line longer than many chunks is found by scanning each byte once: before, each new
    /// chunk searched the whole line again, quadratic in its length.
    @Test func aLineFarLongerThanTheChunkIsReadWhole() throws {
        let directory = Fixtures.temporaryDirectory()
        defer { Fixtures.remove(directory) }
        var long = [UInt8](repeating: UInt8(ascii: "x"), count: 10 << 20)
        long[0] = UInt8(ascii: "<")
        long[long.count - 1] = UInt8(ascii: ">")
        let path = Fixtures.write(Array("short\n".utf8) + long + Array("\nlast".utf8), named: "a.jsonl", in: directory)
        // The reader works on this thread alone: its CPU time is the work done, whatever else runs.
        let start = threadCPUTime()
        let (lines, numbers) = try readAll(path, chunkSize: 4096)
        #expect(threadCPUTime() - start < .seconds(10))
        #expect(lines.map(\.count) == [5, long.count, 4])
        try #require(lines.count == 3)
        #expect(lines[1] == long)
        #expect(numbers == [1, 2, 3])
    }

    @Test func firstNewlineSearchesFromThePositionGiven() {
        let bytes = Array("ab\ncd\n".utf8)
        #expect(LineReader.firstNewline(in: bytes, from: 0) == 2)
        #expect(LineReader.firstNewline(in: bytes, from: 2) == 2)
        #expect(LineReader.firstNewline(in: bytes, from: 3) == 5)
        #expect(LineReader.firstNewline(in: bytes, from: 6) == nil)
        #expect(LineReader.firstNewline(in: [], from: 0) == nil)
        #expect(LineReader.firstNewline(in: Array("no newline".utf8), from: 0) == nil)
    }

    @Test(arguments: Decompressor.Format.allCases)
    func aCompressedFileGivesTheLinesNumbersAndOffsetsOfItsText(_ format: Decompressor.Format) throws {
        let directory = Fixtures.temporaryDirectory()
        defer { Fixtures.remove(directory) }
        let content: [UInt8] = [0xEF, 0xBB, 0xBF] + Array("{\"id\":\"1\"}\r\nсловo\n\n   \nxyz\nlast line no newline".utf8)
        let plain = Fixtures.write(content, named: "a.jsonl", in: directory)
        let compressed = Fixtures.write(Decompressor.compress(content, as: format), named: "a.jsonl.x", in: directory)
        let expected = try readAll(plain)
        for chunkSize in [1, 5, 1 << 22] {
            let decompressed = try readAll(compressed, chunkSize: chunkSize)
            #expect(decompressed.lines == expected.lines)
            #expect(decompressed.numbers == expected.numbers)
            var reader = try LineReader(path: compressed, chunkSize: chunkSize)
            while let line = try reader.next() {
                let offset = reader.lineOffset
                #expect(Array(content[offset..<(offset + line.count)]) == Array(line), "chunk \(chunkSize)")
            }
        }
    }

    @Test func aBrokenStreamComesAfterEveryCompleteLineBeforeIt() throws {
        let directory = Fixtures.temporaryDirectory()
        defer { Fixtures.remove(directory) }
        let content = Array((1...500).map { "line \($0)\n" }.joined().utf8)
        let compressed = Decompressor.compress(content, as: .gzip)
        // Without the 8-byte trailer (CRC and size): the text is whole, the member is not.
        let path = Fixtures.write(Array(compressed.dropLast(8)), named: "a.gz", in: directory)
        var reader = try LineReader(path: path, chunkSize: 64)
        var lines: [String] = []
        #expect(throws: ByteSource.BrokenStream(format: .gzip, corruption: nil)) {
            while let line = try reader.next() { lines.append(String(decoding: line, as: UTF8.self)) }
        }
        #expect(lines == (1...500).map { "line \($0)" })
        #expect(reader.lineNumber == 500)
    }

    @Test func missingFileIsUnreadable() {
        #expect(throws: ReadError.self) {
            _ = try LineReader(path: "/nonexistent/dir/file.jsonl")
        }
    }
}

@Suite("LineReader offsets")
struct LineReaderOffsetTests {
    @Test func eachLineKnowsWhereItStartsAcrossChunksBOMAndCRLF() throws {
        let directory = Fixtures.temporaryDirectory()
        defer { Fixtures.remove(directory) }
        let content = "\u{FEFF}first\r\nsecond line\n\nfourth\r\nno newline"
        let path = Fixtures.write(content, named: "a.jsonl", in: directory)
        let bytes = Array(content.utf8)
        for chunkSize in [1, 3, 7, 1 << 22] {
            var reader = try LineReader(path: path, chunkSize: chunkSize)
            while let line = try reader.next() {
                let offset = reader.lineOffset
                #expect(Array(bytes[offset..<(offset + line.count)]) == Array(line), "chunk \(chunkSize)")
            }
        }
    }

    /// Every line's start before its mark, and its offset after it, in the whole text.
    private func starts(of bytes: [UInt8], from offset: Int, chunkSize: Int) throws
        -> [(line: [UInt8], number: Int, start: Int, offset: Int)]
    {
        let directory = Fixtures.temporaryDirectory()
        defer { Fixtures.remove(directory) }
        let path = Fixtures.write(bytes, named: "a.jsonl", in: directory)
        var reader = LineReader(source: try ByteSource(path: path, plainFrom: offset), chunkSize: chunkSize, startOffset: offset)
        var lines: [(line: [UInt8], number: Int, start: Int, offset: Int)] = []
        while let line = try reader.next() { lines.append((Array(line), reader.lineNumber, reader.lineStart, reader.lineOffset)) }
        return lines
    }

    @Test func lineStartIsBeforeAByteOrderMarkAndLineOffsetAfterIt() throws {
        let bom: [UInt8] = [0xEF, 0xBB, 0xBF]
        let bytes = bom + Array("first\r\n".utf8) + bom + Array("second\n\nслово\r\n".utf8) + bom + Array("last".utf8)
        for chunkSize in [1, 2, 5, 1 << 22] {
            let lines = try starts(of: bytes, from: 0, chunkSize: chunkSize)
            #expect(lines.map { String(decoding: $0.line, as: UTF8.self) } == ["first", "second", "", "слово", "last"])
            #expect(lines.map(\.start) == [0, 10, 20, 21, 33], "chunk \(chunkSize)")
            #expect(lines.map(\.offset) == [3, 13, 20, 21, 36], "chunk \(chunkSize)")
            #expect(lines.map(\.number) == [1, 2, 3, 4, 5])
        }
    }

    @Test func aReaderStartedAtAnOffsetKeepsTheOffsetsOfTheWholeText() throws {
        let bom: [UInt8] = [0xEF, 0xBB, 0xBF]
        let bytes = bom + Array("{\"a\":1}\r\nпривет\n\n".utf8) + bom + Array("x\r\n😀 last".utf8)
        let whole = try starts(of: bytes, from: 0, chunkSize: 1 << 22)
        for offset in 0...bytes.count {
            for chunkSize in [1, 3, 1 << 22] {
                let lines = try starts(of: bytes, from: offset, chunkSize: chunkSize)
                // The first line is what is left of the line the offset falls in (or the one
                // that starts there); the lines after it are the whole text's.
                let later = whole.filter { $0.start > offset }
                let rest = Array(lines.dropFirst(lines.count - later.count))
                #expect(rest.map(\.line) == later.map(\.line), "offset \(offset), chunk \(chunkSize)")
                #expect(rest.map(\.start) == later.map(\.start), "offset \(offset), chunk \(chunkSize)")
                #expect(rest.map(\.offset) == later.map(\.offset), "offset \(offset), chunk \(chunkSize)")
                #expect(lines.map(\.number) == Array(1..<(lines.count + 1)))
                if let first = lines.first {
                    #expect(first.start == offset, "offset \(offset), chunk \(chunkSize)")
                    #expect(lines.count - later.count == 1, "offset \(offset), chunk \(chunkSize)")
                    // Its bytes are those of the text there.
                    #expect(Array(bytes[first.offset..<(first.offset + first.line.count)]) == first.line)
                } else {
                    #expect(offset == bytes.count)
                }
            }
        }
    }
}
