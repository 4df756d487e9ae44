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
        let began = now
        let result = try body()
        stop(stage, since: began)
        return result
    }

    var now: ContinuousClock.Instant { clock.now }

    /// Records the time since `began` as `stage`'s and logs its line.
    mutating func stop(_ stage: Stage, since began: ContinuousClock.Instant) {
        record(stage, Pipeline.seconds(began.duration(to: clock.now)))
        log(Self.label(stage) + String(format: "%8.3f s   resident %6d MiB", seconds[stage.rawValue]!, ProcessMemory.residentBytes >> 20))
    }

    /// Logs the time of `stage`, which ran beside others, and records it.
    mutating func recordBeside(_ stage: Stage, _ value: Double, beside: String) {
        record(stage, value)
        log(Self.label(stage) + String(format: "%8.3f s   beside \(beside)", value))
    }

    /// A stage's name at the start of its log line, padded to one column.
    static func label(_ stage: Stage) -> String {
        stage.rawValue.padding(toLength: max(10, stage.rawValue.count), withPad: " ", startingAt: 0)
    }

    mutating func record(_ stage: Stage, _ value: Double) {
        seconds[stage.rawValue] = value
    }

    /// The time since the run began, as `total`.
    mutating func finish() {
        record(.total, Pipeline.seconds(start.duration(to: clock.now)))
    }
}
