import Foundation
import Testing

/// `report.html` of the demo corpus: its content as written, and (when Chromium is installed,
/// `make test-browser` installs it) as a real browser renders it.
@Suite("report.html", .serialized)
struct ReviewPageEndToEndTests {
    static let chromium: String? = ["chromium", "chromium-browser", "google-chrome", "google-chrome-stable"]
        .lazy.compactMap { name -> String? in
            let paths = (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin").split(separator: ":")
            return paths.map { "\($0)/\(name)" }.first { FileManager.default.isExecutableFile(atPath: $0) }
        }.first

    let output: TemporaryDirectory
    let reports: Reports
    let html: String

    init() throws {
        output = try TemporaryDirectory()
        reports = try Reports.ofTheDemo(into: output)
        html = try String(contentsOfFile: output.file("report.html"), encoding: .utf8)
    }

    @Test func everyStoryIsOnThePageLargestThenMostRecentFirst() throws {
        // Published dates are ISO 8601 in UTC here, so they compare as text.
        let stories = try reports.stories.map { story in
            (id: try #require(story["id"] as? String), size: try #require(story["size"] as? Int),
             last: story["last_published"] as? String ?? "")
        }
        let ids = stories.sorted { a, b in
            if a.size != b.size { return a.size > b.size }
            return a.last != b.last ? a.last > b.last : a.id < b.id
        }.map(\.id)
        var position = html.startIndex
        for id in ids {
            let anchor = try #require(html.range(of: "<article class=\"story\" id=\"\(id)\"", range: position..<html.endIndex),
                                      "\(id) missing or out of order")
            position = anchor.upperBound
        }
        #expect(html.components(separatedBy: "<article class=\"story\"").count - 1 == ids.count)
        #expect(html.contains("Protesters seize government buildings in Bishkek")
                || html.contains("Bishkek"), "the Bishkek story is on the page")
    }

    @Test(.enabled(if: chromium != nil, "Chromium is not installed (make test-browser installs it)"))
    func aRealBrowserRendersThePageAndTheFilterHidesWhatItShould() throws {
        let page = "file://" + output.file("report.html")
        let all = try Self.dumpDOM(page)
        let filtered = try Self.dumpDOM(page + "#filter=bishkek")
        let stories = reports.stories.count
        #expect(all.components(separatedBy: "<article class=\"story\"").count - 1 == stories)
        #expect(all.contains("Bishkek"))
        // Filtered: only the stories that mention Bishkek stay visible.
        let gold = try Gold(path: DemoCorpusTests.corpus + "/gold.tsv")
        let bishkekStory = Set(reports.storyOf.filter { gold.story[$0.key] == "bishkek-protests" }.map(\.value))
        let hidden = filtered.components(separatedBy: "<article class=\"story\"").dropFirst().filter { tag in
            tag.prefix(while: { $0 != ">" }).contains(" hidden")
        }.count
        #expect(hidden > 0 && hidden < stories, "the filter hid \(hidden) of \(stories) stories")
        for id in bishkekStory {
            let tag = try #require(filtered.range(of: "<article class=\"story\" id=\"\(id)\""))
            let rest = filtered[tag.upperBound...].prefix(while: { $0 != ">" })
            #expect(!rest.contains("hidden"), "the Bishkek story \(id) stays visible")
        }
        #expect(filtered.contains("<span id=\"shown\">\(stories - hidden)</span>"))
        // The screenshot the README shows (written beside the reports; `make test-browser`
        // copies it to Reports/review-page.png).
        let screenshot = output.file("review-page.png")
        _ = try Self.chromium(["--screenshot=\(screenshot)", "--window-size=1280,1400", page])
        let size = (try FileManager.default.attributesOfItem(atPath: screenshot)[.size] as? Int) ?? 0
        #expect(size > 10_000, "a screenshot of the page was taken")
        if let keep = ProcessInfo.processInfo.environment["NEWSCLUSTER_SCREENSHOT"] {
            try? FileManager.default.removeItem(atPath: keep)
            try FileManager.default.copyItem(atPath: screenshot, toPath: keep)
        }
    }

    static func dumpDOM(_ url: String) throws -> String {
        try chromium(["--dump-dom", "--virtual-time-budget=5000", url])
    }

    @discardableResult
    static func chromium(_ arguments: [String]) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: chromium!)
        process.arguments = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                             "--user-data-dir=\(NSTemporaryDirectory())newscluster-chromium-\(UUID().uuidString)"] + arguments
        let out = Pipe()
        process.standardOutput = out
        process.standardError = FileHandle.nullDevice
        try process.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return String(decoding: data, as: UTF8.self)
    }
}
