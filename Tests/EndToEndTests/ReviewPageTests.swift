import Foundation
import Testing

/// `report.html` of the demo corpus: its data as written, and (when Chromium is installed,
/// `make test-browser` installs it) as a real browser renders it. The editor's work on the
/// page (keys, judgements, export and import) is tested in `Tests/Browser/`.
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

    @Test func everyStoryIsInThePagesDataLargestThenMostRecentFirst() throws {
        // Published dates are ISO 8601 in UTC here, so they compare as text.
        let stories = try reports.stories.map { story in
            (id: try #require(story["id"] as? String), size: try #require(story["size"] as? Int),
             last: story["last_published"] as? String ?? "")
        }
        let ids = stories.sorted { a, b in
            if a.size != b.size { return a.size > b.size }
            return a.last != b.last ? a.last > b.last : a.id < b.id
        }.map(\.id)
        let data = try Self.blocks(of: html)
        let onPage = try #require((data["stories"] as? [String: Any])?["id"] as? [String])
        #expect(onPage == ids)
        let members = Set(reports.stories.flatMap { ($0["members"] as? [[String: Any]] ?? []).compactMap { $0["id"] as? String } })
        #expect(Set(try #require(data["ids"] as? [String])) == members, "every article is on the page")
        let titles = try #require(data["titles"] as? [String])
        #expect(titles.contains("Protesters take over Kyrgyz White House and free ex-president Atambayev"))
        #expect(!titles.contains { $0.hasSuffix(" | Northline Today") || $0.hasSuffix(" - Mir Plus") },
                "titles lose their site's name as headlines do")
        #expect(html.contains("data-run=\"r-") && html.utf8.count < 200_000)
    }

    @Test func thePageIsTheSameBytesFromRunToRunButForItsTimings() throws {
        let again = try TemporaryDirectory()
        _ = try Reports.ofTheDemo(into: again)
        let second = try String(contentsOfFile: again.file("report.html"), encoding: .utf8)
        func withoutTimings(_ page: String) -> String {
            page.replacingOccurrences(of: #"<div><b>[0-9.,]+ s</b>"#, with: "<div><b>T</b>", options: .regularExpression)
        }
        #expect(withoutTimings(second) == withoutTimings(html))
    }

    @Test(.enabled(if: chromium != nil, "Chromium is not installed (make test-browser installs it)"))
    func aRealBrowserRendersEveryStoryAndTheFilterIgnoresTheRelatedLine() throws {
        let page = "file://" + output.file("report.html")
        let all = try Self.dumpDOM(page)
        let stories = reports.stories.count
        #expect(Self.renderedStories(all).count == stories)
        #expect(all.contains("Bishkek"))
        // "minsk" is in the Bishkek story's "Related:" line, which the filter must not search.
        let expected = Set(reports.stories.filter { story in
            var words = [story["id"], story["headline"]].compactMap { $0 as? String }
            words += (story["terms"] as? [String]) ?? []
            words += ((story["sources"] as? [[String: Any]]) ?? []).compactMap { $0["name"] as? String }
            for member in (story["members"] as? [[String: Any]]) ?? [] {
                words += [member["id"], member["title"]].compactMap { $0 as? String }
            }
            return words.contains { $0.lowercased().contains("minsk") }
        }.compactMap { $0["id"] as? String })
        let filtered = try Self.dumpDOM(page + "#filter=minsk")
        #expect(!expected.isEmpty && expected.count < stories)
        #expect(Set(Self.renderedStories(filtered)) == expected)
        #expect(filtered.contains("<span id=\"shown\">\(expected.count)</span>"))
    }

    /// The ids of the story cards in a dumped DOM, in order.
    static func renderedStories(_ dom: String) -> [String] {
        dom.components(separatedBy: "<article class=\"story").dropFirst().compactMap { tag in
            guard let id = tag.range(of: " id=\"") else { return nil }
            return String(tag[id.upperBound...].prefix { $0 != "\"" })
        }
    }

    /// The page's data blocks inflated (base64, then `gzip -d`), the blocks of one column joined.
    static func blocks(of html: String) throws -> [String: Any] {
        let pattern = try NSRegularExpression(pattern: #"<script type="application/gzip\+base64" data-block="([^"]+)">([A-Za-z0-9+/=]*)</script>"#)
        var result: [String: Any] = [:]
        for match in pattern.matches(in: html, range: NSRange(html.startIndex..., in: html)) {
            let name = String(html[try #require(Range(match.range(at: 1), in: html))])
            let base64 = String(html[try #require(Range(match.range(at: 2), in: html))])
            let json = try gunzip(try #require(Data(base64Encoded: base64)))
            let value = try JSONSerialization.jsonObject(with: json, options: [.fragmentsAllowed])
            if let dot = name.firstIndex(of: ".") {
                let column = String(name[..<dot])
                result[column] = ((result[column] as? [Any]) ?? []) + (try #require(value as? [Any]))
            } else {
                result[name] = value
            }
        }
        return result
    }

    static func gunzip(_ data: Data) throws -> Data {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", "gzip -dc"]
        let input = Pipe(), output = Pipe()
        process.standardInput = input
        process.standardOutput = output
        try process.run()
        Thread.detachNewThread {
            input.fileHandleForWriting.write(data)
            try? input.fileHandleForWriting.close()
        }
        let result = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        try #require(process.terminationStatus == 0, "gzip -dc failed")
        return result
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
