/// The JSON grammar (RFC 8259) over one line's bytes, keeping only what `JSONRecord` needs: the
/// known fields of the top-level object. Everything else is checked and skipped.
struct JSONParser {
    struct Failure: Error, Equatable {
        var reason: String
    }

    private let bytes: ArraySlice<UInt8>
    private var position: Int
    /// A raw control byte in any string: the line is not strict JSON, whichever value it is in.
    private var hadUnescapedControlCharacters = false

    init(_ bytes: ArraySlice<UInt8>) {
        self.bytes = bytes
        position = bytes.startIndex
    }

    // MARK: The record

    /// The line as a record: one object and nothing after it but whitespace.
    mutating func record() throws(Failure) -> JSONRecord {
        skipWhitespace()
        guard current == UInt8(ascii: "{") else {
            // A well-formed value that is not an object is told apart from a malformed line.
            try skipValue(enclosingDepth: 0)
            try expectEnd()
            throw Failure(reason: "not a JSON object")
        }
        var record = JSONRecord()
        var seen: [JSONRecord.Field] = []
        var repeated: JSONRecord.Field?
        position += 1
        skipWhitespace()
        if current == UInt8(ascii: "}") {
            position += 1
        } else {
            while true {
                skipWhitespace()
                guard current == UInt8(ascii: "\"") else { throw unexpected(expecting: "a key") }
                let key = try string(keep: true).text
                skipWhitespace()
                try expect(UInt8(ascii: ":"), "':' after a key")
                skipWhitespace()
                if let field = key.flatMap(JSONRecord.Field.init(rawValue:)) {
                    if seen.contains(field) { repeated = repeated ?? field } else { seen.append(field) }
                    try value(of: field, into: &record)
                } else {
                    try skipValue(enclosingDepth: 1)
                }
                skipWhitespace()
                if current == UInt8(ascii: ",") {
                    position += 1
                } else if current == UInt8(ascii: "}") {
                    position += 1
                    break
                } else {
                    throw unexpected(expecting: "',' or '}'")
                }
            }
        }
        try expectEnd()
        // Which of two values was meant cannot be known; taking either would be a silent guess.
        if let repeated { throw Failure(reason: "\"\(repeated.rawValue)\" given twice") }
        record.hadUnescapedControlCharacters = hadUnescapedControlCharacters
        return record
    }

    /// A known field's value, typed loosely; `null` counts as absent.
    private mutating func value(of field: JSONRecord.Field, into record: inout JSONRecord) throws(Failure) {
        guard let first = current else { throw unexpected(expecting: "a value") }
        switch first {
        case UInt8(ascii: "\""):
            let string = try string(keep: true)
            record.fields[field] = .string(string.text ?? "")
            record.controls[field] = string.controls.isEmpty ? nil : string.controls
            // Only a value that is used counts as repaired: a key or a skipped value is not.
            if string.hadInvalidUTF8 { record.hadInvalidUTF8 = true }
            if string.hadLoneSurrogates { record.hadLoneSurrogates = true }
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            let start = position
            try number()
            record.fields[field] = .number(String(decoding: bytes[start..<position], as: UTF8.self))
        case UInt8(ascii: "n"):
            try literal("null")
            record.fields[field] = nil
        case UInt8(ascii: "t"), UInt8(ascii: "f"):
            try skipValue(enclosingDepth: 1)
            record.fields[field] = .other("a boolean")
        case UInt8(ascii: "["):
            try skipValue(enclosingDepth: 1)
            record.fields[field] = .other("an array")
        case UInt8(ascii: "{"):
            try skipValue(enclosingDepth: 1)
            record.fields[field] = .other("an object")
        default:
            throw unexpected(expecting: "a value")
        }
    }

    // MARK: Values

