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

private func render(_ stories: [StoryEntry], changes: ChangesFile? = nil) throws -> String {
    try ReviewPage().renderText(stories: StoriesFile(tool: "newscluster", version: "test", stories: stories),
                            manifest: ReportSamples.manifest(output: "out"), changes: changes)
}

private func occurrences(of needle: String, in text: String) -> Int {
    text.components(separatedBy: needle).count - 1
}

@Suite("ReviewPage")
struct ReviewPageTests {
    @Test func showsTheSummaryEveryStoryAndRelatedStoriesAsInPageLinks() throws {
        let stories = ReportSamples.stories.stories + [story("s-0002", headline: "Council budget", members: [member("b1", title: "Council budget")])]
        let html = try render(stories)
        #expect(html.hasPrefix("<!DOCTYPE html>"))
        #expect(occurrences(of: "<article class=\"story\"", in: html) == 2)
        #expect(html.contains("<article class=\"story\" id=\"s-0002\""))
        #expect(html.contains("<article class=\"story\" id=\"s-0001\""))
        #expect(html.contains("<a href=\"#s-0002\"><bdi>Council budget</bdi></a> (0.43)"))
        #expect(html.contains("<bdi>Harbor bridge reopens</bdi>"))
        #expect(html.contains("<span><bdi>gazette</bdi> 2</span>"), "each source by its name, with its articles")
        #expect(html.contains("in.jsonl:4") && html.contains("missing id"), "rejected records with their reasons")
        #expect(html.contains("boilerplate lines removed"))
    }

    @Test func copiesAreFoldedUnderTheirCanonicalArticle() throws {
        let html = try render(ReportSamples.stories.stories)
        let item = try #require(html.range(of: "<li><a href=\"https://gazette.example/a1\""))
        let copies = try #require(html.range(of: "<summary>1 copy</summary>"))
        #expect(item.lowerBound < copies.lowerBound)
        #expect(html.contains("<bdi>Bridge reopens</bdi>"))
        #expect(occurrences(of: "<bdi>Bridge reopens</bdi>", in: html) == 1, "a copy is listed once, under its canonical")
    }

    @Test func eachArticleShowsItsScoreAndEachCopyItsContainment() throws {
        var canonical = member("a1", title: "Harbor bridge reopens", group: "d-1")
        canonical.score = 0.6125
        var copy = member("a2", title: "Bridge reopens", group: "d-1", canonical: false)
        copy.score = 0.58
        copy.containment = 0.9312
        let html = try render([story("s-1", headline: "Harbor bridge reopens", members: [canonical, copy],
                                     groups: [DuplicateGroupEntry(id: "d-1", canonical: "a1", members: ["a1", "a2"])])])
        #expect(html.contains(">0.61</span>"))
        #expect(html.contains(">0.58 · copy 0.93</span>"))
        #expect(html.contains("title=\"cosine to the story&#39;s other articles\""))
        let alone = try render([story("s-2", headline: "Alone", members: [member("a3", title: "Alone")])])
        #expect(!alone.contains("class=\"evidence\""), "a story of one article has no score")
    }

    @Test func largeStoriesAreFolded() throws {
        let members = (0..<30).map { member("m\($0)", title: "Report number \($0)") }
        let html = try render([story("s-big", headline: "Big story", members: members)])
        #expect(html.contains("<summary>18 more articles</summary>"))
        #expect(occurrences(of: "Report number", in: html) == 30, "folded, not dropped")
    }

    @Test func storiesAreOrderedBySizeThenMostRecentFirst() {
        let stories = [story("s-old", headline: "a", members: [member("1", title: "t"), member("2", title: "t")], first: "2024-03-01T00:00:00Z"),
                       story("s-undated", headline: "b", members: [member("3", title: "t"), member("4", title: "t")], first: nil),
                       story("s-new", headline: "c", members: [member("5", title: "t"), member("6", title: "t")], first: "2024-03-09T00:00:00Z"),
                       story("s-big", headline: "d", members: (0..<3).map { member("b\($0)", title: "t") }, first: "2024-01-01T00:00:00Z")]
        #expect(ReviewPage.forReview(stories).map(\.id) == ["s-big", "s-new", "s-old", "s-undated"])
    }

