import Foundation

/// The describe stage's output: each story's headline, terms, sources and related stories, and
/// the two reports made of them (`articles.jsonl`'s lines and `stories.json`).
struct Descriptions: Sendable, Codable {
    var grouping: Grouping
    /// Stories largest first, then earliest, then by id (the order of `stories.json`).
    var stories: [StoryDescription]
    /// `articles.jsonl`, in input order.
    var articleLines: [ArticleLine]
    var storiesFile: StoriesFile

    var articles: [Article] { grouping.articles }
}

/// describe: `Grouping` → `Descriptions`.
struct DescribeStage {
    var options: ClusterOptions
    var threads: Int

    /// - Parameter knownLabel: the label a term had in the last night's stories, which a night
    ///   takes rather than reading the articles' texts again.
    func run(_ grouping: Grouping, knownLabel: @escaping (UInt64) -> String? = { _ in nil }) -> Descriptions {
        let articles = grouping.articles
        let vectors = grouping.neighbors.vectors
        let cleaned = vectors.counts.cleaned
        let graph = grouping.neighbors.graph
        let storyOf = grouping.storyOf, duplicateGroupOf = grouping.duplicateGroupOf
        let storyIDs = grouping.identities.stories.ids, groupIDs = grouping.identities.duplicateGroups.ids
        let canonicals = grouping.canonicals, duplicateGroups = grouping.duplicateGroups
        let canonicalOf = grouping.canonicalOf
        let documents = vectors.counts.documents
        let descriptions = StoryDescriber(
            relatedStoryCount: 5, relatedMinimumScore: options.relatedMinimumScore,
            relatedOrder: options.relatedOrder, nearestPerRow: options.nearestPerRow,
            stemmer: TermStemmer(letters: options.vectorizer.stemLetters)).describe(
            stories: grouping.stories, storyIDs: storyIDs, articles: articles,
            // Streamed texts are read again; should that fail (the input changed since it was
            // counted), a story's labels come from its titles alone.
            text: { index in (try? cleaned.text(of: index)) ?? "" },
            matrix: vectors.matrix, termHashes: vectors.vocabulary.hashes, graph: graph, storyOf: storyOf,
            duplicateGroupOf: duplicateGroupOf,
            isCopy: articles.indices.map { canonicalOf[$0] != nil && canonicalOf[$0] != $0 },
            knownLabel: knownLabel, threads: threads)

        let rules = RelatedRules(count: options.related, perStory: options.relatedPerStory, minimumScore: options.relatedMinimumScore)
        let storySizes = grouping.stories.map(\.count)
        // Story by story, so one story's affinities are in memory per thread at a time.
        let relatedByStory = Parallel.map(count: grouping.stories.count, threads: threads) { story -> [[(article: Int, score: Float)]] in
            let members = grouping.stories[story]
            let affinity = options.relatedOrder == .story
                ? StoryAffinity(story: story, members: members, candidates: graph.candidates, storyOf: storyOf,
                                storySizes: storySizes, nearestPerRow: options.nearestPerRow)
                : nil
            return members.map { member in
                rules.select(
                    graph.candidates[member], of: member, storyOf: storyOf, duplicateGroupOf: duplicateGroupOf,
                    canonicals: canonicals, affinity: affinity)
            }
        }
        var relatedOf = [[(article: Int, score: Float)]](repeating: [], count: articles.count)
        for (story, lists) in relatedByStory.enumerated() {
            for (member, list) in zip(grouping.stories[story], lists) { relatedOf[member] = list }
        }
        let lines = Parallel.map(count: articles.count, threads: threads) { index -> ArticleLine in
            let relatedArticles = relatedOf[index]
                .map { RelatedArticle(id: articles[$0.article].id, story: storyIDs[storyOf[$0.article]], score: Self.rounded($0.score)) }
            return ArticleLine(
                id: articles[index].id, story: storyIDs[storyOf[index]],
                duplicateGroup: duplicateGroupOf[index].map { groupIDs[$0] },
                canonical: canonicalOf[index].map { articles[$0].id }, related: relatedArticles)
        }
        // Stories: largest first, then earliest, then id.
        let ordered = descriptions.sorted { a, b in
            if a.members.count != b.members.count { return a.members.count > b.members.count }
            let fa = a.firstPublished ?? .infinity, fb = b.firstPublished ?? .infinity
            if fa != fb { return fa < fb }
            return a.id < b.id
        }
        let storyIndex = grouping.storyJudgements.isEmpty
            ? [:] : Dictionary(uniqueKeysWithValues: storyIDs.enumerated().map { ($1, $0) })
        let judgementIDs = grouping.editors.judgements.map(\.id)
        let entries = Parallel.map(count: ordered.count, threads: threads) { position -> StoryEntry in
            let story = ordered[position]
            return StoryEntry(
                id: story.id, headline: story.headline, headlineArticle: articles[story.headlineArticle].id,
                judgements: grouping.storyJudgements.isEmpty ? []
                    : grouping.storyJudgements[storyIndex[story.id]!].map { judgementIDs[$0] },
                size: story.members.count, terms: story.terms,
                sources: story.sources.map { SourceCount(name: $0.name, articles: $0.articles) },
                languages: story.languages,
                firstPublished: story.firstPublished.map(PublishedDate.dateTime),
                lastPublished: story.lastPublished.map(PublishedDate.dateTime),
                cohesion: Self.rounded(story.cohesion),
                members: zip(story.members, story.memberScores).map { member, score in
                    StoryMember(
                        id: articles[member].id, title: articles[member].title,
                        source: articles[member].source, published: articles[member].publishedText,
                        url: articles[member].url, language: articles[member].language,
                        duplicateGroup: duplicateGroupOf[member].map { groupIDs[$0] },
                        canonical: canonicalOf[member] == nil || canonicalOf[member] == member,
                        score: score.map(Self.rounded),
                        containment: canonicalOf[member].flatMap { canonical in
                            canonical == member ? nil
                                : Self.rounded(Float(documents[member].shingles.containment(documents[canonical].shingles)))
                        })
                },
                duplicateGroups: story.duplicateGroups.map { group in
                    DuplicateGroupEntry(
                        id: groupIDs[group], canonical: articles[canonicals[group]].id,
                        members: duplicateGroups[group].sorted { StoryDescriber.earlier(articles, $0, $1) }
                            .map { articles[$0].id })
                },
                relatedStories: story.relatedStories.map {
                    RelatedStory(id: storyIDs[$0.story], headline: descriptions[$0.story].headline,
                                 score: Self.rounded($0.score))
                })
        }
        return Descriptions(
            grouping: grouping, stories: ordered, articleLines: grouping.neighbors.vectors.counts.cleaned.read.order.input(lines),
            storiesFile: StoriesFile(tool: "newscluster", version: Pipeline.version, stories: entries))
    }

