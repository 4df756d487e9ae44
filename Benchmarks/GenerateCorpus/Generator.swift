// Text generation: story and topic vocabularies, reports (title + body as token sequences),
// syndicated copies (edited token sequences), site pages (boilerplate + body + teasers) and the
// JSON line of every article. One Generator per thread; all randomness is per entity, so the
// output does not depend on which thread generates what.

import Foundation
#if canImport(Glibc)
import Glibc
#endif

let localFlag: UInt32 = 0x8000_0000
let fCap: UInt8 = 1, fComma: UInt8 = 2, fPeriod: UInt8 = 4, fPara: UInt8 = 8
let spaceSep: [UInt8] = [32]
let langCodes: [[UInt8]] = Lang.allCases.map { Array($0.code.utf8) }

/// Everything shared by the generator threads: read-only set-up plus the teaser-pool cache.
final class Corpus: @unchecked Sendable {
    let seed: UInt64
    let startUnix: Int
    let year: Int
    let plan: Plan
    let sites: [Site]
    let vocabs: [LangVocab]
    let ids: Scrambler36
    let urlNumbers: Scrambler36
    let pools = PoolCache()

    init(seed: UInt64, startUnix: Int, year: Int, plan: Plan, sites: [Site], vocabs: [LangVocab]) {
        self.seed = seed
        self.startUnix = startUnix
        self.year = year
        self.plan = plan
        self.sites = sites
        self.vocabs = vocabs
        self.ids = Scrambler36(seed: derive(seed, .idKey, 1))
        self.urlNumbers = Scrambler36(seed: derive(seed, .idKey, 2))
    }
}

/// Teaser pools by (site, day), shared by all threads. A pool is a pure function of (seed,
/// site, day), so two threads building the same pool at once build identical ones.
final class PoolCache: @unchecked Sendable {
    private var pools: [Int: [Teaser]] = [:]
    private let lock = NSLock()

    func get(_ key: Int) -> [Teaser]? {
        lock.lock(); defer { lock.unlock() }
        return pools[key]
    }

    func put(_ key: Int, _ p: [Teaser]) {
        lock.lock(); defer { lock.unlock() }
        if pools[key] == nil { pools[key] = p }
    }

    var count: Int {
        lock.lock(); defer { lock.unlock() }
        return pools.count
    }
}

/// An output block: the JSON lines of consecutive output positions.
final class Block: @unchecked Sendable {
    var buf = ByteBuffer(capacity: 1 << 23)
    deinit { buf.free() }
}

/// A growable token sequence (word references + flags) over manual memory.
struct TokenSeq {
    var tok: UnsafeMutablePointer<UInt32>
    var flg: UnsafeMutablePointer<UInt8>
    var count = 0
    private var capacity: Int

    init(capacity: Int = 4096) {
        self.capacity = capacity
        tok = .allocate(capacity: capacity)
        flg = .allocate(capacity: capacity)
    }

    @inline(__always)
    mutating func push(_ t: UInt32, _ f: UInt8) {
        if count == capacity { grow() }
        tok[count] = t
        flg[count] = f
        count += 1
    }

    private mutating func grow() {
        let c = capacity * 2
        let nt = UnsafeMutablePointer<UInt32>.allocate(capacity: c)
        let nf = UnsafeMutablePointer<UInt8>.allocate(capacity: c)
        nt.update(from: tok, count: count)
        nf.update(from: flg, count: count)
        tok.deallocate(); flg.deallocate()
        tok = nt; flg = nf
        capacity = c
    }
}

/// A story's vocabulary (names, numbers, topic words; Zipf-weighted) and its topic's.
struct StoryContext {
    let story: Int
    let lang: Lang
    let vocab: LangVocab
    var entryTok: [UInt32] = []
    var entryStart: [Int] = [0]
    var entryWeight: [Double] = []
    var topicTok: [UInt32] = []
    var topicStart: [Int] = [0]
    var topicAlias: AliasTable
    var local: [[UInt8]] = []
}

/// A teaser as the site prints it: separator, headline, separator, (cut) first sentence.
struct Teaser {
    let story: Int32
    let bytes: [UInt8]
}

