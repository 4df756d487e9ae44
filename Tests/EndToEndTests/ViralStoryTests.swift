import Foundation
import Testing

/// A viral wire story: half the articles are copies of one article, each on a site of its own
/// (`generate-corpus --viral-share 0.5`). All the copies are one duplicate group and one story,
/// and what the run keeps grows with the articles, not with the square of the copies. Counts,
/// not times or memory: those depend on the machine.
@Suite(.serialized)
struct ViralStoryTests {
    struct Run {
        var articles: Int
        var viralCopies: Int
        var groupsOfTheCopies: Set<String>
        var storiesOfTheCopies: Set<String>
        var groupSize: Int
        var neighbors: [String: Any]

        func count(_ key: String) throws -> Int { try #require(neighbors[key] as? Int, "run.json lacks \(key)") }
    }

    private func cluster(articles: Int, in directory: TemporaryDirectory) throws -> Run {
        let corpus = try Binary.generateCorpus(
            articles: articles, seed: 16, into: directory.file("corpus-\(articles)"), options: ["--viral-share", "0.5"])
        let out = directory.file("run-\(articles)")
        let result = try Binary.run(["cluster", corpus, "--out", out, "--quiet"])
        try #require(result.status == 0, "\(result.stderr)")
        let reports = try Reports(directory: out)
        // gold.tsv: id, story, duplicate group; the viral group is by far the largest.
        let gold = try String(contentsOfFile: directory.file("corpus-\(articles)/gold.tsv"), encoding: .utf8)
            .split(separator: "\n").dropFirst().map { $0.split(separator: "\t", omittingEmptySubsequences: false) }
        var bySize: [Substring: [Substring]] = [:]
        for row in gold where row.count == 3 && !row[2].isEmpty { bySize[row[2], default: []].append(row[0]) }
        let copies = try #require(bySize.values.max { $0.count < $1.count }).map(String.init)
        let groupOf = reports.duplicateGroupOf, storyOf = reports.storyOf
        let group = groupOf[try #require(copies.first)]
        return Run(
            articles: articles, viralCopies: copies.count,
            groupsOfTheCopies: Set(copies.map { groupOf[$0] ?? "none" }),
            storiesOfTheCopies: Set(copies.map { storyOf[$0] ?? "none" }),
            groupSize: groupOf.values.filter { $0 == group }.count,
            neighbors: try #require(reports.run["neighbors"] as? [String: Any]))
    }

    @Test func copiesAreOneGroupAndOneStoryAndThePairsKeptGrowLinearly() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let small = try cluster(articles: 3_000, in: directory)
        let large = try cluster(articles: 6_000, in: directory)
        for run in [small, large] {
            // The original and its copies.
            #expect(run.viralCopies == run.articles / 2 + 1)
            #expect(run.groupsOfTheCopies.count == 1 && !run.groupsOfTheCopies.contains("none"),
                    "\(run.articles): copies in \(run.groupsOfTheCopies.count) groups")
            #expect(run.groupSize == run.viralCopies, "\(run.articles): the copies' group has others")
            #expect(run.storiesOfTheCopies.count == 1, "\(run.articles): copies in \(run.storiesOfTheCopies.count) stories")
            // The copies' pairs beyond each one's nearest are not kept: all but O(copies) of them.
            let copyPairs = run.viralCopies * (run.viralCopies - 1) / 2
            #expect(try run.count("copy_pairs_dropped") > copyPairs * 9 / 10)
            #expect(try run.count("copy_group_articles") == run.viralCopies)
        }
        // Twice the articles (and copies): about twice the pairs and edges, not four times.
        for key in ["candidate_pairs", "edges"] {
            let ratio = Double(try large.count(key)) / Double(try small.count(key))
            #expect(ratio < 2.6, "\(key) grew \(ratio)× for 2× the articles")
        }
        #expect(try large.count("candidate_pairs") < 60 * large.articles)
    }
}
