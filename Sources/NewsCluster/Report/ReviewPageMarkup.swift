/// All of `report.html`'s markup in one place: the page around the stories, its styles, the
/// charts, the dialogs the script opens and the stories' data blocks, written as UTF-8 bytes
/// (see `ReviewPage` for what is on the page and why it is safe; the script that renders the
/// stories is `ReviewPageScript`).
///
/// Each `append` writes one piece; text from the input only ever goes through
/// `appendEscaped(_:to:)`, numbers through `number(_:)`, data as base64, and everything else is
/// a literal of this file.
struct ReviewPageMarkup {
    private(set) var bytes: [UInt8] = []

    init() {}

    /// Room for `count` more bytes: the page is written into one buffer that does not grow.
    mutating func reserve(_ count: Int) {
        bytes.reserveCapacity(bytes.count + count)
    }

    // MARK: The page

    /// The page around the stories' data (`ReviewPageData.encoded`, in order).
    mutating func appendPage(_ page: ReviewPage.Page, data: [ReviewPageData.EncodedBlock]) {
        bytes.reserveCapacity(bytes.count + data.reduce(0) { $0 + $1.base64.count + 128 } + 96 * 1024)
        raw("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
        raw("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
        raw("<meta name=\"newscluster-schema\" content=\"")
        number(ReportSchema.version)
        raw("\">\n<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:\">\n<title>")
        escaped(page.title)
        raw("</title>\n<style>\n")
        raw(Self.style)
        raw("\n</style>\n</head>\n<body>\n<header>\n<h1>")
        escaped(page.title)
        raw("</h1>\n<div class=\"panel figures\">\n")
        for figure in page.summary {
            append(figure)
            raw("\n")
        }
        raw("</div>\n<details class=\"panel\"><summary>timings</summary>\n<div class=\"figures\">")
        for figure in page.timings { append(figure) }
        raw("</div>\n</details>\n")
        if page.rejectedCount > 0 {
            raw("<details class=\"panel\" id=\"rejected\"><summary>")
            number(page.rejectedCount)
            raw(" rejected records</summary>\n<table class=\"issues\">\n")
            for issue in page.rejected {
                raw("<tr><td>")
                escaped(issue.location)
                raw("</td><td><bdi>")
                escaped(issue.id)
                raw("</bdi></td><td>")
                escaped(issue.reason)
                raw("</td></tr>\n")
            }
            raw("</table>\n")
            if page.rejectedHidden > 0 {
                raw("<p class=\"muted\">… and ")
                number(page.rejectedHidden)
                raw(" more in run.json.</p>")
            }
            raw("\n</details>\n")
        }
        if page.warningsCount > 0 {
            raw("<p class=\"muted\">")
            number(page.warningsCount)
            raw(" records were repaired on the way in; run.json lists them.</p>")
        }
        raw("\n</header>\n<main id=\"review\" data-run=\"")
        escaped(page.runKey)
        raw("\">\n")
        if let changes = page.changes { append(changes) }
        raw("<section class=\"charts\">\n")
        append(page.sizeChart)
        raw("\n")
        append(page.dayChart)
        raw("\n</section>\n")
        raw(Self.toolbar)
        number(page.storyCount)
        raw("</span> of ")
        number(page.storyCount)
        raw(" stories</span>\n")
        raw(Self.judgementControls)
        raw("<section id=\"stories\" aria-label=\"stories\"><p class=\"muted\" id=\"loading\">Loading the stories…</p></section>\n")
        raw("<div id=\"more\" class=\"muted\"></div>\n")
        raw("<noscript><p>The stories are shown by the page's script: allow JavaScript, or read stories.json.</p></noscript>\n")
        raw("</main>\n")
        raw(Self.dialogs)
        for block in data {
            raw("<script type=\"application/gzip+base64\" data-block=\"")
            escaped(block.name)
            raw("\">")
            bytes.append(contentsOf: block.base64)
            raw("</script>\n")
        }
        raw("<script>\n")
        raw(ReviewPageScript.source)
        raw("\n</script>\n</body>\n</html>")
    }

    private mutating func append(_ figure: ReviewPage.Figure) {
        raw("<div><b>")
        escaped(figure.value)
        raw("</b><span class=\"muted\">")
        escaped(figure.label)
        raw("</span></div>")
    }

    private mutating func append(_ changes: ReviewPage.Changes) {
        raw("<section class=\"panel changes\" id=\"changes\">\n<h2>Since the last night (run ")
        number(changes.run)
        raw(")</h2>\n")
        let lists: [(heading: StaticString, stories: [ReviewPage.ChangedStory])] = [
            ("New", changes.new), ("Grown", changes.grown), ("Merged", changes.merged), ("Split", changes.split),
            ("Left the window", changes.left),
        ]
        if lists.allSatisfy(\.stories.isEmpty) { raw("<p class=\"muted\">No story changed.</p>") }
        raw("\n")
        for list in lists {
            if !list.stories.isEmpty {
                raw("<h3>")
                raw(list.heading)
                raw("</h3><ul>")
                for story in list.stories { append(story) }
                raw("</ul>")
            }
            raw("\n")
        }
        raw("</section>\n")
    }

    /// A changed story, linked to its place on the page when it is there.
    private mutating func append(_ story: ReviewPage.ChangedStory) {
        raw("<li>")
        if story.linked {
            raw("<a href=\"#")
            escaped(story.id)
            raw("\"><bdi>")
            escaped(story.headline)
            raw("</bdi></a>")
        } else {
            raw("<bdi>")
            escaped(story.headline)
            raw("</bdi>")
        }
        raw(" <span class=\"muted\">")
        escaped(story.id)
        raw(" · ")
        escaped(story.detail)
        raw("</span></li>")
    }

    /// One of the page's two charts, with its caption.
    private mutating func append(_ chart: ReviewPage.Chart) {
        raw("<figure class=\"panel\"><svg width=\"")
        number(chart.width)
        raw("\" height=\"")
        number(chart.height)
        raw("\" role=\"img\" aria-label=\"")
        escaped(chart.caption)
        raw("\">")
        appendBars(chart.bars)
        raw("</svg><figcaption class=\"muted\">")
        escaped(chart.caption)
        raw("</figcaption></figure>")
    }

    private mutating func appendBars(_ bars: [ReviewPage.Bar]) {
        for bar in bars {
            raw("<rect class=\"bar\" x=\"")
            number(bar.x)
            raw("\" y=\"")
            number(bar.y)
            raw("\" width=\"")
            number(bar.width)
            raw("\" height=\"")
            number(bar.height)
            raw("\"><title>")
            escaped(bar.label)
            raw(": ")
            number(bar.count)
            raw("</title></rect>")
            if bar.showLabel {
                raw("<text x=\"")
                number(bar.labelX)
                raw("\" y=\"")
                number(bar.labelY)
                raw("\" text-anchor=\"middle\">")
                escaped(bar.label)
                raw("</text>")
            }
        }
    }

    // MARK: Bytes

    private mutating func raw(_ text: StaticString) {
        text.withUTF8Buffer { bytes.append(contentsOf: $0) }
    }

    private mutating func number(_ value: Int) {
        var text = String(value)
        text.withUTF8 { bytes.append(contentsOf: $0) }
    }

    private mutating func escaped(_ text: String) {
        Self.appendEscaped(text, to: &bytes)
    }

    /// Appends `text` with `<`, `>`, `&`, `"` and `'` replaced by their entities, which makes it
    /// safe both between tags and inside a double-quoted attribute. Runs without one of them
    /// are copied whole (most texts are a single run).
    static func appendEscaped(_ text: String, to bytes: inout [UInt8]) {
        var text = text
        text.withUTF8 { utf8 in
            var runStart = 0
            for index in utf8.indices {
                let entity: StaticString
                switch utf8[index] {
                case UInt8(ascii: "<"): entity = "&lt;"
                case UInt8(ascii: ">"): entity = "&gt;"
                case UInt8(ascii: "&"): entity = "&amp;"
                case UInt8(ascii: "\""): entity = "&quot;"
                case UInt8(ascii: "'"): entity = "&#39;"
                default: continue
                }
                bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[runStart..<index]))
                entity.withUTF8Buffer { bytes.append(contentsOf: $0) }
                runStart = index + 1
            }
            bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[runStart...]))
        }
    }

    // MARK: Styles, toolbar and dialogs

    private static let style: StaticString = #"""