private let titlePrefixes: [[[UInt8]]] = [
    ["BREAKING: ", "UPDATE: ", "Breaking: ", "Watch: ", "Exclusive: ", "Latest: "],
    ["Срочно: ", "Молния: ", "Обновлено: ", "Эксклюзив: "],
    ["Терміново: ", "Блискавка: ", "Оновлено: ", "Ексклюзив: "],
].map { (l: [String]) in l.map { Array($0.utf8) } }

private let titleSuffixes: [[[UInt8]]] = [
    [" - report", " — sources", " (video)", " – officials say"],
    [" — СМИ", " — источник", " (видео)"],
    [" — ЗМІ", " — джерело", " (відео)"],
].map { (l: [String]) in l.map { Array($0.utf8) } }

final class Generator: @unchecked Sendable {
    let c: Corpus
    let thread: Int

    // scratch
    private var title = TokenSeq(capacity: 64)
    private var body = TokenSeq()
    private var sentEnds: [Int] = []
    private var copyTitle = TokenSeq(capacity: 64)
    private var copyBody = TokenSeq()
    private var tTitle = TokenSeq(capacity: 64)
    private var tBody = TokenSeq()
    private var tSent: [Int] = []
    private var headline = ByteBuffer(capacity: 1024)
    private var text = ByteBuffer(capacity: 1 << 16)
    private var url = ByteBuffer(capacity: 1024)
    private var line = ByteBuffer(capacity: 1 << 17)

    // results
    var gold = ByteBuffer(capacity: 1 << 20)
    var goldOffsets: [Int] = []
    var articlesWritten = 0
    var bytesWritten = 0
    var perLanguage = [0, 0, 0]
    var teaserReports = 0
    var output: Block?

    init(corpus: Corpus, thread: Int) {
        c = corpus
        self.thread = thread
    }

    // MARK: - Story vocabulary

    private func midWord(_ v: LangVocab, _ rng: inout Rng) -> UInt32 {
        let r = Int(rng.logUniform(300, Double(v.backgroundCount - 1)))
        return UInt32(min(max(r, v.functionCount), v.backgroundCount - 1))
    }

    private func person(_ v: LangVocab, _ rng: inout Rng) -> (first: UInt32, last: UInt32) {
        let female = rng.chance(0.3)
        let first = female ? v.femaleFirst.lowerBound + rng.below(v.femaleFirst.count)
            : v.maleFirst.lowerBound + rng.below(v.maleFirst.count)
        let pool = (!female && rng.chance(0.6)) ? v.maleSurnames : v.anySurnames
        return (UInt32(first), UInt32(pool.lowerBound + rng.below(pool.count)))
    }

    private func place(_ v: LangVocab, _ rng: inout Rng) -> UInt32 {
        UInt32(v.places.lowerBound + rng.below(v.places.count))
    }

    private func number(_ lang: Lang, _ rng: inout Rng) -> String {
        switch rng.below(5) {
        case 0, 1: return String(Int(rng.logUniform(2, 20000)))
        case 2: return String(2021 - Int(rng.logUniform(1, 30)))
        case 3: return "\(rng.int(1, 99))\(lang == .en ? "." : ",")\(rng.int(1, 9))"
        default: return "\(rng.int(2, 95))%"
        }
    }

    func storyContext(_ s: Int) -> StoryContext {
        let plan = c.plan
        let lang = Lang(rawValue: Int(plan.storyLang[s]))!
        let v = c.vocabs[lang.rawValue]

        // topic vocabulary: 2-5 names and places, the rest topic words
        var trng = Rng(derive(c.seed, .topic, UInt64(plan.storyTopic[s])))
        var topicEntries: [[UInt32]] = []
        let tn = trng.int(15, 30)
        for _ in 0..<trng.int(2, 5) {
            if trng.chance(0.4) {
                let p = person(v, &trng)
                topicEntries.append([p.first, p.last])
                topicEntries.append([p.last])
            } else {
                topicEntries.append([place(v, &trng)])
            }
        }
        while topicEntries.count < tn { topicEntries.append([midWord(v, &trng)]) }
        trng.shuffle(&topicEntries)
        var ctx = StoryContext(story: s, lang: lang, vocab: v,
                               topicAlias: AliasTable(weights: (0..<topicEntries.count).map { 1 / pow(Double($0 + 1), 0.7) }))
        for e in topicEntries {
            ctx.topicTok.append(contentsOf: e)
            ctx.topicStart.append(ctx.topicTok.count)
        }

        // story vocabulary: people (full name and surname), places, numbers, topic words
        var srng = Rng(derive(c.seed, .story, UInt64(s)))
        var entries: [[UInt32]] = []
        let en = srng.int(15, 40)
        for _ in 0..<srng.int(1, 3) {
            let p = person(v, &srng)
            entries.append([p.first, p.last])
            entries.append([p.last])
        }
        for _ in 0..<srng.int(1, 5) { entries.append([place(v, &srng)]) }
        for _ in 0..<srng.int(2, 5) {
            ctx.local.append(Array(number(lang, &srng).utf8))
            entries.append([localFlag | UInt32(ctx.local.count - 1)])
        }
        while entries.count < en { entries.append([midWord(v, &srng)]) }
        srng.shuffle(&entries)
        for (i, e) in entries.enumerated() {
            ctx.entryTok.append(contentsOf: e)
            ctx.entryStart.append(ctx.entryTok.count)
            ctx.entryWeight.append(1 / pow(Double(i + 1), 0.6))
        }
        return ctx
    }

