import Testing
@testable import NewsCluster

private func escaped(_ text: String) -> String {
    var bytes: [UInt8] = []
    ReviewPageMarkup.appendEscaped(text, to: &bytes)
    return String(decoding: bytes, as: UTF8.self)
}

private func page(_ page: ReviewPage.Page, data: [ReviewPageData.EncodedBlock] = []) -> String {
    var markup = ReviewPageMarkup()
    markup.appendPage(page, data: data)
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
        sizeChart: chart("by size"), dayChart: chart("by day"), storyCount: 2, runKey: "r-00000000000000ff")
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

    @Test func theStoriesDataIsWrittenAsBlocksBeforeThePagesScript() {
        let blocks = [ReviewPageData.EncodedBlock(name: "tables", base64: Array("H4sIAAAA".utf8)),
                      ReviewPageData.EncodedBlock(name: "titles.0", base64: Array("AAAA+/==".utf8))]
        let html = page(frame(), data: blocks)
        #expect(html.contains("</dialog>\n<script type=\"application/gzip+base64\" data-block=\"tables\">H4sIAAAA</script>\n"
            + "<script type=\"application/gzip+base64\" data-block=\"titles.0\">AAAA+/==</script>\n<script>\n(function () {"))
        #expect(html.contains("<main id=\"review\" data-run=\"r-00000000000000ff\">"))
        #expect(html.contains("<section id=\"stories\" aria-label=\"stories\">"))
    }

    @Test func theHelpListsEveryKeyTheScriptAnswers() {
        let html = page(frame())
        let script = ReviewPageScript.source.description
        for key in ["j", "k", "n", "p", "x", "m", "g", "c", "u", "o", "/", "e", "?"] {
            #expect(html.contains("<kbd>\(key)</kbd>"), "the help names \(key)")
            #expect(script.contains("case \"\(key)\":"), "the script answers \(key)")
        }
        #expect(script.contains("case \"Escape\":") && html.contains("<kbd>Esc</kbd>"))
    }

    @Test func thePageFrameEscapesItsTextAndEndsWithTheDocument() {
        let html = page(frame())
        #expect(html.hasPrefix("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">"))
        #expect(html.hasSuffix("</script>\n</body>\n</html>"))
        #expect(html.contains("<meta name=\"newscluster-schema\" content=\"\(ReportSchema.version)\">"))
        #expect(html.contains("<title>newscluster — &lt;3&gt; articles</title>"))
        #expect(html.contains("<div class=\"figures\"><div><b>0.25 s</b><span class=\"muted\">read</span></div></div>"))
        #expect(html.contains("<span id=\"shown\">2</span> of 2 stories"))
        #expect(html.contains("</style>\n</head>") && html.contains("<script>\n(function () {"))
        #expect(html.contains("<input id=\"filter-text\" type=\"search\""))
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
        #expect(html.contains("<main id=\"review\" data-run=\"r-00000000000000ff\">\n<section class=\"panel changes\" id=\"changes\">\n<h2>Since the last night (run 4)</h2>\n\n"
            + "<h3>New</h3><ul><li><a href=\"#s-1\"><bdi>&lt;s-1&gt;</bdi></a> <span class=\"muted\">s-1 · 3 articles</span></li></ul>\n"
            + "\n\n\n<h3>Left the window</h3><ul><li><bdi>&lt;s-9&gt;</bdi> <span class=\"muted\">s-9 · 3 articles</span></li></ul>\n"
            + "</section>\n<section class=\"charts\">"))
        let quiet = page(frame(changes: ReviewPage.Changes(run: 5, new: [], grown: [], merged: [], split: [], left: [])))
        #expect(quiet.contains("<h2>Since the last night (run 5)</h2>\n<p class=\"muted\">No story changed.</p>\n\n\n\n\n\n</section>"))
    }
}
