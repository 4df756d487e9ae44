import Foundation
import Testing
@testable import NewsCluster

private func sample(hashes: [UInt64] = [3, 17, 0xFFFF_FFFF_FFFF_FFF0], documentFrequency: [Int32] = [1, 4, 2]) -> FrozenVocabulary {
    var options = TFIDFVectorizer.Options()
    options.maximumDocumentShare = 0.4
    options.copiesCountedOnce = 12
    return FrozenVocabulary(
        generation: 3, documents: 9, hashes: hashes, documentFrequency: documentFrequency,
        pruned: [5, 0x8000_0000_0000_0000], termsSeen: 5, pruning: .init(options))
}

/// The description of the `FormatError` decoding `data` throws (nil when it decodes).
private func formatError(_ data: Data) -> String? {
    do throws(FrozenVocabulary.FormatError) {
        _ = try FrozenVocabulary(decoding: data)
        return nil
    } catch {
        return error.description
    }
}

@Suite("FrozenVocabulary")
struct FrozenVocabularyTests {
    @Test func encodedVocabularyDecodesToAnEqualOne() throws {
        let vocabulary = sample()
        let decoded = try FrozenVocabulary(decoding: vocabulary.encoded())
        #expect(decoded == vocabulary)
        #expect(decoded.pruning.maximumDocumentShare == 0.4)
        #expect(decoded.pruning.copiesCountedOnce == 12)
    }

    @Test func fittedVocabularyRoundTripsThroughItsStoredForm() throws {
        let documents = [
            DocumentTerms(title: "alpha beta", body: "alpha alpha gamma", titleWeight: 2),
            DocumentTerms(title: "", body: "beta gamma gamma gamma", titleWeight: 2),
            DocumentTerms(title: "", body: "delta alpha", titleWeight: 2),
        ]
        let options = TFIDFVectorizer.Options()
        let (_, vocabulary) = TFIDFVectorizer(options: options).fit(documents, groups: ["en", "en", "en"])
        let frozen = vocabulary.frozen(generation: 1, options: options)
        #expect(try FrozenVocabulary(decoding: frozen.encoded()) == frozen)
        #expect(frozen.documents == 3)
        #expect(frozen.hashes == vocabulary.hashes)
        #expect(frozen.documentFrequency == vocabulary.documentFrequency)
    }

    @Test func emptyVocabularyRoundTrips() throws {
        let empty = sample(hashes: [], documentFrequency: [])
        #expect(try FrozenVocabulary(decoding: empty.encoded()) == empty)
    }

    @Test func storedFormStartsWithAOneLineJSONHeader() throws {
        let data = sample().encoded()
        let newline = try #require(data.firstIndex(of: 0x0A))
        let header = try #require(try JSONSerialization.jsonObject(with: data[..<newline]) as? [String: Any])
        #expect(header["format"] as? String == "newscluster-vocabulary-1")
        #expect(header["generation"] as? Int == 3)
        #expect(header["terms_seen"] as? Int == 5)
    }

    /// A vocabulary written before the prior and stemming existed reads as fitted without a prior
    /// and with whole words, so a state's next night fits afresh and a pinned one keeps whole words.
    @Test func pruningWrittenBeforeThePriorAndStemmingReadsAsNone() throws {
        var options = TFIDFVectorizer.Options()
        options.stemLetters = 6
        let stemmed = FrozenVocabulary.Pruning(options)
        let current = try JSONDecoder().decode(FrozenVocabulary.Pruning.self, from: JSONEncoder().encode(stemmed))
        #expect(current == stemmed && current.stemLetters == 6)
        let older = Data(#"{"minimum_document_frequency":1,"maximum_document_share":0.5,"copies_counted_once":64,"copy_containment":0.5}"#.utf8)
        let decoded = try JSONDecoder().decode(FrozenVocabulary.Pruning.self, from: older)
        #expect(decoded.priorDocuments == 0 && decoded.stemLetters == 0)
    }

    @Test(arguments: [1, 4, 8, 12, 30])
    func truncatedBlobIsCutShort(missingBytes: Int) throws {
        let data = sample().encoded()
        try #require(data.count > missingBytes)
        #expect(formatError(data.dropLast(missingBytes)) == "the vocabulary is cut short")
    }

    @Test func headerAloneIsCutShort() throws {
        let data = sample().encoded()
        let newline = try #require(data.firstIndex(of: 0x0A))
        #expect(formatError(data[...newline]) == "the vocabulary is cut short")
    }

    @Test func wrongFormatInTheHeaderIsNotAVocabulary() throws {
        let data = sample().encoded()
        let text = String(decoding: data, as: UTF8.self)
        try #require(text.contains("newscluster-vocabulary-1"))
        var changed = data
        let range = try #require(changed.range(of: Data("newscluster-vocabulary-1".utf8)))
        changed.replaceSubrange(range, with: Data("newscluster-vocabulary-9".utf8))
        #expect(formatError(changed) == "not a newscluster vocabulary (newscluster-vocabulary-1)")
    }

    @Test(arguments: ["", "hello", "{\"format\": \"newscluster-vocabulary-1\"}\n", "not json\n"])
    func foreignBytesAreNotAVocabulary(text: String) {
        #expect(formatError(Data(text.utf8)) == "not a newscluster vocabulary (newscluster-vocabulary-1)")
    }

    @Test func moreTermsThanFrequenciesIsRefusedWithBothCounts() {
        let mismatched = sample(hashes: [1, 2, 3], documentFrequency: [1, 1])
        #expect(formatError(mismatched.encoded()) == "the vocabulary holds 3 terms but 2 frequencies")
    }

    @Test func fewerTermsThanFrequenciesIsRefusedWithBothCounts() {
        let mismatched = sample(hashes: [1], documentFrequency: [1, 1, 1, 1])
        #expect(formatError(mismatched.encoded()) == "the vocabulary holds 1 terms but 4 frequencies")
    }

    @Test func idfEqualsTheVectorizersFormula() throws {
        let documents = [
            DocumentTerms(title: "alpha beta", body: "alpha alpha gamma", titleWeight: 2),
            DocumentTerms(title: "", body: "beta gamma gamma gamma", titleWeight: 2),
            DocumentTerms(title: "", body: "delta alpha", titleWeight: 2),
            DocumentTerms(title: "", body: "epsilon alpha", titleWeight: 2),
        ]
        let (_, vocabulary) = TFIDFVectorizer().fit(documents, groups: Array(repeating: "en", count: documents.count))
        try #require(vocabulary.idf.count == vocabulary.documentFrequency.count)
        for (frequency, idf) in zip(vocabulary.documentFrequency, vocabulary.idf) {
            #expect(TFIDFVectorizer.idf(frequency: frequency, documents: documents.count).bitPattern == idf.bitPattern)
        }
        // ln((1 + N) / (1 + df)) + 1
        #expect(abs(Double(TFIDFVectorizer.idf(frequency: 1, documents: 3)) - (log(4.0 / 2.0) + 1)) < 1e-6)
        #expect(TFIDFVectorizer.idf(frequency: 3, documents: 3) == 1)
    }
}

extension FrozenVocabularyTests {
    @Test
    func hashesOutOfOrderAreRefused() throws {
        // `transform` merges the stored hashes with the unseen ones assuming they ascend.
        let unordered = sample(hashes: [17, 3, 40], documentFrequency: [1, 2, 3])
        let description = try #require(formatError(unordered.encoded()), "decoded hashes out of order")
        #expect(description.contains("order"))
    }
}
