import Foundation
import Testing
@testable import NewsCluster

@Suite("OutputDirectory")
struct OutputDirectoryTests {
    private func contents(_ directory: String) -> [String: String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        return Dictionary(uniqueKeysWithValues: names.map { name in
            (name, String(decoding: FileManager.default.contents(atPath: directory + "/" + name) ?? Data(), as: UTF8.self))
        })
    }

    /// Writes a file, making its directory first.
    private func put(_ text: String, named name: String, in directory: String) {
        try! FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        Fixtures.write(text, named: name, in: directory)
    }

    private func run(_ path: String, swap: OutputDirectory.Swap = .exchange, writing files: [String: String]) throws {
        let output = try OutputDirectory(path, swap: swap)
        for (name, text) in files { put(text, named: name, in: output.staging) }
        try output.commit()
    }

    @Test func aNewDirectoryAppearsOnlyAtTheCommit() throws {
        let root = Fixtures.temporaryDirectory()
        defer { Fixtures.remove(root) }
        let output = try OutputDirectory(root + "/nested/out")
        put("{}", named: "run.json", in: output.staging)
        #expect(!FileManager.default.fileExists(atPath: root + "/nested/out"))
        try output.commit()
        #expect(contents(root + "/nested/out") == ["run.json": "{}"])
        #expect(try FileManager.default.contentsOfDirectory(atPath: root + "/nested") == ["out"])
    }

    @Test(arguments: [OutputDirectory.Swap.exchange, .twoRenames])
    func theNewReportsReplaceTheOldOnesWhole(swap: OutputDirectory.Swap) throws {
        let root = Fixtures.temporaryDirectory()
        defer { Fixtures.remove(root) }
        try run(root + "/out", swap: swap, writing: ["run.json": "1", "changes.json": "old night", "stories.json": "1"])
        try run(root + "/out", swap: swap, writing: ["run.json": "2", "stories.json": "2"])
        // The previous run's changes.json does not survive into a run that wrote none.
        #expect(contents(root + "/out") == ["run.json": "2", "stories.json": "2"])
        #expect(try FileManager.default.contentsOfDirectory(atPath: root) == ["out"])
    }

    @Test func untilTheCommitTheOldReportsStayAndAFailedRunLeavesNothing() throws {
        let root = Fixtures.temporaryDirectory()
        defer { Fixtures.remove(root) }
        try run(root + "/out", writing: ["run.json": "1"])
        do {
            let output = try OutputDirectory(root + "/out")
            put("2", named: "run.json", in: output.staging)
            #expect(contents(root + "/out") == ["run.json": "1"])
            output.discard()
        }
        #expect(contents(root + "/out") == ["run.json": "1"])
        #expect(try FileManager.default.contentsOfDirectory(atPath: root) == ["out"])
    }

