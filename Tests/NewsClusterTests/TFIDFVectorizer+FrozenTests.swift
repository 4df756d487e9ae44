import Foundation
import Testing
@testable import NewsCluster

private func documents(_ bodies: [String], titles: [String]? = nil) -> [DocumentTerms] {
    bodies.enumerated().map { index, body in
        DocumentTerms(title: titles?[index] ?? "", body: body, titleWeight: 2, nameWeight: 2, numberWeight: 2)
    }
}

private let small = documents(
    ["alpha alpha gamma", "beta gamma gamma gamma", "delta alpha", "gamma epsilon epsilon 2024"],
    titles: ["alpha beta", "", "", "Epsilon news"])

/// A word of letters only, one per index.
private func word(_ index: Int) -> String {
    "word" + String(UnicodeScalar(UInt8(97 + index)))
}

/// 24 documents of one group: `the` is in every one (pruned: above half of a group of at least
/// 20), `common` in a third of them, each has one word of its own.
private let prunable: [DocumentTerms] = documents((0..<24).map { index in
    "the \(word(index)) the " + (index % 3 == 0 ? "common" : "plain" + word(index % 5))
})

private func fitAndFreeze(
    _ documents: [DocumentTerms], options: TFIDFVectorizer.Options = .init()
) -> (SparseMatrix, TFIDFVectorizer.Vocabulary, FrozenVocabulary) {
    let (matrix, vocabulary) = TFIDFVectorizer(options: options)
        .fit(documents, groups: Array(repeating: "en", count: documents.count))
    return (matrix, vocabulary, vocabulary.frozen(generation: 1, options: options))
}

@Suite("TFIDFVectorizer+Frozen")
struct TFIDFVectorizerFrozenTests {
    @Test(arguments: [1, 3])
    func transformOfTheFitsOwnDocumentsGivesTheFitsMatrix(threads: Int) throws {
        for corpus in [small, prunable] {
            let (matrix, vocabulary, frozen) = fitAndFreeze(corpus)
            let transformed = TFIDFVectorizer().transform(corpus, frozen: frozen, threads: threads)
            #expect(transformed.matrix.rowStarts == matrix.rowStarts)
            #expect(transformed.matrix.columns == matrix.columns)
            #expect(transformed.matrix.values.map(\.bitPattern) == matrix.values.map(\.bitPattern))
            #expect(transformed.matrix.columnCount == matrix.columnCount)
            #expect(transformed.drift == 0)
            #expect(transformed.vocabulary.hashes == vocabulary.hashes)
            #expect(transformed.vocabulary.documentFrequency == vocabulary.documentFrequency)
            #expect(transformed.vocabulary.idf.map(\.bitPattern) == vocabulary.idf.map(\.bitPattern))
            #expect(transformed.vocabulary.termsSeen == vocabulary.termsSeen)
            #expect(transformed.vocabulary.pruned == vocabulary.pruned)
        }
    }

    @Test func unseenTermWeighsAsATermOfOneDocumentInItsOwnColumn() throws {
        let (_, vocabulary, frozen) = fitAndFreeze(small)
        let zeta = tokenHash("zeta")
        try #require(vocabulary.id(of: zeta) == nil)
        let transformed = TFIDFVectorizer().transform(documents(["alpha zeta zeta"]), frozen: frozen)
        let result = transformed.vocabulary
        #expect(result.hashes == (vocabulary.hashes + [zeta]).sorted())
        #expect(result.termsSeen == frozen.termsSeen + 1)
        let column = try #require(result.id(of: zeta))
        try #require(result.documentFrequency.indices.contains(Int(column)) && result.idf.indices.contains(Int(column)))
        #expect(result.documentFrequency[Int(column)] == FrozenVocabulary.unseenDocumentFrequency)
        #expect(result.idf[Int(column)] == TFIDFVectorizer.idf(frequency: 1, documents: small.count))
        // The frozen terms keep their frequencies, shifted past the new column.
        let alpha = try #require(result.id(of: tokenHash("alpha")))
        let frozenAlpha = try #require(vocabulary.id(of: tokenHash("alpha")))
        #expect(result.documentFrequency[Int(alpha)] == vocabulary.documentFrequency[Int(frozenAlpha)])
        #expect(alpha == (zeta < tokenHash("alpha") ? frozenAlpha + 1 : frozenAlpha))
        // The row has both terms, columns ascending, unit length.
        try #require(transformed.matrix.rowCount == 1)
        let row = transformed.matrix.row(0)
        #expect(Array(row.columns) == [alpha, column].sorted())
        #expect(abs(transformed.matrix.dot(0, 0) - 1) < 1e-5)
        #expect(transformed.matrix.columnCount == result.hashes.count)
    }