    // MARK: - Reports

    /// Title and body of original report `r` (a pure function of the seed and `r`).
    /// With `leadOnly` it stops after the first sentence (all a teaser needs; the tokens drawn
    /// up to there are the same).
    private func generateReport(_ r: Int, _ ctx: StoryContext, title: inout TokenSeq,
                                body: inout TokenSeq, sentEnds: inout [Int], leadOnly: Bool = false) {
        var rng = Rng(derive(c.seed, .report, UInt64(r)))
        let v = ctx.vocab
        let storyP = rng.uniform(0.20, 0.32)
        let topicP = rng.uniform(0.06, 0.12)
        // each report uses its own subset (~75%) of the story's vocabulary
        var active: [Int] = []
        var weights: [Double] = []
        let ne = ctx.entryWeight.count
        for e in 0..<ne where rng.chance(0.75) {
            active.append(e)
            weights.append(ctx.entryWeight[e])
        }
        if active.count < 5 {
            active = Array(0..<min(5, ne))
            weights = active.map { ctx.entryWeight[$0] }
        }
        let storyAlias = AliasTable(weights: weights)
        let topicAlias = ctx.topicAlias

        @inline(__always)
        func emitStory(_ seq: inout TokenSeq, _ rng: inout Rng) {
            let e = active[storyAlias.sample(&rng)]
            for k in ctx.entryStart[e]..<ctx.entryStart[e + 1] { seq.push(ctx.entryTok[k], 0) }
        }
        @inline(__always)
        func emitTopic(_ seq: inout TokenSeq, _ rng: inout Rng) {
            let e = topicAlias.sample(&rng)
            for k in ctx.topicStart[e]..<ctx.topicStart[e + 1] { seq.push(ctx.topicTok[k], 0) }
        }

        // title: 6-14 words, about half from the story and topic vocabularies, no word twice
        title.count = 0
        let tn = rng.int(6, 14)
        var tries = 0
        while title.count < tn {
            let before = title.count
            let u = rng.unit()
            if u < 0.45 { emitStory(&title, &rng) } else if u < 0.55 { emitTopic(&title, &rng) } else { title.push(UInt32(v.zipf.sample(&rng)), 0) }
            tries += 1
            if tries < 40 {
                var seen = false
                for i in 0..<before where title.tok[i] == title.tok[title.count - 1] { seen = true }
                if seen { title.count = before }
            }
        }
        title.flg[0] |= fCap

        // body: log-normal length (median 400 words, 80...1500), sentences of 8-25 words
        let target = min(max(Int(exp(log(400.0) + 0.6 * rng.normal())), 80), 1500)
        body.count = 0
        sentEnds.removeAll(keepingCapacity: true)
        var first = true
        while body.count < target {
            let len = rng.int(8, 25)
            let start = body.count
            let sp = first ? min(storyP * 1.6, 0.6) : storyP
            let tp = sp + topicP
            while body.count - start < len {
                let before = body.count
                let u = rng.unit()
                if u < sp { emitStory(&body, &rng) } else if u < tp { emitTopic(&body, &rng) } else { body.push(UInt32(v.zipf.sample(&rng)), 0) }
                // no immediate repetition ("the the") most of the time
                if before > start && body.tok[before] == body.tok[before - 1] && rng.next() & 7 != 0 {
                    body.count = before
                    continue
                }
                if rng.next() & 15 == 0 { body.flg[body.count - 1] |= fComma }
            }
            body.flg[start] |= fCap
            body.flg[body.count - 1] = (body.flg[body.count - 1] & ~fComma) | fPeriod
            sentEnds.append(body.count - 1)
            first = false
            if leadOnly { return }
        }
        // paragraphs: 3-15, cut at random sentence boundaries
        let s = sentEnds.count
        var p = min(max(Int((Double(target) / rng.uniform(40, 100)).rounded()), 3), 15)
        p = min(p, s)
        if p > 1 {
            var cand = Array(1..<s)
            for i in 0..<(p - 1) {
                let j = i + rng.below(cand.count - i)
                cand.swapAt(i, j)
                body.flg[sentEnds[cand[i] - 1]] |= fPara
            }
        }
        body.flg[body.count - 1] |= fPara
    }

