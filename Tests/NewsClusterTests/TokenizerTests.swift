import Testing
@testable import NewsCluster

/// Tokens of raw bytes, which may be invalid UTF-8 (a `String` would already have repaired them).
private func tokens(ofBytes bytes: [UInt8]) -> [String] {
    var result: [String] = []
    var scripts = Tokenizer.ScriptCounts()
    bytes.withUnsafeBufferPointer { buffer in
        Tokenizer.scan(buffer, scripts: &scripts) { hash, token in
            #expect(hash == Tokenizer.hash(token))
            result.append(String(decoding: token, as: UTF8.self))
        }
    }
    return result
}

private func hashOf(_ text: String) -> UInt64 {
    Array(text.utf8).withUnsafeBufferPointer(Tokenizer.hash)
}

@Suite("Tokenizer")
struct TokenizerTests {
    let tokenizer = Tokenizer()

    @Test func latinWordsAreFoldedAndSplitOnPunctuation() {
        #expect(tokenizer.tokens(in: "Hello, WORLD! The Quick-Brown fox.") ==
                ["hello", "world", "the", "quick", "brown", "fox"])
    }

    @Test func cyrillicIsCaseFolded() {
        #expect(tokenizer.tokens(in: "ПРИВІТ Світе МОСКВА") == ["привіт", "світе", "москва"])
    }

    @Test("Ukrainian letters fold: Ґ→ґ, Ї→ї, Є→є, І→і")
    func ukrainianLettersFold() {
        #expect(tokenizer.tokens(in: "ҐАНОК ЇЖАК ЄВРОПА ІНША") == ["ґанок", "їжак", "європа", "інша"])
        // Each capital is exactly its small letter after folding.
        #expect(tokenizer.tokens(in: "ҐҐ ЇЇ ЄЄ ІІ") == ["ґґ", "її", "єє", "іі"])
        #expect(tokenizer.tokens(in: "Ґрунт") == tokenizer.tokens(in: "ґрунт"))
    }

    @Test("Russian ё is read as е, in both cases")
    func russianYoIsE() {
        #expect(tokenizer.tokens(in: "Ёлка ещё ЁЖ") == ["елка", "еще", "еж"])
    }

    @Test("ASCII ', U+2019 and U+02BC inside a word give the same token with ASCII '")
    func apostrophesInsideWords() {
        let ascii = tokenizer.tokens(in: "м'ясо")
        #expect(ascii == ["м'ясо"])
        #expect(tokenizer.tokens(in: "м\u{2019}ясо") == ascii)
        #expect(tokenizer.tokens(in: "м\u{02BC}ясо") == ascii)
        #expect(tokenizer.tokens(in: "п\u{2019}ять") == ["п'ять"])
        #expect(tokenizer.tokens(in: "П\u{02BC}ЯТЬ") == ["п'ять"])
        #expect(tokenizer.tokens(in: "don't rock'n'roll") == ["don't", "rock'n'roll"])
    }

    @Test func apostrophesAtWordEdgesSeparate() {
        #expect(tokenizer.tokens(in: "'quoted' words'") == ["quoted", "words"])
        // Two apostrophes in a row end the word.
        #expect(tokenizer.tokens(in: "ab''cd") == ["ab", "cd"])
    }

    @Test func englishPossessiveIsDropped() {
        #expect(tokenizer.tokens(in: "Kyrgyzstan's") == ["kyrgyzstan"])
        #expect(tokenizer.tokens(in: "Kyrgyzstan\u{2019}s economy") == ["kyrgyzstan", "economy"])
        #expect(tokenizer.tokens(in: "KYRGYZSTAN'S") == ["kyrgyzstan"])
    }

    @Test func digitGroupsJoinAcrossCommaAndPeriod() {
        #expect(tokenizer.tokens(in: "1,600") == ["1.600"])
        #expect(tokenizer.tokens(in: "1.600") == ["1.600"])
        #expect(tokenizer.tokens(in: "about 1,600,000 people") == ["about", "1.600.000", "people"])
        // A comma after a number that is not followed by a digit separates.
        #expect(tokenizer.tokens(in: "in 2024, 35 people") == ["in", "2024", "35", "people"])
        #expect(tokenizer.tokens(in: "ends 1,600.") == ["ends", "1.600"])
        // Commas between words do not join.
        #expect(tokenizer.tokens(in: "ab,cd") == ["ab", "cd"])
    }

    @Test func singleScalarTokensAreDropped() {
        #expect(tokenizer.tokens(in: "a I x 7 я ї") == [])
        #expect(tokenizer.tokens(in: "a bc d 42") == ["bc", "42"])
    }

    @Test func softHyphenAndCombiningStressAreIgnoredInsideWords() {
        #expect(tokenizer.tokens(in: "news\u{00AD}paper") == ["newspaper"])
        #expect(tokenizer.tokens(in: "моло\u{0301}ко") == ["молоко"])
        #expect(tokenizer.tokens(in: "зам\u{0301}ок за\u{0301}мок") == ["замок", "замок"])
        #expect(tokenizer.tokens(in: "zero\u{200B}width") == ["zerowidth"])
    }

    @Test func emojiAndPunctuationSeparateTokens() {
        #expect(tokenizer.tokens(in: "hello😀world") == ["hello", "world"])
        #expect(tokenizer.tokens(in: "foo—bar…baz«qux»") == ["foo", "bar", "baz", "qux"])
        #expect(tokenizer.tokens(in: "a+b=cd;ef/gh") == ["cd", "ef", "gh"])
        #expect(tokenizer.tokens(in: "👍🏽🇺🇦") == [])
    }

    @Test func invalidUTF8BytesSeparateTokens() {
        // A stray byte, a truncated 2-byte sequence, a lone continuation byte, an encoded
        // surrogate and a truncated sequence at the very end.
        let bytes: [UInt8] = Array("abc".utf8) + [0xFF] + Array("def".utf8) + [0xC3] + Array("gh".utf8)
            + [0x80] + Array("ij".utf8) + [0xED, 0xA0, 0x80] + Array("kl".utf8) + [0xE2, 0x80]
        #expect(tokens(ofBytes: bytes) == ["abc", "def", "gh", "ij", "kl"])
        #expect(tokens(ofBytes: [0xF0, 0x9F]) == [])
        #expect(tokens(ofBytes: []) == [])
    }

    @Test func randomBytesNeverCrashAndGiveValidTokens() {
        var generator = SeededGenerator(seed: 7)
        for _ in 0..<300 {
            let length = Int.random(in: 0..<200, using: &generator)
            let alphabet: [UInt8] = [0x41, 0x61, 0x27, 0x2C, 0x31, 0x20, 0x80, 0xBF, 0xC3, 0xD0, 0xE2, 0xF0, 0xFF]
            let bytes = (0..<length).map { _ in
                Bool.random(using: &generator) ? alphabet.randomElement(using: &generator)!
                    : UInt8.random(in: 0...255, using: &generator)
            }
            var scripts = Tokenizer.ScriptCounts()
            bytes.withUnsafeBufferPointer { buffer in
                Tokenizer.scan(buffer, scripts: &scripts) { hash, token in
                    #expect(token.count >= 2 && token.count <= Tokenizer.maximumTokenBytes)
                    #expect(String(validating: token, as: UTF8.self) != nil)
                    #expect(hash == Tokenizer.hash(token))
                }
            }
        }
    }

    @Test func latin1AccentsFold() {
        #expect(tokenizer.tokens(in: "ÉCOLE Ça ÄÖÜ Ñandú") == ["école", "ça", "äöü", "ñandú"])
        #expect(tokenizer.tokens(in: "É") == [])
    }

    @Test func veryLongTokensAreSkipped() {
        let limit = Tokenizer.maximumTokenBytes
        #expect(tokenizer.tokens(in: String(repeating: "a", count: limit)) == [String(repeating: "a", count: limit)])
        #expect(tokenizer.tokens(in: String(repeating: "a", count: limit + 1)) == [])
        #expect(tokenizer.tokens(in: String(repeating: "x", count: 500) + " next") == ["next"])
        // Two-byte letters: 48 fit in 96 bytes, 49 do not.
        #expect(tokenizer.tokens(in: String(repeating: "я", count: limit / 2)).count == 1)
        #expect(tokenizer.tokens(in: String(repeating: "я", count: limit / 2 + 1)) == [])
    }

    @Test func tokenHashIsHashOfFoldedBytes() {
        var seen: [(UInt64, String)] = []
        var scripts = Tokenizer.ScriptCounts()
        tokenizer.forEachToken(in: "Ґанок М’ЯСО Kyrgyzstan's 1,600 École", scripts: &scripts) { hash, bytes in
            #expect(hash == Tokenizer.hash(bytes))
            seen.append((hash, String(decoding: bytes, as: UTF8.self)))
        }
        #expect(seen.map(\.1) == ["ґанок", "м'ясо", "kyrgyzstan", "1.600", "école"])
        for (hash, text) in seen { #expect(hash == hashOf(text)) }
    }

    @Test("FNV-1a 64 reference values")
    func hashReferenceValues() {
        #expect(hashOf("") == 0xcbf2_9ce4_8422_2325)
        #expect(hashOf("a") == 0xaf63_dc4c_8601_ec8c)
        #expect(hashOf("foobar") == 0x8594_4171_f739_67e8)
    }

    @Test func scriptCountsPickTheDominantScript() {
        var scripts = Tokenizer.ScriptCounts()
        tokenizer.forEachToken(in: "Привіт world 42", scripts: &scripts) { _, _ in }
        #expect(scripts.cyrillic == 6)
        #expect(scripts.latin == 5)
        #expect(scripts.dominant == "cyrl")
        var latin = Tokenizer.ScriptCounts()
        tokenizer.forEachToken(in: "Hello мир", scripts: &latin) { _, _ in }
        #expect(latin.dominant == "latn")
        var greek = Tokenizer.ScriptCounts()
        tokenizer.forEachToken(in: "Καλημέρα κόσμε", scripts: &greek) { _, _ in }
        #expect(greek.dominant == "other")
    }
}
