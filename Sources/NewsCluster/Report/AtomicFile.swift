import Foundation

/// Writes a file so that readers see either the old content or the complete new content:
/// the data goes to a temporary file in the same directory, is flushed to disk, and is then
/// renamed over the target (rename is atomic within a file system).
enum AtomicFile {
    static func write(_ data: Data, to path: String) throws {
        let url = URL(fileURLWithPath: path)
        let directory = url.deletingLastPathComponent().path
        let temporary = directory + "/." + url.lastPathComponent + ".tmp-\(getpid())"
        guard FileManager.default.createFile(atPath: temporary, contents: data) else {
            throw ReportError.cannotWrite(path: temporary)
        }
        let descriptor = open(temporary, O_RDONLY)
        if descriptor >= 0 {
            fsync(descriptor)
            close(descriptor)
        }
        guard rename(temporary, path) == 0 else {
            unlink(temporary)
            throw ReportError.cannotWrite(path: path)
        }
    }
}

public enum ReportError: Error, CustomStringConvertible {
    case cannotWrite(path: String)
    case cannotCreateDirectory(path: String)

    public var description: String {
        switch self {
        case .cannotWrite(let path): return "\(path): cannot write the report"
        case .cannotCreateDirectory(let path): return "\(path): cannot create the output directory"
        }
    }
}
