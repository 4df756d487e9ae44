/// All of `report.html`'s markup in one place: the page around the stories, its styles and
/// script, the charts and every story, written as UTF-8 bytes (see `ReviewPage` for what is on
/// the page and why it is safe).
///
/// A byte writer rather than a template: the page lists every article of the corpus, and a
/// template engine's dynamic lookups cost many times what appending bytes does. Each `append`
/// writes one piece; text from the input only ever goes through `appendEscaped(_:to:)`, numbers
/// through `number(_:)`, and everything else is a literal of this file.
struct ReviewPageMarkup {
    private(set) var bytes: [UInt8] = []

    init() {}

    /// Room for `count` more bytes: the page is written into one buffer that does not grow.
    mutating func reserve(_ count: Int) {
        bytes.reserveCapacity(bytes.count + count)
    }

    // MARK: The page

    /// The page around `stories`, the stories' markup as `append(_:)` wrote it (in chunks, in order).
    mutating func appendPage(_ page: ReviewPage.Page, stories: [[UInt8]]) {
        bytes.reserveCapacity(bytes.count + stories.reduce(0) { $0 + $1.count } + 64 * 1024)
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
        raw("\n</header>\n<main>\n")
        if let changes = page.changes { append(changes) }
        raw("<section class=\"charts\">\n")
        append(page.sizeChart)
        raw("\n")
        append(page.dayChart)
        raw("\n</section>\n<div class=\"filter\" role=\"search\">\n")
        raw("<input id=\"filter-text\" type=\"search\" placeholder=\"Filter stories by any word of a headline, title or term\" aria-label=\"filter by text\">\n")
        raw("<select id=\"filter-source\" aria-label=\"filter by source\"><option value=\"\">every source</option>")
        for source in page.sources { option(source) }
        raw("</select>\n<select id=\"filter-language\" aria-label=\"filter by language\"><option value=\"\">every language</option>")
        for language in page.languages { option(language) }
        raw("</select>\n<span class=\"muted\"><span id=\"shown\">")
        number(page.storyCount)
        raw("</span> of ")
        number(page.storyCount)
        raw(" stories</span>\n</div>\n")
        for chunk in stories { bytes.append(contentsOf: chunk) }
        raw("\n</main>\n<script>\n")
        raw(Self.script)
        raw("\n</script>\n</body>\n</html>")
    }

    private mutating func append(_ figure: ReviewPage.Figure) {
        raw("<div><b>")
        escaped(figure.value)
        raw("</b><span class=\"muted\">")
        escaped(figure.label)
        raw("</span></div>")
    }

