import Foundation
import Testing
@testable import NewsCluster

/// Shared helpers for the unit tests: temporary directories and files, small article sets,
/// random sparse matrices with a fixed seed.
enum Fixtures {
    /// A fresh, empty directory under the system temporary directory.
    static func temporaryDirectory(_ label: String = "newscluster-tests") -> String {
        let path = (NSTemporaryDirectory() as NSString).appendingPathComponent("\(label)-\(UUID().uuidString)")
        try! FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    /// Writes `bytes` to `name` inside `directory` and returns the full path.
    @discardableResult
    static func write(_ bytes: [UInt8], named name: String, in directory: String) -> String {
        let path = directory + "/" + name
        precondition(FileManager.default.createFile(atPath: path, contents: Data(bytes)), "cannot write \(path)")
        return path
    }

    @discardableResult
    static func write(_ text: String, named name: String, in directory: String) -> String {
        write(Array(text.utf8), named: name, in: directory)
    }

    /// Writes a JSONL file (one line per element, each ending with `\n`) into a fresh temporary
    /// directory; returns the file path.
    static func jsonlFile(_ lines: [String], name: String = "input.jsonl") -> String {
        let directory = temporaryDirectory()
        return write(lines.map { $0 + "\n" }.joined(), named: name, in: directory)
    }

    /// One JSONL line for an article, keys sorted so the line is stable.
    static func jsonLine(
        id: String, title: String? = nil, text: String, source: String? = nil, url: String? = nil,
        published: String? = nil, language: String? = nil
    ) -> String {
        var object: [String: String] = ["id": id, "text": text]
        if let title { object["title"] = title }
        if let source { object["source"] = source }
        if let url { object["url"] = url }
        if let published { object["published"] = published }
        if let language { object["language"] = language }
        let data = try! JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
        return String(decoding: data, as: UTF8.self)
    }

    static func remove(_ path: String) {
        try? FileManager.default.removeItem(atPath: path)
    }

    /// Small articles with ids `a0`, `a1`, …
    static func articles(_ texts: [String], titles: [String]? = nil, published: [Double?]? = nil) -> [Article] {
        texts.enumerated().map { index, text in
            Article(id: "a\(index)", title: titles?[index] ?? "", text: text,
                    published: published?[index] ?? nil)
        }
    }

    /// A sparse matrix with L2-normalised rows.
    static func normalizedMatrix(_ rows: [[(Int32, Float)]], columnCount: Int) -> SparseMatrix {
        let normalized = rows.map { row -> [(Int32, Float)] in
            let norm = row.reduce(Float(0)) { $0 + $1.1 * $1.1 }.squareRoot()
            return row.map { ($0.0, norm > 0 ? $0.1 / norm : 0) }
        }
        return SparseMatrix(rows: normalized, columnCount: columnCount)
    }

    /// `count` random sparse unit rows with `nonzeros` distinct columns each among `columns`.
    static func randomSparseRows(
        count: Int, columns: Int, nonzeros: Int, using generator: inout SeededGenerator
    ) -> [[(Int32, Float)]] {
        (0..<count).map { _ in
            var chosen = Set<Int32>()
            while chosen.count < nonzeros { chosen.insert(Int32.random(in: 0..<Int32(columns), using: &generator)) }
            return chosen.sorted().map { ($0, Float.random(in: 0.1...1, using: &generator)) }
        }
    }

    /// Dense copy of a sparse row.
    static func dense(_ matrix: SparseMatrix, row: Int) -> [Float] {
        var result = [Float](repeating: 0, count: matrix.columnCount)
        let (columns, values) = matrix.row(row)
        for (column, value) in zip(columns, values) { result[Int(column)] = value }
        return result
    }

    /// Distinct 64-bit term hashes for `count` columns.
    static func termHashes(_ count: Int) -> [UInt64] {
        (0..<count).map { ShingleSketch.mix(0x1234_5678, UInt64($0)) }
    }

    static func edge(_ a: Int, _ b: Int, _ score: Float) -> NeighborSearch.Edge {
        NeighborSearch.Edge(a: Int32(a), b: Int32(b), score: score)
    }
}

/// SplitMix64: a small deterministic generator so random fixtures are the same in every run.
struct SeededGenerator: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9e37_79b9_7f4a_7c15
        var z = state
        z = (z ^ (z >> 30)) &* 0xbf58_476d_1ce4_e5b9
        z = (z ^ (z >> 27)) &* 0x94d8_49fb_1133_111b
        return z ^ (z >> 31)
    }
}

/// The token hash of an already folded token, as the tokenizer computes it.
func tokenHash(_ token: String) -> UInt64 {
    Array(token.utf8).withUnsafeBufferPointer(Tokenizer.hash)
}

