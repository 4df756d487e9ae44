/// C0 control characters and DEL in input strings. Scrapers leave NULs, escape sequences and
/// form feeds in pages; JSON lets any of them through as `\u0000`-style escapes.
enum ControlCharacters {
    /// A control character other than tab, line feed and carriage return: it is never part of a
    /// text, and the tokenizer would take it for a separator anyway.
    static func isStray(_ byte: UInt8) -> Bool {
        isControl(byte) && byte != 0x09 && byte != 0x0A && byte != 0x0D
    }

    /// Any C0 control character or DEL, tab and line breaks included.
    static func isControl(_ byte: UInt8) -> Bool {
        byte < 0x20 || byte == 0x7F
    }

    /// A control character's name in messages, as `U+001B`.
    static func name(_ byte: UInt8) -> String {
        let digits = String(byte, radix: 16, uppercase: true)
        return "U+00" + (digits.count < 2 ? "0" : "") + digits
    }

    /// `text` with each stray control character replaced by a space, or nil when it has none.
    /// Byte for byte: an ASCII byte is never inside a multi-byte sequence, so the UTF-8 stays
    /// valid and every other character stays where it was.
    static func replacingStray(in text: String) -> String? {
        guard text.utf8.contains(where: isStray) else { return nil }
        return String(decoding: text.utf8.map { isStray($0) ? 0x20 : $0 }, as: UTF8.self)
    }

    /// The first control character of `text`, tab and line breaks included, as `U+XXXX`.
    static func first(in text: String) -> String? {
        text.utf8.first(where: isControl).map(name)
    }
}
