import Foundation
import Testing
@testable import NewsCluster

private func member(_ id: String, title: String, source: String? = "gazette", url: String? = nil,
                    published: String? = "2024-03-05T10:00:00Z", group: String? = nil, canonical: Bool = true) -> StoryMember {
    StoryMember(id: id, title: title, source: source, published: published, url: url, language: "en",
                duplicateGroup: group, canonical: canonical)
}

private func story(_ id: String, headline: String, members: [StoryMember], groups: [DuplicateGroupEntry] = [],
                   related: [RelatedStory] = [], first: String? = "2024-03-05T10:00:00Z") -> StoryEntry {
    StoryEntry(id: id, headline: headline, headlineArticle: members.first?.id ?? "", size: members.count, terms: ["harbor", "bridge"],
               sources: [SourceCount(name: "gazette", articles: members.count)], languages: ["en"],
               firstPublished: first, lastPublished: first, cohesion: 0.5, members: members,
               duplicateGroups: groups, relatedStories: related)
}

private func render(_ stories: [StoryEntry], changes: ChangesFile? = nil, page: ReviewPage = ReviewPage()) throws -> String {
    try page.renderText(stories: StoriesFile(tool: "newscluster", version: "test", stories: stories),
                        manifest: ReportSamples.manifest(output: "out"), changes: changes)
}

private func occurrences(of needle: String, in text: String) -> Int {
    text.components(separatedBy: needle).count - 1
}

/// The stories' data as the page's script reads it: every block inflated and parsed, the
/// blocks of a column (`titles.0`, `titles.1`, …) joined in order.
struct PageData {
    var blocks: [String: Any] = [:]

    init(html: String) throws {
        let opening = "<script type=\"application/gzip+base64\" data-block=\""
        var rest = html[...]
        var columns: [String: [Any]] = [:]
        while let start = rest.range(of: opening) {
            let nameEnd = try #require(rest[start.upperBound...].range(of: "\">"))
            let name = String(rest[start.upperBound..<nameEnd.lowerBound])
            let close = try #require(rest[nameEnd.upperBound...].range(of: "</script>"))
            let base64 = String(rest[nameEnd.upperBound..<close.lowerBound])
            #expect(base64.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || "+/=".contains($0)) }, "block \(name) is base64 only")
            let compressed = try #require(Data(base64Encoded: base64), "block \(name) is not base64")
            var json: [UInt8] = []
            let decoder = Decompressor(.gzip)
            var used = 0
            let bytes = Array(compressed)
            while true {
                let before = json.count
                let consumed = try decoder.decode(bytes[used...], appendingTo: &json, limit: 1 << 20)
                used += consumed
                if consumed == 0 && json.count == before { break }
            }
            #expect(decoder.isAtBoundary && used == bytes.count, "block \(name) is one whole gzip member")
            let value = try JSONSerialization.jsonObject(with: Data(json), options: [.fragmentsAllowed])
            if let dot = name.firstIndex(of: ".") {
                columns[String(name[..<dot]), default: []] += try #require(value as? [Any])
            } else {
                blocks[name] = value
            }
            rest = rest[close.upperBound...]
        }
        for (name, values) in columns { blocks[name] = values }
    }

    var stories: [String: [Any]] { (blocks["stories"] as? [String: [Any]]) ?? [:] }
    var articles: [String: [Any]] { (blocks["articles"] as? [String: [Any]]) ?? [:] }
    var tables: [String: Any] { (blocks["tables"] as? [String: Any]) ?? [:] }
    var ids: [String] { (blocks["ids"] as? [String]) ?? [] }
    var titles: [String] { (blocks["titles"] as? [String]) ?? [] }
    var paths: [String] { (blocks["paths"] as? [String]) ?? [] }
    var storyIDs: [String] { (stories["id"] as? [String]) ?? [] }

    func strings(_ table: String) -> [String] { (tables[table] as? [String]) ?? [] }
    func story(_ field: String) -> [Any] { stories[field] ?? [] }
    func article(_ field: String) -> [Int?] { (articles[field] ?? []).map { $0 as? Int } }

    /// Each story's rows, by story id.
    func rows() -> [String: Range<Int>] {
        var start = 0, result: [String: Range<Int>] = [:]
        for (id, count) in zip(storyIDs, story("rows").compactMap { $0 as? Int }) {
            result[id] = start..<(start + count)
            start += count
        }
        return result
    }

