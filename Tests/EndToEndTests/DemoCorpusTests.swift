import Foundation
import Testing

/// The shipped demo corpus, clustered by the built binary with default options, against the
/// hand-made labels in `Corpora/demo/gold.tsv`.
@Suite(.serialized)
struct DemoCorpusTests {
    static let corpus = Binary.packageRoot.appendingPathComponent("Corpora/demo").path

    let output: TemporaryDirectory
    let reports: Reports
    let gold: Gold

    init() throws {
        output = try TemporaryDirectory()
        reports = try Reports.ofTheDemo(into: output)
        gold = try Gold(path: Self.corpus + "/gold.tsv")
    }

    @Test func everyInputIDIsReportedOrRejected() throws {
        let input = try String(contentsOfFile: Self.corpus + "/articles.jsonl", encoding: .utf8)
            .split(separator: "\n")
            .map { try #require(JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any])["id"] as? String }
        let reported = Set(reports.storyOf.keys)
        let rejected = reports.rejectedReasons.count
        #expect(reported.count + rejected == input.count)
        for id in input { #expect(reported.contains(id ?? ""), "missing \(id ?? "nil")") }
        let ids = try reports.articles.map { try #require($0["id"] as? String) }
        #expect(reports.articles.count == Set(ids).count)
    }

    @Test func storiesMatchTheGoldWithBCubedF1AtLeast0_9() {
        let f1 = gold.bcubedF1(predicted: reports.storyOf)
        #expect(f1 >= 0.9, "BCubed F1 \(f1)")
    }

    @Test func everyGoldDuplicatePairIsFound() {
        let groups = reports.duplicateGroupOf
        let pairs = gold.duplicatePairs
        #expect(!pairs.isEmpty)
        for (a, b) in pairs {
            #expect(groups[a] != nil && groups[a] == groups[b], "copies \(a) and \(b) not grouped")
        }
    }

    @Test func bishkekStoryHoldsAllItsArticlesAndNothingElse() throws {
        let bishkek = Set(gold.story.filter { $0.value == "bishkek-protests" }.keys)
        #expect(bishkek.count >= 4)
        let stories = reports.storyOf
        let found = Set(bishkek.compactMap { stories[$0] })
        #expect(found.count == 1, "Bishkek articles spread over \(found.count) stories")
        let story = try #require(found.first)
        let members = Set(stories.filter { $0.value == story }.keys)
        #expect(members == bishkek)
    }

    @Test func relatedArticlesComeFromOtherStoriesBestFirst() throws {
        let stories = reports.storyOf
        for article in reports.articles {
            let related = try #require(article["related"] as? [[String: Any]])
            #expect(related.count <= 5)
            let scores = try related.map { try #require($0["score"] as? Double) }
            #expect(scores == scores.sorted(by: >))
            for entry in related {
                let id = try #require(entry["id"] as? String)
                #expect(stories[id] != article["story"] as? String)
                #expect(entry["story"] as? String == stories[id])
            }
        }
    }

    @Test func storiesDescribeTheirMembers() throws {
        #expect(reports.stories.count == Set(reports.storyOf.values).count)
        let sizes = try reports.stories.map { try #require($0["size"] as? Int) }
        #expect(sizes == sizes.sorted(by: >))
        for story in reports.stories {
            let members = try #require(story["members"] as? [[String: Any]])
            #expect(members.count == story["size"] as? Int)
            #expect(!(story["headline"] as? String ?? "").isEmpty)
            #expect(!(story["terms"] as? [String] ?? []).isEmpty)
            let ids = Set(try members.map { try #require($0["id"] as? String) })
            #expect(ids == Set(reports.storyOf.filter { $0.value == story["id"] as? String }.keys))
        }
        // Every story's members and their ids were required above.
        let bishkek = try #require(reports.stories.first {
            ($0["members"] as? [[String: Any]] ?? []).contains { gold.story[$0["id"] as? String ?? ""] == "bishkek-protests" }
        })
        let terms = try #require(bishkek["terms"] as? [String])
        #expect(terms.contains("bishkek") || terms.contains("kyrgyz") || terms.contains("kyrgyzstan"), "\(terms)")
    }

    @Test func runManifestNamesAFastBLASCoreAndCounts() throws {
        let blas = try #require(reports.run["blas"] as? [String: Any])
        let core = try #require(blas["core"] as? String)
        let flags = (try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8)) ?? ""
        if flags.contains(" avx2") {
            #expect(core.lowercased() != "prescott", "OpenBLAS runs \(core) kernels")
        }
        #expect((blas["threads"] as? Int ?? 0) >= 1)
        let counts = try #require(reports.run["counts"] as? [String: Any])
        #expect(counts["articles"] as? Int == reports.articles.count)
        #expect((counts["boilerplate_lines_removed"] as? Int ?? 0) > 0)
        let timings = try #require(reports.run["timings"] as? [String: Double])
        for stage in ["read", "clean", "tokenize", "vectorize", "neighbors", "group", "describe", "report", "total"] {
            #expect(timings[stage] != nil, "no timing for \(stage)")
        }
    }

    @Test func fastKernelsAreChosenWithoutTheUsersHelp() throws {
        // With OPENBLAS_CORETYPE unset, the tool itself must avoid the slow fallback kernels.
        var environment = ProcessInfo.processInfo.environment
        environment["OPENBLAS_CORETYPE"] = nil
        environment["NEWSCLUSTER_BLAS_REEXEC"] = nil
        let out = try TemporaryDirectory()
        defer { out.remove() }
        let result = try Binary.run(["cluster", Self.corpus, "--out", out.path, "--quiet"], environment: environment)
        #expect(result.status == 0)
        let run = try Reports(directory: out.path).run
        let core = (run["blas"] as? [String: Any])?["core"] as? String ?? ""
        let flags = (try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8)) ?? ""
        if flags.contains(" avx2") { #expect(!["prescott", "core2", "nehalem", "unknown"].contains(core.lowercased())) }
    }

    @Test func sameInputGivesByteIdenticalReports() throws {
        let again = try TemporaryDirectory()
        defer { again.remove() }
        let result = try Binary.run(["cluster", Self.corpus, "--out", again.path, "--quiet", "--threads", "1"])
        #expect(result.status == 0)
        for name in ["articles.jsonl", "stories.json"] {
            let first = try Data(contentsOf: output.url.appendingPathComponent(name))
            let second = try Data(contentsOf: again.url.appendingPathComponent(name))
            #expect(first == second, "\(name) differs between runs")
        }
    }

    @Test func aRunThatReadsTheTextsTwiceGivesByteIdenticalReports() throws {
        let streamed = try TemporaryDirectory()
        defer { streamed.remove() }
        let result = try Binary.run(["cluster", Self.corpus, "--out", streamed.path, "--quiet", "--read-texts-twice"])
        #expect(result.status == 0, "\(result.stderr)")
        for name in ["articles.jsonl", "stories.json"] {
            let first = try Data(contentsOf: output.url.appendingPathComponent(name))
            let second = try Data(contentsOf: streamed.url.appendingPathComponent(name))
            #expect(first == second, "\(name) differs when the texts are read twice")
        }
    }
}
