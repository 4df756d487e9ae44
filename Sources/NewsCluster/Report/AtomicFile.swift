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
    case holdsOtherFiles(path: String, names: [String])
    case holdsTheState(path: String, state: String)

    public var description: String {
        switch self {
        case .cannotWrite(let path): return "\(path): cannot write the report"
        case .cannotCreateDirectory(let path): return "\(path): cannot create the output directory"
        case .holdsOtherFiles(let path, let names):
            let shown = names.prefix(5).joined(separator: ", ") + (names.count > 5 ? ", …" : "")
            return "\(path): the output directory holds files newscluster did not write (\(shown)); "
                + "each run replaces the directory as a whole, so give an empty or new directory"
        case .holdsTheState(let path, let state):
            return "\(state): the state cannot live inside the output directory \(path), which each run replaces"
        }
    }
}
