import Foundation

/// An exclusive hold on a path (a state file, an output directory) for the length of a run, so
/// that a night that overlaps the next cron start is not done twice, with one of the two failing
/// at its very end on a locked database.
///
/// The hold is a `flock` on a lock file, which the kernel releases when the process ends however
/// it ends: a killed run never leaves a stale lock. A state's lock file lies beside it
/// (`STATE.lock`, as SQLite's journal does); an output directory's lies in a shared folder of the
/// temporary directory (`/tmp/newscluster-locks/`), named after the directory's resolved path:
/// the directory is replaced whole by each run, and nothing else may appear beside the user's
/// files. The file keeps the holder's process id and start time for the message of the run that
/// finds it taken; it is left in place, since removing a lock file races with a run that has
/// just opened it.
public final class RunLock: Sendable {
    /// The lock file.
    let path: String
    private let descriptor: Int32

    /// Who holds a lock, as its file says.
    public struct Holder: Sendable, Equatable, CustomStringConvertible {
        var processID: Int32?
        var started: String?

        public var description: String {
            "pid \(processID.map(String.init) ?? "unknown"), started \(started ?? "at an unknown time")"
        }
    }

    public enum Failure: Error, CustomStringConvertible, Equatable {
        /// Another run holds `of` (through the lock file `lock`).
        case busy(of: String, lock: String, holder: Holder)
        case cannotLock(of: String, lock: String, reason: String)

        public var description: String {
            switch self {
            case .busy(let of, _, let holder):
                return "\(of) is in use by another newscluster run (\(holder)); "
                    + "it fails or finishes on its own: run again then, or give --wait to wait for it"
            case .cannotLock(let of, let lock, let reason):
                return "\(of): cannot take the lock file \(lock): \(reason)"
            }
        }
    }

    /// The folder of the output directories' lock files, open to every user like `/tmp`.
    static let sharedFolder = "/tmp/newscluster-locks"

    /// The lock file that guards `path`.
    static func lockFile(for path: String, isDirectory: Bool) -> String {
        let resolved = OutputOverlap.resolved(path)
        guard isDirectory else { return resolved + ".lock" }
        let hex = String(Pipeline.contentHash(resolved), radix: 16)
        let name = (resolved as NSString).lastPathComponent.filter { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" }
        return sharedFolder + "/" + name.prefix(40) + "-" + String(repeating: "0", count: 16 - hex.count) + hex + ".lock"
    }

    /// Takes the lock that guards `path` (`what` names it in messages).
    ///
    /// - Parameters:
    ///   - wait: wait for a run that holds it instead of failing at once; `waiting` is told
    ///     who is waited for, once.
    /// - Throws: `Failure.busy` naming the holder when another process holds it and `wait` is
    ///   false; `Failure.cannotLock` when the lock file cannot be made.
    init(guarding path: String, isDirectory: Bool, wait: Bool = false,
                waiting: (Holder) -> Void = { _ in }) throws {
        let lock = Self.lockFile(for: path, isDirectory: isDirectory)
        self.path = lock
        if isDirectory {
            if mkdir(Self.sharedFolder, 0o777) == 0 { chmod(Self.sharedFolder, 0o1777) }
        } else {
            // The state's folder, which the state would make a moment later.
            try? FileManager.default.createDirectory(
                atPath: (lock as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        }
        // Another user's lock file opens read-only, which is enough to lock it.
        var descriptor = open(lock, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        if descriptor < 0 && errno == EACCES { descriptor = open(lock, O_RDONLY | O_CLOEXEC) }
        guard descriptor >= 0 else {
            throw Failure.cannotLock(of: path, lock: lock, reason: String(cString: strerror(errno)))
        }
        if flock(descriptor, LOCK_EX | LOCK_NB) != 0 {
            let reason = errno
            guard reason == EWOULDBLOCK else {
                close(descriptor)
                throw Failure.cannotLock(of: path, lock: lock, reason: String(cString: strerror(reason)))
            }
            let holder = Self.holder(descriptor)
            guard wait else {
                close(descriptor)
                throw Failure.busy(of: path, lock: lock, holder: holder)
            }
            waiting(holder)
            while flock(descriptor, LOCK_EX) != 0 {
                guard errno == EINTR else {
                    let reason = String(cString: strerror(errno))
                    close(descriptor)
                    throw Failure.cannotLock(of: path, lock: lock, reason: reason)
                }
            }
        }
        self.descriptor = descriptor
        let record = Array("pid \(getpid())\nstarted \(Self.timestamp(Date()))\n".utf8)
        _ = ftruncate(descriptor, 0)
        _ = record.withUnsafeBytes { pwrite(descriptor, $0.baseAddress, $0.count, 0) }
    }

    deinit {
        close(descriptor)
    }

    /// What the lock file says of its holder (a file written by a run that was killed while
    /// writing it may say nothing).
    static func holder(_ descriptor: Int32) -> Holder {
        var bytes = [UInt8](repeating: 0, count: 256)
        let count = bytes.withUnsafeMutableBytes { pread(descriptor, $0.baseAddress, $0.count, 0) }
        return parse(String(decoding: bytes.prefix(max(0, count)), as: UTF8.self))
    }

    /// The holder in a lock file's text: "pid N" and "started TIME" lines.
    static func parse(_ text: String) -> Holder {
        var holder = Holder()
        for line in text.split(separator: "\n") {
            if line.hasPrefix("pid ") { holder.processID = Int32(line.dropFirst(4)) }
            if line.hasPrefix("started ") { holder.started = String(line.dropFirst(8)) }
        }
        return holder
    }

    static func timestamp(_ date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        return formatter.string(from: date)
    }
}
