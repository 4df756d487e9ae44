import Foundation
import Testing
@testable import NewsCluster

@Suite("RunLock")
struct RunLockTests {
    @Test func aSecondHoldFailsNamingTheFirstHoldersProcessAndStart() throws {
        let directory = Fixtures.temporaryDirectory()
        defer { Fixtures.remove(directory) }
        let state = directory + "/state.sqlite"
        let first = try RunLock(guarding: state, isDirectory: false)
        #expect(first.path == OutputOverlap.resolved(directory) + "/state.sqlite.lock")
        // flock holds per open file: a second open in this process is refused as another
        // process's would be.
        do {
            _ = try RunLock(guarding: state, isDirectory: false)
            Issue.record("a held lock was taken twice")
        } catch RunLock.Failure.busy(let of, let lock, let holder) {
            #expect(of == state)
            #expect(lock == first.path)
            #expect(holder.processID == getpid())
            let started = try #require(holder.started)
            #expect(started.hasSuffix("Z") && started.count == 20, "\(started)")
        }
        withExtendedLifetime(first) {}
    }

    @Test func theLockIsFreeOnceItsHolderIsGone() throws {
        let directory = Fixtures.temporaryDirectory()
        defer { Fixtures.remove(directory) }
        do { _ = try RunLock(guarding: directory + "/out", isDirectory: true) }
        let again = try RunLock(guarding: directory + "/out", isDirectory: true)
        #expect(again.path.hasPrefix(RunLock.sharedFolder + "/out-") && again.path.hasSuffix(".lock"))
    }

    @Test func aWaitingHoldGetsTheLockWhenTheHolderLetsGo() throws {
        let directory = Fixtures.temporaryDirectory()
        defer { Fixtures.remove(directory) }
        let path = directory + "/out"
        var first: RunLock? = try RunLock(guarding: path, isDirectory: true)
        let waiting = Decision()
        let second = Background {
            try RunLock(guarding: path, isDirectory: true, wait: true, waiting: { holder in
                waiting.make(holder.processID == getpid())
            })
        }
        // Let go only once the second is waiting, so the test sees it wait, however slow the host.
        #expect(waiting.wait(), "the waiting run is told who holds the lock")
        first = nil
        let lock = try second.value()
        #expect(lock.path == RunLock.lockFile(for: path, isDirectory: true))
        #expect(first == nil)
    }

    @Test func aDirectorysLockIsNamedAfterItsResolvedPathOutsideIt() throws {
        let directory = Fixtures.temporaryDirectory()
        defer { Fixtures.remove(directory) }
        try FileManager.default.createDirectory(atPath: directory + "/reports", withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: directory + "/link", withDestinationPath: directory + "/reports")
        let lock = RunLock.lockFile(for: directory + "/reports", isDirectory: true)
        #expect(RunLock.lockFile(for: directory + "/link", isDirectory: true) == lock)
        #expect(RunLock.lockFile(for: directory + "/reports/../reports/", isDirectory: true) == lock)
        #expect(RunLock.lockFile(for: directory + "/other", isDirectory: true) != lock)
        #expect(!lock.hasPrefix(OutputOverlap.resolved(directory)))
    }

    @Test func aLockFileThatSaysNothingStillNamesAHolder() {
        #expect(RunLock.parse("") == RunLock.Holder(processID: nil, started: nil))
        #expect(RunLock.parse("pid 42\nstarted 2026-12-05T01:02:03Z\n")
                == RunLock.Holder(processID: 42, started: "2026-12-05T01:02:03Z"))
        #expect(RunLock.Holder().description == "pid unknown, started at an unknown time")
    }

    @Test func aLockFileThatCannotBeMadeSaysWhy() {
        #expect(throws: RunLock.Failure.self) {
            try RunLock(guarding: "/proc/newscluster-\(getpid())/state", isDirectory: false)
        }
    }
}
