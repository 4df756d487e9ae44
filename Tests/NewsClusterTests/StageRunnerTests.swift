import Foundation
import Testing
@testable import NewsCluster

/// The failure `body` throws, if it is a `StageRunner.Failure`.
private func failure(_ body: () throws -> Void) -> StageRunner.Failure? {
    do {
        try body()
        return nil
    } catch let failure as StageRunner.Failure {
        return failure
    } catch {
        Issue.record("unexpected error \(error)")
        return nil
    }
}

extension UsesOpenBLAS {
    @Suite("StageRunner")
    struct StageRunnerTests {
        @Test func chainedStagesWriteTheReportsOfACluster() throws {
            let corpus = StageCorpus()
            defer { corpus.remove() }
            let runner = StageRunner()
            var previous = corpus.directory + "/read.json"
            try runner.read(inputs: [corpus.input], options: corpus.options, to: previous)
            for stage in Stage.chain.dropFirst() {
                let output = corpus.directory + (stage == .report ? "/staged" : "/\(stage.rawValue).json")
                try runner.run(stage, input: previous, output: output)
                previous = output
            }
            _ = try Pipeline(options: corpus.options).run(inputs: [corpus.input], outputDirectory: corpus.directory + "/cluster")
            for name in ["articles.jsonl", "stories.json"] {
                let staged = try #require(FileManager.default.contents(atPath: corpus.directory + "/staged/" + name))
                let clustered = try #require(FileManager.default.contents(atPath: corpus.directory + "/cluster/" + name))
                #expect(staged == clustered, "\(name) differs")
            }
            #expect(try FileManager.default.contentsOfDirectory(atPath: corpus.directory + "/staged").sorted()
                    == ["articles.jsonl", "report.html", "run.json", "stories.json"])
        }

        @Test func eachStageFileNamesItsStageAndCarriesTheOptions() throws {
            var corpus = StageCorpus()
            defer { corpus.remove() }
            corpus.options.related = 2
            let runner = StageRunner()
            let read = corpus.directory + "/read.json", clean = corpus.directory + "/clean.json"
            try runner.read(inputs: [corpus.input], options: corpus.options, to: read)
            try runner.run(.clean, input: read, output: clean)
            for (path, stage) in [(read, "read"), (clean, "clean")] {
                let data = try #require(FileManager.default.contents(atPath: path))
                let object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
                #expect(object["format"] as? String == "newscluster-stage-1")
                #expect(object["stage"] as? String == stage)
                let options = try #require(object["options"] as? [String: Any])
                #expect(options["related"] as? Int == 2)
            }
        }

        @Test func fileOfTheWrongStageIsRefused() throws {
            let corpus = StageCorpus()
            defer { corpus.remove() }
            let runner = StageRunner()
            let read = corpus.directory + "/read.json"
            try runner.read(inputs: [corpus.input], options: corpus.options, to: read)
            let output = corpus.directory + "/out.json"
            #expect(failure { try runner.run(.tokenize, input: read, output: output) }
                    == .wrongStage(path: read, holds: .read, expected: .clean))
            #expect(failure { try runner.run(.report, input: read, output: corpus.directory + "/reports") }
                    == .wrongStage(path: read, holds: .read, expected: .describe))
            #expect(!FileManager.default.fileExists(atPath: output))
            let description = StageRunner.Failure.wrongStage(path: read, holds: .read, expected: .clean).description
            #expect(description == "\(read) holds the output of stage read; this stage reads the output of clean")
        }

        @Test(arguments: ["not json at all", "{}", "{\"format\": \"newscluster-stage-1\", \"stage\": \"bogus\"}", "[1, 2]"])
        func nonStageFileIsNotAStageFile(content: String) throws {
            let directory = Fixtures.temporaryDirectory("newscluster-stagerunner")
            defer { Fixtures.remove(directory) }
            let path = Fixtures.write(content, named: "input.json", in: directory)
            let thrown = failure { try StageRunner().run(.clean, input: path, output: directory + "/out.json") }
            guard case .notAStageFile(let reported, _) = try #require(thrown) else {
                Issue.record("expected notAStageFile, got \(String(describing: thrown))")
                return
            }
            #expect(reported == path)
            #expect(try #require(thrown).description.hasPrefix("\(path): not a newscluster stage file ("))
        }

        @Test func otherFormatIsNotAStageFileAndNamesTheFormat() throws {
            let directory = Fixtures.temporaryDirectory("newscluster-stagerunner")
            defer { Fixtures.remove(directory) }
            let path = Fixtures.write("{\"format\": \"newscluster-stage-0\", \"stage\": \"read\"}", named: "old.json", in: directory)
            #expect(failure { try StageRunner().run(.clean, input: path, output: directory + "/out.json") }
                    == .notAStageFile(path: path, reason: "format newscluster-stage-0"))
        }

        @Test func rightHeaderWithABrokenOutputIsNotAStageFile() throws {
            let directory = Fixtures.temporaryDirectory("newscluster-stagerunner")
            defer { Fixtures.remove(directory) }
            let path = Fixtures.write("{\"format\": \"newscluster-stage-1\", \"stage\": \"read\", \"output\": 3}", named: "broken.json", in: directory)
            let thrown = failure { try StageRunner().run(.clean, input: path, output: directory + "/out.json") }
            guard case .notAStageFile(path, _) = try #require(thrown) else {
                Issue.record("expected notAStageFile, got \(String(describing: thrown))")
                return
            }
        }

        @Test(arguments: [Stage.read, .stateRecords, .state, .page, .save, .total])
        func stageThatDoesNotRunFromAFileIsRefused(stage: Stage) throws {
            let directory = Fixtures.temporaryDirectory("newscluster-stagerunner")
            defer { Fixtures.remove(directory) }
            #expect(failure { try StageRunner().run(stage, input: directory + "/in.json", output: directory + "/out.json") }
                    == .notAStage(stage))
        }

        @Test func missingInputIsUnreadable() throws {
            let directory = Fixtures.temporaryDirectory("newscluster-stagerunner")
            defer { Fixtures.remove(directory) }
            #expect(throws: ReadError.self) {
                try StageRunner().run(.clean, input: directory + "/missing.json", output: directory + "/out.json")
            }
        }
    }
}
