import Mustache
import Testing
@testable import NewsCluster

/// The Mustache partials `StoryMarkup` replaced (for speed): the writer must produce their
/// output byte for byte. One fix from the old lookups: `Count`'s `name` was shadowed by the
/// parameter `name`, so the page showed "name" for every source.
private let referencePartials: [String: String] = [
        "stories": #"""
{{% CONTENT_TYPE: NEWSCLUSTER_HTML}}{{#stories}}
<article class="story" id="{{id}}" data-sources="{{sourceKeys}}" data-languages="{{languages}}">
<h3><bdi>{{headline}}</bdi></h3>
<div class="meta"><span>{{size}} articles</span><span>{{span}}</span>{{#timeline}}<svg width="{{width}}" height="{{height}}" role="img" aria-label="articles per day">{{#bars}}<rect class="bar" x="{{x}}" y="{{y}}" width="{{width}}" height="{{height}}"><title>{{label}}: {{count}}</title></rect>{{/bars}}</svg>{{/timeline}}<span>cohesion {{cohesion}}</span><span>{{languages}}</span><span class="muted">{{id}}</span></div>
<div class="terms">{{terms}}</div>
<div class="meta">{{#sources}}<span><bdi>{{name}}</bdi> {{count}}</span>{{/sources}}</div>
{{#listed}}<ul class="items">
{{#items}}{{>item}}{{/items}}
</ul>{{/listed}}
{{^listed}}<p class="muted">Its articles are in stories.json: the page lists the articles of the first {{listedArticles}} only.</p>{{/listed}}
{{#hasFolded}}<details><summary>{{foldedCount}} more articles</summary><ul class="items">{{#folded}}{{>item}}{{/folded}}</ul></details>{{/hasFolded}}
{{#hasRelated}}<div class="related">Related: {{#related}}<span class="rel"><a href="#{{id}}"><bdi>{{headline}}</bdi></a> ({{score}})</span>{{/related}}</div>{{/hasRelated}}
</article>
{{/stories}}
"""#,
        "item": #"""
{{% CONTENT_TYPE: NEWSCLUSTER_HTML}}<li><a{{#link}} href="{{url}}" rel="noopener noreferrer"{{/link}}><bdi>{{title}}</bdi></a> <span class="src"><bdi>{{source}}</bdi> {{when}}</span>{{#hasCopies}}<details><summary>{{copyLabel}}</summary><ul class="items">{{#copies}}{{>item}}{{/copies}}</ul></details>{{/hasCopies}}</li>
"""#,
]

private struct StoryChunk {
    var stories: [ReviewPage.Story]
}

extension StoryChunk: MustacheParent {
    public func child(named name: String) -> Any? { name == "stories" ? stories : nil }
}

extension ReviewPage.Story: MustacheParent {
    public func child(named name: String) -> Any? {
        switch name {
        case "id": id
        case "headline": headline
        case "size": size
        case "terms": terms
        case "sources": sources
        case "sourceKeys": sourceKeys
        case "languages": languages
        case "span": span
        case "cohesion": cohesion
        case "timeline": timeline
        case "items": items
        case "folded": folded
        case "foldedCount": folded.count
        case "related": related
        case "hasFolded": !folded.isEmpty
        case "hasRelated": !related.isEmpty
        case "listed": listed
        case "listedArticles": listedArticles
        default: nil
        }
    }
}

extension ReviewPage.Count: MustacheParent {
    public func child(named name: String) -> Any? {
        switch name {
        case "name": self.name
        case "count": count
        default: nil
        }
    }
}

extension ReviewPage.Item: MustacheParent {
    public func child(named name: String) -> Any? {
        switch name {
        case "title": title
        case "source": source
        case "when": when
        case "url": url
        case "link": link
        case "id": id
        case "copies": copies
        case "copyLabel": copyLabel
        case "hasCopies": !copies.isEmpty
        default: nil
        }
    }
}

extension ReviewPage.Related: MustacheParent {
    public func child(named name: String) -> Any? {
        switch name {
        case "id": id
        case "headline": headline
        case "score": score
        default: nil
        }
    }
}


private func reference(_ stories: [ReviewPage.Story]) throws -> String {
    MustacheContentTypes.register(EscapedHTML(), named: EscapedHTML.name)
    var library = MustacheLibrary()
    for (name, text) in referencePartials { try library.register(text, named: name) }
    return library.render(StoryChunk(stories: stories), withTemplate: "stories") ?? ""
}

private func written(_ stories: [ReviewPage.Story]) -> String {
    var markup = StoryMarkup()
    markup.append(stories)
    return String(decoding: markup.bytes, as: UTF8.self)
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

@Suite("StoryMarkup")
struct StoryMarkupTests {
    @Test func writesWhatTheMustachePartialRendered() throws {
        var generator = SeededGenerator(seed: 11)
        let stories = (0..<300).map { randomStory($0, using: &generator) }
        #expect(stories.contains { !$0.listed } && stories.contains { !$0.folded.isEmpty })
        #expect(stories.contains { $0.items.contains { !$0.copies.isEmpty } } && stories.contains { $0.related.isEmpty })
        for story in stories {
            #expect(written([story]) == (try reference([story])), "story \(story.id)")
        }
        #expect(written(stories) == (try reference(stories)))
    }

    @Test func noStoriesWriteNothing() throws {
        #expect(written([]) == (try reference([])))
        #expect(written([]).isEmpty)
    }

    @Test func everyInputTextIsEscaped() {
        var generator = SeededGenerator(seed: 3)
        let html = written((0..<20).map { randomStory($0, using: &generator) })
        #expect(!html.contains("<b onmouseover"))
        #expect(!html.contains("Tom & Jerry"))
        #expect(html.contains("Tom &amp; Jerry&#39;s"))
    }
}
