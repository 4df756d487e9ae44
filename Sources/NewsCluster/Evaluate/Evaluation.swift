import Foundation

/// Scores a `cluster` run against a labelled corpus folder: `gold.tsv` (stories, optionally
/// duplicate groups) and/or `pairs.tsv` (labelled pairs). Articles of the gold that the run
/// does not list count as singleton stories, as in the shared `score.py`.
public struct Evaluation: Sendable, Codable {
    struct PairReport: Sendable, Codable {
        /// `binary` (`same_story`) or `graded` (`overall`).
        var kind: String
        var all: PairMetrics
        var byLanguage: [String: PairMetrics]

        enum CodingKeys: String, CodingKey {
            case kind, all
            case byLanguage = "by_lang"
        }
    }

    var corpus: String
    public var articles: Int
    var missingFromPrediction: Int
    var extraIDsIgnored: Int
    var clusters: ClusterMetrics?
    var duplicates: DuplicateMetrics?
    var pairs: PairReport?

    enum CodingKeys: String, CodingKey {
        case corpus, articles, clusters, duplicates, pairs
        case missingFromPrediction = "missing_from_prediction"
        case extraIDsIgnored = "extra_ids_ignored"
    }

    public enum Failure: Error, CustomStringConvertible {
        case noLabels(String)
        case unreadable(String)
        case badColumn(file: String, column: String)

        public var description: String {
            switch self {
            case .noLabels(let directory): return "\(directory): neither gold.tsv nor pairs.tsv"
            case .unreadable(let path): return "\(path): cannot read"
            case .badColumn(let file, let column): return "\(file): no column \"\(column)\""
            }
        }
    }

    /// - Parameters:
    ///   - gold: a corpus folder with `gold.tsv` and/or `pairs.tsv`.
    ///   - run: an output folder of `cluster` (its `articles.jsonl`), or that file itself.
    public init(gold: String, run: String) throws {
        let goldURL = URL(fileURLWithPath: gold)
        corpus = goldURL.lastPathComponent
        var isDirectory: ObjCBool = false
        let predictionsPath = FileManager.default.fileExists(atPath: run, isDirectory: &isDirectory)
            && isDirectory.boolValue ? run + "/articles.jsonl" : run
        let predictions = try Self.readPredictions(predictionsPath)
        let goldTable = goldURL.appendingPathComponent("gold.tsv").path
        let pairsTable = goldURL.appendingPathComponent("pairs.tsv").path
        let hasGold = FileManager.default.fileExists(atPath: goldTable)
        let hasPairs = FileManager.default.fileExists(atPath: pairsTable)
        guard hasGold || hasPairs else { throw Failure.noLabels(gold) }

        // A missing or null story is a singleton of its own.
        func story(_ id: String) -> String {
            if let story = predictions[id]?.story { return "s\u{0}" + story }
            return "single\u{0}" + id
        }

        var ids: [String]
        if hasGold {
            let rows = try TSV(path: goldTable)
            ids = try rows.column("id")
            let stories = try rows.column("story")
            clusters = ClusterMetrics(gold: stories, predicted: ids.map(story))
            if rows.header.contains("duplicate_group") {
                let gold = try rows.column("duplicate_group").map { $0.isEmpty ? nil : $0 }
                duplicates = DuplicateMetrics(
                    gold: gold, predicted: ids.map { predictions[$0]?.duplicateGroup },
                    predictedStories: ids.map(story))
            }
        } else {
            ids = Self.corpusIDs(goldURL.appendingPathComponent("articles.jsonl").path) ?? []
        }
        if hasPairs {
            let rows = try TSV(path: pairsTable)
            let first = try rows.column("id1"), second = try rows.column("id2")
            if ids.isEmpty { ids = Array(Set(first + second)).sorted() }
            let together = zip(first, second).map { story($0) == story($1) }
            let graded = rows.header.contains("overall")
            let labels = try rows.column(graded ? "overall" : "same_story")
            let languages = rows.header.contains("lang") ? try rows.column("lang") : nil
            func block(_ indices: [Int]) -> PairMetrics {
                graded
                    ? PairMetrics(graded: indices.map { (together[$0], Double(labels[$0]) ?? 0) })
                    : PairMetrics(binary: indices.map { (together[$0], (Int(labels[$0]) ?? 0) == 1) })
            }
            var byLanguage: [String: PairMetrics] = [:]
            if let languages {
                for language in Set(languages) {
                    byLanguage[language] = block(languages.indices.filter { languages[$0] == language })
                }
            }
            pairs = PairReport(kind: graded ? "graded" : "binary", all: block(Array(together.indices)),
                               byLanguage: byLanguage)
        }
        let idSet = Set(ids)
        articles = ids.count
        missingFromPrediction = ids.filter { predictions[$0] == nil }.count
        extraIDsIgnored = predictions.keys.filter { !idSet.contains($0) }.count
    }

    struct Prediction {
        var story: String?
        var duplicateGroup: String?
    }

    /// `id` → (story, duplicate group); the first line of an id wins.
    static func readPredictions(_ path: String) throws -> [String: Prediction] {
        guard let data = FileManager.default.contents(atPath: path) else { throw Failure.unreadable(path) }
        var result: [String: Prediction] = [:]
        for line in data.split(separator: 0x0A) where !line.allSatisfy({ $0 == 0x20 || $0 == 0x0D }) {
            guard let object = try? JSONSerialization.jsonObject(with: Data(line)) as? [String: Any],
                  let id = label(object["id"]), result[id] == nil else { continue }
            result[id] = Prediction(story: label(object["story"]), duplicateGroup: label(object["duplicate_group"]))
        }
        return result
    }

    /// A label as text: strings as they are, integral numbers without ".0", "" and null as nil.
    static func label(_ value: Any?) -> String? {
        switch value {
        case let text as String: return text.isEmpty ? nil : text
        case let number as NSNumber:
            let double = number.doubleValue
            return double == double.rounded() && abs(double) < 1e15 ? String(Int64(double)) : "\(double)"
        default: return nil
        }
    }

    static func corpusIDs(_ path: String) -> [String]? {
        guard let data = FileManager.default.contents(atPath: path) else { return nil }
        return data.split(separator: 0x0A).compactMap { line in
            (try? JSONSerialization.jsonObject(with: Data(line)) as? [String: Any]).flatMap { label($0["id"]) }
        }
    }
}

/// A tab-separated table with a header line.
struct TSV {
    var path: String
    var header: [String]
    var rows: [[String]]

    init(path: String) throws {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
            throw Evaluation.Failure.unreadable(path)
        }
        self.path = path
        var lines = text.split(whereSeparator: { $0 == "\n" || $0 == "\r\n" }).map {
            $0.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
        }
        header = lines.isEmpty ? [] : lines.removeFirst()
        rows = lines
    }

    func column(_ name: String) throws -> [String] {
        guard let index = header.firstIndex(of: name) else {
            throw Evaluation.Failure.badColumn(file: path, column: name)
        }
        return rows.map { index < $0.count ? $0[index] : "" }
    }
}