    /// The url the page links for a row, or nil.
    func url(_ row: Int) -> String? {
        guard let host = article("host")[row], host >= 0 else { return nil }
        return strings("hosts")[host] + paths[row]
    }
}

@Suite("ReviewPage")
struct ReviewPageTests {
    @Test func everyStoryAndArticleIsInThePagesDataInReviewOrder() throws {
        let stories = ReportSamples.stories.stories + [story("s-0002", headline: "Council budget", members: [member("b1", title: "Council budget")])]
        let html = try render(stories)
        #expect(html.hasPrefix("<!DOCTYPE html>"))
        let data = try PageData(html: html)
        #expect(data.storyIDs == ReviewPage.forReview(stories).map(\.id))
        #expect(Set(data.ids) == Set(stories.flatMap { $0.members.map(\.id) }))
        let rows = data.rows()
        for entry in stories {
            let range = try #require(rows[entry.id])
            #expect(Set(data.ids[range]) == Set(entry.members.map(\.id)), "\(entry.id)'s rows are its members")
        }
        #expect(data.story("headline").allSatisfy { $0 is NSNull }, "headlines that are their article's title are not written twice")
        #expect(html.contains("in.jsonl:4") && html.contains("missing id"), "rejected records with their reasons")
        #expect(html.contains("boilerplate lines removed"))
    }

    @Test func relatedStoriesPointAtStoriesOnThePage() throws {
        let stories = ReportSamples.stories.stories + [story("s-0002", headline: "Council budget", members: [member("b1", title: "Council budget")])]
        let data = try PageData(html: try render(stories))
        let position = try #require(data.storyIDs.firstIndex(of: "s-0001"))
        let related = try #require(data.story("related")[position] as? [Int])
        #expect(related == [try #require(data.storyIDs.firstIndex(of: "s-0002")), 43], "story index and score in hundredths (0.43)")
    }

    @Test func copiesAreListedRightAfterTheirCanonicalArticle() throws {
        let members = [member("c2", title: "Copy two", group: "d-1", canonical: false), member("b", title: "Other"),
                       member("a", title: "Canonical", group: "d-1"), member("c1", title: "Copy one", group: "d-1", canonical: false),
                       member("orphan", title: "Copy of elsewhere", group: "d-9", canonical: false)]
        let entry = story("s-1", headline: "Other", members: members,
                          groups: [DuplicateGroupEntry(id: "d-1", canonical: "a", members: ["a", "c1", "c2"])])
        let order = ReviewPageData.listingOrder(entry)
        #expect(order.map(\.member.id) == ["b", "a", "c1", "c2", "orphan"])
        #expect(order.map(\.copy) == [false, false, true, true, false], "a copy without its canonical here is listed, not dropped")
        let data = try PageData(html: try render([entry]))
        #expect(data.ids == ["b", "a", "c1", "c2", "orphan"])
        #expect(data.article("copy") == [0, 0, 1, 1, 0])
    }

    @Test func eachArticleCarriesItsScoreAndEachCopyItsContainment() throws {
        var canonical = member("a1", title: "Harbor bridge reopens", group: "d-1")
        canonical.score = 0.6125
        var copy = member("a2", title: "Bridge reopens", group: "d-1", canonical: false)
        copy.score = 0.58
        copy.containment = 0.9312
        let data = try PageData(html: try render([story("s-1", headline: "Harbor bridge reopens", members: [canonical, copy],
                                                        groups: [DuplicateGroupEntry(id: "d-1", canonical: "a1", members: ["a1", "a2"])])]))
        #expect(data.article("score") == [61, 58], "hundredths as %.2f shows them")
        #expect(data.article("containment") == [nil, 93])
        let alone = try PageData(html: try render([story("s-2", headline: "Alone", members: [member("a3", title: "Alone")])]))
        #expect(alone.article("score") == [nil], "a story of one article has no score")
        #expect(ReviewPageData.hundredths(0.6125) == 61 && ReviewPageData.hundredths(0.004) == 0 && ReviewPageData.hundredths(1) == 100)
    }

