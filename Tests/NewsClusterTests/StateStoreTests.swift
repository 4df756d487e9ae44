import Foundation
import GRDB
import Testing
@testable import NewsCluster

@Suite("StateStore")
struct StateStoreTests {
    static func terms(_ seed: UInt64) -> DocumentTerms {
        DocumentTerms(terms: [1, seed, 1 << 63 | seed], counts: [1, 2.5, 3], shingles: ShingleSketch(minima: [seed, seed + 1], count: 7),
                      script: "cyrl", length: 42)
    }

    static func update(articles: [(String, UInt64, String, String?, DocumentTerms?)], stories: [(String, Int)],
                       changes: [GroupIdentity.Change] = [], known: StateStore.Snapshot? = nil,
                       pairs: [(Int32, Int32)] = []) -> StateStore.Update {
        StateStore.Update(
            articles: articles.map {
                .init(rowID: known?.articles[$0.0]?.rowID, id: $0.0, contentHash: $0.1, story: $0.2, duplicateGroup: $0.3,
                      terms: $0.4, moved: known?.articles[$0.0]?.story != $0.2)
            },
            stories: stories.map { .init(id: $0.0, size: $0.1, headline: "headline of \($0.0)") },
            duplicateGroups: [.init(id: "d-1", size: 2, headline: "")],
            storyChanges: changes, duplicateGroupChanges: [], tokenizedArticles: articles.filter { $0.4 != nil }.count,
            pairs: pairs)
    }

    /// A new state in memory: the store's logic without a file (`StateStore+OpeningTests`
    /// tests the files).
    static func inMemory() throws -> (store: StateStore, database: DatabaseQueue) {
        let database = try DatabaseQueue()
        return (try StateStore(writer: database), database)
    }

