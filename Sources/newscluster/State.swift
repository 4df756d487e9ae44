import ArgumentParser
import Foundation
import NewsCluster

struct State: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Inspect a nightly state file (see cluster --state).",
        subcommands: [Info.self])

    struct Info: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Print what a state file holds.")

        @Argument(help: ArgumentHelp("State file written by `cluster --state`.", valueName: "file"))
        var file: String

        func run() throws {
            guard FileManager.default.fileExists(atPath: file) else {
                FileHandle.standardError.write(Data("newscluster: no state file at \(file)\n".utf8))
                throw ExitCode(1)
            }
            let info = try StateStore(path: file).info()
            print("""
                state:            \(file)
                articles:         \(info.articles)
                stories:          \(info.stories) (\(info.activeStories) active)
                duplicate groups: \(info.duplicateGroups)
                runs:             \(info.runs)\(info.lastRun.map { " (last finished \($0))" } ?? "")
                size:             \(info.bytes) bytes
                """)
        }
    }
}