    /// Skips one value of any kind. An explicit stack of the open containers replaces recursion,
    /// so that no nesting, however deep, can overflow the thread's stack.
    private mutating func skipValue(enclosingDepth: Int) throws(Failure) {
        var closers: [UInt8] = []
        while true {
            // A value starts here.
            skipWhitespace()
            guard let first = current else { throw unexpected(expecting: "a value") }
            switch first {
            case UInt8(ascii: "{"), UInt8(ascii: "["):
                guard enclosingDepth + closers.count < JSONRecord.maximumDepth else {
                    throw Failure(reason: "malformed JSON: nested deeper than \(JSONRecord.maximumDepth) levels at byte \(column)")
                }
                let closer = first == UInt8(ascii: "{") ? UInt8(ascii: "}") : UInt8(ascii: "]")
                position += 1
                skipWhitespace()
                if current == closer {
                    position += 1
                } else {
                    closers.append(closer)
                    if closer == UInt8(ascii: "}") { try key() }
                    continue
                }
            case UInt8(ascii: "\""):
                _ = try string(keep: false)
            case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
                try number()
            case UInt8(ascii: "t"): try literal("true")
            case UInt8(ascii: "f"): try literal("false")
            case UInt8(ascii: "n"): try literal("null")
            default:
                throw unexpected(expecting: "a value")
            }
            // A value ended: close the containers it completes, or go on to the next element.
            var nextElement = false
            while !nextElement, let closer = closers.last {
                skipWhitespace()
                if current == UInt8(ascii: ",") {
                    position += 1
                    if closer == UInt8(ascii: "}") { try key() }
                    nextElement = true
                } else if current == closer {
                    position += 1
                    closers.removeLast()
                } else {
                    throw unexpected(expecting: closer == UInt8(ascii: "}") ? "',' or '}'" : "',' or ']'")
                }
            }
            if !nextElement { return }
        }
    }

    /// An object member's key and its colon, inside a skipped value.
    private mutating func key() throws(Failure) {
        skipWhitespace()
        guard current == UInt8(ascii: "\"") else { throw unexpected(expecting: "a key") }
        _ = try string(keep: false)
        skipWhitespace()
        try expect(UInt8(ascii: ":"), "':' after a key")
    }

    /// A string as read: with `keep`, its text, else only what is known without decoding it.
    private struct StringValue {
        var text: String?
        var controls: JSONRecord.Controls = []
        /// Bytes that are not UTF-8 became U+FFFD (as `String(decoding:as:)` replaces them).
        var hadInvalidUTF8 = false
        /// A `\u` escape of half a surrogate pair became U+FFFD.
        var hadLoneSurrogates = false
    }

    /// A string from its opening quote. One that is not kept is not checked for invalid UTF-8.
    private mutating func string(keep: Bool) throws(Failure) -> StringValue {
        let opening = position
        position += 1
        var string = StringValue()
        // Runs without escapes are copied whole; `unescaped` is needed only once an escape shows.
        var runStart = position
        var unescaped: [UInt8]?
        while position < bytes.endIndex {
            position = Self.endOfPlainRun(in: bytes, from: position)
            guard position < bytes.endIndex else { break }
            let byte = bytes[position]
            if byte == UInt8(ascii: "\"") {
                defer { position += 1 }
                guard keep else { return string }
                if unescaped == nil {
                    // No escape: the line's own bytes are the string's, used without a copy.
                    string.text = Self.text(bytes[runStart..<position], repairing: &string.hadInvalidUTF8)
                } else {
                    unescaped!.append(contentsOf: bytes[runStart..<position])
                    string.text = Self.text(unescaped![...], repairing: &string.hadInvalidUTF8)
                }
                return string
            }
            if byte == UInt8(ascii: "\\") {
                if keep {
                    if unescaped == nil { unescaped = [] }
                    unescaped!.append(contentsOf: bytes[runStart..<position])
                }
                let (scalar, lone) = try escape()
                string.controls.formUnion(Self.controls(scalar))
                if lone { string.hadLoneSurrogates = true }
                // Never a surrogate, which `escape` turns into U+FFFD: always a scalar.
                if keep { UTF8.encode(Unicode.Scalar(scalar)!) { unescaped!.append($0) } }
                runStart = position
                continue
            }
            if byte < 0x20 { hadUnescapedControlCharacters = true }
            if ControlCharacters.isControl(byte) { string.controls.formUnion(Self.controls(UInt32(byte))) }
            position += 1
        }
        position = opening
        throw Failure(reason: "malformed JSON: the line ends inside the string that starts at byte \(column)")
    }

