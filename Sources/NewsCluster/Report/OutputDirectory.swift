import Foundation

/// The output directory is replaced as a whole. A run writes its reports into a staging
/// directory beside it (`.NAME.newscluster-PID`, same file system) and swaps the two in one
/// `renameat2(RENAME_EXCHANGE)`: a reader, or a run killed at any moment, finds either the
/// previous complete reports or the new complete ones in it, never a mix and never a temporary
/// file. What a killed run leaves is its hidden staging directory, which the next run removes.
final class OutputDirectory {
    /// The files a run writes; a directory holding anything else is not ours to replace.
    static let reportNames: Set<String> = ["articles.jsonl", "stories.json", "run.json", "changes.json", "report.html"]

    /// The directory as the user named it.
    let path: String
    /// Where the reports are written before `commit`.
    let staging: String
    /// The real directory (absolute, symbolic links resolved): the one that is swapped.
    let target: String
    let swap: Swap
    private var committed = false

    /// Checks that the directory can be replaced, removes what killed runs left beside it and
    /// makes the staging directory: this fails before the work, not after it.
    convenience init(_ path: String) throws {
        try self.init(path, swap: .exchange)
    }

    enum Swap {
        /// One atomic exchange of the two directories.
        case exchange
        /// Where RENAME_EXCHANGE is missing (old kernels, some network file systems), or to
        /// test that path: the old directory is renamed aside, then
        /// the new one into place. A kill between the two leaves no directory; the next run
        /// puts the previous one back.
        case twoRenames
    }

    init(_ path: String, swap: Swap) throws {
        self.path = path
        self.swap = swap
        let fileManager = FileManager.default
        let absolute = URL(fileURLWithPath: path).standardizedFileURL
        let resolved = fileManager.fileExists(atPath: absolute.path) ? absolute.resolvingSymlinksInPath() : absolute
        target = resolved.path
        let parent = resolved.deletingLastPathComponent().path
        let name = resolved.lastPathComponent
        var isDirectory: ObjCBool = false
        do {
            try fileManager.createDirectory(atPath: parent, withIntermediateDirectories: true)
        } catch {
            throw ReportError.cannotCreateDirectory(path: path)
        }
        Self.removeLeftovers(of: name, in: parent, target: target)
        if fileManager.fileExists(atPath: target, isDirectory: &isDirectory) {
            guard isDirectory.boolValue else { throw ReportError.cannotCreateDirectory(path: path) }
            let foreign = (try? fileManager.contentsOfDirectory(atPath: target))?
                .filter { !Self.isReport($0) }.sorted() ?? []
            guard foreign.isEmpty else { throw ReportError.holdsOtherFiles(path: path, names: foreign) }
            guard fileManager.isWritableFile(atPath: target) else { throw ReportError.cannotWrite(path: path, reason: ReportError.reason(EACCES)) }
        }
        staging = parent + "/" + Self.stagingPrefix(of: name) + String(getpid())
        try? fileManager.removeItem(atPath: staging)
        guard mkdir(staging, 0o755) == 0 else { throw ReportError.cannotWrite(path: parent, reason: ReportError.reason(errno)) }
    }

    deinit {
        discard()
    }

    /// Whether `file` would lie inside the directory, where `commit` would carry it away.
    func contains(_ file: String) -> Bool {
        let absolute = URL(fileURLWithPath: file).standardizedFileURL
        let parent = absolute.deletingLastPathComponent()
        let real = FileManager.default.fileExists(atPath: parent.path)
            ? parent.resolvingSymlinksInPath().path : parent.path
        return real == target || real.hasPrefix(target + "/")
    }

