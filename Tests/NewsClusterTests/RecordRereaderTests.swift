import Foundation
import Testing
@testable import NewsCluster

@Suite("RecordRereader")
struct RecordRereaderTests {
    /// Every accepted article of `path`, read with its text, then read again by offset.
    private func rereadAll(_ path: String) throws -> (read: [Article], again: [String]) {
        let result = try ArticleReader(threads: 2).read([path])
        let rereader = try RecordRereader(files: result.files.map(\.path))
        return (result.articles, try result.articles.map { try rereader.text(of: $0) })
    }

    @Test func readsEveryTextAgainByOffsetThroughBOMCRLFAndBadRecords() throws {
        let directory = Fixtures.temporaryDirectory()
        defer { Fixtures.remove(directory) }
        let lines = [
            "\u{FEFF}" + Fixtures.jsonLine(id: "a", text: "First line\nsecond, with \"quotes\" and é"),
            "not json",
            "",
            Fixtures.jsonLine(id: "b", text: "Кириллица и emoji 🙂"),
            Fixtures.jsonLine(id: "a", text: "a duplicate id, rejected"),
            Fixtures.jsonLine(id: "c", text: "last line without a final newline"),
        ]
        let path = Fixtures.write(lines.joined(separator: "\r\n"), named: "in.jsonl", in: directory)
        let (read, again) = try rereadAll(path)
        #expect(read.map(\.id) == ["a", "b", "c"])
        #expect(again == read.map(\.text))
    }

    @Test func repairsInvalidUTF8AsTheReadDid() throws {
        let directory = Fixtures.temporaryDirectory()
        defer { Fixtures.remove(directory) }
        var bytes = Array(Fixtures.jsonLine(id: "x", text: "caf_ ok").utf8)
        bytes[bytes.firstIndex(of: UInt8(ascii: "_"))!] = 0xE9
        let path = directory + "/latin1.jsonl"
        _ = FileManager.default.createFile(atPath: path, contents: Data(bytes + [0x0A]))
        let (read, again) = try rereadAll(path)
        #expect(again == read.map(\.text))
        #expect(again.first?.contains("\u{FFFD}") == true)
    }

    @Test(arguments: Decompressor.Format.allCases)
    func readsACompressedInputAgainFromItsSpool(_ format: Decompressor.Format) throws {
        let directory = Fixtures.temporaryDirectory()
        defer { Fixtures.remove(directory) }
        let lines = (0..<50).map { Fixtures.jsonLine(id: "a\($0)", text: "Text number \($0), with é and ї") }
        let path = Fixtures.write(Decompressor.compress(Array(lines.map { $0 + "\n" }.joined().utf8), as: format),
                                  named: "in.jsonl.z", in: directory)
        let result = try ArticleReader(spoolsForRereading: true).read([path])
        #expect(result.spools.keys.sorted() == [path])
        let rereader = try RecordRereader(files: result.files.map(\.path), spools: result.spools)
        #expect(try result.articles.map { try rereader.text(of: $0) } == result.articles.map(\.text))
        #expect(result.articles.count == 50)
        // Without the spool the offsets point into compressed bytes.
        let unspooled = try RecordRereader(files: result.files.map(\.path))
        let first = try #require(result.articles.first)
        #expect(throws: ReadError.changed(first.location)) { _ = try unspooled.text(of: first) }
    }

    @Test func plainFilesAreNotSpooled() throws {
        let path = Fixtures.jsonlFile([Fixtures.jsonLine(id: "a", text: "plain")])
        defer { Fixtures.remove((path as NSString).deletingLastPathComponent) }
        #expect(try ArticleReader(spoolsForRereading: true).read([path]).spools.isEmpty)
    }

    @Test func readsATextFileArticleAgain() throws {
        let directory = Fixtures.temporaryDirectory()
        defer { Fixtures.remove(directory) }
        _ = Fixtures.write("Title line\n\nBody of the article.\nMore body.\n", named: "note.txt", in: directory)
        let (read, again) = try rereadAll(directory)
        #expect(read.map(\.id) == ["note"])
        #expect(again == ["Body of the article.\nMore body."])
    }

    @Test func aRecordChangedInPlaceSinceTheReadIsAnError() throws {
        let directory = Fixtures.temporaryDirectory()
        defer { Fixtures.remove(directory) }
        let path = Fixtures.write(Fixtures.jsonLine(id: "a", text: "original text") + "\n", named: "in.jsonl", in: directory)
        let result = try ArticleReader().read([path])
        let article = try #require(result.articles.first)
        let rereader = try RecordRereader(files: [path])
        let handle = try #require(FileHandle(forWritingAtPath: path))
        try handle.write(contentsOf: Data(Fixtures.jsonLine(id: "z", text: "original text").utf8))
        #expect(throws: ReadError.changed(article.location)) { try rereader.text(of: article) }
        try handle.truncate(atOffset: 3)
        try handle.close()
        #expect(throws: ReadError.changed(article.location)) { try rereader.text(of: article) }
    }

    @Test func aFileReplacedDuringTheRunIsStillReadAsItWas() throws {
        let directory = Fixtures.temporaryDirectory()
        defer { Fixtures.remove(directory) }
        let path = Fixtures.write(Fixtures.jsonLine(id: "a", text: "original text") + "\n", named: "in.jsonl", in: directory)
        let result = try ArticleReader().read([path])
        let article = try #require(result.articles.first)
        let rereader = try RecordRereader(files: [path])
        // A new file under the same name (as an atomic writer leaves it): the open file is the old one.
        try FileManager.default.removeItem(atPath: path)
        _ = Fixtures.write(Fixtures.jsonLine(id: "z", text: "other text") + "\n", named: "in.jsonl", in: directory)
        #expect(try rereader.text(of: article) == "original text")
    }

    @Test func aMissingFileIsUnreadable() {
        #expect(throws: ReadError.self) { try RecordRereader(files: ["/nonexistent/in.jsonl"]) }
    }
}
