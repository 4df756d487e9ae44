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

    @Test func maximumDocumentSharePrunesPerLanguageGroup() throws {
        // Group "en": 20 documents. "common" in 11 (> 0.5 · 20) is pruned; "half" in exactly 10
        // is kept. Group "uk": 19 documents, below the group size for pruning: "всюди" in all of
        // them is kept. "mixed" is in 11 "en" documents and 1 "uk" document: pruned everywhere.
        var documents: [DocumentTerms] = []
        var groups: [String] = []
        for index in 0..<20 {
            var words = ["unique\(UnicodeScalar(UInt8(97 + index)))word"]
            if index < 11 { words += ["common", "mixed"] }
            if index < 10 { words.append("half") }
            documents.append(DocumentTerms(title: "", body: words.joined(separator: " "), titleWeight: 2))
            groups.append("en")
        }
        for index in 0..<19 {
            var words = ["всюди", "слово\(String(repeating: "я", count: index + 1))"]
            if index == 0 { words.append("mixed") }
            documents.append(DocumentTerms(title: "", body: words.joined(separator: " "), titleWeight: 2))
            groups.append("uk")
        }
        let (matrix, vocabulary) = TFIDFVectorizer().fit(documents, groups: groups)
        try #require(matrix.rowCount == documents.count)
        #expect(vocabulary.id(of: tokenHash("common")) == nil)
        #expect(vocabulary.id(of: tokenHash("mixed")) == nil)
        #expect(vocabulary.id(of: tokenHash("half")) != nil)
        #expect(vocabulary.id(of: tokenHash("всюди")) != nil)
        // 20 unique + 19 unique + common, mixed, half, всюди
        #expect(vocabulary.termsSeen == 20 + 19 + 4)
        #expect(vocabulary.hashes.count == 20 + 19 + 2)
        #expect(matrix.columnCount == vocabulary.hashes.count)

        // Row 0 keeps "uniqueaword" (df 1) and "half" (df 10), N = 39, renormalised without the
        // pruned terms.
        let n = 39.0
        let weights = normalized(["uniqueaword": log((1 + n) / 2) + 1, "half": log((1 + n) / 11) + 1])
        #expect(matrix.row(0).columns.count == 2)
        #expect(abs(Double(value(matrix, vocabulary, row: 0, term: "uniqueaword")) - weights["uniqueaword"]!) < 1e-5)
        #expect(abs(Double(value(matrix, vocabulary, row: 0, term: "half")) - weights["half"]!) < 1e-5)
        // Row 20 ("uk"): всюди (df 19) and its unique word (df 1); "mixed" is gone.
        let uk = normalized(["всюди": log((1 + n) / 20) + 1, "словоя": log((1 + n) / 2) + 1])
        #expect(matrix.row(20).columns.count == 2)
        #expect(abs(Double(value(matrix, vocabulary, row: 20, term: "всюди")) - uk["всюди"]!) < 1e-5)
        #expect(abs(Double(value(matrix, vocabulary, row: 20, term: "словоя")) - uk["словоя"]!) < 1e-5)
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
