import ArgumentParser
import Foundation
import NewsCluster

struct State: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Inspect a nightly state file (see cluster --state); the file is opened read-only and never changed.",
        discussion: "Exit codes: 0 success; 1 the file is missing, not a readable state, or written by a newer newscluster.",
        subcommands: [Info.self, History.self])

    struct Info: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Print what a state file holds.")

        @Argument(help: ArgumentHelp("State file written by `cluster --state`.", valueName: "file"))
        var file: String

        @Flag(help: "Print a JSON object (schema \"\(StateStore.Info.format)\") instead of text.")
        var json = false

        func run() throws {
            let info = try State.read(file) { try $0.info() }
            if json { return try State.printJSON(info) }
            let schema = info.upgradedByNextRun
                ? "\(info.schema), older than this newscluster's \(StateStore.schema): the next `cluster --state` run upgrades it"
                : "\(info.schema)"
            let lastRun = info.lastRun.map { finished in
                " (last finished \(finished)" + (info.lastRunArticles.map { ", \($0) articles" } ?? "") + ")"
            }
            print("""
                state:            \(file)
                schema:           \(schema)
                written by:       \(info.writtenBy.map { "newscluster \($0)" } ?? "unknown (recorded from schema 4 on)")
                articles:         \(info.articles)
                stories:          \(info.stories) (\(info.activeStories) active)
                duplicate groups: \(info.duplicateGroups)
                judgements:       \(info.judgements)
                runs:             \(info.runs)\(lastRun ?? "")
                size:             \(info.bytes) bytes
                """)
        }
    }

    struct History: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List the runs a state file remembers and what happened to stories and duplicate groups in each.",
            discussion: """
            The text lists every story event and counts the duplicate groups' events per run; \
            --json lists every event of both.
            """)

        @Argument(help: ArgumentHelp("State file written by `cluster --state`.", valueName: "file"))
        var file: String

        @Flag(help: "Print a JSON object (schema \"\(StateStore.History.format)\") instead of text.")
        var json = false

        func run() throws {
            let history = try State.read(file) { try $0.history() }
            if json { return try State.printJSON(history) }
            var lines = ["state: \(file)"]
            if history.runs.isEmpty { lines.append("no finished run") }
            for run in history.runs {
                lines.append("")
                lines.append("run \(run.number)  finished \(run.finished)  \(run.articles) articles (\(run.tokenizedArticles) tokenized)  "
                             + "\(run.stories) stories" + (run.toolVersion.map { "  newscluster \($0)" } ?? ""))
                for event in run.events where event.kind == .story {
                    lines.append("  story \(event.id) \(Self.describe(event.change))"
                                 + (event.headline.isEmpty ? "" : "  \"\(event.headline)\""))
                }
                var groupEvents: [(name: String, count: Int)] = []
                for event in run.events where event.kind == .duplicateGroup {
                    if let index = groupEvents.firstIndex(where: { $0.name == event.name }) {
                        groupEvents[index].count += 1
                    } else {
                        groupEvents.append((event.name, 1))
                    }
                }
                if !groupEvents.isEmpty {
                    lines.append("  duplicate groups: " + groupEvents.map { "\($0.count) \($0.name)" }.joined(separator: ", "))
                }
                if run.events.isEmpty { lines.append("  no changes") }
            }
            print(lines.joined(separator: "\n"))
        }

        static func describe(_ change: StateStore.History.Event.Change) -> String {
            switch change {
            case .new: "new"
            case .grown(let added): "grown by \(added)"
            case .merged(let into): "merged into \(into)"
            case .split(let parts): "split off \(parts.joined(separator: ", "))"
            case .left: "left"
            case .dissolved: "dissolved"
            case .other(let name, let detail): detail.isEmpty ? name : "\(name) \(detail)"
            }
        }
    }

    /// What `body` reads from the state at `path`, opened read-only; a state that cannot be
    /// read ends the command with its reason and exit code 1.
    static func read<Value>(_ path: String, _ body: (StateStore) throws -> Value) throws -> Value {
        do {
            return try body(StateStore(path: path, access: .readOnly))
        } catch let error as StateStore.StateError {
            FileHandle.standardError.write(Data("newscluster: \(error)\n".utf8))
            throw ExitCode(1)
        } catch {
            FileHandle.standardError.write(Data("newscluster: cannot read the state \(path): \(error)\n".utf8))
            throw ExitCode(1)
        }
    }

    static func printJSON(_ value: some Encodable) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        print(String(decoding: try encoder.encode(value), as: UTF8.self))
    }
}
