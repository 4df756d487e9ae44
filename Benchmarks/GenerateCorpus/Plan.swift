// The corpus plan: stories, topics and the metadata of every original report (story, time,
// site, number of syndicated copies). Only metadata is planned up front (a few bytes per
// report); the text is generated later, story by story, from per-entity seeds.

import Foundation

final class Plan: @unchecked Sendable {
    let articles: Int
    let originals: Int
    let copies: Int
    /// Copies of one report (`viralReport`) beyond the normal copies: article indices
    /// `originals + copies ..< articles`, copy k at `originals + copies + k`.
    let viralCopies: Int
    /// The report that goes viral (-1 without viral copies).
    let viralReport: Int
    let window: Int                    // seconds
    let storyCount: Int
    let topicCount: Int
    // stories, sorted by centre time
    let storyLang: [UInt8]
    let storyTopic: [Int32]
    let storyFirst: [Int32]            // reports of story s: storyFirst[s]..<storyFirst[s+1]
    // original reports, grouped by story
    let reportTime: [Int32]            // seconds since the window start
    let reportSite: [UInt16]
    let reportCopies: [UInt8]
    let reportCopyBase: [Int32]        // article index of the report's first copy
    let copyOwner: [Int32]             // copy article index - originals -> its original report
    // output order: a seeded random permutation of the article indices
    let order: [Int32]
    // per language: reports sorted by time (for the teaser pools)
    let langReports: [[Int32]]
    let langTimes: [[Int32]]
    // per language: site sampler
    let siteAlias: [AliasTable]
    let siteIndex: [[Int]]

    static let maxReports = 40

