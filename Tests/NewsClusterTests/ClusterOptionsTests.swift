import Foundation
import Testing
@testable import NewsCluster

@Suite("ClusterOptions")
struct ClusterOptionsTests {
    @Test func defaults() {
        let options = ClusterOptions()
        #expect(options.duplicateThreshold == 0.8)
        #expect(options.duplicateContainment == 0.5)
        #expect(options.storyThreshold == 0.14)
        #expect(options.related == 5)
        #expect(options.windowDays == nil)
        #expect(options.threads == ProcessInfo.processInfo.activeProcessorCount)
        #expect(!options.keepBoilerplate && !options.strict)
        #expect(options.projectionDimensions == 256)
        #expect(options.vectorizer == TFIDFVectorizer.Options())
        #expect(options.vectorizer.titleWeight == 2)
        #expect(options.vectorizer.maximumDocumentShare == 0.5)
    }

    @Test func neighborOptionsForTheDefaults() {
        var options = ClusterOptions()
        options.threads = 3
        let neighbors = options.neighborOptions
        #expect(neighbors.dimensions == 256)
        #expect(neighbors.edgeFloor == 0.07)
        // spread = √((1 + 0.14²) / 256) ≈ 0.0631; 0.14 − 2.33 · 0.0631 < 0.02 → floor 0.02.
        #expect(neighbors.candidateFloor == 0.02)
        #expect(neighbors.nearestPerRow == 18)
        #expect(neighbors.windowSeconds == nil)
        #expect(neighbors.threads == 3)
    }

    @Test func neighborOptionsFollowThresholdsAndWindow() {
        var options = ClusterOptions()
        options.storyThreshold = 0.5
        options.projectionDimensions = 1024
        options.related = 10
        options.windowDays = 2.5
        let neighbors = options.neighborOptions
        #expect(neighbors.dimensions == 1024)
        #expect(neighbors.edgeFloor == 0.25)
        // 0.5 − 2.33 · √(1.25 / 1024) ≈ 0.4186 > edge floor 0.25 → the edge floor.
        #expect(neighbors.candidateFloor == 0.25)
        #expect(neighbors.nearestPerRow == 28)
        #expect(neighbors.windowSeconds == 2.5 * 86_400)

        options.storyThreshold = 0.3
        options.projectionDimensions = 256
        // 0.3 − 2.33 · √(1.09 / 256) ≈ 0.148: between 0.02 and the edge floor 0.15.
        let spread = (1.09 / 256.0).squareRoot()
        let expected = Float(max(0.02, min(0.15, 0.3 - 2.33 * spread)))
        #expect(expected > 0.14 && expected < 0.15)
        #expect(abs(options.neighborOptions.candidateFloor - expected) < 1e-6)
        #expect(options.neighborOptions.candidateFloor <= options.neighborOptions.edgeFloor)
    }

    @Test func codableRoundTripWithSnakeCaseKeys() throws {
        var options = ClusterOptions()
        options.windowDays = 3
        options.storyThreshold = 0.2
        options.strict = true
        options.vectorizer.titleWeight = 1.5
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let data = try encoder.encode(options)
        let object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        #expect(Set(object.keys) == [
            "duplicate_threshold", "duplicate_containment", "story_threshold", "related", "window_days", "threads",
            "keep_boilerplate", "strict", "vectorizer", "projection_dimensions",
        ])
        let vectorizer = try #require(object["vectorizer"] as? [String: Any])
        #expect(vectorizer["title_weight"] as? Double == 1.5)
        #expect(try JSONDecoder().decode(ClusterOptions.self, from: data) == options)
    }

    @Test func noWindowIsOmittedOrNull() throws {
        let data = try JSONEncoder().encode(ClusterOptions())
        let object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        #expect(object["window_days"] == nil || object["window_days"] is NSNull)
        #expect(try JSONDecoder().decode(ClusterOptions.self, from: data).windowDays == nil)
    }
}
