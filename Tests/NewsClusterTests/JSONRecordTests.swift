import Testing
@testable import NewsCluster

private func decode(_ text: String) -> Result<JSONRecord, Rejection> {
    JSONRecord.decode(Array(text.utf8)[...])
}

private func decode(bytes: [UInt8]) -> Result<JSONRecord, Rejection> {
    JSONRecord.decode(bytes[...])
}

@Suite("JSONRecord")
struct JSONRecordTests {
    @Test func stringsNumbersAndOtherTypes() throws {
        let record = try decode("""
            {"id": "x1", "text": 42, "title": 4.5, "url": true, "source": [1, 2], "language": {"a": 1}, "published": null, "extra": "ignored"}
            """).get()
        #expect(record.fields[.id] == .string("x1"))
        #expect(record.fields[.text] == .number("42"))
        #expect(record.fields[.title] == .number("4.5"))
        #expect(record.fields[.url] == .other("a boolean"))
        #expect(record.fields[.source] == .other("an array"))
        #expect(record.fields[.language] == .other("an object"))
        #expect(record.fields[.published] == nil)
        #expect(record.fields.count == 6)
    }

    @Test func unicodeEscapesAreDecoded() throws {
        let record = try decode(#"{"id":"a","text":"\u043f\u2019\u044f\u0442\u044c \ud83d\ude00"}"#).get()
        #expect(record.fields[.text] == .string("п’ять 😀"))
        #expect(!record.hadLoneSurrogates)
    }

    @Test func everySimpleEscape() throws {
        let record = try decode(#"{"text":"q\" b\\ s\/ \b\f\n\r\t end"}"#).get()
        #expect(record.fields[.text] == .string("q\" b\\ s/ \u{8}\u{C}\n\r\t end"))
    }

    /// A number id is kept exactly as written: through `Double`, two 20-digit ids that differ
    /// in the last digit would become one.
    @Test(arguments: ["7", "-5", "1.5", "1.0", "1e3", "-0", "1E-7", "12345678901234567890",
                      "12345678901234567891", "123456789012345678901234567890123456789012345", "1e400"])
    func numbersAreKeptAsWritten(literal: String) throws {
        let record = try decode(#"{"id": \#(literal), "text": "x"}"#).get()
        #expect(record.fields[.id] == .number(literal))
    }

    @Test func nullCountsAsAbsent() throws {
        let record = try decode(#"{"id": "a", "text": "x", "title": null}"#).get()
        #expect(record.fields[.title] == nil)
        #expect(record.fields.count == 2)
    }

    @Test func otherKeysAndTheirValuesAreSkipped() throws {
        let record = try decode(#"{"meta": {"id": "inner", "tags": ["a", {"b": [1, 2.5e-3, true, null]}]}, "id": "outer", "text": "x"}"#).get()
        #expect(record.fields[.id] == .string("outer"))
        #expect(record.fields.count == 2)
    }

    @Test func anEscapedKeyIsTheSameKey() throws {
        let record = try decode(#"{"\u0069d": "a", "te\u0078t": "x"}"#).get()
        #expect(record.fields[.id] == .string("a") && record.fields[.text] == .string("x"))
    }

    @Test(arguments: [
        #"{"id": "a", "text": "x", "id": "b"}"#,
        #"{"id": "a", "text": "x", "text": null}"#,
        #"{"id": "a", "text": "x", "\u0074ext": "y"}"#,
    ])
    func aFieldGivenTwiceIsRejected(line: String) throws {
        guard case .failure(let rejection) = decode(line) else {
            Issue.record("accepted \(line)")
            return
        }
        #expect(rejection.reason.hasSuffix("given twice"))
        #expect(rejection.reason.contains(#""id""#) || rejection.reason.contains(#""text""#))
    }

    @Test func otherKeysMayRepeat() throws {
        let record = try decode(#"{"x": 1, "x": 2, "id": "a", "text": "b"}"#).get()
        #expect(record.fields.count == 2)
    }

    @Test func controlCharactersAreFlaggedPerFieldEscapedOrNot() throws {
        // \u0000 escaped in the text, a raw 0x01 in the title, a raw tab in the source and an
        // escaped line feed in the url; DEL is legal JSON but a control character all the same.
        var bytes = Array(#"{"id":"a","text":"nul\u0000here","title":"raw"#.utf8) + [0x01]
        bytes += Array(#"","source":"tab"#.utf8) + [0x09]
        bytes += Array(#"","url":"line\n","language":"e"#.utf8) + [0x7F] + Array(#"n"}"#.utf8)
        let record = try decode(bytes: bytes).get()
        #expect(record.fields[.text] == .string("nul\u{0}here"))
        #expect(record.fields[.title] == .string("raw\u{1}"))
        #expect(record.controls[.text] == .other)
        #expect(record.controls[.title] == .other)
        #expect(record.controls[.source] == .lineBreaksAndTabs)
        #expect(record.controls[.url] == .lineBreaksAndTabs)
        #expect(record.controls[.language] == .other)
        #expect(record.controls[.id] == nil)
        #expect(record.hadUnescapedControlCharacters)
    }

    @Test func escapedControlCharactersAloneAreStrictJSON() throws {
        let record = try decode(#"{"id":"a","text":"x\u0007y\n"}"#).get()
        #expect(record.controls[.text] == [.other, .lineBreaksAndTabs])
        #expect(!record.hadUnescapedControlCharacters)
    }

    @Test func anUnescapedControlByteInASkippedStringStillCounts() throws {
        let record = try decode(bytes: Array(#"{"id":"a","text":"b","note":["x"#.utf8) + [0x00] + Array(#""]}"#.utf8)).get()
        #expect(record.hadUnescapedControlCharacters)
        #expect(record.controls.isEmpty)
    }

    @Test(arguments: [
        (#"\ud800"#, "\u{FFFD}"), (#"\ude00"#, "\u{FFFD}"), (#"a\ud800b"#, "a\u{FFFD}b"),
        (#"\ud800\u0041"#, "\u{FFFD}A"), (#"\ud83d\ud83d\ude00"#, "\u{FFFD}😀"),
    ])
    func loneSurrogatesBecomeReplacementCharacters(escaped: String, text: String) throws {
        let record = try decode(#"{"id":"a","text":"\#(escaped)"}"#).get()
        #expect(record.fields[.text] == .string(text))
        #expect(record.hadLoneSurrogates)
    }

    @Test func aLoneSurrogateInASkippedStringIsNoRepair() throws {
        let record = try decode(#"{"id":"a","text":"b","note":"\ud800"}"#).get()
        #expect(!record.hadLoneSurrogates)
    }

    @Test func invalidUTF8InAStringBecomesReplacementCharacters() throws {
        let plain = try decode(bytes: Array(#"{"id":"a","text":"caf"#.utf8) + [0xE9] + Array(#" au lait"}"#.utf8)).get()
        #expect(plain.fields[.text] == .string("caf\u{FFFD} au lait"))
        #expect(plain.hadInvalidUTF8)
        // Next to an escape, and a truncated sequence right before one.
        let escaped = try decode(bytes: Array(#"{"id":"a","text":"caf"#.utf8) + [0xE9, 0xE2, 0x82] + Array(#"\u00e9"}"#.utf8)).get()
        #expect(escaped.fields[.text] == .string("caf\u{FFFD}\u{FFFD}é"))
        #expect(escaped.hadInvalidUTF8)
    }

    @Test func invalidUTF8OnlyInASkippedStringIsNoRepair() throws {
        let record = try decode(bytes: Array(#"{"id":"a","text":"b","note":"x"#.utf8) + [0xFF] + Array(#""}"#.utf8)).get()
        #expect(!record.hadInvalidUTF8)
    }

    @Test func aKeyIsNeverRepaired() throws {
        // Neither key can be a field's name, so nothing that is used was repaired.
        let bytes = Array(#"{"k"#.utf8) + [0xFF] + Array(#"":1,"\ud800":2,"id":"a","text":"b"}"#.utf8)
        let record = try decode(bytes: bytes).get()
        #expect(!record.hadInvalidUTF8 && !record.hadLoneSurrogates)
        #expect(record.fields == [.id: .string("a"), .text: .string("b")])
    }

    @Test(arguments: ["[1, 2, 3]", "\"just a string\"", "42", "null", "true", "[{\"id\": \"a\", \"text\": \"b\"}]"])
    func nonObjectsAreRejected(line: String) {
        #expect(throws: Rejection("not a JSON object")) { try decode(line).get() }
    }

    @Test(arguments: ["{\"id\": \"a\", \"text\": ", "{id: 1}", "{\"id\": \"a\"} trailing", "not json", "[1, 2"])
    func malformedJSONIsRejected(line: String) {
        switch decode(line) {
        case .success: Issue.record("accepted malformed JSON: \(line)")
        case .failure(let rejection): #expect(rejection.reason.hasPrefix("malformed JSON"))
        }
    }
}
