import Foundation
import Testing
@testable import NewsCluster

@Suite("ClusterOptions")
struct ClusterOptionsTests {
    @Test func defaults() {
        let options = ClusterOptions()
        #expect(options.duplicateThreshold == 0.8)
        #expect(options.duplicateContainment == 0.7)
        #expect(options.timeGraceDays == 1.5)
        #expect(options.timeDecayDays == 2)
        #expect(options.storyThreshold == 0.2)
        #expect(options.storyNeighbors == 5)
        #expect(options.storyNeighborFloor == 0.15)
        #expect(options.edgeFloor == 0.05)
        #expect(options.related == 5)
        #expect(options.windowDays == nil)
        #expect(options.threads == ProcessInfo.processInfo.activeProcessorCount)
        #expect(!options.keepBoilerplate && !options.strict)
        #expect(options.projectionDimensions == 96)
        #expect(options.candidatesPerArticle == 24)
        #expect(options.rareTermDocuments == 128)
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
        #expect(neighbors.dimensions == 96)
        // Edges are kept down to the edge floor, whatever the story threshold.
        #expect(neighbors.edgeFloor == 0.05)
        // Spread at the duplicate threshold 0.8: √((1 + 0.8²) / 96) = √(1.64 / 96) ≈ 0.130703;
        // 0.8 − 2.6 · 0.130703 ≈ 0.460172.
        #expect(abs(neighbors.candidateFloor - Float(0.8 - 2.6 * (1.64 / 96.0).squareRoot())) < 1e-6)
        #expect(abs(neighbors.candidateFloor - 0.460172) < 1e-5)
        // max(24, 2 · 5 + 8) = 24.
        #expect(neighbors.nearestPerRow == 24)
        // Rare terms: up to 128 articles, compared exactly down to the edge floor.
        #expect(neighbors.rareTermDocuments == 128)
        #expect(neighbors.rareTermFloor == 0.05)
        #expect(neighbors.recallThresholds.isEmpty)
        #expect(neighbors.windowSeconds == nil)
        #expect(neighbors.threads == 3)
    }

    @Test func candidateFloorFollowsTheDuplicateThreshold() {
        var options = ClusterOptions()
        options.duplicateThreshold = 0.9
        options.projectionDimensions = 1024
        options.related = 30
        options.windowDays = 2.5
        // 0.9 − 2.6 · √((1 + 0.81) / 1024) = 0.9 − 2.6 · 0.042043 ≈ 0.790689.
        let neighbors = options.neighborOptions
        #expect(neighbors.dimensions == 1024)
        #expect(abs(neighbors.candidateFloor - Float(0.9 - 2.6 * (1.81 / 1024.0).squareRoot())) < 1e-6)
        #expect(abs(neighbors.candidateFloor - 0.790689) < 1e-5)
        // max(48, 2 · 30 + 8) = 68.
        #expect(neighbors.nearestPerRow == 68)
        #expect(neighbors.windowSeconds == 2.5 * 86_400)

        // The story threshold and neighbour floor do not move the search.
        let before = options.neighborOptions
        options.storyThreshold = 0.9
        options.storyNeighborFloor = 0.3
        #expect(options.neighborOptions == before)

        // A larger budget and recall measurement.
        options.candidatesPerArticle = 100
        options.measureRecall = true
        #expect(options.neighborOptions.nearestPerRow == 100)
        #expect(options.neighborOptions.recallThresholds == [0.9, 0.9])
    }

    @Test func edgeFloorBoundsTheCandidateFloorFromBelow() {
        var options = ClusterOptions()
        options.edgeFloor = 0.7
        let neighbors = options.neighborOptions
        #expect(neighbors.edgeFloor == 0.7)
        // 0.8 − 2.6 · 0.080039 ≈ 0.5919 < 0.7 → 0.7; rare terms compared down to it too.
        #expect(neighbors.candidateFloor == 0.7)
        #expect(neighbors.rareTermFloor == 0.7)
    }

    @Test func theMemoryBudgetIsMaxMemoryElseHalfOfPhysicalMemory() {
        var options = ClusterOptions()
        options.maxMemory = 3_000
        #expect(options.memory.budget == 3_000)
        options.maxMemory = nil
        #expect(options.memory.budget == Int(ProcessInfo.processInfo.physicalMemory / 2))
    }

    @Test func tilesShrinkWithTheBudget() {
        var options = ClusterOptions()
        options.threads = 2
        options.maxMemory = 8 << 30
        #expect(options.neighborOptions.tileRows == MemoryPlan.largestTileRows)
        options.maxMemory = 16 << 20
        #expect(options.neighborOptions.tileRows == 256)
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
        options.relatedOrder = .score
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let data = try encoder.encode(options)
        let object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        #expect(Set(object.keys) == [
            "duplicate_threshold", "duplicate_containment", "rewritten_copy_threshold", "rewritten_copy_containment",
            "story_threshold", "story_neighbors",
            "story_neighbor_floor", "time_grace_days", "time_decay_days", "short_text_calibration", "stemmed_pair_weight", "related", "related_per_story", "related_minimum_score", "related_order", "window_days", "threads", "keep_boilerplate", "strict",
            "vectorizer", "projection_dimensions", "edge_floor", "candidates_per_article",
            "rare_term_documents", "measure_recall", "read_texts_twice", "shrink_guard", "wait",
            "vocabulary_policy", "judgements",
        ])
        #expect(object["story_neighbors"] as? Int == 7)
        #expect(abs((object["story_neighbor_floor"] as? Double ?? 0) - 0.12) < 1e-6)
        #expect(abs((object["edge_floor"] as? Double ?? 0) - 0.04) < 1e-6)
        #expect(abs((object["story_threshold"] as? Double ?? 0) - 0.25) < 1e-6)
        let vectorizer = try #require(object["vectorizer"] as? [String: Any])
        #expect(Set(vectorizer.keys) == [
            "title_weight", "name_weight", "number_weight", "sublinear_tf", "minimum_document_frequency",
            "maximum_document_share", "prior_documents", "copies_counted_once", "copy_containment", "stem_letters",
        ])
        #expect(vectorizer["copies_counted_once"] as? Int == 64)
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
