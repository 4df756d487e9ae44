import Foundation
import GRDB

/// The state's tables: how each schema was made from the one before (`migrator`), and the
/// columns every read names, one enum per table as GRDB records name their `Columns`. A read
/// never depends on where a column stands in its `SELECT`, so a query can gain a column
/// without shifting the others.
extension StateStore {
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1") { db in
            try db.execute(sql: """
                CREATE TABLE runs (
                    id INTEGER PRIMARY KEY, finished TEXT NOT NULL, articles INTEGER NOT NULL,
                    tokenized_articles INTEGER NOT NULL, stories INTEGER NOT NULL);
                CREATE TABLE articles (
                    id TEXT PRIMARY KEY, content_hash INTEGER NOT NULL, story TEXT NOT NULL,
                    duplicate_group TEXT, terms BLOB NOT NULL, counts BLOB NOT NULL,
                    shingles BLOB NOT NULL, shingle_count INTEGER NOT NULL, script TEXT NOT NULL,
                    length INTEGER NOT NULL, last_run INTEGER NOT NULL,
                    raw_hash INTEGER NOT NULL DEFAULT 0, line_keys BLOB);
                CREATE TABLE groups (
                    id TEXT PRIMARY KEY, kind TEXT NOT NULL CHECK (kind IN ('story', 'duplicate_group')),
                    headline TEXT NOT NULL, size INTEGER NOT NULL, first_run INTEGER NOT NULL,
                    last_run INTEGER NOT NULL,
                    status TEXT NOT NULL CHECK (status IN ('active', 'merged', 'left', 'dissolved')), merged_into TEXT);
                CREATE TABLE graph (
                    id INTEGER PRIMARY KEY CHECK (id = 1), pairs BLOB NOT NULL);
                CREATE TABLE events (
                    run INTEGER NOT NULL, kind TEXT NOT NULL, event TEXT NOT NULL, group_id TEXT NOT NULL,
                    detail TEXT NOT NULL);
                """)
        }
        // Records are recognised by the hash of their bytes (not of their decoded title and
        // text), and keep what the reports need, so an unchanged record is not decoded again.
        migrator.registerMigration("v2") { db in
            try db.execute(sql: """
                ALTER TABLE articles RENAME COLUMN raw_hash TO record_hash;
                UPDATE articles SET record_hash = 0, line_keys = NULL;
                ALTER TABLE articles ADD COLUMN title TEXT NOT NULL DEFAULT '';
                ALTER TABLE articles ADD COLUMN url TEXT;
                ALTER TABLE articles ADD COLUMN source TEXT;
                ALTER TABLE articles ADD COLUMN published TEXT;
                ALTER TABLE articles ADD COLUMN language TEXT;
                ALTER TABLE articles ADD COLUMN cleaning_hash INTEGER NOT NULL DEFAULT 0;
                """)
        }
        // Story terms are named by re-tokenizing their articles' texts, which a night would
        // otherwise read again from the input for the articles it takes from the state.
        migrator.registerMigration("v3") { db in
            try db.execute(sql: "CREATE TABLE term_labels (hash INTEGER PRIMARY KEY, label TEXT NOT NULL)")
        }
        // The state is a contract between versions: the writer's schema and tool version are
        // recorded (a newer state is refused by name), each run keeps the version that made
        // it, and blobs carry a format header in a fixed byte order (`StateStore+Blobs.swift`).
        migrator.registerMigration("v4") { db in
            try db.execute(sql: """
                CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
                ALTER TABLE runs ADD COLUMN tool_version TEXT;
                """)
            try rewriteUnversionedBlobs(db)
        }
        // A vocabulary is frozen between refreshes, so that a night's scores equal a full run's
        // with the same vocabulary; only its latest generation is kept
        // (`StateStore+Vocabulary.swift`).
        migrator.registerMigration("v5") { db in
            try db.execute(sql: """
                CREATE TABLE vocabulary (
                    generation INTEGER PRIMARY KEY, created_run INTEGER NOT NULL, reason TEXT NOT NULL,
                    data BLOB NOT NULL)
                """)
            // Each stored pair's score, and the vocabulary it was scored with: a night with the
            // same vocabulary takes the scores instead of scoring the pairs again.
            try db.execute(sql: "ALTER TABLE graph ADD COLUMN scores BLOB")
            try db.execute(sql: "ALTER TABLE graph ADD COLUMN scored_with INTEGER")
        }
        // Editors' judgements are given once and obeyed every night after (`StateStore+Judgements.swift`).
        migrator.registerMigration("v6") { db in
            try db.execute(sql: """
                CREATE TABLE judgements (
                    id TEXT PRIMARY KEY, time TEXT NOT NULL, given_run INTEGER NOT NULL, data BLOB NOT NULL)
                """)
        }
        return migrator
    }

    /// `articles`: one row per article of the last run. `rowid` (`Column.rowID`) numbers the
    /// stored pairs.
    enum ArticleColumns {
        static let id = Column("id")
        static let contentHash = Column("content_hash")
        static let story = Column("story")
        static let duplicateGroup = Column("duplicate_group")
        static let terms = Column("terms")
        static let counts = Column("counts")
        static let shingles = Column("shingles")
        static let shingleCount = Column("shingle_count")
        static let script = Column("script")
        static let length = Column("length")
        static let cleaningHash = Column("cleaning_hash")
        static let recordHash = Column("record_hash")
        static let lineKeys = Column("line_keys")
        static let title = Column("title")
        static let url = Column("url")
        static let source = Column("source")
        static let published = Column("published")
        static let language = Column("language")
    }

    /// `groups`: every story and duplicate group ever given an id.
    enum GroupColumns {
        static let id = Column("id")
        static let kind = Column("kind")
        static let headline = Column("headline")
        static let size = Column("size")
        static let firstRun = Column("first_run")
        static let status = Column("status")
    }

    /// `runs`: one row per finished run.
    enum RunColumns {
        static let id = Column("id")
        static let finished = Column("finished")
        static let articles = Column("articles")
        static let tokenizedArticles = Column("tokenized_articles")
        static let stories = Column("stories")
        static let toolVersion = Column("tool_version")
    }

    /// `events`: what happened to a group in a run.
    enum EventColumns {
        static let run = Column("run")
        static let kind = Column("kind")
        static let event = Column("event")
        static let groupID = Column("group_id")
        static let detail = Column("detail")
    }

    /// `term_labels`: the last run's story terms by token hash.
    enum TermLabelColumns {
        static let hash = Column("hash")
        static let label = Column("label")
    }

    /// `meta` (schema 4 on): what the last writer recorded.
    enum MetaColumns {
        static let key = Column("key")
        static let value = Column("value")
    }

    /// `judgements` (schema 6 on): every editors' judgement a run was given.
    enum JudgementColumns {
        static let id = Column("id")
        static let time = Column("time")
        static let givenRun = Column("given_run")
        static let data = Column("data")
    }

    /// `vocabulary` (schema 5 on): the frozen vocabulary's latest generation.
    enum VocabularyColumns {
        static let generation = Column("generation")
        static let createdRun = Column("created_run")
        static let reason = Column("reason")
        static let data = Column("data")
    }
}
