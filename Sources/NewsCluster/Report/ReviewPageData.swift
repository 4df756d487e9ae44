import Foundation

/// The stories as the review page's script reads them: compact JSON columns, each block
/// gzip-compressed and base64-encoded into a non-executable `<script>` element, which the
/// script inflates with the browser's `DecompressionStream` and renders as the editor scrolls.
///
/// Why columns and not markup: the markup of 100,000 articles weighed 60–70 MiB and took
/// Chromium many seconds to lay out. As data, strings that repeat (sources, languages, a url's
/// scheme and host) become numbers into tables, times become day and minute numbers, a story's
/// headline that is its headline article's title is written once, and each column compresses
/// on its own (titles with titles, urls with urls) on all threads. Base64 holds only
/// `A–Z a–z 0–9 + / =`, so nothing from the input can end the element or reach the HTML parser.
///
/// Blocks (each a JSON value; `-1` or `null` mean "none"):
/// - `tables`: `{"hosts": ["https://host", …], "languages": […], "listed_articles": N, "sources": […]}`.
/// - `stories`: one array per field, in review order: `id`, `headline` (null when it is the
///   headline article's title), `headline_article` (a row, -1 when the story is not listed),
///   `size`, `rows` (its article rows: `size`, or 0 past `listedArticles`), `terms`, `sources`
///   (`[source, count, …]`), `languages`, `span` (`[first day, last day]` or null), `timeline`
///   (`[first day, articles that day, the next, …]`), `cohesion` (hundredths), `related`
///   (`[story, score in hundredths, …]`), `judgements` (ids of the editors' judgements).
/// - `articles`: per row, in story order (a story's rows follow one another; a copy right
///   after its canonical article): `host`, `source`, `language`, `day`, `minute`, `score`,
///   `containment`, `copy` (1 for a copy listed under the row before).
/// - `ids.N`, `titles.N`, `paths.N`: the rows' ids, titles (site suffix removed) and urls
///   after the host, `articlesPerBlock` rows per block, N counting from 0.
///
/// Days count from 1970-01-01 (a date as written, its wall-clock day); minutes from midnight.
struct ReviewPageData {
    /// One JSON value of the page's data, before compression.
    struct Block: Equatable {
        var name: String
        var json: [UInt8]
    }

    /// One compressed block as it goes into the page.
    struct EncodedBlock: Equatable {
        var name: String
        /// Base64 of the gzip-compressed JSON.
        var base64: [UInt8]
    }

    /// Rows per block of a text column: small enough that the largest columns compress on
    /// several threads, large enough that gzip's dictionary fills.
    var articlesPerBlock = 25_000

    /// The blocks of `stories`, already in review order; the stories past `listedArticles`
    /// articles get no rows (their summary only).
    func blocks(of stories: [StoryEntry], listedArticles: Int) -> [Block] {
        var tables = Tables()
        var columns = StoryColumns()
        var rows = ArticleColumns()
        let storyIndex = Dictionary(stories.enumerated().map { ($0.element.id, $0.offset) }, uniquingKeysWith: { a, _ in a })
        var listedSoFar = 0
        for story in stories {
            let listed = listedSoFar + story.size <= listedArticles
            if listed { listedSoFar += story.size }
            columns.append(story, listed: listed, tables: &tables, rows: &rows, storyIndex: storyIndex)
        }
        var blocks = [
            Block(name: "tables", json: tables.json(listedArticles: listedArticles)),
            Block(name: "stories", json: columns.json()),
            Block(name: "articles", json: rows.numbersJSON()),
        ]
        let perBlock = max(1, articlesPerBlock)
        for (name, column) in [("ids", rows.ids), ("titles", rows.titles), ("paths", rows.paths)] {
            for (number, start) in stride(from: 0, to: max(1, column.count), by: perBlock).enumerated() {
                blocks.append(Block(name: "\(name).\(number)", json: Self.json(strings: column[start..<min(column.count, start + perBlock)])))
            }
        }
        return blocks
    }

