// The only file that imports zlib and libzstd: everything else decompresses through this type.
private import CZlib
private import CZstd

/// A gzip or zstd stream decoded piece by piece as its compressed bytes arrive, so that a
/// compressed input never sits in memory whole. Concatenated gzip members (what `cat a.gz b.gz`
/// makes) and a sequence of zstd frames decode as one stream, as `zcat` and `zstdcat` read them.
///
/// All pointer work on the C streams stays in here; callers hand in and get back arrays.
final class Decompressor {
    enum Format: String, Sendable, CaseIterable {
        case gzip, zstd

        /// The format whose magic number opens `prefix` (gzip `1F 8B`, zstd `28 B5 2F FD`), or
        /// nil for anything else, which is read as it is.
        static func detect(_ prefix: some Collection<UInt8>) -> Format? {
            if prefix.starts(with: [0x1F, 0x8B]) { return .gzip }
            if prefix.starts(with: [0x28, 0xB5, 0x2F, 0xFD]) { return .zstd }
            return nil
        }

        /// Bytes `detect` needs to tell every format apart.
        static let magicLength = 4
    }

    /// The compressed bytes are not a valid stream; `reason` is the library's message.
    struct Corrupt: Error, Equatable {
        var reason: String
    }

    let format: Format
    /// Whether the bytes decoded so far end exactly where a gzip member or a zstd frame ends.
    /// The input may end only there: an end anywhere else is a truncated stream.
    private(set) var isAtBoundary = false
    private var zlibStream: UnsafeMutablePointer<z_stream>?
    private var zstdStream: OpaquePointer?
    /// A failure met after some output of the same call: that output is handed out first.
    private var pendingFailure: Corrupt?
    /// Where the library writes; copied out with one `memcpy`, which is cheaper than growing
    /// and zero-filling the caller's array for each call.
    private var scratch = [UInt8](repeating: 0, count: 1 << 20)

    init(_ format: Format) {
        self.format = format
        switch format {
        case .gzip:
            let stream = UnsafeMutablePointer<z_stream>.allocate(capacity: 1)
            stream.initialize(to: z_stream())
            let status = newscluster_inflate_init_gzip(stream)
            precondition(status == Z_OK, "inflateInit2 failed (\(status)): out of memory")
            zlibStream = stream
        case .zstd:
            guard let stream = ZSTD_createDStream() else { preconditionFailure("ZSTD_createDStream: out of memory") }
            ZSTD_initDStream(stream)
            zstdStream = stream
        }
    }

    deinit {
        if let zlibStream {
            inflateEnd(zlibStream)
            zlibStream.deinitialize(count: 1)
            zlibStream.deallocate()
        }
        if let zstdStream { ZSTD_freeDStream(zstdStream) }
    }

    /// Decodes from the start of `input`, appending at most `limit` decompressed bytes (and at
    /// most a mebibyte) to `output`; returns how many bytes of `input` it used. Call again with
    /// the rest of the input (or none, at its end) until a call neither uses input nor appends
    /// output: the library may hold decoded bytes that did not fit under `limit`.
    ///
    /// - Throws: `Corrupt` when the bytes are not a valid stream, after handing out what was
    ///   decoded before the fault.
    /// - Complexity: O(`input.count` + output appended).
    func decode(_ input: ArraySlice<UInt8>, appendingTo output: inout [UInt8], limit: Int) throws(Corrupt) -> Int {
        if let pendingFailure { throw pendingFailure }
        precondition(limit > 0)
        let limit = min(limit, scratch.count)
        var consumed = 0, produced = 0
        var failure: Corrupt?
        input.withUnsafeBufferPointer { source in
            scratch.withUnsafeMutableBufferPointer { target in
                let outputBase = target.baseAddress!
                while produced < limit {
                    let target = outputBase + produced, capacity = limit - produced
                    let step: (consumed: Int, produced: Int)
                    switch format {
                    case .gzip:
                        step = inflateStep(source, from: consumed, into: target, capacity: capacity, failure: &failure)
                    case .zstd:
                        step = zstdStep(source, from: consumed, into: target, capacity: capacity, failure: &failure)
                    }
                    consumed += step.consumed
                    produced += step.produced
                    if failure != nil || (step.consumed == 0 && step.produced == 0) { break }
                }
            }
        }
        output.append(contentsOf: scratch[..<produced])
        if let failure {
            guard produced == 0 else {
                pendingFailure = failure
                return consumed
            }
            throw failure
        }
        return consumed
    }

