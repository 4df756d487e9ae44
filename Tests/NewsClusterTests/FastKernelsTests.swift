import Foundation
import Testing
@testable import NewsCluster

private let avx512: Set<String> = ["sse3", "avx", "avx2", "fma", "avx512f", "avx512vl", "avx512bw", "avx512dq"]

@Suite("FastKernels")
struct FastKernelsTests {
    @Test func preferredCoreTypeForFlagSets() {
        #expect(FastKernels.preferredCoreType(cpuFlags: avx512.union(["avx512_bf16"])) == "Cooperlake")
        #expect(FastKernels.preferredCoreType(cpuFlags: avx512) == "SkylakeX")
        #expect(FastKernels.preferredCoreType(cpuFlags: ["sse3", "avx", "avx2", "fma"]) == "Haswell")
        // AVX-512 foundation alone (no VL/BW) is not SkylakeX; with AVX2+FMA it is Haswell.
        #expect(FastKernels.preferredCoreType(cpuFlags: ["avx512f", "avx2", "fma"]) == "Haswell")
        #expect(FastKernels.preferredCoreType(cpuFlags: ["avx2"]) == nil)
        #expect(FastKernels.preferredCoreType(cpuFlags: ["fma"]) == nil)
        #expect(FastKernels.preferredCoreType(cpuFlags: ["sse2", "sse3", "avx"]) == nil)
        #expect(FastKernels.preferredCoreType(cpuFlags: []) == nil)
    }

    @Test func requestsAFastCoreWhenPrescottLoadedOnAVX512() {
        #expect(FastKernels.coreTypeToRequest(loadedCore: "Prescott", cpuFlags: avx512, environment: [:]) == "SkylakeX")
        #expect(FastKernels.coreTypeToRequest(loadedCore: "PRESCOTT", cpuFlags: avx512, environment: ["PATH": "/bin"])
                == "SkylakeX")
        #expect(FastKernels.coreTypeToRequest(loadedCore: "Sandybridge", cpuFlags: ["avx2", "fma"], environment: [:])
                == "Haswell")
    }

    @Test func respectsTheUsersCoreType() {
        #expect(FastKernels.coreTypeToRequest(
            loadedCore: "Prescott", cpuFlags: avx512, environment: ["OPENBLAS_CORETYPE": "Prescott"]) == nil)
        #expect(FastKernels.coreTypeToRequest(
            loadedCore: "Prescott", cpuFlags: avx512, environment: ["OPENBLAS_CORETYPE": ""]) == nil)
    }

    @Test func doesNotLoopAfterAReexec() {
        #expect(FastKernels.coreTypeToRequest(
            loadedCore: "Prescott", cpuFlags: avx512, environment: [FastKernels.reexecMarker: "1"]) == nil)
    }

    @Test func nothingToDoWhenTheLoadedCoreIsFast() {
        for core in ["Haswell", "SkylakeX", "Cooperlake", "Zen", "SapphireRapids"] {
            #expect(FastKernels.coreTypeToRequest(loadedCore: core, cpuFlags: avx512, environment: [:]) == nil)
        }
    }

    @Test func nothingToDoOnAnOldCPU() {
        #expect(FastKernels.coreTypeToRequest(loadedCore: "Prescott", cpuFlags: ["sse3"], environment: [:]) == nil)
    }

    @Test func readsCPUFlagsOnLinux() throws {
        try #require(FileManager.default.fileExists(atPath: "/proc/cpuinfo"))
        let flags = FastKernels.cpuFlags()
        #if arch(x86_64)
        #expect(flags.contains("sse2"))
        #endif
        #expect(flags.allSatisfy { !$0.isEmpty && !$0.contains(" ") })
    }
}
