/// The stories' part of `report.html`, written byte by byte: one `<article>` per story with
/// its articles, folded copies and related stories.
///
/// It was a Mustache partial. The engine finds every name by dynamic casts, and a page lists
/// every article of the corpus: at 100k articles the partial took 3.5 s of CPU, 14 % of a
/// nightly run (measured with perf), where this writer takes a tenth of it. The markup is the
/// partial's, byte for byte (`StoryMarkupTests` renders both); the page around it, with its
/// few dozen lookups, stays a template.
struct StoryMarkup {
    private(set) var bytes: [UInt8] = []

    mutating func append(_ stories: some Sequence<ReviewPage.Story>) {
        for story in stories { append(story) }
    }

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
        for bar in story.timeline.bars {
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
        }
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
        if !item.copies.isEmpty {
            raw("<details><summary>")
            escaped(item.copyLabel)
            raw("</summary><ul class=\"items\">")
            for copy in item.copies { append(copy) }
            raw("</ul></details>")
        }
        raw("</li>")
    }

    private mutating func raw(_ text: StaticString) {
        text.withUTF8Buffer { bytes.append(contentsOf: $0) }
    }

    private mutating func number(_ value: Int) {
        var text = String(value)
        text.withUTF8 { bytes.append(contentsOf: $0) }
    }

    /// HTML-escaped as the template escaped every `{{…}}`.
    private mutating func escaped(_ text: String) {
        EscapedHTML.append(text, to: &bytes)
    }
}
