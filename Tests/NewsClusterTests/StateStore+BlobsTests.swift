import Foundation
import GRDB
import Testing
@testable import NewsCluster

/// The stored arrays' format (`StateStore+Blobs.swift`): a version header, little-endian values,
/// and the migration of the unversioned blobs older states hold.
@Suite("StateStore blobs")
struct StateStoreBlobsTests {
    typealias Base = StateStoreTests

    @Test func blobsRoundTripWithAVersionHeaderAndLittleEndianValues() throws {
        let numbers: [UInt64] = [0, 1, .max, 1 << 40]
        #expect(try StateStore.decode(StateStore.encode(numbers)) as [UInt64] == numbers)
        let floats: [Float] = [0, -1.5, .pi, 1e-30]
        #expect(try StateStore.decode(StateStore.encode(floats)) as [Float] == floats)
        #expect(try (StateStore.decode(StateStore.encode([UInt64]())) as [UInt64]).isEmpty)
        // "NC", format 1, 8-byte values, then 0x0102 in little-endian order whatever the machine.
        #expect([UInt8](StateStore.encode([UInt64(0x0102)])) == [0x4E, 0x43, 1, 8, 2, 1, 0, 0, 0, 0, 0, 0])
        #expect([UInt8](StateStore.encode([Float(1)])) == [0x4E, 0x43, 1, 4, 0, 0, 0x80, 0x3F])
    }

    /// Pairs are stored as 4-byte row numbers while every one fits; 8-byte ones (older states,
    /// or a row number past two billion) read the same.
    @Test func rowNumbersTakeFourBytesWhileTheyFitAndEightOtherwise() throws {
        let small: [Int64] = [1, 7, 2_000_000_000]
        let narrow = StateStore.encodeRowNumbers(small)
        #expect(narrow.count == StateStore.BlobFormat.headerSize + 4 * small.count)
        #expect(try StateStore.decodeRowNumbers(narrow) == small)
        #expect(try StateStore.decodeRowNumbers(StateStore.encode(small)) == small, "as earlier versions wrote them")
        let large: [Int64] = [1, Int64(Int32.max) + 1]
        let wide = StateStore.encodeRowNumbers(large)
        #expect(wide.count == StateStore.BlobFormat.headerSize + 8 * large.count)
        #expect(try StateStore.decodeRowNumbers(wide) == large)
    }

    @Test(arguments: [
        ("another format version", [0x4E, 0x43, 9, 8] + [UInt8](repeating: 0, count: 8), "version 9"),
        ("no header", [UInt8](repeating: 1, count: 16), "no format header"),
        ("too short for a header", [0x4E, 0x43], "no format header"),
        ("values of another width", [0x4E, 0x43, 1, 4] + [UInt8](repeating: 0, count: 8), "4-byte values"),
        ("a cut value", [0x4E, 0x43, 1, 8] + [UInt8](repeating: 0, count: 12), "12 bytes"),
    ] as [(String, [UInt8], String)])
    func aBlobThatIsNotOfThisFormatIsAnError(_ name: String, _ bytes: [UInt8], _ reason: String) throws {
        let error = try #require(throws: StateStore.BlobError.self) { try StateStore.decode(Data(bytes)) as [UInt64] }
        #expect(error.description.contains(reason), "\(name): \(error)")
    }

    @Test func aStoredBlobOfAnUnknownVersionFailsTheReadNamingTheStateAndTheBlob() throws {
        let root = Fixtures.temporaryDirectory()
        defer { Fixtures.remove(root) }
        let path = root + "/state.sqlite"
        try StateStore(path: path).save(Base.update(articles: [("a", 1, "S", nil, Base.terms(1))], stories: [("S", 1)]), run: 1)
        let database = try DatabaseQueue(path: path)
        try database.write { db in
            try db.execute(sql: "UPDATE articles SET counts = ? WHERE id = 'a'", arguments: [Data([0x4E, 0x43, 2, 4, 0, 0, 0, 0])])
        }
        try database.close()
        let error = try #require(throws: StateStore.StateError.self) { try StateStore(path: path).snapshot() }
        #expect("\(error)" == "cannot read the state \(path): the counts of article a: blob format version 2; this newscluster reads version 1")
    }


    @Test func anOlderStatesUnversionedBlobsReadTheSameAfterItsMigration() throws {
        let root = Fixtures.temporaryDirectory()
        defer { Fixtures.remove(root) }
        let path = root + "/state.sqlite", reference = root + "/reference.sqlite"
        try Base.twoRuns(at: path)
        try FileManager.default.copyItem(atPath: path, toPath: reference)
        try Base.downgradeToSchema3(path)

        let migrated = try StateStore(path: path)
        #expect(migrated.openedSchema == 3)
        let expected = try StateStore(path: reference).snapshot(), snapshot = try migrated.snapshot()
        try #require(snapshot.articles.count == 2 && expected.articles.count == 2)
        for (id, article) in expected.articles {
            #expect(snapshot.articles[id]?.terms.terms == article.terms.terms, "\(id)")
            #expect(snapshot.articles[id]?.terms.counts == article.terms.counts, "\(id)")
            #expect(snapshot.articles[id]?.terms.shingles == article.terms.shingles, "\(id)")
        }
        #expect(snapshot.knownPairs.map(\.0) == expected.knownPairs.map(\.0) && snapshot.knownPairs.map(\.1) == expected.knownPairs.map(\.1))
        // Both must hold the record, or the comparison would pass on two missing ones.
        let expectedKeys = try #require(try StateStore(path: reference).storedRecords()[99]?.lineKeys)
        #expect(try migrated.storedRecords()[99]?.lineKeys == expectedKeys)
        let reopened = try StateStore(path: path, access: .readOnly).info()
        #expect(reopened.schema == StateStore.schema && !reopened.upgradedByNextRun && reopened.writtenBy == Pipeline.version)
    }
}
