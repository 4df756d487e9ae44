import Testing
@testable import NewsCluster

@Suite("DocumentTerms")
struct DocumentTermsTests {
    @Test func countsBodyAndWeightedTitleTokens() throws {
        let document = DocumentTerms(title: "Bridge Reopens", body: "The bridge reopened. The BRIDGE is open.",
                                     titleWeight: 2)
        #expect(document.terms == document.terms.sorted())
        #expect(Set(document.terms).count == document.terms.count)
        let counts = Dictionary(uniqueKeysWithValues: zip(document.terms, document.counts))
        #expect(counts[tokenHash("bridge")] == Float(2 + 2))
        #expect(counts[tokenHash("the")] == 2)
        #expect(counts[tokenHash("reopens")] == 2)
        #expect(counts[tokenHash("reopened")] == 1)
        #expect(counts[tokenHash("is")] == 1)
        #expect(counts[tokenHash("open")] == 1)
        #expect(document.terms.count == 6)
        #expect(document.length == 7)
        #expect(document.script == "latn")
    }

    @Test func titleWeightScalesTitleCountsOnly() {
        let one = DocumentTerms(title: "alpha beta", body: "alpha gamma", titleWeight: 1)
        let three = DocumentTerms(title: "alpha beta", body: "alpha gamma", titleWeight: 3)
        #expect(one.terms == three.terms)
        let a = Dictionary(uniqueKeysWithValues: zip(one.terms, one.counts))
        let b = Dictionary(uniqueKeysWithValues: zip(three.terms, three.counts))
        #expect(a[tokenHash("alpha")] == 2 && b[tokenHash("alpha")] == 4)
        #expect(a[tokenHash("beta")] == 1 && b[tokenHash("beta")] == 3)
        #expect(a[tokenHash("gamma")] == 1 && b[tokenHash("gamma")] == 1)
    }

    @Test func shinglesAndScriptComeFromTheBodyOnly() {
        let body = "Київ оголосив нові правила для водіїв у центрі міста"
        let document = DocumentTerms(title: "Completely English title words here", body: body, titleWeight: 2)
        var hashes: [UInt64] = []
        var scripts = Tokenizer.ScriptCounts()
        Tokenizer().forEachToken(in: body, scripts: &scripts) { hash, _ in hashes.append(hash) }
        #expect(document.shingles == ShingleSketch(tokens: hashes))
        #expect(document.script == "cyrl")
        #expect(document.length == hashes.count)
    }

    // MARK: Names and numbers

    private func counts(_ document: DocumentTerms) -> [UInt64: Float] {
        Dictionary(uniqueKeysWithValues: zip(document.terms, document.counts))
    }

    /// Token hashes of the lines of `text` in order.
    private func hashes(_ text: String) -> [UInt64] {
        var result: [UInt64] = []
        var scripts = Tokenizer.ScriptCounts()
        for line in text.split(whereSeparator: \.isNewline) {
            Tokenizer().forEachToken(in: String(line), scripts: &scripts) { hash, _ in result.append(hash) }
        }
        return result
    }

    @Test func namesCapitalizedInsideSentencesAndNeverLowerCaseAreWeighted() {
        let body = "The mayor met Obama today. Obama spoke about Apple.\nThen an apple fell. Kyiv said no."
        let document = DocumentTerms(title: "", body: body, titleWeight: 2, nameWeight: 3)
        let c = counts(document)
        // obama: inside (capitalized) once, sentence-initial once, never lower case → 2 × 3.
        #expect(c[tokenHash("obama")] == 6)
        // apple: capitalized inside, but also written "apple" → a word: 2 × 1.
        #expect(c[tokenHash("apple")] == 2)
        // the / then / kyiv: capitalized only at a sentence or line start → not names.
        #expect(c[tokenHash("the")] == 1)
        #expect(c[tokenHash("then")] == 1)
        #expect(c[tokenHash("kyiv")] == 1)
        // Lower-case words are untouched.
        #expect(c[tokenHash("mayor")] == 1 && c[tokenHash("spoke")] == 1)
        #expect(document.length == 16)
    }

    @Test func nameWeightDefaultsToOneAndDoesNotTouchTheTitle() {
        let body = "Yesterday the minister met Zelensky in Brussels."
        let plain = DocumentTerms(title: "Zelensky visits", body: body, titleWeight: 2)
        let weighted = DocumentTerms(title: "Zelensky visits", body: body, titleWeight: 2, nameWeight: 4)
        #expect(plain.terms == weighted.terms)
        let p = counts(plain), w = counts(weighted)
        // Body count × nameWeight, then the title's titleWeight added: 1 + 2 and 1 · 4 + 2.
        #expect(p[tokenHash("zelensky")] == 3)
        #expect(w[tokenHash("zelensky")] == 6)
        #expect(p[tokenHash("brussels")] == 1 && w[tokenHash("brussels")] == 4)
        // A title-only capitalized token is not a name: "visits" counts titleWeight.
        #expect(w[tokenHash("visits")] == 2)
        #expect(w[tokenHash("yesterday")] == 1 && w[tokenHash("minister")] == 1)
    }

