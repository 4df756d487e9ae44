import Foundation

/// `report.html`, the page editors review each morning: one self-contained file (styles, script
/// and charts inline, nothing fetched) shown from the same data as `stories.json`, `run.json` and
/// `changes.json`. This type decides what the page shows (`Page`, computed here); the stories
/// travel as compressed data (`ReviewPageData`) that the page's script renders as the editor
/// scrolls, and all markup is in `ReviewPageMarkup`, the script in `ReviewPageScript`.
///
/// Everything taken from the input reaches the markup HTML-escaped (`ReviewPageMarkup.appendEscaped`)
/// or the data as base64 of JSON; the script builds the stories' DOM with `textContent`, wraps
/// text in `<bdi>` so right-to-left marks in one title cannot reorder its neighbours, and links
/// a url only when it is http(s).
struct ReviewPage {
    /// Articles listed on the page at most (the stories past them show their summary only):
    /// about 110 bytes of page per article, and a page for a million articles would not load.
    var listedArticles = 120_000
    /// Days in the stories-per-day chart (the latest ones).
    var chartDays = 60
    /// How the stories are cut into blocks of data.
    var data = ReviewPageData()

    init() {}

    /// - Parameter timings: when given, asked for the stage timings once the stories' data is
    ///   written, just before the page around it: stages that ran beside it are shown.
    func render(
        stories: StoriesFile, manifest: RunManifest, changes: ChangesFile?, threads: Int = 1,
        timings: (() throws -> [String: Double])? = nil
    ) throws -> [UInt8] {
        var page = model(stories: stories, manifest: manifest, changes: changes)
        let ordered = Self.forReview(stories.stories)
        let blocks = ReviewPageData.encoded(data.blocks(of: ordered, listedArticles: listedArticles), threads: threads)
        if let timings { page.timings = Self.figures(try timings()) }
        var markup = ReviewPageMarkup()
        markup.reserve(blocks.reduce(0) { $0 + $1.base64.count + 128 } + (1 << 20))
        markup.appendPage(page, data: blocks)
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
        var storyCount: Int
        /// `ReviewPageData.runKey`: the browser keeps the editors' judgements under it.
        var runKey: String
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

    func model(stories: StoriesFile, manifest: RunManifest, changes: ChangesFile?) -> Page {
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
        return Page(
            title: "newscluster — \(Self.grouped(counts.articles)) articles, \(Self.grouped(counts.stories)) stories",
            summary: summary, timings: timings, rejected: Array(rejected), rejectedCount: manifest.rejected.count,
            rejectedHidden: max(0, manifest.rejected.count - shownIssues), warningsCount: manifest.warnings.count,
            changes: changes.map { Self.changes($0, onPage: onPage) },
            sizeChart: Self.sizeChart(stories.stories), dayChart: dayChart(stories.stories),
            storyCount: stories.stories.count, runKey: ReviewPageData.runKey(stories.stories))
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
