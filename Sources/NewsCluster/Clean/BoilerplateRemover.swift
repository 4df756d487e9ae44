/// Removes scraped-page boilerplate — site taglines, author lines, share bars, blocks of
/// related-news teasers — learnt from the corpus itself, without any hand-made phrase list.
///
/// A line is boilerplate when it recurs on several pages of the *same* source (site taglines
/// and a site's teaser pool recur; a story's sentences do not). Syndicated copies share whole
/// articles *across* sources, so cross-source repetition is never taken as boilerplate.
/// Teaser blocks are removed as a whole: the trailing block of a page where boilerplate lines
/// outnumber the others goes, including teasers seen on this page only. A line that is the
/// headline of another page of the corpus (and the line after it, when it opens like a
/// paragraph of that page) counts as a teaser there, which finds teaser blocks even on a site
/// with too few pages for repetition to show. So does a line that is off the page's topic (its
/// topic words are in neither the title nor the lead): a small night holds one or two pages
/// per site, and their teasers mostly point to articles it does not hold.
struct BoilerplateRemover: Sendable {
    /// A line recurring on at least this many pages of one source is boilerplate.
    var minimumPagesPerSource: Int
    /// Pages without a source (and without a url) are pooled; a line must recur this often there.
    var minimumPagesWithoutSource: Int
    /// A page without a source is left as it is when cleaning would leave less than this share
    /// of its letters: such a page is more likely a copy of another page than a template. (A
    /// page with a source is only left as it is when cleaning would leave nothing: one site's
    /// teasers can outweigh its short articles.)
    var minimumKeptShare: Double

    init(
        minimumPagesPerSource: Int = 3, minimumPagesWithoutSource: Int = 4,
        minimumKeptShare: Double = 0.15
    ) {
        self.minimumPagesPerSource = minimumPagesPerSource
        self.minimumPagesWithoutSource = minimumPagesWithoutSource
        self.minimumKeptShare = minimumKeptShare
    }

    struct Result: Sendable {
        /// The text of each page without its boilerplate lines, lines joined by `\n`.
        var texts: [String]
        /// Lines removed, per page.
        var removedLines: [Int]
        /// The keys of each page's lines (empty when cleaning was off): a nightly state keeps
        /// them, so that an unchanged page is not split and keyed again.
        var lineKeys: [[LineKeys]] = []
        var totalRemovedLines: Int { removedLines.reduce(0, +) }
    }

    /// What the statistics need of one line, without its text: cleaning is decided from these
    /// alone, so that a large corpus need not be held in memory while the statistics are learnt.
    struct LineKeys: Sendable, Equatable, Codable {
        /// Hash of the line with case folded and digits and spaces dropped, so a repeated
        /// "© 2020 …" or a teaser with a changed count still matches.
        var key: UInt64
        /// Hash of the first `prefixTokens` tokens: a cut-off teaser blurb matches its article.
        var prefixKey: UInt64
        /// Hash of the first `minimumHeadlineTokens` tokens.
        var openingKey: UInt64
        var tokens: Int32
        var letters: Int32
        /// Most of the line's tokens are in its page's title: the page's own headline (perhaps
        /// reworded a little), never a teaser.
        var echoesTitle: Bool
        /// A headline-sized line whose next line opens with exactly its words and goes on: a
        /// headline cut from the lead, then the lead — the shape of a teaser.
        var leadsNext: Bool
        /// The line has topic words (`topicStem`), and none of them is in the page's title
        /// or lead: another story's teaser, when it ends the page among others like it.
        var offTopic: Bool
        /// The line ends with an ellipsis ("..." or "…"): a blurb cut short, as teaser blocks
        /// print them under each headline.
        var cutShort: Bool

        init(
            key: UInt64, prefixKey: UInt64, openingKey: UInt64, tokens: Int32, letters: Int32,
            echoesTitle: Bool = false, leadsNext: Bool = false, offTopic: Bool = false, cutShort: Bool = false
        ) {
            self.key = key
            self.prefixKey = prefixKey
            self.openingKey = openingKey
            self.tokens = tokens
            self.letters = letters
            self.echoesTitle = echoesTitle
            self.leadsNext = leadsNext
            self.offTopic = offTopic
            self.cutShort = cutShort
        }
    }

