import Foundation

/// The vectorize stage's output: one L2-normalised TF-IDF row per article and the vocabulary
/// that made them.
public struct Vectors: Sendable {
    public var counts: TermCounts
    public var matrix: SparseMatrix
    public var vocabulary: TFIDFVectorizer.Vocabulary

    public var articles: [Article] { counts.articles }
}

/// vectorize: `TermCounts` → `Vectors`.
struct VectorizeStage {
    var options: ClusterOptions
    var threads: Int

    /// - Parameter keepsCounts: whether the term counts are needed past the matrix (a night
    ///   stores them); else they are let go, keeping the sketches and lengths.
    func run(_ counts: TermCounts, keepsCounts: Bool) -> Vectors {
        var counts = counts
        let groups = zip(counts.articles, counts.documents).map { article, document -> String in
            if let language = article.language?.lowercased().split(separator: "-").first, !language.isEmpty {
                return String(language)
            }
            return document.script
        }
        let (matrix, vocabulary) = TFIDFVectorizer(options: options.vectorizer).fit(counts.documents, groups: groups, threads: threads)
        if !keepsCounts {
            for index in counts.documents.indices {
                counts.documents[index].terms = []
                counts.documents[index].counts = []
            }
            ProcessMemory.releaseFreePages()
        }
        return Vectors(counts: counts, matrix: matrix, vocabulary: vocabulary)
    }
}
