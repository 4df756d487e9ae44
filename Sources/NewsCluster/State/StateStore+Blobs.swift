import Foundation
import GRDB

/// A number a state blob stores: fixed width, written in little-endian byte order so that a
/// state reads the same on any machine.
protocol StateBlobValue: BitwiseCopyable {
    /// The value with its bytes in little-endian order: itself on a little-endian machine,
    /// byte-swapped on a big-endian one (so the same call converts to and from the stored order).
    var littleEndianBlobValue: Self { get }
}

extension UInt64: StateBlobValue {
    var littleEndianBlobValue: UInt64 { littleEndian }
}

extension Int64: StateBlobValue {
    var littleEndianBlobValue: Int64 { littleEndian }
}

extension Float: StateBlobValue {
    var littleEndianBlobValue: Float { Float(bitPattern: bitPattern.littleEndian) }
}

extension StateStore {
    /// The stored form of the state's number arrays (terms, counts, shingles, line keys, pairs):
    /// a 4-byte header, then the values in little-endian order.
    ///
    /// The header is the bytes `N` `C`, the format version and the width of one value in bytes.
    /// A reader that meets another version, or values of another width than it expects (a
    /// column read as the wrong type), throws instead of decoding garbage. States of schema 3
    /// and before stored the bare values in the machine's byte order; migration v4 rewrites
    /// them once (`decodeUnversioned`), so a reader never has to guess which form it holds.
    enum BlobFormat {
        static let magic: [UInt8] = [0x4E, 0x43]
        static let version: UInt8 = 1
        static let headerSize = 4
    }

    /// Why a blob cannot be read; the reader adds which state and which blob.
    struct BlobError: Error, CustomStringConvertible {
        var description: String
    }

    /// `values` as a blob: the header, then each value's bytes in little-endian order.
    static func encode<T: StateBlobValue>(_ values: [T]) -> Data {
        let width = MemoryLayout<T>.stride
        var data = Data(capacity: BlobFormat.headerSize + values.count * width)
        data.append(contentsOf: BlobFormat.magic + [BlobFormat.version, UInt8(width)])
        #if _endian(big)
        values.map(\.littleEndianBlobValue).withUnsafeBytes { data.append(contentsOf: $0) }
        #else
        values.withUnsafeBytes { data.append(contentsOf: $0) }
        #endif
        return data
    }

    /// The values of a blob written by `encode`.
    /// - Throws: `BlobError` for a blob without the header, of another format version, or of
    ///   values of another width than `T`'s.
    /// - Complexity: O(n), one copy of the bytes (a night decodes every stored article's blobs).
    static func decode<T: StateBlobValue>(_ data: Data) throws -> [T] {
        let width = MemoryLayout<T>.stride
        return try data.withUnsafeBytes { raw in
            guard raw.count >= BlobFormat.headerSize, raw[0] == BlobFormat.magic[0], raw[1] == BlobFormat.magic[1] else {
                throw BlobError(description: "no format header (\(raw.count) bytes)")
            }
            guard raw[2] == BlobFormat.version else {
                throw BlobError(description: "blob format version \(raw[2]); this newscluster reads version \(BlobFormat.version)")
            }
            let payload = UnsafeRawBufferPointer(rebasing: raw[BlobFormat.headerSize...])
            guard raw[3] == width, payload.count % width == 0 else {
                throw BlobError(description: "\(payload.count) bytes of \(raw[3])-byte values where \(width)-byte values were expected")
            }
            let count = payload.count / width
            return [T](unsafeUninitializedCapacity: count) { buffer, initialized in
                if count > 0 { UnsafeMutableRawBufferPointer(buffer).copyMemory(from: payload) }
                #if _endian(big)
                for index in 0..<count { buffer[index] = buffer[index].littleEndianBlobValue }
                #endif
                initialized = count
            }
        }
    }

    /// Article row numbers (the stored pairs) as a blob: 4-byte values while every one fits, as
    /// they do but in a state that numbered two billion rows, else 8-byte ones (the header says
    /// which; a night writes and reads every pair, so the width is half its cost).
    static func encodeRowNumbers(_ rows: [Int64]) -> Data {
        guard rows.allSatisfy({ $0 >= 0 && $0 <= Int64(Int32.max) }) else { return encode(rows) }
        return encode(rows.map { Int32(truncatingIfNeeded: $0) })
    }

    /// The row numbers of a blob written by `encodeRowNumbers` (or by earlier versions, which
    /// wrote 8-byte values).
    static func decodeRowNumbers(_ data: Data) throws -> [Int64] {
        if data.count >= BlobFormat.headerSize && data[data.startIndex + 3] == 4 {
            return (try decode(data) as [Int32]).map(Int64.init)
        }
        return try decode(data)
    }

    /// The values of a blob as schema 3 and before wrote it: bare, in the machine's byte order.
    /// Only migration v4 reads this form, to rewrite it with `encode`.
    static func decodeUnversioned<T: StateBlobValue>(_ data: Data) -> [T] {
        data.withUnsafeBytes { raw in
            (0..<(raw.count / MemoryLayout<T>.stride)).map { raw.loadUnaligned(fromByteOffset: $0 * MemoryLayout<T>.stride, as: T.self) }
        }
    }

    /// Rewrites every blob of a schema 3 state in the versioned form (migration v4), in
    /// batches of rows so that a large state is never held in memory whole.
    static func rewriteUnversionedBlobs(_ db: Database) throws {
        let batchSize = 2_000
        var lastRow: Int64 = 0
        let rewrite = try db.makeStatement(sql: """
            UPDATE articles SET terms = ?, counts = ?, shingles = ?, line_keys = ? WHERE rowid = ?
            """)
        while true {
            let rows = try Row.fetchAll(db, sql: """
                SELECT rowid, terms, counts, shingles, line_keys FROM articles WHERE rowid > ? ORDER BY rowid LIMIT ?
                """, arguments: [lastRow, batchSize])
            for row in rows {
                let terms: [UInt64] = decodeUnversioned(row[ArticleColumns.terms])
                let counts: [Float] = decodeUnversioned(row[ArticleColumns.counts])
                let shingles: [UInt64] = decodeUnversioned(row[ArticleColumns.shingles])
                let lineKeys: Data? = row[ArticleColumns.lineKeys]
                try rewrite.execute(arguments: [
                    encode(terms), encode(counts), encode(shingles),
                    lineKeys.map { encode(decodeUnversioned($0) as [UInt64]) }, row[Column.rowID] as Int64])
            }
            guard let last = rows.last else { break }
            lastRow = last[Column.rowID]
        }
        if let pairs = try Data.fetchOne(db, sql: "SELECT pairs FROM graph WHERE id = 1") {
            try db.execute(sql: "UPDATE graph SET pairs = ? WHERE id = 1",
                           arguments: [encode(decodeUnversioned(pairs) as [Int64])])
        }
    }
}