    /// Which lines of each page stay, decided from the line keys of the whole corpus.
    struct Plan: Sendable, Codable {
        /// Per page, a flag per line (nil: every line stays).
        var keep: [[Bool]?]
        /// Lines removed, per page.
        var removedLines: [Int]
    }

    /// The key that groups pages into sites: `source`, else the url's host, else none.
    static func sourceKey(source: String?, url: String?) -> String? {
        // (A first byte that is printable ASCII answers "not all whitespace" without walking
        // the Characters.)
        if let source, source.utf8.first.map({ $0 > 0x20 && $0 < 0x7F }) == true || !source.allSatisfy(\.isWhitespace) {
            return source.lowercased().trimmingWhitespaces()
        }
        guard let url else { return nil }
        var rest = Substring(url)
        if let scheme = rest.range(of: "://") { rest = rest[scheme.upperBound...] }
        let host = rest.prefix(while: { $0 != "/" && $0 != "?" && $0 != "#" })
        return host.isEmpty ? nil : host.lowercased()
    }

    /// Cleans `texts` in memory: `lineKeys`, `plan` and `apply` in one call. `titles[i]` and
    /// `sources[i]` are the title and site key of page `i` (see `sourceKey`); `knownLines[i]`,
    /// when given, are the line keys of page `i` from an earlier run over the same text.
    ///
    /// - Complexity: O(total length) expected (one hash per line).
    func clean(
        texts: [String], titles: [String], sources: [String?], threads: Int = 1, knownLines: [[LineKeys]?] = []
    ) -> Result {
        precondition(texts.count == sources.count && texts.count == titles.count)
        precondition(knownLines.isEmpty || knownLines.count == texts.count)
        let pages = Parallel.map(count: texts.count, threads: threads) { page in
            // Keys that no longer fit the text (another number of lines) are computed again.
            if !knownLines.isEmpty, let known = knownLines[page], known.count == Self.lineTexts(of: texts[page]).count {
                return known
            }
            return Self.lineKeys(of: texts[page], title: titles[page])
        }
        let plan = plan(pages: pages, titles: titles, sources: sources, threads: threads)
        let cleaned = Parallel.map(count: texts.count, threads: threads) { page in
            Self.apply(plan.keep[page], to: texts[page])
        }
        return Result(texts: cleaned, removedLines: plan.removedLines, lineKeys: pages)
    }

    /// The text of a page without the lines `keep` drops (all lines with `keep` nil, or when the
    /// text no longer has the lines `keep` was planned for), lines trimmed and joined by `\n`.
    static func apply(_ keep: [Bool]?, to text: String) -> String {
        let lines = lineTexts(of: text)
        guard let keep, keep.count == lines.count else { return lines.joined(separator: "\n") }
        return zip(lines, keep).filter(\.1).map(\.0).joined(separator: "\n")
    }

