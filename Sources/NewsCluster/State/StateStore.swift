import Foundation
import GRDB

/// The nightly state: an SQLite database (through GRDB) holding, per article of the last run,
/// its input record (the hash of its bytes, its fields and line keys: an unchanged record is not
/// decoded again), its content and cleaning hashes, its token counts and sketch (so an unchanged
/// article is never tokenized again), its story and duplicate group; per story and duplicate
/// group, its id, size, headline and history; the labels of the story terms; the frozen
/// vocabulary (`StateStore+Vocabulary.swift`); and one row per run. A run reads it beside the
/// input and writes everything in **one transaction** beside its reports
/// (`StateStore+Saving.swift`), committed once they are in place, so a kill leaves it as it was
/// before the run or as it is after it.
///
/// The file is a contract between versions: it records its schema and the version that wrote
/// it, a newer or damaged state is refused at open (`StateStore+Opening.swift`), every read
/// names its columns (`StateStore+Schema.swift`), and its number arrays carry a format version
/// (`StateStore+Blobs.swift`). `Access.readOnly` inspects a state without changing a byte of it
/// (`StateStore+History.swift`).
public final class StateStore: Sendable {
    /// The state file, or the database's path (`:memory:` for an in-memory one); errors name it.
    let path: String
    /// The one connection the store reads and writes through (GRDB's demo `AppDatabase` takes
    /// one the same way): a file's `DatabaseQueue` from `init(path:access:)`, or any writer a
    /// caller gives, an in-memory `DatabaseQueue()` in the tests.
    let database: any DatabaseWriter

    /// What one article left in the state.
    struct StoredArticle: Sendable {
        /// The row's number in the state, used for the stored pairs.
        var rowID: Int64
        var contentHash: UInt64
        var story: String
        var duplicateGroup: String?
        var terms: DocumentTerms
        /// Hash of the weights and the lines cleaning kept when the terms were counted.
        var cleaningHash: UInt64 = 0
    }

    /// An input record as a run read it: the hash of its bytes, what it says (no text) and the
    /// keys of its lines. A later run meeting the same bytes takes these instead of decoding.
    struct StoredRecord: Sendable {
        var hash: UInt64
        /// The article without its text; its location is the run's that stored it.
        var article: Article
        var lineKeys: [BoilerplateRemover.LineKeys]

        init(hash: UInt64, article: Article, lineKeys: [BoilerplateRemover.LineKeys]) {
            self.hash = hash
            self.article = article
            self.lineKeys = lineKeys
        }
    }

    /// What a run needs from the state.
    struct Snapshot: Sendable {
        /// The stored articles by id (after `restricted(to:)`, those this run reads).
        var articles: [String: StoredArticle] = [:]
        /// Active stories and duplicate groups of the last run.
        var stories: [String: GroupIdentity.Known] = [:]
        var duplicateGroups: [String: GroupIdentity.Known] = [:]
        /// Every id ever given, of both kinds.
        var usedIDs: Set<String> = []
        /// The number this run will have.
        var run = 1
        /// Scored pairs of the previous run, as article row numbers (after `restricted(to:)`,
        /// those of two articles this run reads).
        var knownPairs: [(Int64, Int64)] = []
        /// The score of each of `knownPairs` (empty when not stored), and the fingerprint of the
        /// vocabulary that scored them.
        var knownScores: [Float] = []
        var knownScoredWith: UInt64?
        /// The labels of the last run's story terms, by token hash: a night names the terms it
        /// keeps without reading their articles' texts again.
        var termLabels: [UInt64: String] = [:]

        /// The snapshot of a run over `articleIDs`: their stored articles, and the pairs of two
        /// of them.
        func restricted(to articleIDs: Set<String>) -> Snapshot {
            var kept = self
            kept.articles = articles.filter { articleIDs.contains($0.key) }
            let present = RowTable(kept.articles.values.map { ($0.rowID, true) }, missing: false)
            let keep = knownPairs.map { present[$0.0] && present[$0.1] }
            kept.knownPairs = zip(knownPairs, keep).filter(\.1).map(\.0)
            if knownScores.count == knownPairs.count {
                kept.knownScores = zip(knownScores, keep).filter(\.1).map(\.0)
            } else {
                kept.knownScores = []
                kept.knownScoredWith = nil
            }
            return kept
        }
    }

