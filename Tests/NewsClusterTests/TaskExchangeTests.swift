import Foundation
import Testing
@testable import NewsCluster

@Suite("TaskExchange")
struct TaskExchangeTests {
    @Test func filesAreNamedByKindAndTaskInAnAbsoluteDirectory() {
        let exchange = TaskExchange(tasks: 3, directory: "work")
        let directory = FileManager.default.currentDirectoryPath + "/work"
        #expect(exchange.directory == directory)
        #expect(exchange.inputPath(.terms) == directory + "/terms.bin")
        #expect(exchange.partPaths(.tiles, count: 2) == [directory + "/tiles-0.bin", directory + "/tiles-1.bin"])
        #expect(TaskExchange(tasks: 1, directory: "/tmp/w").directory == "/tmp/w")
    }

    @Test func theKindsRunInTheOrderOfTheStages() {
        #expect(TaskExchange.Kind.allCases.map(\.rawValue) == ["read", "terms", "vectors", "tiles"])
    }
}