    /// Decides which lines of each page stay from the keys of every page of the corpus;
    /// `pages[i]` are the line keys of page `i` (`lineKeys(of:title:)`).
    func plan(pages: [[LineKeys]], titles: [String], sources: [String?], threads: Int = 1) -> Plan {
        precondition(pages.count == sources.count && pages.count == titles.count)
        // A page's headline as other pages would quote it in a teaser: its title, the title
        // without the site's name ("… — Harbor City Gazette"), and a short first line (sites
        // that repeat the headline at the top of the text).
        let headlineKeys = Parallel.map(count: pages.count, threads: threads) { page -> Set<UInt64> in
            var keys = Set<UInt64>()
            if let title = Self.lineTexts(of: titles[page]).first.map({ Self.line($0) }),
               title.tokens >= Self.minimumHeadlineTokens {
                keys.insert(title.key)
                if let site = sources[page] {
                    let stripped = Self.key(of: titles[page], without: site)
                    if stripped.tokens >= Self.minimumHeadlineTokens { keys.insert(stripped.key) }
                }
            }
            if let first = pages[page].first, first.tokens >= Self.minimumHeadlineTokens,
               first.tokens <= Self.maximumHeadlineTokens, first.echoesTitle {
                keys.insert(first.key)
            }
            return keys
        }
        var headlineOwners: [UInt64: [Int]] = [:]
        for (page, keys) in headlineKeys.enumerated() {
            for key in keys { headlineOwners[key, default: []].append(page) }
        }
        // A "headline" that many pages share is a template line (a tagline), not a headline.
        headlineOwners = headlineOwners.filter { $0.value.count <= Self.maximumPagesPerHeadline }
        let teasers = Parallel.map(count: pages.count, threads: threads) { page in
            Self.teaserLines(of: page, lines: pages[page], pages: pages, headlineOwners: headlineOwners)
        }
        // Pages per (source, line): a line is counted once per page, and not where it is a
        // teaser of another page — a site that teases its own article on other pages must not
        // make that article's lead look like boilerplate.
        var pageCounts = SourceLineCounts()
        var sourceIndex: [String: Int] = [:]
        let sourceIDs = sources.map { key -> Int in
            guard let key else { return -1 }
            if let id = sourceIndex[key] { return id }
            sourceIndex[key] = sourceIndex.count
            return sourceIndex.count - 1
        }
        var sitePages = [Int](repeating: 0, count: sourceIndex.count)
        for source in sourceIDs where source >= 0 { sitePages[source] += 1 }
        for (page, lines) in pages.enumerated() {
            for (index, line) in lines.enumerated() where !teasers[page][index] {
                pageCounts.count(line.key, source: sourceIDs[page], page: page)
            }
        }
        let titleTopics = Parallel.map(count: pages.count, threads: threads) { Self.topics(ofTitle: titles[$0]) }
        let results = Parallel.map(count: pages.count, threads: threads) { page -> (keep: [Bool]?, removed: Int) in
            let lines = pages[page]
            let source = sourceIDs[page]
            let threshold = source < 0 ? minimumPagesWithoutSource : minimumPagesPerSource
            // A line on two pages of a site whose titles share no topic word: the template of
            // a site seen twice in a small night (its tagline, share bar, author line), which
            // would otherwise make two stories of that site alike. Two reports of one story on
            // one site (an update) share their titles' words, and keep the sentences they share.
            let recurring = lines.map { line in
                if pageCounts.pages(with: line.key, source: source) >= threshold { return true }
                guard source >= 0, let other = pageCounts.otherPage(with: line.key, source: source, page: page) else {
                    return false
                }
                return Self.haveNoTopicInCommon(titleTopics[page], titleTopics[other])
            }
            let weights = lines.map { Int($0.letters) }
            let offTopic = Self.offTopicTail(lines)
            let teaserOrOffTopic = zip(teasers[page], offTopic).map { $0 || $1 }
            var keep = Self.linesToKeep(recurring: recurring, teaser: teaserOrOffTopic, weights: weights)
            func letters(_ keep: [Bool]) -> Int {
                zip(lines, keep).reduce(0) { $0 + ($1.1 ? Int($1.0.letters) : 0) }
            }
            if letters(keep) == 0 && sourceIDs[page] >= 0 {
                // Nothing left: the site also teases this very article on its other pages, so
                // its lead recurs too. Remove only the lines on most of the site's pages (the
                // tagline, the author line) and the teaser block.
                let pages = Double(sitePages[sourceIDs[page]])
                let template = lines.map {
                    Double(pageCounts.pages(with: $0.key, source: sourceIDs[page]))
                        >= max(Double(threshold), Self.templateShare * pages)
                }
                let block = Self.linesToKeep(
                    recurring: template, teaser: teaserOrOffTopic, weights: weights, blockOnly: true)
                keep = zip(template, block).map { !$0 && $1 }
            }
            let keptLetters = letters(keep)
            let allLetters = lines.reduce(0) { $0 + Int($1.letters) }
            let keptShare = allLetters > 0 ? Double(keptLetters) / Double(allLetters) : 1
            let removed = keep.count - keep.filter { $0 }.count
            if keptLetters == 0 || (sourceIDs[page] < 0 && keptShare < minimumKeptShare) || removed == 0 {
                return (nil, 0)
            }
            return (keep, removed)
        }
        return Plan(keep: results.map(\.keep), removedLines: results.map(\.removed))
    }

