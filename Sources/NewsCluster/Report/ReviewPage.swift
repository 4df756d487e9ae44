import Foundation

/// `report.html`, the page editors review each morning: one self-contained file (styles, script
/// and charts inline, nothing fetched) shown from the same data as `stories.json`, `run.json` and
/// `changes.json`. This type decides what the page shows (`Page`, computed here); its markup is
/// all in `ReviewPageMarkup`.
///
/// Everything taken from the input reaches the page HTML-escaped (`ReviewPageMarkup.appendEscaped`);
/// text is wrapped in `<bdi>` so right-to-left marks in one title cannot reorder its neighbours;
/// a url becomes a link only when it is http(s).
struct ReviewPage {
    /// Members listed before the rest of a story is folded away.
    var visibleMembers = 12
    /// Articles listed on the page at most (the stories past them show their summary only): a
    /// browser copes with some 100k rows, and a page for a million articles would be 600 MB.
    var listedArticles = 120_000
    /// Days in the stories-per-day chart (the latest ones).
    var chartDays = 60

    init() {}

    /// - Parameter timings: when given, asked for the stage timings once the stories are
    ///   written, just before the page around them: stages that ran beside them are shown.
    func render(
        stories: StoriesFile, manifest: RunManifest, changes: ChangesFile?, threads: Int = 1,
        timings: (() throws -> [String: Double])? = nil
    ) throws -> [UInt8] {
        var page = model(stories: stories, manifest: manifest, changes: changes, threads: threads)
        // The stories are most of the page: written in chunks on every thread, in order.
        let chunks = Parallel.mapChunks(count: page.stories.count, threads: threads) { range in
            var markup = ReviewPageMarkup()
            markup.append(page.stories[range])
            return markup.bytes
        }
        page.stories = []
        if let timings { page.timings = Self.figures(try timings()) }
        var markup = ReviewPageMarkup()
        markup.reserve(chunks.reduce(0) { $0 + $1.count } + (1 << 20))
        markup.appendPage(page, stories: chunks)
        return markup.bytes
    }

    // MARK: The page's model (what the page shows, nothing more)

    struct Page {
        var title: String
        var summary: [Figure]
        var timings: [Figure]
        var rejected: [Issue]
        var rejectedCount: Int
        var rejectedHidden: Int
        var warningsCount: Int
        var changes: Changes?
        var sizeChart: Chart
        var dayChart: Chart
        var sources: [String]
        var languages: [String]
        var stories: [Story]
        var storyCount: Int
    }

    struct Figure {
        var label: String
        var value: String
    }

    struct Issue {
        var location: String
        var id: String
        var reason: String
    }

    struct Changes {
        var run: Int
        var new: [ChangedStory]
        var grown: [ChangedStory]
        var merged: [ChangedStory]
        var split: [ChangedStory]
        var left: [ChangedStory]
    }

    struct ChangedStory {
        var id: String
        var headline: String
        var detail: String
        /// Whether the story is on this page (a story that left the window is not).
        var linked: Bool
    }

    struct Chart {
        var width: Int
        var height: Int
        var bars: [Bar]
        var caption: String
    }

    struct Bar {
        var x: Int
        var y: Int
        var width: Int
        var height: Int
        var label: String
        var count: Int
        var labelX: Int
        var labelY: Int
        var showLabel: Bool
    }

    struct Story {
        var id: String
        var headline: String
        var size: Int
        var terms: String
        var sources: [Count]
        var sourceKeys: String
        var languages: String
        var span: String
        var cohesion: String
        var timeline: Chart
        var items: [Item]
        var folded: [Item]
        var related: [Related]
        /// False past the page's listed articles: the story shows its summary only.
        var listed: Bool
        var listedArticles: Int
    }

    struct Count {
        var name: String
        var count: Int
    }

    struct Item {
        var title: String
        var source: String
        /// Date and language, as shown.
        var when: String
        var url: String
        var link: Bool
        var id: String
        var copies: [Item]
        var copyLabel: String
        /// Why it is here: its score to the rest of its story, a copy's containment (empty in a
        /// story of one article), and what they mean.
        var evidence: String = ""
        var evidenceHint: String = ""
    }

    struct Related {
        var id: String
        var headline: String
        var score: String
    }

