import Foundation
import GRDB
import Testing
@testable import NewsCluster

/// Editors' judgements in the state (`StateStore+Judgements.swift`): given once, kept for every
/// run after, in the transaction of the run's other results.
@Suite("StateStore judgements")
struct StateStoreJudgementsTests {
    typealias Base = StateStoreTests

    static let remove = EditorConstraintsTests.judgement("j-1", .remove, minute: 1, article: "a", cannot: [("a", "b")])
    static let confirm = EditorConstraintsTests.judgement("j-2", .confirm, minute: 2, must: [("b", "c")])

    @Test func judgementsAreKeptOnceEachInTheOrderGiven() throws {
        let (store, database) = try Base.inMemory()
        #expect(try store.judgements().isEmpty)
        var first = Base.update(articles: [("a", 1, "S", nil, Base.terms(1))], stories: [("S", 1)])
        first.judgements = [Self.confirm]
        try store.save(first, run: 1)
        var second = Base.update(articles: [("a", 1, "S", nil, nil)], stories: [("S", 1)], known: try store.snapshot())
        // The same judgement again (the file given twice) and a new one.
        second.judgements = [Self.confirm, Self.remove]
        try store.save(second, run: 2)
        #expect(try store.judgements() == [Self.confirm, Self.remove], "by the run that gave them, not by their time")
        #expect(try StateStore(writer: database).judgements() == [Self.confirm, Self.remove])
    }

    @Test func judgementsOfARunThatDidNotCommitAreNotKept() throws {
        let store = try Base.inMemory().store
        var first = Base.update(articles: [("a", 1, "S", nil, Base.terms(1))], stories: [("S", 1)])
        first.judgements = [Self.remove]
        #expect(throws: StateStore.StateError.self) { try store.save(first, run: 1, commitIf: { false }) }
        #expect(try store.judgements().isEmpty)
    }

    @Test func aSchema5StateGainsTheJudgementsTable() throws {
        let root = Fixtures.temporaryDirectory()
        defer { Fixtures.remove(root) }
        let path = root + "/state.sqlite"
        try Base.twoRuns(at: path)
        try DatabaseQueue(path: path).write { db in
            try db.execute(sql: "DROP TABLE judgements; DELETE FROM grdb_migrations WHERE identifier = 'v6'; UPDATE meta SET value = '5' WHERE key = 'schema'")
        }
        #expect(try StateStore(path: path, access: .readOnly).judgements().isEmpty, "read-only: no table, none")
        let migrated = try StateStore(path: path)
        #expect(migrated.openedSchema == 5)
        var next = Base.update(articles: [("a", 1, "S", nil, nil)], stories: [("S", 1)], known: try migrated.snapshot())
        next.judgements = [Self.remove]
        try migrated.save(next, run: 3)
        #expect(try StateStore(path: path, access: .readOnly).judgements() == [Self.remove])
    }
}