    /// The off-topic lines at the end of a page, when they are many: a block of teasers for
    /// other stories. The block runs up from the last line through lines that are off topic,
    /// short (a heading, an author line) or the other half of an off-topic teaser
    /// (`otherHalfOfTeaser`). A few off-topic lines end many an article (a quote, a last
    /// detail), so fewer than `minimumOffTopicTail` count as nothing. Through a heading the run
    /// may climb into the article's own last lines, off the topic of its lead as they may be:
    /// when the lines below the run's last short line make a block by themselves, only they do.
    static func offTopicTail(_ lines: [LineKeys]) -> [Bool] {
        var result = [Bool](repeating: false, count: lines.count)
        let belowLastShort = lines.lastIndex { $0.tokens < minimumHeadlineTokens }.map { $0 + 1 } ?? lines.count
        var index = lines.count - 1
        while index >= 0 && (lines[index].offTopic || lines[index].tokens < minimumHeadlineTokens
                             || (index >= belowLastShort && otherHalfOfTeaser(index, in: lines))) {
            index -= 1
        }
        func isBlock(_ range: Range<Int>) -> Bool {
            lines[range].lazy.filter(\.offTopic).count >= minimumOffTopicTail
        }
        var block = (index + 1)..<lines.count
        guard isBlock(block) else { return result }
        if belowLastShort > block.lowerBound && isBlock(belowLastShort..<lines.count) {
            block = belowLastShort..<lines.count
        }
        for line in block where lines[line].offTopic || (line >= belowLastShort && otherHalfOfTeaser(line, in: lines)) {
            result[line] = true
        }
        return result
    }

    /// Whether line `index` is the other half of a teaser whose headline or blurb is off topic:
    /// the longer line after an off-topic headline, or the headline before a longer off-topic
    /// line. A blurb retells its headline, so one of the two may share a word with the page
    /// ("protesters" on a page about other protests) and still be a teaser. Asked only below
    /// the page's last short line (the block's heading), where lines are a list, not prose.
    static func otherHalfOfTeaser(_ index: Int, in lines: [LineKeys]) -> Bool {
        let line = lines[index]
        if index > 0 {
            let headline = lines[index - 1]
            if headline.offTopic && headline.tokens <= maximumTeaserHeadlineTokens && line.tokens > headline.tokens {
                return true
            }
        }
        if index + 1 < lines.count {
            let blurb = lines[index + 1]
            if blurb.offTopic && line.tokens <= maximumTeaserHeadlineTokens && blurb.tokens > line.tokens { return true }
        }
        return false
    }

    static let maximumTeaserHeadlineTokens: Int32 = 16

    static let minimumOffTopicTail = 6

    static let minimumHeadlineTokens = 4
    static let maximumHeadlineTokens = 30
    static let maximumPagesPerHeadline = 8
    /// A line on this share of a site's pages is part of its template.
    static let templateShare = 0.5

    /// Whether most tokens of `line` are in `title`: the site repeats its headline as the first
    /// line of the text (perhaps reworded a little), rather than starting with a tagline.
    static func sharesMostTokens(_ line: Substring, with title: String) -> Bool {
        Self.line(line, titleTokens: TokenSet(tokenSet(title))).echoesTitle
    }

    static func tokenSet(_ text: String) -> Set<UInt64> {
        var scripts = Tokenizer.ScriptCounts()
        var tokens = Set<UInt64>()
        Tokenizer().forEachToken(in: text, scripts: &scripts) { hash, _ in tokens.insert(hash) }
        return tokens
    }
    static let prefixTokens = 6

