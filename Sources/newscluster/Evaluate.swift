import ArgumentParser
import Foundation
import NewsCluster

struct Evaluate: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Score a cluster run against a labelled corpus.",
        discussion: """
        --gold is a corpus folder with gold.tsv (id, story[, duplicate_group]) and/or pairs.tsv \
        (id1, id2 and same_story 1/0, or overall 1..4 with 1 = same story). --run is an output \
        folder of `newscluster cluster` (or its articles.jsonl).
        """)

    @Option(help: ArgumentHelp("Corpus folder with gold.tsv or pairs.tsv.", valueName: "dir"))
    var gold: String

    @Option(name: .customLong("run"), help: ArgumentHelp("Output folder of `newscluster cluster`.", valueName: "dir"))
    var runDirectory: String

    @Flag(help: "Print JSON instead of a table.")
    var json = false

    func run() throws {
        do {
            let evaluation = try Evaluation(gold: gold, run: runDirectory)
            if json {
                FileHandle.standardOutput.write(try evaluation.json())
            } else {
                print(evaluation.text, terminator: "")
            }
        } catch let failure as Evaluation.Failure {
            FileHandle.standardError.write(Data("newscluster: \(failure)\n".utf8))
            throw ExitCode(1)
        }
    }
}