    /// Each block gzip-compressed and base64-encoded, on up to `threads` threads, in order.
    /// zlib writes the same bytes for the same input (no time in its header), so the page
    /// stays byte-identical from run to run.
    static func encoded(_ blocks: [Block], threads: Int) -> [EncodedBlock] {
        Parallel.map(count: blocks.count, threads: threads) { index in
            let compressed = Decompressor.compress(blocks[index].json, as: .gzip)
            return EncodedBlock(name: blocks[index].name, base64: Array(Data(compressed).base64EncodedData()))
        }
    }

    /// The run's key, `r-` and 16 hex digits: FNV-1a over every story id and member id, so
    /// the page of another run (other stories, or the same stories with other members) keeps
    /// its judgements apart in the browser, and the same reports always get the same key.
    static func runKey(_ stories: [StoryEntry]) -> String {
        var hash = Tokenizer.hashSeed
        func add(_ text: String, then separator: UInt8) {
            var text = text
            hash = text.withUTF8 { Tokenizer.hash($0, continuing: hash) }
            hash = [separator].withUnsafeBufferPointer { Tokenizer.hash($0, continuing: hash) }
        }
        for story in stories {
            add(story.id, then: 0x1D)
            for member in story.members { add(member.id, then: 0x1E) }
        }
        let hex = String(hash, radix: 16)
        return "r-" + String(repeating: "0", count: 16 - hex.count) + hex
    }

    // MARK: Values as the page shows them

    /// `value` in hundredths, rounded as `%.2f` shows it (the page divides by 100 again).
    static func hundredths(_ value: Double) -> Int {
        Int(String(format: "%.2f", value).replacingOccurrences(of: ".", with: "")) ?? 0
    }

    /// Days since 1970-01-01 of a `YYYY-MM-DD…` text's date as written (no zone applied).
    static func day(_ text: String) -> Int? {
        let digits = Array(text.utf8.prefix(10))
        guard digits.count == 10, digits[4] == 0x2D, digits[7] == 0x2D,
              let year = number(digits[0..<4]), let month = number(digits[5..<7]), let day = number(digits[8..<10])
        else { return nil }
        return PublishedDate.daysFromCivil(year: year, month: month, day: day)
    }

    /// Minutes since midnight of a `YYYY-MM-DDTHH:MM…` text as written; nil for a date alone.
    static func minute(_ text: String) -> Int? {
        let bytes = Array(text.utf8.prefix(16))
        guard bytes.count == 16, bytes[13] == 0x3A, let hour = number(bytes[11..<13]), let minute = number(bytes[14..<16])
        else { return nil }
        return hour * 60 + minute
    }

    private static func number(_ digits: ArraySlice<UInt8>) -> Int? {
        var value = 0
        for digit in digits {
            guard digit >= 0x30, digit <= 0x39 else { return nil }
            value = value * 10 + Int(digit - 0x30)
        }
        return value
    }

    /// An http(s) url split into its scheme and host, and the rest; nil for any other url,
    /// which the page never links.
    static func httpURL(_ url: String?) -> (host: String, path: String)? {
        guard let url = url?.trimmingWhitespaces(), !url.isEmpty else { return nil }
        let scheme = url.prefix(8).lowercased()
        let schemeLength = scheme.hasPrefix("https://") ? 8 : scheme.hasPrefix("http://") ? 7 : 0
        guard schemeLength > 0 else { return nil }
        let afterScheme = url.utf8.index(url.utf8.startIndex, offsetBy: schemeLength)
        let hostEnd = url.utf8[afterScheme...].firstIndex { $0 == UInt8(ascii: "/") || $0 == UInt8(ascii: "?") || $0 == UInt8(ascii: "#") }
            ?? url.utf8.endIndex
        return (String(url[..<hostEnd]), String(url[hostEnd...]))
    }