    /// Lines of `page` that look like teasers: another page's headline, and the line after such
    /// a headline when it opens like a line of that other page (its blurb); or a short line
    /// followed by a line that opens with the same words (a headline cut from the lead, then
    /// the lead) — the shape of a teaser even for an article that is not in the corpus.
    static func teaserLines(
        of page: Int, lines: [LineKeys], pages: [[LineKeys]], headlineOwners: [UInt64: [Int]]
    ) -> [Bool] {
        var teaser = [Bool](repeating: false, count: lines.count)
        for (index, line) in lines.enumerated() {
            var marksNext = false
            if line.leadsNext && index + 1 < lines.count {
                marksNext = true
            } else if let owners = headlineOwners[line.key]?.filter({ $0 != page }), !owners.isEmpty {
                if index + 1 < lines.count {
                    let next = lines[index + 1].prefixKey
                    marksNext = owners.contains { owner in pages[owner].contains { $0.prefixKey == next } }
                }
            } else {
                continue
            }
            // The page's own headline, maybe worded as in the original it was copied from.
            if line.echoesTitle { continue }
            teaser[index] = true
            if marksNext { teaser[index + 1] = true }
        }
        for index in cutShortTeasers(lines) {
            teaser[index - 1] = true
            teaser[index] = true
        }
        return teaser
    }

    /// The blurbs of `lines` cut short under a headline (a line of headline size that is not
    /// cut short itself), when the page has at least `minimumCutShortTeasers` of them: the
    /// shape of a block of teasers for stories that may be nowhere else in the corpus. A clean
    /// article has at most two such lines (31 of ECB+'s 772 articles have one or two, 7 of
    /// semeval's 1,727 one, GVC's 78 none); 45 of the demo's 60 pages have three to nine.
    static func cutShortTeasers(_ lines: [LineKeys]) -> [Int] {
        let blurbs = lines.indices.dropFirst().filter { index in
            let headline = lines[index - 1]
            return lines[index].cutShort && !headline.cutShort && !headline.echoesTitle
                && headline.tokens >= minimumHeadlineTokens && headline.tokens <= maximumHeadlineTokens
        }
        return blurbs.count >= minimumCutShortTeasers ? blurbs : []
    }

    static let minimumCutShortTeasers = 3

    /// A title's token hashes and its topic words (`topicStem`), in one pass.
    static func tokensAndTopics(ofTitle title: String) -> (tokens: Set<UInt64>, topics: Set<UInt64>) {
        var tokens = Set<UInt64>()
        var topics = Set<UInt64>()
        var scripts = Tokenizer.ScriptCounts()
        Tokenizer().forEachToken(in: title, scripts: &scripts) { hash, bytes in
            tokens.insert(hash)
            let isNumber = bytes.first.map { $0 >= 0x30 && $0 <= 0x39 } ?? false
            let letters = bytes.reduce(0) { $0 + ($1 & 0xC0 == 0x80 ? 0 : 1) }
            if !isNumber, let stem = topicStem(hash, bytes, letters: letters) { topics.insert(stem) }
        }
        return (tokens, topics)
    }

    /// The topic words of a title (`topicStem`), as sorted 32-bit hashes: a few bytes per page.
    static func topics(ofTitle title: String) -> [UInt32] {
        Set(tokensAndTopics(ofTitle: title).topics.map { UInt32(truncatingIfNeeded: $0) }).sorted()
    }

    /// Whether two titles' topic words (`topics(ofTitle:)`) are known and disjoint: two stories.
    static func haveNoTopicInCommon(_ a: [UInt32], _ b: [UInt32]) -> Bool {
        guard !a.isEmpty && !b.isEmpty else { return false }
        var i = 0, j = 0
        while i < a.count && j < b.count {
            if a[i] == b[j] { return false }
            if a[i] < b[j] { i += 1 } else { j += 1 }
        }
        return true
    }

