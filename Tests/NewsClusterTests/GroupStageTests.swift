import Foundation
import Testing
@testable import NewsCluster

extension UsesOpenBLAS {
    @Suite("GroupStage")
    struct GroupStageTests {
        @Test func nearDuplicatesFormOneDuplicateGroupInOneStory() throws {
            let corpus = StageCorpus()
            defer { corpus.remove() }
            let grouping = try corpus.grouping()
            let byID = StageCorpus.indices(grouping.articles)
            let herald = try #require(byID["quake-herald"]), gazette = try #require(byID["quake-gazette"])
            let festival = try #require(byID["festival"])
            #expect(grouping.duplicateGroups == [[gazette, herald].sorted()])
            // The canonical copy is the earliest.
            #expect(grouping.canonicals == [gazette])
            try #require(grouping.duplicateGroupOf.count == 3 && grouping.storyOf.count == 3)
            #expect(grouping.duplicateGroupOf[herald] == 0 && grouping.duplicateGroupOf[gazette] == 0)
            #expect(grouping.duplicateGroupOf[festival] == nil)
            #expect(grouping.canonicalOf[herald] == gazette && grouping.canonicalOf[festival] == nil)
            #expect(grouping.storyOf[herald] == grouping.storyOf[gazette])
            #expect(grouping.storyOf[festival] != grouping.storyOf[gazette])
            #expect(grouping.stories.count == 2)
            #expect(Set(grouping.stories) == [[gazette, herald].sorted(), [festival]])
            for (story, members) in grouping.stories.enumerated() {
                #expect(members == members.sorted())
                #expect(members.allSatisfy { grouping.storyOf[$0] == story })
            }
        }

        @Test func contentIdentitiesNameStoriesAfterTheirEarliestArticle() throws {
            let corpus = StageCorpus()
            defer { corpus.remove() }
            let grouping = try corpus.grouping()
            let byID = StageCorpus.indices(grouping.articles)
            let gazette = try #require(byID["quake-gazette"]), festival = try #require(byID["festival"])
            let stories = grouping.identities.stories.ids
            try #require(stories.count == grouping.stories.count)
            #expect(stories[grouping.storyOf[gazette]] == GroupStage.contentID(prefix: "s-", of: "quake-gazette"))
            #expect(stories[grouping.storyOf[festival]] == GroupStage.contentID(prefix: "s-", of: "festival"))
            #expect(grouping.identities.duplicateGroups.ids == [GroupStage.contentID(prefix: "d-", of: "quake-gazette")])
            #expect(grouping.identities.stories.changes.isEmpty && grouping.identities.duplicateGroups.changes.isEmpty)
            #expect(GroupStage.storyKeys(grouping).sorted() == ["festival", "quake-gazette"])
        }

        @Test func identifyIsGivenTheFinishedGrouping() throws {
            let corpus = StageCorpus()
            defer { corpus.remove() }
            let neighbors = try corpus.neighbors()
            var seen: (stories: Int, groups: Int)?
            let grouping = GroupStage(options: corpus.options, threads: 1).run(neighbors) { grouping in
                seen = (grouping.stories.count, grouping.duplicateGroups.count)
                return Identities(
                    stories: .init(ids: grouping.stories.indices.map { "story-\($0)" }, changes: []),
                    duplicateGroups: .init(ids: grouping.duplicateGroups.indices.map { "group-\($0)" }, changes: []))
            }
            #expect(seen?.stories == 2 && seen?.groups == 1)
            #expect(grouping.identities.stories.ids == ["story-0", "story-1"])
            #expect(grouping.identities.duplicateGroups.ids == ["group-0"])
        }

        @Test func storyClusteringWeighsOnlyPairsOfTwoStemmedArticles() throws {
            let edges = [NeighborSearch.Edge(a: 0, b: 1, score: 0.4), NeighborSearch.Edge(a: 0, b: 2, score: 0.4),
                         NeighborSearch.Edge(a: 2, b: 3, score: 0.4)]
            let scripts = ["cyrl", "cyrl", "latn", "latn"]
            let scale = try #require(GroupStage.stemmedPairScale(scripts: scripts, stemmer: TermStemmer(letters: 5), weight: 0.5))
            #expect(edges.map { $0.score * scale.factor($0.a, $0.b) } == [0.2, 0.4, 0.4])
            // Whole words, or a weight of 1: the exact cosines.
            #expect(GroupStage.stemmedPairScale(scripts: scripts, stemmer: TermStemmer(letters: 0), weight: 0.5) == nil)
            #expect(GroupStage.stemmedPairScale(scripts: scripts, stemmer: TermStemmer(letters: 5), weight: 1) == nil)
            // The clusterer applies it as it reads the edges: scaled, 0–1 falls below a threshold
            // that the same cosine unscaled reaches.
            let clusterer = StoryClusterer(threshold: 0.5, neighbors: 5, neighborFloor: 0.15)
            #expect(clusterer.cluster(count: 4, edges: edges, initialGroups: [])[0...1] == [0, 0])
            #expect(clusterer.cluster(count: 4, edges: edges, pairScale: scale, initialGroups: []) != clusterer.cluster(count: 4, edges: edges, initialGroups: []))
        }