    // MARK: - Rendering

    @inline(__always)
    private func appendWord(_ buf: inout ByteBuffer, _ ref: UInt32, cap: Bool, _ ctx: StoryContext) {
        if ref & localFlag != 0 {
            buf.append(ctx.local[Int(ref & ~localFlag)])
        } else {
            let t = ctx.vocab.table
            let s = Int(t.off[Int(ref)]), e = Int(t.off[Int(ref) + 1])
            buf.append((cap ? t.cap : t.plain) + s, e - s)
        }
    }

    /// Renders tokens from..<to; paragraphs separated by `sep`.
    private func render(_ seq: TokenSeq, _ from: Int, _ to: Int, into buf: inout ByteBuffer,
                        sep: [UInt8], _ ctx: StoryContext) {
        var space = false
        var i = from
        while i < to {
            if space { buf.append(0x20) }
            let f = seq.flg[i]
            appendWord(&buf, seq.tok[i], cap: f & fCap != 0, ctx)
            if f & fComma != 0 { buf.append(UInt8(ascii: ",")) }
            if f & fPeriod != 0 { buf.append(UInt8(ascii: ".")) }
            if f & fPara != 0 && i < to - 1 {
                buf.append(sep)
                space = false
            } else {
                space = true
            }
            i += 1
        }
    }

    private func appendSlug(_ buf: inout ByteBuffer, _ seq: TokenSeq, _ ctx: StoryContext) {
        var n = 0
        for i in 0..<seq.count where n < 8 {
            let ref = seq.tok[i]
            let before = buf.count
            if n > 0 { buf.append(UInt8(ascii: "-")) }
            if ref & localFlag != 0 {
                for b in ctx.local[Int(ref & ~localFlag)] where (b >= 48 && b <= 57) { buf.append(b) }
            } else {
                let t = ctx.vocab.table
                let s = Int(t.slugOff[Int(ref)]), e = Int(t.slugOff[Int(ref) + 1])
                buf.append(t.slug + s, e - s)
            }
            if buf.count == before + (n > 0 ? 1 : 0) { buf.count = before } else { n += 1 }
        }
        if n == 0 { buf.append(ascii: "news") }
    }

    // MARK: - Teaser pools

    /// The ~30 reports a site advertises under its related-news header on a given day: recent
    /// reports in the site's language, newest first. A pure function of (seed, site, day).
    private func pool(site: Int, day: Int) -> [Teaser] {
        let key = site &* 100_003 &+ day
        if let p = c.pools.get(key) { return p }
        let plan = c.plan
        var rng = Rng(derive(c.seed, .pool, UInt64(key)))
        var l = c.sites[site].lang.rawValue
        if plan.langReports[l].isEmpty { l = (0..<3).first { !plan.langReports[$0].isEmpty }! }
        let times = plan.langTimes[l]
        let lo = lowerBound(times, Int32(max(0, day - 1) * 86400))
        let hi = lowerBound(times, Int32(min((day + 1) * 86400, Int(Int32.max))))
        var range = lo..<hi
        if range.count < 30 { range = 0..<times.count }
        let want = min(30, range.count)
        var picked = Set<Int>()
        var picks: [Int] = []
        while picks.count < want {
            let i = range.lowerBound + rng.below(range.count)
            if picked.insert(i).inserted { picks.append(i) }
        }
        picks.sort(by: >)
        var out: [Teaser] = []
        for i in picks {
            let r = Int(plan.langReports[l][i])
            let s = plan.storyOfReport(r)
            let ctx = storyContext(s)
            generateReport(r, ctx, title: &tTitle, body: &tBody, sentEnds: &tSent, leadOnly: true)
            teaserReports += 1
            let st = c.sites[site]
            var sn = ByteBuffer(capacity: 512)
            render(tBody, 0, tSent[0] + 1, into: &sn, sep: spaceSep, ctx)
            var h = ByteBuffer(capacity: 1024)
            h.append(st.paragraphSep)
            render(tTitle, 0, tTitle.count, into: &h, sep: spaceSep, ctx)
            if st.teaserTitlePeriod { h.append(UInt8(ascii: ".")) }
            h.append(st.paragraphSep)
            appendTeaserSentence(&h, sn.toArray(), cut: st.teaserCut)
            out.append(Teaser(story: Int32(s), bytes: h.toArray()))
            h.free(); sn.free()
        }
        c.pools.put(key, out)
        return out
    }