    /// Which lines stay: recurring lines go, and so does the trailing block with the highest
    /// score, where a boilerplate line adds its weight and any other line subtracts twice its
    /// weight (weights are letter counts, or 1 per line without `weights`): a teaser block whose
    /// recognised teasers carry the few lines seen nowhere else, but never a block that buys a
    /// long paragraph of the article with a short tagline. The block needs two boilerplate
    /// lines at least. Teaser lines only count inside such a block: alone, a line may quote a
    /// headline for good reason.
    static func linesToKeep(
        recurring: [Bool], teaser: [Bool], weights: [Int]? = nil, blockOnly: Bool = false
    ) -> [Bool] {
        var keep = blockOnly ? recurring.map { _ in true } : recurring.map { !$0 }
        var score = 0
        var boilerplateLines = 0
        var best = 0
        var bestStart: Int?
        for index in stride(from: recurring.count - 1, through: 0, by: -1) {
            let boilerplate = recurring[index] || teaser[index]
            let weight = max(1, weights?[index] ?? 1)
            // In doubt, keep the article: other lines weigh double.
            score += boilerplate ? weight : -2 * weight
            if boilerplate { boilerplateLines += 1 }
            if boilerplate && boilerplateLines >= 2 && score > best {
                best = score
                bestStart = index
            }
        }
        if let bestStart {
            for index in bestStart..<keep.count { keep[index] = false }
        }
        return keep
    }

    /// Pages per (site, line key), each page counted once per line.
    ///
    /// Line keys are numbered, then (line number, site) pairs: open-addressing maps, where a
    /// dictionary keyed by a (site, line) struct made SipHash most of the plan's
    /// single-threaded part (0.5 s of CPU at 100k articles, measured with perf).
    struct SourceLineCounts {
        private var lines = DenseNumbering()
        /// Per line number, the last page that counted it.
        private var lastPage: [Int] = []
        private var pairs = DenseNumbering()
        private var pageCounts: [Int] = []
        /// Per (line, site): the first page that counted it, and the XOR of all that did,
        /// which name the two pages of a line on two.
        private var firstPage: [Int32] = []
        private var pageXor: [Int32] = []

        /// Counts `page` for its line `key` on site `source` (-1: no site), once per page.
        /// Pages are counted in ascending order.
        mutating func count(_ key: UInt64, source: Int, page: Int) {
            let (line, isNew) = lines.number(of: key)
            if isNew { lastPage.append(-1) }
            guard lastPage[Int(line)] != page else { return }
            lastPage[Int(line)] = page
            let (pair, isNewPair) = pairs.number(of: Self.pairKey(line: line, source: source))
            if isNewPair {
                pageCounts.append(0)
                firstPage.append(Int32(truncatingIfNeeded: page))
                pageXor.append(0)
            }
            pageCounts[Int(pair)] += 1
            pageXor[Int(pair)] ^= Int32(truncatingIfNeeded: page)
        }

        /// The other page of site `source` with the line `key` of `page`, when the line was
        /// counted on exactly two of the site's pages and `page` is one of them (a page where
        /// the line was a teaser did not count it).
        func otherPage(with key: UInt64, source: Int, page: Int) -> Int? {
            guard let line = lines.existingNumber(of: key),
                  let pair = pairs.existingNumber(of: Self.pairKey(line: line, source: source)),
                  pageCounts[Int(pair)] == 2 else { return nil }
            let first = Int(firstPage[Int(pair)])
            let second = Int(pageXor[Int(pair)] ^ firstPage[Int(pair)])
            return page == first ? second : page == second ? first : nil
        }

        /// The pages of site `source` with the line `key`.
        func pages(with key: UInt64, source: Int) -> Int {
            guard let line = lines.existingNumber(of: key),
                  let pair = pairs.existingNumber(of: Self.pairKey(line: line, source: source)) else { return 0 }
            return pageCounts[Int(pair)]
        }

        private static func pairKey(line: Int32, source: Int) -> UInt64 {
            UInt64(UInt32(bitPattern: line)) << 32 | UInt64(UInt32(truncatingIfNeeded: source + 1))
        }
    }

    /// The line key of `text` leaving out the tokens of `site` (a title's "— Site Name").
    static func key(of text: String, without site: String) -> LineKeys {
        var siteTokens = Set<UInt64>()
        var scripts = Tokenizer.ScriptCounts()
        Tokenizer().forEachToken(in: site, scripts: &scripts) { hash, _ in siteTokens.insert(hash) }
        return line(Substring(text), excluding: siteTokens)
    }

