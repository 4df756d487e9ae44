import Foundation

/// The clean stage's output: which lines of each page are kept (site boilerplate, learnt from
/// the whole corpus, goes), and each article's cleaned text on demand.
struct CleanedTexts: Sendable, Codable {
    var read: ReadArticles
    /// Nil with `--keep-boilerplate`: every line stays.
    var plan: BoilerplateRemover.Plan?
    /// Reads the texts not held in memory again (nil when all are held). Held texts are already
    /// cleaned in `read.articles`.
    let rereader: RecordRereader?

    var articles: [Article] { read.articles }

    /// Article `index`'s text as cleaned from its raw text.
    func cleaned(raw: String, of index: Int) -> String {
        plan.map { BoilerplateRemover.apply($0.keep[index], to: raw) } ?? raw
    }

    /// Article `index`'s cleaned text: held, or read again and cleaned.
    func text(of index: Int) throws -> String {
        let article = read.articles[index]
        if read.isTextHeld(index) { return article.text }
        return cleaned(raw: try rereader!.text(of: article), of: index)
    }

    var boilerplateLinesRemoved: Int { plan?.removedLines.reduce(0, +) ?? 0 }

    init(read: ReadArticles, plan: BoilerplateRemover.Plan?, rereader: RecordRereader?) {
        self.read = read
        self.plan = plan
        self.rereader = rereader
    }

    /// What reads again the texts `read` does not hold (nil when it holds them all).
    static func rereader(for read: ReadArticles) throws -> RecordRereader? {
        read.articles.indices.allSatisfy(read.isTextHeld)
            ? nil : try RecordRereader(files: read.files.map(\.path), spools: read.spools)
    }

    private enum CodingKeys: String, CodingKey { case read, plan }

    /// Texts not held are read again from the inputs, which must not have changed.
    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        read = try container.decode(ReadArticles.self, forKey: .read)
        plan = try container.decodeIfPresent(BoilerplateRemover.Plan.self, forKey: .plan)
        rereader = try Self.rereader(for: read)
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(read, forKey: .read)
        try container.encodeIfPresent(plan, forKey: .plan)
    }
}

/// clean: `ReadArticles` → `CleanedTexts`.
struct CleanStage {
    var options: ClusterOptions
    var threads: Int

    /// - Parameter keepsLineKeys: whether the line keys are needed past the plan (a night
    ///   stores them); else they are let go.
    /// - Parameter read: consumed, so that its raw texts are replaced in place, not copied.
    func run(_ read: consuming ReadArticles, keepsLineKeys: Bool) throws -> CleanedTexts {
        let plan: BoilerplateRemover.Plan? = options.keepBoilerplate ? nil : BoilerplateRemover().plan(
            pages: read.lineKeys, titles: read.articles.map(\.title),
            sources: read.articles.map { BoilerplateRemover.sourceKey(source: $0.source, url: $0.url) },
            threads: threads)
        if !keepsLineKeys { read.lineKeys = [] }
        // Held texts are replaced by their cleaned form, a batch at a time, so that the raw and
        // the cleaned copies of the whole corpus are never in memory together.
        if let plan {
            let batch = 4096
            for start in stride(from: 0, to: read.articles.count, by: batch) {
                let end = min(read.articles.count, start + batch)
                let held = read.articles.indices[start..<end].map { read.isTextHeld($0) ? read.articles[$0].text : nil }
                let texts = Parallel.map(count: end - start, threads: threads) { offset -> String? in
                    held[offset].map { BoilerplateRemover.apply(plan.keep[start + offset], to: $0) }
                }
                for (offset, text) in texts.enumerated() {
                    if let text { read.articles[start + offset].text = text }
                }
            }
        }
        let rereader = try CleanedTexts.rereader(for: read)
        return CleanedTexts(read: read, plan: plan, rereader: rereader)
    }
}
