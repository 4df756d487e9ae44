import Foundation

/// Work started on a thread of its own while the caller goes on; `value()` waits for it. For
/// work beside a stage that leaves a core idle part of the time: the state's SQLite reads and
/// writes (one thread), the JSON reports beside the review page.
final class Background<Value: Sendable>: @unchecked Sendable {
    private let finished = DispatchSemaphore(value: 0)
    // Written once, by the work's thread, before `finished` is signalled; read after the wait.
    private var result: Result<Value, any Error>?

    init(_ work: @escaping @Sendable () throws -> Value) {
        let thread = Thread { [self] in
            result = Result { try work() }
            finished.signal()
        }
        thread.start()
    }

    /// The work's value, or its error, once it has finished.
    func value() throws -> Value {
        finished.wait()
        defer { finished.signal() }
        return try result!.get()
    }
}

/// A yes-or-no decision that one thread waits for and another makes, once.
final class Decision: @unchecked Sendable {
    private let made = DispatchSemaphore(value: 0)
    // Written once before `made` is signalled.
    private var answer = false

    init() {}

    func make(_ answer: Bool) {
        self.answer = answer
        made.signal()
    }

    /// Waits until the decision is made.
    func wait() -> Bool {
        made.wait()
        defer { made.signal() }
        return answer
    }
}