    /// The index of the first byte at or after `start` that a string's plain run stops at: a
    /// quote, a backslash, a control byte or DEL (`bytes.endIndex` if none). Texts are most of
    /// every line, so this looks at eight bytes at a time, and finds the byte itself one by one.
    static func endOfPlainRun(in bytes: ArraySlice<UInt8>, from start: Int) -> Int {
        precondition(start >= bytes.startIndex && start <= bytes.endIndex)
        let offset = bytes.withUnsafeBytes { buffer in
            var offset = start - bytes.startIndex
            // Per byte of the word, the high bit of `(x - 1) & ~x` is set where x is 0 (and
            // perhaps above a byte that was: only the first match matters, found below).
            let ones: UInt64 = 0x0101_0101_0101_0101, highBits: UInt64 = 0x8080_8080_8080_8080
            while offset + 8 <= buffer.count {
                let word = buffer.loadUnaligned(fromByteOffset: offset, as: UInt64.self)
                let quote = word ^ (ones &* 0x22), backslash = word ^ (ones &* 0x5C), del = word ^ (ones &* 0x7F)
                let stops = ((quote &- ones) & ~quote) | ((backslash &- ones) & ~backslash)
                    | ((del &- ones) & ~del) | ((word &- ones &* 0x20) & ~word)
                if stops & highBits != 0 { break }
                offset += 8
            }
            while offset < buffer.count, !isRunStop(buffer[offset]) { offset += 1 }
            return offset
        }
        return bytes.startIndex + offset
    }

    private static func isRunStop(_ byte: UInt8) -> Bool {
        byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") || byte < 0x20 || byte == 0x7F
    }

    /// `utf8` as a string, invalid UTF-8 made U+FFFD as `String(decoding:as:)` replaces it.
    private static func text(_ utf8: ArraySlice<UInt8>, repairing repaired: inout Bool) -> String {
        if let valid = String(validating: utf8, as: UTF8.self) { return valid }
        repaired = true
        return String(decoding: utf8, as: UTF8.self)
    }

    private static func controls(_ scalar: UInt32) -> JSONRecord.Controls {
        guard scalar < 0x80, ControlCharacters.isControl(UInt8(scalar)) else { return [] }
        return ControlCharacters.isStray(UInt8(scalar)) ? .other : .lineBreaksAndTabs
    }

