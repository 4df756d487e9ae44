import Testing
@testable import NewsCluster

@Suite("ProcessMemory")
struct ProcessMemoryTests {
    @Test func residentSizeIsPlausibleAndBelowThePeak() {
        let resident = ProcessMemory.residentBytes
        #expect(resident > 1 << 20, "a Swift test process holds more than 1 MiB")
        #expect(ProcessMemory.peakResidentBytes >= resident)
    }

    /// Trimming the heap must not touch what is still in use.
    @Test func releasingFreePagesLeavesLiveDataIntact() {
        var blocks = (0..<64).map { [UInt8](repeating: UInt8($0), count: 64 << 10) }
        blocks.removeLast(32)
        ProcessMemory.releaseFreePages()
        #expect(blocks.enumerated().allSatisfy { index, block in block.allSatisfy { $0 == UInt8(index) } })
    }
}
