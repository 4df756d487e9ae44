import Testing
@testable import NewsCluster

/// Tokens of raw bytes, which may be invalid UTF-8 (a `String` would already have repaired them).
private func tokens(ofBytes bytes: [UInt8]) -> [String] {
    var result: [String] = []
    var scripts = Tokenizer.ScriptCounts()
    bytes.withUnsafeBufferPointer { buffer in
        Tokenizer.scan(buffer, scripts: &scripts) { hash, token, _ in
            #expect(hash == Tokenizer.hash(token))
            result.append(String(decoding: token, as: UTF8.self))
        }
    }
    return result
}

private func hashOf(_ text: String) -> UInt64 {
    Array(text.utf8).withUnsafeBufferPointer(Tokenizer.hash)
}

/// Tokens of `text` with how each was written, in order.
/// Tokens with their casing flags; `.lineStart` is left out unless `lines` (tested on its own).
private func casings(_ text: String, lines: Bool = false) -> [(token: String, casing: Tokenizer.Casing)] {
    var result: [(String, Tokenizer.Casing)] = []
    var scripts = Tokenizer.ScriptCounts()
    Tokenizer().forEachToken(in: text, scripts: &scripts, withCasing: { hash, bytes, casing in
        #expect(hash == Tokenizer.hash(bytes))
        var casing = casing
        if !lines { casing.remove(.lineStart) }
        result.append((String(decoding: bytes, as: UTF8.self), casing))
    })
    return result
}

/// The casing of `token`'s occurrences in `text`.
private func casing(of token: String, in text: String) -> [Tokenizer.Casing] {
    casings(text).filter { $0.token == token }.map(\.casing)
}

