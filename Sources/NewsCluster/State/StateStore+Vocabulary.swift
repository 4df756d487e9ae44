import Foundation
import GRDB

/// The frozen vocabulary (schema 5 on): a night scores with the vocabulary of the run that last
/// refreshed it, so that its scores equal a full run's with the same vocabulary. The state keeps
/// its latest generation only, as an opaque blob that the vocabulary's owner encodes; a run
/// replaces it through `Update.vocabulary`, in the transaction of the rest of its results.
extension StateStore {
    /// One generation of the frozen vocabulary.
    struct StoredVocabulary: Sendable, Equatable {
        /// Counts the refreshes: each new vocabulary has a higher one.
        var generation: Int
        /// The run that made it.
        var createdRun: Int
        /// Why it was made (a first run, a refresh after too many new terms, …), for people.
        var reason: String
        /// The vocabulary in its owner's encoding.
        var data: Data

        init(generation: Int, createdRun: Int, reason: String, data: Data) {
            self.generation = generation
            self.createdRun = createdRun
            self.reason = reason
            self.data = data
        }
    }

    /// The stored vocabulary; nil when no run has stored one, or for a state from before
    /// schema 5 inspected read-only (it has no vocabulary table until a run migrates it).
    func vocabulary() throws -> StoredVocabulary? {
        typealias Columns = VocabularyColumns
        return try reading { db in
            guard try db.tableExists("vocabulary") else { return nil }
            let row = try Row.fetchOne(db, sql: """
                SELECT generation, created_run, reason, data FROM vocabulary ORDER BY generation DESC LIMIT 1
                """)
            return row.map { row in
                StoredVocabulary(generation: row[Columns.generation], createdRun: row[Columns.createdRun],
                                 reason: row[Columns.reason], data: row[Columns.data])
            }
        }
    }

    /// Replaces the stored vocabulary with `vocabulary`: the table keeps one generation.
    static func saveVocabulary(_ vocabulary: StoredVocabulary, _ db: Database) throws {
        try db.execute(sql: "DELETE FROM vocabulary")
        try db.execute(sql: "INSERT INTO vocabulary (generation, created_run, reason, data) VALUES (?, ?, ?, ?)",
                       arguments: [vocabulary.generation, vocabulary.createdRun, vocabulary.reason, vocabulary.data])
    }
}
