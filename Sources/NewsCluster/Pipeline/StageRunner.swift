import Foundation

/// One stage of a run on its own (`newscluster stage NAME --in … --out …`): it reads the
/// previous stage's output from a file and writes its own, so that a stage can be tested alone
/// and run elsewhere. Chained from `read` to `report`, the stages write the reports a `cluster`
/// run without state writes.
///
/// A stage file is JSON: the stage that made it, the options of the run (given once, to
/// `read`, and carried on) and the stage's output. Every text is held in it.
public struct StageRunner {
    var log: (String) -> Void

    public init(log: @escaping (String) -> Void = { _ in }) {
        self.log = log
    }

    /// What every stage file starts with.
    struct Header: Codable {
        static let format = "newscluster-stage-1"
        var format: String
        var stage: Stage
    }

    struct File<Output: Codable>: Codable {
        var format = Header.format
        var stage: Stage
        var options: ClusterOptions
        var output: Output
    }

    public enum Failure: Error, CustomStringConvertible, Equatable {
        case notAStageFile(path: String, reason: String)
        case wrongStage(path: String, holds: Stage, expected: Stage)
        case notAStage(Stage)

        public var description: String {
            switch self {
            case .notAStageFile(let path, let reason): return "\(path): not a newscluster stage file (\(reason))"
            case .wrongStage(let path, let holds, let expected):
                return "\(path) holds the output of stage \(holds.rawValue); this stage reads the output of \(expected.rawValue)"
            case .notAStage(let stage): return "\(stage.rawValue) is not a stage that runs on its own (\(Stage.chain.map(\.rawValue).joined(separator: ", ")))"
            }
        }
    }

    /// Runs `read` over `inputs` with `options`, and writes its output to `output`.
    public func read(inputs: [String], options: ClusterOptions, to output: String) throws {
        let files = try inputs.flatMap(ArticleReader.expand)
        let read = try ReadStage(options: options, threads: max(1, options.threads))
            .run(files: files, storedRecords: [:], hashesRecords: false, holdsText: true)
        try write(File(stage: .read, options: options, output: read), to: output)
    }

    /// Runs `stage` (after `read`) on the output in `input`, and writes its own to `output`: a
    /// file, or for `report` the reports' directory.
    public func run(_ stage: Stage, input: String, output: String) throws {
        let threads = { (options: ClusterOptions) in max(1, options.threads) }
        switch stage {
        case .clean:
            let file = try load(ReadArticles.self, from: input, expected: .read)
            let cleaned = try CleanStage(options: file.options, threads: threads(file.options)).run(file.output, keepsLineKeys: false)
            try write(File(stage: .clean, options: file.options, output: cleaned), to: output)
        case .tokenize:
            let file = try load(CleanedTexts.self, from: input, expected: .clean)
            let counts = try TokenizeStage(options: file.options, threads: threads(file.options))
                .run(file.output, stored: [:], hashesContent: false)
            try write(File(stage: .tokenize, options: file.options, output: counts), to: output)
        case .vectorize:
            let file = try load(TermCounts.self, from: input, expected: .tokenize)
            let pinned = try file.options.vocabularyPath.map { try Pipeline.readVocabulary($0, for: file.options.vectorizer) }
            let vectors = VectorizeStage(options: file.options, threads: threads(file.options))
                .run(file.output, keepsCounts: false, source: VocabularySource(pinned: pinned))
            try write(File(stage: .vectorize, options: file.options, output: vectors), to: output)
        case .neighbors:
            let file = try load(Vectors.self, from: input, expected: .vectorize)
            BLAS.setThreadCount(threads(file.options))
            let graph = NeighborsStage(options: file.options).run(file.output, known: nil)
            try write(File(stage: .neighbors, options: file.options, output: graph), to: output)
        case .group:
            let file = try load(NeighborGraph.self, from: input, expected: .neighbors)
            let grouping = GroupStage(options: file.options, threads: threads(file.options))
                .run(file.output) { NoState().identify($0, snapshot: StateStore.Snapshot()) }
            try write(File(stage: .group, options: file.options, output: grouping), to: output)
        case .describe:
            let file = try load(Grouping.self, from: input, expected: .group)
            let descriptions = DescribeStage(options: file.options, threads: threads(file.options)).run(file.output)
            try write(File(stage: .describe, options: file.options, output: descriptions), to: output)
        case .report:
            let file = try load(Descriptions.self, from: input, expected: .describe)
            let pipeline = Pipeline(options: file.options, log: log)
            var manifest = pipeline.manifest(file.output, outputDirectory: output)
            var timings = Timings(log: log)
            let directory = try OutputDirectory(output)
            try ReportStage(threads: threads(file.options)).run(
                file.output, changes: nil, manifest: &manifest, timings: &timings, into: directory)
        default:
            throw Failure.notAStage(stage)
        }
    }

    private func load<Output: Codable>(_ type: Output.Type, from path: String, expected: Stage) throws -> File<Output> {
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw ReadError.unreadable(path: path, reason: (error as NSError).localizedDescription)
        }
        // The whole file is decoded once; only a file that does not decode is read again for
        // its header, to say what it holds.
        let file: File<Output>
        do {
            file = try JSONDecoder().decode(File<Output>.self, from: data)
        } catch {
            guard let header = try? JSONDecoder().decode(Header.self, from: data) else {
                throw Failure.notAStageFile(path: path, reason: "\(error)")
            }
            try check(header, path: path, expected: expected)
            throw Failure.notAStageFile(path: path, reason: "\(error)")
        }
        try check(Header(format: file.format, stage: file.stage), path: path, expected: expected)
        return file
    }

    private func check(_ header: Header, path: String, expected: Stage) throws {
        guard header.format == Header.format else { throw Failure.notAStageFile(path: path, reason: "format \(header.format)") }
        guard header.stage == expected else { throw Failure.wrongStage(path: path, holds: header.stage, expected: expected) }
    }

    private func write<Output: Codable>(_ file: File<Output>, to path: String) throws {
        try AtomicFile.write(try JSONEncoder().encode(file), to: path)
    }
}