private let capitalized = Tokenizer.Casing.capitalized
private let sentenceStart = Tokenizer.Casing.sentenceStart
private let numeric = Tokenizer.Casing.numeric

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
                Tokenizer.scan(buffer, scripts: &scripts) { hash, token, _ in
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

    @Test func wordsMixingASCIIAndTwoByteLettersFoldAsOneToken() {
        #expect(tokens(ofBytes: Array("McDONALD’s ПутИн naïveTÉ ǅemal".utf8)) == ["mcdonald", "путин", "naïveté", "ǆemal"])
        // The byte limit holds wherever a run of letters crosses it.
        let limit = Tokenizer.maximumTokenBytes
        let cyrillic = String(repeating: "Я", count: (limit - 1) / 2)
        #expect(tokens(ofBytes: Array(("a" + cyrillic).utf8)).count == 1)
        #expect(tokens(ofBytes: Array(("ab" + cyrillic).utf8)).count == (limit % 2 == 0 ? 1 : 0))
        #expect(tokens(ofBytes: Array(("abc" + cyrillic + " ok").utf8)) == ["ok"])
        #expect(tokens(ofBytes: Array((cyrillic + "ABC" + " ok").utf8)) == ["ok"])
    }

    @Test func aHashContinuedOverTheRestIsTheHashOfTheWhole() {
        let whole = Array("Бішкек, 2020".utf8)
        for cut in 0...whole.count {
            let first = Array(whole[..<cut]).withUnsafeBufferPointer(Tokenizer.hash)
            let continued = Array(whole[cut...]).withUnsafeBufferPointer { Tokenizer.hash($0, continuing: first) }
            #expect(continued == whole.withUnsafeBufferPointer(Tokenizer.hash))
        }
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

    // MARK: Casing

    @Test func casingFlagsCapitalsSentenceStartsAndNumbers() {
        let text = "The Mayor met obama in Kyiv. Then, Police said 2024 NATO!"
        let got = casings(text)
        #expect(got.map(\.token) == ["the", "mayor", "met", "obama", "in", "kyiv", "then", "police", "said", "2024", "nato"])
        #expect(got.map(\.casing) == [
            [capitalized, sentenceStart], [capitalized], [], [], [], [capitalized],
            [capitalized, sentenceStart], [capitalized], [], [numeric], [capitalized],
        ])
    }

    @Test func sentencesStartAtTheTextAfterStopsAndAfterLineBreaks() {
        // Text start, lower case: sentenceStart only.
        #expect(casing(of: "alpha", in: "alpha beta") == [sentenceStart])
        #expect(casing(of: "beta", in: "alpha beta") == [[]])
        // After . ! ? and …
        #expect(casing(of: "go", in: "Yes! Go now") == [[capitalized, sentenceStart]])
        #expect(casing(of: "why", in: "Really? why not") == [sentenceStart])
        #expect(casing(of: "next", in: "wait\u{2026} Next") == [[capitalized, sentenceStart]])
        #expect(casing(of: "next", in: "ends here.Next") == [[capitalized, sentenceStart]])
        // After \n, \r\n and U+2029, even without a stop.
        #expect(casing(of: "second", in: "first line\nsecond Line") == [sentenceStart])
        #expect(casing(of: "line", in: "first line\nsecond Line") == [[], [capitalized]])
        #expect(casing(of: "second", in: "first line\r\nSecond") == [[capitalized, sentenceStart]])
        #expect(casing(of: "second", in: "first line\u{2029}Second") == [[capitalized, sentenceStart]])
        // Commas, colons, semicolons, dashes and quotes do not open a sentence.
        for separator in [", ", ": ", "; ", " — ", " «", " (", " \""] {
            #expect(casing(of: "kyiv", in: "They said\(separator)Kyiv") == [capitalized], "\(separator)")
        }
        // Spaces and a stop followed by spaces and quotes still open one.
        #expect(casing(of: "kyiv", in: "It ended.  «Kyiv") == [[capitalized, sentenceStart]])
    }

    @Test func aDroppedOneLetterWordStillTakesTheSentenceStart() {
        // "I" opens the sentence (and is dropped as one scalar): "met" does not open it.
        #expect(casings("I met Anna.").map(\.token) == ["met", "anna"])
        #expect(casing(of: "met", in: "I met Anna.") == [[]])
        #expect(casing(of: "anna", in: "I met Anna.") == [capitalized])
        #expect(casing(of: "dog", in: "A Dog barked") == [capitalized])
    }

    @Test func pointsInsideNumbersDoNotOpenASentence() {
        #expect(casing(of: "ukrainians", in: "about 1.600 Ukrainians") == [capitalized])
        #expect(casing(of: "1.600", in: "about 1.600 Ukrainians") == [numeric])
        #expect(casing(of: "then", in: "in 2024. Then") == [[capitalized, sentenceStart]])
        #expect(casing(of: "2024", in: "2024 was a year") == [[numeric, sentenceStart]])
        // Numeric is about the first character only.
        #expect(casing(of: "3d", in: "the 3D printer") == [numeric])
        #expect(casing(of: "a4", in: "the A4 page") == [capitalized])
        #expect(casing(of: "covid19", in: "the covid19 wave") == [[]])
    }

    @Test func capitalizedMeansTheFirstLetter() {
        #expect(casing(of: "iphone", in: "the iPhone") == [[]])
        #expect(casing(of: "mcdonald", in: "the McDonald case") == [capitalized])
        #expect(casing(of: "usa", in: "the USA and") == [capitalized])
        #expect(casing(of: "o'brien", in: "the O'Brien family") == [capitalized])
        #expect(casing(of: "kyrgyzstan", in: "the Kyrgyzstan's economy") == [capitalized])
        #expect(casing(of: "école", in: "the École and école") == [capitalized, []])
    }

    @Test func cyrillicCapitalsAreFlaggedButYoIsNot() {
        let text = "Сьогодні Зеленський заявив про ЄС і Їжака"
        let got = casings(text)
        #expect(got.map(\.token) == ["сьогодні", "зеленський", "заявив", "про", "єс", "їжака"])
        #expect(got.map(\.casing) == [[capitalized, sentenceStart], [capitalized], [], [], [capitalized], [capitalized]])
        // Small ё folds to е but was not written in upper case.
        #expect(casing(of: "елка", in: "ещё ёлка") == [[]])
        #expect(casing(of: "еще", in: "ещё ёлка") == [sentenceStart])
        // Capital Ё is a capital.
        #expect(casing(of: "ежика", in: "про Ёжика") == [capitalized])
        #expect(casing(of: "москва", in: "про Москва и москва") == [capitalized, []])
    }

    @Test func casingVariantGivesTheSameTokensAndHashes() {
        let text = "Ґанок М’ЯСО Kyrgyzstan's 1,600 École. Next line\n中华人民 ok"
        var plain: [(UInt64, String)] = []
        var scripts = Tokenizer.ScriptCounts()
        tokenizer.forEachToken(in: text, scripts: &scripts) { hash, bytes in
            plain.append((hash, String(decoding: bytes, as: UTF8.self)))
        }
        var withCasing = Tokenizer.ScriptCounts()
        let got = casings(text)
        tokenizer.forEachToken(in: text, scripts: &withCasing, withCasing: { _, _, _ in })
        #expect(got.map(\.token) == plain.map(\.1))
        #expect(got.map { hashOf($0.token) } == plain.map(\.0))
        #expect(withCasing == scripts)
    }

    // MARK: Chinese, Japanese, Korean

    @Test func cjkGivesOverlappingTwoCharacterTokens() {
        #expect(tokenizer.tokens(in: "中华人民") == ["中华", "华人", "人民"])
        #expect(tokenizer.tokens(in: "中国") == ["中国"])
        // One character alone gives nothing.
        #expect(tokenizer.tokens(in: "中") == [])
        #expect(tokenizer.tokens(in: "中 国") == [])
        // A space or punctuation ends the run.
        #expect(tokenizer.tokens(in: "中国 日本") == ["中国", "日本"])
        #expect(tokenizer.tokens(in: "中国。日本") == ["中国", "日本"])
        #expect(tokenizer.tokens(in: "中国,日本") == ["中国", "日本"])
        // Extension A.
        #expect(tokenizer.tokens(in: "\u{3400}\u{3401}") == ["\u{3400}\u{3401}"])
    }

    @Test func kanaAndHangulToo() {
        #expect(tokenizer.tokens(in: "ひらがな") == ["ひら", "らが", "がな"])
        #expect(tokenizer.tokens(in: "テレビ") == ["テレ", "レビ"])
        #expect(tokenizer.tokens(in: "東京タワー") == ["東京", "京タ", "タワ", "ワー"])
        #expect(tokenizer.tokens(in: "한국어") == ["한국", "국어"])
        #expect(tokenizer.tokens(in: "서울 시장") == ["서울", "시장"])
    }

    @Test func cjkNextToOtherScripts() {
        #expect(tokenizer.tokens(in: "abc中文def") == ["abc", "中文", "def"])
        #expect(tokenizer.tokens(in: "中文abc") == ["中文", "abc"])
        #expect(tokenizer.tokens(in: "москва中国Київ") == ["москва", "中国", "київ"])
        #expect(tokenizer.tokens(in: "a中b") == [])
        #expect(tokenizer.tokens(in: "2024年中国") == ["2024", "年中", "中国"])
    }

    @Test func cjkTokensAreHashedAndCountedAsOtherScript() {
        let got = tokens(ofBytes: Array("中华人民 한국어".utf8))
        #expect(got == ["中华", "华人", "人民", "한국", "국어"])
        var scripts = Tokenizer.ScriptCounts()
        var hashes: [UInt64] = []
        tokenizer.forEachToken(in: "中华人民", scripts: &scripts) { hash, _ in hashes.append(hash) }
        #expect(hashes == ["中华", "华人", "人民"].map(hashOf))
        #expect(scripts == Tokenizer.ScriptCounts(latin: 0, cyrillic: 0, other: 4))
        #expect(scripts.dominant == "other")
        // Bigrams carry no casing flags, not even at the start of the text.
        #expect(casings("中国").map(\.casing) == [[]])
        #expect(casings("Beijing 中国").map(\.casing) == [[capitalized, sentenceStart], []])
    }

    @Test func aWordAfterCJKTextDoesNotOpenTheText() {
        // "Beijing" neither opens the text, a line nor a sentence here. Known bug: emitting a
        // CJK bigram does not clear the sentence-start state (only `flush()` of a buffered
        // token does), so the first word after CJK text is flagged `.sentenceStart`.
        #expect(casings("中国 Beijing").map(\.casing) == [[], [capitalized]])
        #expect(casings("他说 Apple").map(\.casing) == [[], [capitalized]])
        // After a Latin word the state is cleared as usual.
        #expect(casings("in 中国 Beijing").map(\.casing) == [sentenceStart, [], [capitalized]])
    }

    @Test func anInvalidByteSeparatesCJKCharacters() {
        // "A byte that starts no valid sequence separates tokens": 中 0xFF 文 is two lone
        // characters.
        let bytes = Array("中".utf8) + [0xFF] + Array("文".utf8)
        #expect(tokens(ofBytes: bytes) == [])
        // A valid separator does.
        #expect(tokens(ofBytes: Array("中".utf8) + [0x20] + Array("文".utf8)) == [])
    }

    @Test func lineStartMarksTheFirstTokenOfTheTextAndOfEachLine() {
        let got = casings("One two.\n three, four\r\n\n  five six\u{2028}seven 中文字 eight", lines: true)
            .map { ($0.token, $0.casing.contains(.lineStart)) }
        #expect(got.map(\.0) == ["one", "two", "three", "four", "five", "six", "seven", "中文", "文字", "eight"])
        #expect(got.map(\.1) == [true, false, true, false, true, false, true, false, false, false])
        // A line of CJK text: its first two-character token opens the line.
        #expect(casings("abc\n中文", lines: true).map { $0.casing.contains(.lineStart) } == [true, true])
        // Punctuation alone does not.
        #expect(casings("a1. b2", lines: true).map { $0.casing.contains(.lineStart) } == [true, false])
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
