import Foundation

/// Streams the lines of an input (`ByteSource`: a file, a pipe, decompressed gzip or zstd) in
/// fixed-size chunks, so a large input never sits in memory twice. Strips a leading UTF-8
/// byte-order mark and the `\r` of CRLF line endings. Line numbers and offsets are those of the
/// text, decompressed.
struct LineReader {
    private let source: ByteSource
    private let chunkSize: Int
    private var buffer: [UInt8] = []
    private var start = 0
    /// Where the search for the next newline goes on: a line longer than a chunk is scanned
    /// once, not again from its start after every chunk.
    private var scanned = 0
    private var finished = false
    private(set) var lineNumber = 0
    /// Bytes dropped from the front of `buffer` so far.
    private var consumed = 0
    /// Where the last line returned starts in the text.
    private(set) var lineOffset = 0

    /// Where the last line returned starts in the text, before a byte-order mark.
    private(set) var lineStart = 0

    /// Lines of `source`; with `startOffset`, a source opened at that offset of its text, so
    /// that offsets are still those of the whole text (line numbers count from there).
    init(source: ByteSource, chunkSize: Int = 1 << 22, startOffset: Int = 0) {
        self.source = source
        self.chunkSize = chunkSize
        consumed = startOffset
    }

    init(path: String, chunkSize: Int = 1 << 22) throws {
        self.init(source: try ByteSource(path: path), chunkSize: chunkSize)
    }

    /// The next line without its terminator, or nil at the end of the file. A last line without
    /// a final newline is returned too.
    ///
    /// - Throws: `ByteSource.BrokenStream` when a compressed input breaks off, once every
    ///   complete line before the break has been returned (the bytes after the last newline
    ///   are not: they are the broken line, `lineNumber + 1`).
    mutating func next() throws -> ArraySlice<UInt8>? {
        while true {
            if let newline = Self.firstNewline(in: buffer, from: scanned) {
                let line = buffer[start..<newline]
                start = newline + 1
                scanned = start
                return finish(line)
            }
            scanned = buffer.count
            if finished {
                guard start < buffer.count else { return nil }
                let line = buffer[start...]
                start = buffer.count
                return finish(line)
            }
            if start > 0 {
                buffer.removeFirst(start)
                consumed += start
                scanned -= start
                start = 0
            }
            if try source.read(appendingTo: &buffer, maximum: chunkSize) == 0 { finished = true }
        }
    }

    private mutating func finish(_ line: ArraySlice<UInt8>) -> ArraySlice<UInt8> {
        lineNumber += 1
        lineStart = consumed + line.startIndex
        var line = line
        // A byte-order mark opens the file, or, in files joined with `cat`, any line.
        if line.starts(with: [0xEF, 0xBB, 0xBF]) { line = line.dropFirst(3) }
        if line.last == 0x0D { line = line.dropLast() }
        lineOffset = consumed + line.startIndex
        return line
    }

    /// The index of the first `\n` in `bytes` at or after `start`. `memchr` because the
    /// newline search touches every input byte, and a generic `firstIndex(of:)` is slow in a
    /// debug build.
    static func firstNewline(in bytes: [UInt8], from start: Int) -> Int? {
        precondition(start >= 0 && start <= bytes.count)
        return bytes.withUnsafeBufferPointer { buffer -> Int? in
            guard let base = buffer.baseAddress, start < buffer.count,
                  let found = memchr(base + start, 0x0A, buffer.count - start) else { return nil }
            return UnsafeRawPointer(base).distance(to: UnsafeRawPointer(found))
        }
    }
}

/// Failures that stop a run: the input cannot be read at all, or `--strict` met a bad record.
public enum ReadError: Error, CustomStringConvertible, Equatable {
    case unreadable(path: String, reason: String)
    case badRecord(RecordIssue)
    /// A record read earlier in the run is no longer where it was: the input changed meanwhile.
    case changed(RecordLocation)

    public var description: String {
        switch self {
        case .unreadable(let path, let reason): return "\(path): \(reason)"
        case .badRecord(let issue): return "\(issue.file):\(issue.line): \(issue.reason)"
        case .changed(let location):
            return "\(location): the record changed while the run was reading it; run again on a stable input"
        }
    }
}
