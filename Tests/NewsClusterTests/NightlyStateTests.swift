import Foundation
import Testing
@testable import NewsCluster

private func storedArticle(_ rowID: Int64, _ terms: DocumentTerms) -> StateStore.StoredArticle {
    StateStore.StoredArticle(rowID: rowID, contentHash: 1, story: "s-old", duplicateGroup: nil, terms: terms)
}

extension UsesOpenBLAS {
    @Suite("NightlyState")
    struct NightlyStateTests {
        @Test func noStateKeepsNothing() throws {
            let state = NoState()
            #expect(!state.keepsArticles)
            #expect(state.storedRecords().isEmpty)
            #expect(state.lastRunArticles() == nil)
            #expect(state.storedVocabulary() == nil)
            let snapshot = state.snapshot()
            #expect(snapshot.articles.isEmpty && snapshot.stories.isEmpty && snapshot.knownPairs.isEmpty)
            #expect(snapshot.run == 1)
        }

        @Test func noStateSearchesEveryPairAndGivesContentIDs() throws {
            let corpus = StageCorpus()
            defer { corpus.remove() }
            let grouping = try corpus.grouping()
            let state = NoState()
            #expect(state.knownPairs(grouping.neighbors.vectors, snapshot: .init()) == nil)
            let identities = state.identify(grouping, snapshot: .init())
            let content = GroupStage.contentIdentities(grouping)
            #expect(identities.stories == content.stories)
            #expect(identities.duplicateGroups == content.duplicateGroups)
            #expect(identities.stories.ids.contains(GroupStage.contentID(prefix: "s-", of: "quake-gazette")))
            let descriptions = DescribeStage(options: corpus.options, threads: 1).run(grouping)
            #expect(state.changes(descriptions, snapshot: .init()) == nil)
            // Saving is a no-op that never asks whether to commit.
            state.save(descriptions, storedRecords: [:], snapshot: .init(), commitIf: {
                Issue.record("NoState asked to commit")
                return true
            })
        }

        @Test func storedNightsOfANewStateKeepArticlesButKnowNothingYet() throws {
            let directory = Fixtures.temporaryDirectory("newscluster-nightly")
            defer { Fixtures.remove(directory) }
            let state = StoredNights(store: try StateStore(path: directory + "/state.sqlite"))
            #expect(state.keepsArticles)
            #expect(try state.storedRecords().isEmpty)
            #expect(try state.lastRunArticles() == nil)
            #expect(try state.storedVocabulary() == nil)
            let snapshot = try state.snapshot()
            #expect(snapshot.articles.isEmpty && snapshot.knownPairs.isEmpty)
            #expect(snapshot.run == 1)
        }

        @Test func knownPairsMarkReusedArticlesAsNotFresh() throws {
            let corpus = StageCorpus()
            defer { corpus.remove() }
            let directory = Fixtures.temporaryDirectory("newscluster-nightly")
            defer { Fixtures.remove(directory) }
            let state = StoredNights(store: try StateStore(path: directory + "/state.sqlite"))
            var counts = try corpus.counts()
            let byID = StageCorpus.indices(counts.articles)
            let herald = try #require(byID["quake-herald"]), gazette = try #require(byID["quake-gazette"])
            let festival = try #require(byID["festival"])
            // The two copies are known and unchanged; the festival is new tonight.
            counts.reused = counts.articles.indices.map { $0 != festival }
            var snapshot = StateStore.Snapshot()
            snapshot.articles = [
                "quake-herald": storedArticle(7, counts.documents[herald]),
                "quake-gazette": storedArticle(3, counts.documents[gazette]),
                "festival": storedArticle(9, counts.documents[festival]),
            ]
            // A pair of two known articles, a pair with a changed article, one with an article
            // not read tonight, and one of an article with itself.
            snapshot.knownPairs = [(3, 7), (3, 9), (7, 42), (3, 3)]
            snapshot.knownScores = [0.9, 0.1, 0.2, 1]
            var vectors = VectorizeStage(options: corpus.options, threads: 1).run(counts, keepsCounts: true)
            vectors.counts = counts
            snapshot.knownScoredWith = vectors.frozen.fingerprint
            let known = try #require(state.knownPairs(vectors, snapshot: snapshot))
            #expect(known.fresh == counts.articles.indices.map { $0 == festival })
            try #require(known.pairs.count == 1)
            #expect(known.pairs[0].0 == Int32(gazette) && known.pairs[0].1 == Int32(herald))
            #expect(known.scores == [0.9], "scores made with tonight's vocabulary are taken")

            // Pairs scored with another vocabulary, or without their scores, say nothing of
            // tonight's nearest: every article is searched, as fresh.
            for (scores, fingerprint) in [([Float](), vectors.frozen.fingerprint), (snapshot.knownScores, vectors.frozen.fingerprint &+ 1)] {
                snapshot.knownScores = scores
                snapshot.knownScoredWith = fingerprint
                let full = try #require(state.knownPairs(vectors, snapshot: snapshot))
                #expect(full.fresh.allSatisfy { $0 } && full.pairs.isEmpty)
            }
        }

        @Test func knownPairsWithoutReusedArticlesAreAllFresh() throws {
            let corpus = StageCorpus()
            defer { corpus.remove() }
            let directory = Fixtures.temporaryDirectory("newscluster-nightly")
            defer { Fixtures.remove(directory) }
            let state = StoredNights(store: try StateStore(path: directory + "/state.sqlite"))
            let counts = try corpus.counts()
            var snapshot = StateStore.Snapshot()
            snapshot.articles = Dictionary(uniqueKeysWithValues: counts.articles.enumerated().map {
                ($1.id, storedArticle(Int64($0 + 1), counts.documents[$0]))
            })
            snapshot.knownPairs = [(1, 2), (2, 3)]
            let known = try #require(state.knownPairs(
                VectorizeStage(options: corpus.options, threads: 1).run(counts, keepsCounts: true), snapshot: snapshot))
            #expect(known.fresh == [true, true, true])
            #expect(known.pairs.isEmpty)
        }

        @Test func storedNightsOfAFirstNightNameGroupsByContent() throws {
            let corpus = StageCorpus()
            defer { corpus.remove() }
            let directory = Fixtures.temporaryDirectory("newscluster-nightly")
            defer { Fixtures.remove(directory) }
            let state = StoredNights(store: try StateStore(path: directory + "/state.sqlite"))
            let grouping = try corpus.grouping()
            let identities = state.identify(grouping, snapshot: try state.snapshot())
            #expect(Set(identities.stories.ids) == Set(GroupStage.contentIdentities(grouping).stories.ids))
            #expect(identities.duplicateGroups.ids == GroupStage.contentIdentities(grouping).duplicateGroups.ids)
        }
    }
}