    /// A title's tokens, asked about every token of every line of its page: a 64-bit mask of the
    /// hashes' low bits answers most "no"s without hashing into the set (measured: the set
    /// lookups alone made keying a third slower).
    struct TokenSet {
        let tokens: Set<UInt64>
        let mask: UInt64

        init(_ tokens: Set<UInt64>) {
            self.tokens = tokens
            mask = tokens.reduce(0) { $0 | 1 << ($1 & 63) }
        }

        func contains(_ hash: UInt64) -> Bool {
            mask & 1 << (hash & 63) != 0 && tokens.contains(hash)
        }
    }

    /// The keys of a page's lines (pass one of cleaning): computed from the page's text and
    /// title alone, so pages can be keyed as they are read and their text let go.
    static func lineKeys(of text: String, title: String) -> [LineKeys] {
        let (titleSet, titleTopics) = tokensAndTopics(ofTitle: title)
        var pageTopics = titleTopics
        let titleTokens = TokenSet(titleSet)
        var result: [LineKeys] = []
        var topics: [[UInt64]] = []
        for text in lineTexts(of: text) {
            var keyAfterLead: UInt64 = 0
            var lineTopics: [UInt64] = []
            let keys = line(text, titleTokens: titleTokens, leadTokens: result.last.map { Int($0.tokens) } ?? 0,
                            keyAfterLead: &keyAfterLead, topicWords: &lineTopics)
            if let previous = result.last, previous.tokens >= minimumHeadlineTokens,
               previous.tokens <= maximumHeadlineTokens, keys.tokens > previous.tokens,
               previous.openingKey == keys.openingKey, previous.key == keyAfterLead {
                result[result.count - 1].leadsNext = true
            }
            result.append(keys)
            topics.append(lineTopics)
        }
        for lineTopics in topics.prefix(leadLines) { pageTopics.formUnion(lineTopics) }
        for (index, lineTopics) in topics.enumerated() where lineTopics.count >= minimumTopicWords {
            result[index].offTopic = lineTopics.allSatisfy { !pageTopics.contains($0) }
        }
        return result
    }

    /// The lines, after the title, that say what the page is about.
    static let leadLines = 4
    /// Topic words a line needs before it can be off the page's topic.
    static let minimumTopicWords = 2

    /// For a token (not a number) of `letters` letters that says what a text is about — three
    /// letters at least, and not among the most frequent words of any language the language
    /// identifier knows (wordfreq's lists: a data source, not a hand-made stop list) — its first
    /// five letters, hashed: "Бердянський" and "Бердянського", "protest" and "protesters" are
    /// one topic (inflected languages would otherwise share few words). Nil for other tokens.
    static func topicStem(_ hash: UInt64, _ bytes: UnsafeBufferPointer<UInt8>, letters: Int) -> UInt64? {
        // The letter count first: the word lists' lookup costs more.
        guard letters >= 3, !LanguageIdentifier.isFrequentWord(hash) else { return nil }
        var key = Tokenizer.hashSeed
        var taken = 0
        for byte in bytes {
            if byte & 0xC0 != 0x80 {
                if taken == topicStemLetters { break }
                taken += 1
            }
            key = (key ^ UInt64(byte)) &* Tokenizer.hashPrime
        }
        return key
    }

    static let topicStemLetters = 5

    /// The non-blank lines of `text`, trimmed of ASCII blanks; split on bytes, not Characters
    /// (`split(whereSeparator: \.isNewline)` was the stage's main cost, measured; so was
    /// stepping through `String.UTF8View` a byte at a time: 3.9 % of a 100k run's cycles).
    static func lineTexts(of text: String) -> [Substring] {
        var text = text
        let ranges = text.withUTF8 { bytes in lineRanges(of: bytes) }
        let utf8 = text.utf8
        return ranges.map { range in
            text[utf8.index(utf8.startIndex, offsetBy: range.lowerBound)..<utf8.index(utf8.startIndex, offsetBy: range.upperBound)]
        }
    }

