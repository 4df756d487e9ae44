/// One JSONL line parsed leniently: the known fields of its object, each typed loosely, so that
/// the reader can say precisely what is wrong with a record instead of "cannot decode".
///
/// `JSONParser` rather than `JSONDecoder`, which checks a string or a number only when its
/// field is decoded: an unescaped control character in `text` came out as "text is an object",
/// a 20-digit id lost digits through `Double`, and every malformed line got the same "not valid
/// JSON". The parser checks the whole line in one pass without recursion (nesting costs heap,
/// never stack), keeps a number as written, names the byte where the JSON goes wrong, and
/// decodes article lines more than twice as fast (release build, with or without `\u` escapes).
struct JSONRecord {
    enum Field: String, CaseIterable { case id, text, title, url, source, published, language }

    /// A field's value when present: a string, a number as written, or a wrong type.
    enum Value: Equatable {
        case string(String)
        case number(String)
        case other(String)
    }

    /// Which control characters a string holds (escaped or not).
    struct Controls: OptionSet, Equatable {
        let rawValue: UInt8
        /// Tab, line feed or carriage return: ordinary in a text, wrong in an id.
        static let lineBreaksAndTabs = Controls(rawValue: 1)
        /// Any other C0 control character, or DEL.
        static let other = Controls(rawValue: 2)
    }

    var fields: [Field: Value] = [:]
    /// The control characters of each string field that holds any.
    var controls: [Field: Controls] = [:]
    /// Strict JSON forbids a raw control byte inside a string; such a line is read as if the
    /// byte had been escaped.
    var hadUnescapedControlCharacters = false
    /// In a field's string, a `\u` escape of half a surrogate pair, which no UTF-8 string can
    /// hold, became U+FFFD.
    var hadLoneSurrogates = false
    /// In a field's string, bytes that are not UTF-8 became U+FFFD (as `String(decoding:as:)`
    /// replaces them). Outside strings such bytes make the line malformed.
    var hadInvalidUTF8 = false

    /// Deeper nesting is rejected: no article needs it, and a line of 100,000 `[` is an attack
    /// or a broken writer, not data.
    static let maximumDepth = 512

    /// Parses `line`; the rejection says why it is not a usable JSON object.
    static func decode(_ line: ArraySlice<UInt8>) -> Result<JSONRecord, Rejection> {
        var parser = JSONParser(line)
        do {
            return .success(try parser.record())
        } catch {
            return .failure(Rejection(error.reason))
        }
    }
}

/// Why a record is not in the output.
struct Rejection: Error, Equatable {
    var reason: String
    init(_ reason: String) { self.reason = reason }
}
