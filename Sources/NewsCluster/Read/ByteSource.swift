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
    /// Bytes read from the descriptor and not yet handed out (as they are, or decompressed).
    private var raw: [UInt8] = []
    private var rawStart = 0
    private var rawEnded = false
    /// Where every byte handed out is also written; set before the first `read`.
    var spool: Spool?
    private static let rawChunk = 1 << 18

    /// Opens `path` and reads its first bytes to tell its compression.
    init(path: String) throws {
        let descriptor = path == Self.standardInput ? dup(STDIN_FILENO) : open(path, O_RDONLY)
        guard descriptor >= 0 else {
            throw ReadError.unreadable(path: path, reason: String(cString: strerror(errno)))
        }
        var status = stat()
        isRegularFile = path != Self.standardInput && fstat(descriptor, &status) == 0 && (status.st_mode & S_IFMT) == S_IFREG
        self.path = path
        self.descriptor = descriptor
        // A pipe may hand over its first bytes in pieces. (Should this throw, `deinit` closes
        // the descriptor.)
        while raw.count < Decompressor.Format.magicLength, try fill() > 0 {}
        compression = Decompressor.Format.detect(raw)
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
        } else if rawStart < raw.count {
            let count = min(maximum, raw.count - rawStart)
            buffer.append(contentsOf: raw[rawStart..<(rawStart + count)])
            rawStart += count
            if rawStart == raw.count { raw = [] ; rawStart = 0 }
        } else if !rawEnded {
            // Plain input, the fast path: straight from the descriptor into the caller's buffer.
            buffer.append(contentsOf: repeatElement(0, count: maximum))
            let count = try readSome(into: &buffer, at: start, maximum: maximum)
            buffer.removeLast(maximum - count)
            if count == 0 { rawEnded = true }
        }
        try spool?.append(buffer[start...])
        return buffer.count - start
    }

    private func decompress(with decompressor: Decompressor, appendingTo buffer: inout [UInt8], maximum: Int) throws {
        let start = buffer.count
        while buffer.count == start {
            let consumed: Int
            do {
                consumed = try decompressor.decode(raw[rawStart...], appendingTo: &buffer, limit: maximum)
            } catch {
                throw BrokenStream(format: decompressor.format, corruption: error.reason)
            }
            rawStart += consumed
            guard buffer.count == start, consumed == 0 else { continue }
            // No progress: the decoder wants more input.
            if rawEnded {
                guard decompressor.isAtBoundary, rawStart == raw.count else {
                    throw BrokenStream(format: decompressor.format, corruption: nil)
                }
                return
            }
            raw.removeFirst(rawStart)
            rawStart = 0
            _ = try fill()
        }
    }

    /// Reads up to one raw chunk more onto `raw`; the bytes read, 0 at the end of the input.
    private func fill() throws -> Int {
        let start = raw.count
        raw.append(contentsOf: repeatElement(0, count: Self.rawChunk))
        let count = try readSome(into: &raw, at: start, maximum: Self.rawChunk)
        raw.removeLast(Self.rawChunk - count)
        if count == 0 { rawEnded = true }
        return count
    }

    /// One `read(2)` (again after a signal) into `buffer[start..<start + maximum]`.
    private func readSome(into buffer: inout [UInt8], at start: Int, maximum: Int) throws -> Int {
        precondition(start + maximum <= buffer.count)
        while true {
            let count = buffer.withUnsafeMutableBytes { Glibc.read(descriptor, $0.baseAddress! + start, maximum) }
            if count >= 0 {
                bytesRead += count
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
        return Probe(isRegularFile: true, size: Int(status.st_size), compression: magic.flatMap { Decompressor.Format.detect($0) })
    }
}
