import Foundation
import Testing
@testable import NewsCluster

@Suite("OutputOverlap")
struct OutputOverlapTests {
    /// A corpus folder with one input file and a symbolic link to the folder beside it.
    private func corpus() throws -> (root: String, folder: String, file: String) {
        let root = Fixtures.temporaryDirectory()
        let folder = root + "/corpus"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let file = Fixtures.write("{}\n", named: "articles.jsonl", in: folder)
        try FileManager.default.createSymbolicLink(atPath: root + "/link", withDestinationPath: folder)
        return (root, folder, file)
    }

    private func refused(output: String, inputs: [String]) -> String? {
        do {
            try OutputOverlap.check(output: output, inputs: inputs)
            return nil
        } catch {
            return "\(error)"
        }
    }

    @Test func anOutputThatIsHoldsOrLiesInAnInputIsRefusedNamingBoth() throws {
        let (root, folder, file) = try corpus()
        defer { Fixtures.remove(root) }
        // The output is the input's folder: the input would be swapped away with it.
        let message = try #require(refused(output: folder, inputs: [file]))
        #expect(message.contains("--out \(folder)") && message.contains(file), "\(message)")
        // The output is the input file itself, or a folder that holds it.
        #expect(refused(output: file, inputs: [file]) != nil)
        #expect(refused(output: root, inputs: [file]) != nil)
        // The output lies inside an input folder.
        #expect(refused(output: folder + "/reports", inputs: [folder]) != nil)
        #expect(refused(output: folder + "/a/b/../reports", inputs: [folder]) != nil)
        // Outside: beside the folder, or beside the file, is fine.
        #expect(refused(output: root + "/reports", inputs: [folder]) == nil)
        #expect(refused(output: folder + "/reports", inputs: [file]) == nil)
    }

    @Test func symbolicLinksAndDotDotAreResolvedAsTheKernelDoes() throws {
        let (root, folder, file) = try corpus()
        defer { Fixtures.remove(root) }
        let message = try #require(refused(output: root + "/link", inputs: [file]))
        // The message shows the resolved path beside the one given.
        #expect(message.contains("(\(OutputOverlap.resolved(folder)))"), "\(message)")
        #expect(refused(output: root + "/link/../corpus", inputs: [file]) != nil)
        #expect(refused(output: root + "/corpus/./", inputs: [root + "/link/articles.jsonl"]) != nil)
        #expect(OutputOverlap.resolved(root + "/link/../corpus") == OutputOverlap.resolved(folder))
        #expect(OutputOverlap.resolved(root + "/link/new/../deeper") == OutputOverlap.resolved(folder) + "/deeper")
    }

    @Test func aRelativeOutputIsResolvedFromTheWorkingDirectory() throws {
        let (root, folder, file) = try corpus()
        defer { Fixtures.remove(root) }
        func refusedFromTheFolder(_ output: String, _ inputs: [String]) -> Bool {
            (try? OutputOverlap.check(output: output, inputs: inputs, workingDirectory: folder)) == nil
        }
        #expect(refusedFromTheFolder(".", ["articles.jsonl"]))
        #expect(refusedFromTheFolder("..", [file]))
        #expect(!refusedFromTheFolder("../elsewhere", ["articles.jsonl"]))
    }

    @Test func streamsAndMissingPathsHaveNothingToProtect() {
        #expect(refused(output: "/tmp/newscluster-out-\(getpid())", inputs: ["-", "/dev/stdin", "/nonexistent/x.jsonl"]) == nil)
    }
}