    @Test func pastTheListedArticlesStoriesShowTheirSummaryOnly() throws {
        var page = ReviewPage()
        page.listedArticles = 5
        let stories = [story("s-a", headline: "First", members: (0..<4).map { member("a\($0)", title: "Listed \($0)") }),
                       story("s-b", headline: "Second", members: (0..<3).map { member("b\($0)", title: "Unlisted \($0)") })]
        let html = try page.renderText(stories: StoriesFile(tool: "newscluster", version: "test", stories: stories),
                                   manifest: ReportSamples.manifest(output: "out"), changes: nil)
        #expect(occurrences(of: "Listed ", in: html) == 4 && !html.contains("Unlisted"))
        #expect(html.contains("<bdi>Second</bdi>") && html.contains("the first 5 only"))
    }

    @Test func hostileTextShowsAsTextNeverAsMarkup() throws {
        let hostile = [
            member("x1", title: "<script>alert(1)</script>", source: "<img src=x onerror=alert(2)>",
                   url: "javascript:alert(3)"),
            member("x2", title: "Quote \" and ' and & — \u{202E}evil\u{202C} 🙂", url: " JAVASCRIPT:alert(4)"),
            member("x3", title: "Fine", url: "data:text/html,<script>alert(5)</script>"),
        ]
        let html = try render([story("s-\"><script>", headline: "<b onmouseover=alert(6)>bold</b>", members: hostile,
                                     related: [RelatedStory(id: "\" onclick=\"alert(7)", headline: "<i>x</i>", score: 0.5)])])
        for attack in ["<script>alert", "<img", "onerror=alert(2)>", "<b onmouseover", "<i>x</i>", "href=\"javascript",
                       "href=\" JAVASCRIPT", "href=\"data:", "\" onclick=\"", "id=\"s-\"><script>"] {
            #expect(!html.contains(attack), "\(attack) reached the page as markup")
        }
        #expect(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"))
        #expect(html.contains("&lt;img src=x onerror=alert(2)&gt;"))
        #expect(html.contains("Quote &quot; and &#39; and &amp;"))
        #expect(html.contains("<bdi>Quote &quot; and &#39; and &amp; — \u{202E}evil\u{202C} 🙂</bdi>"), "RTL marks stay inside their own <bdi>")
        // The page's only script is its own filter.
        #expect(occurrences(of: "<script", in: html) == 1)
    }

    @Test func onlyHTTPURLsBecomeLinks() {
        for (url, link) in [("https://a.example/x", true), ("HTTP://A.EXAMPLE", true), ("javascript:alert(1)", false),
                            ("//evil.example", false), ("", false), ("ftp://a.example", false)] {
            #expect(ReviewPage.item(member("a", title: "t", url: url), copies: []).link == link, "\(url)")
        }
    }

    @Test func theNightsChangesComeFirst() throws {
        let changes = ChangesFile(
            run: 3, previousRun: 2, new: [.init(id: "s-0002", headline: "Council budget", size: 1)],
            grown: [.init(id: "s-0001", headline: "Harbor bridge reopens", size: 2, added: 1)], merged: [], split: [],
            left: [.init(id: "s-gone", headline: "Old story", size: 4)],
            duplicateGroups: .init(new: 0, grown: 0, merged: 0, split: 0, left: 0, dissolved: 0))
        let html = try render(ReportSamples.stories.stories, changes: changes)
        let section = try #require(html.range(of: "id=\"changes\""))
        let firstStory = try #require(html.range(of: "<article class=\"story\""))
        #expect(section.lowerBound < firstStory.lowerBound)
        #expect(html.contains("Since the last night (run 3)"))
        #expect(html.contains("+1, now 2"))
        #expect(html.contains("<a href=\"#s-0002\"><bdi>Council budget</bdi></a>"))
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
        for external in ["<link", "src=\"http", "src=\"//", "@import", "url(http", "<iframe"] {
            #expect(!html.contains(external), "\(external)")
        }
        #expect(html.contains("Content-Security-Policy"))
    }
}