    @Test func aDirectoryWithOtherFilesIsRefusedNamingThem() throws {
        let root = Fixtures.temporaryDirectory()
        defer { Fixtures.remove(root) }
        put("mine", named: "notes.txt", in: root + "/out")
        put("{}", named: "run.json", in: root + "/out")
        #expect {
            try OutputDirectory(root + "/out")
        } throws: { error in
            "\(error)".contains("notes.txt") && "\(error)".contains("did not write")
        }
        #expect(contents(root + "/out") == ["notes.txt": "mine", "run.json": "{}"])
        #expect(try FileManager.default.contentsOfDirectory(atPath: root) == ["out"])
    }

    @Test func reportsAndTheTemporaryFilesOfEarlierVersionsAreOurs() {
        for name in ["articles.jsonl", "stories.json", "run.json", "changes.json", "report.html", ".stories.json.tmp-1234"] {
            #expect(OutputDirectory.isReport(name), "\(name)")
        }
        for name in ["notes.txt", ".stories.json.tmp-x", ".notes.tmp-1", "state.sqlite", "Stories.json"] {
            #expect(!OutputDirectory.isReport(name), "\(name)")
        }
    }

    @Test func whatKilledRunsLeftIsRemovedAndALiveRunsStagingIsKept() throws {
        let root = Fixtures.temporaryDirectory()
        defer { Fixtures.remove(root) }
        try run(root + "/out", writing: ["run.json": "1"])
        // Pid 2^22 + 1 is above Linux's pid_max limit: no process has it.
        let dead = root + "/.out.newscluster-4194305"
        put("half", named: "stories.json", in: dead)
        let live = root + "/.out.newscluster-1"
        put("busy", named: "stories.json", in: live)
        try run(root + "/out", writing: ["run.json": "2"])
        #expect(try FileManager.default.contentsOfDirectory(atPath: root).sorted() == [".out.newscluster-1", "out"])
        #expect(contents(live) == ["stories.json": "busy"])
    }

    @Test func aKillBetweenTheTwoRenamesPutsThePreviousReportsBack() throws {
        let root = Fixtures.temporaryDirectory()
        defer { Fixtures.remove(root) }
        put("1", named: "run.json", in: root + "/.out.newscluster-4194305.previous")
        put("2", named: "run.json", in: root + "/.out.newscluster-4194305")
        let output = try OutputDirectory(root + "/out", swap: .twoRenames)
        #expect(contents(root + "/out") == ["run.json": "1"])
        output.discard()
        #expect(try FileManager.default.contentsOfDirectory(atPath: root) == ["out"])
    }

    @Test func aSymbolicLinkKeepsPointingAtTheNewReports() throws {
        let root = Fixtures.temporaryDirectory()
        defer { Fixtures.remove(root) }
        try run(root + "/real", writing: ["run.json": "1"])
        try FileManager.default.createSymbolicLink(atPath: root + "/link", withDestinationPath: "real")
        try run(root + "/link", writing: ["run.json": "2"])
        #expect(try FileManager.default.destinationOfSymbolicLink(atPath: root + "/link") == "real")
        #expect(contents(root + "/real") == ["run.json": "2"])
    }

    @Test func aRegularFileInThePlaceOfTheDirectoryIsRefused() throws {
        let root = Fixtures.temporaryDirectory()
        defer { Fixtures.remove(root) }
        let file = Fixtures.write("x", named: "out", in: root)
        #expect(throws: ReportError.self) { try OutputDirectory(file) }
        #expect(throws: ReportError.self) { try OutputDirectory(file + "/below") }
    }

    @Test func knowsWhichFilesWouldBeCarriedAway() throws {
        let root = Fixtures.temporaryDirectory()
        defer { Fixtures.remove(root) }
        let output = try OutputDirectory(root + "/out")
        defer { output.discard() }
        #expect(output.contains(root + "/out/state.sqlite"))
        #expect(output.contains(root + "/out/deeper/state.sqlite"))
        #expect(output.contains(root + "/out/../out/state.sqlite"))
        #expect(!output.contains(root + "/state.sqlite"))
        #expect(!output.contains(root + "/outside/state.sqlite"))
    }

    @Test func renameExchangeSwapsTwoDirectories() throws {
        let root = Fixtures.temporaryDirectory()
        defer { Fixtures.remove(root) }
        put("a", named: "f", in: root + "/a")
        put("b", named: "f", in: root + "/b")
        let exchanged = RenameExchange.exchange(root + "/a", root + "/b")
        let error = errno
        // Old kernels, old C libraries and some file systems lack RENAME_EXCHANGE; the reports
        // are then swapped by two renames (tested above), and there is nothing to test here.
        if !exchanged && [EINVAL, ENOSYS, ENOTSUP].contains(error) {
            try Test.cancel("RENAME_EXCHANGE is not supported here: \(String(cString: strerror(error)))")
        }
        #expect(exchanged, "errno \(error)")
        #expect(contents(root + "/a") == ["f": "b"])
        #expect(contents(root + "/b") == ["f": "a"])
        #expect(!RenameExchange.exchange(root + "/a", root + "/missing"))
    }
}
