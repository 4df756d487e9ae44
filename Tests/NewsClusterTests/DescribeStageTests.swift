import Foundation
import Testing
@testable import NewsCluster

extension UsesOpenBLAS {
    @Suite("DescribeStage")
    struct DescribeStageTests {
        @Test func articleLinesAreInInputOrder() throws {
            let corpus = StageCorpus()
            defer { corpus.remove() }
            let descriptions = try corpus.descriptions()
            #expect(descriptions.articleLines.map(\.id) == StageCorpus.inputOrder)
            // The stages past the read work in canonical order.
            #expect(descriptions.articles.map(\.id) == StageCorpus.canonicalOrder)
        }

        @Test func articleLinesCarryTheGroupingsIDs() throws {
            let corpus = StageCorpus()
            defer { corpus.remove() }
            let descriptions = try corpus.descriptions()
            let lines = Dictionary(uniqueKeysWithValues: descriptions.articleLines.map { ($0.id, $0) })
            let herald = try #require(lines["quake-herald"]), gazette = try #require(lines["quake-gazette"])
            let festival = try #require(lines["festival"])
            let quakeStory = GroupStage.contentID(prefix: "s-", of: "quake-gazette")
            let quakeGroup = GroupStage.contentID(prefix: "d-", of: "quake-gazette")
            #expect(herald.story == quakeStory && gazette.story == quakeStory)
            #expect(herald.duplicateGroup == quakeGroup && gazette.duplicateGroup == quakeGroup)
            #expect(herald.canonical == "quake-gazette" && gazette.canonical == "quake-gazette")
            #expect(festival.story == GroupStage.contentID(prefix: "s-", of: "festival"))
            #expect(festival.duplicateGroup == nil && festival.canonical == nil)
            // Related articles are in other stories, at most `related` of them.
            for line in descriptions.articleLines {
                #expect(line.related.count <= corpus.options.related)
                #expect(line.related.allSatisfy { $0.story != line.story })
            }
        }

