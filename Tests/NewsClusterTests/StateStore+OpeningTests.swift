import Foundation
import GRDB
import Testing
@testable import NewsCluster

/// Opening a state (`StateStore+Opening.swift`): what is refused, and what inspection leaves as
/// it was.
@Suite("StateStore opening")
struct StateStoreOpeningTests {
    typealias Base = StateStoreTests

    @Test func aRunCreatesAMissingStateAndItsFolder() throws {
        let root = Fixtures.temporaryDirectory()
        defer { Fixtures.remove(root) }
        let path = root + "/nested/state.sqlite"
        let store = try StateStore(path: path)
        #expect(store.openedSchema == 0 && store.path == path)
        #expect(try store.info().bytes > 0)
        #expect(try StateStore(path: path, access: .readOnly).info().schema == StateStore.schema)
    }

    @Test func aStoreOnAGivenDatabaseIsCheckedAndMigratedAsAFileIs() throws {
        let database = try DatabaseQueue()
        let store = try StateStore(writer: database)
        #expect(store.openedSchema == 0 && store.path == database.path)
        #expect(try StateStore(writer: database).openedSchema == StateStore.schema, "migrated once, by the first store")
        #expect(try database.read(StateStore.writer).schema == StateStore.schema)

        // An older state is described as it is by a read-only store and migrated by a run's.
        let older = try DatabaseQueue()
        try StateStore.migrator.migrate(older, upTo: "v3")
        #expect(try StateStore(writer: older, access: .readOnly).openedSchema == 3)
        #expect(try older.read(StateStore.migrator.appliedIdentifiers) == ["v1", "v2", "v3"], "not migrated")
        #expect(try StateStore(writer: older).openedSchema == 3)
        #expect(try older.read(StateStore.migrator.appliedIdentifiers) == Set(StateStore.migrator.migrations))

        // Another program's database is refused, as its file would be.
        let other = try DatabaseQueue()
        try other.write { try $0.execute(sql: "CREATE TABLE notes (id INTEGER PRIMARY KEY, text TEXT)") }
        let error = try #require(throws: StateStore.StateError.self) { try StateStore(writer: other) }
        #expect("\(error)".hasPrefix("cannot open the state \(other.path): an SQLite database without the tables"), "\(error)")
    }

