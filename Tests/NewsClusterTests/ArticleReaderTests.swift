import Foundation
import Testing
@testable import NewsCluster

@Suite("ArticleReader")
struct ArticleReaderTests {
    let reader = ArticleReader()

    @Test func readsGoodJSONL() throws {
        let path = Fixtures.jsonlFile([
            Fixtures.jsonLine(id: "a1", title: "Bridge reopens", text: "The bridge reopened.", source: "Gazette",
                              url: "https://gazette.example/a1", published: "2024-03-05T10:00:00Z", language: "en"),
            Fixtures.jsonLine(id: "a2", text: "Second article text."),
        ])
        defer { Fixtures.remove((path as NSString).deletingLastPathComponent) }
        let result = try reader.read([path])
        #expect(result.rejected.isEmpty)
        #expect(result.warnings.isEmpty)
        #expect(result.articles.map(\.id) == ["a1", "a2"])
        try #require(result.articles.count == 2)
        let first = result.articles[0]
        #expect(first.title == "Bridge reopens")
        #expect(first.text == "The bridge reopened.")
        #expect(first.source == "Gazette")
        #expect(first.url == "https://gazette.example/a1")
        #expect(first.language == "en")
        #expect(first.published == PublishedDate.parse("2024-03-05T10:00:00Z"))
        #expect(first.publishedText == "2024-03-05T10:00:00Z")
        #expect(first.location == RecordLocation(file: path, line: 1))
        let second = result.articles[1]
        #expect(second.title == "")
        #expect(second.source == nil && second.url == nil && second.published == nil && second.language == nil)
        #expect(second.location == RecordLocation(file: path, line: 2))
        #expect(result.recordsRead == 2)
        let size = try FileManager.default.attributesOfItem(atPath: path)[.size] as? Int
        #expect(result.files == [ArticleReader.InputFile(path: path, format: "jsonl", bytes: size ?? -1, records: 2)])
    }

    @Test func eachBatchSeesTheAcceptedArticlesInOrderAndMayEmptyTheirText() throws {
        let lines = (0..<(ArticleReader.batchSize + 10)).map { Fixtures.jsonLine(id: "a\($0)", text: "text \($0)") }
            + ["not json", Fixtures.jsonLine(id: "a0", text: "a duplicate")]
        let path = Fixtures.jsonlFile(lines)
        defer { Fixtures.remove((path as NSString).deletingLastPathComponent) }
        var seen: [String] = []
        var texts: [String] = []
        let result = try ArticleReader(threads: 2).read([path]) { batch in
            seen += batch.map(\.id)
            texts += batch.map(\.text)
            for index in batch.indices { batch[index].text = "" }
        }
        #expect(seen == result.articles.map(\.id))
        #expect(seen.count == ArticleReader.batchSize + 10 && result.rejected.count == 2)
        #expect(texts.last == "text \(ArticleReader.batchSize + 9)")
        #expect(result.articles.allSatisfy { $0.text.isEmpty && $0.span != nil })
    }

    @Test func aKnownRecordIsTakenWithoutDecodingAndEveryRecordCarriesItsHash() throws {
        let lines = [Fixtures.jsonLine(id: "a", text: "first"), Fixtures.jsonLine(id: "b", text: "second")]
        let path = Fixtures.jsonlFile(lines)
        defer { Fixtures.remove((path as NSString).deletingLastPathComponent) }
        let knownHash = ByteHash.hash(Array(lines[1].utf8)[...])
        let stored = Article(id: "b", title: "from the state", text: "")
        let result = try ArticleReader(known: { $0 == knownHash ? stored : nil }).read([path])
        #expect(result.articles.map(\.id) == ["a", "b"])
        try #require(result.articles.count == 2)
        #expect(result.articles[0].text == "first" && result.articles[0].span?.hash == ByteHash.hash(Array(lines[0].utf8)[...]))
        #expect(result.articles[1].title == "from the state" && result.articles[1].text.isEmpty)
        #expect(result.articles[1].location == RecordLocation(file: path, line: 2) && result.articles[1].span?.hash == knownHash)
        // Without `known`, no hash is computed.
        #expect(try ArticleReader().read([path]).articles.allSatisfy { $0.span?.hash == 0 })
    }

    @Test func byteOrderMarkAndCRLFAreAcceptedSilently() throws {
        let directory = Fixtures.temporaryDirectory()
        defer { Fixtures.remove(directory) }
        let content = "\u{FEFF}" + Fixtures.jsonLine(id: "a", text: "first") + "\r\n"
            + Fixtures.jsonLine(id: "b", text: "second") + "\r\n"
        let path = Fixtures.write(content, named: "bom.jsonl", in: directory)
        let result = try reader.read([path])
        #expect(result.rejected.isEmpty)
        #expect(result.warnings.isEmpty)
        #expect(result.articles.map(\.id) == ["a", "b"])
        #expect(result.articles.map(\.text) == ["first", "second"])
        #expect(result.articles.map(\.location.line) == [1, 2])
    }

    @Test func filesJoinedWithTheirByteOrderMarksAreReadWhole() throws {
        let directory = Fixtures.temporaryDirectory()
        defer { Fixtures.remove(directory) }
        let content = "\u{FEFF}" + Fixtures.jsonLine(id: "a", text: "first") + "\n"
            + "\u{FEFF}" + Fixtures.jsonLine(id: "b", text: "second") + "\n"
        let path = Fixtures.write(content, named: "joined.jsonl", in: directory)
        let result = try reader.read([path])
        #expect(result.rejected.isEmpty && result.warnings.isEmpty)
        #expect(result.articles.map(\.id) == ["a", "b"])
        #expect(result.articles.map(\.location.line) == [1, 2])
        // The second record's span starts after its mark, so it reads back from the file alone.
        try #require(result.articles.count == 2)
        let rereader = try RecordRereader(files: [path])
        #expect(try rereader.text(of: result.articles[1]) == "second")
    }