    @Test func cyrillicNamesAreWeightedToo() {
        let body = "Сьогодні президент Зеленський заявив, що Зеленський поїде до Києва."
        let document = DocumentTerms(title: "", body: body, titleWeight: 2, nameWeight: 2)
        let c = counts(document)
        #expect(c[tokenHash("зеленський")] == 4)
        #expect(c[tokenHash("києва")] == 2)
        #expect(c[tokenHash("сьогодні")] == 1)
        #expect(c[tokenHash("президент")] == 1)
    }

    @Test func numbersAreWeighted() {
        let body = "In 2024 the council had 35 members. 2024 was busy; 1,600 people came to the 3D show."
        let document = DocumentTerms(title: "Budget for 2025", body: body, titleWeight: 2, numberWeight: 4)
        let c = counts(document)
        #expect(c[tokenHash("2024")] == 8)     // 2 × 4, sentence start or not
        #expect(c[tokenHash("35")] == 4)
        #expect(c[tokenHash("1.600")] == 4)
        #expect(c[tokenHash("3d")] == 4)       // starts with a digit
        #expect(c[tokenHash("2025")] == 2)     // title only: titleWeight, no number weight
        #expect(c[tokenHash("council")] == 1)
        let plain = counts(DocumentTerms(title: "Budget for 2025", body: body, titleWeight: 2))
        #expect(plain[tokenHash("2024")] == 2 && plain[tokenHash("35")] == 1)
    }

    @Test func nameAndNumberWeightsCombineWithTitleWeightAndSublinearTF() {
        // Both weights at once, on different tokens.
        let body = "Officials said NASA will launch 12 rockets. NASA confirmed 12 dates."
        let document = DocumentTerms(title: "NASA", body: body, titleWeight: 2, nameWeight: 3, numberWeight: 5)
        let c = counts(document)
        // nasa: once inside a sentence, once sentence-initial, never lower case → a name:
        // 2 × 3, plus the title's 2. 12: two numbers × 5.
        #expect(c[tokenHash("nasa")] == 8)
        #expect(c[tokenHash("12")] == 10)
        #expect(c[tokenHash("officials")] == 1)
    }

    // MARK: Shingles

    @Test func shinglesSkipAFirstLineRepeatingTheTitleAndShortLines() {
        let prose1 = "Heavy rain flooded the lower town overnight and closed the main road."
        let prose2 = "Engineers will inspect the old stone bridge before it can reopen to traffic."
        let original = DocumentTerms(
            title: "Storm closes harbor bridge for two days",
            body: "Storm closes harbor bridge for two days\n\(prose1)\n\(prose2)", titleWeight: 2)
        // A copy: reworded headline line, reworded title, and a credit line.
        let copy = DocumentTerms(
            title: "Harbor bridge closed by storm",
            body: "Harbor bridge closed by storm for two days\n\(prose1)\n\(prose2)\nSource: Reuters", titleWeight: 2)
        #expect(original.shingles == copy.shingles)
        #expect(original.shingles == ShingleSketch(tokens: hashes(prose1 + "\n" + prose2)))
        #expect(copy.shingles.containment(original.shingles) == 1)
        // length still counts every body token: 7 + 12 + 13 (+ 2 for the credit line).
        #expect(original.length == 7 + 12 + 13)
        #expect(copy.length == 8 + 12 + 13 + 2)
    }

    @Test func firstLineRepeatsTheTitleWhenSixTenthsOfItsTokensAreInTheTitle() {
        let title = "alpha beta gamma delta epsilon zeta"
        let prose = "one long sentence of the actual article text goes here now"
        // 10 tokens, 6 in the title: 60 ≥ 60 → repeats → left out.
        let six = "alpha beta gamma delta epsilon zeta kappa lambda omicron sigma"
        let repeats = DocumentTerms(title: title, body: six + "\n" + prose, titleWeight: 2)
        #expect(repeats.shingles == ShingleSketch(tokens: hashes(prose)))
        // 10 tokens, 5 in the title: 50 < 60 → part of the article.
        let five = "alpha beta gamma delta epsilon kappa lambda omicron sigma tau"
        let keeps = DocumentTerms(title: title, body: five + "\n" + prose, titleWeight: 2)
        #expect(keeps.shingles == ShingleSketch(tokens: hashes(five + "\n" + prose)))
        // Only the first line with tokens is checked: the same line second is kept…
        let second = DocumentTerms(title: title, body: prose + "\n" + six, titleWeight: 2)
        #expect(second.shingles == ShingleSketch(tokens: hashes(prose + "\n" + six)))
        // …but blank or punctuation-only lines before it do not make it second.
        let afterBlank = DocumentTerms(title: title, body: "\n — \n" + six + "\n" + prose, titleWeight: 2)
        #expect(afterBlank.shingles == repeats.shingles)
        // An empty title repeats nothing.
        let untitled = DocumentTerms(title: "", body: six + "\n" + prose, titleWeight: 2)
        #expect(untitled.shingles == ShingleSketch(tokens: hashes(six + "\n" + prose)))
    }

