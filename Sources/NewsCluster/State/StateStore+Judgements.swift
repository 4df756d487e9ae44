import Foundation
import GRDB

/// Editors' judgements (schema 6 on): a `--judgements` file is given once; every judgement in
/// it is kept, in the transaction of the run's other results, and obeyed by every run after.
/// Each is stored as the JSON the page wrote (`Judgement`), so a later version reads it as
/// the file format defines it.
extension StateStore {
    /// Every stored judgement, in the order they were given (run, then as stored).
    func judgements() throws -> [Judgement] {
        typealias Columns = JudgementColumns
        return try reading { db in
            guard try db.tableExists("judgements") else { return [] }
            let decoder = JSONDecoder()
            return try Row.fetchAll(db, sql: "SELECT id, data FROM judgements ORDER BY given_run, rowid").map { row in
                let data: Data = row[Columns.data]
                do {
                    return try decoder.decode(Judgement.self, from: data)
                } catch {
                    let id: String = row[Columns.id]
                    throw StateError.unreadable(path, "judgement \(id) cannot be read: \(error)")
                }
            }
        }
    }

    /// Keeps the judgements the state does not have yet (by id).
    static func saveJudgements(_ judgements: [Judgement], run: Int, _ db: Database) throws {
        guard !judgements.isEmpty else { return }
        let insert = try db.makeStatement(sql: "INSERT OR IGNORE INTO judgements (id, time, given_run, data) VALUES (?, ?, ?, ?)")
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        for judgement in judgements {
            try insert.execute(arguments: [judgement.id, judgement.time, run, try encoder.encode(judgement)])
        }
    }
}