    /// A value per article row number, in an array: row numbers are small and dense (SQLite
    /// numbers a new row after the largest), and a night looks up millions of stored pairs.
    struct RowTable<Value> {
        private let values: [Value]
        private let missing: Value

        init(_ entries: [(row: Int64, value: Value)], missing: Value) {
            var values = [Value](repeating: missing, count: Int(entries.map(\.row).max() ?? -1) + 1)
            for (row, value) in entries { values[Int(row)] = value }
            self.values = values
            self.missing = missing
        }

        subscript(row: Int64) -> Value {
            row >= 0 && row < values.count ? values[Int(row)] : missing
        }
    }

    /// What a run writes back.
    struct Update: Sendable {
        struct Article: Sendable {
            /// The stored row, for an article the state already has.
            var rowID: Int64?
            var id: String
            var contentHash: UInt64
            var story: String
            var duplicateGroup: String?
            /// Nil when the stored counts were reused (only the story and group change).
            var terms: DocumentTerms?
            /// For a reused article: whether its story or duplicate group changed.
            var moved: Bool
            /// The input record (nil when it had to be repaired: it must be decoded, and warned
            /// about, again next run).
            var record: StoredRecord? = nil
            /// For a reused article: whether `record` differs from the stored one.
            var recordChanged = false
            /// Hash of the weights and the lines cleaning kept (`Pipeline.cleaningHash`).
            var cleaningHash: UInt64 = 0
            /// For a reused article: whether `cleaningHash` differs from the stored one.
            var recleaned = false
        }
        struct Group: Sendable {
            var id: String
            var size: Int
            var headline: String
        }
        var articles: [Article]
        var stories: [Group]
        var duplicateGroups: [Group]
        var storyChanges: [GroupIdentity.Change]
        var duplicateGroupChanges: [GroupIdentity.Change]
        /// Articles tokenized in this run: new ones and changed ones.
        var tokenizedArticles: Int
        /// Scored pairs of this run, as indices into `articles`.
        var pairs: [(Int32, Int32)] = []
        /// The score of each of `pairs` (empty: not kept), and the fingerprint of the vocabulary
        /// that scored them.
        var pairScores: [Float] = []
        var pairsScoredWith: UInt64? = nil
        /// The labels of this run's story terms, by token hash (they replace the stored ones).
        var termLabels: [UInt64: String] = [:]
        /// A new frozen vocabulary, which replaces the stored one; nil keeps the stored one.
        var vocabulary: StoredVocabulary? = nil
        /// The run's editors' judgements: those the state does not have are kept.
        var judgements: [Judgement] = []
    }

    /// How a state is opened.
    public enum Access: Sendable {
        /// For a run: created if missing, migrated to this version's schema.
        case readWrite
        /// For inspection (`newscluster state info`, `state history`): SQLite opens the file
        /// read-only and nothing migrates it, so its bytes stay as they are.
        case readOnly
    }

    /// The schema of the state file as it was opened (before any migration).
    let openedSchema: Int

    /// The state in `writer`, once it passes the checks that read the database
    /// (`StateStore+Opening.swift`, rules 3–6): `Access.readWrite` migrates it to this version's
    /// schema (an empty database becomes a new state), `Access.readOnly` leaves it as it is.
    /// - Parameter writer: the database; for `readOnly`, open it read-only
    ///   (`Configuration.readonly`) for SQLite to refuse any write too.
    /// - Throws: `StateError.cannotOpen` for a database that is not a state (with the reason),
    ///   `StateError.newerSchema` for a state written by a newer newscluster.
    init(writer: any DatabaseWriter, access: Access = .readWrite) throws(StateError) {
        path = writer.path
        database = writer
        openedSchema = try Self.prepare(writer, access: access)
    }