    /// One escape sequence from its backslash: the scalar it stands for, and whether that is
    /// U+FFFD for half a surrogate pair.
    private mutating func escape() throws(Failure) -> (scalar: UInt32, lone: Bool) {
        let start = position
        position += 1
        guard let letter = current else {
            position = start
            throw Failure(reason: "malformed JSON: the line ends inside the escape at byte \(column)")
        }
        position += 1
        switch letter {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): return (UInt32(letter), false)
        case UInt8(ascii: "b"): return (0x08, false)
        case UInt8(ascii: "f"): return (0x0C, false)
        case UInt8(ascii: "n"): return (0x0A, false)
        case UInt8(ascii: "r"): return (0x0D, false)
        case UInt8(ascii: "t"): return (0x09, false)
        case UInt8(ascii: "u"): break
        default:
            position = start
            throw Failure(reason: "malformed JSON: invalid escape \(Self.describe(letter, after: "\\")) at byte \(column)")
        }
        let unit = try hexDigits(escapeStart: start)
        switch unit {
        case 0xD800...0xDBFF:
            // A high surrogate stands for a scalar only with a low one right after it.
            let next = position
            if next + 1 < bytes.endIndex, bytes[next] == UInt8(ascii: "\\"), bytes[next + 1] == UInt8(ascii: "u") {
                position += 2
                let low = try hexDigits(escapeStart: next)
                if (0xDC00...0xDFFF).contains(low) {
                    return (0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00), false)
                }
                position = next
            }
            return (0xFFFD, true)
        case 0xDC00...0xDFFF:
            return (0xFFFD, true)
        default:
            return (unit, false)
        }
    }

    /// The four hex digits of a `\u` escape that starts at `escapeStart`.
    private mutating func hexDigits(escapeStart: Int) throws(Failure) -> UInt32 {
        var unit: UInt32 = 0
        for _ in 0..<4 {
            guard let byte = current, let digit = Self.hexValue(byte) else {
                position = escapeStart
                throw Failure(reason: "malformed JSON: \\u without four hex digits at byte \(column)")
            }
            unit = unit << 4 | digit
            position += 1
        }
        return unit
    }

    private static func hexValue(_ byte: UInt8) -> UInt32? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return UInt32(byte - UInt8(ascii: "0"))
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return UInt32(byte - UInt8(ascii: "a") + 10)
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return UInt32(byte - UInt8(ascii: "A") + 10)
        default: return nil
        }
    }

    /// A number as RFC 8259 writes it: `-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?`.
    /// What may follow it (no second leading zero, for one) is the caller's check.
    private mutating func number() throws(Failure) {
        if current == UInt8(ascii: "-") { position += 1 }
        if current == UInt8(ascii: "0") {
            position += 1
        } else {
            try digits()
        }
        if current == UInt8(ascii: ".") {
            position += 1
            try digits()
        }
        if current == UInt8(ascii: "e") || current == UInt8(ascii: "E") {
            position += 1
            if current == UInt8(ascii: "+") || current == UInt8(ascii: "-") { position += 1 }
            try digits()
        }
    }

    /// One digit or more.
    private mutating func digits() throws(Failure) {
        guard let byte = current, Self.isDigit(byte) else { throw unexpected(expecting: "a digit") }
        while let byte = current, Self.isDigit(byte) { position += 1 }
    }

    private static func isDigit(_ byte: UInt8) -> Bool {
        byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")
    }

    private mutating func literal(_ word: String) throws(Failure) {
        let start = position
        for expected in word.utf8 {
            guard current == expected else {
                position = start
                throw unexpected(expecting: "a value")
            }
            position += 1
        }
    }

    // MARK: Bytes

    private var current: UInt8? { position < bytes.endIndex ? bytes[position] : nil }

    /// 1-based, in bytes from the start of the line.
    private var column: Int { position - bytes.startIndex + 1 }

    private mutating func skipWhitespace() {
        while let byte = current, byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D {
            position += 1
        }
    }

    private mutating func expect(_ byte: UInt8, _ what: String) throws(Failure) {
        guard current == byte else { throw unexpected(expecting: what) }
        position += 1
    }

    private mutating func expectEnd() throws(Failure) {
        skipWhitespace()
        guard let byte = current else { return }
        throw Failure(reason: "malformed JSON: \(Self.describe(byte)) after the end of the value at byte \(column)")
    }

    private func unexpected(expecting what: String) -> Failure {
        guard let byte = current else {
            return Failure(reason: "malformed JSON: the line ends where \(what) should follow")
        }
        return Failure(reason: "malformed JSON: \(Self.describe(byte)) at byte \(column) where \(what) should be")
    }

    /// A byte for a message: printable ASCII as itself, anything else by number.
    private static func describe(_ byte: UInt8, after prefix: String = "") -> String {
        switch byte {
        case 0x21...0x7E: return "'\(prefix)\(Character(Unicode.Scalar(byte)))'"
        case 0x20: return "a space"
        case ..<0x80: return "control character \(ControlCharacters.name(byte))"
        default: return "byte 0x\(String(byte, radix: 16, uppercase: true))"
        }
    }
}
