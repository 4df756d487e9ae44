import Foundation
import Testing
@testable import NewsCluster

private func reason(_ bytes: [UInt8]) -> String? {
    var parser = JSONParser(bytes[...])
    do {
        _ = try parser.record()
        return nil
    } catch {
        return error.reason
    }
}

private func reason(_ text: String) -> String? { reason(Array(text.utf8)) }

@Suite("JSONParser")
struct JSONParserTests {
    @Test(arguments: [
        #"{}"#, #"  {"id":"a"}  "#, "\t{\"a\":[]}\r", #"{"a":{}}"#, #"{"a":[1,-0,0.5,1e5,1E+5,-2.5e-3]}"#,
        #"{"a":[true,false,null,"",{"b":[]}]}"#, #"{"a":"\u00e9\/"}"#, #"{"":1}"#,
    ])
    func validObjectsParse(line: String) {
        #expect(reason(line) == nil)
    }

    /// Everything RFC 8259 forbids is rejected, never guessed at.
    @Test(arguments: [
        "{", "{\"a\"", "{\"a\":", "{\"a\":1", "{\"a\":1,}", "{\"a\" 1}", "{,}", "{\"a\":1 \"b\":2}",
        "{'a':1}", "{a:1}", "{\"a\":01}", "{\"a\":1.}", "{\"a\":.5}", "{\"a\":+1}", "{\"a\":-}",
        "{\"a\":1e}", "{\"a\":tru}", "{\"a\":nul}", "{\"a\":NaN}", "{\"a\":Infinity}", "{\"a\":[1,]}",
        "{\"a\":[1 2]}", "{\"a\":[}", "{\"a\":{]}", "{\"a\":\"\\x\"}", "{\"a\":\"\\u12\"}",
        "{\"a\":\"\\u12g4\"}", "{\"a\":\"unterminated}", "{\"a\":1}}", "{\"a\":1} {\"b\":2}",
        "{\"a\":1} // comment", "/* c */ {\"a\":1}", "{\"a\":1}\u{0}",
    ])
    func grammarErrorsAreMalformed(line: String) {
        #expect(reason(line)?.hasPrefix("malformed JSON: ") == true, "\(line)")
    }

    @Test(arguments: [
        ("{\"id\": \"a\" \"text\": \"b\"}", "malformed JSON: '\"' at byte 12 where ',' or '}' should be"),
        ("{\"id\": \"a\", \"text\": ", "malformed JSON: the line ends where a value should follow"),
        ("{\"id\": \"abc", "malformed JSON: the line ends inside the string that starts at byte 8"),
        ("{\"id\": \"a\\qb\"}", "malformed JSON: invalid escape '\\q' at byte 10"),
        ("{\"id\": \"\\u00\"}", "malformed JSON: \\u without four hex digits at byte 9"),
        ("{\"id\": 012}", "malformed JSON: '1' at byte 9 where ',' or '}' should be"),
        ("{\"id\": \"a\"} x", "malformed JSON: 'x' after the end of the value at byte 13"),
        ("{\"id\":\u{1}\"a\"}", "malformed JSON: control character U+0001 at byte 7 where a value should be"),
        ("\u{0}\u{0}\u{0}", "malformed JSON: control character U+0000 at byte 1 where a value should be"),
    ])
    func messagesNameTheByte(line: String, expected: String) {
        #expect(reason(line) == expected)
    }

    @Test func aByteOutsideASCIIIsNamedByNumber() {
        #expect(reason([0x7B, 0xE9, 0x7D]) == "malformed JSON: byte 0xE9 at byte 2 where a key should be")
    }

    @Test func nestingUpToTheLimitParses() {
        let depth = JSONRecord.maximumDepth
        // The record's own object is the first level.
        let inField = "{\"a\":" + String(repeating: "[", count: depth - 1) + String(repeating: "]", count: depth - 1) + "}"
        #expect(reason(inField) == nil)
        let nonObject = String(repeating: "[", count: depth) + String(repeating: "]", count: depth)
        #expect(reason(nonObject) == "not a JSON object")
    }

    @Test func nestingPastTheLimitIsMalformed() {
        let depth = JSONRecord.maximumDepth
        let inField = "{\"a\":" + String(repeating: "[", count: depth) + String(repeating: "]", count: depth) + "}"
        #expect(reason(inField) == "malformed JSON: nested deeper than \(depth) levels at byte \(6 + depth - 1)")
    }

    /// 100,000 levels: a recursive parser would overflow the stack (a crash, not a rejection).
    @Test(arguments: [
        String(repeating: "[", count: 100_000),
        String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000),
        String(repeating: "{\"a\":", count: 100_000) + "1" + String(repeating: "}", count: 100_000),
        "{\"id\":\"a\",\"text\":\"b\",\"x\":" + String(repeating: "[{\"a\":", count: 50_000),
    ])
    func deepNestingIsRejectedWithoutRecursion(line: String) {
        #expect(reason(line)?.hasPrefix("malformed JSON: nested deeper than \(JSONRecord.maximumDepth) levels") == true)
    }

    /// Random JSON objects written by Foundation: the parser reads back every string the writer
    /// put in, whatever the escapes.
    @Test func readsBackWhatJSONSerializationWrites() throws {
        var generator = SeededGenerator(seed: 2024)
        let alphabet: [Character] = ["a", "Z", "0", " ", "\"", "\\", "/", "\n", "\t", "\u{0}", "\u{1F}", "\u{7F}",
                                     "é", "ё", "п", "’", "中", "😀", "\u{FEFF}", "\u{2028}"]
        func randomString() -> String {
            String((0..<Int.random(in: 0...12, using: &generator)).map { _ in alphabet.randomElement(using: &generator)! })
        }
        func randomValue(depth: Int) -> Any {
            switch Int.random(in: 0..<(depth > 3 ? 4 : 6), using: &generator) {
            case 0: return randomString()
            case 1: return Int.random(in: -1_000_000...1_000_000, using: &generator)
            case 2: return Double.random(in: -1e6...1e6, using: &generator)
            case 3: return Bool.random(using: &generator)
            case 4: return (0..<Int.random(in: 0...3, using: &generator)).map { _ in randomValue(depth: depth + 1) }
            default:
                return Dictionary((0..<Int.random(in: 0...3, using: &generator)).map {
                    ("k\($0)" + randomString(), randomValue(depth: depth + 1))
                }, uniquingKeysWith: { first, _ in first })
            }
        }
        for _ in 0..<300 {
            let id = randomString(), text = randomString()
            let object: [String: Any] = ["id": id, "text": text, "extra": randomValue(depth: 0)]
            let data = try JSONSerialization.data(withJSONObject: object)
            let record = try JSONRecord.decode(Array(data)[...]).get()
            #expect(record.fields[.id] == .string(id))
            #expect(record.fields[.text] == .string(text))
        }
    }
}
