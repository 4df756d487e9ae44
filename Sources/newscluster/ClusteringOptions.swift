import ArgumentParser
import NewsCluster

/// The options that decide what a run finds (thresholds, weights, search budgets, the
/// vocabulary), shared by `cluster` and `stage read`.
struct ClusteringOptions: ParsableArguments {
    @Option(help: "Exact cosine from which two articles may be copies; confirmed by shared word 4-grams.")
    var duplicateThreshold: Float = ClusterOptions().duplicateThreshold

    @Option(help: "Share of the shorter article's word 4-grams the other must contain for the two to be copies.")
    var duplicateContainment: Double = ClusterOptions().duplicateContainment

    @Option(help: "Exact cosine from which two articles are copies when one holds --rewritten-copy-containment of the other's word 4-grams (a copy re-titled and trimmed).")
    var rewrittenCopyThreshold: Float = ClusterOptions().rewrittenCopyThreshold

    @Option(help: "Share of the shorter article's word 4-grams the other must contain for a pair below --duplicate-threshold to be copies.")
    var rewrittenCopyContainment: Double = ClusterOptions().rewrittenCopyContainment

    @Option(help: "Average-linkage threshold on sqrt(cosine × shared-neighbour overlap): clusters merge while their mean reaches it.")
    var storyThreshold: Float = ClusterOptions().storyThreshold

    @Option(help: "Shared-neighbour sets hold this many nearest articles (story clustering).")
    var storyNeighbors: Int = ClusterOptions().storyNeighbors

    @Option(help: "Only articles at this exact cosine or more enter each other's shared-neighbour sets.")
    var storyNeighborFloor: Float = ClusterOptions().storyNeighborFloor

    @Option(help: "Articles published up to this many days apart weigh at least 1 in story clustering (up to 1.5 for the same morning).")
    var timeGraceDays: Double = ClusterOptions().timeGraceDays

    @Option(help: "Beyond the grace, a pair's weight falls by e every this many days, down to 0.5; 0 makes dates weigh nothing.")
    var timeDecayDays: Double = ClusterOptions().timeDecayDays

    @Flag(inversion: .prefixedNo, help: "Lower the story threshold when the median text is short (headline feeds).")
    var shortTextCalibration = ClusterOptions().shortTextCalibration

    @Option(help: "Weight of a title token relative to a body token.")
    var titleWeight: Float = ClusterOptions().vectorizer.titleWeight

    @Option(help: "Weight of a name: a token written capitalized inside sentences and never in lower case.")
    var nameWeight: Float = ClusterOptions().vectorizer.nameWeight

    @Option(help: "Weight of a token that starts with a digit (years, scores, counts).")
    var numberWeight: Float = ClusterOptions().vectorizer.numberWeight

    @Option(help: "A Cyrillic word counts as its first N letters (a stemmer for Russian and Ukrainian endings); 0 keeps words whole.")
    var stemLetters: Int = ClusterOptions().vectorizer.stemLetters

    @Option(help: "In story clustering, the cosine of two stemmed (Cyrillic) articles counts this much; 1 takes it as is.")
    var stemmedPairWeight: Float = ClusterOptions().stemmedPairWeight

    @Option(help: "Related articles from other stories listed per article.")
    var related: Int = ClusterOptions().related

    @Option(help: "At most this many related articles of one story (copies count once, as their canonical article).")
    var relatedPerStory: Int = ClusterOptions().relatedPerStory

    @Option(help: "Related articles and stories scoring below this exact cosine are left out.")
    var relatedMinScore: Float = ClusterOptions().relatedMinimumScore

    @Option(help: "Order of a related list: \"story\" puts the stories most related to the article's own story first (average linkage), \"score\" the article's best matches.")
    var relatedOrder: RelatedOrder = ClusterOptions().relatedOrder

    @Option(help: ArgumentHelp("Never compare articles published more than N days apart. (default: no window)", valueName: "N"))
    var windowDays: Double?

    @Option(help: "Threads for every stage, BLAS included. (default: all cores)")
    var threads: Int?

    @Flag(help: "Keep scraped-page boilerplate (taglines, author lines, teaser blocks) instead of removing it.")
    var keepBoilerplate = false

    @Option(help: "Dimension of the random projection compared with sgemm to pick each article's candidates (speed against candidate recall).")
    var projectionDimensions: Int = ClusterOptions().projectionDimensions

    @Option(help: "Best projected candidates per article that are re-scored exactly.")
    var candidatesPerArticle: Int = ClusterOptions().candidatesPerArticle