    @Test func timesAreDaysAndMinutesAsWritten() throws {
        #expect(ReviewPageData.day("1970-01-02") == 1)
        #expect(ReviewPageData.day("2020-10-05T23:10:00+06:00") == PublishedDate.daysFromCivil(year: 2020, month: 10, day: 5),
                "the day as written, not moved to UTC (the page shows the wall-clock time)")
        #expect(ReviewPageData.minute("2020-10-05T23:10:00+06:00") == 23 * 60 + 10)
        #expect(ReviewPageData.minute("2020-10-05") == nil)
        #expect(ReviewPageData.day("garbage") == nil)
        let data = try PageData(html: try render([story("s-1", headline: "t", members: [
            member("a", title: "t", published: "2024-03-05T10:07:00+02:00"), member("b", title: "u", published: nil),
            member("c", title: "v", published: "2024-03-07"),
        ])]))
        let day = PublishedDate.daysFromCivil(year: 2024, month: 3, day: 5)
        #expect(data.article("day") == [day, nil, day + 2])
        #expect(data.article("minute") == [607, -1, -1])
        #expect(data.story("timeline").first as? [Int] == [day, 1, 0, 1], "articles per day, the empty day included")
    }

    @Test func pastTheListedArticlesStoriesHaveNoRows() throws {
        var page = ReviewPage()
        page.listedArticles = 5
        let stories = [story("s-a", headline: "First", members: (0..<4).map { member("a\($0)", title: "Listed \($0)") }),
                       story("s-b", headline: "Second", members: (0..<3).map { member("b\($0)", title: "Unlisted \($0)") })]
        let data = try PageData(html: try render(stories, page: page))
        #expect(data.storyIDs == ["s-a", "s-b"], "every story is on the page")
        #expect(data.story("rows") as? [Int] == [4, 0])
        #expect(data.story("size") as? [Int] == [4, 3])
        #expect(data.story("headline").last as? String == "Second", "an unlisted story carries its own headline")
        #expect(data.story("headline_article") as? [Int] == [0, -1])
        #expect(data.titles.allSatisfy { $0.hasPrefix("Listed") })
        #expect(data.tables["listed_articles"] as? Int == 5)
    }

    @Test func hostileTextStaysDataAndOnlyThePagesOwnScriptRuns() throws {
        let hostile = [
            member("x1", title: "<script>alert(1)</script>", source: "<img src=x onerror=alert(2)>",
                   url: "javascript:alert(3)"),
            member("x2", title: "Quote \" and ' and & — \u{202E}evil\u{202C} 🙂", url: " JAVASCRIPT:alert(4)"),
            member("x3", title: "Fine </script><script>alert(8)</script>", url: "data:text/html,<script>alert(5)</script>"),
            member("x4", title: "Linked", url: "https://example.org/a?b=\"c\"&d=<e>"),
        ]
        let changes = ChangesFile(
            run: 2, previousRun: 1, new: [.init(id: "s-\"><script>", headline: "<b onmouseover=alert(6)>bold</b>", size: 4)],
            grown: [], merged: [], split: [], left: [],
            duplicateGroups: .init(new: 0, grown: 0, merged: 0, split: 0, left: 0, dissolved: 0))
        let stories = [story("s-\"><script>", headline: "<b onmouseover=alert(6)>bold</b>", members: hostile,
                             related: [RelatedStory(id: "\" onclick=\"alert(7)", headline: "<i>x</i>", score: 0.5)])]
        let html = try render(stories, changes: changes)
        for attack in ["<script>alert", "<img", "onerror=alert(2)>", "<b onmouseover", "<i>x</i>", "javascript:", "JAVASCRIPT",
                       "data:text", "\" onclick=\"", "id=\"s-\"><script>", "alert(8)", "<e>"] {
            #expect(!html.contains(attack), "\(attack) reached the page's markup")
        }
        #expect(html.contains("&lt;b onmouseover=alert(6)&gt;bold&lt;/b&gt;"), "the changes panel escapes its headline")
        // Every <script> but the last holds data (a type browsers never run); the last is the page's own.
        let scripts = html.components(separatedBy: "<script").dropFirst()
        #expect(scripts.dropLast().allSatisfy { $0.hasPrefix(" type=\"application/gzip+base64\" data-block=\"") })
        #expect(scripts.last?.hasPrefix(">\n(function () {") == true)
        #expect(!String(ReviewPageScript.source.description).contains("innerHTML"), "the script builds its DOM with textContent")
        let data = try PageData(html: html)
        #expect(data.titles == hostile.map(\.title), "titles reach the script exactly as written")
        #expect(data.storyIDs == ["s-\"><script>"])
        #expect(data.url(3) == "https://example.org/a?b=\"c\"&d=<e>")
        #expect((0..<3).allSatisfy { data.url($0) == nil }, "javascript: and data: urls are never links")
        #expect(data.story("related").first as? [Int] == [], "a related story that is not on the page is no link")
    }

    @Test func onlyHTTPURLsBecomeLinks() {
        for (url, link) in [("https://a.example/x", true), ("HTTP://A.EXAMPLE", true), ("javascript:alert(1)", false),
                            ("//evil.example", false), ("", false), ("ftp://a.example", false), (" https://a.example", true),
                            ("http:", false), ("data:text/html,x", false)] {
            #expect((ReviewPageData.httpURL(url) != nil) == link, "\(url)")
        }
        #expect(ReviewPageData.httpURL("https://a.example/x?y#z")! == ("https://a.example", "/x?y#z"))
        #expect(ReviewPageData.httpURL("http://a.example?q=1")! == ("http://a.example", "?q=1"))
        #expect(ReviewPageData.httpURL("https://a.example")! == ("https://a.example", ""))
    }

    @Test func titlesLoseTheirSiteSuffixAsHeadlinesDo() throws {
        let data = try PageData(html: try render([story("s-1", headline: "Bridge reopens", members: [
            member("a", title: "Bridge reopens | Northline Today", source: "Northline Today"),
            member("b", title: "Мост открыли - Mir Plus", source: "Mir Plus"),
            member("c", title: "A - B", source: "Gazette"),
            member("d", title: "", source: "Gazette"),
        ])]))
        #expect(data.titles == ["Bridge reopens", "Мост открыли", "A - B", ""], "an empty title shows as its id")
        #expect(data.story("headline").first is NSNull, "the headline is its article's title: written once")
    }

    @Test func storiesShapedByEditorsCarryTheirJudgementIDs() throws {
        var shaped = story("s-1", headline: "t", members: [member("a", title: "t")])
        shaped.judgements = ["j-r-1-1-x", "j-r-1-2-y"]
        let data = try PageData(html: try render([shaped, story("s-2", headline: "u", members: [member("b", title: "u")])]))
        #expect(data.story("judgements") as? [[String]] == [["j-r-1-1-x", "j-r-1-2-y"], []])
    }

    @Test func theRunKeyNamesTheStoriesAndTheirMembers() throws {
        let stories = ReportSamples.stories.stories
        let key = ReviewPageData.runKey(stories)
        #expect(key.count == 18 && key.hasPrefix("r-") && key.dropFirst(2).allSatisfy(\.isHexDigit))
        #expect(ReviewPageData.runKey(stories) == key)
        var moved = stories
        moved[0].members.removeLast()
        #expect(ReviewPageData.runKey(moved) != key, "a member that left changes the key")
        var renamed = stories
        renamed[0].id = "s-other"
        #expect(ReviewPageData.runKey(renamed) != key)
        #expect(try render(stories).contains("<main id=\"review\" data-run=\"\(key)\">"))
    }

    @Test func thePageIsTheSameBytesWithOneThreadOrMany() throws {
        let stories = (0..<40).map { index in
            story("s-\(index)", headline: "Story \(index)", members: (0..<(index % 7 + 1)).map {
                member("m\(index)-\($0)", title: "Title \(index) \($0)", url: "https://site\($0 % 3).example/\(index)/\($0)")
            })
        }
        var small = ReviewPage()
        small.data.articlesPerBlock = 9
        let file = StoriesFile(tool: "newscluster", version: "test", stories: stories)
        let one = try small.render(stories: file, manifest: ReportSamples.manifest(output: "out"), changes: nil, threads: 1)
        let many = try small.render(stories: file, manifest: ReportSamples.manifest(output: "out"), changes: nil, threads: 4)
        #expect(one == many)
        let data = try PageData(html: String(decoding: one, as: UTF8.self))
        #expect(data.ids.count == stories.reduce(0) { $0 + $1.size }, "columns cut into blocks join again")
        #expect(occurrences(of: "data-block=\"titles.", in: String(decoding: one, as: UTF8.self)) == (data.ids.count + 8) / 9)
    }

    @Test func storiesAreOrderedBySizeThenMostRecentFirst() {
        let stories = [story("s-old", headline: "a", members: [member("1", title: "t"), member("2", title: "t")], first: "2024-03-01T00:00:00Z"),
                       story("s-undated", headline: "b", members: [member("3", title: "t"), member("4", title: "t")], first: nil),
                       story("s-new", headline: "c", members: [member("5", title: "t"), member("6", title: "t")], first: "2024-03-09T00:00:00Z"),
                       story("s-big", headline: "d", members: (0..<3).map { member("b\($0)", title: "t") }, first: "2024-01-01T00:00:00Z")]
        #expect(ReviewPage.forReview(stories).map(\.id) == ["s-big", "s-new", "s-old", "s-undated"])
    }

    @Test func theNightsChangesComeFirst() throws {
        let changes = ChangesFile(
            run: 3, previousRun: 2, new: [.init(id: "s-0002", headline: "Council budget", size: 1)],
            grown: [.init(id: "s-0001", headline: "Harbor bridge reopens", size: 2, added: 1)], merged: [], split: [],
            left: [.init(id: "s-gone", headline: "Old story", size: 4)],
            duplicateGroups: .init(new: 0, grown: 0, merged: 0, split: 0, left: 0, dissolved: 0))
        let html = try render(ReportSamples.stories.stories, changes: changes)
        let section = try #require(html.range(of: "id=\"changes\""))
        let stories = try #require(html.range(of: "<section id=\"stories\""))
        #expect(section.lowerBound < stories.lowerBound)
        #expect(html.contains("Since the last night (run 3)"))
        #expect(html.contains("+1, now 2"))
        #expect(!html.contains("href=\"#s-gone\""), "a story that left is not on the page: no dead link")
        #expect(!(try render(ReportSamples.stories.stories)).contains("id=\"changes\""))
    }

    @Test func chartsCountStoriesBySizeAndByDay() throws {
        let sizes = [1, 1, 2, 3, 5]
        let stories = sizes.enumerated().map { index, size in
            story("s\(index)", headline: "h", members: (0..<size).map { member("m\(index)-\($0)", title: "t") },
                  first: "2024-03-0\(index % 2 == 0 ? 5 : 7)T10:00:00Z")
        }
        let bySize = ReviewPage.sizeChart(stories)
        #expect(bySize.bars.map(\.label) == ["1", "2", "3–4", "5–8"])
        #expect(bySize.bars.map(\.count) == [2, 1, 1, 1])
        let byDay = ReviewPage().dayChart(stories)
        #expect(byDay.bars.map(\.label) == ["03-05", "03-06", "03-07"], "days without stories are shown too")
        #expect(byDay.bars.map(\.count) == [3, 0, 2])
        #expect(byDay.bars.allSatisfy { $0.y + $0.height <= 120 && $0.height >= 0 })
        let html = try render(stories)
        #expect(html.contains("<svg") && html.contains("stories by number of articles"))
    }

    @Test func stagesThatRanBesideTheStoriesAreShownWithTheirTimes() throws {
        var asked = 0
        let html = try ReviewPage().renderText(
            stories: ReportSamples.stories, manifest: ReportSamples.manifest(output: "out"), changes: nil,
            timings: {
                asked += 1
                return ["read": 0.25, "report": 1.5]
            })
        #expect(asked == 1)
        #expect(html.contains("<div><b>1.50 s</b><span class=\"muted\">report</span></div>"))
        #expect(html.contains("<div><b>0.25 s</b><span class=\"muted\">read</span></div>"))
    }

    @Test func thePageIsSelfContained() throws {
        let html = try render(ReportSamples.stories.stories)
        for external in ["<link", "src=\"http", "src=\"//", "@import", "url(http", "<iframe", "fetch(", "XMLHttpRequest"] {
            #expect(!html.contains(external), "\(external)")
        }
        #expect(html.contains("Content-Security-Policy\" content=\"default-src 'none';"))
    }
}
