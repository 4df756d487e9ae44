#if canImport(Glibc)
import Glibc
#endif
import Foundation

/// The process's memory as the kernel sees it, and a way to give freed heap pages back.
enum ProcessMemory {
    /// Resident set size now, in bytes (0 where /proc is missing).
    static var residentBytes: Int {
        guard let statm = try? String(contentsOfFile: "/proc/self/statm", encoding: .utf8) else { return 0 }
        let fields = statm.split(separator: " ")
        guard fields.count > 1, let pages = Int(fields[1]) else { return 0 }
        return pages * Int(sysconf(Int32(_SC_PAGESIZE)))
    }

    /// Highest resident set size so far, in bytes. The kernel's high-water mark (`ru_maxrss`)
    /// is brought up to date only now and then, so while other threads allocate it can lag the
    /// current size; the peak is at least that.
    static var peakResidentBytes: Int {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        return max(usage.ru_maxrss * 1024, residentBytes)
    }

    private typealias MallocTrim = @convention(c) (Int) -> Int32
    private static let mallocTrim: MallocTrim? = {
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "malloc_trim") else { return nil }
        return unsafeBitCast(symbol, to: MallocTrim.self)
    }()

    /// Returns the free pages of every malloc arena to the kernel. Large inputs free their raw
    /// text after cleaning; glibc keeps those pages (spread over per-thread arenas) unless asked.
    static func releaseFreePages() {
        // malloc.h is not part of the Glibc module: look the function up once.
        if let trim = mallocTrim { _ = trim(0) }
    }
}