    /// Opens the state file at `path` (`Access.readWrite` creates a missing one, `readOnly` opens
    /// it read-only) after the checks on the file itself, then as `init(writer:access:)`.
    /// - Throws: `StateError.cannotOpen` for a file that is not a readable state (with SQLite's
    ///   reason), `StateError.newerSchema` for a state written by a newer newscluster.
    public convenience init(path: String, access: Access = .readWrite) throws(StateError) {
        try self.init(writer: Self.openFile(path: path, access: access), access: access)
    }

    /// Reads everything a run may need, before it knows which articles it reads (so that the
    /// reading can go on beside it); `Snapshot.restricted(to:)` then keeps the run's articles.
    func snapshot() throws -> Snapshot {
        try reading { db in
            var snapshot = Snapshot()
            snapshot.run = try Int.fetchOne(db, sql: "SELECT COALESCE(MAX(id), 0) + 1 FROM runs") ?? 1
            snapshot.articles = try storedArticles(db)
            snapshot.knownPairs = try storedPairs(db)
            (snapshot.knownScores, snapshot.knownScoredWith) = try storedScores(db)
            snapshot.termLabels = try Self.termLabels(db)
            try Self.readGroups(db, into: &snapshot)
            return snapshot
        }
    }

    /// The stored articles by id, with their counts and sketches decoded.
    /// - Complexity: O(n) in the stored articles and their blobs; each blob is decoded from
    ///   SQLite's buffer without a copy in between.
    private func storedArticles(_ db: Database) throws -> [String: StoredArticle] {
        typealias Columns = ArticleColumns
        var articles: [String: StoredArticle] = [:]
        let rows = try Row.fetchCursor(db, sql: """
            SELECT id, content_hash, story, duplicate_group, terms, counts, shingles, shingle_count,
                   script, length, rowid, cleaning_hash FROM articles
            """)
        while let row = try rows.next() {
            let id: String = row[Columns.id]
            let terms = DocumentTerms(
                terms: try blob(row, Columns.terms, "the terms of article \(id)"),
                counts: try blob(row, Columns.counts, "the counts of article \(id)"),
                shingles: ShingleSketch(minima: try blob(row, Columns.shingles, "the shingles of article \(id)"),
                                        count: row[Columns.shingleCount]),
                script: row[Columns.script], length: row[Columns.length])
            articles[id] = StoredArticle(
                rowID: row[Column.rowID], contentHash: UInt64(bitPattern: row[Columns.contentHash]), story: row[Columns.story],
                duplicateGroup: row[Columns.duplicateGroup], terms: terms,
                cleaningHash: UInt64(bitPattern: row[Columns.cleaningHash]))
        }
        return articles
    }

    /// The last run's scored pairs, as article row numbers.
    private func storedPairs(_ db: Database) throws -> [(Int64, Int64)] {
        guard let blob = try Data.fetchOne(db, sql: "SELECT pairs FROM graph WHERE id = 1") else { return [] }
        let flat: [Int64] = try decoding("the stored pairs") { try Self.decodeRowNumbers(blob) }
        var pairs: [(Int64, Int64)] = []
        pairs.reserveCapacity(flat.count / 2)
        for index in stride(from: 0, to: flat.count - 1, by: 2) {
            pairs.append((flat[index], flat[index + 1]))
        }
        return pairs
    }

    /// The last run's pair scores and the fingerprint of the vocabulary that made them, when
    /// stored (schema 5 on).
    private func storedScores(_ db: Database) throws -> ([Float], UInt64?) {
        // A state of an older schema inspected read-only has no scores yet.
        guard try db.columns(in: "graph").contains(where: { $0.name == "scores" }),
              let row = try Row.fetchOne(db, sql: "SELECT scores, scored_with FROM graph WHERE id = 1"),
              let blob = row["scores"] as Data?, let scoredWith = row["scored_with"] as Int64?
        else { return ([], nil) }
        let scores: [Float] = try decoding("the stored pair scores") { try Self.decode(blob) }
        return (scores, UInt64(bitPattern: scoredWith))
    }

