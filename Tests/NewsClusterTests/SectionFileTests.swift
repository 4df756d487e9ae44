import Foundation
import Testing
@testable import NewsCluster

@Suite("SectionFile")
struct SectionFileTests {
    struct Payload: Codable, Equatable {
        var name: String
        var count: Int
    }

    func written(in directory: String) throws -> String {
        var writer = SectionFile.Writer()
        writer.add("floats", (0..<1000).map { Float($0) / 7 })
        writer.add("bytes", [UInt8](1...13))
        writer.add("longs", (0..<50).map { UInt64($0) << 40 })
        writer.add("empty", [Int32]())
        let path = directory + "/search.bin"
        try writer.write(Payload(name: "têst", count: 3), to: path)
        return path
    }

    @Test func readsBackThePayloadAndEverySectionWholeOrInSlices() throws {
        let directory = Fixtures.temporaryDirectory()
        defer { Fixtures.remove(directory) }
        let file = try SectionFile.Reader(path: try written(in: directory))
        #expect(try file.payload(Payload.self) == Payload(name: "têst", count: 3))
        #expect(try file.read("floats", as: Float.self) == (0..<1000).map { Float($0) / 7 })
        #expect(try file.read("floats", as: Float.self, range: 990..<1000) == (990..<1000).map { Float($0) / 7 })
        #expect(try file.read("bytes", as: UInt8.self) == [UInt8](1...13))
        #expect(try file.read("longs", as: UInt64.self, range: 3..<5) == [3 << 40, 4 << 40])
        #expect(try file.read("empty", as: Int32.self) == [])
        #expect(try file.count(of: "longs") == 50)
        // Every section starts 8-byte aligned.
        #expect(file.sections.values.allSatisfy { $0.offset % 8 == 0 })
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory) == ["search.bin"])
    }

    @Test func wrongNamesTypesAndRangesAreErrorsNamingTheFile() throws {
        let directory = Fixtures.temporaryDirectory()
        defer { Fixtures.remove(directory) }
        let path = try written(in: directory)
        let file = try SectionFile.Reader(path: path)
        #expect(throws: SectionFile.Failure(path: path, reason: "no section doubles")) {
            try file.read("doubles", as: Double.self)
        }
        #expect(throws: SectionFile.Failure(path: path, reason: "section floats holds 4-byte values, not 8-byte")) {
            try file.read("floats", as: Double.self)
        }
        #expect(throws: SectionFile.Failure(path: path, reason: "section bytes has 13 values, not 14")) {
            try file.read("bytes", as: UInt8.self, range: 10..<14)
        }
    }

    @Test func stringsWithNilEmptyAndMultiByteEntriesRoundTrip() throws {
        let directory = Fixtures.temporaryDirectory()
        defer { Fixtures.remove(directory) }
        let strings: [String?] = ["plain", nil, "", "Привет, мир", nil, "😀 e\u{301} ✓", "", "tab\tand\nnewline\u{0}nul", nil]
        var writer = SectionFile.Writer()
        writer.add("first", strings: strings)
        writer.add("none", strings: [])
        writer.add("onlyNil", strings: [nil, nil])
        writer.add("floats", [Float(1.5)])
        writer.add("last", strings: ["after", nil])
        let path = directory + "/strings.bin"
        try writer.write(Payload(name: "strings", count: 0), to: path)
        let file = try SectionFile.Reader(path: path)
        #expect(try file.strings("first") == strings)
        #expect(try file.strings("none") == [])
        #expect(try file.strings("onlyNil") == [nil, nil])
        #expect(try file.strings("last") == ["after", nil])
        #expect(try file.read("floats", as: Float.self) == [1.5])
        // Two sections each: lengths in UTF-8 bytes (-1 for nil), and the bytes.
        #expect(try file.read("first.lengths", as: Int32.self) == strings.map { Int32($0?.utf8.count ?? -1) })
        #expect(try file.read("first.bytes", as: UInt8.self) == Array(strings.compactMap { $0 }.joined().utf8))
        #expect(throws: SectionFile.Failure(path: path, reason: "no section missing.lengths")) { try file.strings("missing") }
    }

    @Test func stringsWhoseBytesEndTooSoonAreAnError() throws {
        let directory = Fixtures.temporaryDirectory()
        defer { Fixtures.remove(directory) }
        var writer = SectionFile.Writer()
        writer.add("cut.lengths", [Int32(2), -1, 5])
        writer.add("cut.bytes", Array("abcd".utf8))
        let path = directory + "/cut.bin"
        try writer.write(Payload(name: "cut", count: 0), to: path)
        let file = try SectionFile.Reader(path: path)
        #expect(throws: SectionFile.Failure(path: path, reason: "section cut ends too soon")) { try file.strings("cut") }
    }

    @Test func aTruncatedOrForeignFileIsAnError() throws {
        let directory = Fixtures.temporaryDirectory()
        defer { Fixtures.remove(directory) }
        let path = try written(in: directory)
        let whole = try Data(contentsOf: URL(fileURLWithPath: path))
        try whole.prefix(whole.count - 100).write(to: URL(fileURLWithPath: path))
        let file = try SectionFile.Reader(path: path)
        #expect(throws: SectionFile.Failure.self) { try file.read("longs", as: UInt64.self) }
        let foreign = Fixtures.write("{\"format\": \"newscluster-stage-1\"}", named: "stage.json", in: directory)
        #expect(throws: SectionFile.Failure(path: foreign, reason: "not a newscluster section file")) {
            try SectionFile.Reader(path: foreign)
        }
        #expect(throws: SectionFile.Failure.self) { try SectionFile.Reader(path: directory + "/missing.bin") }
    }
}
