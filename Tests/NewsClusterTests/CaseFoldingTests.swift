import Testing
@testable import NewsCluster

private func folded(_ scalar: UInt32) throws -> (UInt32, CaseFolding.Class) {
    try #require(CaseFolding.table.indices.contains(Int(scalar)))
    let entry = CaseFolding.table[Int(scalar)]
    return (entry & 0x1F_FFFF, try #require(CaseFolding.Class(rawValue: UInt8(entry >> 24))))
}

@Suite("CaseFolding")
struct CaseFoldingTests {
    @Test func tableCoversTwoByteUTF8() {
        #expect(CaseFolding.table.count == 0x800)
    }

    @Test func tableAgreesWithClassify() throws {
        try #require(CaseFolding.table.count == 0x800)
        for value in UInt32(0)..<0x800 {
            let (fold, kind) = CaseFolding.classify(value)
            #expect(CaseFolding.table[Int(value)] == fold | UInt32(kind.rawValue) << 24)
        }
    }

    @Test(arguments: [
        (UInt32(0x41), UInt32(0x61)),    // A → a
        (0xC9, 0xE9),                    // É → é
        (0x490, 0x491),                  // Ґ → ґ
        (0x407, 0x457),                  // Ї → ї
        (0x404, 0x454),                  // Є → є
        (0x406, 0x456),                  // І → і
        (0x401, 0x435),                  // Ё → е
        (0x451, 0x435),                  // ё → е
        (0x3A3, 0x3C3),                  // Σ → σ
        (0x61, 0x61),                    // a stays
        (0x35, 0x35),                    // digit 5 stays
    ])
    func lettersFoldToLowercase(scalar: UInt32, expected: UInt32) throws {
        let (fold, kind) = try folded(scalar)
        #expect(kind == .wordCharacter)
        #expect(fold == expected)
    }

    @Test func apostrophesAreOneClassFoldedToASCII() {
        for value: UInt32 in [0x27, 0x2BC, 0x2019] {
            let (fold, kind) = CaseFolding.classify(value)
            #expect(kind == .apostrophe)
            #expect(fold == 0x27)
        }
    }

    @Test func ignorables() {
        for value: UInt32 in [0xAD, 0x300, 0x301, 0x36F, 0x200B, 0x200D, 0xFEFF] {
            #expect(CaseFolding.classify(value).1 == .ignorable)
        }
    }

    @Test func separators() {
        for value: UInt32 in [0x20, 0x2C, 0x2E, 0x21, 0x0A, 0xA0, 0x2014, 0x1F600, 0xD800] {
            #expect(CaseFolding.classify(value).1 == .separator)
        }
    }

    @Test func lettersAboveTheTableUseTheSlowPath() {
        // CJK ideograph: a word character that has no case.
        #expect(CaseFolding.classify(0x4E2D) == (0x4E2D, .wordCharacter))
        // Fullwidth Ａ → ａ.
        #expect(CaseFolding.classify(0xFF21) == (0xFF41, .wordCharacter))
    }
}
