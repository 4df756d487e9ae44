import Foundation
import Testing
@testable import NewsCluster

@Suite("Stage")
struct StageTests {
    @Test func chainRunsFromReadToReport() {
        #expect(Stage.chain == [.read, .clean, .tokenize, .vectorize, .neighbors, .group, .describe, .report])
    }

    @Test func chainFollowsTheOrderOfAllStages() throws {
        let positions = try Stage.chain.map { stage in try #require(Stage.allCases.firstIndex(of: stage)) }
        #expect(positions == positions.sorted())
    }

    @Test func everyStageHasTheNameRunJSONGivesIt() {
        #expect(Stage.allCases.map(\.rawValue) == [
            "state_records", "state", "read", "clean", "tokenize", "vectorize", "neighbors", "group", "describe",
            "report", "page", "save", "total",
        ])
    }

    @Test func stagesOutsideTheChainAreTheNightsThePageAndTheTotal() {
        let outside = Stage.allCases.filter { !Stage.chain.contains($0) }
        #expect(outside == [.stateRecords, .state, .page, .save, .total])
    }

    @Test(arguments: Stage.allCases)
    func stageIsEncodedAsItsName(stage: Stage) throws {
        let data = try JSONEncoder().encode([stage])
        #expect(String(decoding: data, as: UTF8.self) == "[\"\(stage.rawValue)\"]")
        #expect(try JSONDecoder().decode([Stage].self, from: data) == [stage])
        #expect(Stage(rawValue: stage.rawValue) == stage)
    }

    @Test func unknownNameIsNotAStage() {
        #expect(Stage(rawValue: "stateRecords") == nil)
        #expect(Stage(rawValue: "Read") == nil)
        #expect(throws: DecodingError.self) { try JSONDecoder().decode([Stage].self, from: Data("[\"bogus\"]".utf8)) }
    }
}
