import Foundation
import Testing
@testable import NewsCluster

@Suite("ProgressLine")
struct ProgressLineTests {
    final class Sink: @unchecked Sendable {
        var writes: [String] = []
    }

    @Test func textHasCountShareRateAndETA() {
        // 10 of 40 tiles in 5 s: 25%, 2 tiles/s, 30 tiles left → 15 s.
        let text = ProgressLine.text(stage: "neighbors", unit: "tiles", done: 10, total: 40, elapsed: 5)
        #expect(text == "  neighbors  10/40 tiles  25%  2.0 tiles/s  ETA 15 s")
    }

    @Test func aTerminalLineIsRewrittenInPlaceAndCleared() throws {
        let sink = Sink()
        let line = ProgressLine(stage: "s", unit: "u", total: 10, isTerminal: true, interval: 0) { sink.writes.append($0) }
        line.update(3)
        line.update(4)
        line.finish()
        try #require(sink.writes.count == 3)
        #expect(sink.writes[0].hasPrefix("\r\u{1B}[K  s "))
        #expect(!sink.writes[0].hasSuffix("\n"))
        #expect(sink.writes[2] == "\r\u{1B}[K")
    }

    /// Also on a machine booted a moment ago, whose monotonic clock is still below the interval.
    @Test(arguments: [false, true])
    func theFirstUpdateShowsAtOnceAndTheRestNoMoreOftenThanTheInterval(isTerminal: Bool) throws {
        let sink = Sink()
        let line = ProgressLine(stage: "s", unit: "u", total: 10, isTerminal: isTerminal,
                                interval: 1e9) { sink.writes.append($0) }
        for done in 1..<10 { line.update(done) }
        // Finish clears a terminal's line and adds nothing to a log.
        line.finish()
        try #require(sink.writes.count == (isTerminal ? 2 : 1))
        #expect(sink.writes[0].contains(" 1/10 u "), "\(sink.writes[0])")
        #expect(sink.writes[0].hasSuffix("\n") != isTerminal && sink.writes[0].contains("\r") == isTerminal)
    }

    @Test func silentWithoutAWriterAndNothingAtTheEnd() {
        let line = ProgressLine(stage: "s", unit: "u", total: 2, isTerminal: true, write: nil)
        line.update(1)
        line.finish()
        let sink = Sink()
        let done = ProgressLine(stage: "s", unit: "u", total: 2, isTerminal: false, interval: 0) { sink.writes.append($0) }
        done.update(2)
        #expect(sink.writes.isEmpty, "a finished stage is not reported as progress")
    }
}