    /// A story's members in the order the page lists them: each article that is not a copy,
    /// in the story's order, then its copies in their group's order. A copy whose canonical
    /// article is not in the story is listed on its own rather than left out.
    static func listingOrder(_ story: StoryEntry) -> [(member: StoryMember, copy: Bool)] {
        let byID = Dictionary(story.members.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        let groups = Dictionary(story.duplicateGroups.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        var listed = Set<String>()
        var order: [(member: StoryMember, copy: Bool)] = []
        for member in story.members where member.canonical && listed.insert(member.id).inserted {
            order.append((member, false))
            for copyID in member.duplicateGroup.flatMap({ groups[$0] })?.members ?? [] {
                if let copy = byID[copyID], !copy.canonical, listed.insert(copyID).inserted { order.append((copy, true)) }
            }
        }
        for member in story.members where listed.insert(member.id).inserted { order.append((member, false)) }
        return order
    }

    // MARK: Columns

    /// Strings numbered in order of first use.
    private struct Table {
        var names: [String] = []
        var numbers: [String: Int] = [:]

        mutating func number(_ name: String?) -> Int {
            guard let name else { return -1 }
            if let number = numbers[name] { return number }
            numbers[name] = names.count
            names.append(name)
            return names.count - 1
        }
    }

    private struct Tables {
        var sources = Table()
        var languages = Table()
        var hosts = Table()

        func json(listedArticles: Int) -> [UInt8] {
            var json = JSONWriter(pretty: false)
            json.beginObject()
            json.field("hosts", strings: hosts.names)
            json.field("languages", strings: languages.names)
            json.field("listed_articles", listedArticles)
            json.field("sources", strings: sources.names)
            json.endObject()
            return json.bytes
        }
    }

    private struct ArticleColumns {
        var ids: [String] = []
        var titles: [String] = []
        var paths: [String] = []
        var host: [Int] = []
        var source: [Int] = []
        var language: [Int] = []
        var day: [Int?] = []
        var minute: [Int] = []
        var score: [Int?] = []
        var containment: [Int?] = []
        var copy: [Int] = []
        /// Scores are rounded to 4 decimals, so few values repeat across many rows, and
        /// formatting one as `%.2f` costs far more than a lookup.
        var hundredths: [Double: Int] = [:]

        mutating func hundredths(_ value: Double) -> Int {
            if let known = hundredths[value] { return known }
            let result = ReviewPageData.hundredths(value)
            hundredths[value] = result
            return result
        }

        /// Appends a member's row; returns its title as shown.
        mutating func append(_ member: StoryMember, copy isCopy: Bool, tables: inout Tables) -> String {
            let title = StoryDescriber.headline(member.title, source: member.source)
            ids.append(member.id)
            titles.append(title)
            let url = ReviewPageData.httpURL(member.url)
            host.append(url.map { tables.hosts.number($0.host) } ?? -1)
            paths.append(url?.path ?? "")
            source.append(tables.sources.number(member.source))
            language.append(tables.languages.number(member.language))
            day.append(member.published.flatMap(ReviewPageData.day))
            minute.append(member.published.flatMap(ReviewPageData.minute) ?? -1)
            score.append(member.score.map { hundredths($0) })
            containment.append(member.containment.map { hundredths($0) })
            copy.append(isCopy ? 1 : 0)
            return title
        }

        func numbersJSON() -> [UInt8] {
            var json = JSONWriter(pretty: false)
            json.beginObject()
            json.field("containment", numbers: containment)
            json.field("copy", numbers: copy)
            json.field("day", numbers: day)
            json.field("host", numbers: host)
            json.field("language", numbers: language)
            json.field("minute", numbers: minute)
            json.field("score", numbers: score)
            json.field("source", numbers: source)
            json.endObject()
            return json.bytes
        }
    }

    private struct StoryColumns {
        var ids: [String] = []
        var headlines: [String?] = []
        var headlineRows: [Int] = []
        var sizes: [Int] = []
        var rowCounts: [Int] = []
        var terms: [[String]] = []
        var sources: [[Int]] = []
        var languages: [[Int]] = []
        var spans: [[Int]?] = []
        var timelines: [[Int]] = []
        var cohesion: [Int] = []
        var related: [[Int]] = []
        var judgements: [[String]] = []

        mutating func append(
            _ story: StoryEntry, listed: Bool, tables: inout Tables, rows: inout ArticleColumns, storyIndex: [String: Int]
        ) {
            var headlineRow = -1, headlineTitle: String?
            let firstRow = rows.ids.count
            if listed {
                for (member, copy) in ReviewPageData.listingOrder(story) {
                    let title = rows.append(member, copy: copy, tables: &tables)
                    if member.id == story.headlineArticle {
                        headlineRow = rows.ids.count - 1
                        headlineTitle = title
                    }
                }
            }
            ids.append(story.id)
            headlines.append(headlineTitle == story.headline ? nil : story.headline)
            headlineRows.append(headlineRow)
            sizes.append(story.size)
            rowCounts.append(rows.ids.count - firstRow)
            terms.append(story.terms)
            sources.append(story.sources.flatMap { [tables.sources.number($0.name), $0.articles] })
            languages.append(story.languages.map { tables.languages.number($0) })
            if let first = story.firstPublished.flatMap(ReviewPageData.utcDay),
               let last = story.lastPublished.flatMap(ReviewPageData.utcDay) {
                spans.append([first, last])
            } else {
                spans.append(nil)
            }
            timelines.append(ReviewPageData.timeline(story))
            cohesion.append(rows.hundredths(story.cohesion))
            related.append(story.relatedStories.flatMap { related -> [Int] in
                // Every related story is on the page; one that is not would be a dead link.
                guard let index = storyIndex[related.id] else { return [] }
                return [index, rows.hundredths(related.score)]
            })
            judgements.append(story.judgements)
        }

        func json() -> [UInt8] {
            var json = JSONWriter(pretty: false)
            json.beginObject()
            json.field("cohesion", numbers: cohesion)
            json.field("headline", strings: headlines)
            json.field("headline_article", numbers: headlineRows)
            json.field("id", strings: ids)
            json.field("judgements", stringArrays: judgements)
            json.field("languages", numberArrays: languages)
            json.field("related", numberArrays: related)
            json.field("rows", numbers: rowCounts)
            json.field("size", numbers: sizes)
            json.field("sources", numberArrays: sources)
            json.field("span", numberArrays: spans)
            json.field("terms", stringArrays: terms)
            json.field("timeline", numberArrays: timelines)
            json.endObject()
            return json.bytes
        }
    }

    /// The day of a normalised UTC date-time (`first_published`, `last_published`).
    static func utcDay(_ text: String) -> Int? {
        PublishedDate.parse(text).map { Int(($0 / 86_400).rounded(.down)) }
    }

    /// The story's articles per day as written (up to the latest 21 days): the first day, then
    /// a count per day, days without articles included; empty when no member is dated.
    static func timeline(_ story: StoryEntry) -> [Int] {
        var perDay: [Int: Int] = [:]
        for member in story.members {
            if let day = member.published.flatMap(day) { perDay[day, default: 0] += 1 }
        }
        guard let first = perDay.keys.min(), let last = perDay.keys.max() else { return [] }
        let start = max(first, last - 20)
        return [start] + (start...last).map { perDay[$0] ?? 0 }
    }

    static func json(strings: some Collection<String>) -> [UInt8] {
        var json = JSONWriter(pretty: false)
        json.beginArray()
        for string in strings { json.value(string) }
        json.endArray()
        return json.bytes
    }
}

private extension JSONWriter {
    mutating func field(_ name: String, numbers: [Int]) {
        key(name)
        beginArray()
        for number in numbers { value(number) }
        endArray()
    }

    mutating func field(_ name: String, numbers: [Int?]) {
        key(name)
        beginArray()
        for number in numbers {
            if let number { value(number) } else { value(nil as String?) }
        }
        endArray()
    }

    mutating func field(_ name: String, strings: [String?]) {
        key(name)
        beginArray()
        for string in strings { value(string) }
        endArray()
    }

    mutating func field(_ name: String, numberArrays: [[Int]?]) {
        key(name)
        beginArray()
        for numbers in numberArrays {
            guard let numbers else { value(nil as String?); continue }
            beginArray()
            for number in numbers { value(number) }
            endArray()
        }
        endArray()
    }

    mutating func field(_ name: String, numberArrays: [[Int]]) {
        field(name, numberArrays: numberArrays.map { Optional($0) })
    }

    mutating func field(_ name: String, stringArrays: [[String]]) {
        key(name)
        beginArray()
        for strings in stringArrays {
            beginArray()
            for string in strings { value(string) }
            endArray()
        }
        endArray()
    }
}