    /// The labels of the last run's story terms, by token hash.
    private static func termLabels(_ db: Database) throws -> [UInt64: String] {
        var labels: [UInt64: String] = [:]
        let rows = try Row.fetchCursor(db, sql: "SELECT hash, label FROM term_labels")
        while let row = try rows.next() {
            labels[UInt64(bitPattern: row[TermLabelColumns.hash])] = row[TermLabelColumns.label]
        }
        return labels
    }

    /// Every id ever given into `usedIDs`; the active stories and duplicate groups into theirs.
    /// Read with a cursor, as every large read here: its rows look a column's name up in one
    /// dictionary, where a fetched array's copied rows compare the names one by one.
    private static func readGroups(_ db: Database, into snapshot: inout Snapshot) throws {
        typealias Columns = GroupColumns
        let rows = try Row.fetchCursor(db, sql: "SELECT id, kind, headline, size, first_run, status FROM groups")
        while let row = try rows.next() {
            let id: String = row[Columns.id]
            snapshot.usedIDs.insert(id)
            guard row[Columns.status] as String == "active" else { continue }
            let known = GroupIdentity.Known(id: id, size: row[Columns.size], firstRun: row[Columns.firstRun],
                                            headline: row[Columns.headline])
            if row[Columns.kind] as String == "story" { snapshot.stories[id] = known } else { snapshot.duplicateGroups[id] = known }
        }
    }

    /// The stored records (the last run's), by the hash of their bytes: read before the input,
    /// which is matched against them as it is read.
    func storedRecords() throws -> [UInt64: StoredRecord] {
        typealias Columns = ArticleColumns
        return try reading { db in
            var result: [UInt64: StoredRecord] = [:]
            let rows = try Row.fetchCursor(db, sql: """
                SELECT id, record_hash, line_keys, title, url, source, published, language
                FROM articles WHERE record_hash != 0 AND line_keys IS NOT NULL
                """)
            while let row = try rows.next() {
                let id: String = row[Columns.id]
                let publishedText: String? = row[Columns.published]
                let hash = UInt64(bitPattern: row[Columns.recordHash])
                result[hash] = StoredRecord(
                    hash: hash,
                    article: Article(id: id, title: row[Columns.title], text: "", url: row[Columns.url], source: row[Columns.source],
                                     published: publishedText.flatMap(PublishedDate.parse),
                                     publishedText: publishedText, language: row[Columns.language]),
                    lineKeys: try decoding("the line keys of article \(id)") {
                        try row.withUnsafeData(at: Columns.lineKeys) { try Self.decodeLines($0 ?? Data()) }
                    })
            }
            return result
        }
    }

    /// Line keys as four 64-bit words each: key, prefix key, opening key, and
    /// leadsNext << 63 | echoesTitle << 62 | offTopic << 61 | cutShort << 60 | tokens << 32 |
    /// letters (tokens and letters are counts, far below 2^28; a state written before a flag
    /// existed has 0 in its bit).
    static func encode(_ lines: [BoilerplateRemover.LineKeys]) -> Data {
        var words: [UInt64] = []
        words.reserveCapacity(4 * lines.count)
        for line in lines {
            let flags: UInt64 = (line.leadsNext ? 1 << 63 : 0) | (line.echoesTitle ? 1 << 62 : 0)
                | (line.offTopic ? 1 << 61 : 0) | (line.cutShort ? 1 << 60 : 0)
            let counts: UInt64 = flags | UInt64(UInt32(bitPattern: line.tokens)) << 32 | UInt64(UInt32(bitPattern: line.letters))
            words.append(line.key)
            words.append(line.prefixKey)
            words.append(line.openingKey)
            words.append(counts)
        }
        return encode(words)
    }

