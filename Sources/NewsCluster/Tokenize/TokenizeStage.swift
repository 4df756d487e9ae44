import Foundation

/// The tokenize stage's output: each article's distinct terms with weighted counts, its
/// shingle sketch and script; with a state, the hashes its stored counts are checked against.
struct TermCounts: Sendable, Codable {
    var cleaned: CleanedTexts
    var documents: [DocumentTerms]
    /// Per article, the hash of its weights, title and cleaned text (0 when no state keeps it).
    var contentHashes: [UInt64]
    /// Per article, the hash of the weights and the lines cleaning kept (empty when no state
    /// keeps it).
    var cleaningHashes: [UInt64]
    /// Per article: its counts were the state's, not counted again.
    var reused: [Bool]

    var articles: [Article] { cleaned.articles }
}

/// tokenize: `CleanedTexts` → `TermCounts`.
struct TokenizeStage {
    var options: ClusterOptions
    var threads: Int

    /// - Parameters:
    ///   - stored: what the last night kept of each article, by id: an article stored with the
    ///     same content keeps its stored counts.
    ///   - hashesContent: whether the hashes are computed (a state keeps them).
    func run(
        _ cleaned: CleanedTexts, stored: [String: StateStore.StoredArticle], hashesContent: Bool
    ) throws -> TermCounts {
        let vectorizer = options.vectorizer
        let weights = Pipeline.weightsKey(vectorizer)
        let articles = cleaned.articles
        let read = cleaned.read
        let cleaningHashes = !hashesContent ? [] : Parallel.map(count: articles.count, threads: threads) { index in
            Pipeline.cleaningHash(weights: weights, keep: cleaned.plan.map { $0.keep[index] } ?? nil)
        }
        // In input order: texts read again are then read in file order.
        let order = read.order
        let counted = try order.canonical(Parallel.map(count: articles.count, threads: threads) { position in
            let index = order.canonicalIndices[position]
            return Result { () throws -> (document: DocumentTerms, contentHash: UInt64, reused: Bool) in
                let article = articles[index]
                let storedArticle = stored[article.id]
                // A record as stored, cleaned as it was then: its stored counts hold without
                // reading its text.
                if read.fromState[index], let storedArticle, storedArticle.cleaningHash == cleaningHashes[index] {
                    return (storedArticle.terms, storedArticle.contentHash, true)
                }
                let text = try cleaned.text(of: index)
                let contentHash = hashesContent ? Pipeline.contentHash(weights, article.title, text) : 0
                if let storedArticle, storedArticle.contentHash == contentHash {
                    return (storedArticle.terms, contentHash, true)
                }
                return (DocumentTerms(
                    title: article.title, body: text, titleWeight: vectorizer.titleWeight,
                    nameWeight: vectorizer.nameWeight, numberWeight: vectorizer.numberWeight,
                    stemmer: TermStemmer(letters: vectorizer.stemLetters)),
                    contentHash, false)
            }
        }).map { try $0.get() }
        var counts = TermCounts(
            cleaned: cleaned, documents: counted.map(\.document), contentHashes: counted.map(\.contentHash),
            cleaningHashes: cleaningHashes, reused: counted.map(\.reused))
        // An article without a language gets the one its words tell ("und" when they do not),
        // for the vectorizer's language groups, the reports and the page's filter.
        let identifier = LanguageIdentifier()
        let documents = counts.documents
        let identified = Parallel.map(count: articles.count, threads: threads) { index -> String? in
            guard articles[index].language?.isEmpty ?? true else { return nil }
            let document = documents[index]
            return identifier.identify(terms: document.terms, counts: document.counts, script: document.script)
        }
        for (index, language) in identified.enumerated() where language != nil {
            counts.cleaned.read.articles[index].language = language
        }
        return counts
    }
}
