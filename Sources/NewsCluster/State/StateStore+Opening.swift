import Foundation
import GRDB

/// Opening a state: every check that can refuse a file runs here, before a run does any work
/// and before anything is migrated.
///
/// The rules, in order:
/// 1. A missing file is created (`readWrite`) or refused (`readOnly`); an empty file (0 bytes)
///    is refused, as it is what a lost state looks like, not a new one.
/// 2. SQLite must read the schema: garbage, non-SQLite and truncated files fail here with
///    SQLite's reason ("file is not a database", "database disk image is malformed"). A
///    read-only open of a state whose last run was killed mid-write fails too: only a writer
///    may roll its journal back.
/// 3. An SQLite file with tables must have the state's; one with none is a new state
///    (`readWrite` only).
/// 4. A state with migrations this version does not know, or whose recorded schema is
///    higher, was written by a newer newscluster and is refused naming both versions.
/// 5. `readOnly` (inspection) then reads every page (`PRAGMA quick_check`); a run does not, as
///    that would read the whole file once more before the work.
/// 6. `readWrite` then migrates to `StateStore.schema` and records the writer.
///
/// Rule 1 and SQLite's opening are the file's (`init(path:access:)`); the rest reads the
/// database, so it applies to any writer a store is given (`init(writer:access:)`).
extension StateStore {
    /// The schema this version writes: the number of its last migration ("v5" → 5).
    public static let schema: Int = schemaNumber(migrator.migrations.last ?? "v0") ?? 0

    /// The tables every state has had since schema 1.
    static let requiredTables: Set<String> = ["grdb_migrations", "runs", "articles", "groups", "graph", "events"]

    /// What the `meta` table (schema 4 on) records of the version that last wrote the state.
    struct Writer {
        var schema: Int?
        var toolVersion: String?
    }

    /// The file at `path` as a `DatabaseQueue`, once rules 1 and 2 (as far as opening reads)
    /// pass; `readWrite` creates a missing file and its folder.
    static func openFile(path: String, access: Access) throws(StateError) -> DatabaseQueue {
        try reportingOpenErrors(path: path, access: access) {
            let size = try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int
            switch (size, access) {
            case (nil, .readOnly):
                throw StateError.cannotOpen(path, "no such file")
            case (nil, .readWrite):
                let directory = (path as NSString).deletingLastPathComponent
                if !directory.isEmpty {
                    try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
                }
            case (0, _):
                throw StateError.cannotOpen(path, "the file is empty (0 bytes), not a state; remove it to start a new state")
            default:
                break
            }
            var configuration = Configuration()
            configuration.readonly = access == .readOnly
            return try DatabaseQueue(path: path, configuration: configuration)
        }
    }

    /// Rules 2–6 on the database of `writer`: its schema as found (0 for an empty database),
    /// migrated for `readWrite`.
    static func prepare(_ writer: any DatabaseWriter, access: Access) throws(StateError) -> Int {
        let path = writer.path
        return try reportingOpenErrors(path: path, access: access) {
            let (schema, complete) = try writer.read { db in try checkedSchema(db, path: path, access: access) }
            if access == .readWrite && !complete {
                try migrator.migrate(writer)
                try writer.write(recordWriter)
            }
            return schema
        }
    }

    /// What `body` returns, or its error as the `StateError` that refuses the state at `path`.
    private static func reportingOpenErrors<Value>(path: String, access: Access,
                                                   _ body: () throws -> Value) throws(StateError) -> Value {
        do {
            return try body()
        } catch let error as StateError {
            throw error
        } catch let error as DatabaseError
            where access == .readOnly && error.extendedResultCode == .SQLITE_READONLY_ROLLBACK {
            throw .cannotOpen(path, "a run was interrupted while writing it; the next `cluster --state` run rolls it "
                                  + "back to the last finished run (reading it read-only cannot)")
        } catch let error as DatabaseError {
            // SQLite's own words ("file is not a database"), without GRDB's statement.
            throw .cannotOpen(path, error.message ?? "\(error)")
        } catch {
            throw .cannotOpen(path, "\(error)")
        }
    }

    /// The schema of the state in `db` (0 for a new, empty database) and whether it has every
    /// migration of this version, once rules 2–5 pass.
    private static func checkedSchema(_ db: Database, path: String, access: Access) throws -> (schema: Int, complete: Bool) {
        let tables = try String.fetchSet(db, sql: "SELECT name FROM sqlite_master WHERE type = 'table'")
        if tables.isEmpty && access == .readWrite { return (0, false) }
        let missing = requiredTables.subtracting(tables)
        guard missing.isEmpty else {
            throw StateError.cannotOpen(path, "an SQLite database without the tables of a newscluster state (no \(missing.sorted().joined(separator: ", ")))")
        }
        let applied = try migrator.appliedIdentifiers(db)
        let writer = try Self.writer(db)
        let appliedSchema = applied.compactMap(schemaNumber).max() ?? 0
        let schema = max(appliedSchema, writer.schema ?? 0)
        let unknown = applied.subtracting(migrator.migrations)
        if schema > Self.schema || !unknown.isEmpty {
            throw StateError.newerSchema(path, schema: schema, writtenBy: writer.toolVersion, unknownMigrations: unknown.sorted())
        }
        if access == .readOnly {
            let problems = try String.fetchAll(db, sql: "PRAGMA quick_check(3)")
            if problems != ["ok"] {
                throw StateError.cannotOpen(path, "the file is damaged: \(problems.joined(separator: "; "))")
            }
        }
        return (schema, applied == Set(migrator.migrations))
    }

    /// The writer recorded in the `meta` table; empty for states from before schema 4.
    static func writer(_ db: Database) throws -> Writer {
        guard try db.tableExists("meta") else { return Writer() }
        let values = try Dictionary(uniqueKeysWithValues: Row.fetchAll(db, sql: "SELECT key, value FROM meta").map {
            ($0[MetaColumns.key] as String, $0[MetaColumns.value] as String)
        })
        return Writer(schema: values["schema"].flatMap { Int($0) }, toolVersion: values["written_by"])
    }

    /// Records this version as the state's writer: after a migration and with every run.
    static func recordWriter(_ db: Database) throws {
        try db.execute(sql: """
            INSERT INTO meta (key, value) VALUES ('schema', ?), ('written_by', ?)
            ON CONFLICT(key) DO UPDATE SET value = excluded.value
            """, arguments: [String(Self.schema), Pipeline.version])
    }

    /// The number of a migration identifier: "v3" → 3.
    static func schemaNumber(_ identifier: String) -> Int? {
        identifier.first == "v" ? Int(identifier.dropFirst()) : nil
    }
}
