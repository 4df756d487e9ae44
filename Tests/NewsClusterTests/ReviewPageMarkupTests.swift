import Testing
@testable import NewsCluster

private func escaped(_ text: String) -> String {
    var bytes: [UInt8] = []
    ReviewPageMarkup.appendEscaped(text, to: &bytes)
    return String(decoding: bytes, as: UTF8.self)
}

private func written(_ stories: [ReviewPage.Story]) -> String {
    var markup = ReviewPageMarkup()
    markup.append(stories)
    return String(decoding: markup.bytes, as: UTF8.self)
}

private func page(_ page: ReviewPage.Page, stories: [[UInt8]] = []) -> String {
    var markup = ReviewPageMarkup()
    markup.appendPage(page, stories: stories)
    return String(decoding: markup.bytes, as: UTF8.self)
}

private func chart(_ caption: String) -> ReviewPage.Chart {
    ReviewPage.Chart(width: 10, height: 136, bars: [
        ReviewPage.Bar(x: 0, y: 20, width: 6, height: 100, label: "03-05", count: 4, labelX: 3, labelY: 132, showLabel: true),
        ReviewPage.Bar(x: 8, y: 120, width: 6, height: 0, label: "03-06", count: 0, labelX: 11, labelY: 132, showLabel: false),
    ], caption: caption)
}

private func frame(rejected: Int = 0, shown: Int = 0, warnings: Int = 0, changes: ReviewPage.Changes? = nil) -> ReviewPage.Page {
    ReviewPage.Page(
        title: "newscluster — <3> articles", summary: [.init(label: "articles", value: "3")],
        timings: [.init(label: "read", value: "0.25 s")],
        rejected: (0..<shown).map { .init(location: "in.jsonl:\($0)", id: "<id>", reason: "missing text") },
        rejectedCount: rejected, rejectedHidden: rejected - shown, warningsCount: warnings, changes: changes,
        sizeChart: chart("by size"), dayChart: chart("by day"), sources: ["<gazette>"], languages: ["en"],
        stories: [], storyCount: 2)
}

/// Text with every character HTML escapes, right-to-left marks and multi-byte letters.
private let hostile = ["<b onmouseover=\"x\">", "Tom & Jerry's", "\u{202E}evil", "Бишкек — «протест»", "", "a\nb"]

private func item(_ seed: Int, copies: [ReviewPage.Item] = []) -> ReviewPage.Item {
    ReviewPage.Item(
        title: hostile[seed % hostile.count] + " \(seed)", source: hostile[(seed + 1) % hostile.count],
        when: seed % 3 == 0 ? "" : "2024-03-05 10:00 en", url: "https://example.org/?a=1&b=\"\(seed)\"",
        link: seed % 2 == 0, id: "a-\(seed)", copies: copies,
        copyLabel: copies.count == 1 ? "1 copy" : "\(copies.count) copies")
}

private func randomStory(_ index: Int, using generator: inout SeededGenerator) -> ReviewPage.Story {
    let bars = (0..<Int.random(in: 0...4, using: &generator)).map { bar in
        ReviewPage.Bar(x: bar * 7, y: 18 - bar, width: 6, height: bar, label: "2024-03-0\(bar + 1)", count: bar * 3,
                       labelX: 0, labelY: 0, showLabel: false)
    }
    let items = (0..<Int.random(in: 0...15, using: &generator)).map { position in
        let copies = (0..<Int.random(in: 0...2, using: &generator)).map { item(100 * index + 10 * position + $0) }
        return item(index + position, copies: copies)
    }
    let related = (0..<Int.random(in: 0...3, using: &generator)).map {
        ReviewPage.Related(id: "s-\($0)<", headline: hostile[($0 + index) % hostile.count], score: "0.4\($0)")
    }
    return ReviewPage.Story(
        id: "s-\(index)\"'", headline: hostile[index % hostile.count], size: items.count, terms: "a · <b> · &c",
        sources: (0..<Int.random(in: 0...3, using: &generator)).map {
            ReviewPage.Count(name: hostile[($0 + 2) % hostile.count], count: $0 + 1)
        },
        sourceKeys: "gazette\n<herald>", languages: index % 2 == 0 ? "en ru" : "", span: "2024-03-05 – 2024-03-07",
        cohesion: "0.5\(index % 10)", timeline: ReviewPage.Chart(width: bars.count * 7, height: 18, bars: bars, caption: ""),
        items: Array(items.prefix(12)), folded: Array(items.dropFirst(12)), related: related,
        listed: index % 5 != 4, listedArticles: 120_000)
}

