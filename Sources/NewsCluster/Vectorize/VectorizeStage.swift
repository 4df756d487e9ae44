import Foundation

/// The vectorize stage's output: one L2-normalised TF-IDF row per article, the vocabulary that
/// made them, and which vocabulary generation that is.
struct Vectors: Sendable, Codable {
    var counts: TermCounts
    var matrix: SparseMatrix
    var vocabulary: TFIDFVectorizer.Vocabulary
    /// The generation the rows were scored with, to be kept for the next runs.
    var frozen: FrozenVocabulary
    var use: VocabularyUse

    var articles: [Article] { counts.articles }
}

/// Which vocabulary generation a run scored with, and why (in `run.json`).
struct VocabularyUse: Sendable, Codable, Equatable {
    var generation: Int
    /// Whether this run fitted it (a refresh), else reused it.
    var fitted: Bool
    var reason: String
    /// How far this run's document frequencies have drifted from the generation's
    /// (`TFIDFVectorizer.transform`), when it was reused or checked.
    var drift: Double?
}

/// When a night reuses the stored vocabulary and when it fits a new generation.
public struct VocabularyPolicy: Sendable, Equatable, Codable {
    /// A generation is refitted once the drift passes this: the IDF a term occurrence carries
    /// is then off by more than this share on average.
    public var maximumDrift = 0.05
    /// …and at the latest after serving this many runs.
    public var maximumRuns = 7
    /// `--refresh-vocabulary`: fit a new generation whatever the drift.
    public var refresh = false

    public init() {}

    enum CodingKeys: String, CodingKey {
        case maximumDrift = "maximum_drift"
        case maximumRuns = "maximum_runs"
        case refresh
    }
}

/// Where a run's vocabulary may come from.
struct VocabularySource: Sendable {
    /// `--vocabulary FILE`: always used as it is.
    var pinned: FrozenVocabulary?
    /// The state's generation and the run that fitted it.
    var stored: (vocabulary: FrozenVocabulary, fittedByRun: Int)?
    /// This run's number (1 without a state).
    var run: Int

    init(pinned: FrozenVocabulary? = nil, stored: (vocabulary: FrozenVocabulary, fittedByRun: Int)? = nil, run: Int = 1) {
        self.pinned = pinned
        self.stored = stored
        self.run = run
    }
}

/// vectorize: `TermCounts` → `Vectors`.
struct VectorizeStage {
    var options: ClusterOptions
    var threads: Int

    /// - Parameter keepsCounts: whether the term counts are needed past the matrix (a night
    ///   stores them); else they are let go, keeping the sketches and lengths.
    ///   `counts` is consumed, so that the counts it lets go are freed, not copied.
    func run(_ counts: consuming TermCounts, keepsCounts: Bool, source: VocabularySource = VocabularySource()) -> Vectors {
        var vectors = vectorize(counts, source: source)
        if !keepsCounts {
            _ = consume counts
            for index in vectors.counts.documents.indices {
                vectors.counts.documents[index].terms = []
                vectors.counts.documents[index].counts = []
            }
            ProcessMemory.releaseFreePages()
        }
        return vectors
    }

    private func vectorize(_ counts: TermCounts, source: VocabularySource) -> Vectors {
        let vectorizer = TFIDFVectorizer(options: options.vectorizer)
        func reuse(_ frozen: FrozenVocabulary, _ transformed: TFIDFVectorizer.Transformed, reason: String) -> Vectors {
            Vectors(
                counts: counts, matrix: transformed.matrix, vocabulary: transformed.vocabulary, frozen: frozen,
                use: VocabularyUse(generation: frozen.generation, fitted: false, reason: reason, drift: rounded(transformed.drift)))
        }
        func fit(_ reason: String) -> Vectors {
            let (matrix, vocabulary) = vectorizer.fit(counts.documents, groups: groups(counts), threads: threads)
            let generation = (source.stored?.vocabulary.generation ?? 0) + 1
            return Vectors(
                counts: counts, matrix: matrix, vocabulary: vocabulary,
                frozen: vocabulary.frozen(generation: generation, options: options.vectorizer),
                use: VocabularyUse(generation: generation, fitted: true, reason: reason, drift: nil))
        }
        if let pinned = source.pinned {
            return reuse(pinned, vectorizer.transform(counts.documents, frozen: pinned, threads: threads),
                         reason: "given with --vocabulary")
        }
        let policy = options.vocabularyPolicy
        guard let (stored, fittedByRun) = source.stored else {
            return fit(source.run == 1 ? "fitted on this run's articles" : "no vocabulary stored yet")
        }
        if policy.refresh { return fit("--refresh-vocabulary") }
        if stored.pruning != .init(options.vectorizer) { return fit("the pruning options changed") }
        let runs = source.run - fittedByRun
        if runs >= policy.maximumRuns {
            return fit("generation \(stored.generation) served \(runs) runs (at most \(policy.maximumRuns))")
        }
        let drift: Double
        do {
            // In a scope of its own: a refit does not hold this matrix beside its own.
            let transformed = vectorizer.transform(counts.documents, frozen: stored, threads: threads)
            drift = transformed.drift
            if drift <= policy.maximumDrift {
                return reuse(stored, transformed, reason: String(format: "drift %.4f within %.4f", drift, policy.maximumDrift))
            }
        }
        var refreshed = fit(String(format: "drift %.4f above %.4f", drift, policy.maximumDrift))
        refreshed.use.drift = rounded(drift)
        return refreshed
    }

    /// Each document's language group: its language (given, or identified), else its script.
    private func groups(_ counts: TermCounts) -> [String] {
        zip(counts.articles, counts.documents).map { Self.group(language: $0.language, script: $1.script) }
    }

    /// A document's language group: its language without region, else its script.
    static func group(language: String?, script: String) -> String {
        if let language = language?.lowercased().split(separator: "-").first, !language.isEmpty,
           language != LanguageIdentifier.undetermined {
            return String(language)
        }
        return script
    }

    private func rounded(_ value: Double) -> Double { (value * 10_000).rounded() / 10_000 }
}
