import Foundation
import Testing
@testable import NewsCluster

@Suite("Background")
struct BackgroundTests {
    struct Failure: Error, Equatable {}

    @Test func runsBesideTheCallerAndGivesItsValueToEveryCall() throws {
        let started = Decision()
        let work = Background { () -> Int in
            // Runs on its own thread: the caller has not waited yet.
            _ = started.wait()
            return 42
        }
        started.make(true)
        #expect(try work.value() == 42)
        #expect(try work.value() == 42)
    }

    @Test func rethrowsTheWorksError() {
        let work = Background { () throws -> Int in throw Failure() }
        #expect(throws: Failure.self) { try work.value() }
        #expect(throws: Failure.self) { try work.value() }
    }

    @Test func aDecisionReachesEveryWaiter() throws {
        let decision = Decision()
        let waiters = (0..<3).map { _ in Background { decision.wait() } }
        decision.make(false)
        #expect(try waiters.map { try $0.value() } == [false, false, false])
        #expect(!decision.wait())
    }
}
