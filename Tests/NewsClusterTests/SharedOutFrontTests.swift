import Foundation
import Testing
@testable import NewsCluster

/// The front's own glue; its run is driven end to end in SharedOutTests, and its pieces in
/// ReadTasksTests, TermTasksTests and VectorTasksTests.
@Suite("SharedOutFront")
struct SharedOutFrontTests {
    @Test func positionsNameEachArticlesShardAndPlaceInCanonicalOrder() {
        // Shard 0 kept its articles 0 and 2 (1 was a duplicate), shard 1 its article 1: in
        // input order a, b, c.
        let merged = ReadTasks.Merged(result: .init(), lineKeys: [], kept: [[0, 2], [1]], lineBases: [0, 0], seconds: [])
        let order = CanonicalOrder(ids: ["a", "b", "c"], published: [2, 3, 1])
        let positions = SharedOutFront.positions(merged, order: order)
        // Canonical: c (shard 1, its first kept), a (shard 0, first), b (shard 0, second).
        #expect(positions.map { [$0.shard, $0.ordinal] } == [[1, 0], [0, 0], [0, 1]])
    }

    @Test func aSpoolHoldsACompressedFilesText() throws {
        let directory = Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let text = Data("{\"id\":\"a\",\"text\":\"x\"}\n".utf8)
        let path = directory + "/a.jsonl"
        try text.write(to: URL(fileURLWithPath: path))
        let gzip = Process()
        gzip.executableURL = URL(fileURLWithPath: "/bin/gzip")
        gzip.arguments = ["-f", path]
        try gzip.run()
        gzip.waitUntilExit()
        try #require(gzip.terminationStatus == 0)
        let spool = try SharedOutFront.spool(path + ".gz")
        var bytes = [UInt8](repeating: 0, count: text.count + 8)
        let count = pread(spool.descriptor, &bytes, bytes.count, 0)
        #expect(count == text.count)
        #expect(Data(bytes.prefix(max(0, count))) == text)
    }
}
