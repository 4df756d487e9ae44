import Foundation

/// Writes a file so that readers see either the old content or the complete new content:
/// the data goes to a temporary file in the same directory, is flushed to disk, and is then
/// renamed over the target (rename is atomic within a file system).
enum AtomicFile {
    static func write(_ data: some ContiguousBytes, to path: String) throws {
        try write(pieces: [data], to: path)
    }

    /// The pieces one after the other, without joining them into one buffer first (a report
    /// of 100k articles is tens of megabytes).
    static func write<Piece: ContiguousBytes>(pieces: [Piece], to path: String) throws {
        let url = URL(fileURLWithPath: path)
        let directory = url.deletingLastPathComponent().path
        let temporary = directory + "/." + url.lastPathComponent + ".tmp-\(getpid())"
        // POSIX calls rather than FileManager, so that a failure says why: a full disk is not a
        // permission problem.
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { throw ReportError.cannotWrite(path: path, reason: ReportError.reason(errno)) }
        var failure: Int32 = 0
        for piece in pieces where failure == 0 {
            piece.withUnsafeBytes { buffer in
                var done = 0
                while done < buffer.count {
                    let count = Glibc.write(descriptor, buffer.baseAddress! + done, buffer.count - done)
                    if count < 0 && errno == EINTR { continue }
                    guard count > 0 else { failure = count < 0 ? errno : EIO; return }
                    done += count
                }
            }
        }
        // A full disk may show only here, when the delayed blocks are allocated.
        if failure == 0 && fsync(descriptor) != 0 { failure = errno }
        if close(descriptor) != 0 && failure == 0 && errno != EINTR { failure = errno }
        guard failure == 0 else {
            unlink(temporary)
            throw ReportError.cannotWrite(path: path, reason: ReportError.reason(failure))
        }
        guard rename(temporary, path) == 0 else {
            let reason = errno
            unlink(temporary)
            throw ReportError.cannotWrite(path: path, reason: ReportError.reason(reason))
        }
    }
}

public enum ReportError: Error, CustomStringConvertible {
    /// `reason` is the system's (strerror), when it gave one.
    case cannotWrite(path: String, reason: String? = nil)
    case cannotCreateDirectory(path: String)
    case holdsOtherFiles(path: String, names: [String])
    case holdsTheState(path: String, state: String)
    /// `--write-vocabulary` names a file inside the output directory, which each run replaces.
    case holdsTheVocabulary(path: String, vocabulary: String)
    /// The output directory is, holds or lies inside an input (resolved paths beside the given).
    case overlapsInput(output: String, input: String, resolvedOutput: String, resolvedInput: String)

    /// The system's words for an errno value ("No space left on device").
    static func reason(_ code: Int32) -> String { String(cString: strerror(code)) }

    public var description: String {
        switch self {
        case .cannotWrite(let path, let reason):
            return "\(path): cannot write the report" + (reason.map { ": \($0)" } ?? "")
        case .cannotCreateDirectory(let path): return "\(path): cannot create the output directory"
        case .holdsOtherFiles(let path, let names):
            let shown = names.prefix(5).joined(separator: ", ") + (names.count > 5 ? ", …" : "")
            return "\(path): the output directory holds files newscluster did not write (\(shown)); "
                + "each run replaces the directory as a whole, so give an empty or new directory"
        case .holdsTheState(let path, let state):
            return "\(state): the state cannot live inside the output directory \(path), which each run replaces"
        case .holdsTheVocabulary(let path, let vocabulary):
            return "\(vocabulary): --write-vocabulary cannot write inside the output directory \(path), which each run replaces"
        case .overlapsInput(let output, let input, let resolvedOutput, let resolvedInput):
            let outputShown = output == resolvedOutput ? output : "\(output) (\(resolvedOutput))"
            let inputShown = input == resolvedInput ? input : "\(input) (\(resolvedInput))"
            return "--out \(outputShown) is, holds or lies inside the input \(inputShown): each run replaces its "
                + "output directory whole, so give a directory outside every input"
        }
    }
}