    private func lowerBound(_ a: [Int32], _ x: Int32) -> Int {
        var lo = 0, hi = a.count
        while lo < hi {
            let m = (lo + hi) / 2
            if a[m] < x { lo = m + 1 } else { hi = m }
        }
        return lo
    }

    private func appendTeaserSentence(_ buf: inout ByteBuffer, _ s: [UInt8], cut: Int) {
        if cut == 0 { buf.append(s); return }
        var chars = 0
        var cutByte = -1
        for (i, b) in s.enumerated() where b & 0xC0 != 0x80 {
            if chars == cut { cutByte = i; break }
            chars += 1
        }
        if cutByte < 0 { buf.append(s); return }
        var end = cutByte
        while end > 0 && s[end] != 0x20 { end -= 1 }
        if end == 0 { end = cutByte }
        while end > 0 && (s[end - 1] == UInt8(ascii: ",") || s[end - 1] == UInt8(ascii: ".")) { end -= 1 }
        s.withUnsafeBufferPointer { buf.append($0.baseAddress!, end) }
        buf.append(ascii: "...")
    }

    // MARK: - Pages

    private func appendID(_ buf: inout ByteBuffer, article: Int, site: Int) {
        buf.append(c.sites[site].abbr)
        buf.append(UInt8(ascii: "-"))
        buf.appendBase36(c.ids.scramble(UInt64(article)), width: 7)
    }

    private func appendStoryLabel(_ buf: inout ByteBuffer, _ s: Int) {
        buf.append(UInt8(ascii: "s"))
        buf.appendBase36(UInt64(s), width: 5)
    }

    /// Writes one page: `headline` holds the rendered headline, `seq[0..<end]` the body.
    private func writePage(article: Int, siteIndex: Int, story: Int, time: Int, ctx: StoryContext,
                           titleSeq: TokenSeq, seq: TokenSeq, end: Int, credit: Int?,
                           dupOriginal: (article: Int, site: Int)?, mirror: Int? = nil) {
        let site = c.sites[siteIndex]
        var rng = Rng(derive(c.seed, .page, UInt64(article)))
        let sep = site.paragraphSep
        let unix = c.startUnix + time

        text.count = 0
        if site.repeatTitle {
            text.append(headline)
            if site.titlePeriod { text.append(UInt8(ascii: ".")) }
            text.append(sep)
        }
        // A mirror is a small site of its own (a viral story is republished by thousands of
        // them): the site gives its language, time zone and URL pattern; its name and domain
        // carry its code, and its page is that name, the body and perhaps a credit. The site's
        // own boilerplate would be shared by a hundred mirrors, which no source repeats.
        var mirrorCode: [UInt8] = []
        if let mirror {
            var code = ByteBuffer(capacity: 8)
            code.append(UInt8(ascii: "m"))
            code.appendBase36(UInt64(mirror), width: 4)
            mirrorCode = code.toArray()
            code.free()
            text.append(site.nameBytes); text.append(UInt8(ascii: " ")); text.append(mirrorCode)
        } else {
            text.append(site.tagline)
        }
        text.append(sep)
        if mirror == nil, let x = site.extraBefore { text.append(x); text.append(sep) }
        render(seq, 0, end, into: &text, sep: sep, ctx)
        if let o = credit {
            let cr = site.credits[rng.below(site.credits.count)]
            text.append(sep)
            text.append(cr.prefix); text.append(c.sites[o].nameBytes); text.append(cr.suffix)
        }
        if mirror == nil { appendSiteFooter(site: site, siteIndex: siteIndex, story: story, time: time, rng: &rng) }
        appendURLAndLine(article: article, siteIndex: siteIndex, story: story, unix: unix, ctx: ctx,
                         titleSeq: titleSeq, dupOriginal: dupOriginal, mirrorCode: mirrorCode)
    }

