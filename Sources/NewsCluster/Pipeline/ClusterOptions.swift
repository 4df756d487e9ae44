import Foundation

/// Everything a `cluster` run can be told. The defaults are the ones documented in the README.
public struct ClusterOptions: Codable, Sendable, Equatable {
    /// Exact cosine at which two articles may be copies (confirmed by shingle containment).
    public var duplicateThreshold: Float = 0.8
    /// Share of the smaller article's word 4-grams the other must contain to be its copy: 0.7
    /// keeps two reports that quote one wire text apart (docs/accuracy.md).
    public var duplicateContainment: Double = 0.7
    /// A copy re-titled and trimmed falls below `duplicateThreshold` on a short text: from this
    /// exact cosine on, two articles are copies when one holds `rewrittenCopyContainment` of
    /// the other's word 4-grams (scraped ECB+ duplicate recall 0.973 -> 0.984, docs/accuracy.md).
    public var rewrittenCopyThreshold: Float = 0.7
    public var rewrittenCopyContainment: Double = 0.9
    /// Average-linkage threshold on the shared-neighbour similarity (see `StoryClusterer`).
    public var storyThreshold: Float = 0.2
    /// Shared-neighbour sets: this many nearest articles…
    public var storyNeighbors = 5
    /// …with at least this exact cosine.
    public var storyNeighborFloor: Float = 0.15
    /// Articles published up to this many days apart are weighed at least 1 in story
    /// clustering (`PublicationTimeWeight`)…
    public var timeGraceDays: Double = 1.5
    /// …and beyond, their weight falls by e every this many days (0: dates weigh nothing).
    public var timeDecayDays: Double = 2
    /// In story clustering, the cosine of two articles whose words were stemmed (both in the
    /// script `TermStemmer` cuts) counts this much: stems lift the cosines of every pair of the
    /// language, unrelated ones too, and the thresholds were fitted to whole words (1: as is).
    public var stemmedPairWeight: Float = 0.75
    /// Scale the story threshold down when the run's texts are short
    /// (`ShortTextCalibration`: headline feeds).
    public var shortTextCalibration = true
    /// Related articles from other stories listed per article.
    public var related = 5
    /// …at most this many of one story (a copy stands as its group's canonical article, once).
    public var relatedPerStory = 2
    /// Related articles and stories scoring below this are left out: on ECB+ fewer than half
    /// of the related articles scoring less report the same topic (docs/accuracy.md).
    public var relatedMinimumScore: Float = 0.12
    /// How a related list is ordered (`StoryAffinity`).
    public var relatedOrder = RelatedOrder.story
    /// Articles published more than this many days apart are never compared (nil: no window).
    public var windowDays: Double?
    public var threads = ProcessInfo.processInfo.activeProcessorCount
    /// Keep scraped-page boilerplate instead of removing it.
    public var keepBoilerplate = false
    public var strict = false
    public var vectorizer = TFIDFVectorizer.Options()
    /// The nightly state (SQLite); nil runs without one.
    public var statePath: String?
    /// Dimension of the random projection used for the BLAS candidate pass.
    public var projectionDimensions = 96
    /// Memory the run may plan for, in bytes (nil: half of physical memory): see `MemoryPlan`.
    public var maxMemory: Int?
    /// Read each text again when it is cleaned and counted, whatever the input's size.
    public var readTextsTwice = false
    /// When an empty or shrunken input is refused (`--min-share`, `--allow-shrink`, `--allow-empty`).
    public var shrinkGuard = InputShrinkGuard()
    /// Wait for another run that holds the state or the output directory instead of failing.
    public var waitForOtherRun = false
    /// When a night refits the vocabulary (`--refresh-vocabulary`).
    public var vocabularyPolicy = VocabularyPolicy()
    /// `--vocabulary FILE`: score with this vocabulary generation instead of fitting one.
    public var vocabularyPath: String?
    /// `--write-vocabulary FILE`: keep the generation this run scored with in FILE.
    public var writeVocabularyPath: String?
    /// `--judgements FILE`: editors' judgements (`judgements.json`) the clustering obeys; with a
    /// state they are kept in it, so a file is given once.
    public var judgementsPaths: [String] = []

    public init() {}

