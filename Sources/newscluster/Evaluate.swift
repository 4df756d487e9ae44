import ArgumentParser
import Foundation
import NewsCluster

struct Evaluate: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Score a cluster run against a labelled corpus, or against editors' judgements.",
        discussion: """
        --gold is a corpus folder with gold.tsv (id, story[, duplicate_group]) and/or pairs.tsv \
        (id1, id2 and same_story 1/0, or overall 1..4 with 1 = same story). --judgements is a \
        judgements.json exported from the review page: the share of judgements the run already \
        satisfies. --run is an output folder of `newscluster cluster` (or its articles.jsonl).
        """)

    @Option(help: ArgumentHelp("Corpus folder with gold.tsv or pairs.tsv.", valueName: "dir"))
    var gold: String?

    @Option(help: ArgumentHelp("Editors' judgements (judgements.json; repeat for several files).", valueName: "file"))
    var judgements: [String] = []

    @Option(name: .customLong("run"), help: ArgumentHelp("Output folder of `newscluster cluster`.", valueName: "dir"))
    var runDirectory: String

    @Flag(help: "Print JSON instead of a table.")
    var json = false

    func validate() throws {
        guard (gold == nil) != judgements.isEmpty else {
            throw ValidationError("Give either --gold or --judgements.")
        }
    }

    func run() throws {
        do {
            // Both print a table, or JSON with --json.
            let (text, data): (String, () throws -> Data)
            if let gold {
                let evaluation = try Evaluation(gold: gold, run: runDirectory)
                (text, data) = (evaluation.text, evaluation.json)
            } else {
                let evaluation = try JudgementEvaluation(judgementFiles: judgements, run: runDirectory)
                (text, data) = (evaluation.text, evaluation.json)
            }
            if json {
                FileHandle.standardOutput.write(try data())
            } else {
                print(text, terminator: "")
            }
        } catch let error as JudgementsError {
            FileHandle.standardError.write(Data("newscluster: \(error)\n".utf8))
            throw ExitCode(1)
        } catch let failure as Evaluation.Failure {
            FileHandle.standardError.write(Data("newscluster: \(failure)\n".utf8))
            throw ExitCode(1)
        }
    }
}
