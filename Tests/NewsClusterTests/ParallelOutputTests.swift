import Testing
@testable import NewsCluster

@Suite("ParallelOutput")
struct ParallelOutputTests {
    @Test(arguments: [1, 2, 7])
    func workersFillTheirOwnIndicesOfAnArray(threads: Int) {
        var squares = [Int](repeating: -1, count: 1_000)
        squares.withParallelOutput { output in
            #expect(output.count == 1_000)
            Parallel.forEachChunk(count: output.count, threads: threads) { range in
                for index in range { output[index] = index * index }
            }
        }
        #expect(squares == (0..<1_000).map { $0 * $0 })
    }

    @Test(arguments: [1, 3])
    func workersUpdateWhatTheyWroteInAContiguousArray(threads: Int) {
        var values = ContiguousArray<Float>(repeating: 1, count: 257)
        values.withParallelOutput { output in
            Parallel.forEachChunk(count: output.count, threads: threads) { range in
                for index in range {
                    output[index] += Float(index)
                    output[index] *= 2
                }
            }
        }
        #expect(Array(values) == (0..<257).map { (1 + Float($0)) * 2 })
    }

    @Test func theBodysResultIsReturned() {
        var empty: [Int] = []
        #expect(empty.withParallelOutput { $0.count } == 0)
    }
}
