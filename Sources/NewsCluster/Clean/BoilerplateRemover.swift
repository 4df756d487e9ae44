/// Removes scraped-page boilerplate — site taglines, author lines, share bars, blocks of
/// related-news teasers — learnt from the corpus itself, without any hand-made phrase list.
///
/// A line is boilerplate when it recurs on several pages of the *same* source (site taglines
/// and a site's teaser pool recur; a story's sentences do not). Syndicated copies share whole
/// articles *across* sources, so cross-source repetition is never taken as boilerplate.
/// Teaser blocks are removed as a whole: the trailing block of a page where recurring lines
/// outnumber the others goes, including teasers seen on this page only.
public struct BoilerplateRemover: Sendable {
    /// A line recurring on at least this many pages of one source is boilerplate.
    public var minimumPagesPerSource: Int
    /// Pages without a source (and without a url) are pooled; a line must recur this often there.
    public var minimumPagesWithoutSource: Int
    /// A page is left as it is when cleaning would leave less than this share of its letters:
    /// such a page is a copy of another one, not a template.
    public var minimumKeptShare: Double

    public init(
        minimumPagesPerSource: Int = 2, minimumPagesWithoutSource: Int = 4,
        minimumKeptShare: Double = 0.15
    ) {
        self.minimumPagesPerSource = minimumPagesPerSource
        self.minimumPagesWithoutSource = minimumPagesWithoutSource
        self.minimumKeptShare = minimumKeptShare
    }

    public struct Result: Sendable {
        /// The text of each page without its boilerplate lines, lines joined by `\n`.
        public var texts: [String]
        /// Lines removed, per page.
        public var removedLines: [Int]
        public var totalRemovedLines: Int { removedLines.reduce(0, +) }
    }

    /// The key that groups pages into sites: `source`, else the url's host, else none.
    public static func sourceKey(source: String?, url: String?) -> String? {
        if let source, !source.allSatisfy(\.isWhitespace) {
            return source.lowercased().trimmingCharacters(in: .whitespaces)
        }
        guard let url else { return nil }
        var rest = Substring(url)
        if let scheme = rest.range(of: "://") { rest = rest[scheme.upperBound...] }
        let host = rest.prefix(while: { $0 != "/" && $0 != "?" && $0 != "#" })
        return host.isEmpty ? nil : host.lowercased()
    }

    /// Cleans `texts`; `sources[i]` is the site key of page `i` (see `sourceKey`).
    ///
    /// - Complexity: O(total length) expected (one hash per line).
    public func clean(texts: [String], sources: [String?]) -> Result {
        precondition(texts.count == sources.count)
        let pages = texts.map(Self.lines)
        // Pages per (source, line): a line is counted once per page.
        var pageCounts: [SourceLine: Int] = [:]
        var sourceIndex: [String: Int] = [:]
        let sourceIDs = sources.map { key -> Int in
            guard let key else { return -1 }
            if let id = sourceIndex[key] { return id }
            sourceIndex[key] = sourceIndex.count
            return sourceIndex.count - 1
        }
        for (page, lines) in pages.enumerated() {
            var seen = Set<UInt64>()
            for line in lines where seen.insert(line.key).inserted {
                pageCounts[SourceLine(source: sourceIDs[page], line: line.key), default: 0] += 1
            }
        }
        var cleaned: [String] = []
        var removed: [Int] = []
        cleaned.reserveCapacity(texts.count)
        for (page, lines) in pages.enumerated() {
            let threshold = sourceIDs[page] < 0 ? minimumPagesWithoutSource : minimumPagesPerSource
            let recurring = lines.map {
                pageCounts[SourceLine(source: sourceIDs[page], line: $0.key), default: 0] >= threshold
            }
            let keep = Self.linesToKeep(recurring: recurring)
            let keptLetters = zip(lines, keep).reduce(0) { $0 + ($1.1 ? $1.0.letters : 0) }
            let allLetters = lines.reduce(0) { $0 + $1.letters }
            if allLetters > 0 && Double(keptLetters) < minimumKeptShare * Double(allLetters) {
                cleaned.append(lines.map(\.text).joined(separator: "\n"))
                removed.append(0)
                continue
            }
            cleaned.append(zip(lines, keep).filter(\.1).map(\.0.text).joined(separator: "\n"))
            removed.append(keep.count - keep.filter { $0 }.count)
        }
        return Result(texts: cleaned, removedLines: removed)
    }

    /// Which lines stay: recurring lines go, and so does the trailing block with the highest
    /// (recurring − other) line count when that count is at least 2 — a teaser block whose
    /// recurring headlines carry the few teasers seen nowhere else.
    static func linesToKeep(recurring: [Bool]) -> [Bool] {
        var keep = recurring.map { !$0 }
        var score = 0
        var best = 1
        var bestStart: Int?
        for index in stride(from: recurring.count - 1, through: 0, by: -1) {
            score += recurring[index] ? 1 : -1
            if recurring[index] && score > best {
                best = score
                bestStart = index
            }
        }
        if let bestStart {
            for index in bestStart..<keep.count { keep[index] = false }
        }
        return keep
    }

    struct SourceLine: Hashable {
        var source: Int
        var line: UInt64
    }

    struct Line {
        var text: Substring
        /// Hash of the line with case folded and digits and spaces dropped, so a repeated
        /// "© 2020 …" or a teaser with a changed count still matches.
        var key: UInt64
        var letters: Int
    }

    static func lines(of text: String) -> [Line] {
        text.split(whereSeparator: \.isNewline).compactMap { raw -> Line? in
            let line = raw.trimmingCharacters(in: .whitespaces)
            guard !line.isEmpty else { return nil }
            var key: UInt64 = 0xcbf2_9ce4_8422_2325
            var letters = 0
            var scripts = Tokenizer.ScriptCounts()
            Tokenizer().forEachToken(in: line, scripts: &scripts) { hash, bytes in
                if let first = bytes.first, first >= 0x30 && first <= 0x39 { return }
                key = (key ^ hash) &* 0x100_0000_01b3
                letters += bytes.count
            }
            return Line(text: Substring(line), key: key, letters: letters)
        }
    }
}
