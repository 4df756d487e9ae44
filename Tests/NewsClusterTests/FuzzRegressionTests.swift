import Foundation
import Testing
@testable import NewsCluster

/// Inputs that stopped a fuzz target (`make fuzz`, Tests/Fuzz/README.md), byte for byte as they
/// were found. None broke the reader: each showed a place where Foundation's `JSONSerialization`,
/// the fuzzer's second opinion, departs from RFC 8259, and the fuzzer learnt to allow for it.
/// What the reader does with each is pinned here, with the invariants the fuzzer checks.
@Suite("Fuzz regressions")
struct FuzzRegressionTests {
    /// Foundation took `0` followed by NULs for UTF-16 and found the number 0 there.
    @Test func aNumberFollowedByNULsIsMalformed() throws {
        let input: [UInt8] = [0x2D, 0x30, 0x2E, 0x5C, 0x75, 0x30, 0x30, 0x0A, 0x30, 0x00, 0x00, 0x00, 0x00, 0x00]
        let result = try readChecked(input)
        #expect(result.articles.isEmpty)
        #expect(result.rejected.map(\.reason) == [
            #"malformed JSON: '\' at byte 4 where a digit should be"#,
            "malformed JSON: control character U+0000 after the end of the value at byte 2",
        ])
    }

    /// Foundation dropped the U+FEFF that opens a string, as if it were a byte-order mark; in
    /// JSON it is a character like any other.
    @Test func aByteOrderMarkOpeningAStringIsKept() throws {
        let input = Array(#"{"id":"h","text":"esc \" \\ \/ \b \f \n \r \t \u00e9 ,\u043f \ud"#.utf8)
            + [UInt8](repeating: 0, count: 100)
            + Array(#"83f\ude00  \u0t\ud800 lone"}"#.utf8) + [0x0A]
            + Array(#"u \u1text":"x"}"#.utf8) + [0x0A, 0x00, 0x00, 0x00, 0x00, 0x0A]
            + Array(#"{"id":""#.utf8) + [0xEF, 0xBB, 0xBF] + Array(#"m","text":"clu \u007f"}"#.utf8) + [0x0A]
        #expect(input.count == 248)
        let result = try readChecked(input)
        #expect(result.articles.map(\.id) == ["\u{FEFF}m"])
        #expect(result.articles.map(\.text) == ["clu  "])
        #expect(result.warnings.map(\.reason) == ["control characters replaced with spaces in text"])
        #expect(result.rejected.map(\.line) == [1, 2, 3])
        #expect(result.rejected.first?.reason == #"malformed JSON: \u without four hex digits at byte 62"#)
    }

    /// Foundation also dropped a U+FEFF right after an escape.
    @Test func aByteOrderMarkAfterAnEscapeIsKept() throws {
        let input = Array(#"{"id":"h","text":"esc \" \\ \/"#.utf8) + [0xEF, 0xBB, 0xBF]
            + Array(#" \b \f \n \r \t \u00e9 \u0483d\nnul \u0000 bf"}"#.utf8) + [0x0A]
        let result = try readChecked(input)
        #expect(result.articles.map(\.text) == ["esc \" \\ /\u{FEFF}     \n \r \t é \u{483}d\nnul   bf"])
        #expect(result.warnings.map(\.reason) == ["control characters replaced with spaces in text"])
    }

    /// Reads `input` as a JSONL file and checks what the fuzzer checks: every non-blank line is
    /// accepted or rejected once, and an accepted article holds no stray control character and
    /// reads back from its span.
    private func readChecked(_ input: [UInt8]) throws -> ArticleReader.Result {
        let directory = Fixtures.temporaryDirectory()
        defer { Fixtures.remove(directory) }
        let path = Fixtures.write(input, named: "input.jsonl", in: directory)
        let result = try ArticleReader().read([path])
        let lines = input.split(separator: 0x0A, omittingEmptySubsequences: false)
        let nonBlank = lines.indices.filter { index in
            index < lines.count - 1 || !lines[index].isEmpty
        }.filter { !lines[$0].allSatisfy { $0 == 0x20 || $0 == 0x09 || $0 == 0x0D } }.map { $0 + 1 }
        #expect((result.articles.map(\.location.line) + result.rejected.map(\.line)).sorted() == nonBlank)
        let rereader = try RecordRereader(files: [path])
        for article in result.articles {
            #expect(ControlCharacters.first(in: article.id) == nil)
            #expect(ControlCharacters.replacingStray(in: article.text) == nil)
            #expect(try rereader.text(of: article) == article.text)
        }
        return result
    }
}
