import Foundation
import Testing
@testable import NewsCluster

/// Every byte `source` hands out, in chunks of `chunk` bytes.
private func readAll(_ source: ByteSource, chunk: Int = 1 << 20) throws -> [UInt8] {
    var bytes: [UInt8] = []
    while try source.read(appendingTo: &bytes, maximum: chunk) > 0 {}
    return bytes
}

private let text: [UInt8] = Array((0..<3_000).map { "{\"id\":\"a\($0)\",\"text\":\"text of article \($0)\"}\n" }.joined().utf8)

/// A FIFO in a fresh directory, and a thread that writes `bytes` into it once a reader opens it.
private func fifo(writing bytes: [UInt8], in directory: String) throws -> String {
    let path = directory + "/input.fifo"
    try #require(mkfifo(path, 0o600) == 0)
    Thread.detachNewThread {
        // Blocks until the reader opens the other end.
        guard let handle = FileHandle(forWritingAtPath: path) else { return }
        handle.write(Data(bytes))
        try? handle.close()
    }
    return path
}

@Suite("ByteSource")
struct ByteSourceTests {
    @Test func aPlainFileIsHandedOutAsItIs() throws {
        let directory = Fixtures.temporaryDirectory()
        defer { Fixtures.remove(directory) }
        let path = Fixtures.write(text, named: "a.jsonl", in: directory)
        for chunk in [1 << 20, 1, 1000] {
            let source = try ByteSource(path: path)
            #expect(source.compression == nil && source.isRegularFile && source.isRereadableByOffset)
            #expect(try readAll(source, chunk: chunk) == text)
            #expect(source.bytesRead == text.count)
            // The end stays the end.
            var more: [UInt8] = []
            #expect(try source.read(appendingTo: &more, maximum: 10) == 0)
        }
    }

    @Test(arguments: Decompressor.Format.allCases)
    func compressionIsToldByTheMagicBytesWhateverTheName(_ format: Decompressor.Format) throws {
        let directory = Fixtures.temporaryDirectory()
        defer { Fixtures.remove(directory) }
        let compressed = Decompressor.compress(text, as: format)
        let path = Fixtures.write(compressed, named: "misnamed.jsonl", in: directory)
        for chunk in [1 << 20, 7] {
            let source = try ByteSource(path: path)
            #expect(source.compression == format)
            #expect(source.isRegularFile && !source.isRereadableByOffset)
            #expect(try readAll(source, chunk: chunk) == text)
            #expect(source.bytesRead == compressed.count)
        }
        #expect(ByteSource.probe(path) == ByteSource.Probe(isRegularFile: true, size: compressed.count, compression: format))
    }