    /// Puts the staging directory in place of the output directory, then removes the previous
    /// reports.
    func commit() throws {
        precondition(!committed, "committed twice")
        Self.sync(staging)
        let parent = URL(fileURLWithPath: target).deletingLastPathComponent().path
        if !FileManager.default.fileExists(atPath: target) {
            guard rename(staging, target) == 0 else { throw ReportError.cannotWrite(path: path, reason: ReportError.reason(errno)) }
        } else {
            let exchanged = swap == .exchange && RenameExchange.exchange(staging, target)
            if !exchanged {
                guard swap == .twoRenames || [EINVAL, ENOSYS, ENOTSUP].contains(errno) else {
                    throw ReportError.cannotWrite(path: path, reason: ReportError.reason(errno))
                }
                let previous = staging + Self.previousSuffix
                guard rename(target, previous) == 0 else { throw ReportError.cannotWrite(path: path, reason: ReportError.reason(errno)) }
                guard rename(staging, target) == 0 else {
                    let reason = ReportError.reason(errno)
                    rename(previous, target)
                    throw ReportError.cannotWrite(path: path, reason: reason)
                }
                rename(previous, staging)
            }
        }
        committed = true
        Self.sync(parent)
        // The staging path now holds the previous reports.
        try? FileManager.default.removeItem(atPath: staging)
    }

    /// Removes the staging directory of a run that did not commit (it failed).
    func discard() {
        if !committed { try? FileManager.default.removeItem(atPath: staging) }
    }

    static let previousSuffix = ".previous"

    static func stagingPrefix(of name: String) -> String { "." + name + ".newscluster-" }

    /// One of the reports, or a temporary file of one (earlier versions wrote them in place).
    static func isReport(_ name: String) -> Bool {
        if reportNames.contains(name) { return true }
        guard name.hasPrefix("."), let mark = name.range(of: ".tmp-") else { return false }
        return reportNames.contains(String(name[name.index(after: name.startIndex)..<mark.lowerBound]))
            && name[mark.upperBound...].allSatisfy(\.isNumber)
    }

    /// Staging directories of runs that no longer live. A kill between the two renames of
    /// `twoRenames` left the previous reports aside: they go back in place first.
    static func removeLeftovers(of name: String, in parent: String, target: String) {
        let prefix = stagingPrefix(of: name)
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: parent)) ?? []
        for entry in entries.sorted() where entry.hasPrefix(prefix) {
            let suffix = entry.dropFirst(prefix.count)
            let isPrevious = suffix.hasSuffix(previousSuffix)
            guard let pid = Int32(isPrevious ? suffix.dropLast(previousSuffix.count) : suffix) else { continue }
            guard pid != getpid(), kill(pid, 0) != 0, errno == ESRCH else { continue }
            let leftover = parent + "/" + entry
            if isPrevious && !FileManager.default.fileExists(atPath: target) && rename(leftover, target) == 0 { continue }
            try? FileManager.default.removeItem(atPath: leftover)
        }
    }

    /// Flushes a directory's entries to disk, so that the swap is not reordered before them.
    static func sync(_ directory: String) {
        let descriptor = open(directory, O_RDONLY | O_DIRECTORY)
        guard descriptor >= 0 else { return }
        fsync(descriptor)
        close(descriptor)
    }
}

/// `renameat2(…, RENAME_EXCHANGE)`: Glibc's module does not declare it (it is behind
/// `_GNU_SOURCE`), so it is looked up once by name.
enum RenameExchange {
    private typealias Function = @convention(c) (Int32, UnsafePointer<CChar>, Int32, UnsafePointer<CChar>, UInt32) -> Int32
    private static let function: Function? = dlsym(nil, "renameat2").map { unsafeBitCast($0, to: Function.self) }
    private static let exchangeFlag: UInt32 = 2  // RENAME_EXCHANGE in <linux/fs.h>

    /// Swaps two existing paths in one step; false when it failed (errno says why).
    static func exchange(_ a: String, _ b: String) -> Bool {
        guard let function else { errno = ENOSYS; return false }
        return function(AT_FDCWD, a, AT_FDCWD, b, exchangeFlag) == 0
    }
}