extension Fixtures {
    /// A neighbour graph scored by brute force: every pair with a positive dot product is a
    /// candidate, pairs reaching `edgeFloor` are edges.
    static func bruteForceGraph(_ matrix: SparseMatrix, edgeFloor: Float = 0.1) -> NeighborSearch.Graph {
        let n = matrix.rowCount
        var edges: [NeighborSearch.Edge] = []
        var candidates = [[NeighborSearch.Neighbor]](repeating: [], count: n)
        for a in 0..<n {
            for b in (a + 1)..<max(a + 1, n) {
                let score = matrix.dot(a, b)
                guard score > 0 else { continue }
                candidates[a].append(.init(index: Int32(b), score: score))
                candidates[b].append(.init(index: Int32(a), score: score))
                if score >= edgeFloor { edges.append(edge(a, b, score)) }
            }
        }
        for index in 0..<n {
            candidates[index].sort { $0.score > $1.score || ($0.score == $1.score && $0.index < $1.index) }
        }
        return NeighborSearch.Graph(count: n, edges: edges, candidates: NeighborLists(candidates), stats: .init())
    }

    /// TF-IDF rows of articles, as the pipeline builds them (without boilerplate removal).
    static func vectorize(_ articles: [Article]) -> (SparseMatrix, TFIDFVectorizer.Vocabulary) {
        let documents = articles.map { DocumentTerms(title: $0.title, body: $0.text, titleWeight: 2) }
        return TFIDFVectorizer().fit(documents, groups: documents.map(\.script))
    }
}

/// Suites that call OpenBLAS (sgemm, thread count) nest in this one and run one test at a
/// time: OpenBLAS's thread count is process-wide, and concurrent multithreaded sgemm calls
/// from several test threads are not something the pipeline ever does.
@Suite(.serialized) enum UsesOpenBLAS {}

/// A labelled corpus folder (`my-corpus`, with gold.tsv and optionally pairs.tsv and articles.jsonl)
/// and a `cluster` output folder, in a fresh temporary directory (EvaluationTests, EvaluationReportTests).
struct EvaluationFixture {
    static let gold = """
        id\tstory\tduplicate_group
        a1\tS1\tD1
        a2\tS1\tD1
        a3\tS1\t
        a4\tS2\t
        a5\tS2\t
        7\tS3\t
        a6\tS3\t

        """
    static let pairs = """
        id1\tid2\tsame_story\tlang
        a1\ta2\t1\ten
        a1\ta3\t1\ten
        a4\ta5\t0\tuk
        7\ta6\t1\tuk
        a3\ta4\t0\ten

        """
    static let gradedPairs = """
        id1\tid2\toverall
        a1\ta2\t1.0
        a1\ta3\t1.5
        a4\ta5\t2.5
        7\ta6\t4
        a3\ta4\t3.5

        """
    /// Predicted stories: {a1, a2} (0), {a3, a4, a5} (1, 1.0 → "1"), {7} (2); a6 is missing;
    /// x9 is not in the gold; a second a1 line is ignored; a blank and a broken line are skipped.
    /// Duplicate groups: a1, a2, a3 in "5" (5.0 → "5"); a4 null.
    static let run = """
        {"id": "a1", "story": 0, "duplicate_group": 5}
        {"id": "a2", "story": 0, "duplicate_group": 5.0}
        {"id": "a3", "story": 1, "duplicate_group": "5"}
        {"id": "a4", "story": 1, "duplicate_group": null}
        {"id": "a5", "story": 1.0}
        {"id": 7, "story": 2}
        {"id": "x9", "story": 2}
        {"id": "a1", "story": 2}

        not json

        """

    let root: String
    let corpus: String
    let output: String

    init(gold: String? = EvaluationFixture.gold, pairs: String? = nil, run: String = EvaluationFixture.run,
         corpusArticles: String? = nil) {
        root = Fixtures.temporaryDirectory("newscluster-evaluation")
        corpus = root + "/my-corpus"
        output = root + "/out"
        try! FileManager.default.createDirectory(atPath: corpus, withIntermediateDirectories: true)
        try! FileManager.default.createDirectory(atPath: output, withIntermediateDirectories: true)
        if let gold { Fixtures.write(gold, named: "gold.tsv", in: corpus) }
        if let pairs { Fixtures.write(pairs, named: "pairs.tsv", in: corpus) }
        if let corpusArticles { Fixtures.write(corpusArticles, named: "articles.jsonl", in: corpus) }
        Fixtures.write(run, named: "articles.jsonl", in: output)
    }

    func evaluate() throws -> Evaluation { try Evaluation(gold: corpus, run: output) }

    func remove() { Fixtures.remove(root) }
}