    enum CodingKeys: String, CodingKey {
        case duplicateThreshold = "duplicate_threshold"
        case duplicateContainment = "duplicate_containment"
        case rewrittenCopyThreshold = "rewritten_copy_threshold"
        case rewrittenCopyContainment = "rewritten_copy_containment"
        case storyThreshold = "story_threshold"
        case storyNeighbors = "story_neighbors"
        case storyNeighborFloor = "story_neighbor_floor"
        case timeGraceDays = "time_grace_days"
        case timeDecayDays = "time_decay_days"
        case shortTextCalibration = "short_text_calibration"
        case stemmedPairWeight = "stemmed_pair_weight"
        case related
        case relatedPerStory = "related_per_story"
        case relatedMinimumScore = "related_minimum_score"
        case relatedOrder = "related_order"
        case windowDays = "window_days"
        case threads
        case keepBoilerplate = "keep_boilerplate"
        case strict
        case vectorizer
        case projectionDimensions = "projection_dimensions"
        case edgeFloor = "edge_floor"
        case candidatesPerArticle = "candidates_per_article"
        case rareTermDocuments = "rare_term_documents"
        case measureRecall = "measure_recall"
        case statePath = "state"
        case maxMemory = "max_memory"
        case readTextsTwice = "read_texts_twice"
        case shrinkGuard = "shrink_guard"
        case waitForOtherRun = "wait"
        case vocabularyPolicy = "vocabulary_policy"
        case vocabularyPath = "vocabulary"
        case writeVocabularyPath = "write_vocabulary"
        case judgementsPaths = "judgements"
    }

    /// The memory budget: `maxMemory`, else half of physical memory (the rest is the system's
    /// and the page cache's, which the texts read twice come from).
    var memory: MemoryPlan {
        MemoryPlan(budget: maxMemory ?? Int(ProcessInfo.processInfo.physicalMemory / 2), readsTextsTwice: readTextsTwice)
    }

    /// Each article's best projected scores re-scored exactly (the per-article work budget).
    public var candidatesPerArticle = 24
    /// Terms in at most this many articles are compared exactly (see `NeighborSearch`).
    public var rareTermDocuments = 128
    /// Report the candidate recall against brute-force exact cosine in run.json (slow).
    public var measureRecall = false
    /// Each article's candidates hold at most this many others (copies beyond them aside).
    var nearestPerRow: Int { max(candidatesPerArticle, 2 * related + 8) }
    /// Exact cosines below this are not kept as edges: they cannot move a story merge.
    var edgeFloor: Float = 0.05

    /// How publication times weigh in story clustering; nil when they do not.
    var publicationTimeWeight: PublicationTimeWeight? {
        timeDecayDays > 0 ? PublicationTimeWeight(graceDays: timeGraceDays, decayDays: timeDecayDays) : nil
    }

    /// The neighbour search that serves these thresholds: each article's best projected
    /// scores are re-scored exactly, and so is every pair whose projected score comes within
    /// 2.6 standard deviations of the duplicate threshold (≈ 99.5% of copies on a normal model;
    /// measured recall is in the README).
    var neighborOptions: NeighborSearch.Options {
        var options = NeighborSearch.Options()
        options.dimensions = projectionDimensions
        let spread = RandomProjection(dimensions: projectionDimensions)
            .estimateSpread(at: Double(duplicateThreshold))
        options.edgeFloor = edgeFloor
        options.candidateFloor = max(edgeFloor, duplicateThreshold - Float(2.6 * spread))
        options.nearestPerRow = nearestPerRow
        options.windowSeconds = windowDays.map { $0 * 86_400 }
        options.rareTermDocuments = rareTermDocuments
        options.rareTermFloor = edgeFloor
        if measureRecall { options.recallThresholds = [duplicateThreshold, storyThreshold] }
        options.threads = threads
        options.tileRows = memory.tileRows(threads: threads)
        return options
    }
}

/// How an article's related list is ordered.
public enum RelatedOrder: String, Codable, Sendable, CaseIterable {
    /// Stories most related to the article's own story first (average linkage, `StoryAffinity`),
    /// the article's best-scoring members of each: on ECB+ the first related article is more
    /// often the sister event than under `score` (docs/accuracy.md).
    case story
    /// The article's own best scores first.
    case score
}