    /// Byte ranges of the non-blank lines of `bytes`, trimmed of ASCII blanks.
    static func lineRanges(of bytes: UnsafeBufferPointer<UInt8>) -> [Range<Int>] {
        func isBlank(_ byte: UInt8) -> Bool { byte == 0x20 || byte == 0x09 || byte == 0x0D || byte == 0x0B || byte == 0x0C }
        var result: [Range<Int>] = []
        var start = 0
        while start <= bytes.count {
            var end = start
            while end < bytes.count && bytes[end] != 0x0A { end += 1 }
            var lower = start, upper = end
            while lower < upper && isBlank(bytes[lower]) { lower += 1 }
            while upper > lower && isBlank(bytes[upper - 1]) { upper -= 1 }
            if lower < upper { result.append(lower..<upper) }
            start = end + 1
        }
        return result
    }

    /// Keys a line by its tokens (only its first `firstTokens`, when given), digits and
    /// `excluding` tokens left out. With `titleTokens`, says whether the line echoes that title;
    /// `keyAfterLead` receives the key of the line's first `leadTokens` tokens.
    static func line(
        _ text: Substring, excluding: Set<UInt64> = [], firstTokens: Int = .max,
        titleTokens: TokenSet = TokenSet([]), leadTokens: Int = 0
    ) -> LineKeys {
        var ignored: UInt64 = 0
        var topics: [UInt64] = []
        return line(text, excluding: excluding, firstTokens: firstTokens, titleTokens: titleTokens,
                    leadTokens: leadTokens, keyAfterLead: &ignored, topicWords: &topics)
    }

    /// As above; `topicWords` also receives the line's topic words (`topicStem`).
    static func line(
        _ text: Substring, excluding: Set<UInt64> = [], firstTokens: Int = .max,
        titleTokens: TokenSet, leadTokens: Int, keyAfterLead: inout UInt64, topicWords: inout [UInt64]
    ) -> LineKeys {
        var key = Tokenizer.hashSeed
        var prefixKey = key, openingKey = key
        var letters = 0
        var tokens = 0
        var allTokens = 0, sharedWithTitle = 0
        var afterLead = key
        var scripts = Tokenizer.ScriptCounts()
        Tokenizer().forEachToken(in: text, scripts: &scripts) { hash, bytes in
            allTokens += 1
            if titleTokens.contains(hash) { sharedWithTitle += 1 }
            if let first = bytes.first, first >= 0x30 && first <= 0x39 { return }
            let tokenLetters = bytes.reduce(0) { $0 + ($1 & 0xC0 == 0x80 ? 0 : 1) }
            if let stem = topicStem(hash, bytes, letters: tokenLetters) { topicWords.append(stem) }
            guard tokens < firstTokens, excluding.isEmpty || !excluding.contains(hash) else { return }
            key = (key ^ hash) &* Tokenizer.hashPrime
            if tokens < prefixTokens { prefixKey = key }
            if tokens < minimumHeadlineTokens { openingKey = key }
            if tokens < leadTokens { afterLead = key }
            tokens += 1
            letters += tokenLetters
        }
        keyAfterLead = afterLead
        return LineKeys(
            key: key, prefixKey: prefixKey, openingKey: openingKey, tokens: Int32(tokens), letters: Int32(letters),
            echoesTitle: allTokens > 0 && sharedWithTitle * 10 >= allTokens * 6, cutShort: endsWithEllipsis(text))
    }

    /// Whether `text` ends with "..." or "…" (then blanks or closing quotes and brackets).
    static func endsWithEllipsis(_ text: Substring) -> Bool {
        var bytes = text.utf8[...]
        while let last = bytes.last, last == 0x20 || last == 0x09 || last == 0x22 || last == 0x27 || last == 0x29 || last == 0x5D {
            bytes = bytes.dropLast()
        }
        if bytes.reversed().prefix(3).elementsEqual([0x2E, 0x2E, 0x2E]) { return true }
        return bytes.reversed().prefix(3).elementsEqual([0xA6, 0x80, 0xE2])  // U+2026, UTF-8 E2 80 A6
    }
}