    @Test func unseenTermsOfSeveralDocumentsShareOneColumn() throws {
        let (_, _, frozen) = fitAndFreeze(small)
        let transformed = TFIDFVectorizer().transform(documents(["zeta omega", "zeta", "omega alpha"]), frozen: frozen, threads: 2)
        let result = transformed.vocabulary
        #expect(result.hashes == result.hashes.sorted())
        #expect(Set(result.hashes).count == result.hashes.count)
        #expect(result.hashes.count == frozen.hashes.count + 2)
        let zeta = try #require(result.id(of: tokenHash("zeta")))
        try #require(transformed.matrix.rowCount == 3)
        #expect(transformed.matrix.row(0).columns.contains(zeta))
        #expect(Array(transformed.matrix.row(1).columns) == [zeta])
    }

    @Test func prunedTermStaysOut() throws {
        let (_, vocabulary, frozen) = fitAndFreeze(prunable)
        let the = tokenHash("the")
        try #require(frozen.pruned.contains(the))
        try #require(vocabulary.id(of: the) == nil)
        let transformed = TFIDFVectorizer().transform(documents(["the the \(word(3)) novelword"]), frozen: frozen)
        #expect(transformed.vocabulary.id(of: the) == nil)
        #expect(transformed.vocabulary.pruned == frozen.pruned)
        #expect(transformed.vocabulary.hashes.count == frozen.hashes.count + 1)
        try #require(transformed.matrix.rowCount == 1)
        let columns = transformed.matrix.row(0).columns
        #expect(columns.count == 2)
        #expect(columns.map { transformed.vocabulary.hashes[Int($0)] }.sorted() == [tokenHash(word(3)), tokenHash("novelword")].sorted())
    }

    @Test func driftIsPositiveWhenTheDocumentsFrequenciesDiffer() throws {
        let (_, _, frozen) = fitAndFreeze(small)
        // gamma is in 3 of the 4 fitted documents, but in every one of these.
        let shifted = TFIDFVectorizer().transform(documents(["gamma alpha", "gamma beta", "gamma delta"]), frozen: frozen)
        #expect(shifted.drift > 0)
        let unseen = TFIDFVectorizer().transform(documents(["zeta", "zeta omega"]), frozen: frozen)
        #expect(unseen.drift > 0)
    }

    @Test func documentsRowDependsOnlyOnItsOwnCounts() throws {
        let (_, _, frozen) = fitAndFreeze(small)
        let alone = TFIDFVectorizer().transform(documents(["alpha zeta gamma"]), frozen: frozen)
        let among = TFIDFVectorizer().transform(documents(["omega", "alpha zeta gamma", "beta"]), frozen: frozen)
        try #require(alone.matrix.rowCount == 1 && among.matrix.rowCount == 3)
        func terms(_ transformed: TFIDFVectorizer.Transformed, row: Int) -> [UInt64: UInt32] {
            let (columns, values) = transformed.matrix.row(row)
            return Dictionary(uniqueKeysWithValues: zip(columns, values).map {
                (transformed.vocabulary.hashes[Int($0)], $1.bitPattern)
            })
        }
        #expect(terms(alone, row: 0) == terms(among, row: 1))
    }

    @Test func frozenKeepsTheFitsTermsAndPruningOptions() {
        var options = TFIDFVectorizer.Options()
        options.priorDocuments = 10
        let (_, vocabulary, _) = fitAndFreeze(prunable, options: options)
        let frozen = vocabulary.frozen(generation: 7, options: options)
        #expect(frozen.generation == 7)
        #expect(frozen.documents == prunable.count)
        #expect(frozen.hashes == vocabulary.hashes)
        #expect(frozen.documentFrequency == vocabulary.documentFrequency)
        #expect(frozen.pruned == vocabulary.pruned)
        #expect(frozen.termsSeen == vocabulary.termsSeen)
        #expect(frozen.pruning == FrozenVocabulary.Pruning(options))
        #expect(frozen.pruning.priorDocuments == 10)
    }
}