    /// The author line, the site's last fixed line and its block of teasers.
    private func appendSiteFooter(site: Site, siteIndex: Int, story: Int, time: Int, rng: inout Rng) {
        let sep = site.paragraphSep
        text.append(sep)
        text.append(site.authors[rng.below(site.authors.count)])
        if let x = site.extraAfter { text.append(sep); text.append(x) }
        text.append(sep)
        text.append(site.related)
        let day = time / 86400
        let p = pool(site: siteIndex, day: day)
        var eligible: [Int] = []
        for (i, t) in p.enumerated() where Int(t.story) != story { eligible.append(i) }
        let k = min(rng.int(site.teaserMin, site.teaserMax), eligible.count)
        for i in 0..<k {
            let j = i + rng.below(eligible.count - i)
            eligible.swapAt(i, j)
        }
        let chosen = eligible[0..<k].sorted()
        for i in chosen {
            text.append(p[i].bytes)
        }
    }

    /// The page's URL, its JSON line (with `headline` and `text`) and its gold row.
    private func appendURLAndLine(article: Int, siteIndex: Int, story: Int, unix: Int, ctx: StoryContext,
                                  titleSeq: TokenSeq, dupOriginal: (article: Int, site: Int)?,
                                  mirrorCode: [UInt8]) {
        let site = c.sites[siteIndex]
        // URL
        url.count = 0
        url.append(ascii: "https://")
        if !mirrorCode.isEmpty { url.append(mirrorCode); url.append(UInt8(ascii: ".")) }
        url.append(site.domain)
        let civ = CivilTime(unixSeconds: unix + site.offsetMinutes * 60)
        let num = Int(c.urlNumbers.scramble(UInt64(article))) + 10_000_000
        func date(_ dash: UInt8) {
            url.appendDecimal(civ.year, width: 4); url.append(dash)
            url.appendDecimal(civ.month, width: 2); url.append(dash)
            url.appendDecimal(civ.day, width: 2)
        }
        switch site.urlPattern {
        case 0: url.append(ascii: "/news/"); date(47); url.append(47); appendSlug(&url, titleSeq, ctx)
        case 1: url.append(ascii: "/world/"); appendSlug(&url, titleSeq, ctx); url.append(45); url.appendDecimal(num)
        case 2:
            url.append(47); url.append(langCodes[ctx.lang.rawValue]); url.append(ascii: "/news/")
            url.appendDecimal(num); url.append(45); appendSlug(&url, titleSeq, ctx); url.append(ascii: ".html")
        case 3: url.append(47); date(47); url.append(47); appendSlug(&url, titleSeq, ctx); url.append(47)
        case 4: url.append(ascii: "/story/"); url.appendDecimal(num)
        case 5: url.append(ascii: "/news/"); appendSlug(&url, titleSeq, ctx); url.append(45); url.appendDecimal(num)
        case 6: url.append(47); date(45); url.append(47); appendSlug(&url, titleSeq, ctx)
        default: url.append(ascii: "/news/"); date(47); url.append(47); url.appendDecimal(num); url.append(ascii: ".html")
        }

        // JSON line
        line.count = 0
        line.append(ascii: "{\"id\":\"")
        appendID(&line, article: article, site: siteIndex)
        line.append(ascii: "\",\"title\":\"")
        line.appendJSONEscaped(headline)
        if mirrorCode.isEmpty { line.appendJSONEscaped(site.titleSuffix) }
        line.append(ascii: "\",\"text\":\"")
        line.appendJSONEscaped(text)
        line.append(ascii: "\",\"url\":\"")
        line.appendJSONEscaped(url)
        line.append(ascii: "\",\"source\":\"")
        line.appendJSONEscaped(site.nameBytes)
        if !mirrorCode.isEmpty { line.append(UInt8(ascii: " ")); line.append(mirrorCode) }
        line.append(ascii: "\",\"published\":\"")
        line.appendISODate(unixSeconds: unix, offsetMinutes: site.offsetMinutes)
        line.append(ascii: "\",\"language\":\"")
        line.append(langCodes[ctx.lang.rawValue])
        line.append(ascii: "\"}\n")

        output!.buf.append(line)
        articlesWritten += 1
        bytesWritten += line.count
        perLanguage[ctx.lang.rawValue] += 1

        // gold
        goldOffsets.append(gold.count)
        appendID(&gold, article: article, site: siteIndex)
        gold.append(9)
        appendStoryLabel(&gold, story)
        gold.append(9)
        if let d = dupOriginal { appendID(&gold, article: d.article, site: d.site) }
        gold.append(10)
    }

