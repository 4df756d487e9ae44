import Foundation
import Testing
@testable import NewsCluster

/// Collects the progress the stage reports, from whichever thread reports it.
private final class Reported: @unchecked Sendable {
    private let lock = NSLock()
    private var values: [Int] = []
    var all: [Int] { lock.withLock { values } }
    func append(_ value: Int) { lock.withLock { values.append(value) } }
}

extension UsesOpenBLAS {
    @Suite("NeighborsStage")
    struct NeighborsStageTests {
        @Test func nearIdenticalArticlesAreEachOthersBestNeighbor() throws {
            let corpus = StageCorpus()
            defer { corpus.remove() }
            let neighbors = try corpus.neighbors()
            let byID = StageCorpus.indices(neighbors.articles)
            let herald = try #require(byID["quake-herald"]), gazette = try #require(byID["quake-gazette"])
            let graph = neighbors.graph
            #expect(graph.count == 3)
            try #require(graph.candidates.count == 3)
            let best = try #require(graph.candidates[gazette].first)
            #expect(Int(best.index) == herald)
            #expect(best.score >= corpus.options.duplicateThreshold)
            #expect(Int(try #require(graph.candidates[herald].first).index) == gazette)
            let edge = try #require(graph.edges.first { Set([Int($0.a), Int($0.b)]) == [herald, gazette] })
            #expect(edge.a < edge.b)
            #expect(abs(edge.score - neighbors.vectors.matrix.dot(herald, gazette)) < 1e-5)
        }

        @Test func candidatesComeBestFirstAndEdgesReachTheFloor() throws {
            let corpus = StageCorpus()
            defer { corpus.remove() }
            let graph = try corpus.neighbors().graph
            for article in 0..<graph.count {
                let scores = graph.candidates[article].map(\.score)
                #expect(scores == scores.sorted(by: >))
                #expect(!graph.candidates[article].contains { Int($0.index) == article })
            }
            #expect(graph.edges.allSatisfy { $0.score >= corpus.options.edgeFloor && $0.a < $0.b })
        }

        @Test func stageKeepsTheVectorsItSearched() throws {
            let corpus = StageCorpus()
            defer { corpus.remove() }
            let vectors = try corpus.vectors()
            BLAS.setThreadCount(1)
            let neighbors = NeighborsStage(options: corpus.options).run(vectors, known: nil)
            #expect(neighbors.articles.map(\.id) == vectors.articles.map(\.id))
            #expect(neighbors.vectors.matrix.values == vectors.matrix.values)
            #expect(neighbors.vectors.use == vectors.use)
        }

        @Test func knownPairOfTwoKnownArticlesKeepsItsScore() throws {
            let corpus = StageCorpus()
            defer { corpus.remove() }
            let vectors = try corpus.vectors()
            let byID = StageCorpus.indices(vectors.articles)
            let herald = try #require(byID["quake-herald"]), gazette = try #require(byID["quake-gazette"])
            let festival = try #require(byID["festival"])
            BLAS.setThreadCount(1)
            let searched = NeighborsStage(options: corpus.options).run(vectors, known: nil).graph
            var fresh = [Bool](repeating: false, count: 3)
            fresh[festival] = true
            let known = KnownPairs(fresh: fresh, pairs: [(Int32(min(herald, gazette)), Int32(max(herald, gazette)))])
            let night = NeighborsStage(options: corpus.options).run(vectors, known: known).graph
            func pair(_ graph: NeighborSearch.Graph) -> NeighborSearch.Edge? {
                graph.edges.first { Set([Int($0.a), Int($0.b)]) == [herald, gazette] }
            }
            let edge = try #require(pair(night))
            #expect(edge == pair(searched))
        }

        @Test func progressCountsTilesUpToTheirNumber() throws {
            let corpus = StageCorpus()
            defer { corpus.remove() }
            let vectors = try corpus.vectors()
            let reported = Reported()
            BLAS.setThreadCount(1)
            _ = NeighborsStage(options: corpus.options, progress: { reported.append($0) }).run(vectors, known: nil)
            let tiles = NeighborsStage.tileCount(articles: 3, options: corpus.options)
            #expect(tiles >= 1)
            #expect(reported.all.allSatisfy { $0 >= 0 && $0 <= tiles })
        }

        @Test func graphSurvivesAStageFileRoundTrip() throws {
            let corpus = StageCorpus()
            defer { corpus.remove() }
            let neighbors = try corpus.neighbors()
            let decoded = try JSONDecoder().decode(NeighborGraph.self, from: try JSONEncoder().encode(neighbors))
            #expect(decoded.graph.edges == neighbors.graph.edges)
            #expect(decoded.graph.count == neighbors.graph.count)
            #expect(decoded.graph.copyGroups == neighbors.graph.copyGroups)
            #expect(decoded.graph.candidates == neighbors.graph.candidates)
        }
    }
}