    func model(stories: StoriesFile, manifest: RunManifest, changes: ChangesFile?, threads: Int = 1) -> Page {
        let counts = manifest.counts
        let summary = [
            Figure(label: "records read", value: Self.grouped(counts.read)),
            Figure(label: "articles", value: Self.grouped(counts.articles)),
            Figure(label: "stories", value: Self.grouped(counts.stories)),
            Figure(label: "stories of 2 or more", value: Self.grouped(counts.storiesWithSeveralArticles)),
            Figure(label: "duplicate groups", value: Self.grouped(counts.duplicateGroups)),
            Figure(label: "articles in duplicate groups", value: Self.grouped(counts.articlesInDuplicateGroups)),
            Figure(label: "rejected records", value: Self.grouped(counts.rejected)),
            Figure(label: "repaired records", value: Self.grouped(counts.warnings)),
            Figure(label: "boilerplate lines removed", value: Self.grouped(counts.boilerplateLinesRemoved)),
        ]
        let timings = Self.figures(manifest.timings)
        let shownIssues = 200
        let rejected = manifest.rejected.prefix(shownIssues).map {
            Issue(location: "\($0.file):\($0.line)", id: $0.id ?? "", reason: $0.reason)
        }
        let onPage = Set(stories.stories.map(\.id))
        let ordered = Self.forReview(stories.stories)
        var listedBefore = [0]
        for entry in ordered { listedBefore.append(listedBefore.last! + entry.size) }
        return Page(
            title: "newscluster — \(Self.grouped(counts.articles)) articles, \(Self.grouped(counts.stories)) stories",
            summary: summary, timings: timings, rejected: Array(rejected), rejectedCount: manifest.rejected.count,
            rejectedHidden: max(0, manifest.rejected.count - shownIssues), warningsCount: manifest.warnings.count,
            changes: changes.map { Self.changes($0, onPage: onPage) },
            sizeChart: Self.sizeChart(stories.stories), dayChart: dayChart(stories.stories),
            sources: Set(stories.stories.flatMap { $0.sources.map(\.name) }).sorted(),
            languages: Set(stories.stories.flatMap(\.languages)).sorted(),
            stories: Parallel.map(count: ordered.count, threads: threads) { index in
                story(ordered[index], listed: listedBefore[index] + ordered[index].size <= listedArticles)
            },
            storyCount: stories.stories.count)
    }

    /// Stage timings, by stage name.
    static func figures(_ timings: [String: Double]) -> [Figure] {
        timings.sorted { $0.key < $1.key }.map { Figure(label: $0.key, value: String(format: "%.2f s", $0.value)) }
    }

    /// The order editors read in: largest first, then the most recent (by last article; undated
    /// last), then id.
    static func forReview(_ stories: [StoryEntry]) -> [StoryEntry] {
        stories.sorted { a, b in
            if a.size != b.size { return a.size > b.size }
            if a.lastPublished != b.lastPublished {
                guard let x = a.lastPublished else { return false }
                guard let y = b.lastPublished else { return true }
                return x > y
            }
            return a.id < b.id
        }
    }

    static func changes(_ file: ChangesFile, onPage: Set<String>) -> Changes {
        func entry(_ story: ChangesFile.Story, _ detail: String) -> ChangedStory {
            ChangedStory(id: story.id, headline: story.headline, detail: detail, linked: onPage.contains(story.id))
        }
        let new = file.new.map { entry($0, "\($0.size) articles") }
        let grown = file.grown.map {
            ChangedStory(id: $0.id, headline: $0.headline, detail: "+\($0.added), now \($0.size)", linked: onPage.contains($0.id))
        }
        let merged = file.merged.map { merge in
            entry(merge.into, "took in " + merge.stories.map { "\($0.id) (\($0.headline))" }.joined(separator: ", "))
        }
        let split = file.split.flatMap { split in
            split.parts.map { entry($0, "part of \(split.story.id) (\(split.story.headline))") }
        }
        let left = file.left.map { entry($0, "\($0.size) articles") }
        return Changes(run: file.run, new: new, grown: grown, merged: merged, split: split, left: left)
    }