    /// One `inflate` call. A member that ended and is followed by more input is the next
    /// member of a concatenation: the stream is reset for it.
    private func inflateStep(
        _ source: UnsafeBufferPointer<UInt8>, from start: Int,
        into target: UnsafeMutablePointer<UInt8>, capacity: Int, failure: inout Corrupt?
    ) -> (consumed: Int, produced: Int) {
        let stream = zlibStream!
        let available = source.count - start
        if isAtBoundary {
            guard available > 0 else { return (0, 0) }
            inflateReset(stream)
            isAtBoundary = false
        }
        let inputCount = min(available, Int(UInt32.max)), outputCount = min(capacity, Int(UInt32.max))
        stream.pointee.next_in = available > 0 ? UnsafeMutablePointer(mutating: source.baseAddress! + start) : nil
        stream.pointee.avail_in = UInt32(inputCount)
        stream.pointee.next_out = target
        stream.pointee.avail_out = UInt32(outputCount)
        let status = inflate(stream, Z_NO_FLUSH)
        let step = (consumed: inputCount - Int(stream.pointee.avail_in),
                    produced: outputCount - Int(stream.pointee.avail_out))
        switch status {
        case Z_OK, Z_BUF_ERROR: break  // Z_BUF_ERROR: no progress was possible; the caller stops.
        case Z_STREAM_END: isAtBoundary = true
        default:
            let message = stream.pointee.msg.map { String(cString: $0) } ?? "zlib error \(status)"
            failure = Corrupt(reason: message)
        }
        return step
    }

    /// One `ZSTD_decompressStream` call; it goes on into the next frame by itself.
    private func zstdStep(
        _ source: UnsafeBufferPointer<UInt8>, from start: Int,
        into target: UnsafeMutablePointer<UInt8>, capacity: Int, failure: inout Corrupt?
    ) -> (consumed: Int, produced: Int) {
        var input = ZSTD_inBuffer(
            src: source.baseAddress.map { UnsafeRawPointer($0 + start) }, size: source.count - start, pos: 0)
        var output = ZSTD_outBuffer(dst: UnsafeMutableRawPointer(target), size: capacity, pos: 0)
        let hint = ZSTD_decompressStream(zstdStream, &output, &input)
        if ZSTD_isError(hint) != 0 {
            failure = Corrupt(reason: String(cString: ZSTD_getErrorName(hint)))
        } else if input.pos > 0 || output.pos > 0 {
            // 0: a frame is complete and all its output flushed.
            isAtBoundary = hint == 0
        }
        return (input.pos, output.pos)
    }

    /// `bytes` compressed as one gzip member or one zstd frame: the review page's data blocks,
    /// fixtures for the tests and the fuzzer's seeds. zlib's gzip header carries no time or
    /// name here, so equal input gives equal output.
    ///
    /// Every library call stands outside `precondition`: the release build is `-Ounchecked`,
    /// which does not evaluate a precondition's condition at all, calls in it included.
    static func compress(_ bytes: [UInt8], as format: Format, level: Int = 6) -> [UInt8] {
        switch format {
        case .gzip:
            var stream = z_stream()
            let opened = newscluster_deflate_init_gzip(&stream, Int32(level))
            guard opened == Z_OK else { fatalError("deflateInit2 failed (\(opened)): out of memory") }
            defer { deflateEnd(&stream) }
            var output = [UInt8](repeating: 0, count: Int(deflateBound(&stream, UInt(bytes.count))) + 64)
            var input = bytes
            let (status, written) = input.withUnsafeMutableBufferPointer { source in
                output.withUnsafeMutableBufferPointer { target in
                    stream.next_in = source.baseAddress
                    stream.avail_in = UInt32(source.count)
                    stream.next_out = target.baseAddress
                    stream.avail_out = UInt32(target.count)
                    let status = deflate(&stream, Z_FINISH)
                    return (status, target.count - Int(stream.avail_out))
                }
            }
            // deflateBound leaves room for the whole member, so one call always finishes it.
            guard status == Z_STREAM_END else { fatalError("deflate did not finish (\(status))") }
            return Array(output.prefix(written))
        case .zstd:
            var output = [UInt8](repeating: 0, count: ZSTD_compressBound(bytes.count))
            let written = bytes.withUnsafeBytes { source in
                output.withUnsafeMutableBytes { target in
                    ZSTD_compress(target.baseAddress, target.count, source.baseAddress, source.count, Int32(level))
                }
            }
            guard ZSTD_isError(written) == 0 else { fatalError("ZSTD_compress failed: \(String(cString: ZSTD_getErrorName(written)))") }
            return Array(output.prefix(written))
        }
    }
}
