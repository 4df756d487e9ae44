import Foundation

/// The read stage's output: the accepted articles in canonical order (publication time, then
/// id), what was rejected or repaired, and per article what cleaning needs later.
struct ReadArticles: Sendable, Codable {
    /// Accepted articles, in canonical order. Their texts are empty when the run reads them
    /// again later (`holdsText` false, or a record taken from the state).
    var articles: [Article]
    /// The line keys of each article's page (empty with `--keep-boilerplate`).
    var lineKeys: [[BoilerplateRemover.LineKeys]]
    /// Per article: taken from the state's stored record (its text not read), else decoded.
    var fromState: [Bool]
    var rejected: [RecordIssue]
    var warnings: [RecordIssue]
    var files: [ArticleReader.InputFile]
    var recordsRead: Int
    /// Whether the texts of decoded records are held in `articles` (else read again).
    var holdsText: Bool
    /// From canonical order back to input order, for `articles.jsonl`.
    var order: CanonicalOrder
    /// Copies of inputs that cannot be read again by offset (a pipe, a compressed file).
    var spools: [String: Spool] = [:]

    // A stage file holds no spool: `newscluster stage` holds every text.
    private enum CodingKeys: String, CodingKey {
        case articles, lineKeys, fromState, rejected, warnings, files, recordsRead, holdsText, order
    }

    /// Whether article `index`'s text is in `articles`.
    func isTextHeld(_ index: Int) -> Bool { holdsText && !fromState[index] }
}

/// read: inputs → `ReadArticles`.
struct ReadStage {
    var options: ClusterOptions
    var threads: Int

    /// - Parameters:
    ///   - storedRecords: records the last night stored byte for byte, by the hash of their
    ///     bytes: such a record is not decoded again.
    ///   - hashesRecords: whether each record's bytes are hashed, for a state to store them and
    ///     know them again.
    ///   - holdsText: whether texts are kept in memory past the read.
    func run(
        files: [String], storedRecords: [UInt64: StateStore.StoredRecord], hashesRecords: Bool, holdsText: Bool
    ) throws -> ReadArticles {
        var lineKeys: [[BoilerplateRemover.LineKeys]] = []
        var fromState: [Bool] = []
        // The reader hashes each record's bytes only when asked who knows them.
        let known: (@Sendable (UInt64) -> Article?)? = hashesRecords ? { @Sendable hash in storedRecords[hash]?.article } : nil
        // Texts are read again when they are not held, and those of records taken from the state.
        let reader = ArticleReader(strict: options.strict, threads: threads, known: known,
                                   spoolsForRereading: !holdsText || hashesRecords)
        let keepBoilerplate = options.keepBoilerplate
        var read = try reader.read(files) { batch in
            let keyed = Parallel.map(count: batch.count, threads: threads) {
                offset -> (keys: [BoilerplateRemover.LineKeys], fromState: Bool) in
                let article = batch[batch.startIndex + offset]
                // The reader accepts no record without text: an empty one came from the state.
                if article.text.isEmpty, let stored = article.span.flatMap({ storedRecords[$0.hash] }) {
                    return (keys: stored.lineKeys, fromState: true)
                }
                let keys = keepBoilerplate ? [] : BoilerplateRemover.lineKeys(of: article.text, title: article.title)
                return (keys: keys, fromState: false)
            }
            lineKeys += keyed.map(\.keys)
            fromState += keyed.map(\.fromState)
            if !holdsText {
                for index in batch.indices { batch[index].text = "" }
            }
        }
        // Past the read, everything works in an order fixed by the records themselves
        // (publication time, then id), so that the same records in another order give the
        // same stories and ids.
        let order = CanonicalOrder(ids: read.articles.map(\.id), published: read.articles.map(\.published))
        let articles = order.canonical(read.articles)
        let recordsRead = read.recordsRead
        read.articles = []
        return ReadArticles(
            articles: articles, lineKeys: order.canonical(lineKeys), fromState: order.canonical(fromState),
            rejected: read.rejected, warnings: read.warnings, files: read.files, recordsRead: recordsRead,
            holdsText: holdsText, order: order, spools: read.spools)
    }
}
