import Foundation
import GRDB
import Testing
@testable import NewsCluster

/// The frozen vocabulary's generation in the state (`StateStore+Vocabulary.swift`).
@Suite("StateStore vocabulary")
struct StateStoreVocabularyTests {
    typealias Base = StateStoreTests

    static func vocabulary(_ generation: Int, run: Int, bytes: [UInt8]) -> StateStore.StoredVocabulary {
        .init(generation: generation, createdRun: run, reason: "generation \(generation)", data: Data(bytes))
    }

    @Test func aSavedVocabularyReadsBackAndIsReplacedByTheNextOneOnly() throws {
        let (store, database) = try Base.inMemory()
        #expect(try store.vocabulary() == nil, "none before a run stores one")
        var first = Base.update(articles: [("a", 1, "S", nil, Base.terms(1))], stories: [("S", 1)])
        first.vocabulary = Self.vocabulary(1, run: 1, bytes: [0, 1, 2, 0xFF])
        try store.save(first, run: 1)
        #expect(try store.vocabulary() == first.vocabulary)
        #expect(try StateStore(writer: database).vocabulary() == first.vocabulary)

        // A run without a new vocabulary keeps the stored one.
        try store.save(Base.update(articles: [("a", 1, "S", nil, nil)], stories: [("S", 1)], known: try store.snapshot()), run: 2)
        #expect(try store.vocabulary() == first.vocabulary)

        // A refresh replaces it: one generation is kept.
        var third = Base.update(articles: [("a", 1, "S", nil, nil)], stories: [("S", 1)], known: try store.snapshot())
        third.vocabulary = Self.vocabulary(2, run: 3, bytes: [])
        try store.save(third, run: 3)
        #expect(try store.vocabulary() == third.vocabulary, "an empty blob reads back empty")
        #expect(try database.read { try Int.fetchOne($0, sql: "SELECT COUNT(*) FROM vocabulary") } == 1)
    }

    @Test func aVocabularyIsWrittenInTheTransactionOfTheRest() throws {
        let store = try Base.inMemory().store
        var first = Base.update(articles: [("a", 1, "S", nil, Base.terms(1))], stories: [("S", 1)])
        first.vocabulary = Self.vocabulary(1, run: 1, bytes: [1])
        try store.save(first, run: 1)
        var second = Base.update(articles: [("a", 1, "S", nil, nil)], stories: [("S", 1)], known: try store.snapshot())
        second.vocabulary = Self.vocabulary(2, run: 2, bytes: [2])
        #expect(throws: StateStore.StateError.self) { try store.save(second, run: 2, commitIf: { false }) }
        #expect(try store.vocabulary() == first.vocabulary, "a run that did not commit leaves the stored one")
        // The same run number again fails at the run's row, after the vocabulary was written.
        #expect(throws: (any Error).self) { try store.save(second, run: 1) }
        #expect(try store.vocabulary() == first.vocabulary)
    }

    @Test func aSchema4StateGainsTheVocabularyTableAndKeepsEverythingElse() throws {
        let root = Fixtures.temporaryDirectory()
        defer { Fixtures.remove(root) }
        let path = root + "/state.sqlite"
        try Base.twoRuns(at: path)
        try Base.downgradeToSchema4(path)
        let older = try StateStore(path: path, access: .readOnly)
        #expect(older.openedSchema == 4)
        let (snapshot, records, history) = (try older.snapshot(), try older.storedRecords(), try older.history())

        let migrated = try StateStore(path: path)
        #expect(migrated.openedSchema == 4)
        #expect(try migrated.vocabulary() == nil)
        let after = try migrated.snapshot()
        try #require(after.articles.count == 2 && snapshot.articles.count == 2)
        for (id, article) in snapshot.articles {
            let kept = try #require(after.articles[id])
            #expect(kept.rowID == article.rowID && kept.contentHash == article.contentHash && kept.story == article.story)
            #expect(kept.duplicateGroup == article.duplicateGroup && kept.cleaningHash == article.cleaningHash)
            #expect(kept.terms.terms == article.terms.terms && kept.terms.counts == article.terms.counts)
            #expect(kept.terms.shingles == article.terms.shingles && kept.terms.script == article.terms.script)
        }
        #expect(after.knownPairs.map(\.0) == snapshot.knownPairs.map(\.0) && after.knownPairs.map(\.1) == snapshot.knownPairs.map(\.1))
        #expect(after.stories == snapshot.stories && after.duplicateGroups == snapshot.duplicateGroups)
        #expect(after.usedIDs == snapshot.usedIDs && after.termLabels == snapshot.termLabels && after.run == snapshot.run)
        #expect(try migrated.storedRecords().mapValues(\.lineKeys) == records.mapValues(\.lineKeys))
        #expect(try migrated.history() == history)
        #expect(try StateStore(path: path, access: .readOnly).info().schema == StateStore.schema)

        // The next run stores a vocabulary beside what it keeps.
        var next = Base.update(articles: [("a", 1, "S", "d-1", nil)], stories: [("S", 1)], known: after)
        next.vocabulary = Self.vocabulary(1, run: 3, bytes: [7])
        try migrated.save(next, run: 3)
        #expect(try StateStore(path: path, access: .readOnly).vocabulary() == next.vocabulary)
    }
}