        @Test func contentIDIsAPrefixAndTenHexDigits() {
            let id = GroupStage.contentID(prefix: "s-", of: "quake-gazette")
            #expect(id.hasPrefix("s-"))
            #expect(id.count == 12)
            #expect(id.dropFirst(2).allSatisfy { $0.isHexDigit && !$0.isUppercase })
            #expect(GroupStage.contentID(prefix: "s-", of: "quake-gazette") == id)
            #expect(GroupStage.contentID(prefix: "d-", of: "quake-gazette").dropFirst(2) == id.dropFirst(2))
            #expect(GroupStage.contentID(prefix: "s-", of: "festival") != id)
        }

        @Test func laterAttemptsGiveOtherIDs() {
            let first = GroupStage.contentID(prefix: "s-", of: "quake-gazette")
            let second = GroupStage.contentID(prefix: "s-", of: "quake-gazette", attempt: 1)
            let third = GroupStage.contentID(prefix: "s-", of: "quake-gazette", attempt: 2)
            #expect(Set([first, second, third]).count == 3)
            #expect(second == GroupStage.contentID(prefix: "s-", of: "quake-gazette#1"))
        }

        @Test func contentIDIsPaddedToTenDigits() {
            // Whatever the hash, the id has the same length: find a key whose hash has leading zero digits.
            let keys = (0..<4096).map { "key-\($0)" }
            let ids = keys.map { GroupStage.contentID(prefix: "d-", of: $0) }
            #expect(ids.allSatisfy { $0.count == 12 })
            let short = keys.first { String(Pipeline.contentHash($0), radix: 16).count < 16 }
            #expect(short != nil, "no key of 4096 has a hash below 2^60")
        }

        @Test func groupingSurvivesAStageFileRoundTrip() throws {
            let corpus = StageCorpus()
            defer { corpus.remove() }
            let grouping = try corpus.grouping()
            let decoded = try JSONDecoder().decode(Grouping.self, from: try JSONEncoder().encode(grouping))
            #expect(decoded.stories == grouping.stories)
            #expect(decoded.duplicateGroups == grouping.duplicateGroups)
            #expect(decoded.duplicateGroupOf == grouping.duplicateGroupOf)
            #expect(decoded.identities.stories == grouping.identities.stories)
        }

        /// An editor marks a copy out of its story: it leaves its duplicate group (a copy cannot
        /// stay with an article it may not share a story with), the story goes on without it,
        /// and both stories name the judgement.
        @Test func aCopyMarkedOutOfItsStoryLeavesItsDuplicateGroup() throws {
            let corpus = StageCorpus()
            defer { corpus.remove() }
            let remove = Judgement(
                id: "j-1", action: .remove, time: "2026-12-06T08:00:00Z", editor: nil, article: "quake-herald",
                stories: [.init(id: "s-1", headline: "Quake")], mustLink: [],
                cannotLink: [Judgement.Pair("quake-herald", "quake-gazette")])
            let grouping = try corpus.grouping(judgements: [remove])
            let byID = StageCorpus.indices(grouping.articles)
            let herald = try #require(byID["quake-herald"]), gazette = try #require(byID["quake-gazette"])
            #expect(grouping.duplicateGroups.isEmpty, "a group of two without one of them is no group")
            #expect(grouping.storyOf[herald] != grouping.storyOf[gazette])
            #expect(grouping.editors.judgements.map(\.id) == ["j-1"])
            #expect(grouping.editors.warnings.isEmpty)
            #expect(grouping.storyJudgements[grouping.storyOf[herald]] == [0])
            #expect(grouping.storyJudgements[grouping.storyOf[gazette]] == [0])
        }

        @Test func separatingTakesTheArticleActedOnOutOfItsGroupOnly() {
            let groups = [[0, 1, 2], [3, 4]]
            #expect(GroupStage.separating(groups, cannotLink: [.init(a: 2, b: 0), .init(a: 2, b: 1)]) == [[0, 1], [3, 4]])
            #expect(GroupStage.separating(groups, cannotLink: [.init(a: 4, b: 3)]) == [[0, 1, 2]])
            #expect(GroupStage.separating(groups, cannotLink: [.init(a: 0, b: 3)]) == groups, "not one group: nothing to do")
            #expect(GroupStage.separating(groups, cannotLink: []) == groups)
        }

        /// Two articles of unrelated stories that an editor put together end in one story.
        @Test func aMustLinkPutsUnrelatedArticlesInOneStory() throws {
            let corpus = StageCorpus()
            defer { corpus.remove() }
            let move = Judgement(
                id: "j-1", action: .move, time: "2026-12-06T08:00:00Z", editor: "Ana", article: "festival",
                stories: [.init(id: "s-2", headline: "Festival"), .init(id: "s-1", headline: "Quake")],
                mustLink: [Judgement.Pair("festival", "quake-gazette")], cannotLink: [])
            let grouping = try corpus.grouping(judgements: [move])
            let byID = StageCorpus.indices(grouping.articles)
            let festival = try #require(byID["festival"]), gazette = try #require(byID["quake-gazette"])
            #expect(grouping.storyOf[festival] == grouping.storyOf[gazette])
            #expect(grouping.stories.count == 1)
        }
    }
}