body { font: 15px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; margin: 0; color: #1d2430; background: #f6f7f9; }
header, main { max-width: 1100px; margin: 0 auto; padding: 0 16px; }
header { padding-top: 16px; }
h1 { font-size: 22px; margin: 8px 0 12px; }
h2 { font-size: 17px; margin: 22px 0 8px; }
.panel { background: #fff; border: 1px solid #dde1e6; border-radius: 6px; padding: 10px 14px; margin: 10px 0; }
.figures { display: flex; flex-wrap: wrap; gap: 6px 22px; }
.figures div { min-width: 140px; }
.figures b { display: block; font-size: 18px; }
.muted { color: #66707d; font-size: 13px; }
.charts { display: flex; flex-wrap: wrap; gap: 18px; }
svg text { font-size: 10px; fill: #66707d; }
svg .bar { fill: #4a78b5; }
.toolbar { position: sticky; top: 0; background: #f6f7f9; padding: 8px 0 4px; z-index: 2; display: flex; gap: 8px; flex-wrap: wrap; align-items: center; }
.toolbar input { flex: 1; min-width: 220px; padding: 6px 8px; font-size: 15px; }
.toolbar select { padding: 5px; max-width: 260px; }
.judging { display: flex; gap: 8px; flex-wrap: wrap; align-items: center; padding: 2px 0 6px; }
#status { font-size: 13px; color: #2d5a2d; }
#status.warning { color: #9a3412; }
button { font: inherit; font-size: 13px; padding: 3px 9px; border: 1px solid #b8c0ca; border-radius: 4px; background: #fff; color: #1d2430; cursor: pointer; }
button:hover { background: #eef2f7; }
article.story { background: #fff; border: 1px solid #dde1e6; border-radius: 6px; padding: 10px 14px; margin: 10px 0; scroll-margin-top: 110px; }
article.story.focused { outline: 3px solid #4a78b5; outline-offset: 1px; }
article.story.confirmed { border-left: 5px solid #3d8b3d; }
article.story.merged { border-left: 5px solid #8b5cf6; }
article.story h3 { font-size: 16px; margin: 0 0 4px; }
.badge { display: inline-block; font-size: 12px; font-weight: normal; border-radius: 10px; padding: 0 8px; margin-left: 8px; vertical-align: middle; }
.badge.shaped { background: #fef3c7; color: #78350f; }
.badge.confirmed { background: #dcfce7; color: #14532d; }
.badge.merged { background: #ede9fe; color: #4c1d95; }
.meta { display: flex; flex-wrap: wrap; gap: 4px 14px; font-size: 13px; color: #4d5764; align-items: center; }
.terms { font-size: 13px; color: #3d6b3d; margin: 2px 0 6px; }
ul.items { margin: 6px 0; padding-left: 18px; }
ul.items li { margin: 2px 0; }
li.item.focused > .row { background: #e7eef8; outline: 1px solid #4a78b5; }
li.item.judged > .row > a, li.item.judged > .row > .src { color: #9aa3ad; text-decoration: line-through; }
.verdict { font-size: 12px; color: #9a3412; margin-left: 6px; }
.acts { display: none; margin-left: 6px; }
li.item > .row:hover .acts, li.item.focused > .row .acts { display: inline; }
.acts button, .verdict button, .story-acts button, .ledger button { font-size: 12px; padding: 0 6px; }
.src { color: #66707d; font-size: 13px; }
.evidence { color: #66707d; font-size: 12px; font-variant-numeric: tabular-nums; }
details summary { cursor: pointer; color: #4a78b5; font-size: 13px; }
.related { font-size: 13px; }
.story-acts { margin-top: 6px; display: flex; gap: 6px; flex-wrap: wrap; }
.ledger { font-size: 13px; margin: 6px 0 0; padding: 4px 8px; background: #f8fafc; border-radius: 4px; }
.ledger div { margin: 1px 0; }
.changes li { margin: 2px 0; }
.rel + .rel::before { content: "; "; }
table.issues { border-collapse: collapse; font-size: 13px; }
table.issues td { border-top: 1px solid #e4e7eb; padding: 2px 10px 2px 0; vertical-align: top; }
#more { padding: 12px 0 40px; text-align: center; }
dialog { border: 1px solid #b8c0ca; border-radius: 8px; max-width: 640px; width: 90%; }
dialog::backdrop { background: rgba(20, 30, 40, 0.35); }
#picker-text { width: 100%; box-sizing: border-box; padding: 6px 8px; font-size: 15px; }
#picker-list { list-style: none; padding: 0; margin: 8px 0; max-height: 50vh; overflow: auto; }
#picker-list li { padding: 4px 8px; cursor: pointer; border-radius: 4px; }
#picker-list li[aria-selected="true"] { background: #e7eef8; outline: 1px solid #4a78b5; }
table.keys td { padding: 3px 12px 3px 0; }
kbd { font: 12px ui-monospace, monospace; border: 1px solid #b8c0ca; border-bottom-width: 2px; border-radius: 3px; padding: 0 4px; background: #fff; }
"""#

    /// The filter above the stories, up to the count of stories shown, which `appendPage` writes.
    private static let toolbar: StaticString = #"""
<div class="toolbar" role="search">
<input id="filter-text" type="search" placeholder="Filter: words of headlines, titles, terms, sources or ids  ( / )" aria-label="filter the stories" autocomplete="off">
<select id="filter-source" aria-label="filter by source"><option value="">every source</option></select>
<select id="filter-language" aria-label="filter by language"><option value="">every language</option></select>
<span class="muted"><span id="shown">
"""#

    /// The editor's name, the export, import and help buttons, and the status line that says
    /// what each judgement did.
    private static let judgementControls: StaticString = #"""
</div>
<div class="judging" aria-label="judgements">
<label class="muted">editor <input id="editor" type="text" size="14" placeholder="your name" autocomplete="off"></label>
<button type="button" id="export">Export judgements (<span id="judgement-count">0</span>)</button>
<button type="button" id="import-button">Import…</button><input type="file" id="import" accept=".json,application/json" hidden>
<button type="button" id="help-button" title="keys">? keys</button>
<span id="status" role="status" aria-live="polite"></span>
</div>

"""#

    /// The keys' help and the story picker that moves and merges use.
    private static let dialogs: StaticString = #"""
<dialog id="help" aria-labelledby="help-title">
<h2 id="help-title">Keys</h2>
<table class="keys">
<tr><td><kbd>j</kbd> / <kbd>k</kbd></td><td>next / previous story</td></tr>
<tr><td><kbd>n</kbd> / <kbd>p</kbd> or <kbd>↓</kbd> / <kbd>↑</kbd></td><td>next / previous article of the story</td></tr>
<tr><td><kbd>x</kbd></td><td>the article is not in this story</td></tr>
<tr><td><kbd>m</kbd></td><td>move the article to another story (type a few words of its headline)</td></tr>
<tr><td><kbd>g</kbd></td><td>merge: this story and another are one story</td></tr>
<tr><td><kbd>c</kbd></td><td>confirm: this story is right</td></tr>
<tr><td><kbd>u</kbd></td><td>undo the last judgement</td></tr>
<tr><td><kbd>o</kbd></td><td>open the article's page</td></tr>
<tr><td><kbd>/</kbd></td><td>filter the stories</td></tr>
<tr><td><kbd>e</kbd></td><td>export the judgements (judgements.json)</td></tr>
<tr><td><kbd>?</kbd></td><td>this help</td></tr>
<tr><td><kbd>Esc</kbd></td><td>close, or leave the filter</td></tr>
</table>
<p class="muted">Judgements stay in this browser, for this run's page, until they are exported; each one can be undone from its story.</p>
<form method="dialog"><button>Close</button></form>
</dialog>
<dialog id="picker" aria-labelledby="picker-title">
<h2 id="picker-title">Move to story</h2>
<input id="picker-text" type="search" placeholder="a few words of the headline, or its id" aria-label="find a story" autocomplete="off">
<ul id="picker-list" role="listbox"></ul>
<p class="muted">↑ ↓ choose · Enter pick · Esc cancel</p>
</dialog>

"""#
}
