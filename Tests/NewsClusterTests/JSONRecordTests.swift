import Foundation
import Testing
@testable import NewsCluster

private func decode(_ text: String) -> Result<JSONRecord, Rejection> {
    JSONRecord.decode(Data(text.utf8))
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
    }

    @Test(arguments: ["[1, 2, 3]", "\"just a string\"", "42", "[{\"id\": \"a\", \"text\": \"b\"}]"])
    func nonObjectsAreRejected(line: String) {
        #expect(throws: Rejection("not a JSON object")) { try decode(line).get() }
    }

    @Test(arguments: ["{\"id\": \"a\", \"text\": ", "{id: 1}", "{\"id\": \"a\"} trailing", "not json"])
    func malformedJSONIsRejected(line: String) {
        switch decode(line) {
        case .success: Issue.record("accepted malformed JSON: \(line)")
        case .failure(let rejection): #expect(rejection.reason.hasPrefix("malformed JSON"))
        }
    }
}