    /// A story; `listed` false past the page's listed articles: all but its articles.
    func story(_ entry: StoryEntry, listed: Bool = true) -> Story {
        // Copies are folded under their canonical article.
        var groupOf: [String: DuplicateGroupEntry] = [:]
        for group in entry.duplicateGroups { groupOf[group.id] = group }
        let byID = Dictionary(entry.members.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        let items = !listed ? [] : entry.members.filter(\.canonical).map { member -> Item in
            let copies = member.duplicateGroup.flatMap { groupOf[$0] }?.members
                .filter { $0 != member.id }.compactMap { byID[$0] }.map { Self.item($0, copies: []) } ?? []
            return Self.item(member, copies: copies)
        }
        let first = entry.firstPublished.map { String($0.prefix(10)) }
        let last = entry.lastPublished.map { String($0.prefix(10)) }
        let span = switch (first, last) {
        case let (a?, b?) where a == b: a
        case let (a?, b?): "\(a) – \(b)"
        default: "undated"
        }
        return Story(
            id: entry.id, headline: entry.headline, size: entry.size, terms: entry.terms.joined(separator: " · "),
            sources: entry.sources.map { Count(name: $0.name, count: $0.articles) },
            sourceKeys: entry.sources.map(\.name).joined(separator: "\n"),
            languages: entry.languages.joined(separator: " "), span: span,
            cohesion: String(format: "%.2f", entry.cohesion), timeline: Self.timeline(entry),
            items: Array(items.prefix(visibleMembers)), folded: Array(items.dropFirst(visibleMembers)),
            related: entry.relatedStories.map { Related(id: $0.id, headline: $0.headline, score: String(format: "%.2f", $0.score)) },
            listed: listed, listedArticles: listedArticles)
    }

    static func item(_ member: StoryMember, copies: [Item]) -> Item {
        let url = member.url?.trimmingWhitespaces() ?? ""
        let scheme = url.prefix(8).lowercased()
        return Item(
            title: member.title.isEmpty ? member.id : member.title, source: member.source ?? "",
            when: [member.published.map { String($0.prefix(16).map { $0 == "T" ? " " : $0 }) }, member.language]
                .compactMap { $0 }.joined(separator: " "),
            url: url,
            link: scheme.hasPrefix("http://") || scheme.hasPrefix("https://"),
            id: member.id, copies: copies, copyLabel: copies.count == 1 ? "1 copy" : "\(copies.count) copies",
            evidence: [member.score.map { String(format: "%.2f", $0) }, member.containment.map { String(format: "copy %.2f", $0) }]
                .compactMap { $0 }.joined(separator: " · "),
            evidenceHint: [member.score.map { _ in "cosine to the story's other articles" },
                           member.containment.map { _ in "share of the shorter text's word 4-grams the canonical article holds" }]
                .compactMap { $0 }.joined(separator: "; "))
    }

    // MARK: Charts (coordinates here, markup in ReviewPageMarkup)

    /// Stories by size in doubling buckets: 1, 2, 3–4, 5–8, …
    static func sizeChart(_ stories: [StoryEntry]) -> Chart {
        var buckets: [(label: String, count: Int)] = []
        var low = 1, high = 1
        let largest = stories.map(\.size).max() ?? 1
        while low <= largest {
            let count = stories.filter { $0.size >= low && $0.size <= high }.count
            buckets.append((low == high ? "\(low)" : "\(low)–\(high)", count))
            low = high + 1
            high *= 2
        }
        return bars(buckets, caption: "stories by number of articles", labelEvery: 1)
    }

    /// Stories by the day of their first article (the latest `chartDays` days).
    func dayChart(_ stories: [StoryEntry]) -> Chart {
        var perDay: [String: Int] = [:]
        for story in stories {
            if let first = story.firstPublished { perDay[String(first.prefix(10)), default: 0] += 1 }
        }
        let days = Self.dayRange(perDay.keys.sorted()).suffix(chartDays)
        let buckets = days.map { (label: String($0.dropFirst(5)), count: perDay[$0] ?? 0) }
        return Self.bars(buckets, caption: "stories by day of their first article", labelEvery: max(1, days.count / 10))
    }

    /// Articles per day over a story's span, up to 21 bars.
    static func timeline(_ story: StoryEntry) -> Chart {
        var perDay: [String: Int] = [:]
        for member in story.members {
            if let published = member.published, published.count >= 10 { perDay[String(published.prefix(10)), default: 0] += 1 }
        }
        let days = Array(dayRange(perDay.keys.sorted()).suffix(21))
        let counts = days.map { perDay[$0] ?? 0 }
        let top = max(1, counts.max() ?? 1)
        let width = 6, height = 18
        let bars = counts.enumerated().map { index, count in
            let barHeight = count == 0 ? 0 : max(2, count * height / top)
            return Bar(x: index * (width + 1), y: height - barHeight, width: width, height: barHeight,
                       label: days[index], count: count, labelX: 0, labelY: 0, showLabel: false)
        }
        return Chart(width: max(1, counts.count * (width + 1)), height: height, bars: bars, caption: "")
    }

    static func bars(_ buckets: [(label: String, count: Int)], caption: String, labelEvery: Int) -> Chart {
        let top = max(1, buckets.map(\.count).max() ?? 1)
        let plot = 120, barWidth = max(6, min(40, 600 / max(1, buckets.count))), gap = 2
        let bars = buckets.enumerated().map { index, bucket in
            let height = bucket.count == 0 ? 0 : max(1, bucket.count * plot / top)
            let x = index * (barWidth + gap)
            return Bar(x: x, y: plot - height, width: barWidth, height: height, label: bucket.label,
                       count: bucket.count, labelX: x + barWidth / 2, labelY: plot + 12, showLabel: index % labelEvery == 0)
        }
        return Chart(width: max(1, buckets.count * (barWidth + gap)), height: plot + 16, bars: bars, caption: caption)
    }

    /// Every day from the first to the last of `days` (`yyyy-mm-dd`, sorted), gaps included.
    static func dayRange(_ days: [String]) -> [String] {
        guard let first = days.first.flatMap(PublishedDate.parse),
              let last = days.last.flatMap(PublishedDate.parse) else { return days }
        let count = Int(((last - first) / 86_400).rounded()) + 1
        guard count > 0, count <= 10_000 else { return days }
        return (0..<count).map { PublishedDate.day(of: first + Double($0) * 86_400) }
    }

    static func grouped(_ number: Int) -> String {
        let digits = String(number)
        var result = ""
        for (index, character) in digits.enumerated() {
            if index > 0 && (digits.count - index) % 3 == 0 && character != "-" && result != "-" { result += "," }
            result.append(character)
        }
        return result
    }
}
