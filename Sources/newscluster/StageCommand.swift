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
        And the tasks of a run that cluster --tasks shared out (the Spark driver in scaleout/ runs \
        them on executors), each --in FILE --task T --out PART: read-task, terms-task, vectors-task \
        (one input shard each) and tile-task (a share of the neighbour search's tiles). \
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

    @Option(help: ArgumentHelp("With a task: which task (0 to its count - 1).", valueName: "t"))
    var task: Int?

    @Option(help: ArgumentHelp("With a task: the task count, checked against --in.", valueName: "n"))
    var tasks: Int?

    @Flag(help: "Print nothing but errors.")
    var quiet = false

    /// The task stages, by the kind of task each runs.
    static let taskStages = Dictionary(uniqueKeysWithValues: TaskExchange.Kind.allCases.map {
        ($0 == .tiles ? "tile-task" : "\($0.rawValue)-task", $0)
    })

    func validate() throws {
        if Self.taskStages[name] != nil {
            guard input != nil, inputs.isEmpty else { throw ValidationError("\(name) reads --in FILE, the file cluster --tasks wrote.") }
            guard let task, task >= 0 else { throw ValidationError("\(name) needs --task T (0 or more).") }
            if let tasks, task >= tasks { throw ValidationError("--task must be below --tasks.") }
            return
        }
        guard task == nil, tasks == nil else { throw ValidationError("--task and --tasks go with the task stages only (\(Self.taskStages.keys.sorted().joined(separator: ", "))).") }
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
            if let kind = Self.taskStages[name] {
                let threads = max(1, clustering.options.threads)
                switch kind {
                case .read: try ReadTasks.runTask(plan: input!, task: task!, tasks: tasks, threads: threads, to: out)
                case .terms: try TermTasks.runTask(work: input!, task: task!, tasks: tasks, threads: threads, to: out)
                case .vectors: try VectorTasks.runTask(work: input!, task: task!, tasks: tasks, threads: threads, to: out)
                case .tiles: try TileTasks.runTask(search: input!, task: task!, tasks: tasks, threads: threads, to: out)
                }
                return
            }
            let stage = Stage(rawValue: name)!
            if stage == .read {
                try runner.read(inputs: inputs, options: clustering.options, to: out)
            } else {
                try runner.run(stage, input: input!, output: out)
            }
        } catch let error where error is StageRunner.Failure || error is ReadError || error is ReportError
                    || error is TaskFailure || error is SectionFile.Failure {
            FileHandle.standardError.write(Data("newscluster: \(error)\n".utf8))
            throw ExitCode(1)
        }
    }
}