    // MARK: - Driver

    /// Appends the articles at output positions `positions` (in the shuffled order) to `block`.
    func generate(positions: Range<Int>, into block: Block) {
        output = block
        block.buf.count = 0
        let plan = c.plan
        for pos in positions {
            let a = Int(plan.order[pos])
            let r: Int, copy: Int
            let viralCopy = a - plan.originals - plan.copies
            if a < plan.originals {
                r = a
                copy = -1
            } else if viralCopy >= 0 {
                r = plan.viralReport
                copy = viralCopy
            } else {
                r = Int(plan.copyOwner[a - plan.originals])
                copy = a - Int(plan.reportCopyBase[r])
            }
            let s = plan.storyOfReport(r)
            let ctx = storyContext(s)
            generateReport(r, ctx, title: &title, body: &body, sentEnds: &sentEnds)
            let site = Int(plan.reportSite[r])
            let time = Int(plan.reportTime[r])
            if copy < 0 {
                headline.count = 0
                render(title, 0, title.count, into: &headline, sep: spaceSep, ctx)
                writePage(article: r, siteIndex: site, story: s, time: time, ctx: ctx, titleSeq: title,
                          seq: body, end: body.count, credit: nil,
                          dupOriginal: plan.reportCopies[r] > 0 || r == plan.viralReport ? (r, site) : nil)
            } else if viralCopy >= 0 {
                writeCopy(r, article: a, rng: Rng(derive(c.seed, .viral, UInt64(copy))),
                          copySite: viralSite(r, language: ctx.lang.rawValue, copy: copy), mirror: copy,
                          story: s, site: site, time: time, ctx)
            } else {
                writeCopy(r, article: a, rng: Rng(derive(c.seed, .copy, UInt64(r) << 8 | UInt64(copy))),
                          copySite: copySites(r, language: ctx.lang.rawValue)[copy], mirror: nil,
                          story: s, site: site, time: time, ctx)
            }
        }
        output = nil
    }

    /// The sites that republish report r (distinct, none of them r's own site).
    private func copySites(_ r: Int, language l: Int) -> [Int] {
        let plan = c.plan
        var rng = Rng(derive(c.seed, .copySites, UInt64(r)))
        let own = Int(plan.reportSite[r])
        var used: [Int] = [own]
        for _ in 0..<Int(plan.reportCopies[r]) {
            var cs = -1
            for _ in 0..<64 {
                let cand = plan.siteIndex[l][plan.siteAlias[l].sample(&rng)]
                if !used.contains(cand) { cs = cand; break }
            }
            if cs < 0 { cs = (0..<c.sites.count).first { !used.contains($0) }! }
            used.append(cs)
        }
        return Array(used.dropFirst())
    }

    /// The site whose boilerplate viral copy `copy` of report r carries: any site of the
    /// language but r's own (sites repeat: there are thousands of copies and 200 sites).
    private func viralSite(_ r: Int, language l: Int, copy: Int) -> Int {
        let plan = c.plan
        var rng = Rng(derive(c.seed, .copySites, UInt64(r) << 32 | UInt64(copy) | 1 << 63))
        let own = Int(plan.reportSite[r])
        for _ in 0..<64 {
            let candidate = plan.siteIndex[l][plan.siteAlias[l].sample(&rng)]
            if candidate != own { return candidate }
        }
        return (own + 1) % c.sites.count
    }

