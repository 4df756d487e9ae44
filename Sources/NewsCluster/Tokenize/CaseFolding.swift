/// Table-driven case folding for every scalar below U+0800 (one- and two-byte UTF-8: ASCII,
/// Latin-1, Latin Extended, IPA, Greek, Cyrillic incl. Ukrainian, Armenian, Hebrew, Arabic).
///
/// The table is built once from Unicode properties, so the tokenizer's hot loop does one array
/// load per scalar instead of `Character` or `String.lowercased()` work (see DESIGN.md: those
/// run at ~10–14 MB/s here).
enum CaseFolding {
    /// What a scalar is to the tokenizer.
    enum Class: UInt8 {
        case separator = 0
        case wordCharacter = 1
        /// Joins two letters inside a word: `'`, `’`, `ʼ` (Ukrainian `м'ясо`, English `don't`).
        case apostrophe = 2
        /// Invisible inside words: soft hyphen, combining accents (Russian stress marks),
        /// zero-width joiners.
        case ignorable = 3
    }

    /// For scalar `s < 0x800`: `table[s]` = folded scalar in the low 21 bits, class above.
    static let table: [UInt32] = (0..<0x800).map { value in entry(for: UInt32(value)) }

    static let apostrophe: UInt32 = 0x27

    static func entry(for value: UInt32) -> UInt32 {
        let (folded, kind) = classify(value)
        return folded | UInt32(kind.rawValue) << 24
    }

    /// The class and folded form of any scalar; the slow path for scalars above U+07FF.
    static func classify(_ value: UInt32) -> (UInt32, Class) {
        switch value {
        case 0x27, 0x2BC, 0x2019: return (apostrophe, .apostrophe)
        case 0xAD, 0x200B, 0x200C, 0x200D, 0x2060, 0xFEFF: return (value, .ignorable)
        case 0x300...0x36F: return (value, .ignorable)
        // Russian texts write ё and е interchangeably.
        case 0x401, 0x451: return (0x435, .wordCharacter)
        default: break
        }
        guard let scalar = Unicode.Scalar(value) else { return (value, .separator) }
        let properties = scalar.properties
        guard properties.isAlphabetic || properties.numericType != nil else {
            return (value, .separator)
        }
        let lower = properties.lowercaseMapping.unicodeScalars
        if lower.count == 1, let only = lower.first { return (only.value, .wordCharacter) }
        return (value, .wordCharacter)
    }
}
