// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "newscluster",
    platforms: [.macOS(.v13)],
    products: [
        // The tool is its command line and file formats: the NewsCluster library is not a
        // product, and its public declarations are the few the executable uses.
        .executable(name: "newscluster", targets: ["newscluster"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        // The nightly state (SQLite; Debian's libsqlite3-dev).
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
    ],
    targets: [
        // OpenBLAS through pkg-config; only Neighbors/BLAS.swift imports it.
        .systemLibrary(
            name: "COpenBLAS",
            pkgConfig: "openblas",
            providers: [.apt(["libopenblas-dev"])]
        ),
        // gzip and zstd input, decompressed as a stream; only Read/Decompressor.swift imports them.
        .systemLibrary(name: "CZlib", pkgConfig: "zlib", providers: [.apt(["zlib1g-dev"])]),
        .systemLibrary(name: "CZstd", pkgConfig: "libzstd", providers: [.apt(["libzstd-dev"])]),
        .target(
            name: "NewsCluster",
            dependencies: [
                "COpenBLAS", "CZlib", "CZstd", .product(name: "GRDB", package: "GRDB.swift"),
            ],
            // Writes Language/WordFrequencyData.swift (`make word-frequencies`).
            exclude: ["Language/make-word-frequencies.py"],
            // -Ounchecked (no bounds, overflow or exclusivity checks) measured against -O on the
            // same code, alternating runs: the neighbors stage 7 % faster at 20k (0.94 s vs 1.01 s,
            // 4 of 4 runs: the rare-term scan and the re-scoring), the total 2 % (not consistent);
            // at 100k the total 30-38 s vs 37-45 s (2 runs, loaded machine). The cost: unsafeFlags
            // keep other packages from depending on this one.
            swiftSettings: [.unsafeFlags(["-Ounchecked"], .when(configuration: .release))]
        ),
        .executableTarget(
            name: "newscluster",
            dependencies: [
                "NewsCluster",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        // Benchmark corpus generator (Benchmarks/GenerateCorpus/README.md); independent of NewsCluster.
        .executableTarget(
            name: "generate-corpus",
            dependencies: [.product(name: "ArgumentParser", package: "swift-argument-parser")],
            path: "Benchmarks/GenerateCorpus",
            exclude: ["README.md", "check.py"],
            swiftSettings: [.unsafeFlags(["-Ounchecked", "-enforce-exclusivity=unchecked"],
                                         .when(configuration: .release))]
        ),
        // The tokenizer alone on one core (make bench).
        .executableTarget(
            name: "tokenizer-bench",
            dependencies: ["NewsCluster"],
            path: "Benchmarks/TokenizerBench"
        ),
        .testTarget(
            name: "NewsClusterTests",
            // GRDB: to make a state as an older version left it.
            dependencies: ["NewsCluster", .product(name: "GRDB", package: "GRDB.swift")]
        ),
        .testTarget(
            name: "EndToEndTests",
            // GRDB: to make a state as a newer version or another program would leave it.
            dependencies: ["NewsCluster", .product(name: "GRDB", package: "GRDB.swift")]
        ),
    ],
    swiftLanguageModes: [.v6]
)

// libFuzzer targets for the JSONL reader, the decompressing reader and the tokenizer (make fuzz, Tests/Fuzz/README.md).
// Declared only for that build: libFuzzer supplies their `main`, so they link only with
// -sanitize=fuzzer.
if Context.environment["NEWSCLUSTER_FUZZ"] != nil {
    package.targets += [
        .executableTarget(name: "fuzz-jsonl-reader", dependencies: ["NewsCluster"], path: "Tests/Fuzz/JSONLReader"),
        .executableTarget(name: "fuzz-tokenizer", dependencies: ["NewsCluster"], path: "Tests/Fuzz/Tokenizer"),
        .executableTarget(name: "fuzz-decompressing-reader", dependencies: ["NewsCluster"], path: "Tests/Fuzz/DecompressingReader"),
    ]
}