    @Test func badRecordsAreRejectedWithFileLineAndReason() throws {
        let lines = [
            Fixtures.jsonLine(id: "ok1", text: "fine"),                 // 1
            #"{"id": "broken", "text": "#,                              // 2 malformed
            #"[{"id": "x", "text": "y"}]"#,                             // 3 array
            #"{"text": "no id here"}"#,                                 // 4 missing id
            #"{"id": "", "text": "empty id"}"#,                         // 5 empty id
            #"{"id": "no-text"}"#,                                      // 6 missing text
            #"{"id": "blank-text", "text": "  \n "}"#,                  // 7 empty text
            #"{"id": 42, "text": "number id"}"#,                        // 8 accepted, warning
            Fixtures.jsonLine(id: "ok1", text: "again"),                // 9 duplicate of line 1
            #"{"id": true, "text": "bool id"}"#,                        // 10 wrong id type
            #"{"id": "t5", "text": 5}"#,                                // 11 number text
        ]
        let path = Fixtures.jsonlFile(lines)
        defer { Fixtures.remove((path as NSString).deletingLastPathComponent) }
        let result = try reader.read([path])
        #expect(result.articles.map(\.id) == ["ok1", "42"])
        #expect(result.articles.map(\.location.line) == [1, 8])
        #expect(result.rejected.allSatisfy { $0.file == path })
        try #require(Set(result.rejected.map(\.line)).count == result.rejected.count, "a line rejected twice")
        let byLine = Dictionary(uniqueKeysWithValues: result.rejected.map { ($0.line, $0) })
        #expect(byLine.keys.sorted() == [2, 3, 4, 5, 6, 7, 9, 10, 11])
        #expect(byLine[2]?.reason.hasPrefix("malformed JSON") == true)
        #expect(byLine[3]?.reason == "not a JSON object")
        #expect(byLine[4]?.reason == "missing id")
        #expect(byLine[5]?.reason == "empty id")
        #expect(byLine[6]?.reason == "missing text")
        #expect(byLine[6]?.id == "no-text")
        #expect(byLine[7]?.reason == "empty text")
        #expect(byLine[9]?.id == "ok1")
        #expect(byLine[9]?.reason.contains("duplicate id") == true)
        #expect(byLine[9]?.reason.contains("\(path):1") == true)
        #expect(byLine[10]?.reason == "id is a boolean, not a string")
        #expect(byLine[11]?.reason == "text is a number, not a string")
        #expect(result.warnings.count == 1)
        let warning = try #require(result.warnings.first)
        #expect(warning.file == path && warning.line == 8 && warning.id == "42")
        #expect(warning.reason.contains("number"))
        // Every line is accounted for.
        #expect(result.articles.count + result.rejected.count == lines.count)
        #expect(result.recordsRead == lines.count)
        #expect(result.files.first?.records == lines.count)
    }

    @Test func duplicateAcrossFilesNamesTheFirstFile() throws {
        let directory = Fixtures.temporaryDirectory()
        defer { Fixtures.remove(directory) }
        let first = Fixtures.write(Fixtures.jsonLine(id: "x", text: "one") + "\n", named: "1.jsonl", in: directory)
        let second = Fixtures.write("\n" + Fixtures.jsonLine(id: "x", text: "two") + "\n", named: "2.jsonl", in: directory)
        let result = try reader.read([first, second])
        #expect(result.articles.map(\.text) == ["one"])
        #expect(result.rejected.count == 1)
        #expect(result.rejected.first?.file == second)
        #expect(result.rejected.first?.line == 2)
        #expect(result.rejected.first?.reason.contains("\(first):1") == true)
    }

    @Test func optionalFieldsOfWrongTypeOrBadDateAreWarnings() throws {
        let path = Fixtures.jsonlFile([
            #"{"id": "a", "text": "body", "title": ["not", "a", "string"], "published": "last Tuesday"}"#,
        ])
        defer { Fixtures.remove((path as NSString).deletingLastPathComponent) }
        let result = try reader.read([path])
        let article = try #require(result.articles.first)
        #expect(article.title == "")
        #expect(article.published == nil)
        #expect(article.publishedText == nil)
        try #require(result.warnings.count == 1)
        #expect(result.warnings[0].reason.contains("title is an array"))
        #expect(result.warnings[0].reason.contains("not an ISO 8601 date"))
    }

