import Foundation
import GRDB

/// Writing a run's results: `save` runs its parts in one transaction, each part a function of
/// the `Database` that writes one concern, in this order: the articles (their row numbers
/// number the pairs), the articles that left, the pairs, the term labels, the stories and
/// duplicate groups with their events, a new vocabulary (`StateStore+Vocabulary.swift`), the
/// editors' judgements (`StateStore+Judgements.swift`), the run's row and the writer.
extension StateStore {
    /// Writes a run's results in one transaction, committed only if `commitIf`, asked once all
    /// is written, says so: a run writes the state while it writes its reports, and commits it
    /// once they are in place.
    /// - Throws: `StateError.notCommitted` when `commitIf` says no, `StateError.missingRow` for
    ///   a reused article the state does not hold, or SQLite's error; each rolls everything back.
    func save(_ update: Update, run: Int, finished: Date = Date(), commitIf: () -> Bool = { true }) throws {
        try database.write { db in
            let rowIDs = try Self.saveArticles(update.articles, run: run, db)
            try Self.removeArticles(keeping: rowIDs, db)
            try Self.savePairs(update.pairs, scores: update.pairScores, scoredWith: update.pairsScoredWith, rowIDs: rowIDs, db)
            try Self.saveTermLabels(update.termLabels, db)
            try Self.saveGroups(kind: "story", update.stories, changes: update.storyChanges, run: run, db)
            try Self.saveGroups(kind: "duplicate_group", update.duplicateGroups, changes: update.duplicateGroupChanges,
                                run: run, db)
            if let vocabulary = update.vocabulary { try Self.saveVocabulary(vocabulary, db) }
            try Self.saveJudgements(update.judgements, run: run, db)
            try Self.saveRun(update, run: run, finished: finished, db)
            try Self.recordWriter(db)
            // Thrown inside the transaction, which rolls it back.
            guard commitIf() else { throw StateError.notCommitted }
        }
    }

    /// Writes each article of the run: a counted one whole (inserted, or updated in place), a
    /// reused one only where it changed (story and group, cleaning hash, record).
    /// - Returns: the row number of each article, in the order of `articles`.
    static func saveArticles(_ articles: [Update.Article], run: Int, _ db: Database) throws -> [Int64] {
        let upsertArticle = try db.makeStatement(sql: """
            INSERT INTO articles (id, content_hash, story, duplicate_group, terms, counts, shingles,
                                  shingle_count, script, length, last_run, cleaning_hash, record_hash,
                                  line_keys, title, url, source, published, language)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT(id) DO UPDATE SET content_hash = excluded.content_hash, story = excluded.story,
                duplicate_group = excluded.duplicate_group, terms = excluded.terms, counts = excluded.counts,
                shingles = excluded.shingles, shingle_count = excluded.shingle_count, script = excluded.script,
                length = excluded.length, last_run = excluded.last_run, cleaning_hash = excluded.cleaning_hash,
                record_hash = excluded.record_hash, line_keys = excluded.line_keys, title = excluded.title,
                url = excluded.url, source = excluded.source, published = excluded.published,
                language = excluded.language
            RETURNING rowid
            """)
        let moveArticle = try db.makeStatement(sql: """
            UPDATE articles SET story = ?, duplicate_group = ?, last_run = ? WHERE id = ?
            """)
        let updateCleaning = try db.makeStatement(sql: "UPDATE articles SET cleaning_hash = ? WHERE id = ?")
        let updateRecord = try db.makeStatement(sql: """
            UPDATE articles SET record_hash = ?, line_keys = ?, title = ?, url = ?, source = ?, published = ?,
                language = ? WHERE id = ?
            """)
        var rowIDs: [Int64] = []
        rowIDs.reserveCapacity(articles.count)
        for article in articles {
            if let terms = article.terms {
                // RETURNING gives the row also when the upsert updated an existing one.
                let values: [(any DatabaseValueConvertible)?] = [
                    article.id, Int64(bitPattern: article.contentHash), article.story, article.duplicateGroup,
                    encode(terms.terms), encode(terms.counts), encode(terms.shingles.minima),
                    terms.shingles.count, terms.script, terms.length, run, Int64(bitPattern: article.cleaningHash)]
                    + recordValues(article.record)
                let rowID = try Int64.fetchOne(upsertArticle, arguments: StatementArguments(values))
                guard let rowID else { throw StateError.missingRow(article.id) }
                rowIDs.append(rowID)
            } else {
                guard let rowID = article.rowID else { throw StateError.missingRow(article.id) }
                if article.moved {
                    try moveArticle.execute(arguments: [article.story, article.duplicateGroup, run, article.id])
                }
                if article.recleaned {
                    try updateCleaning.execute(arguments: [Int64(bitPattern: article.cleaningHash), article.id])
                }
                if article.recordChanged {
                    try updateRecord.execute(arguments: StatementArguments(recordValues(article.record) + [article.id]))
                }
                rowIDs.append(rowID)
            }
        }
        return rowIDs
    }

    /// A record's columns (`record_hash` to `language`), all null (the hash 0) without one:
    /// nothing to match next run.
    private static func recordValues(_ record: StoredRecord?) -> [(any DatabaseValueConvertible)?] {
        guard let record else { return [0, nil, "", nil, nil, nil, nil] }
        return [Int64(bitPattern: record.hash), encode(record.lineKeys), record.article.title,
                record.article.url, record.article.source, record.article.publishedText, record.article.language]
    }