    /// Which of an article's scored candidates its related list shows.
    struct RelatedRules: Sendable {
        var count: Int
        var perStory: Int
        var minimumScore: Float

        /// From other stories than the article's own, down to `minimumScore`: best first, or
        /// with `affinity` the most related stories first (ties, and members of one story, best
        /// first). A copy stands as its duplicate group's canonical article, once, with the
        /// best score of the group's members; at most `perStory` of one story, and `count` in all.
        func select(
            _ candidates: ArraySlice<NeighborSearch.Neighbor>, of article: Int, storyOf: [Int],
            duplicateGroupOf: [Int?], canonicals: [Int], affinity: StoryAffinity? = nil
        ) -> [(article: Int, score: Float)] {
            // Candidates come best first; the sort is stable, so a story's keep that order.
            let eligible = candidates.prefix { $0.score >= minimumScore }
                .filter { storyOf[Int($0.index)] != storyOf[article] }
            let ordered = affinity.map { affinity in
                eligible.enumerated().sorted { a, b in
                    let fa = affinity[storyOf[Int(a.element.index)]], fb = affinity[storyOf[Int(b.element.index)]]
                    return fa != fb ? fa > fb : a.offset < b.offset
                }.map(\.element)
            } ?? eligible
            var chosen: [(article: Int, score: Float)] = []
            var groupsShown = Set<Int>()
            var perStoryShown: [Int: Int] = [:]
            for candidate in ordered where chosen.count < count {
                var other = Int(candidate.index)
                if let group = duplicateGroupOf[other] {
                    guard groupsShown.insert(group).inserted else { continue }
                    other = canonicals[group]
                }
                guard perStoryShown[storyOf[other], default: 0] < perStory else { continue }
                perStoryShown[storyOf[other], default: 0] += 1
                chosen.append((other, candidate.score))
            }
            return chosen
        }
    }

    /// Scores are written with 4 decimals: enough to rank, and stable across platforms.
    static func rounded(_ value: Float) -> Double {
        (Double(value) * 10_000).rounded() / 10_000
    }
}
