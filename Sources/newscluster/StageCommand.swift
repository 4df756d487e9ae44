import ArgumentParser
import Foundation
import NewsCluster

/// One stage of `cluster` on its own, from the previous stage's output file (hidden: for tests
/// and for drivers that run the stages elsewhere).
struct StageCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "stage",
        abstract: "Run one stage of cluster on its own: read INPUT... --out FILE, then each later stage --in FILE --out FILE (report: --out DIR).",
        discussion: """
        Stages, in order: \(Stage.chain.map(\.rawValue).joined(separator: ", ")). Each reads the file \
        the previous one wrote (JSON: the stage, the options given to read, and its output) and \
        writes its own; report writes the reports a cluster run without --state writes. \
        And tile-task --in SEARCH --task T --out PART: one task of a neighbour search that \
        cluster --tile-tasks shared out (the Spark driver in scaleout/ runs them on executors). \
        Exit codes: 0 success; 1 a file cannot be read or is not the previous stage's; 64 invalid command line.
        """,
        shouldDisplay: false)

    @Argument(help: "The stage to run.")
    var name: String

    @Argument(help: "With read: the inputs, as for cluster.")
    var inputs: [String] = []

    @Option(name: .customLong("in"), help: ArgumentHelp("The previous stage's output.", valueName: "file"))
    var input: String?

    @Option(help: ArgumentHelp("This stage's output file (report: the reports' directory).", valueName: "path"))
    var out: String

    @OptionGroup(title: "Clustering (read only; later stages take the options the read was given)")
    var clustering: ClusteringOptions

    @Option(help: ArgumentHelp("With tile-task: which task of the search (0 to its tasks - 1).", valueName: "t"))
    var task: Int?

    @Option(help: ArgumentHelp("With tile-task: the search's task count, checked against the search file.", valueName: "n"))
    var tasks: Int?

    @Flag(help: "Print nothing but errors.")
    var quiet = false

    static let tileTask = "tile-task"

    func validate() throws {
        if name == Self.tileTask {
            guard input != nil, inputs.isEmpty else { throw ValidationError("tile-task reads --in SEARCH, the file cluster --tile-tasks wrote.") }
            guard let task, task >= 0 else { throw ValidationError("tile-task needs --task T (0 or more).") }
            if let tasks, task >= tasks { throw ValidationError("--task must be below --tasks.") }
            return
        }
        guard task == nil, tasks == nil else { throw ValidationError("--task and --tasks go with tile-task only.") }
        guard let stage = Stage(rawValue: name), Stage.chain.contains(stage) else {
            throw ValidationError("NAME must be one of \(Stage.chain.map(\.rawValue).joined(separator: ", ")).")
        }
        if stage == .read {
            guard !inputs.isEmpty else { throw ValidationError("read needs at least one INPUT.") }
            guard input == nil else { throw ValidationError("read takes INPUT..., not --in.") }
        } else {
            guard input != nil else { throw ValidationError("\(name) needs --in FILE, the output of the stage before it.") }
            guard inputs.isEmpty else { throw ValidationError("only read takes INPUT...; \(name) reads --in.") }
        }
    }

    func run() throws {
        let quiet = self.quiet
        let runner = StageRunner(log: { message in
            if !quiet { FileHandle.standardError.write(Data(("  " + message + "\n").utf8)) }
        })
        do {
            if name == Self.tileTask {
                try TileTasks.runTask(search: input!, task: task!, tasks: tasks, threads: max(1, clustering.options.threads), to: out)
                return
            }
            let stage = Stage(rawValue: name)!
            if stage == .read {
                try runner.read(inputs: inputs, options: clustering.options, to: out)
            } else {
                try runner.run(stage, input: input!, output: out)
            }
        } catch let error where error is StageRunner.Failure || error is ReadError || error is ReportError
                    || error is TileTasks.Failure || error is SectionFile.Failure {
            FileHandle.standardError.write(Data("newscluster: \(error)\n".utf8))
            throw ExitCode(1)
        }
    }
}
