import Foundation
import Testing
@testable import NewsCluster

/// The matrix value of `term` in `row`, 0 when absent.
private func value(_ matrix: SparseMatrix, _ vocabulary: TFIDFVectorizer.Vocabulary, row: Int, term: String) -> Float {
    guard let id = vocabulary.id(of: tokenHash(term)) else { return 0 }
    let (columns, values) = matrix.row(row)
    guard let position = columns.firstIndex(of: id) else { return 0 }
    return values[position]
}

/// Hand-computed L2-normalised weights.
private func normalized(_ weights: [String: Double]) -> [String: Double] {
    let norm = weights.values.reduce(0) { $0 + $1 * $1 }.squareRoot()
    return weights.mapValues { $0 / norm }
}

@Suite("TFIDFVectorizer")
struct TFIDFVectorizerTests {
    @Test func valuesMatchAHandComputedExample() throws {
        // d0: title "alpha beta", body "alpha alpha gamma"  → alpha 2+2·1 = 4, beta 2·1 = 2, gamma 1
        // d1: body "beta gamma gamma gamma"                  → beta 1, gamma 3
        // d2: body "delta alpha"                             → delta 1, alpha 1
        let documents = [
            DocumentTerms(title: "alpha beta", body: "alpha alpha gamma", titleWeight: 2),
            DocumentTerms(title: "", body: "beta gamma gamma gamma", titleWeight: 2),
            DocumentTerms(title: "", body: "delta alpha", titleWeight: 2),
        ]
        let (matrix, vocabulary) = TFIDFVectorizer().fit(documents, groups: ["en", "en", "en"])
        // N = 3; df: alpha 2, beta 2, gamma 2, delta 1.
        // idf = ln((1 + N) / (1 + df)) + 1
        let idf2 = log(4.0 / 3.0) + 1   // df = 2
        let idf1 = log(4.0 / 2.0) + 1   // df = 1
        // tf = 1 + ln(count)
        let expected: [[String: Double]] = [
            normalized(["alpha": (1 + log(4.0)) * idf2, "beta": (1 + log(2.0)) * idf2, "gamma": 1 * idf2]),
            normalized(["beta": 1 * idf2, "gamma": (1 + log(3.0)) * idf2]),
            normalized(["delta": 1 * idf1, "alpha": 1 * idf2]),
        ]
        try #require(matrix.rowCount == 3)
        #expect(matrix.columnCount == 4)
        #expect(vocabulary.termsSeen == 4)
        #expect(vocabulary.hashes == vocabulary.hashes.sorted())
        let alpha = Int(try #require(vocabulary.id(of: tokenHash("alpha"))))
        let delta = Int(try #require(vocabulary.id(of: tokenHash("delta"))))
        try #require(vocabulary.documentFrequency.indices.contains(alpha) && vocabulary.documentFrequency.indices.contains(delta))
        try #require(vocabulary.idf.indices.contains(delta))
        #expect(vocabulary.documentFrequency[alpha] == 2)
        #expect(vocabulary.documentFrequency[delta] == 1)
        #expect(abs(Double(vocabulary.idf[delta]) - idf1) < 1e-5)
        for (row, weights) in expected.enumerated() {
            #expect(matrix.row(row).columns.count == weights.count)
            for term in ["alpha", "beta", "gamma", "delta"] {
                let got = Double(value(matrix, vocabulary, row: row, term: term))
                #expect(abs(got - (weights[term] ?? 0)) < 1e-5, "row \(row) term \(term)")
            }
            #expect(abs(Double(matrix.dot(row, row)) - 1) < 1e-5)
        }
        // Columns ascend within rows (a valid CSR matrix).
        for row in 0..<3 { #expect(Array(matrix.row(row).columns) == matrix.row(row).columns.sorted()) }
    }

    @Test func rawTermFrequencyWhenSublinearIsOff() throws {
        var options = TFIDFVectorizer.Options()
        options.sublinearTF = false
        options.titleWeight = 3
        let documents = [
            DocumentTerms(title: "kappa", body: "kappa lambda lambda", titleWeight: options.titleWeight),
            DocumentTerms(title: "", body: "lambda", titleWeight: options.titleWeight),
        ]
        let (matrix, vocabulary) = TFIDFVectorizer(options: options).fit(documents, groups: ["x", "x"])
        try #require(matrix.rowCount == documents.count)
        // d0: kappa 1 + 3 = 4 (df 1), lambda 2 (df 2). N = 2.
        let weights = normalized(["kappa": 4 * (log(3.0 / 2.0) + 1), "lambda": 2 * (log(3.0 / 3.0) + 1)])
        #expect(abs(Double(value(matrix, vocabulary, row: 0, term: "kappa")) - weights["kappa"]!) < 1e-5)
        #expect(abs(Double(value(matrix, vocabulary, row: 0, term: "lambda")) - weights["lambda"]!) < 1e-5)
        #expect(abs(value(matrix, vocabulary, row: 1, term: "lambda") - 1) < 1e-6)
    }

    @Test func maximumDocumentSharePrunesPerLanguageGroupWithItsImaginedDocuments() throws {
        // Group "en": 30 documents and 20 imagined ones, where made-up words never occur.
        // "zorblat" in 26 (26/50 > 0.5) is pruned; "quillet" in 24 (24/50) is kept.
        // Group "xx" (no word list): 21 documents with "всюди" (21/41) prune it; group "yy",
        // 19 documents with "скрізь" (19/39), keeps it. "mixed" is in 26 "en" documents and one
        // "yy" document: pruned everywhere.
        var documents: [DocumentTerms] = []
        var groups: [String] = []
        func add(_ words: [String], _ group: String) {
            documents.append(DocumentTerms(title: "", body: words.joined(separator: " "), titleWeight: 2))
            groups.append(group)
        }
        for index in 0..<30 {
            var words = ["unique\(index)word"]
            if index < 26 { words += ["zorblat", "mixed"] }
            if index < 24 { words.append("quillet") }
            add(words, "en")
        }
        for index in 0..<21 { add(["всюди", "слово\(String(repeating: "я", count: index + 1))"], "xx") }
        for index in 0..<19 { add(["скрізь", "слово\(String(repeating: "ю", count: index + 1))"] + (index == 0 ? ["mixed"] : []), "yy") }
        let (matrix, vocabulary) = TFIDFVectorizer().fit(documents, groups: groups)
        try #require(matrix.rowCount == documents.count)
        #expect(vocabulary.id(of: tokenHash("zorblat")) == nil)
        #expect(vocabulary.id(of: tokenHash("mixed")) == nil)
        #expect(vocabulary.id(of: tokenHash("quillet")) != nil)
        #expect(vocabulary.id(of: tokenHash("всюди")) == nil)
        #expect(vocabulary.id(of: tokenHash("скрізь")) != nil)
        #expect(vocabulary.termsSeen == 30 + 21 + 19 + 5)
        #expect(vocabulary.hashes.count == 30 + 21 + 19 + 2)
        #expect(matrix.columnCount == vocabulary.hashes.count)

        // Row 0 keeps its unique word (df 1) and "quillet" (df 24), N = 70, renormalised
        // without the pruned terms.
        let n = 70.0
        let weights = normalized(["unique0word": log((1 + n) / 2) + 1, "quillet": log((1 + n) / 25) + 1])
        #expect(matrix.row(0).columns.count == 2)
        #expect(abs(Double(value(matrix, vocabulary, row: 0, term: "unique0word")) - weights["unique0word"]!) < 1e-5)
        #expect(abs(Double(value(matrix, vocabulary, row: 0, term: "quillet")) - weights["quillet"]!) < 1e-5)
    }

    @Test func aFewArticlesLoseTheirLanguagesCommonWordsButNotTheirStorysWords() throws {
        // Three English articles of one story: without the word list nothing would be pruned
        // (3 of 3 documents is 3/23 with 20 imagined documents); "the", "and", "of" occur in
        // nearly every imagined English document of this length, the story's words in none.
        let story = "ferry strike harbour union talks"
        let filler = Array(repeating: "the crew and the owners of the line", count: 8).joined(separator: " ")
        let documents = (0..<3).map { index in
            DocumentTerms(title: "", body: "\(story) \(filler) port\(index)", titleWeight: 2)
        }
        let (_, vocabulary) = TFIDFVectorizer().fit(documents, groups: ["en", "en", "en"])
        for word in ["the", "and", "of"] { #expect(vocabulary.id(of: tokenHash(word)) == nil, "\(word)") }
        for word in ["ferry", "strike", "harbour", "union", "port0"] { #expect(vocabulary.id(of: tokenHash(word)) != nil, "\(word)") }
        // The same articles in a language without a word list keep every word.
        let (_, unknown) = TFIDFVectorizer().fit(documents, groups: ["xx", "xx", "xx"])
        #expect(unknown.id(of: tokenHash("the")) != nil)
    }

    /// 80 copies of one text among 140 documents: counted one by one, its words are in more
    /// than half the documents and are pruned as stop words; as one class of copies, they count
    /// once and stay, with the IDF of a word in two documents.
    @Test func aLargeClassOfCopiesCountsAsOneDocument() throws {
        let story = (0..<60).map { "viral\($0)" }.joined(separator: " ")
        var documents = (0..<80).map { copy in
            DocumentTerms(title: "", body: story + " edit\(copy)", titleWeight: 2)
        }
        documents += (0..<60).map { other in
            DocumentTerms(title: "", body: "other\(other) common viral0 filler\(other % 7)", titleWeight: 2)
        }
        let groups = [String](repeating: "en", count: documents.count)
        var options = TFIDFVectorizer.Options()
        options.copiesCountedOnce = 0
        let (_, separately) = TFIDFVectorizer(options: options).fit(documents, groups: groups)
        #expect(separately.id(of: tokenHash("viral5")) == nil)
        options.copiesCountedOnce = 64
        let (matrix, once) = TFIDFVectorizer(options: options).fit(documents, groups: groups)
        let viral5 = try #require(once.id(of: tokenHash("viral5")))
        let viral0 = try #require(once.id(of: tokenHash("viral0")))
        #expect(once.documentFrequency[Int(viral5)] == 1)
        #expect(once.documentFrequency[Int(viral0)] == 61)
        // An edit of one copy counts once too.
        let edit = try #require(once.id(of: tokenHash("edit3")))
        #expect(once.documentFrequency[Int(edit)] == 1)
        // The documents' rows are built as before: only the frequencies changed.
        #expect(matrix.rowCount == documents.count)
        #expect(value(matrix, once, row: 0, term: "viral5") > 0)
    }

    @Test func smallGroupsAreNeverPruned() {
        let documents = (0..<5).map { DocumentTerms(title: "", body: "same words w\($0)x", titleWeight: 2) }
        let (_, vocabulary) = TFIDFVectorizer().fit(documents, groups: Array(repeating: "en", count: 5))
        #expect(vocabulary.id(of: tokenHash("same")) != nil)
        #expect(vocabulary.id(of: tokenHash("words")) != nil)
    }

    @Test func minimumDocumentFrequencyDropsRareTerms() throws {
        var options = TFIDFVectorizer.Options()
        options.minimumDocumentFrequency = 2
        let documents = [
            DocumentTerms(title: "", body: "shared rare", titleWeight: 2),
            DocumentTerms(title: "", body: "shared other", titleWeight: 2),
        ]
        let (matrix, vocabulary) = TFIDFVectorizer(options: options).fit(documents, groups: ["en", "en"])
        try #require(matrix.rowCount == documents.count)
        #expect(vocabulary.hashes == [tokenHash("shared")])
        #expect(vocabulary.termsSeen == 3)
        #expect(abs(value(matrix, vocabulary, row: 0, term: "shared") - 1) < 1e-6)
    }

    @Test func documentWithoutKeptTermsIsAnEmptyRow() throws {
        var options = TFIDFVectorizer.Options()
        options.minimumDocumentFrequency = 2
        let documents = [
            DocumentTerms(title: "", body: "shared words", titleWeight: 2),
            DocumentTerms(title: "", body: "shared words", titleWeight: 2),
            DocumentTerms(title: "", body: "nothing kept", titleWeight: 2),
            DocumentTerms(title: "", body: "", titleWeight: 2),
        ]
        let (matrix, _) = TFIDFVectorizer(options: options).fit(documents, groups: ["en", "en", "en", "en"])
        try #require(matrix.rowCount == documents.count)
        #expect(matrix.row(2).columns.isEmpty)
        #expect(matrix.row(3).columns.isEmpty)
        #expect(matrix.values.allSatisfy { $0.isFinite })
    }

    @Test func zeroTitleWeightIgnoresTitles() throws {
        var options = TFIDFVectorizer.Options()
        options.titleWeight = 0
        let documents = [
            DocumentTerms(title: "only title words", body: "body text here", titleWeight: options.titleWeight),
            DocumentTerms(title: "", body: "body text again", titleWeight: options.titleWeight),
        ]
        let (matrix, _) = TFIDFVectorizer(options: options).fit(documents, groups: ["en", "en"])
        try #require(matrix.rowCount == documents.count)
        #expect(matrix.values.allSatisfy { $0.isFinite })
        #expect(abs(matrix.dot(0, 0) - 1) < 1e-5)
    }

    /// What a shared-out run does with the pieces of `fit`: the vocabulary from document
    /// frequencies counted elsewhere (terms in any order, groups numbered any way), and each row
    /// computed on its own with `appendRow`, equal to the fit's bit for bit.
    @Test(arguments: [1, 4])
    func theVocabularyFromCountedFrequenciesAndRowsAppendedOneByOneAreTheFits(threads: Int) throws {
        var options = TFIDFVectorizer.Options()
        // `vocabulary` takes the frequencies as given: no class of copies to count once.
        options.copiesCountedOnce = 0
        options.minimumDocumentFrequency = 2
        var generator = SeededGenerator(seed: 11)
        let english = "the of and to harbour ferry storm council budget bridge river market teacher school police judge".split(separator: " ")
        let russian = "это что как город страна работа вопрос школа театр улица вечер дорога".split(separator: " ")
        var documents: [DocumentTerms] = [], groups: [String] = []
        for index in 0..<90 {
            let (words, group) = index % 3 == 0 ? (russian, "ru") : index % 7 == 1 ? (english, "xx") : (english, "en")
            let body = (0..<(8 + index % 23)).map { _ in String(words[Int(generator.next() % UInt64(words.count))]) }
            // Words every English document has: stop words of "en" (which has a word list).
            let text = (group == "en" ? "the of and " : "") + body.joined(separator: " ") + " w\(index) w\(index % 5) 19\(index % 4)"
            documents.append(DocumentTerms(title: index % 2 == 0 ? "Title \(index % 6)" : "", body: text, titleWeight: options.titleWeight,
                                           nameWeight: options.nameWeight, numberWeight: options.numberWeight,
                                           stemmer: TermStemmer(letters: options.stemLetters)))
            groups.append(group)
        }
        let vectorizer = TFIDFVectorizer(options: options)
        let (matrix, fitted) = vectorizer.fit(documents, groups: groups, threads: threads)
        #expect(fitted.id(of: tokenHash("the")) == nil && fitted.id(of: tokenHash("harbour")) != nil)
        #expect(fitted.pruned.contains(tokenHash("w7")))

        // Groups numbered from the last document back, terms in descending hash order.
        var groupIndex: [String: Int] = [:]
        for group in groups.reversed() where groupIndex[group] == nil { groupIndex[group] = groupIndex.count }
        let termHashes = Set(documents.flatMap(\.terms)).sorted(by: >)
        let slotOf = Dictionary(uniqueKeysWithValues: termHashes.enumerated().map { ($1, $0) })
        var frequency = [Int32](repeating: 0, count: termHashes.count * groupIndex.count)
        var groupSizes = [Int](repeating: 0, count: groupIndex.count), lengthTotals = groupSizes
        for (document, group) in zip(documents, groups) {
            let number = groupIndex[group]!
            groupSizes[number] += 1
            lengthTotals[number] += document.length
            for term in document.terms { frequency[slotOf[term]! * groupIndex.count + number] += 1 }
        }
        let prior = TFIDFVectorizer.LanguagePrior(
            groups: groupIndex, groupSizes: groupSizes, lengthTotals: lengthTotals, priorDocuments: options.priorDocuments)
        let (vocabulary, columns) = vectorizer.vocabulary(
            termHashes: termHashes, frequency: frequency, groupCount: groupIndex.count, prior: prior, documents: documents.count)
        #expect(vocabulary.hashes == fitted.hashes)
        #expect(vocabulary.documentFrequency == fitted.documentFrequency)
        #expect(vocabulary.idf.map(\.bitPattern) == fitted.idf.map(\.bitPattern))
        #expect(vocabulary.termsSeen == fitted.termsSeen)
        #expect(vocabulary.pruned == fitted.pruned)
        #expect(vocabulary.documents == fitted.documents)
        // Each term's column, or -1 for a pruned one.
        #expect(columns == termHashes.map { vocabulary.id(of: $0) ?? -1 })

        // Rows one by one, appended to the same arrays, from a vocabulary that has only hashes
        // and IDF (as a vectors task reads it).
        let bare = TFIDFVectorizer.Vocabulary(hashes: vocabulary.hashes, documentFrequency: [], idf: vocabulary.idf,
                                               termsSeen: vocabulary.hashes.count)
        var rowColumns: [Int32] = [], values: [Float] = []
        for (index, document) in documents.enumerated() {
            let start = values.count
            vectorizer.appendRow(terms: document.terms, counts: document.counts, vocabulary: bare,
                                 columns: &rowColumns, values: &values)
            let row = matrix.row(index)
            #expect(Array(rowColumns[start...]) == Array(row.columns), "row \(index)")
            #expect(values[start...].map(\.bitPattern) == row.values.map(\.bitPattern), "row \(index)")
        }
        #expect(rowColumns.count == matrix.nonzeroCount)
        // A document without a kept term is an empty row, not a row of NaN.
        let start = values.count
        let unseen = DocumentTerms(title: "", body: "the of and unseen", titleWeight: 2)
        vectorizer.appendRow(terms: unseen.terms, counts: unseen.counts, vocabulary: bare, columns: &rowColumns, values: &values)
        #expect(values.count == start)
    }

    /// The prior from each group's total length gives the same shares as from each document's.
    @Test func theLanguagePriorFromLengthTotalsIsThePriorFromLengths() {
        let groups = ["en": 0, "ru": 1, "xx": 2]
        let groupOf = [0, 1, 0, 2, 0, 1, 0, 0]
        let lengths = [40, 12, 7, 300, 55, 80, 9, 1]
        let sizes = [5, 2, 1]
        let fromLengths = TFIDFVectorizer.LanguagePrior(groups: groups, groupOf: groupOf, groupSizes: sizes, lengths: lengths, priorDocuments: 20)
        let fromTotals = TFIDFVectorizer.LanguagePrior(groups: groups, groupSizes: sizes, lengthTotals: [112, 92, 300], priorDocuments: 20)
        for word in ["the", "of", "harbour", "это", "что", "zzz"] {
            for group in 0..<3 {
                for count in Int32(0)...8 {
                    for limit in [0.3, 0.5, 0.9] {
                        #expect(fromLengths.share(of: tokenHash(word), count: count, group: group, above: limit)
                                == fromTotals.share(of: tokenHash(word), count: count, group: group, above: limit),
                                "\(word) \(group) \(count) \(limit)")
                    }
                }
            }
        }
        // The word list matters: "the" is a stop word of a small English group, not of "xx".
        #expect(fromTotals.share(of: tokenHash("the"), count: 1, group: 0, above: 0.5))
        #expect(!fromTotals.share(of: tokenHash("the"), count: 1, group: 2, above: 0.5))
    }

    @Test func vocabularyLookup() {
        let vocabulary = TFIDFVectorizer.Vocabulary(hashes: [3, 10, 42], documentFrequency: [1, 1, 1], idf: [1, 1, 1], termsSeen: 3)
        #expect(vocabulary.id(of: 3) == 0)
        #expect(vocabulary.id(of: 10) == 1)
        #expect(vocabulary.id(of: 42) == 2)
        #expect(vocabulary.id(of: 0) == nil)
        #expect(vocabulary.id(of: 11) == nil)
        #expect(vocabulary.id(of: .max) == nil)
    }
}
