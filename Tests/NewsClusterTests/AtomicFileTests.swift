import Foundation
import Testing
@testable import NewsCluster

@Suite("AtomicFile")
struct AtomicFileTests {
    @Test func writesTheDataAndLeavesNoTemporaryFile() throws {
        let directory = Fixtures.temporaryDirectory()
        defer { Fixtures.remove(directory) }
        let path = directory + "/out.json"
        let data = Data("{\"a\": 1}\n".utf8)
        try AtomicFile.write(data, to: path)
        #expect(FileManager.default.contents(atPath: path) == data)
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory) == ["out.json"])
    }

    @Test func replacesAnExistingFile() throws {
        let directory = Fixtures.temporaryDirectory()
        defer { Fixtures.remove(directory) }
        let path = Fixtures.write("old content that is longer than the new one", named: "out.json", in: directory)
        try AtomicFile.write(Data("new".utf8), to: path)
        #expect(FileManager.default.contents(atPath: path) == Data("new".utf8))
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory) == ["out.json"])
    }

    @Test func writesEmptyData() throws {
        let directory = Fixtures.temporaryDirectory()
        defer { Fixtures.remove(directory) }
        try AtomicFile.write(Data(), to: directory + "/empty.jsonl")
        #expect(FileManager.default.contents(atPath: directory + "/empty.jsonl") == Data())
    }

    @Test func missingDirectoryThrows() {
        let path = "/nonexistent-newscluster-\(UUID().uuidString)/out.json"
        #expect(throws: ReportError.self) { try AtomicFile.write(Data("x".utf8), to: path) }
        #expect(!FileManager.default.fileExists(atPath: path))
    }

    @Test func renameOntoADirectoryFailsAndCleansUp() throws {
        let directory = Fixtures.temporaryDirectory()
        defer { Fixtures.remove(directory) }
        // The target is a non-empty directory: rename(2) fails, and the temporary file goes.
        try FileManager.default.createDirectory(atPath: directory + "/target/inner", withIntermediateDirectories: true)
        do {
            try AtomicFile.write(Data("x".utf8), to: directory + "/target")
            Issue.record("wrote over a directory")
        } catch let error as ReportError {
            #expect(error.description.contains("target"))
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory) == ["target"])
    }

    @Test func aFailedWriteSaysWhyInTheSystemsWords() throws {
        let directory = Fixtures.temporaryDirectory()
        defer { Fixtures.remove(directory) }
        // A read-only directory (root may write anyway, so the test takes what it gets).
        chmod(directory, 0o500)
        defer { chmod(directory, 0o700) }
        do {
            try AtomicFile.write(Data("x".utf8), to: directory + "/out.json")
            #expect(getuid() == 0, "wrote into a read-only directory")
        } catch let error as ReportError {
            #expect(error.description == "\(directory)/out.json: cannot write the report: Permission denied")
        }
        #expect(ReportError.cannotWrite(path: "p", reason: ReportError.reason(ENOSPC)).description
                == "p: cannot write the report: No space left on device")
    }
}