    @Test(arguments: [3, 4])
    func inspectingAnOlderStateDescribesItAsItIsAndChangesNoByte(_ schema: Int) throws {
        let root = Fixtures.temporaryDirectory()
        defer { Fixtures.remove(root) }
        let path = root + "/state.sqlite"
        try Base.twoRuns(at: path)
        try schema == 3 ? Base.downgradeToSchema3(path) : Base.downgradeToSchema4(path)
        let before = try Base.fingerprint(path)

        let reader = try StateStore(path: path, access: .readOnly)
        let info = try reader.info()
        #expect(info.schema == schema && info.upgradedByNextRun)
        #expect(info.writtenBy == (schema == 3 ? nil : Pipeline.version), "recorded from schema 4 on")
        #expect(info.articles == 2 && info.runs == 2 && info.lastRunArticles == 2)
        let history = try reader.history()
        try #require(history.runs.count == 2)
        #expect(history.runs.map(\.toolVersion) == (schema == 3 ? [nil, nil] : [Pipeline.version, Pipeline.version]),
                "schema 3 kept no tool version")
        #expect(try reader.lastRunArticles() == 2)
        #expect(try reader.vocabulary() == nil, "no vocabulary table before schema 5")
        if schema == 4 {
            #expect(try reader.snapshot().articles.count == 2 && reader.storedRecords().count == 1, "a run's reads too")
        }
        let after = try Base.fingerprint(path)
        #expect(after.0 == before.0, "the same bytes")
        #expect(after.1 == before.1, "the same modification time")
        #expect(try Set(FileManager.default.contentsOfDirectory(atPath: root)) == ["state.sqlite"], "no journal left beside it")
        #expect(throws: (any Error).self, "a read-only store cannot write") {
            try reader.save(Base.update(articles: [("a", 1, "S", nil, nil)], stories: [("S", 1)]), run: 3)
        }
    }

    @Test func aStateOfANewerSchemaIsRefusedNamingBothVersionsAndLeftAsItIs() throws {
        let root = Fixtures.temporaryDirectory()
        defer { Fixtures.remove(root) }
        let path = root + "/state.sqlite"
        try Base.twoRuns(at: path)
        let database = try DatabaseQueue(path: path)
        try database.write { db in
            try db.execute(sql: """
                INSERT INTO grdb_migrations (identifier) VALUES ('v\(StateStore.schema + 1)');
                UPDATE meta SET value = '\(StateStore.schema + 1)' WHERE key = 'schema';
                UPDATE meta SET value = '0.3.0' WHERE key = 'written_by';
                """)
        }
        try database.close()
        let before = try Base.fingerprint(path)
        for access in [StateStore.Access.readWrite, .readOnly] {
            let error = try #require(throws: StateStore.StateError.self) { try StateStore(path: path, access: access) }
            #expect("\(error)" == "\(path) was written by schema \(StateStore.schema + 1) (newscluster 0.3.0); "
                    + "this newscluster \(Pipeline.version) knows schema ≤ \(StateStore.schema): upgrade newscluster")
        }
        #expect(try Base.fingerprint(path).0 == before.0, "not migrated")
    }

    @Test func aStateWithAMigrationThisVersionDoesNotKnowIsRefused() throws {
        let root = Fixtures.temporaryDirectory()
        defer { Fixtures.remove(root) }
        let path = root + "/state.sqlite"
        try Base.twoRuns(at: path)
        try Base.downgradeToSchema3(path)
        // A newer version's state as far as schema 3 goes, plus a migration of its own.
        let database = try DatabaseQueue(path: path)
        try database.write { db in try db.execute(sql: "INSERT INTO grdb_migrations (identifier) VALUES ('sharded-graph')") }
        try database.close()
        let error = try #require(throws: StateStore.StateError.self) { try StateStore(path: path) }
        #expect("\(error)" == "\(path) was written by a newer newscluster (of an unknown version): this newscluster "
                + "\(Pipeline.version) knows schema ≤ \(StateStore.schema) and not its migration sharded-graph: upgrade newscluster")
    }

    /// Files that are not a usable state, as a run (`readWrite`) and as `state info` (`readOnly`) meet them.
    static let brokenFiles: [(name: String, make: @Sendable (String) throws -> Void, reason: String)] = [
        ("empty", { try Data().write(to: URL(fileURLWithPath: $0)) }, "the file is empty (0 bytes)"),
        ("garbage", { path in
            var generator = SystemRandomNumberGenerator()
            try Data((0..<8192).map { _ in UInt8.random(in: 0...255, using: &generator) }).write(to: URL(fileURLWithPath: path))
        }, "file is not a database"),
        ("text", { try Data("id,title\n1,Ferry strike ends\n".utf8).write(to: URL(fileURLWithPath: $0)) }, "file is not a database"),
        ("truncated", { path in
            try StateStoreTests.twoRuns(at: path + ".whole")
            let whole = try Data(contentsOf: URL(fileURLWithPath: path + ".whole"))
            try whole.prefix(whole.count / 2).write(to: URL(fileURLWithPath: path))
        }, "database disk image is malformed"),
        ("another SQLite database", { path in
            let database = try DatabaseQueue(path: path)
            try database.write { try $0.execute(sql: "CREATE TABLE notes (id INTEGER PRIMARY KEY, text TEXT)") }
            try database.close()
        }, "an SQLite database without the tables of a newscluster state"),
    ]

    @Test(arguments: brokenFiles.indices, [StateStore.Access.readWrite, .readOnly])
    func aFileThatIsNotAUsableStateFailsAtOpenWithItsPathAndReason(_ index: Int, _ access: StateStore.Access) throws {
        let root = Fixtures.temporaryDirectory()
        defer { Fixtures.remove(root) }
        let path = root + "/state.sqlite"
        let broken = Self.brokenFiles[index]
        try broken.make(path)
        let error = try #require(throws: StateStore.StateError.self) { try StateStore(path: path, access: access) }
        #expect("\(error)".hasPrefix("cannot open the state \(path): \(broken.reason)"), "\(broken.name): \(error)")
    }

    @Test func inspectionFindsADamagedPageThatOpeningForARunDoesNotReadAndTheRunsReadNamesTheState() throws {
        let root = Fixtures.temporaryDirectory()
        defer { Fixtures.remove(root) }
        let path = root + "/state.sqlite"
        try Base.twoRuns(at: path)
        let database = try DatabaseQueue(path: path)
        let (page, pageSize) = try database.read { db in
            (try Int.fetchOne(db, sql: "SELECT rootpage FROM sqlite_master WHERE name = 'articles'") ?? 0,
             try Int.fetchOne(db, sql: "PRAGMA page_size") ?? 0)
        }
        try database.close()
        try #require(page > 1 && pageSize > 0)
        // The articles' page overwritten: the schema, the migrations and `meta` still read.
        var bytes = try Data(contentsOf: URL(fileURLWithPath: path))
        bytes.replaceSubrange((page - 1) * pageSize..<page * pageSize, with: [UInt8](repeating: 0xA5, count: pageSize))
        try bytes.write(to: URL(fileURLWithPath: path))
        // A run opens it, and its first read of the articles fails naming the state.
        let store = try StateStore(path: path)
        let readError = try #require(throws: StateStore.StateError.self) { try store.snapshot() }
        #expect("\(readError)" == "cannot read the state \(path): database disk image is malformed")
        // quick_check lists what it finds, or SQLite stops it with its own reason.
        let error = try #require(throws: StateStore.StateError.self) { try StateStore(path: path, access: .readOnly) }
        let reason = "\(error)".dropFirst("cannot open the state \(path): ".count)
        #expect("\(error)".hasPrefix("cannot open the state \(path): "))
        #expect(reason.hasPrefix("the file is damaged: ") || reason == "database disk image is malformed", "\(error)")
    }

    @Test func aReadOnlyStoreNeitherCreatesAMissingStateNorRollsBackAnInterruptedOne() throws {
        let root = Fixtures.temporaryDirectory()
        defer { Fixtures.remove(root) }
        let missing = try #require(throws: StateStore.StateError.self) { try StateStore(path: root + "/none.sqlite", access: .readOnly) }
        #expect("\(missing)" == "cannot open the state \(root)/none.sqlite: no such file")
        #expect(!FileManager.default.fileExists(atPath: root + "/none.sqlite"))

        // A run killed mid-write leaves its journal: copied here while a write is under way,
        // once a small page cache has made SQLite sync the journal and write pages to the file.
        let path = root + "/state.sqlite", interrupted = root + "/interrupted.sqlite"
        try Base.twoRuns(at: path)
        let database = try DatabaseQueue(path: path)
        try database.write { db in
            try db.execute(sql: "PRAGMA cache_size = 2; DELETE FROM articles")
            try db.execute(sql: "INSERT INTO term_labels (hash, label) VALUES (1, ?)", arguments: [String(repeating: "x", count: 1 << 16)])
            try FileManager.default.copyItem(atPath: path, toPath: interrupted)
            try FileManager.default.copyItem(atPath: path + "-journal", toPath: interrupted + "-journal")
        }
        try database.close()
        let before = try Base.fingerprint(interrupted)
        let error = try #require(throws: StateStore.StateError.self) { try StateStore(path: interrupted, access: .readOnly) }
        #expect("\(error)".contains("a run was interrupted while writing it"), "\(error)")
        #expect(try Base.fingerprint(interrupted).0 == before.0)
        // A run rolls it back to the last finished run.
        #expect(try StateStore(path: interrupted).info().articles == 2)
    }
}
