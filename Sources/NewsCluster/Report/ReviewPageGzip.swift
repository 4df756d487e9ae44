// The page's own use of zlib: `Decompressor` holds every other call, but its `compress`
// (written for test fixtures) makes its zlib calls inside `precondition`, which the
// `-Ounchecked` release build never evaluates, so there it returns no bytes. Until that is
// fixed where it lives, the page compresses here, checking each status outside any assertion.
private import CZlib

/// gzip for the review page's data blocks (`ReviewPageData.encoded`).
enum ReviewPageGzip {
    /// `bytes` as one gzip member. zlib's gzip header carries no time or name here, so equal
    /// input gives equal output.
    /// - Complexity: O(`bytes.count`).
    static func compress(_ bytes: [UInt8], level: Int) -> [UInt8] {
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
    }
}
