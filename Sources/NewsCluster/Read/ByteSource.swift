import Foundation

/// The bytes of one input as its lines are made of, read in chunks: a file as it is, or a gzip
/// or zstd file decompressed as it is read; from a regular file, a pipe, a FIFO, a process
/// substitution (`/dev/fd/63`) or standard input (`-`). Compression is told by the first bytes
/// (magic numbers), whatever the name.
///
/// An input is opened once and read once, from start to end, so that a pipe gives every byte.
final class ByteSource {
    /// The input path that stands for standard input.
    static let standardInput = "-"

    let path: String
    /// nil: the input is read as it is.
    private(set) var compression: Decompressor.Format?
    /// A regular file, which can be opened again; standard input never counts as one.
    let isRegularFile: Bool
    /// Bytes read from the input so far: compressed ones for a compressed input.
    private(set) var bytesRead = 0

    private let descriptor: Int32
    private var decompressor: Decompressor?
    /// Bytes read from the descriptor land here; `raw[rawStart..<rawEnd]` are not yet handed
    /// out (as they are, or decompressed). Allocated once: a read fills it without growing or
    /// zero-filling an array.
    private var raw = [UInt8](repeating: 0, count: ByteSource.rawChunk)
    private var rawStart = 0
    private var rawEnd = 0
    private var rawEnded = false
    /// Where every byte handed out is also written; set before the first `read`.
    var spool: Spool?
    private static let rawChunk = 1 << 20

    /// Opens `path` and reads its first bytes to tell its compression.
    convenience init(path: String) throws {
        try self.init(path: path, plainFrom: nil)
    }

    /// Opens `path`, a plain regular file, to be read from byte `offset` on (a shard of it),
    /// as it is: bytes in the middle of a file tell nothing of its compression.
    convenience init(path: String, plainFrom offset: Int) throws {
        try self.init(path: path, plainFrom: Optional(offset))
    }

    private init(path: String, plainFrom offset: Int?) throws {
        let descriptor = path == Self.standardInput ? dup(STDIN_FILENO) : open(path, O_RDONLY)
        guard descriptor >= 0 else {
            throw ReadError.unreadable(path: path, reason: String(cString: strerror(errno)))
        }
        var status = stat()
        isRegularFile = path != Self.standardInput && fstat(descriptor, &status) == 0
            && (status.st_mode & S_IFMT) == S_IFREG
        self.path = path
        self.descriptor = descriptor
        if let offset {
            guard isRegularFile, offset >= 0, offset <= Int(status.st_size),
                  lseek(descriptor, off_t(offset), SEEK_SET) == off_t(offset) else {
                throw ReadError.unreadable(path: path, reason: "cannot read from byte \(offset): not a regular file of that size")
            }
            return
        }
        // A pipe may hand over its first bytes in pieces. (Should this throw, `deinit` closes
        // the descriptor.)
        while rawEnd < Decompressor.Format.magicLength, try fill() > 0 {}
        compression = Decompressor.Format.detect(raw[..<rawEnd])
        decompressor = compression.map(Decompressor.init)
    }

    deinit { close(descriptor) }

    /// Whether a record's byte offset in the text this hands out is its offset in the file at
    /// `path`: a plain regular file, which `RecordRereader` can read again itself.
    var isRereadableByOffset: Bool { compression == nil && isRegularFile }

    /// The stream broke: it ends inside a gzip member or zstd frame, or its bytes are not valid.
    struct BrokenStream: Error, Equatable {
        var format: Decompressor.Format
        /// nil: truncated.
        var corruption: String?

        /// "gzip stream truncated", "zstd stream corrupt (Data corruption detected)"
        var description: String {
            corruption.map { "\(format) stream corrupt (\($0))" } ?? "\(format) stream truncated"
        }
    }

    /// Appends up to `maximum` bytes of the input's text to `buffer`; returns how many, 0 only
    /// at the end.
    ///
    /// - Throws: `BrokenStream` for a compressed input that breaks off, after every byte
    ///   decoded before the break was handed out; `ReadError.unreadable` when reading fails.
    /// - Complexity: O(bytes appended), plus the decompression of the compressed bytes read.
    func read(appendingTo buffer: inout [UInt8], maximum: Int) throws -> Int {
        let start = buffer.count
        if let decompressor {
            try decompress(with: decompressor, appendingTo: &buffer, maximum: maximum)
        } else {
            if rawStart == rawEnd && !rawEnded { _ = try fill() }
            let count = min(maximum, rawEnd - rawStart)
            buffer.append(contentsOf: raw[rawStart..<(rawStart + count)])
            rawStart += count
        }
        try spool?.append(buffer[start...])
        return buffer.count - start
    }

    private func decompress(with decompressor: Decompressor, appendingTo buffer: inout [UInt8], maximum: Int) throws {
        let start = buffer.count
        while buffer.count == start {
            let consumed: Int
            do {
                consumed = try decompressor.decode(raw[rawStart..<rawEnd], appendingTo: &buffer, limit: maximum)
            } catch {
                throw BrokenStream(format: decompressor.format, corruption: error.reason)
            }
            rawStart += consumed
            guard buffer.count == start, consumed == 0 else { continue }
            // No progress: the decoder wants more input.
            if rawEnded {
                guard decompressor.isAtBoundary, rawStart == rawEnd else {
                    throw BrokenStream(format: decompressor.format, corruption: nil)
                }
                return
            }
            _ = try fill()
        }
    }

    /// One `read(2)` (again after a signal) onto the bytes kept in `raw`, moved to its front
    /// first; the bytes read, 0 at the end of the input.
    private func fill() throws -> Int {
        if rawStart > 0 {
            let kept = Array(raw[rawStart..<rawEnd])
            raw.replaceSubrange(0..<kept.count, with: kept)
            rawEnd = kept.count
            rawStart = 0
        }
        precondition(rawEnd < raw.count, "a decoder that wants more input holds back a whole chunk")
        while true {
            let count = raw.withUnsafeMutableBytes { Glibc.read(descriptor, $0.baseAddress! + rawEnd, $0.count - rawEnd) }
            if count >= 0 {
                bytesRead += count
                rawEnd += count
                if count == 0 { rawEnded = true }
                return count
            }
            if errno != EINTR {
                throw ReadError.unreadable(path: path, reason: String(cString: strerror(errno)))
            }
        }
    }

    /// What an input is, found without reading a pipe (whose bytes would be lost to the real
    /// read): for a regular file its size and compression, for anything else nothing more.
    struct Probe: Equatable {
        var isRegularFile: Bool
        var size: Int
        var compression: Decompressor.Format?
    }

    static func probe(_ path: String) -> Probe {
        var status = stat()
        guard path != standardInput, stat(path, &status) == 0, (status.st_mode & S_IFMT) == S_IFREG else {
            return Probe(isRegularFile: false, size: 0, compression: nil)
        }
        let magic = FileHandle(forReadingAtPath: path).flatMap { handle in
            defer { try? handle.close() }
            return try? handle.read(upToCount: Decompressor.Format.magicLength)
        }
        return Probe(isRegularFile: true, size: Int(status.st_size),
                     compression: magic.flatMap { Decompressor.Format.detect($0) })
    }
}
