import ArgumentParser
import Foundation
import NewsCluster

@main
struct NewsClusterCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "newscluster",
        abstract: "Deduplicates and clusters news articles into stories.",
        version: Pipeline.version,
        subcommands: [Cluster.self, Evaluate.self, State.self, StageCommand.self])

    static func main() {
        // Must run before anything else touches BLAS: may re-execute the process.
        FastKernels.ensure()
        do {
            var command = try parseAsRoot()
            try command.run()
        } catch {
            exit(withError: error)
        }
    }
}
