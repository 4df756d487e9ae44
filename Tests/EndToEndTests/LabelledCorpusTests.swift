import Foundation
import Testing

/// The labelled corpora of `../shared/corpora` (evaluation only; never copied here). Skipped
/// cleanly when the folder is absent.
enum SharedCorpora {
    static let directory = Binary.packageRoot.deletingLastPathComponent()
        .appendingPathComponent("shared/corpora")

    static var available: Bool {
        FileManager.default.fileExists(atPath: directory.appendingPathComponent("score.py").path)
    }

    static var names: [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? [])
            .filter { FileManager.default.fileExists(atPath: directory.appendingPathComponent("\($0)/articles.jsonl").path) }
            .sorted()
    }

    static func path(_ name: String) -> String { directory.appendingPathComponent(name).path }

    static var pythonWithNumpy: Bool {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", "import numpy"]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        guard (try? process.run()) != nil else { return false }
        process.waitUntilExit()
        return process.terminationStatus == 0
    }

    /// Clusters a corpus with the default options into a fresh directory.
    static func cluster(_ name: String) throws -> TemporaryDirectory {
        let out = try TemporaryDirectory()
        let result = try Binary.run(["cluster", path(name), "--out", out.path, "--quiet"])
        #expect(result.status == 0, "\(name): \(result.stderr)")
        return out
    }

    static func json(_ text: String) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
    }
}

@Suite(.enabled(if: SharedCorpora.available, "../shared/corpora is absent"), .serialized)
struct LabelledCorpusTests {
    /// `newscluster evaluate` and the shared `score.py` agree to 1e-6 on every corpus.
    @Test(.enabled(if: SharedCorpora.pythonWithNumpy, "python3 with numpy is absent"),
          arguments: SharedCorpora.names)
    func evaluateAgreesWithScorePy(corpus: String) throws {
        let out = try SharedCorpora.cluster(corpus)
        defer { out.remove() }
        let ours = try SharedCorpora.json(try Binary.run(
            ["evaluate", "--gold", SharedCorpora.path(corpus), "--run", out.path, "--json"]).stdout)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", SharedCorpora.directory.appendingPathComponent("score.py").path,
                             SharedCorpora.path(corpus), out.file("articles.jsonl"), "--json"]
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let theirs = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        var compared = 0
        func close(_ a: Any?, _ b: Any?, _ what: String) {
            guard let x = (a as? NSNumber)?.doubleValue, let y = (b as? NSNumber)?.doubleValue else {
                Issue.record("\(corpus) \(what): missing (\(String(describing: a)) vs \(String(describing: b)))")
                return
            }
            compared += 1
            #expect(abs(x - y) <= 1e-6, "\(corpus) \(what): \(x) vs score.py \(y)")
        }
        if let c = theirs["clusters"] as? [String: Any] {
            let mine = try #require(ours["clusters"] as? [String: Any])
            for key in ["bcubed_p", "bcubed_r", "bcubed_f1", "pair_p", "pair_r", "pair_f1", "ari", "nmi",
                        "homogeneity", "completeness", "v_measure"] {
                close(mine[key], c[key], key)
            }
            close(mine["gold_clusters"], c["gold_clusters"], "gold_clusters")
            close(mine["predicted_clusters"], c["pred_clusters"], "pred_clusters")
        }
        if let d = theirs["duplicates"] as? [String: Any] {
            let mine = try #require(ours["duplicates"] as? [String: Any])
            for key in ["p", "r", "f1", "pairs_gold", "pairs_pred", "pairs_tp", "gold_dup_pairs_same_story"] {
                close(mine[key], d[key], "duplicates.\(key)")
            }
        }
        if let p = theirs["pairs"] as? [String: Any] {
            let mine = try #require(ours["pairs"] as? [String: Any])
            var blocks = [("all", p["all"], mine["all"])]
            let theirLanguages = (p["by_lang"] as? [String: Any]) ?? [:]
            let myLanguages = (mine["by_lang"] as? [String: Any]) ?? [:]
            #expect(Set(theirLanguages.keys) == Set(myLanguages.keys))
            for (language, block) in theirLanguages { blocks.append((language, block, myLanguages[language])) }
            for (name, theirBlock, myBlock) in blocks {
                let t = try #require(theirBlock as? [String: Any]), m = try #require(myBlock as? [String: Any])
                for key in ["n", "positives", "p", "r", "f1", "accuracy"] { close(m[key], t[key], "pairs.\(name).\(key)") }
            }
        }
        #expect(compared > 5, "\(corpus): nothing compared")
    }

    /// The default options must not fall more than 0.01 below the BCubed F1 the accuracy table
    /// (docs/accuracy.md, made by `make eval`) shows.
    @Test(arguments: ["ecbplus-traindev", "ecbplus-traindev-scraped"])
    func qualityFloor(corpus: String) throws {
        if !SharedCorpora.names.contains(corpus) {
            try Test.cancel("\(corpus) is not in ../shared/corpora")
        }
        let table = try String(contentsOf: Binary.packageRoot.appendingPathComponent("docs/accuracy.md"), encoding: .utf8)
        let expected = try #require(Self.readmeFigure(table, corpus: corpus, column: "BCubed F1"),
                                    "docs/accuracy.md has no BCubed F1 for \(corpus)")
        let out = try SharedCorpora.cluster(corpus)
        defer { out.remove() }
        let scores = try SharedCorpora.json(try Binary.run(
            ["evaluate", "--gold", SharedCorpora.path(corpus), "--run", out.path, "--json"]).stdout)
        let f1 = try #require((scores["clusters"] as? [String: Any])?["bcubed_f1"] as? Double)
        #expect(f1 >= expected - 0.01, "\(corpus): BCubed F1 \(f1), docs/accuracy.md says \(expected)")
    }

    /// The figure in `column` of the accuracy table row whose first cell is `corpus`.
    static func readmeFigure(_ readme: String, corpus: String, column: String) -> Double? {
        var header: [String]?
        for line in readme.split(separator: "\n") where line.hasPrefix("|") {
            let cells = line.split(separator: "|", omittingEmptySubsequences: false)
                .map { $0.trimmingCharacters(in: .whitespaces) }
            if cells.contains(column) { header = cells; continue }
            guard let header, cells.count == header.count, cells[1] == corpus,
                  let index = header.firstIndex(of: column) else { continue }
            return Double(cells[index])
        }
        return nil
    }
}
