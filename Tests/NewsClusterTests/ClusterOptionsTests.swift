import Foundation
import Testing
@testable import NewsCluster

@Suite("ClusterOptions")
struct ClusterOptionsTests {
    @Test func defaults() {
        let options = ClusterOptions()
        #expect(options.duplicateThreshold == 0.8)
        #expect(options.duplicateContainment == 0.5)
        #expect(options.storyThreshold == 0.2)
        #expect(options.storyNeighbors == 5)
        #expect(options.storyNeighborFloor == 0.15)
        #expect(options.edgeFloor == 0.05)
        #expect(options.related == 5)
        #expect(options.windowDays == nil)
        #expect(options.threads == ProcessInfo.processInfo.activeProcessorCount)
        #expect(!options.keepBoilerplate && !options.strict)
        #expect(options.projectionDimensions == 256)
        #expect(options.vectorizer == TFIDFVectorizer.Options())
        #expect(options.vectorizer.titleWeight == 2)
        #expect(options.vectorizer.nameWeight == 2)
        #expect(options.vectorizer.numberWeight == 2)
        #expect(options.vectorizer.maximumDocumentShare == 0.5)
    }

    @Test func neighborOptionsForTheDefaults() {
        var options = ClusterOptions()
        options.threads = 3
        let neighbors = options.neighborOptions
        #expect(neighbors.dimensions == 256)
        // Edges are kept down to the edge floor, whatever the story threshold.
        #expect(neighbors.edgeFloor == 0.05)
        // spread at the neighbour floor 0.15: √((1 + 0.15²) / 256) = √(1.0225 / 256) ≈ 0.06320;
        // 0.15 − 2.33 · 0.06320 ≈ 0.00275 < edgeFloor / 2 = 0.025 → 0.025.
        #expect(neighbors.candidateFloor == 0.025)
        // max(16, 2 · 5 + 8) = 18.
        #expect(neighbors.nearestPerRow == 18)
        #expect(neighbors.windowSeconds == nil)
        #expect(neighbors.threads == 3)
    }

    @Test func candidateFloorFollowsTheNeighborFloorNotTheStoryThreshold() {
        var options = ClusterOptions()
        options.storyNeighborFloor = 0.3
        options.projectionDimensions = 1024
        options.related = 10
        options.windowDays = 2.5
        // 0.3 − 2.33 · √((1 + 0.3²) / 1024) = 0.3 − 2.33 · 0.032626 ≈ 0.22398 > 0.025.
        let expected = Float(0.3 - 2.33 * (1.09 / 1024.0).squareRoot())
        let neighbors = options.neighborOptions
        #expect(neighbors.dimensions == 1024)
        #expect(neighbors.edgeFloor == 0.05)
        #expect(abs(neighbors.candidateFloor - expected) < 1e-6)
        #expect(abs(neighbors.candidateFloor - 0.22398) < 1e-4)
        // max(16, 2 · 10 + 8) = 28.
        #expect(neighbors.nearestPerRow == 28)
        #expect(neighbors.windowSeconds == 2.5 * 86_400)

        // The story threshold no longer moves the search.
        let before = options.neighborOptions
        options.storyThreshold = 0.9
        #expect(options.neighborOptions == before)

        // Floor 0.15 at 1024 dimensions: 0.15 − 2.33 · √(1.0225 / 1024) ≈ 0.07637.
        options.storyNeighborFloor = 0.15
        #expect(abs(options.neighborOptions.candidateFloor - Float(0.15 - 2.33 * (1.0225 / 1024.0).squareRoot())) < 1e-6)
        #expect(abs(options.neighborOptions.candidateFloor - 0.07637) < 1e-4)
    }

    @Test func edgeFloorSetsTheEdgesAndBoundsTheCandidateFloorFromBelow() {
        var options = ClusterOptions()
        options.edgeFloor = 0.4
        let neighbors = options.neighborOptions
        #expect(neighbors.edgeFloor == 0.4)
        // 0.15 − 2.33 · 0.0632 ≈ 0.00275 < 0.4 / 2 → 0.2.
        #expect(neighbors.candidateFloor == 0.2)
        options.edgeFloor = 0
        // Nothing below: the projected bound itself, 0.15 − 2.33 · √(1.0225 / 256) ≈ 0.002746.
        #expect(abs(options.neighborOptions.candidateFloor - Float(0.15 - 2.33 * (1.0225 / 256.0).squareRoot())) < 1e-6)
        #expect(options.neighborOptions.edgeFloor == 0)
    }

    @Test func codableRoundTripWithSnakeCaseKeys() throws {
        var options = ClusterOptions()
        options.windowDays = 3
        options.storyThreshold = 0.25
        options.storyNeighbors = 7
        options.storyNeighborFloor = 0.12
        options.edgeFloor = 0.04
        options.strict = true
        options.vectorizer.titleWeight = 1.5
        options.vectorizer.nameWeight = 3
        options.vectorizer.numberWeight = 0.5
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let data = try encoder.encode(options)
        let object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        #expect(Set(object.keys) == [
            "duplicate_threshold", "duplicate_containment", "story_threshold", "story_neighbors",
            "story_neighbor_floor", "related", "window_days", "threads", "keep_boilerplate", "strict",
            "vectorizer", "projection_dimensions", "edge_floor",
        ])
        #expect(object["story_neighbors"] as? Int == 7)
        #expect(abs((object["story_neighbor_floor"] as? Double ?? 0) - 0.12) < 1e-6)
        #expect(abs((object["edge_floor"] as? Double ?? 0) - 0.04) < 1e-6)
        #expect(abs((object["story_threshold"] as? Double ?? 0) - 0.25) < 1e-6)
        let vectorizer = try #require(object["vectorizer"] as? [String: Any])
        #expect(Set(vectorizer.keys) == [
            "title_weight", "name_weight", "number_weight", "sublinear_tf", "minimum_document_frequency",
            "maximum_document_share", "minimum_group_size_for_pruning",
        ])
        #expect(vectorizer["title_weight"] as? Double == 1.5)
        #expect(vectorizer["name_weight"] as? Double == 3)
        #expect(vectorizer["number_weight"] as? Double == 0.5)
        #expect(try JSONDecoder().decode(ClusterOptions.self, from: data) == options)
    }

    @Test func noWindowIsOmittedOrNull() throws {
        let data = try JSONEncoder().encode(ClusterOptions())
        let object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        #expect(object["window_days"] == nil || object["window_days"] is NSNull)
        #expect(try JSONDecoder().decode(ClusterOptions.self, from: data).windowDays == nil)
    }
}