        @Test func storiesComeLargestFirst() throws {
            let corpus = StageCorpus()
            defer { corpus.remove() }
            let descriptions = try corpus.descriptions()
            #expect(descriptions.stories.map(\.members.count) == [2, 1])
            #expect(descriptions.stories.map(\.id) == [
                GroupStage.contentID(prefix: "s-", of: "quake-gazette"), GroupStage.contentID(prefix: "s-", of: "festival"),
            ])
            let entries = descriptions.storiesFile.stories
            #expect(entries.map(\.id) == descriptions.stories.map(\.id))
            #expect(entries.map(\.size) == [2, 1])
            #expect(descriptions.storiesFile.tool == "newscluster")
            #expect(descriptions.storiesFile.version == Pipeline.version)
        }

        /// The stage corpus's two story entries: the quake (two copies of one text), then the
        /// festival (one article).
        private func quakeAndFestival() throws -> (quake: StoryEntry, festival: StoryEntry) {
            let corpus = StageCorpus()
            defer { corpus.remove() }
            let entries = try corpus.descriptions().storiesFile.stories
            try #require(entries.count == 2)
            return (entries[0], entries[1])
        }

        @Test func quakeStoryIsHeadedByItsCanonicalCopy() throws {
            let (quake, festival) = try quakeAndFestival()
            #expect(quake.headline == "Strong earthquake shakes Port Ellis")
            #expect(quake.firstPublished == "2024-03-01T08:00:00Z")
            #expect(quake.lastPublished == "2024-03-01T10:00:00Z")
            #expect(Set(quake.members.map(\.id)) == ["quake-gazette", "quake-herald"])
            #expect(quake.members.filter(\.canonical).map(\.id) == ["quake-gazette"])
            try #require(quake.duplicateGroups.count == 1)
            #expect(quake.duplicateGroups[0].canonical == "quake-gazette")
            #expect(quake.duplicateGroups[0].members == ["quake-gazette", "quake-herald"])
            #expect(!quake.terms.isEmpty)
            #expect(quake.cohesion >= 0 && quake.cohesion <= 1)
            #expect(festival.members.map(\.id) == ["festival"])
            #expect(festival.duplicateGroups.isEmpty)
        }

        /// The evidence an editor sees: each member's score to the rest of its story, and a
        /// copy's containment with its canonical article (at least the duplicate rule's share).
        @Test func membersCarryTheirScoreAndCopiesTheirContainment() throws {
            let (quake, festival) = try quakeAndFestival()
            for member in quake.members {
                let score = try #require(member.score)
                #expect(score > 0.5 && score <= 1, "two copies of one text: \(score)")
                if member.canonical {
                    #expect(member.containment == nil)
                } else {
                    #expect(try #require(member.containment) >= ClusterOptions().duplicateContainment)
                }
            }
            #expect(festival.members[0].score == nil, "a story of one article has no others")
            #expect(festival.members[0].containment == nil)
        }

        /// Article 0 (story 0) and its candidates: 1 is of its own story; 2, 3 and 4 are copies in
        /// one duplicate group (canonical 4) of story 1; 5, 6 and 7 are of story 2; 8 of story 3
        /// scores below the floor.
        @Test func relatedListsShowACopyOnceAsItsCanonicalAndAtMostTwoOfAStory() {
            let storyOf = [0, 0, 1, 1, 1, 2, 2, 2, 3]
            let duplicateGroupOf: [Int?] = [nil, nil, 0, 0, 0, nil, nil, nil, nil]
            let candidates = [(1, 0.9), (2, 0.8), (3, 0.79), (5, 0.7), (4, 0.6), (6, 0.5), (7, 0.4), (8, 0.05)]
                .map { NeighborSearch.Neighbor(index: Int32($0.0), score: Float($0.1)) }
            func select(count: Int = 5, perStory: Int = 2, minimumScore: Float = 0.12) -> [Int] {
                DescribeStage.RelatedRules(count: count, perStory: perStory, minimumScore: minimumScore)
                    .select(candidates[...], of: 0, storyOf: storyOf, duplicateGroupOf: duplicateGroupOf, canonicals: [4])
                    .map(\.article)
            }
            // The group once, as its canonical with its best member's score; two of story 2; not 8.
            #expect(select() == [4, 5, 6])
            let scores = DescribeStage.RelatedRules(count: 5, perStory: 2, minimumScore: 0.12)
                .select(candidates[...], of: 0, storyOf: storyOf, duplicateGroupOf: duplicateGroupOf, canonicals: [4]).map(\.score)
            #expect(scores == [0.8, 0.7, 0.5])
            #expect(select(perStory: 1) == [4, 5])
            #expect(select(perStory: 3) == [4, 5, 6, 7])
            #expect(select(count: 2) == [4, 5])
            #expect(select(minimumScore: 0) == [4, 5, 6, 8])
            #expect(select(minimumScore: 0.75) == [4])
        }

        /// With story affinities, the stories most related to the article's own come first,
        /// each story's members best first, and the floor still holds for every pair.
        @Test func relatedListsByStoryPutTheMostRelatedStoryFirst() {
            // Article 0 (story 0); 1 and 2 of story 1, 3 of story 2, 4 of story 3 below the floor.
            let storyOf = [0, 1, 1, 2, 3]
            let candidates = [(3, 0.6), (1, 0.4), (2, 0.3), (4, 0.1)]
                .map { NeighborSearch.Neighbor(index: Int32($0.0), score: Float($0.1)) }
            let affinity = StoryAffinity(
                story: 0, members: [0], candidates: NeighborLists([candidates, [], [], [], []]), storyOf: storyOf,
                storySizes: [1, 2, 10, 1], nearestPerRow: 24)
            let rules = DescribeStage.RelatedRules(count: 5, perStory: 2, minimumScore: 0.12)
            func select(_ affinity: StoryAffinity?) -> [Int] {
                rules.select(candidates[...], of: 0, storyOf: storyOf, duplicateGroupOf: Array(repeating: nil, count: 5),
                             canonicals: [], affinity: affinity).map(\.article)
            }
            // Story 1: (0.4 + 0.3) / 2 = 0.35; story 2: 0.6 / 10 = 0.06.
            #expect(select(affinity) == [1, 2, 3])
            #expect(select(nil) == [3, 1, 2])
        }

        @Test func roundedKeepsFourDecimals() {
            #expect(DescribeStage.rounded(0.123456) == 0.1235)
            #expect(DescribeStage.rounded(1) == 1)
            #expect(DescribeStage.rounded(0) == 0)
        }
    }
}
