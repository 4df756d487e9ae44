import Foundation

/// An unlinked temporary file that keeps a copy of an input's text as it is read, for an input
/// that cannot be read again by offset: a pipe, standard input, a FIFO, or a compressed file
/// (whose records' offsets are into the decompressed text). `RecordRereader` reads those
/// records back from here.
///
/// The file is removed from its directory as soon as it is opened, so that it goes with the
/// descriptor, also when the process is killed: a crash leaves nothing behind.
final class Spool: Sendable {
    /// Open for reading and writing; `pread` works on it from any thread.
    let descriptor: Int32

    /// A new, empty spool in the temporary directory (`TMPDIR`).
    init() throws {
        let directory = NSTemporaryDirectory()
        var template = Array(((directory as NSString).appendingPathComponent("newscluster-spool-XXXXXX")).utf8CString)
        let descriptor = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        guard descriptor >= 0 else {
            throw ReadError.unreadable(path: directory, reason: "cannot make a spool file: \(String(cString: strerror(errno)))")
        }
        unlink(template)
        self.descriptor = descriptor
    }

    deinit { close(descriptor) }

    /// Writes `bytes` at the end of the spool.
    func append(_ bytes: ArraySlice<UInt8>) throws {
        var done = 0
        while done < bytes.count {
            let count = bytes.withUnsafeBytes { write(descriptor, $0.baseAddress! + done, $0.count - done) }
            if count < 0 && errno == EINTR { continue }
            guard count > 0 else {
                throw ReadError.unreadable(path: NSTemporaryDirectory(),
                                           reason: "cannot write the spool of an input: \(String(cString: strerror(errno)))")
            }
            done += count
        }
    }
}
