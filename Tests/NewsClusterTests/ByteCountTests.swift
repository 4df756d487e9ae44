import Testing
@testable import NewsCluster

@Suite("ByteCount")
struct ByteCountTests {
    @Test func parsesPlainBytesAndBinaryUnits() {
        #expect(ByteCount.parse("1000") == 1000)
        #expect(ByteCount.parse("8G") == 8 << 30)
        #expect(ByteCount.parse("8GiB") == 8 << 30)
        #expect(ByteCount.parse("512m") == 512 << 20)
        #expect(ByteCount.parse("1.5GB") == 3 << 29)
        #expect(ByteCount.parse("64K") == 64 << 10)
        #expect(ByteCount.parse("2T") == 2 << 40)
        #expect(ByteCount.parse(" 7 ") == 7)
    }

    @Test func rejectsWhatIsNotASize() {
        for text in ["", "G", "-1G", "0", "eight", "8X", "1e400", "nan"] {
            #expect(ByteCount.parse(text) == nil, "\(text)")
        }
    }

    @Test func formatsInTheLargestUnitWithOneDecimal() {
        #expect(ByteCount.format(512) == "512 B")
        #expect(ByteCount.format(1536) == "1.5 KiB")
        #expect(ByteCount.format(8 << 30) == "8.0 GiB")
        #expect(ByteCount.format(3 << 40) == "3.0 TiB")
    }
}
