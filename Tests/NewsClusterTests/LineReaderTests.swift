import Foundation
import Testing
@testable import NewsCluster

private func readAll(_ path: String, chunkSize: Int = 1 << 22) throws -> (lines: [[UInt8]], numbers: [Int]) {
    var reader = try LineReader(path: path, chunkSize: chunkSize)
    defer { reader.close() }
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

    @Test func byteOrderMarkStrippedOnlyAtTheStart() throws {
        let directory = Fixtures.temporaryDirectory()
        defer { Fixtures.remove(directory) }
        let bom: [UInt8] = [0xEF, 0xBB, 0xBF]
        let path = Fixtures.write(bom + Array("one\n".utf8) + bom + Array("two\n".utf8), named: "a.jsonl", in: directory)
        let lines = try readAll(path).lines
        #expect(lines == [Array("one".utf8), bom + Array("two".utf8)])
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
            defer { reader.close() }
            while let line = try reader.next() {
                let offset = reader.lineOffset
                #expect(Array(bytes[offset..<(offset + line.count)]) == Array(line), "chunk \(chunkSize)")
            }
        }
    }
}
