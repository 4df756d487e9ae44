import Foundation
import Testing
@testable import NewsCluster

@Suite("Timings")
struct TimingsTests {
    @Test func measureReturnsTheBodysValueAndRecordsUnderTheStagesName() {
        let lines = LogLines()
        var timings = Timings(log: lines.append)
        let value = timings.measure(.stateRecords) { 42 }
        #expect(value == 42)
        #expect(Array(timings.seconds.keys) == ["state_records"])
        #expect((timings.seconds["state_records"] ?? -1) >= 0)
    }

    @Test func measureLogsOneLineNamingTheStage() throws {
        let lines = LogLines()
        var timings = Timings(log: lines.append)
        timings.measure(.tokenize) {}
        try #require(lines.all.count == 1)
        let line = lines.all[0]
        #expect(line.hasPrefix("tokenize  "))
        #expect(line.contains(" s   resident "))
        #expect(line.hasSuffix(" MiB"))
        timings.measure(.vectorize) {}
        #expect(lines.all.count == 2)
        #expect(lines.all.last?.hasPrefix("vectorize ") == true)
    }

    @Test func measureOfAThrowingBodyRecordsNothing() {
        struct Failed: Error {}
        let lines = LogLines()
        var timings = Timings(log: lines.append)
        #expect(throws: Failed.self) { try timings.measure(.read) { () throws -> Int in throw Failed() } }
        #expect(timings.seconds.isEmpty)
        #expect(lines.all.isEmpty)
    }

    @Test func recordKeepsTheGivenSecondsAndReplacesAnEarlierOne() {
        var timings = Timings(log: { _ in })
        timings.record(.report, 1.5)
        timings.record(.page, 0.25)
        timings.record(.report, 2)
        #expect(timings.seconds == ["report": 2, "page": 0.25])
    }

    @Test func finishRecordsTheTotalWithoutLogging() {
        let lines = LogLines()
        var timings = Timings(log: lines.append)
        timings.measure(.read) {}
        timings.finish()
        #expect(Set(timings.seconds.keys) == ["read", "total"])
        let total = timings.seconds["total"] ?? -1, read = timings.seconds["read"] ?? -1
        #expect(read >= 0)
        #expect(total >= read)
        #expect(lines.all.count == 1)
    }
}

extension TimingsTests {
    @Test func logLineOfEachChainedStageStartsWithItsName() {
        for stage in Stage.chain {
            let lines = LogLines()
            var timings = Timings(log: lines.append)
            timings.measure(stage) {}
            #expect(lines.all.count == 1)
            #expect(lines.all.first?.hasPrefix(stage.rawValue + " ") == true, "\(lines.all)")
        }
    }

    @Test
    func logLineOfEveryStageStartsWithItsWholeName() {
        for stage in Stage.allCases {
            let lines = LogLines()
            var timings = Timings(log: lines.append)
            timings.measure(stage) {}
            #expect(lines.all.first?.hasPrefix(stage.rawValue + " ") == true, "\(lines.all)")
        }
    }
}
