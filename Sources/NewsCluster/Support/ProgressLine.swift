import Foundation

/// Progress of one long stage on stderr: on a terminal, one line rewritten in place with the
/// count, rate and ETA; otherwise a plain line every few seconds (logs stay readable).
final class ProgressLine: @unchecked Sendable {
    private let stage: String
    private let unit: String
    private let total: Int
    private let isTerminal: Bool
    private let interval: Double
    private let write: (String) -> Void
    private let clock = ContinuousClock()
    private let started: ContinuousClock.Instant
    /// When a line was last written; nil until the first, which always shows (a clock's
    /// readings are not time since any particular moment, so no reading stands for "never").
    private var lastShown: ContinuousClock.Instant?
    private let lock = NSLock()

    /// - Parameter write: receives finished text; `nil` makes the line silent.
    init(stage: String, unit: String, total: Int, isTerminal: Bool, interval: Double? = nil,
         write: ((String) -> Void)?) {
        self.stage = stage
        self.unit = unit
        self.total = total
        self.isTerminal = isTerminal
        self.interval = interval ?? (isTerminal ? 0.2 : 5)
        self.write = write ?? { _ in }
        started = clock.now
    }

    func update(_ done: Int) {
        let now = clock.now
        lock.lock()
        defer { lock.unlock() }
        guard done < total else { return }
        if let lastShown, Self.seconds(lastShown.duration(to: now)) < interval { return }
        lastShown = now
        write((isTerminal ? "\r\u{1B}[K" : "") + Self.text(
            stage: stage, unit: unit, done: done, total: total,
            elapsed: Self.seconds(started.duration(to: now))) + (isTerminal ? "" : "\n"))
    }

    /// Clears the in-place line on a terminal.
    func finish() {
        lock.lock()
        defer { lock.unlock() }
        if isTerminal && lastShown != nil { write("\r\u{1B}[K") }
    }

    private static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }

    /// "neighbors  12/55 tiles  22%  8.1 tiles/s  ETA 5 s"
    static func text(stage: String, unit: String, done: Int, total: Int, elapsed: Double) -> String {
        let share = total > 0 ? Double(done) / Double(total) : 1
        let rate = elapsed > 0 ? Double(done) / elapsed : 0
        let remaining = rate > 0 ? Double(total - done) / rate : 0
        return "  " + stage.padding(toLength: 10, withPad: " ", startingAt: 0)
            + " \(done)/\(total) \(unit)  \(Int(share * 100))%  "
            + String(format: "%.1f %@/s  ETA %.0f s", rate, unit, remaining)
    }
}