    static func decodeLines(_ data: Data) throws -> [BoilerplateRemover.LineKeys] {
        let words: [UInt64] = try decode(data)
        var lines: [BoilerplateRemover.LineKeys] = []
        lines.reserveCapacity(words.count / 4)
        var index = 0
        while index + 3 < words.count {
            let counts: UInt64 = words[index + 3]
            let tokens = Int32(bitPattern: UInt32(truncatingIfNeeded: counts >> 32) & 0x0FFF_FFFF)
            let letters = Int32(bitPattern: UInt32(truncatingIfNeeded: counts))
            lines.append(BoilerplateRemover.LineKeys(
                key: words[index], prefixKey: words[index + 1], openingKey: words[index + 2],
                tokens: tokens, letters: letters, echoesTitle: counts & (1 << 62) != 0,
                leadsNext: counts & (1 << 63) != 0, offTopic: counts & (1 << 61) != 0,
                cutShort: counts & (1 << 60) != 0))
            index += 4
        }
        return lines
    }

    public enum StateError: Error, CustomStringConvertible {
        /// An article to keep with its stored counts that the state does not hold.
        case missingRow(String)
        /// The state file cannot be opened or created (path, reason).
        case cannotOpen(String, String)
        /// A save whose run failed before its reports were in place: the state is unchanged.
        case notCommitted
        /// A state written by a newer newscluster (path, its schema, the tool version that wrote
        /// it if recorded, the migrations this version does not know): this version must not
        /// migrate or read it.
        case newerSchema(String, schema: Int, writtenBy: String?, unknownMigrations: [String])
        /// A state that opened but fails a later read (path, SQLite's reason).
        case unreadable(String, String)
        /// A stored blob that cannot be decoded (path, which blob, why).
        case unreadableBlob(String, String, String)

        public var description: String {
            switch self {
            case .missingRow(let id): "the state holds no row for article \(id)"
            case .cannotOpen(let path, let reason): "cannot open the state \(path): \(reason)"
            case .notCommitted: "the run failed before its reports were complete: the state is unchanged"
            case .newerSchema(let path, let schema, let writtenBy, let unknownMigrations):
                schema > StateStore.schema
                    ? "\(path) was written by schema \(schema) (newscluster \(writtenBy ?? "of an unknown version")); "
                        + "this newscluster \(Pipeline.version) knows schema ≤ \(StateStore.schema): upgrade newscluster"
                    : "\(path) was written by a newer newscluster (\(writtenBy ?? "of an unknown version")): this newscluster "
                        + "\(Pipeline.version) knows schema ≤ \(StateStore.schema) and not its migration"
                        + "\(unknownMigrations.count == 1 ? "" : "s") \(unknownMigrations.joined(separator: ", ")): upgrade newscluster"
            case .unreadable(let path, let reason): "cannot read the state \(path): \(reason)"
            case .unreadableBlob(let path, let blob, let reason): "cannot read the state \(path): \(blob): \(reason)"
            }
        }
    }

    /// What `body` reads for a run: SQLite's errors (a damaged page that the checks at open did
    /// not read) become a `StateError` naming this state, which fails the run with exit code 1.
    func reading<Value>(_ body: (Database) throws -> Value) throws -> Value {
        do { return try database.read(body) } catch let error as DatabaseError {
            throw StateError.unreadable(path, error.message ?? "\(error)")
        }
    }

    /// What `body` decodes from a stored blob, or the error naming this state and the blob.
    private func decoding<Value>(_ blob: @autoclosure () -> String, _ body: () throws -> Value) throws -> Value {
        do { return try body() } catch { throw StateError.unreadableBlob(path, blob(), "\(error)") }
    }

    /// The numbers of the blob in `column` of `row`, decoded from SQLite's own buffer (a NULL
    /// reads as an empty blob, which has no header and fails), or the error naming the blob.
    private func blob<T: StateBlobValue>(_ row: Row, _ column: Column, _ name: @autoclosure () -> String) throws -> [T] {
        try decoding(name()) { try row.withUnsafeData(at: column) { try Self.decode($0 ?? Data()) } }
    }
}
