import Foundation

/// Makes OpenBLAS run the kernels this CPU is built for.
///
/// Debian's OpenBLAS 0.3.21 does not recognise some recent CPUs and silently falls back to SSE3
/// "Prescott" kernels, ~8× slower for sgemm. The kernel family is chosen when the library
/// loads, from `OPENBLAS_CORETYPE`, so the only fix from inside the process is to re-execute
/// it with that variable set. A user's own `OPENBLAS_CORETYPE` is always respected.
public enum FastKernels {
    /// Kernel families slower than what an AVX2 or AVX-512 CPU can run.
    static let slowCores: Set<String> = [
        "prescott", "core2", "penryn", "dunnington", "nehalem", "atom", "katmai", "coppermine",
        "northwood", "banias", "generic", "unknown", "opteron", "barcelona", "bobcat",
        "opteron_sse3", "sandybridge", "bulldozer", "piledriver", "steamroller", "excavator",
    ]

    static let reexecMarker = "NEWSCLUSTER_BLAS_REEXEC"

    /// The `OPENBLAS_CORETYPE` to ask for on a CPU with these `/proc/cpuinfo` flags.
    static func preferredCoreType(cpuFlags: Set<String>) -> String? {
        if cpuFlags.contains("avx512f") && cpuFlags.contains("avx512vl") && cpuFlags.contains("avx512bw") {
            return cpuFlags.contains("avx512_bf16") ? "Cooperlake" : "SkylakeX"
        }
        if cpuFlags.contains("avx2") && cpuFlags.contains("fma") { return "Haswell" }
        return nil
    }

    /// The core type to re-execute with, or nil to carry on as loaded.
    static func coreTypeToRequest(
        loadedCore: String, cpuFlags: Set<String>, environment: [String: String]
    ) -> String? {
        guard environment["OPENBLAS_CORETYPE"] == nil, environment[reexecMarker] == nil else {
            return nil
        }
        guard slowCores.contains(loadedCore.lowercased()) else { return nil }
        return preferredCoreType(cpuFlags: cpuFlags)
    }

    static func cpuFlags() -> Set<String> {
        guard let info = try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8) else { return [] }
        for line in info.split(separator: "\n") where line.hasPrefix("flags") {
            guard let colon = line.firstIndex(of: ":") else { continue }
            return Set(line[line.index(after: colon)...].split(separator: " ").map(String.init))
        }
        return []
    }

    /// Call first in `main`: re-executes the process with the right `OPENBLAS_CORETYPE` when
    /// OpenBLAS loaded slow kernels; returns when nothing needs doing (or exec failed).
    public static func ensure() {
        let environment = ProcessInfo.processInfo.environment
        guard let coreType = coreTypeToRequest(
            loadedCore: BLAS.coreName, cpuFlags: cpuFlags(), environment: environment)
        else { return }
        setenv("OPENBLAS_CORETYPE", coreType, 1)
        setenv(reexecMarker, "1", 1)
        let arguments = CommandLine.arguments
        var argv: [UnsafeMutablePointer<CChar>?] = arguments.map { strdup($0) }
        argv.append(nil)
        execv("/proc/self/exe", &argv)
        // exec failed: carry on with the slow kernels rather than not at all.
        unsetenv("OPENBLAS_CORETYPE")
    }
}