    /// A copy of report r (whose title and body are in `title`, `body`) as article `article`:
    /// the same body with ~3% of words edited, sometimes without its last paragraph, a rewritten
    /// headline, the boilerplate of `copySite`, published 20 min to 24 h later. With `mirror`,
    /// the page is on a small site of its own (see `writePage`).
    private func writeCopy(_ r: Int, article: Int, rng: Rng, copySite cs: Int, mirror: Int?,
                           story: Int, site: Int, time: Int, _ ctx: StoryContext) {
        let plan = c.plan
        let v = ctx.vocab
        let l = ctx.lang.rawValue
        var rng = rng
        // time
        let room = Double(plan.window - 1 - time)
        let delay = Int(rng.logUniform(1200, max(min(86400, room), 1201)))
        let ctime = min(time + delay, plan.window - 1)

        // body edits
        var end = body.count
        var paragraphs = 0
        for i in 0..<body.count where body.flg[i] & fPara != 0 { paragraphs += 1 }
        if paragraphs >= 3 && rng.chance(0.4) {
            var i = body.count - 2
            while i > 0 && body.flg[i] & fPara == 0 { i -= 1 }
            end = i + 1
        }
        var openerAt = -1
        if rng.chance(0.35) {
            let starts = sentEnds.dropLast().map { $0 + 1 }.filter { $0 < end }
            if !starts.isEmpty { openerAt = starts[rng.below(starts.count)] }
        }
        copyBody.count = 0
        let fn = UInt32(v.functionCount), bg = UInt32(v.backgroundCount)
        for i in 0..<end {
            var t = body.tok[i]
            var f = body.flg[i]
            if i == openerAt {
                copyBody.push(UInt32(v.openers[rng.below(v.openers.count)]), fCap | fComma)
                f &= ~fCap
            }
            let u = rng.unit()
            if u < 0.015 {
                // a "synonym": a background word of similar frequency
                if t >= fn && t < bg && f & fCap == 0 {
                    t = UInt32(min(max(Int(t) + rng.int(-40, 40), Int(fn)), Int(bg) - 1))
                }
            } else if u < 0.030 {
                if f == 0 && t < bg && i != openerAt { continue }  // dropped word
            } else if u < 0.040 {
                if f & fCap == 0 && i > 0 && body.flg[i - 1] & (fPeriod | fPara) == 0 {
                    copyBody.push(UInt32(v.inserts[rng.below(v.inserts.count)]), 0)  // "also"
                }
            }
            copyBody.push(t, f)
        }

        // headline
        copyTitle.count = 0
        for i in 0..<title.count { copyTitle.push(title.tok[i], title.flg[i]) }
        var changed = false
        if rng.chance(0.35) {
            let cands = (0..<copyTitle.count).filter { copyTitle.tok[$0] >= fn && copyTitle.tok[$0] < bg }
            if !cands.isEmpty {
                let i = cands[rng.below(cands.count)]
                copyTitle.tok[i] = UInt32(min(max(Int(copyTitle.tok[i]) + rng.int(-40, 40), Int(fn)), Int(bg) - 1))
                changed = true
            }
        }
        if ctx.lang == .en && rng.chance(0.15) {
            for i in 0..<copyTitle.count where copyTitle.tok[i] >= fn || i == 0 || i == copyTitle.count - 1 {
                copyTitle.flg[i] |= fCap
            }
            changed = true
        }
        var prefix: [UInt8]? = rng.chance(0.3) ? titlePrefixes[l][rng.below(titlePrefixes[l].count)] : nil
        var suffix: [UInt8]? = nil
        if rng.chance(0.3) {
            suffix = rng.chance(0.5) ? Array(" — ".utf8) + c.sites[cs].nameBytes
                : titleSuffixes[l][rng.below(titleSuffixes[l].count)]
        }
        if !changed && prefix == nil && suffix == nil {
            prefix = titlePrefixes[l][rng.below(titlePrefixes[l].count)]
        }
        headline.count = 0
        if let p = prefix { headline.append(p) }
        render(copyTitle, 0, copyTitle.count, into: &headline, sep: spaceSep, ctx)
        if let s = suffix { headline.append(s) }

        let credit: Int? = rng.chance(0.45) ? site : nil
        writePage(article: article, siteIndex: cs, story: story, time: ctime, ctx: ctx,
                  titleSeq: copyTitle, seq: copyBody, end: copyBody.count, credit: credit,
                  dupOriginal: (r, site), mirror: mirror)
    }
}

enum GeneratorError: Error, CustomStringConvertible {
    case io(String)
    var description: String {
        switch self { case .io(let s): return s }
    }
}