    /// `viralShare` of the `n` articles are copies of one report; the rest is planned as a corpus
    /// of its own size (with `copyRate` of it normal copies), the same as without viral copies.
    init(articles n: Int, seed: UInt64, days: Int, copyRate: Double, viralShare: Double = 0, sites: [Site]) {
        var rng = Rng(derive(seed, .plan))
        articles = n
        viralCopies = min(Int((Double(n) * viralShare).rounded()), n - 1)
        let normal = n - viralCopies
        copies = min(Int((Double(normal) * copyRate).rounded()), normal / 2)
        originals = normal - copies
        window = days * 86400

        // Per-language site samplers: a site's own language at full weight, a second language
        // at 30%.
        var aliases: [AliasTable] = []
        var indices: [[Int]] = []
        for lang in Lang.allCases {
            var idx: [Int] = []
            var w: [Double] = []
            for s in sites {
                if s.lang == lang { idx.append(s.index); w.append(s.weight) } else if s.secondLang == lang { idx.append(s.index); w.append(0.3 * s.weight) }
            }
            aliases.append(AliasTable(weights: w))
            indices.append(idx)
        }
        siteAlias = aliases
        siteIndex = indices

        // Story sizes: truncated power law P(k) ~ k^-1.9 on 1...40 (mean ~2.9; ~60% single
        // reports, ~2% with 20 or more).
        let sizeAlias = AliasTable(weights: (1...Plan.maxReports).map { 1 / pow(Double($0), 1.9) })
        var sizes: [Int32] = []
        var total = 0
        while total < originals {
            var k = 1 + sizeAlias.sample(&rng)
            if total + k > originals { k = originals - total }
            sizes.append(Int32(k))
            total += k
        }
        let s = sizes.count
        storyCount = s

        // Topics: consecutive runs of 3-10 stories (story sizes are i.i.d., so runs are random
        // groups) sharing a language, a topic vocabulary and a rough time.
        var topicOf = [Int32](repeating: 0, count: s)
        var langOf = [UInt8](repeating: 0, count: s)
        var centre = [Int32](repeating: 0, count: s)
        var t = 0
        var i = 0
        while i < s {
            let size = rng.int(3, 10)
            let u = rng.unit()
            let lang: UInt8 = u < 0.6 ? 0 : (u < 0.85 ? 1 : 2)
            let tc = rng.unit() * Double(window)
            for j in i..<min(i + size, s) {
                topicOf[j] = Int32(t)
                langOf[j] = lang
                let c = tc + rng.normal() * 86400
                centre[j] = Int32(min(max(c, 0), Double(window - 1)))
            }
            i += size
            t += 1
        }
        topicCount = t

        let byCentre = (0..<s).sorted { centre[$0] != centre[$1] ? centre[$0] < centre[$1] : $0 < $1 }
        var sLang = [UInt8](); sLang.reserveCapacity(s)
        var sTopic = [Int32](); sTopic.reserveCapacity(s)
        var sFirst = [Int32](); sFirst.reserveCapacity(s + 1)
        var rTime = [Int32](); rTime.reserveCapacity(originals)
        var rSite = [UInt16](); rSite.reserveCapacity(originals)
        let latest = Double(max(window - 3600, 1))
        for old in byCentre {
            sLang.append(langOf[old])
            sTopic.append(topicOf[old])
            sFirst.append(Int32(rTime.count))
            let c = Double(centre[old])
            var times: [Int32] = []
            for _ in 0..<Int(sizes[old]) {
                let off = min(max(rng.normal() * 0.5 * 86400, -1.5 * 86400), 1.5 * 86400)
                times.append(Int32(min(max(c + off, 0), latest)))
            }
            times.sort()
            let l = Int(langOf[old])
            for tm in times {
                rTime.append(tm)
                rSite.append(UInt16(siteIndex[l][siteAlias[l].sample(&rng)]))
            }
        }
        sFirst.append(Int32(rTime.count))
        storyLang = sLang
        storyTopic = sTopic
        storyFirst = sFirst
        reportTime = rTime
        reportSite = rSite

        // Syndicated copies: ~7% of originals are copied, most to one site, some to 2-5.
        var cps = [UInt8](repeating: 0, count: originals)
        if copies > 0 && originals > 0 {
            let groupAlias = AliasTable(weights: [0.68, 0.20, 0.08, 0.03, 0.01])
            let q = min(1, Double(copies) / Double(originals) / 1.49)
            var sum = 0
            for r in 0..<originals where rng.chance(q) {
                let k = 1 + groupAlias.sample(&rng)
                cps[r] = UInt8(k)
                sum += k
            }
            while sum > copies {
                let r = rng.below(originals)
                if cps[r] > 0 { cps[r] -= 1; sum -= 1 }
            }
            while sum < copies {
                let r = rng.below(originals)
                if cps[r] < 6 { cps[r] += 1; sum += 1 }
            }
        }
        reportCopies = cps
        var base = [Int32](repeating: 0, count: originals)
        var next = originals
        for r in 0..<originals {
            base[r] = Int32(next)
            next += Int(cps[r])
        }
        reportCopyBase = base
        var owner = [Int32](repeating: 0, count: copies)
        for r in 0..<originals {
            for k in 0..<Int(cps[r]) { owner[Int(base[r]) - originals + k] = Int32(r) }
        }
        copyOwner = owner
        // The viral report comes from a stream of its own, so that the rest of the plan does not
        // depend on whether there is one.
        var vrng = Rng(derive(seed, .viral))
        viralReport = viralCopies > 0 ? vrng.below(originals) : -1

        // Article indices: originals 0..<originals in story (time) order, then copies. The file
        // order is a Fisher-Yates shuffle of them with its own stream.
        var perm = (0..<Int32(n)).map { $0 }
        var orng = Rng(derive(seed, .order))
        orng.shuffle(&perm)
        order = perm

        var lr: [[Int32]] = [[], [], []]
        for st in 0..<s {
            for r in Int(sFirst[st])..<Int(sFirst[st + 1]) { lr[Int(sLang[st])].append(Int32(r)) }
        }
        for l in 0..<3 {
            lr[l].sort { rTime[Int($0)] != rTime[Int($1)] ? rTime[Int($0)] < rTime[Int($1)] : $0 < $1 }
        }
        langReports = lr
        langTimes = lr.map { $0.map { rTime[Int($0)] } }
    }

    func storyOfReport(_ r: Int) -> Int {
        // binary search in storyFirst
        var lo = 0, hi = storyCount - 1
        while lo < hi {
            let mid = (lo + hi + 1) / 2
            if Int(storyFirst[mid]) <= r { lo = mid } else { hi = mid - 1 }
        }
        return lo
    }
}
