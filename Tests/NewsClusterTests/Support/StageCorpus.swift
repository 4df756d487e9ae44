import Foundation
import Testing
@testable import NewsCluster

/// A tiny corpus for the stage tests, written as JSONL into a fresh temporary directory: an
/// earthquake report and its syndicated copy (a duplicate group), and an unrelated festival
/// article. Input order differs from canonical order (publication time, then id).
struct StageCorpus {
    static let quake = """
        A strong earthquake shook the coastal town of Port Ellis early on Friday morning.
        Residents reported cracked walls, fallen chimneys and broken windows across the old harbour district.
        The regional seismology office measured a magnitude of 5.8 with an epicentre twelve kilometres offshore.
        Emergency crews checked schools and the hospital, and no serious injuries were reported by noon.
        The mayor asked residents to stay away from damaged buildings until engineers inspect them.
        """
    static let festival = """
        The annual jazz festival opened in the botanical gardens with a sold-out concert on Saturday.
        Organisers expect forty thousand visitors over three days, a record for the event.
        Food stalls, a children's stage and late trains home were added this year.
        """

    /// In input order: the later copy, the festival, the earlier copy.
    static let lines = [
        Fixtures.jsonLine(id: "quake-herald", title: "Earthquake shakes Port Ellis", text: quake + "\nReporting by Herald staff.",
                          source: "Herald", published: "2024-03-01T10:00:00Z", language: "en"),
        Fixtures.jsonLine(id: "festival", title: "Jazz festival opens", text: festival, source: "Courier",
                          published: "2024-03-03"),
        Fixtures.jsonLine(id: "quake-gazette", title: "Strong earthquake shakes Port Ellis", text: quake,
                          source: "Gazette", published: "2024-03-01T08:00:00Z", language: "en"),
    ]
    static let inputOrder = ["quake-herald", "festival", "quake-gazette"]
    static let canonicalOrder = ["quake-gazette", "quake-herald", "festival"]

    let directory: String
    let input: String
    var options: ClusterOptions

    init(lines: [String] = StageCorpus.lines) {
        directory = Fixtures.temporaryDirectory("newscluster-stages")
        input = Fixtures.write(lines.map { $0 + "\n" }.joined(), named: "input.jsonl", in: directory)
        options = ClusterOptions()
        options.threads = 1
    }

    func remove() { Fixtures.remove(directory) }

    func read(holdsText: Bool = true) throws -> ReadArticles {
        try ReadStage(options: options, threads: 1).run(files: [input], storedRecords: [:], hashesRecords: false, holdsText: holdsText)
    }

    func cleaned(keepsLineKeys: Bool = false) throws -> CleanedTexts {
        try CleanStage(options: options, threads: 1).run(try read(), keepsLineKeys: keepsLineKeys)
    }

    func counts() throws -> TermCounts {
        try TokenizeStage(options: options, threads: 1).run(try cleaned(), stored: [:], hashesContent: false)
    }

    func vectors() throws -> Vectors {
        VectorizeStage(options: options, threads: 1).run(try counts(), keepsCounts: false)
    }

    /// Calls OpenBLAS: only from suites nested in `UsesOpenBLAS`.
    func neighbors() throws -> NeighborGraph {
        BLAS.setThreadCount(1)
        return NeighborsStage(options: options).run(try vectors(), known: nil)
    }

    func grouping(judgements: [Judgement] = []) throws -> Grouping {
        GroupStage(options: options, threads: 1, judgements: judgements)
            .run(try neighbors(), identify: GroupStage.contentIdentities)
    }

    func descriptions() throws -> Descriptions {
        DescribeStage(options: options, threads: 1).run(try grouping())
    }

    /// The canonical index of each article id.
    static func indices(_ articles: [Article]) -> [String: Int] {
        Dictionary(uniqueKeysWithValues: articles.enumerated().map { ($1.id, $0) })
    }
}