    /// Removes the articles that are not in the run: the state holds the articles of its last
    /// run (the window), so it does not grow night after night. Their stories' history stays.
    /// - Complexity: O(n) in the stored articles to find the leavers, by row number from the
    ///   rows this run wrote or kept (a temporary table of every id and `NOT IN` cost far more
    ///   than a night's few leavers).
    static func removeArticles(keeping rowIDs: [Int64], _ db: Database) throws {
        let kept = Set(rowIDs)
        let removeArticle = try db.makeStatement(sql: "DELETE FROM articles WHERE rowid = ?")
        for rowID in try Int64.fetchAll(db, sql: "SELECT rowid FROM articles") where !kept.contains(rowID) {
            try removeArticle.execute(arguments: [rowID])
        }
    }

    /// Replaces the stored pairs with the run's, as article row numbers, with their scores when
    /// given (one per pair) and the fingerprint of the vocabulary that scored them.
    /// - Parameter pairs: indices into the run's articles, `rowIDs` their row numbers.
    static func savePairs(
        _ pairs: [(Int32, Int32)], scores: [Float], scoredWith: UInt64?, rowIDs: [Int64], _ db: Database
    ) throws {
        var flat: [Int64] = []
        flat.reserveCapacity(2 * pairs.count)
        for (a, b) in pairs {
            flat.append(rowIDs[Int(a)])
            flat.append(rowIDs[Int(b)])
        }
        let scored = scores.count == pairs.count && scoredWith != nil
        try db.execute(sql: "INSERT OR REPLACE INTO graph (id, pairs, scores, scored_with) VALUES (1, ?, ?, ?)",
                       arguments: [encodeRowNumbers(flat), scored ? encode(scores) : nil,
                                   scored ? scoredWith.map { Int64(bitPattern: $0) } : nil])
    }

    /// Replaces the stored term labels with the run's. Most labels stay from night to night:
    /// only the ones that come or go are written.
    static func saveTermLabels(_ labels: [UInt64: String], _ db: Database) throws {
        var stale = Set(try Int64.fetchAll(db, sql: "SELECT hash FROM term_labels").map { UInt64(bitPattern: $0) })
        let insertLabel = try db.makeStatement(sql: "INSERT INTO term_labels (hash, label) VALUES (?, ?)")
        for (hash, label) in labels where stale.remove(hash) == nil {
            try insertLabel.execute(arguments: [Int64(bitPattern: hash), label])
        }
        let removeLabel = try db.makeStatement(sql: "DELETE FROM term_labels WHERE hash = ?")
        for hash in stale { try removeLabel.execute(arguments: [Int64(bitPattern: hash)]) }
    }

    /// Writes the run's groups of one kind (`story` or `duplicate_group`) as active, then each
    /// change as an event, marking the groups that merged, left or dissolved.
    static func saveGroups(kind: String, _ groups: [Update.Group], changes: [GroupIdentity.Change], run: Int,
                           _ db: Database) throws {
        let upsertGroup = try db.makeStatement(sql: """
            INSERT INTO groups (id, kind, headline, size, first_run, last_run, status, merged_into)
            VALUES (?, ?, ?, ?, ?, ?, 'active', NULL)
            ON CONFLICT(id) DO UPDATE SET headline = excluded.headline, size = excluded.size,
                last_run = excluded.last_run, status = 'active', merged_into = NULL
            """)
        for group in groups {
            try upsertGroup.execute(arguments: [group.id, kind, group.headline, group.size, run, run])
        }
        let event = try db.makeStatement(sql: "INSERT INTO events (run, kind, event, group_id, detail) VALUES (?, ?, ?, ?, ?)")
        for change in changes {
            switch change {
            case .new(let id):
                try event.execute(arguments: [run, kind, "new", id, ""])
            case .grown(let id, let added):
                try event.execute(arguments: [run, kind, "grown", id, "+\(added)"])
            case .merged(let ids, let into):
                for id in ids {
                    try db.execute(sql: "UPDATE groups SET status = 'merged', merged_into = ?, last_run = ? WHERE id = ?",
                                   arguments: [into, run, id])
                    try event.execute(arguments: [run, kind, "merged", id, into])
                }
            case .split(let id, let parts):
                try event.execute(arguments: [run, kind, "split", id, parts.joined(separator: " ")])
            case .left(let id):
                try db.execute(sql: "UPDATE groups SET status = 'left', last_run = ? WHERE id = ?", arguments: [run, id])
                try event.execute(arguments: [run, kind, "left", id, ""])
            case .dissolved(let id):
                try db.execute(sql: "UPDATE groups SET status = 'dissolved', last_run = ? WHERE id = ?", arguments: [run, id])
                try event.execute(arguments: [run, kind, "dissolved", id, ""])
            }
        }
    }

    /// Adds the run's row, with the version that made it. A run number already stored fails
    /// (its primary key), which rolls the whole save back.
    static func saveRun(_ update: Update, run: Int, finished: Date, _ db: Database) throws {
        try db.execute(
            sql: """
                INSERT INTO runs (id, finished, articles, tokenized_articles, stories, tool_version)
                VALUES (?, ?, ?, ?, ?, ?)
                """,
            arguments: [run, ISO8601DateFormatter().string(from: finished), update.articles.count,
                        update.tokenizedArticles, update.stories.count, Pipeline.version])
    }
}