    @Test func aSaveNotToCommitLeavesTheStateAsItWas() throws {
        let store = try Self.inMemory().store
        try store.save(Self.update(articles: [("a", 1, "S", nil, Self.terms(5))], stories: [("S", 1)],
                                   changes: [.new(id: "S")]), run: 1)
        let before = try store.info()
        var asked = false
        #expect(throws: StateStore.StateError.self) {
            try store.save(Self.update(articles: [("b", 2, "T", nil, Self.terms(6))], stories: [("T", 1)],
                                       changes: [.new(id: "T")]), run: 2, commitIf: {
                asked = true
                return false
            })
        }
        #expect(asked, "asked once everything was written")
        #expect(try store.info() == before)
        #expect(Set(try store.snapshot().articles.keys) == ["a"])
        #expect(try store.events(of: "T").isEmpty)
    }

    @Test func theWholeSnapshotRestrictedIsTheSnapshotOfTheRunsArticles() throws {
        let store = try Self.inMemory().store
        let ids = (0..<40).map { "a\($0)" }
        var articles: [(String, UInt64, String, String?, DocumentTerms?)] = []
        var pairs: [(Int32, Int32)] = []
        for (index, id) in ids.enumerated() {
            articles.append((id, UInt64(index), "S\(index % 3)", nil, Self.terms(UInt64(index))))
            if index < 39 {
                pairs.append((Int32(index), Int32(index + 1)))
                pairs.append((Int32(index), Int32(39 - index)))
            }
        }
        try store.save(Self.update(articles: articles, stories: [("S0", 14), ("S1", 13), ("S2", 13)], pairs: pairs), run: 1)
        let whole = try store.snapshot()
        #expect(whole.articles.count == 40 && whole.knownPairs.count == 78)
        for wanted in [Set<String>(), Set(ids), Set(ids.filter { $0.hasSuffix("1") || $0.hasSuffix("4") }), ["a7", "zzz"]] {
            let restricted = whole.restricted(to: wanted)
            #expect(Set(restricted.articles.keys) == wanted.intersection(ids))
            let rows = Set(restricted.articles.values.map(\.rowID))
            let expected = whole.knownPairs.filter { rows.contains($0.0) && rows.contains($0.1) }
            #expect(restricted.knownPairs.map(\.0) == expected.map(\.0) && restricted.knownPairs.map(\.1) == expected.map(\.1))
            #expect(restricted.run == whole.run && restricted.usedIDs == whole.usedIDs && restricted.stories == whole.stories)
        }
    }

    @Test func roundTripsArticlesStoriesAndRuns() throws {
        let (store, database) = try Self.inMemory()
        #expect(try store.snapshot().restricted(to: []).run == 1)
        try store.save(Self.update(articles: [("a", 1, "S", "d-1", Self.terms(5)), ("b", UInt64.max, "S", "d-1", Self.terms(6)),
                                              ("c", 3, "T", nil, Self.terms(7))],
                                   stories: [("S", 2), ("T", 1)], changes: [.new(id: "S"), .new(id: "T")],
                                   pairs: [(0, 1), (1, 2)]), run: 1)
        let snapshot = try StateStore(writer: database).snapshot().restricted(to: ["a", "b", "zzz"])
        #expect(snapshot.run == 2)
        #expect(Set(snapshot.articles.keys) == ["a", "b"], "only the articles asked for")
        #expect(snapshot.articles["b"]?.contentHash == UInt64.max)
        #expect(snapshot.articles["a"]?.story == "S" && snapshot.articles["a"]?.duplicateGroup == "d-1")
        #expect(snapshot.articles["a"]?.terms.terms == Self.terms(5).terms)
        #expect(snapshot.articles["a"]?.terms.counts == Self.terms(5).counts)
        #expect(snapshot.articles["a"]?.terms.shingles == Self.terms(5).shingles)
        #expect(snapshot.articles["a"]?.terms.script == "cyrl" && snapshot.articles["a"]?.terms.length == 42)
        #expect(snapshot.stories["S"] == GroupIdentity.Known(id: "S", size: 2, firstRun: 1, headline: "headline of S"))
        #expect(snapshot.duplicateGroups["d-1"]?.size == 2)
        #expect(snapshot.usedIDs == ["S", "T", "d-1"])
        #expect(try store.events(of: "S").map(\.event) == ["new"])

        // The stored pairs whose two articles are read again.
        #expect(snapshot.knownPairs.count == 1)
        let all = try store.snapshot().restricted(to: ["a", "b", "c"])
        let a = try #require(all.articles["a"]), b = try #require(all.articles["b"]), c = try #require(all.articles["c"])
        #expect(all.knownPairs.map(\.0) == [a.rowID, b.rowID])
        #expect(all.knownPairs.map(\.1) == [b.rowID, c.rowID])

        // Run 2: T merges into S, the stored counts of "a" and "c" are reused (nil terms).
        try store.save(Self.update(articles: [("a", 1, "S", "d-1", nil), ("c", 3, "S", nil, nil)], stories: [("S", 3)],
                                   changes: [.merged(ids: ["T"], into: "S"), .grown(id: "S", added: 1)], known: all), run: 2)
        let second = try store.snapshot().restricted(to: ["a", "c"])
        #expect(second.articles["a"]?.terms.terms == Self.terms(5).terms, "reused counts stay stored")
        #expect(second.articles["c"]?.story == "S")
        #expect(second.stories.keys.sorted() == ["S"], "a merged story is no longer active")
        #expect(second.usedIDs.contains("T"), "its id is never given again")
        #expect(second.stories["S"]?.firstRun == 1 && second.stories["S"]?.size == 3)
        #expect(try store.events(of: "T").map(\.event) == ["new", "merged"])
        #expect(try store.events(of: "T").map(\.detail) == ["", "S"])
        let info = try store.info()
        // "b" was not in run 2: the state keeps the articles of its last run only.
        #expect(info.articles == 2 && info.stories == 2 && info.activeStories == 1 && info.runs == 2)
        #expect(try store.snapshot().restricted(to: ["b"]).articles.isEmpty)
    }

    @Test func termLabelsAreReplacedByEachRunsOwn() throws {
        let (store, database) = try Self.inMemory()
        #expect(try store.snapshot().termLabels.isEmpty)
        var first = Self.update(articles: [("a", 1, "S", nil, Self.terms(1))], stories: [("S", 1)])
        first.termLabels = [1: "harbor", 2: "bridge", UInt64.max: "бишкек"]
        try store.save(first, run: 1)
        #expect(try StateStore(writer: database).snapshot().termLabels == first.termLabels)
        #expect(try store.snapshot().restricted(to: []).termLabels == first.termLabels, "kept for every run")

        var second = Self.update(articles: [("a", 1, "S", nil, nil)], stories: [("S", 1)], known: try store.snapshot())
        second.termLabels = [2: "bridge", 3: "repairs", UInt64.max: "бишкек"]
        // A run that fails before its reports are in place leaves the labels as they were.
        #expect(throws: StateStore.StateError.self) { try store.save(second, run: 2, commitIf: { false }) }
        #expect(try store.snapshot().termLabels == first.termLabels)
        try store.save(second, run: 2)
        #expect(try store.snapshot().termLabels == second.termLabels, "labels no run shows any more are gone")
    }

    @Test func aStateFromBeforeTermLabelsOpensAndGainsThem() throws {
        let root = Fixtures.temporaryDirectory()
        defer { Fixtures.remove(root) }
        let path = root + "/state.sqlite"
        try StateStore(path: path).save(Self.update(articles: [("a", 1, "S", nil, Self.terms(1))], stories: [("S", 1)]), run: 1)
        // What schema 2 left: its two migrations, no labels table.
        try Self.downgradeToSchema3(path)
        let older = try DatabaseQueue(path: path)
        try older.write { db in
            try db.execute(sql: "DROP TABLE term_labels; DELETE FROM grdb_migrations WHERE identifier = 'v3'")
        }
        try older.close()
        let store = try StateStore(path: path)
        let snapshot = try store.snapshot()
        #expect(snapshot.termLabels.isEmpty)
        #expect(Set(snapshot.articles.keys) == ["a"], "the stored articles are kept")
        var next = Self.update(articles: [("a", 1, "S", nil, nil)], stories: [("S", 1)], known: snapshot)
        next.termLabels = [7: "harbor"]
        try store.save(next, run: 2)
        #expect(try store.snapshot().termLabels == [7: "harbor"])
    }

    @Test func aFailedSaveChangesNothing() throws {
        let store = try Self.inMemory().store
        try store.save(Self.update(articles: [("a", 1, "S", nil, Self.terms(1))], stories: [("S", 1)]), run: 1)
        // The same run number again violates the primary key of `runs` at the very end.
        #expect(throws: (any Error).self) {
            try store.save(Self.update(articles: [("b", 2, "S", nil, Self.terms(2))], stories: [("S", 2)]), run: 1)
        }
        let snapshot = try store.snapshot().restricted(to: ["a", "b"])
        #expect(Set(snapshot.articles.keys) == ["a"], "the transaction was rolled back")
        #expect(snapshot.stories["S"]?.size == 1)
    }

    @Test func recordsAreStoredByTheHashOfTheirBytesAndKeptWhenNotRewritten() throws {
        let store = try Self.inMemory().store
        let keys = [BoilerplateRemover.LineKeys(key: .max, prefixKey: 1, openingKey: 2, tokens: 7, letters: -1, leadsNext: true),
                    BoilerplateRemover.LineKeys(key: 0, prefixKey: 3, openingKey: 4, tokens: 0, letters: 123_456, echoesTitle: true),
                    BoilerplateRemover.LineKeys(key: 5, prefixKey: 6, openingKey: 7, tokens: (1 << 28) - 1, letters: 0,
                                                echoesTitle: true, leadsNext: true, offTopic: true, cutShort: true),
                    BoilerplateRemover.LineKeys(key: 8, prefixKey: 9, openingKey: 10, tokens: 12, letters: 60, cutShort: true)]
        #expect(try StateStore.decodeLines(StateStore.encode(keys)) == keys)
        let fields = Article(id: "a", title: "Ferry strike ends", text: "", url: "https://example.org/a", source: "Gazette",
                             published: PublishedDate.parse("2020-10-06T10:00:00Z"), publishedText: "2020-10-06T10:00:00Z",
                             language: "en")
        var update = Self.update(articles: [("a", 1, "S", nil, Self.terms(1)), ("b", 2, "S", nil, Self.terms(2))], stories: [("S", 2)])
        update.articles[0].record = .init(hash: 99, article: fields, lineKeys: keys)
        update.articles[0].cleaningHash = 7
        try store.save(update, run: 1)
        var records = try store.storedRecords()
        #expect(records.count == 1, "no record was given for b")
        let stored = try #require(records[99])
        #expect(stored.lineKeys == keys && stored.article.id == "a" && stored.article.text.isEmpty)
        #expect(stored.article.title == fields.title && stored.article.url == fields.url && stored.article.source == fields.source)
        #expect(stored.article.published == fields.published && stored.article.publishedText == fields.publishedText)
        #expect(stored.article.language == "en")
        #expect(try store.snapshot().restricted(to: ["a"]).articles["a"]?.cleaningHash == 7)
        // Run 2 keeps a's counts and record; b gets a record without rewriting its counts.
        let known = try store.snapshot().restricted(to: ["a", "b"])
        update = Self.update(articles: [("a", 1, "S", nil, nil), ("b", 2, "S", nil, nil)], stories: [("S", 2)], known: known)
        update.articles[0].record = stored
        update.articles[1].record = .init(hash: 42, article: Article(id: "b", text: ""), lineKeys: [])
        update.articles[1].recordChanged = true
        update.articles[1].cleaningHash = 8
        update.articles[1].recleaned = true
        try store.save(update, run: 2)
        records = try store.storedRecords()
        #expect(Set(records.keys) == [99, 42])
        #expect(records[99]?.lineKeys == keys)
        #expect(try store.snapshot().restricted(to: ["b"]).articles["b"]?.cleaningHash == 8)
        // Run 3 rewrites a's counts without a record (it had to be repaired): nothing to match.
        update = Self.update(articles: [("a", 5, "S", nil, Self.terms(3)), ("b", 2, "S", nil, nil)], stories: [("S", 2)],
                             known: try store.snapshot().restricted(to: ["a", "b"]))
        update.articles[1].record = records[42]
        try store.save(update, run: 3)
        #expect(Set(try store.storedRecords().keys) == [42])
        // Run 4: b leaves the window, and its record with it.
        try store.save(Self.update(articles: [("a", 5, "S", nil, nil)], stories: [("S", 1)],
                                   known: try store.snapshot().restricted(to: ["a"])), run: 4)
        #expect(try store.storedRecords().isEmpty)
    }

    /// Turns a state this version wrote into what schema 4 left: no `vocabulary` table, no
    /// migration v5, schema 4 recorded.
    static func downgradeToSchema4(_ path: String) throws {
        let database = try DatabaseQueue(path: path)
        try database.write { db in
            try db.execute(sql: """
                DROP TABLE judgements; DELETE FROM grdb_migrations WHERE identifier = 'v6';
                DROP TABLE vocabulary; DELETE FROM grdb_migrations WHERE identifier = 'v5';
                ALTER TABLE graph DROP COLUMN scores; ALTER TABLE graph DROP COLUMN scored_with;
                UPDATE meta SET value = '4' WHERE key = 'schema'
                """)
        }
        try database.close()
    }

    /// Turns a state this version wrote into what schema 3 left: what schema 4 left, without
    /// the `meta` table nor `runs.tool_version`, bare blobs in the machine's byte order, no
    /// migration v4.
    static func downgradeToSchema3(_ path: String) throws {
        try downgradeToSchema4(path)
        func bare<T: StateBlobValue>(_ blob: Data, as: T.Type) throws -> Data {
            (try StateStore.decode(blob) as [T]).withUnsafeBytes { Data($0) }
        }
        let database = try DatabaseQueue(path: path)
        try database.write { db in
            for row in try Row.fetchAll(db, sql: "SELECT rowid, terms, counts, shingles, line_keys FROM articles") {
                let lineKeys: Data? = row["line_keys"]
                try db.execute(sql: "UPDATE articles SET terms = ?, counts = ?, shingles = ?, line_keys = ? WHERE rowid = ?",
                               arguments: [try bare(row["terms"], as: UInt64.self), try bare(row["counts"], as: Float.self),
                                           try bare(row["shingles"], as: UInt64.self),
                                           try lineKeys.map { try bare($0, as: UInt64.self) }, row["rowid"] as Int64])
            }
            if let pairs = try Data.fetchOne(db, sql: "SELECT pairs FROM graph") {
                // Schema 3 held the row numbers as bare 8-byte values.
                let rows = try StateStore.decodeRowNumbers(pairs)
                try db.execute(sql: "UPDATE graph SET pairs = ?", arguments: [rows.withUnsafeBytes { Data($0) }])
            }
            try db.execute(sql: """
                DROP TABLE meta; ALTER TABLE runs DROP COLUMN tool_version;
                DELETE FROM grdb_migrations WHERE identifier = 'v4'
                """)
        }
        try database.close()
    }

    /// A state of two runs (a merge in the second), with a record, pairs and labels.
    static func twoRuns(at path: String) throws {
        let store = try StateStore(path: path)
        var first = Self.update(articles: [("a", 1, "S", "d-1", Self.terms(5)), ("b", 2, "S", "d-1", Self.terms(6)),
                                           ("c", 3, "T", nil, Self.terms(7))],
                                stories: [("S", 2), ("T", 1)], changes: [.new(id: "S"), .new(id: "T")], pairs: [(0, 1), (1, 2)])
        first.articles[0].record = .init(hash: 99, article: Article(id: "a", title: "Ferry strike ends", text: ""),
                                         lineKeys: [.init(key: 1, prefixKey: 2, openingKey: 3, tokens: 4, letters: 5)])
        first.termLabels = [7: "harbor"]
        try store.save(first, run: 1)
        try store.save(Self.update(articles: [("a", 1, "S", "d-1", nil), ("c", 3, "S", nil, nil)], stories: [("S", 3)],
                                   changes: [.merged(ids: ["T"], into: "S"), .grown(id: "S", added: 1), .split(id: "S", parts: ["U", "V"])],
                                   known: try store.snapshot()), run: 2)
    }

    /// The file's bytes and modification time, to show that reading it changed neither.
    static func fingerprint(_ path: String) throws -> (Data, Date?) {
        (try Data(contentsOf: URL(fileURLWithPath: path)),
         try FileManager.default.attributesOfItem(atPath: path)[.modificationDate] as? Date)
    }
}
