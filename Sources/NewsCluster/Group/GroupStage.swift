import Foundation

/// The group stage's output: duplicate groups (with their canonical articles) inside stories,
/// and the ids both carry.
struct Grouping: Sendable, Codable {
    var neighbors: NeighborGraph
    /// Members of each duplicate group (at least two), by article index.
    var duplicateGroups: [[Int]]
    /// Per duplicate group, its canonical article.
    var canonicals: [Int]
    /// Per article, its duplicate group.
    var duplicateGroupOf: [Int?]
    /// Members of each story, ascending; per article, its story.
    var stories: [[Int]]
    var storyOf: [Int]
    /// Story and duplicate-group ids, and with a state what changed since the last night.
    var identities: Identities
    /// The editors' judgements the clustering obeyed, and per story those that shaped it
    /// (indices into `editors.judgements`, oldest first).
    var editors = EditorConstraints.none
    var storyJudgements: [[Int]] = []

    var articles: [Article] { neighbors.articles }

    /// Per article, the canonical article of its duplicate group.
    var canonicalOf: [Int?] { duplicateGroupOf.map { $0.map { canonicals[$0] } } }
}

/// Story and duplicate-group ids, and what happened to the last night's (`GroupIdentity`).
struct Identities: Sendable, Codable {
    var stories: GroupIdentity.Result
    var duplicateGroups: GroupIdentity.Result
}

/// group: `NeighborGraph` → `Grouping`.
struct GroupStage {
    var options: ClusterOptions
    var threads: Int
    /// Editors' judgements, from the state and the `--judgements` files (oldest given first).
    var judgements: [Judgement] = []
    /// The ids of those the state kept (`EditorConstraints.init(judgements:index:kept:)`).
    var keptJudgements: Set<String> = []

    /// - Parameter identify: names the groups (from their content, or carried over from the
    ///   last night by the state).
    func run(_ neighbors: NeighborGraph, identify: (_ grouping: Grouping) -> Identities) -> Grouping {
        let documents = neighbors.vectors.counts.documents
        let articles = neighbors.articles
        let graph = neighbors.graph
        let rule = DuplicateGrouper(
            threshold: options.duplicateThreshold, minimumContainment: options.duplicateContainment,
            rewrittenThreshold: options.rewrittenCopyThreshold, rewrittenContainment: options.rewrittenCopyContainment)
        let editors = judgements.isEmpty ? EditorConstraints.none : EditorConstraints(
            judgements: judgements,
            index: Dictionary(articles.enumerated().map { ($1.id, $0) }, uniquingKeysWith: { first, _ in first }),
            kept: keptJudgements)
        let constraints = editors.storyConstraints
        let duplicateGroups = Self.separating(
            rule.groups(edges: graph.edges, shingles: documents.map(\.shingles), count: articles.count, joined: graph.copyGroups),
            cannotLink: constraints.cannotLink)
        let weights = options.publicationTimeWeight?.weights(
            of: graph.edges, published: articles.map(\.published), threads: threads)
        let lengths = documents.map(\.length)
        let calibration = options.shortTextCalibration ? ShortTextCalibration(lengths: lengths) : nil
        let storyOf = StoryClusterer(
            threshold: calibration?.storyThreshold(options.storyThreshold) ?? options.storyThreshold,
            neighbors: options.storyNeighbors,
            neighborFloor: options.storyNeighborFloor)
            .cluster(count: articles.count, edges: graph.edges,
                     pairScale: Self.stemmedPairScale(
                        scripts: documents.map(\.script),
                        stemmer: TermStemmer(letters: options.vectorizer.stemLetters), weight: options.stemmedPairWeight),
                     weights: weights,
                     initialGroups: duplicateGroups, constraints: constraints, threads: threads)
        var stories = [[Int]](repeating: [], count: (storyOf.max() ?? -1) + 1)
        for (article, story) in storyOf.enumerated() { stories[story].append(article) }
        let canonicals = duplicateGroups.map { DuplicateGrouper.canonical(of: $0, articles: articles, lengths: lengths) }
        var duplicateGroupOf = [Int?](repeating: nil, count: articles.count)
        for (group, members) in duplicateGroups.enumerated() {
            for member in members { duplicateGroupOf[member] = group }
        }
        var grouping = Grouping(
            neighbors: neighbors, duplicateGroups: duplicateGroups, canonicals: canonicals,
            duplicateGroupOf: duplicateGroupOf, stories: stories, storyOf: storyOf,
            identities: Identities(stories: .init(ids: [], changes: []), duplicateGroups: .init(ids: [], changes: [])))
        grouping.editors = editors.checked(storyOf: storyOf)
        grouping.storyJudgements = grouping.editors.judgementsShaping(stories: stories.count, storyOf: storyOf)
        grouping.identities = identify(grouping)
        return grouping
    }

    /// The duplicate groups with every article an editor kept apart from a member taken out:
    /// in a cannot-link pair the first article is the one the editor acted on, and a copy
    /// cannot stay in a group whose story it may not join. Groups left with one article go.
    static func separating(_ groups: [[Int]], cannotLink: [StoryConstraints.Pair]) -> [[Int]] {
        guard !cannotLink.isEmpty else { return groups }
        var groupOf: [Int: Int] = [:]
        for (group, members) in groups.enumerated() {
            for member in members { groupOf[member] = group }
        }
        var takenOut = Set<Int>()
        for pair in cannotLink {
            guard let a = groupOf[pair.a], a == groupOf[pair.b],
                  !takenOut.contains(pair.a), !takenOut.contains(pair.b) else { continue }
            takenOut.insert(pair.a)
        }
        guard !takenOut.isEmpty else { return groups }
        return groups.map { $0.filter { !takenOut.contains($0) } }.filter { $0.count > 1 }
    }

    /// How story clustering sees the pairs: the cosine of two stemmed articles weighed by
    /// `stemmedPairWeight` (copies and related lists keep the exact cosine); nil when no pair
    /// changes. Applied as the clusterer reads each edge: a scaled copy of the edges was 560 MB
    /// of the group stage's peak at a million articles.
    static func stemmedPairScale(scripts: [String], stemmer: TermStemmer, weight: Float) -> StoryClusterer.PairScale? {
        let stemmed = scripts.map { stemmer.stems(script: $0) }
        guard weight != 1, stemmed.contains(true) else { return nil }
        return StoryClusterer.PairScale(scaled: stemmed, factor: weight)
    }

    /// Ids derived from content, not from run order: a story is named after its earliest
    /// article, a duplicate group after its canonical article. `attempt` > 0 when the id is
    /// taken already.
    static func contentID(prefix: String, of key: String, attempt: Int = 0) -> String {
        let hex = String(Pipeline.contentHash(attempt == 0 ? key : key + "#\(attempt)"), radix: 16)
        return prefix + (String(repeating: "0", count: max(0, 16 - hex.count)) + hex).prefix(10)
    }

    /// The article each story is named after: its earliest.
    static func storyKeys(_ grouping: Grouping) -> [String] {
        let articles = grouping.articles
        return grouping.stories.map { members in articles[members.min { StoryDescriber.earlier(articles, $0, $1) }!].id }
    }

    /// Ids from the content alone: what a run without a state gives.
    static func contentIdentities(_ grouping: Grouping) -> Identities {
        let articles = grouping.articles
        return Identities(
            stories: .init(ids: storyKeys(grouping).map { contentID(prefix: "s-", of: $0) }, changes: []),
            duplicateGroups: .init(ids: grouping.canonicals.map { contentID(prefix: "d-", of: articles[$0].id) }, changes: []))
    }
}