    @Test(arguments: Decompressor.Format.allCases)
    func aTruncatedStreamBreaksAfterHandingOutWhatWasDecoded(_ format: Decompressor.Format) throws {
        let directory = Fixtures.temporaryDirectory()
        defer { Fixtures.remove(directory) }
        // Several zstd blocks (128 KiB of text at most each), so that some decode before the cut.
        let long = Array(repeatElement(text, count: 4).joined())
        let compressed = Decompressor.compress(long, as: format)
        let path = Fixtures.write(Array(compressed.dropLast(3)), named: "cut", in: directory)
        let source = try ByteSource(path: path)
        var bytes: [UInt8] = []
        #expect(throws: ByteSource.BrokenStream(format: format, corruption: nil)) {
            while try source.read(appendingTo: &bytes, maximum: 1000) > 0 {}
        }
        #expect(bytes.count > long.count / 3 && long.starts(with: bytes))
        #expect(ByteSource.BrokenStream(format: format, corruption: nil).description == "\(format) stream truncated")
    }

    @Test func aFIFOIsReadToTheEndAndNotOpenedByTheProbe() throws {
        let directory = Fixtures.temporaryDirectory()
        defer { Fixtures.remove(directory) }
        let compressed = Decompressor.compress(text, as: .gzip)
        let path = try fifo(writing: compressed, in: directory)
        // Opening the FIFO here would let the writer through and lose bytes to the probe.
        #expect(ByteSource.probe(path) == ByteSource.Probe(isRegularFile: false, size: 0, compression: nil))
        let source = try ByteSource(path: path)
        #expect(source.compression == .gzip && !source.isRegularFile && !source.isRereadableByOffset)
        #expect(try readAll(source, chunk: 4096) == text)
        #expect(source.bytesRead == compressed.count)
    }

    @Test func standardInputIsNeverARegularFile() {
        #expect(ByteSource.probe("-") == ByteSource.Probe(isRegularFile: false, size: 0, compression: nil))
    }

    @Test(arguments: [false, true])
    func theSpoolGetsEveryByteHandedOut(compressed: Bool) throws {
        let directory = Fixtures.temporaryDirectory()
        defer { Fixtures.remove(directory) }
        let path = Fixtures.write(compressed ? Decompressor.compress(text, as: .zstd) : text, named: "a", in: directory)
        let source = try ByteSource(path: path)
        let spool = try Spool()
        source.spool = spool
        #expect(try readAll(source, chunk: 999) == text)
        var spooled = [UInt8](repeating: 0, count: text.count + 10)
        let count = spooled.withUnsafeMutableBytes { pread(spool.descriptor, $0.baseAddress!, $0.count, 0) }
        #expect(count == text.count)
        #expect(Array(spooled.prefix(max(0, count))) == text)
    }

    @Test func aPlainSourceFromAnOffsetHandsOutTheRestOfTheFile() throws {
        let directory = Fixtures.temporaryDirectory()
        defer { Fixtures.remove(directory) }
        let path = Fixtures.write(text, named: "a.jsonl", in: directory)
        for offset in [0, 1, 1000, text.count - 1, text.count] {
            for chunk in [1 << 20, 7] {
                let source = try ByteSource(path: path, plainFrom: offset)
                #expect(source.compression == nil && source.isRegularFile && source.isRereadableByOffset)
                #expect(try readAll(source, chunk: chunk) == Array(text[offset...]), "offset \(offset)")
                // Bytes read from the file: those from the offset on.
                #expect(source.bytesRead == text.count - offset)
            }
        }
    }

    @Test(arguments: Decompressor.Format.allCases)
    func aCompressedFileFromAnOffsetIsReadAsItIs(_ format: Decompressor.Format) throws {
        let directory = Fixtures.temporaryDirectory()
        defer { Fixtures.remove(directory) }
        let compressed = Decompressor.compress(text, as: format)
        let path = Fixtures.write(compressed, named: "a.jsonl.gz", in: directory)
        // Even from byte 0: the magic bytes are not looked at.
        for offset in [0, 5] {
            let source = try ByteSource(path: path, plainFrom: offset)
            #expect(source.compression == nil)
            #expect(try readAll(source, chunk: 1000) == Array(compressed[offset...]))
        }
    }

    @Test func aSourceFromAnOffsetIsOnlyARegularFile() throws {
        #expect(throws: ReadError.self) { _ = try ByteSource(path: ByteSource.standardInput, plainFrom: 0) }
        let directory = Fixtures.temporaryDirectory()
        defer { Fixtures.remove(directory) }
        let path = Fixtures.write(text, named: "a.jsonl", in: directory)
        #expect(throws: ReadError.unreadable(path: "/nonexistent/a.jsonl", reason: "No such file or directory")) {
            _ = try ByteSource(path: "/nonexistent/a.jsonl", plainFrom: 10)
        }
        // No byte before the first.
        let refused = #expect(throws: ReadError.self) { _ = try ByteSource(path: path, plainFrom: -1) }
        if case .unreadable(let named, let reason)? = refused {
            #expect(named == path && reason.contains("-1"))
        }
    }

    @Test func aMissingFileIsUnreadable() {
        #expect(throws: ReadError.unreadable(path: "/nonexistent/a.jsonl", reason: "No such file or directory")) {
            _ = try ByteSource(path: "/nonexistent/a.jsonl")
        }
    }
}
