import Foundation

/// Each stage's time, for `run.json`, the page and the log (one line per stage with the
/// process's resident memory after it).
struct Timings {
    private(set) var seconds: [String: Double] = [:]
    private let clock = ContinuousClock()
    private let start: ContinuousClock.Instant
    private let log: (String) -> Void

    init(log: @escaping (String) -> Void) {
        self.log = log
        start = clock.now
    }

    mutating func measure<T>(_ stage: Stage, _ body: () throws -> T) rethrows -> T {
        let began = clock.now
        let result = try body()
        record(stage, Pipeline.seconds(began.duration(to: clock.now)))
        log(stage.rawValue.padding(toLength: max(10, stage.rawValue.count), withPad: " ", startingAt: 0)
            + String(format: "%8.3f s   resident %6d MiB", seconds[stage.rawValue]!, ProcessMemory.residentBytes >> 20))
        return result
    }

    mutating func record(_ stage: Stage, _ value: Double) {
        seconds[stage.rawValue] = value
    }

    /// The time since the run began, as `total`.
    mutating func finish() {
        record(.total, Pipeline.seconds(start.duration(to: clock.now)))
    }
}