@Suite("ReviewPageMarkup")
struct ReviewPageMarkupTests {
    @Test func escapingReplacesTheFiveCharactersThatCanEndTextOrAnAttribute() {
        let texts = ["", "plain", "<b onmouseover=\"x\">", "Tom & Jerry's", "&&<<>>\"\"''", "Бишкек — «протест» & <co>",
                     "\u{202E}evil\u{202C} 🙂 &amp;", "ends with <"]
        for text in texts {
            var expected = ""
            for character in text {
                switch character {
                case "<": expected += "&lt;"
                case ">": expected += "&gt;"
                case "&": expected += "&amp;"
                case "\"": expected += "&quot;"
                case "'": expected += "&#39;"
                default: expected.append(character)
                }
            }
            #expect(escaped(text) == expected)
            var bytes = Array("before ".utf8)
            ReviewPageMarkup.appendEscaped(text, to: &bytes)
            #expect(String(decoding: bytes, as: UTF8.self) == "before " + expected, "appended, not replaced")
        }
    }

    @Test func aStoryIsWrittenAsThisMarkup() {
        let story = ReviewPage.Story(
            id: "s-1", headline: "Bridge & harbor", size: 3, terms: "bridge · harbor",
            sources: [.init(name: "gazette", count: 2), .init(name: "herald", count: 1)], sourceKeys: "gazette\nherald",
            languages: "en", span: "2024-03-05", cohesion: "0.71",
            timeline: ReviewPage.Chart(width: 7, height: 18, bars: [
                ReviewPage.Bar(x: 0, y: 0, width: 6, height: 18, label: "2024-03-05", count: 3, labelX: 0, labelY: 0, showLabel: false),
            ], caption: ""),
            items: [ReviewPage.Item(
                title: "Bridge reopens", source: "gazette", when: "2024-03-05 10:00 en", url: "https://g.example/a",
                link: true, id: "a1",
                copies: [ReviewPage.Item(title: "Copy", source: "herald", when: "", url: "ftp://h.example", link: false,
                                         id: "a2", copies: [], copyLabel: "0 copies")],
                copyLabel: "1 copy")],
            folded: [ReviewPage.Item(title: "Later", source: "gazette", when: "", url: "", link: false, id: "a3", copies: [],
                                     copyLabel: "0 copies")],
            related: [.init(id: "s-2", headline: "Budget", score: "0.43")], listed: true, listedArticles: 120_000)
        #expect(written([story]) == """

            <article class="story" id="s-1" data-sources="gazette
            herald" data-languages="en">
            <h3><bdi>Bridge &amp; harbor</bdi></h3>
            <div class="meta"><span>3 articles</span><span>2024-03-05</span><svg width="7" height="18" role="img" aria-label="articles per day"><rect class="bar" x="0" y="0" width="6" height="18"><title>2024-03-05: 3</title></rect></svg><span>cohesion 0.71</span><span>en</span><span class="muted">s-1</span></div>
            <div class="terms">bridge · harbor</div>
            <div class="meta"><span><bdi>gazette</bdi> 2</span><span><bdi>herald</bdi> 1</span></div>
            <ul class="items">
            <li><a href="https://g.example/a" rel="noopener noreferrer"><bdi>Bridge reopens</bdi></a> <span class="src"><bdi>gazette</bdi> 2024-03-05 10:00 en</span><details><summary>1 copy</summary><ul class="items"><li><a><bdi>Copy</bdi></a> <span class="src"><bdi>herald</bdi> </span></li></ul></details></li>
            </ul>

            <details><summary>1 more articles</summary><ul class="items"><li><a><bdi>Later</bdi></a> <span class="src"><bdi>gazette</bdi> </span></li></ul></details>
            <div class="related">Related: <span class="rel"><a href="#s-2"><bdi>Budget</bdi></a> (0.43)</span></div>
            </article>

            """)
    }

    @Test func aStoryPastTheListedArticlesShowsItsSummaryOnly() {
        var generator = SeededGenerator(seed: 5)
        var story = randomStory(1, using: &generator)
        story.listed = false
        story.items = []
        story.folded = []
        story.listedArticles = 25
        let html = written([story])
        #expect(html.contains("\n<p class=\"muted\">Its articles are in stories.json: the page lists the articles of the first 25 only.</p>\n"))
        #expect(!html.contains("<ul class=\"items\">"))
    }

    @Test func everyInputTextIsEscaped() {
        var generator = SeededGenerator(seed: 3)
        let stories = (0..<40).map { randomStory($0, using: &generator) }
        #expect(stories.contains { !$0.listed } && stories.contains { !$0.folded.isEmpty })
        #expect(stories.contains { $0.items.contains { !$0.copies.isEmpty } } && stories.contains { !$0.related.isEmpty })
        let html = written(stories)
        #expect(!html.contains("<b onmouseover") && !html.contains("<herald>") && !html.contains("<b> ·"))
        #expect(!html.contains("Tom & Jerry") && !html.contains("s-0<") && !html.contains("b=\""))
        #expect(html.contains("Tom &amp; Jerry&#39;s") && html.contains("id=\"s-1&quot;&#39;\""))
        #expect(html.contains("<bdi>\u{202E}evil</bdi>"), "a right-to-left mark stays inside its own <bdi>")
    }

    @Test func storiesWrittenInChunksMakeTheSamePageAsInOne() {
        var generator = SeededGenerator(seed: 7)
        let stories = (0..<30).map { randomStory($0, using: &generator) }
        let chunks = [0..<7, 7..<8, 8..<8, 8..<30].map { range in
            var markup = ReviewPageMarkup()
            markup.append(stories[range])
            return markup.bytes
        }
        let whole = Array(written(stories).utf8)
        #expect(page(frame(), stories: chunks) == page(frame(), stories: [whole]))
        #expect(page(frame(), stories: [whole]).contains("</div>\n\n<article class=\"story\" id=\"s-0&quot;&#39;\""))
        #expect(page(frame(), stories: [whole]).contains("</article>\n\n</main>\n<script>\n"))
    }

    @Test func thePageFrameEscapesItsTextAndEndsWithTheDocument() {
        let html = page(frame())
        #expect(html.hasPrefix("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">"))
        #expect(html.hasSuffix("</script>\n</body>\n</html>"))
        #expect(html.contains("<meta name=\"newscluster-schema\" content=\"\(ReportSchema.version)\">"))
        #expect(html.contains("<title>newscluster — &lt;3&gt; articles</title>"))
        #expect(html.contains("<option value=\"&lt;gazette&gt;\">&lt;gazette&gt;</option>"))
        #expect(html.contains("<div class=\"figures\"><div><b>0.25 s</b><span class=\"muted\">read</span></div></div>"))
        #expect(html.contains("<span id=\"shown\">2</span> of 2 stories"))
        #expect(html.contains("</style>\n</head>") && html.contains("<script>\n(function () {"))
        #expect(!html.contains("id=\"rejected\"") && !html.contains("repaired") && !html.contains("id=\"changes\""))
    }

    @Test func chartsHaveTheirCaptionAndOnlyTheLabelsAskedFor() {
        let html = page(frame())
        #expect(html.contains("<section class=\"charts\">\n<figure class=\"panel\"><svg width=\"10\" height=\"136\" role=\"img\" aria-label=\"by size\">"
            + "<rect class=\"bar\" x=\"0\" y=\"20\" width=\"6\" height=\"100\"><title>03-05: 4</title></rect>"
            + "<text x=\"3\" y=\"132\" text-anchor=\"middle\">03-05</text>"
            + "<rect class=\"bar\" x=\"8\" y=\"120\" width=\"6\" height=\"0\"><title>03-06: 0</title></rect>"
            + "</svg><figcaption class=\"muted\">by size</figcaption></figure>\n<figure class=\"panel\">"))
        #expect(!html.contains(">03-06</text>"))
    }

    @Test func rejectedRecordsAreListedWithHowManyMoreAreInRunJSON() {
        let html = page(frame(rejected: 250, shown: 2, warnings: 3))
        #expect(html.contains("<details class=\"panel\" id=\"rejected\"><summary>250 rejected records</summary>\n<table class=\"issues\">\n"
            + "<tr><td>in.jsonl:0</td><td><bdi>&lt;id&gt;</bdi></td><td>missing text</td></tr>\n"
            + "<tr><td>in.jsonl:1</td><td><bdi>&lt;id&gt;</bdi></td><td>missing text</td></tr>\n</table>\n"
            + "<p class=\"muted\">… and 248 more in run.json.</p>\n</details>\n"
            + "<p class=\"muted\">3 records were repaired on the way in; run.json lists them.</p>\n</header>"))
        #expect(!page(frame(rejected: 2, shown: 2)).contains("more in run.json"))
    }

    @Test func theNightsChangesLinkOnlyTheStoriesOnThePage() {
        func changed(_ id: String, linked: Bool) -> ReviewPage.ChangedStory {
            ReviewPage.ChangedStory(id: id, headline: "<\(id)>", detail: "3 articles", linked: linked)
        }
        let changes = ReviewPage.Changes(run: 4, new: [changed("s-1", linked: true)], grown: [], merged: [], split: [],
                                         left: [changed("s-9", linked: false)])
        let html = page(frame(changes: changes))
        #expect(html.contains("<main>\n<section class=\"panel changes\" id=\"changes\">\n<h2>Since the last night (run 4)</h2>\n\n"
            + "<h3>New</h3><ul><li><a href=\"#s-1\"><bdi>&lt;s-1&gt;</bdi></a> <span class=\"muted\">s-1 · 3 articles</span></li></ul>\n"
            + "\n\n\n<h3>Left the window</h3><ul><li><bdi>&lt;s-9&gt;</bdi> <span class=\"muted\">s-9 · 3 articles</span></li></ul>\n"
            + "</section>\n<section class=\"charts\">"))
        let quiet = page(frame(changes: ReviewPage.Changes(run: 5, new: [], grown: [], merged: [], split: [], left: [])))
        #expect(quiet.contains("<h2>Since the last night (run 5)</h2>\n<p class=\"muted\">No story changed.</p>\n\n\n\n\n\n</section>"))
    }
}
