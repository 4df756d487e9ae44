import Foundation

/// An exclusive hold on a path (a state file, an output directory) for the length of a run, so
/// that a night that overlaps the next cron start is not done twice, with one of the two failing
/// at its very end on a locked database.
///
/// The hold is a `flock` on a lock file beside the path (`STATE.lock`, `.OUT.newscluster-lock`),
/// which the kernel releases when the process ends however it ends: a killed run never leaves a
/// stale lock. The file keeps the holder's process id and start time for the message of the run
/// that finds it taken; it is left in place, since removing a lock file races with a run that
/// has just opened it.
public final class RunLock: Sendable {
    /// The lock file.
    public let path: String
    private let descriptor: Int32

    /// Who holds a lock, as its file says.
    public struct Holder: Sendable, Equatable, CustomStringConvertible {
        public var processID: Int32?
        public var started: String?

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

    /// The lock file that guards `path`: beside it, hidden for a directory (which each run
    /// replaces whole, so the lock cannot live inside it).
    public static func lockFile(for path: String, isDirectory: Bool) -> String {
        let url = URL(fileURLWithPath: path).standardizedFileURL
        let parent = url.deletingLastPathComponent().path
        let name = url.lastPathComponent
        return isDirectory ? parent + "/." + name + ".newscluster-lock" : parent + "/" + name + ".lock"
    }

    /// Takes the lock that guards `path` (`what` names it in messages).
    ///
    /// - Parameters:
    ///   - wait: wait for a run that holds it instead of failing at once; `waiting` is told
    ///     who is waited for, once.
    /// - Throws: `Failure.busy` naming the holder when another process holds it and `wait` is
    ///   false; `Failure.cannotLock` when the lock file cannot be made.
    public init(guarding path: String, isDirectory: Bool, wait: Bool = false,
                waiting: (Holder) -> Void = { _ in }) throws {
        let lock = Self.lockFile(for: path, isDirectory: isDirectory)
        self.path = lock
        let parent = (lock as NSString).deletingLastPathComponent
        try? FileManager.default.createDirectory(atPath: parent, withIntermediateDirectories: true)
        let descriptor = open(lock, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
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
