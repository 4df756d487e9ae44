import Testing
@testable import NewsCluster

@Suite("InputShrinkGuard")
struct InputShrinkGuardTests {
    @Test func anEmptyRunIsRefusedUnlessAllowed() throws {
        let strict = InputShrinkGuard()
        #expect(throws: InputShrinkGuard.Refusal.empty(read: 0, rejected: 0)) {
            try strict.check(accepted: 0, read: 0, rejected: 0, previous: nil, state: nil)
        }
        #expect(throws: InputShrinkGuard.Refusal.empty(read: 3, rejected: 3)) {
            try strict.check(accepted: 0, read: 3, rejected: 3, previous: 100, state: "s")
        }
        let allowed = InputShrinkGuard(allowsEmpty: true)
        try allowed.check(accepted: 0, read: 0, rejected: 0, previous: nil, state: nil)
        try allowed.check(accepted: 0, read: 0, rejected: 0, previous: 100, state: "s")
    }

    @Test func aRunBelowTheShareOfTheLastOneIsRefusedWithBothCounts() throws {
        let guardian = InputShrinkGuard(minimumShare: 0.5)
        #expect(throws: InputShrinkGuard.Refusal.shrunk(accepted: 49, previous: 100, minimumShare: 0.5, state: "s")) {
            try guardian.check(accepted: 49, read: 49, rejected: 0, previous: 100, state: "s")
        }
        let message = InputShrinkGuard.Refusal.shrunk(accepted: 49, previous: 100, minimumShare: 0.5, state: "s").description
        #expect(message.contains("49 article(s)") && message.contains("50 %") && message.contains("100")
                && message.contains("--allow-shrink"), "\(message)")
        // At the share, above it, without a state or before its first run: no refusal.
        try guardian.check(accepted: 50, read: 50, rejected: 0, previous: 100, state: "s")
        try guardian.check(accepted: 49, read: 49, rejected: 0, previous: nil, state: "s")
        try guardian.check(accepted: 1, read: 1, rejected: 0, previous: 100, state: nil)
        try InputShrinkGuard(minimumShare: 0.5, allowsShrink: true)
            .check(accepted: 1, read: 1, rejected: 0, previous: 100, state: "s")
        try InputShrinkGuard(minimumShare: 0).check(accepted: 1, read: 1, rejected: 0, previous: 100, state: "s")
    }
}