    @Option(help: "Terms in at most this many articles are compared exactly through an inverted index (names, numbers, story words the projection would blur); 0 turns it off.")
    var rareTermDocuments: Int = ClusterOptions().rareTermDocuments

    @Option(help: ArgumentHelp("Score with the vocabulary and IDF in this file (written by --write-vocabulary) instead of fitting them on the input: a run without state then gives a night's reports.", valueName: "file"))
    var vocabulary: String?

    func validate() throws {
        guard (0...1).contains(duplicateThreshold) else { throw ValidationError("--duplicate-threshold must be within 0…1.") }
        guard (0...1).contains(duplicateContainment) else { throw ValidationError("--duplicate-containment must be within 0…1.") }
        guard (0...1).contains(rewrittenCopyThreshold) else { throw ValidationError("--rewritten-copy-threshold must be within 0…1.") }
        guard (0...1).contains(rewrittenCopyContainment) else { throw ValidationError("--rewritten-copy-containment must be within 0…1.") }
        guard (0...1).contains(storyThreshold) else { throw ValidationError("--story-threshold must be within 0…1.") }
        guard timeGraceDays >= 0 else { throw ValidationError("--time-grace-days must be 0 or more.") }
        guard timeDecayDays >= 0 else { throw ValidationError("--time-decay-days must be 0 or more (0 turns it off).") }
        guard (0...1).contains(stemmedPairWeight) else { throw ValidationError("--stemmed-pair-weight must be within 0…1.") }
        guard (0...40).contains(stemLetters) else { throw ValidationError("--stem-letters must be within 0…40 (0 keeps words whole).") }
        guard related >= 0 else { throw ValidationError("--related must be 0 or more.") }
        guard relatedPerStory >= 1 else { throw ValidationError("--related-per-story must be at least 1.") }
        guard (0...1).contains(relatedMinScore) else { throw ValidationError("--related-min-score must be within 0…1.") }
        if let windowDays, windowDays <= 0 { throw ValidationError("--window-days must be positive.") }
        guard (16...4096).contains(projectionDimensions) else { throw ValidationError("--projection-dimensions must be within 16…4096.") }
        guard rareTermDocuments >= 0 else { throw ValidationError("--rare-term-documents must be 0 or more.") }
        guard candidatesPerArticle >= 1 else { throw ValidationError("--candidates-per-article must be at least 1.") }
        if let threads, threads < 1 { throw ValidationError("--threads must be at least 1.") }
        guard storyNeighbors >= 1 else { throw ValidationError("--story-neighbors must be at least 1.") }
        guard (0...1).contains(storyNeighborFloor) else { throw ValidationError("--story-neighbor-floor must be within 0…1.") }
        for (name, weight) in [("--title-weight", titleWeight), ("--name-weight", nameWeight), ("--number-weight", numberWeight)]
        where !(weight >= 0 && weight <= 100) {
            throw ValidationError("\(name) must be within 0…100.")
        }
    }

    /// These options over the defaults.
    var options: ClusterOptions {
        var options = ClusterOptions()
        options.duplicateThreshold = duplicateThreshold
        options.duplicateContainment = duplicateContainment
        options.rewrittenCopyThreshold = rewrittenCopyThreshold
        options.rewrittenCopyContainment = rewrittenCopyContainment
        options.storyThreshold = storyThreshold
        options.storyNeighbors = storyNeighbors
        options.storyNeighborFloor = storyNeighborFloor
        options.shortTextCalibration = shortTextCalibration
        options.timeGraceDays = timeGraceDays
        options.timeDecayDays = timeDecayDays
        options.vectorizer.titleWeight = titleWeight
        options.vectorizer.nameWeight = nameWeight
        options.vectorizer.numberWeight = numberWeight
        options.vectorizer.stemLetters = stemLetters
        options.stemmedPairWeight = stemmedPairWeight
        options.related = related
        options.relatedPerStory = relatedPerStory
        options.relatedMinimumScore = relatedMinScore
        options.relatedOrder = relatedOrder
        options.windowDays = windowDays
        if let threads { options.threads = threads }
        options.keepBoilerplate = keepBoilerplate
        options.projectionDimensions = projectionDimensions
        options.candidatesPerArticle = candidatesPerArticle
        options.rareTermDocuments = rareTermDocuments
        options.vocabularyPath = vocabulary
        return options
    }
}

extension RelatedOrder: ExpressibleByArgument {}
