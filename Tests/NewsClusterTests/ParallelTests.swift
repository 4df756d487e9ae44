import Foundation
import Synchronization
import Testing
@testable import NewsCluster

@Suite("Parallel")
struct ParallelTests {
    @Test(arguments: [(0, 1), (1, 1), (1, 8), (7, 3), (100, 1), (100, 4), (1000, 16), (5, 64)])
    func chunksCoverEveryIndexExactlyOnce(count: Int, threads: Int) {
        let hits = Mutex([Int](repeating: 0, count: count))
        let calls = Mutex(0)
        Parallel.forEachChunk(count: count, threads: threads) { range in
            calls.withLock { $0 += 1 }
            #expect(!range.isEmpty)
            #expect(range.lowerBound >= 0 && range.upperBound <= count, "chunk \(range) outside 0..<\(count)")
            hits.withLock { for index in range where $0.indices.contains(index) { $0[index] += 1 } }
        }
        hits.withLock { #expect($0.allSatisfy { $0 == 1 }) }
        let made = calls.withLock { $0 }
        if count == 0 { #expect(made == 0) }
        if threads == 1 && count > 0 { #expect(made == 1) }
        #expect(made <= max(1, min(threads, count) * 8))
    }

    @Test(arguments: [(0, 2), (1, 4), (5, 64), (1000, 1), (1000, 3)])
    func mapChunksCoversEveryIndexInOrder(count: Int, threads: Int) {
        let ranges = Parallel.mapChunks(count: count, threads: threads) { $0 }
        #expect(ranges.flatMap { Array($0) } == Array(0..<count))
        #expect(ranges.allSatisfy { !$0.isEmpty })
        #expect(ranges.count <= max(1, threads * 8))
    }

    @Test(arguments: [1, 2, 4, 9])
    func mapKeepsOrder(threads: Int) {
        let result = Parallel.map(count: 500, threads: threads) { $0 * $0 }
        #expect(result == (0..<500).map { $0 * $0 })
    }

    @Test func mapOfNothing() {
        #expect(Parallel.map(count: 0, threads: 4) { $0 }.isEmpty)
    }

    @Test func chunksAreFixedByCountAndThreads() {
        // Whether work really runs on several threads depends on the machine's load, so the
        // test checks what must not: the chunk boundaries (count · i / chunks, 8 per worker).
        func ranges(count: Int, threads: Int) -> [Range<Int>] {
            let collected = Mutex([Range<Int>]())
            Parallel.forEachChunk(count: count, threads: threads) { range in collected.withLock { $0.append(range) } }
            return collected.withLock { $0 }.sorted { $0.lowerBound < $1.lowerBound }
        }
        let expected = (0..<32).map { (100 * $0 / 32)..<(100 * ($0 + 1) / 32) }
        #expect(ranges(count: 100, threads: 4) == expected)
        #expect(ranges(count: 100, threads: 4) == ranges(count: 100, threads: 4))
        #expect(ranges(count: 10, threads: 4) == (0..<10).map { $0..<($0 + 1) })
        #expect(ranges(count: 10, threads: 1) == [0..<10])
        #expect(ranges(count: 10, threads: 0) == [0..<10])
    }
}
