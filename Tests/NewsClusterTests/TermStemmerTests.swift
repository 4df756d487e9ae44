import Testing
@testable import NewsCluster

@Suite("TermStemmer")
struct TermStemmerTests {
    /// The term `stemmer` makes of `word` (one token, as the tokenizer folds it).
    private func term(_ word: String, _ stemmer: TermStemmer) -> UInt64 {
        var terms: [UInt64] = []
        var scripts = Tokenizer.ScriptCounts()
        Tokenizer().forEachToken(in: word, scripts: &scripts) { hash, bytes in terms.append(stemmer.term(hash, bytes)) }
        precondition(terms.count == 1, "\(word) is one token")
        return terms[0]
    }

    @Test func longerCyrillicWordsAreCutToTheirFirstLetters() {
        let six = TermStemmer(letters: 6)
        #expect(term("протестующих", six) == tokenHash("протес"))
        #expect(term("Протестов", six) == tokenHash("протес"))
        #expect(term("протестувальники", six) == tokenHash("протес"), "Ukrainian too")
        #expect(term("Бердянського", six) == term("Бердянський", six))
        #expect(term("Херсонщині", six) == tokenHash("херсон"), "і and ї are Cyrillic letters")
        #expect(term("Мадагаскару", TermStemmer(letters: 3)) == tokenHash("мад"))
    }

    @Test func innerApostrophesDoNotCountAsLetters() {
        // "п'ятьох" has six letters: at six it stays whole, at four it keeps its apostrophe.
        #expect(term("п'ятьох", TermStemmer(letters: 6)) == tokenHash("п'ятьох"))
        #expect(term("п’ятьох", TermStemmer(letters: 4)) == tokenHash("п'ять"))
    }

    @Test func shortWordsLatinWordsNumbersAndMixedTokensStayWhole() {
        let five = TermStemmer(letters: 5)
        for word in ["метро", "что", "що", "protesters", "Kyrgyzstan", "2020", "covid19", "ковид19", "мвд2020года", "Σεισμός"] {
            #expect(term(word, five) == term(word, TermStemmer(letters: 0)), "\(word)")
        }
    }

    @Test func frequentWordsStayWholeForTheLanguageIdentifier() {
        let five = TermStemmer(letters: 5)
        for word in ["которые", "области", "сообщает", "України"] {
            #expect(LanguageIdentifier.isFrequentWord(tokenHash(word.lowercased())), "\(word) is in wordfreq's lists")
            #expect(term(word, five) == tokenHash(word.lowercased()), "\(word)")
        }
    }

    @Test func zeroLettersKeepsEveryWordWhole() {
        let none = TermStemmer(letters: 0)
        for word in ["протестующих", "протестов", "protesters"] {
            #expect(term(word, none) == tokenHash(word))
        }
    }
}