    @Test func invalidUTF8IsRepairedAndListedAsWarning() throws {
        let directory = Fixtures.temporaryDirectory()
        defer { Fixtures.remove(directory) }
        let bytes = Array(#"{"id": "latin1", "text": "caf"#.utf8) + [0xE9] + Array(#" au lait"}"#.utf8) + [0x0A]
        let path = Fixtures.write(bytes, named: "bad.jsonl", in: directory)
        let result = try reader.read([path])
        let article = try #require(result.articles.first)
        #expect(article.text == "caf\u{FFFD} au lait")
        #expect(result.rejected.isEmpty)
        #expect(result.warnings == [RecordIssue(location: RecordLocation(file: path, line: 1), id: "latin1",
                                                reason: "invalid UTF-8 replaced with U+FFFD")])
    }

    @Test func strictModeThrowsAtTheFirstBadRecord() throws {
        let path = Fixtures.jsonlFile([
            Fixtures.jsonLine(id: "a", text: "fine"),
            Fixtures.jsonLine(id: "b", text: "fine too"),
            #"{"id": "c"}"#,
            "not json at all",
        ])
        defer { Fixtures.remove((path as NSString).deletingLastPathComponent) }
        #expect(throws: ReadError.badRecord(RecordIssue(location: RecordLocation(file: path, line: 3), id: "c",
                                                        reason: "missing text"))) {
            try ArticleReader(strict: true).read([path])
        }
    }

    @Test func strictModeThrowsOnARepairedRecordToo() throws {
        let path = Fixtures.jsonlFile([#"{"id": 7, "text": "number id"}"#])
        defer { Fixtures.remove((path as NSString).deletingLastPathComponent) }
        do {
            _ = try ArticleReader(strict: true).read([path])
            Issue.record("strict read accepted a repaired record")
        } catch ReadError.badRecord(let issue) {
            #expect(issue.file == path && issue.line == 1 && issue.id == "7")
        }
    }

    @Test func strictModeAcceptsACleanFile() throws {
        let path = Fixtures.jsonlFile([Fixtures.jsonLine(id: "a", text: "fine")])
        defer { Fixtures.remove((path as NSString).deletingLastPathComponent) }
        #expect(try ArticleReader(strict: true).read([path]).articles.count == 1)
    }

    @Test func missingPathIsUnreadable() {
        let path = "/nonexistent-newscluster-dir/input.jsonl"
        #expect(throws: ReadError.unreadable(path: path, reason: "no such file or directory")) {
            try reader.read([path])
        }
    }

    @Test func directoryReadsJSONLAndTextFilesOnly() throws {
        let directory = Fixtures.temporaryDirectory()
        defer { Fixtures.remove(directory) }
        Fixtures.write(Fixtures.jsonLine(id: "j1", text: "from jsonl") + "\n", named: "b.jsonl", in: directory)
        Fixtures.write("\n  \nHarbor bridge reopens\nThe bridge reopened today.\n\nTraffic resumed.\n",
                       named: "a-story.txt", in: directory)
        Fixtures.write("a1\tb1\n", named: "gold.tsv", in: directory)
        Fixtures.write("# About this corpus\n", named: "README.md", in: directory)
        Fixtures.write(Fixtures.jsonLine(id: "hidden", text: "not input") + "\n", named: "notes.json", in: directory)
        let result = try reader.read([directory])
        #expect(result.rejected.isEmpty)
        #expect(result.articles.map(\.id) == ["a-story", "j1"])
        let text = try #require(result.articles.first)
        #expect(text.title == "Harbor bridge reopens")
        #expect(text.text == "The bridge reopened today.\n\nTraffic resumed.")
        #expect(text.location == RecordLocation(file: directory + "/a-story.txt", line: 1))
        #expect(result.files.map(\.path) == [directory + "/a-story.txt", directory + "/b.jsonl"])
        #expect(result.files.map(\.format) == ["txt", "jsonl"])
        #expect(result.files.map(\.records) == [1, 1])
        #expect(try ArticleReader.expand(directory + "/") == [directory + "/a-story.txt", directory + "/b.jsonl"])
    }

    @Test func subdirectoryNamedLikeAnInputFile() throws {
        let directory = Fixtures.temporaryDirectory()
        defer { Fixtures.remove(directory) }
        Fixtures.write(Fixtures.jsonLine(id: "a", text: "fine") + "\n", named: "a.jsonl", in: directory)
        try FileManager.default.createDirectory(atPath: directory + "/archive.jsonl", withIntermediateDirectories: false)
        let result = try reader.read([directory])
        #expect(result.articles.map(\.id) == ["a"])
    }

    @Test func parallelBatchesKeepInputOrderAcrossBatchBoundaries() throws {
        // More lines than one batch: a duplicate id and bad records on both sides of the
        // boundary are judged in input order, whatever the thread count.
        let count = ArticleReader.batchSize + 10
        var lines = (0..<count).map { Fixtures.jsonLine(id: "a\($0)", text: "text \($0)") }
        lines[3] = "{broken"
        lines[ArticleReader.batchSize + 2] = Fixtures.jsonLine(id: "a5", text: "a duplicate of line 6")
        lines[ArticleReader.batchSize + 4] = #"{"id":"x"}"#
        let path = Fixtures.jsonlFile(lines)
        defer { Fixtures.remove((path as NSString).deletingLastPathComponent) }
        let serial = try ArticleReader(threads: 1).read([path])
        let parallel = try ArticleReader(threads: 4).read([path])
        #expect(parallel.articles.map(\.id) == serial.articles.map(\.id))
        #expect(parallel.rejected == serial.rejected)
        #expect(parallel.rejected.map(\.line) == [4, ArticleReader.batchSize + 3, ArticleReader.batchSize + 5])
        try #require(parallel.rejected.count == 3)
        #expect(parallel.rejected[1].reason == "duplicate id (first seen at \(path):6)")
        #expect(parallel.articles.count == count - 3)
        // --strict stops at the first bad record, in the first batch.
        #expect(throws: ReadError.badRecord(parallel.rejected[0])) {
            try ArticleReader(strict: true, threads: 4).read([path])
        }
    }

    @Test func duplicateRecordThatNeededARepairIsOnlyRejected() throws {
        let path = Fixtures.jsonlFile([
            Fixtures.jsonLine(id: "7", text: "first"),
            #"{"id": 7, "text": "second, with a number id"}"#,
        ])
        defer { Fixtures.remove((path as NSString).deletingLastPathComponent) }
        let result = try reader.read([path])
        #expect(result.articles.map(\.text) == ["first"])
        #expect(result.rejected.map(\.line) == [2])
        #expect(result.warnings.isEmpty)
    }

    @Test func textFilesWithoutBodyAreRejected() throws {
        let directory = Fixtures.temporaryDirectory()
        defer { Fixtures.remove(directory) }
        Fixtures.write(" \n\n", named: "empty.txt", in: directory)
        Fixtures.write("\nOnly a title\n\n", named: "title-only.txt", in: directory)
        let result = try reader.read([directory])
        #expect(result.articles.isEmpty)
        #expect(result.rejected.map(\.reason) == ["empty file", "no text after the title line"])
        #expect(result.rejected.map(\.line) == [1, 2])
        #expect(result.rejected.map(\.id) == ["empty", "title-only"])
    }

    @Test func textFileWithBOMAndInvalidUTF8() throws {
        let directory = Fixtures.temporaryDirectory()
        defer { Fixtures.remove(directory) }
        let bytes: [UInt8] = [0xEF, 0xBB, 0xBF] + Array("Title\nBody ".utf8) + [0xFF] + Array(" end\n".utf8)
        Fixtures.write(bytes, named: "t.txt", in: directory)
        let result = try reader.read([directory])
        let article = try #require(result.articles.first)
        #expect(article.title == "Title")
        #expect(article.text == "Body \u{FFFD} end")
        #expect(result.warnings.map(\.reason) == ["invalid UTF-8 replaced with U+FFFD"])
    }

    @Test func fileWithoutFinalNewline() throws {
        let directory = Fixtures.temporaryDirectory()
        defer { Fixtures.remove(directory) }
        let path = Fixtures.write(Fixtures.jsonLine(id: "a", text: "one") + "\n" + Fixtures.jsonLine(id: "b", text: "two"),
                                  named: "x.jsonl", in: directory)
        let result = try reader.read([path])
        #expect(result.articles.map(\.id) == ["a", "b"])
        #expect(result.articles.map(\.location.line) == [1, 2])
    }

    @Test func blankLinesAreSkippedButCounted() throws {
        let directory = Fixtures.temporaryDirectory()
        defer { Fixtures.remove(directory) }
        let content = "\n" + Fixtures.jsonLine(id: "a", text: "one") + "\n   \n\t\n\r\n"
            + Fixtures.jsonLine(id: "b", text: "two") + "\n\n"
        let path = Fixtures.write(content, named: "x.jsonl", in: directory)
        let result = try reader.read([path])
        #expect(result.rejected.isEmpty)
        #expect(result.articles.map(\.location.line) == [2, 6])
        #expect(result.recordsRead == 2)
    }

    @Test func aLineOfJSONWhitespaceIsBlank() throws {
        let directory = Fixtures.temporaryDirectory()
        defer { Fixtures.remove(directory) }
        let content = " \t\r\r\n" + Fixtures.jsonLine(id: "a", text: "one") + "\r\n\r\r\r\n"
        let path = Fixtures.write(content, named: "x.jsonl", in: directory)
        let result = try reader.read([path])
        #expect(result.rejected.isEmpty)
        #expect(result.articles.map(\.location.line) == [2])
    }

    @Test func everyRecordIsAccountedFor() throws {
        var generator = SeededGenerator(seed: 99)
        let kinds = [
            Fixtures.jsonLine(id: "ID", text: "good text"), #"{"id": "ID"}"#, "{oops", "[]",
            #"{"id": "", "text": "x"}"#, #"{"id": 12345, "text": "x"}"#, "   ",
            Fixtures.jsonLine(id: "dup", text: "same id every time"),
        ]
        var lines: [String] = []
        for index in 0..<200 {
            lines.append(kinds.randomElement(using: &generator)!.replacingOccurrences(of: "ID", with: "id\(index)"))
        }
        let path = Fixtures.jsonlFile(lines)
        defer { Fixtures.remove((path as NSString).deletingLastPathComponent) }
        let result = try reader.read([path])
        let nonBlank = lines.filter { !$0.allSatisfy { $0 == " " } }.count
        #expect(result.articles.count + result.rejected.count == nonBlank)
        #expect(result.recordsRead == nonBlank)
        // Every non-blank line number appears exactly once among accepted and rejected.
        let expectedLines = lines.indices.filter { !lines[$0].allSatisfy { $0 == " " } }.map { $0 + 1 }
        let seen = (result.articles.map(\.location.line) + result.rejected.map(\.line)).sorted()
        #expect(seen == expectedLines)
        #expect(Set(result.articles.map(\.id)).count == result.articles.count)
    }

    // MARK: Hostile input

    @Test func emptyFileGivesNoRecordsAndIsStillListed() throws {
        let directory = Fixtures.temporaryDirectory()
        defer { Fixtures.remove(directory) }
        let path = Fixtures.write("", named: "empty.jsonl", in: directory)
        var batches = 0
        let result = try reader.read([path]) { _ in batches += 1 }
        #expect(result.articles.isEmpty && result.rejected.isEmpty && result.warnings.isEmpty)
        #expect(result.files == [ArticleReader.InputFile(path: path, format: "jsonl", bytes: 0, records: 0)])
        #expect(batches <= 1)
    }

    @Test func escapedNULAndControlCharactersInATextBecomeSpacesWithAWarning() throws {
        let path = Fixtures.jsonlFile([
            #"{"id":"a","title":"Bell\u0007 rings","text":"one\u0000two\u001b[0m three\n\tfour"}"#,
        ])
        defer { Fixtures.remove((path as NSString).deletingLastPathComponent) }
        let result = try reader.read([path])
        let article = try #require(result.articles.first)
        #expect(article.text == "one two [0m three\n\tfour")
        #expect(article.title == "Bell  rings")
        #expect(result.warnings.map(\.reason) == ["control characters replaced with spaces in text, title"])
        #expect(result.warnings.first?.line == 1 && result.warnings.first?.id == "a")
    }

    @Test func rawNULAndControlBytesInAStringAreReadAsEscapedWithAWarning() throws {
        let directory = Fixtures.temporaryDirectory()
        defer { Fixtures.remove(directory) }
        // Strict JSON forbids raw bytes below 0x20 inside strings; a raw tab is the common case.
        var bytes = Array(#"{"id":"a","text":"nul"#.utf8) + [0x00]
        bytes += Array("here".utf8) + [0x01, 0x1F] + Array(#" end"}"#.utf8) + [0x0A]
        bytes += Array(#"{"id":"b","text":"col1"#.utf8) + [0x09] + Array(#"col2"}"#.utf8) + [0x0A]
        let path = Fixtures.write(bytes, named: "raw.jsonl", in: directory)
        let result = try reader.read([path])
        #expect(result.rejected.isEmpty)
        #expect(result.articles.map(\.text) == ["nul here   end", "col1\tcol2"])
        #expect(result.warnings.map(\.line) == [1, 2])
        try #require(result.warnings.count == 2)
        #expect(result.warnings[0].reason
                == "unescaped control characters in a string read as escaped; control characters replaced with spaces in text")
        #expect(result.warnings[1].reason == "unescaped control characters in a string read as escaped")
    }

    @Test func controlCharactersAreRejectedInAnIdAndOutsideStrings() throws {
        let directory = Fixtures.temporaryDirectory()
        defer { Fixtures.remove(directory) }
        var bytes = Array(#"{"id":"a\u0000b","text":"x"}"#.utf8) + [0x0A]               // 1 NUL in the id
        bytes += Array(#"{"id":"tab\tid","text":"x"}"#.utf8) + [0x0A]                     // 2 tab in the id
        bytes += Array(#"{"id":"c","text":"\u0000\u0000"}"#.utf8) + [0x0A]                // 3 nothing but NULs
        bytes += Array(#"{"id":"d","#.utf8) + [0x00] + Array(#""text":"x"}"#.utf8) + [0x0A] // 4 NUL between members
        bytes += [UInt8](repeating: 0, count: 64) + [0x0A]                                  // 5 a run of NULs
        bytes += Array(#"{"id":"e","text":"fine"}"#.utf8) + [UInt8](repeating: 0, count: 16) // 6 NUL padding, no newline
        let path = Fixtures.write(bytes, named: "nul.jsonl", in: directory)
        let result = try reader.read([path])
        #expect(result.articles.isEmpty)
        #expect(result.rejected.map(\.line) == [1, 2, 3, 4, 5, 6])
        #expect(result.rejected.map(\.reason) == [
            "id contains control character U+0000",
            "id contains control character U+0009",
            "empty text",
            "malformed JSON: control character U+0000 at byte 11 where a key should be",
            "malformed JSON: control character U+0000 at byte 1 where a value should be",
            "malformed JSON: control character U+0000 after the end of the value at byte 25",
        ])
        #expect(result.rejected.map(\.id) == ["a\u{0}b", "tab\tid", "c", nil, nil, nil])
    }

    @Test func textFilesGetTheSameControlCharacterRules() throws {
        let directory = Fixtures.temporaryDirectory()
        defer { Fixtures.remove(directory) }
        Fixtures.write([0x00, 0x00, 0x0A] + Array("Title\u{7}\nBody\u{0}text\n".utf8), named: "nul.txt", in: directory)
        Fixtures.write("Title\nBody\n", named: "bad\u{1}name.txt", in: directory)
        let result = try reader.read([directory])
        #expect(result.articles.map(\.id) == ["nul"])
        #expect(result.articles.first?.title == "Title")
        #expect(result.articles.first?.text == "Body text")
        #expect(result.warnings.map(\.reason) == ["control characters replaced with spaces"])
        #expect(result.rejected.map(\.reason) == ["id contains control character U+0001"])
    }

    /// Read as numbers are written, not through `Double`: ids that differ in their 17th digit
    /// stay different articles.
    @Test func numberIdsAreAcceptedAsWrittenWithAWarning() throws {
        let literals = ["7", "-5", "1.5", "1e3", "12345678901234567890", "12345678901234567891",
                        "123456789012345678901234567890", "1e400", "-0.0"]
        let path = Fixtures.jsonlFile(literals.map { #"{"id": \#($0), "text": "x"}"# } + [#"{"id": "7", "text": "again"}"#])
        defer { Fixtures.remove((path as NSString).deletingLastPathComponent) }
        let result = try reader.read([path])
        #expect(result.articles.map(\.id) == literals)
        #expect(result.warnings.map(\.reason) == literals.map { "id is a number; used as the string \"\($0)\"" })
        #expect(result.rejected.map(\.reason) == ["duplicate id (first seen at \(path):1)"])
    }

    @Test func deeplyNestedLinesAreRejectedWithAReason() throws {
        let nested = String(repeating: "[", count: 100_000)
        let path = Fixtures.jsonlFile([
            nested + String(repeating: "]", count: 100_000),
            #"{"id":"a","text":"b","extra":"# + String(repeating: #"{"a":"#, count: 100_000) + "1"
                + String(repeating: "}", count: 100_000) + "}",
            Fixtures.jsonLine(id: "ok", text: "after the nesting"),
        ])
        defer { Fixtures.remove((path as NSString).deletingLastPathComponent) }
        let result = try reader.read([path])
        #expect(result.articles.map(\.id) == ["ok"])
        #expect(result.rejected.map(\.line) == [1, 2])
        #expect(result.rejected.allSatisfy { $0.reason.hasPrefix("malformed JSON: nested deeper than 512 levels at byte ") })
    }

    @Test func aFieldGivenTwiceIsRejectedNotGuessed() throws {
        let path = Fixtures.jsonlFile([#"{"id": "a", "text": "first", "text": "second"}"#])
        defer { Fixtures.remove((path as NSString).deletingLastPathComponent) }
        let result = try reader.read([path])
        #expect(result.articles.isEmpty)
        #expect(result.rejected.map(\.reason) == [#""text" given twice"#])
        #expect(result.rejected.map(\.id) == [nil])
    }

    @Test func loneSurrogateEscapesAreRepairedWithAWarning() throws {
        let path = Fixtures.jsonlFile([#"{"id": "a", "text": "half \ud83d of an emoji"}"#])
        defer { Fixtures.remove((path as NSString).deletingLastPathComponent) }
        let result = try reader.read([path])
        #expect(result.articles.map(\.text) == ["half \u{FFFD} of an emoji"])
        #expect(result.warnings.map(\.reason) == ["lone surrogate escapes replaced with U+FFFD"])
    }

    /// Far larger than the reader's 4 MiB chunk; escapes and multi-byte characters throughout.
    @Test func aTenMegabyteRecordIsAccepted() throws {
        let paragraph = #"Київ, \"цитата\" — café 中文 😀 and plain ASCII words to fill the line.\n"#
        let repeats = 10 << 20 / paragraph.utf8.count + 1
        let line = #"{"id":"big","title":"Big","text":""# + String(repeating: paragraph, count: repeats) + #""}"#
        let path = Fixtures.jsonlFile([line, Fixtures.jsonLine(id: "small", text: "after it")])
        defer { Fixtures.remove((path as NSString).deletingLastPathComponent) }
        let result = try reader.read([path])
        #expect(result.rejected.isEmpty && result.warnings.isEmpty)
        #expect(result.articles.map(\.id) == ["big", "small"])
        try #require(result.articles.count == 2)
        let expected = String(repeating: "Київ, \"цитата\" — café 中文 😀 and plain ASCII words to fill the line.\n",
                              count: repeats)
        #expect(result.articles[0].text == expected)
        #expect(result.articles[0].span == RecordSpan(offset: 0, length: line.utf8.count))
        #expect(line.utf8.count > 10 << 20)
        #expect(result.articles[1].location.line == 2)
        #expect(try RecordRereader(files: [path]).text(of: result.articles[0]) == expected)
    }

    @Test func aBatchEndsAtItsByteLimitAsWellAsItsLineLimit() throws {
        // Four records of 12 MiB: the first batch closes after three (36 MiB ≥ 32 MiB).
        let text = String(repeating: "x", count: 12 << 20)
        let path = Fixtures.jsonlFile((0..<4).map { #"{"id":"r\#($0)","text":"\#(text)"}"# })
        defer { Fixtures.remove((path as NSString).deletingLastPathComponent) }
        var batchSizes: [Int] = []
        let result = try reader.read([path]) { batch in
            batchSizes.append(batch.count)
            for index in batch.indices { batch[index].text = "" }
        }
        #expect(ArticleReader.batchBytes == 32 << 20)
        #expect(batchSizes == [3, 1])
        #expect(result.articles.count == 4)
    }
}

/// A gigabyte of JSONL read as the pipeline reads an input too large to hold: each batch's
/// texts are let go as soon as it is seen, so memory follows the batch, not the input.
@Suite("ArticleReader on a 1 GB input", .serialized)
struct ArticleReaderLargeInputTests {
    /// Set in the child process that runs this suite alone.
    static let aloneVariable = "NEWSCLUSTER_TEST_ALONE"

    /// The resident size is the whole process's: beside other suites it would count their memory
    /// too, and how much depends on the host (its cores, what runs when). So the test bundle
    /// runs this suite again on its own, in a child process whose memory is the reader's.
    static func runAlone() throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
        process.arguments = ["--testing-library", "swift-testing", "--filter", "ArticleReaderLargeInputTests"]
        var environment = ProcessInfo.processInfo.environment
        environment[aloneVariable] = "1"
        process.environment = environment
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        try process.run()
        let said = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 0, "the suite run alone failed:\n\(said)")
        #expect(said.contains("aGigabyteIsStreamedWithBoundedMemoryAndEveryRecordAccountedFor() passed"), "\(said)")
        if let figure = said.split(separator: "\n").first(where: { $0.contains("1 GB input:") }) { print(figure) }
    }

    @Test func aGigabyteIsStreamedWithBoundedMemoryAndEveryRecordAccountedFor() throws {
        guard ProcessInfo.processInfo.environment[Self.aloneVariable] != nil else { return try Self.runAlone() }
        let directory = Fixtures.temporaryDirectory()
        defer { Fixtures.remove(directory) }
        let path = directory + "/large.jsonl"
        let clock = ContinuousClock()
        var start = clock.now
        let input = try LargeInput.write(to: path, atLeast: 1 << 30)
        let writing = clock.now - start

        ProcessMemory.releaseFreePages()
        let before = ProcessMemory.residentBytes
        var peak = before
        var seen = 0
        start = clock.now
        let result = try ArticleReader(threads: 2).read([path]) { batch in
            seen += batch.count
            for index in batch.indices { batch[index].text = "" }
            peak = max(peak, ProcessMemory.residentBytes)
        }
        let reading = clock.now - start
        let growth = peak - before
        print("1 GB input: \(input.bytes >> 20) MiB, \(input.lines) lines; written in \(writing), read in \(reading); resident \(before >> 20) MiB before, +\(growth >> 20) MiB at the peak")

        #expect(input.bytes >= 1 << 30)
        #expect(result.files.map(\.bytes) == [input.bytes])
        // Holding the texts would grow by about the input's 1 GiB; streamed, the process (this
        // suite alone) grew by 145 MiB when measured, so a quarter of the input leaves room.
        #expect(growth < 256 << 20, "resident memory grew by \(growth >> 20) MiB")
        // Every line is accepted or rejected, once.
        #expect(result.recordsRead == input.lines)
        #expect(seen == result.articles.count && seen == input.lines - input.malformed - input.duplicates)
        #expect(result.rejected.filter { $0.reason.hasPrefix("malformed JSON") }.count == input.malformed)
        #expect(result.rejected.filter { $0.reason.hasPrefix("duplicate id") }.count == input.duplicates)
        var lineSeen = [Bool](repeating: false, count: input.lines + 1)
        for line in result.articles.map(\.location.line) + result.rejected.map(\.line) {
            try #require(lineSeen.indices.contains(line) && line > 0, "line \(line) of \(input.lines)")
            #expect(!lineSeen[line], "line \(line) twice")
            lineSeen[line] = true
        }
        #expect(lineSeen.dropFirst().allSatisfy { $0 })
        #expect(result.articles.allSatisfy { $0.text.isEmpty })
        #expect(result.warnings.isEmpty)
    }
}

/// Varied news-like JSONL written fast: records are drawn from a pool of paragraphs (Latin,
/// Cyrillic, escapes), with a malformed line every 10,000 and a repeated id every 25,000.
private enum LargeInput {
    struct Written {
        var bytes: Int
        var lines: Int
        var malformed: Int
        var duplicates: Int
    }

    static func write(to path: String, atLeast size: Int) throws -> Written {
        var generator = SeededGenerator(seed: 1 << 30)
        let words = ["river", "bridge", "council", "vote", "storm", "Tarvel", "police", "said", "on",
                     "Monday", "the", "a", "of", "market", "rates", "1,600", "2024", "don't", "café",
                     "міст", "рада", "голосування", "п’ять", "Київ", "ёлка"]
        // As scraped news is escaped: a quotation and an accent written as \u here and there.
        let escaped = [#"\"quoted\""#, #"\u00e9t\u00e9"#, #"\/"#, #"\u041a\u0438\u0457\u0432"#]
        let paragraphs: [[UInt8]] = (0..<256).map { _ in
            var paragraph = (0..<Int.random(in: 40...120, using: &generator)).map { _ in words.randomElement(using: &generator)! }
            paragraph.insert(escaped.randomElement(using: &generator)!, at: paragraph.count / 2)
            return Array(paragraph.joined(separator: " ").utf8)
        }
        let separator = Array(#"\n"#.utf8)
        guard FileManager.default.createFile(atPath: path, contents: nil),
              let handle = FileHandle(forWritingAtPath: path) else {
            throw ReadError.unreadable(path: path, reason: "cannot create the file")
        }
        defer { try? handle.close() }
        var written = Written(bytes: 0, lines: 0, malformed: 0, duplicates: 0)
        var buffer: [UInt8] = []
        buffer.reserveCapacity(17 << 20)
        var record = 0
        while written.bytes + buffer.count < size {
            written.lines += 1
            record += 1
            if record % 10_000 == 0 {
                buffer += Array(#"{"id":"broken","text":"cut off"#.utf8) + [0x0A]
                written.malformed += 1
                continue
            }
            let id = record % 25_000 == 0 ? record - 1 : record
            if id != record { written.duplicates += 1 }
            buffer += Array(#"{"id":"r\#(id)","source":"site\#(record % 97)","published":"2024-03-\#(10 + record % 19)","text":""#.utf8)
            for index in 0..<Int.random(in: 3...14, using: &generator) {
                if index > 0 { buffer += separator }
                buffer += paragraphs[Int.random(in: 0..<paragraphs.count, using: &generator)]
            }
            buffer += Array(#""}"#.utf8) + [0x0A]
            if buffer.count >= 16 << 20 {
                try handle.write(contentsOf: buffer)
                written.bytes += buffer.count
                buffer.removeAll(keepingCapacity: true)
            }
        }
        try handle.write(contentsOf: buffer)
        written.bytes += buffer.count
        return written
    }
}

@Suite("ArticleReader: compressed input, pipes, folders")
struct ArticleReaderInputKindTests {
    /// Two good records, a bad one (line 3), a blank line and two more good ones.
    static let lines = [
        Fixtures.jsonLine(id: "a1", text: "The bridge reopened."),
        Fixtures.jsonLine(id: "a2", text: "Кириллица тоже читается."),
        "not json",
        "",
        Fixtures.jsonLine(id: "a5", text: "Fifth line."),
        Fixtures.jsonLine(id: "a6", text: "Sixth line."),
    ]
    static let content = Array(lines.map { $0 + "\n" }.joined().utf8)

    /// What a read gives, without the path and the bytes of its files.
    private func summary(_ result: ArticleReader.Result) -> [String] {
        result.articles.map { "\($0.id) \($0.location.line) \($0.span.map { "\($0.offset)+\($0.length)" } ?? "") \($0.text)" }
            + result.rejected.map { "rejected \($0.line) \($0.reason)" }
    }

    @Test(arguments: Decompressor.Format.allCases)
    func aCompressedFileReadsAsThePlainOneWhateverItsName(_ format: Decompressor.Format) throws {
        let directory = Fixtures.temporaryDirectory()
        defer { Fixtures.remove(directory) }
        let plain = Fixtures.write(Self.content, named: "plain.jsonl", in: directory)
        let compressed = Decompressor.compress(Self.content, as: format)
        let misnamed = Fixtures.write(compressed, named: "misnamed.jsonl", in: directory)
        let expected = try ArticleReader().read([plain])
        #expect(expected.articles.count == 4 && expected.rejected.map(\.line) == [3])
        let result = try ArticleReader(threads: 2).read([misnamed])
        #expect(summary(result) == summary(expected))
        #expect(result.files == [ArticleReader.InputFile(path: misnamed, format: "jsonl+\(format)", bytes: compressed.count, records: 5)])
    }

    @Test func aFolderPicksUpCompressedJSONL() throws {
        let directory = Fixtures.temporaryDirectory()
        defer { Fixtures.remove(directory) }
        Fixtures.write(Decompressor.compress(Array((Fixtures.jsonLine(id: "g", text: "gzip") + "\n").utf8), as: .gzip),
                       named: "b.jsonl.gz", in: directory)
        Fixtures.write(Decompressor.compress(Array((Fixtures.jsonLine(id: "z", text: "zstd") + "\n").utf8), as: .zstd),
                       named: "c.jsonl.zst", in: directory)
        Fixtures.write(Decompressor.compress(Array((Fixtures.jsonLine(id: "zz", text: "zstd") + "\n").utf8), as: .zstd),
                       named: "d.jsonl.zstd", in: directory)
        Fixtures.write(Fixtures.jsonLine(id: "p", text: "plain") + "\n", named: "a.jsonl", in: directory)
        Fixtures.write(Decompressor.compress(Array("a\tb\n".utf8), as: .gzip), named: "gold.tsv.gz", in: directory)
        let result = try ArticleReader().read([directory])
        #expect(result.articles.map(\.id) == ["p", "g", "z", "zz"])
        #expect(result.files.map(\.format) == ["jsonl", "jsonl+gzip", "jsonl+zstd", "jsonl+zstd"])
    }

    @Test(arguments: Decompressor.Format.allCases)
    func concatenatedMembersOrFramesReadWhole(_ format: Decompressor.Format) throws {
        // What `cat a.gz b.gz > c.gz` makes; the lines count on across the join.
        let directory = Fixtures.temporaryDirectory()
        defer { Fixtures.remove(directory) }
        let half = Self.lines.count / 2
        let first = Array(Self.lines[..<half].map { $0 + "\n" }.joined().utf8)
        let second = Array(Self.lines[half...].map { $0 + "\n" }.joined().utf8)
        let path = Fixtures.write(Decompressor.compress(first, as: format) + Decompressor.compress(second, as: format),
                                  named: "joined", in: directory)
        let plain = Fixtures.write(Self.content, named: "plain.jsonl", in: directory)
        #expect(summary(try ArticleReader().read([path])) == summary(try ArticleReader().read([plain])))
    }

    /// 6,000 records compressed (several zstd blocks, which decode whole or not at all), cut at
    /// two thirds of the compressed bytes.
    private func truncatedFile(_ format: Decompressor.Format, in directory: String) -> (path: String, lines: Int) {
        let lines = (1...6_000).map { Fixtures.jsonLine(id: "r\($0)", text: "Record \($0) of a truncated file, \(String($0 * 7919, radix: 36)).") }
        let compressed = Decompressor.compress(Array(lines.map { $0 + "\n" }.joined().utf8), as: format)
        return (Fixtures.write(Array(compressed.prefix(compressed.count * 2 / 3)), named: "cut.jsonl.gz", in: directory), lines.count)
    }

    @Test(arguments: Decompressor.Format.allCases)
    func aTruncatedFileKeepsTheRecordsBeforeTheBreakAndListsTheBreak(_ format: Decompressor.Format) throws {
        let directory = Fixtures.temporaryDirectory()
        defer { Fixtures.remove(directory) }
        let (path, total) = truncatedFile(format, in: directory)
        let result = try ArticleReader().read([path])
        let kept = result.articles.count
        try #require(kept > 0 && kept < total)
        #expect(result.articles.map(\.id) == (1...kept).map { "r\($0)" })
        #expect(result.rejected == [RecordIssue(location: RecordLocation(file: path, line: kept + 1), id: nil,
                                                reason: "\(format) stream truncated after line \(kept)")])
        #expect(result.files.map(\.records) == [kept + 1])
    }

    @Test func aTruncatedFileStopsAStrictRead() throws {
        let directory = Fixtures.temporaryDirectory()
        defer { Fixtures.remove(directory) }
        let (path, _) = truncatedFile(.gzip, in: directory)
        do {
            _ = try ArticleReader(strict: true).read([path])
            Issue.record("a strict read passed over a truncated file")
        } catch ReadError.badRecord(let issue) {
            #expect(issue.file == path)
            #expect(issue.reason.hasPrefix("gzip stream truncated after line \(issue.line - 1)"))
        }
    }

    @Test(arguments: Decompressor.Format.allCases)
    func aCorruptFileKeepsTheRecordsBeforeTheFaultAndNamesIt(_ format: Decompressor.Format) throws {
        let directory = Fixtures.temporaryDirectory()
        defer { Fixtures.remove(directory) }
        var generator = SeededGenerator(seed: 11)
        let lines = (1...2_000).map { number in
            Fixtures.jsonLine(id: "r\(number)", text: (0..<12).map { _ in "w\(UInt32.random(in: 0...99_999, using: &generator))" }.joined(separator: " "))
        }
        // A good member or frame of 1,000 lines, then a broken one.
        let compressed = Decompressor.compress(Array(lines[..<1_000].map { $0 + "\n" }.joined().utf8), as: format)
        var corrupt = Decompressor.compress(Array(lines[1_000...].map { $0 + "\n" }.joined().utf8), as: format)
        for index in (corrupt.count / 2)..<(corrupt.count / 2 + 64) { corrupt[index] ^= 0x5A }
        let path = Fixtures.write(compressed + corrupt, named: "corrupt.jsonl.gz", in: directory)
        let result = try ArticleReader().read([path])
        let broken = try #require(result.rejected.last)
        #expect(broken.file == path)
        #expect(broken.reason.hasPrefix("\(format) stream corrupt ("))
        #expect(broken.reason.hasSuffix(" after line \(broken.line - 1)"))
        // Records before the fault are kept (a decoder may hand out some garbage before it
        // notices, which is then rejected as a bad line, never accepted as another record).
        #expect(result.articles.count >= 1_000)
        #expect(result.articles.allSatisfy { article in
            lines.indices.contains(article.location.line - 1) && lines[article.location.line - 1].contains("\"\(article.id)\"")
        })
    }

    @Test func aFolderWithoutInputFilesIsAnErrorNamingIt() throws {
        let directory = Fixtures.temporaryDirectory()
        defer { Fixtures.remove(directory) }
        let empty = directory + "/empty", unknown = directory + "/unknown"
        try FileManager.default.createDirectory(atPath: empty, withIntermediateDirectories: false)
        try FileManager.default.createDirectory(atPath: unknown + "/nested.jsonl", withIntermediateDirectories: true)
        Fixtures.write("a\tb\n", named: "gold.tsv", in: unknown)
        Fixtures.write("# notes\n", named: "README.md", in: unknown)
        for folder in [empty, unknown] {
            do {
                _ = try ArticleReader().read([folder])
                Issue.record("\(folder) read as no input")
            } catch ReadError.unreadable(let path, let reason) {
                #expect(path == folder)
                #expect(reason.hasPrefix("no input files in the directory"))
            }
        }
    }

    /// The limit only stops a hang (a writer that never opens the FIFO leaves the read blocked):
    /// six lines take milliseconds, so a loaded host is far from it.
    @Test(.timeLimit(.minutes(1))) func aFIFOIsReadToItsEnd() throws {
        let directory = Fixtures.temporaryDirectory()
        defer { Fixtures.remove(directory) }
        let path = directory + "/input.fifo"
        try #require(mkfifo(path, 0o600) == 0)
        Thread.detachNewThread {
            guard let handle = FileHandle(forWritingAtPath: path) else { return }
            handle.write(Data(Self.content))
            try? handle.close()
        }
        #expect(try ArticleReader.expand(path) == [path])
        let result = try ArticleReader(spoolsForRereading: true).read([path])
        #expect(result.articles.map(\.id) == ["a1", "a2", "a5", "a6"])
        #expect(result.files == [ArticleReader.InputFile(path: path, format: "jsonl (pipe)", bytes: Self.content.count, records: 5)])
        // Read once, so re-read from its spool.
        let rereader = try RecordRereader(files: [path], spools: result.spools)
        #expect(try result.articles.map { try rereader.text(of: $0) } == result.articles.map(\.text))
    }

    @Test func aDashStandsForStandardInput() throws {
        #expect(try ArticleReader.expand("-") == ["-"])
    }
}
