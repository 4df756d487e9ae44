import Foundation
import Testing
@testable import NewsCluster

/// JSONWriter must give the bytes of JSONEncoder(.sortedKeys, .withoutEscapingSlashes).
@Suite("JSONWriter")
struct JSONWriterTests {
    static let awkward = [
        "", "plain", "quote \" and back\\slash", "a/b/c", "line\nbreak\r\ttab", "\u{8}\u{c}\u{0}\u{1f}\u{7f}",
        "Кириллица ґ", "emoji 😀👍🏽", "rtl \u{202E}mark", "<script>alert(1)</script>", "\u{2028}\u{2029}",
    ]

    static func encoder(pretty: Bool) -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = pretty ? [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
            : [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }

    @Test(arguments: awkward)
    func stringsAreEscapedAsJSONEncoderDoes(text: String) throws {
        var json = JSONWriter(pretty: false)
        json.value(text)
        #expect(Data(json.bytes) == (try Self.encoder(pretty: false).encode(text)))
    }

    @Test(arguments: [0, 1, 0.5, 0.4321, 0.0001, 0.00001, 1e-7, 123456.789, -0.25, 1e21, 0.1 + 0.2])
    func doublesAreFormattedAsJSONEncoderDoes(number: Double) throws {
        var json = JSONWriter(pretty: false)
        json.value(number)
        #expect(String(decoding: json.bytes, as: UTF8.self)
                == String(decoding: try Self.encoder(pretty: false).encode(number), as: UTF8.self))
    }

    @Test(arguments: [false, true])
    func articleLinesMatchJSONEncoder(pretty: Bool) throws {
        var lines = ReportSamples.articles
        for (index, text) in Self.awkward.enumerated() {
            lines.append(ArticleLine(id: text, story: "s\(index)", duplicateGroup: index.isMultiple(of: 2) ? nil : text,
                                     canonical: index.isMultiple(of: 3) ? text : nil,
                                     related: (0..<(index % 3)).map { RelatedArticle(id: text, story: "r\($0)", score: Double($0) / 7) }))
        }
        for line in lines {
            var json = JSONWriter(pretty: pretty)
            line.write(to: &json)
            #expect(String(decoding: json.bytes, as: UTF8.self)
                    == String(decoding: try Self.encoder(pretty: pretty).encode(line), as: UTF8.self))
        }
    }

    @Test(arguments: [false, true])
    func storyEntriesMatchJSONEncoder(pretty: Bool) throws {
        let template = ReportSamples.stories.stories[0]
        var entries = [template]
        for (index, text) in Self.awkward.enumerated() {
            var story = template
            story.headline = text
            story.terms = index.isMultiple(of: 2) ? [] : [text, "x"]
            story.languages = index.isMultiple(of: 3) ? [] : ["en", text]
            story.firstPublished = index.isMultiple(of: 2) ? nil : text
            story.lastPublished = index.isMultiple(of: 4) ? text : nil
            story.members = index.isMultiple(of: 5) ? [] : [StoryMember(
                id: text, title: text, source: index.isMultiple(of: 2) ? nil : text, published: nil,
                url: text, language: index.isMultiple(of: 3) ? text : nil, duplicateGroup: nil, canonical: index.isMultiple(of: 2))]
            story.duplicateGroups = index.isMultiple(of: 2) ? [] : [DuplicateGroupEntry(id: "d", canonical: text, members: [])]
            story.sources = index.isMultiple(of: 3) ? [] : [SourceCount(name: text, articles: index)]
            story.relatedStories = index.isMultiple(of: 2) ? [] : [RelatedStory(id: "s", headline: text, score: 0.125)]
            story.cohesion = Double(index) / 3
            entries.append(story)
        }
        for entry in entries {
            var json = JSONWriter(pretty: pretty)
            entry.write(to: &json)
            #expect(String(decoding: json.bytes, as: UTF8.self)
                    == String(decoding: try Self.encoder(pretty: pretty).encode(entry), as: UTF8.self))
        }
    }
}