    private mutating func option(_ value: String) {
        raw("<option value=\"")
        escaped(value)
        raw("\">")
        escaped(value)
        raw("</option>")
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

    // MARK: The stories

    mutating func append(_ stories: some Sequence<ReviewPage.Story>) {
        for story in stories { append(story) }
    }

    /// One story: its summary, timeline and sources, then (when listed) its articles with
    /// their copies folded under them, and the related stories as in-page links.
    mutating func append(_ story: ReviewPage.Story) {
        raw("\n<article class=\"story\" id=\"")
        escaped(story.id)
        raw("\" data-sources=\"")
        escaped(story.sourceKeys)
        raw("\" data-languages=\"")
        escaped(story.languages)
        raw("\">\n<h3><bdi>")
        escaped(story.headline)
        raw("</bdi></h3>\n<div class=\"meta\"><span>")
        number(story.size)
        raw(" articles</span><span>")
        escaped(story.span)
        raw("</span><svg width=\"")
        number(story.timeline.width)
        raw("\" height=\"")
        number(story.timeline.height)
        raw("\" role=\"img\" aria-label=\"articles per day\">")
        appendBars(story.timeline.bars)
        raw("</svg><span>cohesion ")
        escaped(story.cohesion)
        raw("</span><span>")
        escaped(story.languages)
        raw("</span><span class=\"muted\">")
        escaped(story.id)
        raw("</span></div>\n<div class=\"terms\">")
        escaped(story.terms)
        raw("</div>\n<div class=\"meta\">")
        for source in story.sources {
            raw("<span><bdi>")
            escaped(source.name)
            raw("</bdi> ")
            number(source.count)
            raw("</span>")
        }
        raw("</div>\n")
        if story.listed {
            raw("<ul class=\"items\">\n")
            for item in story.items { append(item) }
            raw("\n</ul>\n\n")
        } else {
            raw("\n<p class=\"muted\">Its articles are in stories.json: the page lists the articles of the first ")
            number(story.listedArticles)
            raw(" only.</p>\n")
        }
        if !story.folded.isEmpty {
            raw("<details><summary>")
            number(story.folded.count)
            raw(" more articles</summary><ul class=\"items\">")
            for item in story.folded { append(item) }
            raw("</ul></details>")
        }
        raw("\n")
        if !story.related.isEmpty {
            raw("<div class=\"related\">Related: ")
            for related in story.related {
                raw("<span class=\"rel\"><a href=\"#")
                escaped(related.id)
                raw("\"><bdi>")
                escaped(related.headline)
                raw("</bdi></a> (")
                escaped(related.score)
                raw(")</span>")
            }
            raw("</div>")
        }
        raw("\n</article>\n")
    }

    /// An article, linked only when its url is http(s), with its copies folded under it.
    private mutating func append(_ item: ReviewPage.Item) {
        raw("<li><a")
        if item.link {
            raw(" href=\"")
            escaped(item.url)
            raw("\" rel=\"noopener noreferrer\"")
        }
        raw("><bdi>")
        escaped(item.title)
        raw("</bdi></a> <span class=\"src\"><bdi>")
        escaped(item.source)
        raw("</bdi> ")
        escaped(item.when)
        raw("</span>")
        if !item.evidence.isEmpty {
            raw(" <span class=\"evidence\" title=\"")
            escaped(item.evidenceHint)
            raw("\">")
            escaped(item.evidence)
            raw("</span>")
        }
        if !item.copies.isEmpty {
            raw("<details><summary>")
            escaped(item.copyLabel)
            raw("</summary><ul class=\"items\">")
            for copy in item.copies { append(copy) }
            raw("</ul></details>")
        }
        raw("</li>")
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

    // MARK: Styles and script

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
.filter { position: sticky; top: 0; background: #f6f7f9; padding: 8px 0; z-index: 1; display: flex; gap: 8px; flex-wrap: wrap; align-items: center; }
.filter input { flex: 1; min-width: 220px; padding: 6px 8px; font-size: 15px; }
.filter select { padding: 5px; max-width: 260px; }
article.story { background: #fff; border: 1px solid #dde1e6; border-radius: 6px; padding: 10px 14px; margin: 10px 0; }
article.story h3 { font-size: 16px; margin: 0 0 4px; }
.meta { display: flex; flex-wrap: wrap; gap: 4px 14px; font-size: 13px; color: #4d5764; align-items: center; }
.terms { font-size: 13px; color: #3d6b3d; margin: 2px 0 6px; }
ul.items { margin: 6px 0; padding-left: 18px; }
ul.items li { margin: 2px 0; }
.src { color: #66707d; font-size: 13px; }
.evidence { color: #66707d; font-size: 12px; font-variant-numeric: tabular-nums; }
details summary { cursor: pointer; color: #4a78b5; font-size: 13px; }
.related { font-size: 13px; }
.changes li { margin: 2px 0; }
.rel + .rel::before { content: "; "; }
table.issues { border-collapse: collapse; font-size: 13px; }
table.issues td { border-top: 1px solid #e4e7eb; padding: 2px 10px 2px 0; vertical-align: top; }
"""#

    /// The filter: by words of the text, by source and by language; `#filter=words` opens the page filtered.
    private static let script: StaticString = #"""
(function () {
  var text = document.getElementById("filter-text");
  var source = document.getElementById("filter-source");
  var language = document.getElementById("filter-language");
  var shown = document.getElementById("shown");
  var stories = Array.prototype.slice.call(document.querySelectorAll("article.story"));
  var haystacks = stories.map(function (story) { return story.textContent.toLowerCase(); });
  function apply() {
    var words = text.value.toLowerCase().split(/\s+/).filter(function (word) { return word.length > 0; });
    var wantedSource = source.value, wantedLanguage = language.value, count = 0;
    stories.forEach(function (story, index) {
      var visible = words.every(function (word) { return haystacks[index].indexOf(word) >= 0; })
        && (!wantedSource || story.dataset.sources.split("\n").indexOf(wantedSource) >= 0)
        && (!wantedLanguage || story.dataset.languages.split(" ").indexOf(wantedLanguage) >= 0);
      story.hidden = !visible;
      if (visible) { count += 1; }
    });
    shown.textContent = String(count);
  }
  text.addEventListener("input", apply);
  source.addEventListener("change", apply);
  language.addEventListener("change", apply);
  // #filter=words opens the page filtered (links from other tools, and the browser test).
  var match = /^#filter=(.*)$/.exec(location.hash);
  if (match) { text.value = decodeURIComponent(match[1]); apply(); }
})();
"""#
}