    @Test func linesUnderSixTokensAreNotShingled() {
        let prose = "the first real sentence of this article is rather long"
        let five = "Photo by John Smith here"
        let six = "Photo by John Smith for Reuters"
        let withFive = DocumentTerms(title: "", body: prose + "\n" + five + "\n" + prose, titleWeight: 2)
        #expect(withFive.shingles == ShingleSketch(tokens: hashes(prose + "\n" + prose)))
        let withSix = DocumentTerms(title: "", body: prose + "\n" + six + "\n" + prose, titleWeight: 2)
        #expect(withSix.shingles == ShingleSketch(tokens: hashes(prose + "\n" + six + "\n" + prose)))
        #expect(withFive.length == 10 + 5 + 10)
        // Only short lines: no shingles at all, but the terms and length are there.
        let short = DocumentTerms(title: "", body: "Source: Reuters\nBy our staff", titleWeight: 2)
        #expect(short.shingles.count == 0 && short.shingles.minima.isEmpty)
        #expect(short.length == 5)
        #expect(short.terms.count == 5)
    }

    @Test func stemmedCyrillicFormsAreOneTermAndShinglesKeepWholeWords() {
        let title = "Протестующие вышли"
        let body = "Протестующих задержали у парламента. Полиция задержала протестующих и протестовавших."
        let stemmer = TermStemmer(letters: 5)
        let whole = DocumentTerms(title: title, body: body, titleWeight: 2)
        let stemmed = DocumentTerms(title: title, body: body, titleWeight: 2, stemmer: stemmer)
        let counts = Dictionary(uniqueKeysWithValues: zip(stemmed.terms, stemmed.counts))
        // протестующие (title, twice), протестующих (2), протестовавших: one term.
        #expect(counts[tokenHash("проте")] == Float(2 + 2 + 1))
        #expect(counts[tokenHash("задер")] == 2)
        // Words of five letters or fewer and Latin words keep their own hash.
        #expect(counts[tokenHash("у")] == nil, "one-letter tokens are skipped")
        #expect(counts[tokenHash("вышли")] == 2)
        #expect(stemmed.terms == stemmed.terms.sorted())
        #expect(stemmed.terms.count < whole.terms.count)
        #expect(stemmed.shingles == whole.shingles)
        #expect(stemmed.length == whole.length)
    }

    @Test func emptyDocument() {
        let document = DocumentTerms(title: "", body: "", titleWeight: 2)
        #expect(document.terms.isEmpty && document.counts.isEmpty)
        #expect(document.length == 0)
        #expect(document.shingles.count == 0)
    }
}

@Suite("DocumentTerms counting")
struct DocumentTermsCountingTests {
    @Test func countDistinctMatchesADictionary() {
        var generator = SeededGenerator(seed: 12)
        for size in [0, 1, 7, 300, 5_000] {
            let occurrences = (0..<size).map { _ in
                // Few distinct terms, some colliding in the low bits; counted by term, not hash.
                let term = UInt64.random(in: 0..<40, using: &generator) << 40 | 3
                return DocumentTerms.Occurrence(hash: term ^ UInt64.random(in: 1...3, using: &generator), term: term,
                                                kind: UInt8(1) << UInt8.random(in: 0..<3, using: &generator))
            }
            var expected: [UInt64: (count: Int32, kinds: UInt8)] = [:]
            for occurrence in occurrences {
                expected[occurrence.term, default: (0, 0)].count += 1
                expected[occurrence.term, default: (0, 0)].kinds |= occurrence.kind
            }
            let distinct = DocumentTerms.countDistinct(occurrences)
            #expect(distinct.count == expected.count)
            #expect(Set(distinct.map(\.hash)).count == distinct.count)
            for term in distinct {
                #expect(expected[term.hash]?.count == term.count && expected[term.hash]?.kinds == term.kinds)
            }
        }
    }
}
