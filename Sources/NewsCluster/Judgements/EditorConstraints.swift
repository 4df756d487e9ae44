import Foundation

/// What a run's editors' judgements ask of it: the must-link and cannot-link pairs, by article
/// index, that still stand once later judgements have overruled earlier ones, and the warnings
/// for what could not be used (`run.json`).
///
/// The later judgement wins. Removing or moving an article withdraws the earlier must-links
/// of that article (the editor took it out of what it was tied to); a cannot-link pair that
/// later must-links join again, directly or through other articles, is dropped.
struct EditorConstraints: Sendable, Codable, Equatable {
    /// Every judgement known to the run, in the order they were made (time, then id).
    var judgements: [Judgement]
    /// The pairs that stand, each with the judgement (an index into `judgements`) that asked.
    var mustLink: [Pair]
    var cannotLink: [Pair]
    var warnings: [JudgementWarning]

    struct Pair: Sendable, Codable, Equatable {
        var a: Int
        var b: Int
        var judgement: Int
    }

    static let none = EditorConstraints(judgements: [], mustLink: [], cannotLink: [], warnings: [])

    init(judgements: [Judgement], mustLink: [Pair], cannotLink: [Pair], warnings: [JudgementWarning]) {
        self.judgements = judgements
        self.mustLink = mustLink
        self.cannotLink = cannotLink
        self.warnings = warnings
    }

    /// - Parameters:
    ///   - judgements: from the state and the files, oldest given first: of two with one id,
    ///     the first is kept (a file given again changes nothing).
    ///   - index: the run's article index of each article id.
    ///   - kept: ids of judgements an earlier run was given (the state's): their articles
    ///     leave the window night after night, so an article this run lacks is no warning for
    ///     them, only for a judgement given now.
    init(judgements given: [Judgement], index: [String: Int], kept: Set<String> = []) {
        var warnings: [JudgementWarning] = []
        var seen: [String: Judgement] = [:]
        var unique: [Judgement] = []
        for judgement in given {
            if let earlier = seen[judgement.id] {
                if earlier != judgement {
                    warnings.append(.init(judgement: judgement.id, reason: "given again with other content; the first one given stands"))
                }
                continue
            }
            seen[judgement.id] = judgement
            unique.append(judgement)
        }
        let dates = Dictionary(uniqueKeysWithValues: unique.map { ($0.id, $0.date ?? .distantPast) })
        let ordered = unique.sorted { a, b in
            dates[a.id]! != dates[b.id]! ? dates[a.id]! < dates[b.id]! : a.id < b.id
        }

        // The pairs by id, in the order made; what a later judgement overrules is dropped.
        var must: [(pair: Judgement.Pair, judgement: Int)] = []
        var cannot: [(pair: Judgement.Pair, judgement: Int)] = []
        for (position, judgement) in ordered.enumerated() {
            if let article = judgement.article, judgement.action == .remove || judgement.action == .move {
                must.removeAll { $0.pair.first == article || $0.pair.second == article }
            }
            cannot += judgement.cannotLink.map { ($0, position) }
            must += judgement.mustLink.map { ($0, position) }
        }

        // By index; an article this run does not have is warned of once per judgement.
        var unknown: [Int: Set<String>] = [:]
        func indexed(_ pairs: [(pair: Judgement.Pair, judgement: Int)]) -> [Pair] {
            pairs.compactMap { entry in
                let a = index[entry.pair.first], b = index[entry.pair.second]
                if a == nil { unknown[entry.judgement, default: []].insert(entry.pair.first) }
                if b == nil { unknown[entry.judgement, default: []].insert(entry.pair.second) }
                guard let a, let b, a != b else { return nil }
                return Pair(a: a, b: b, judgement: entry.judgement)
            }
        }
        let mustLink = indexed(must)
        var cannotLink = indexed(cannot)
        for (position, ids) in unknown.sorted(by: { $0.key < $1.key }) where !kept.contains(ordered[position].id) {
            let sorted = ids.sorted()
            let named = sorted.prefix(3).map { "\"\($0)\"" }.joined(separator: ", ")
            warnings.append(.init(
                judgement: ordered[position].id,
                reason: "\(sorted.count) article\(sorted.count == 1 ? "" : "s") not in this run (\(named)\(sorted.count > 3 ? ", …" : "")): "
                    + "its pairs with \(sorted.count == 1 ? "it" : "them") are left out"))
        }

        // A cannot-link inside what the must-links join was made before the must-link that
        // joined it (removing an article withdraws its earlier must-links): the later stands.
        var components = UnionFind(count: mustLink.isEmpty ? 0 : (index.values.max() ?? -1) + 1)
        for pair in mustLink { components.union(pair.a, pair.b) }
        var overruled: [Int: Int] = [:]
        cannotLink.removeAll { pair in
            guard !mustLink.isEmpty, components.find(pair.a) == components.find(pair.b) else { return false }
            overruled[pair.judgement, default: 0] += 1
            return true
        }
        for (position, count) in overruled.sorted(by: { $0.key < $1.key }) {
            warnings.append(.init(
                judgement: ordered[position].id,
                reason: "\(count) of its cannot-link pairs \(count == 1 ? "is" : "are") overruled by later judgements that put the articles together"))
        }
        self.init(judgements: ordered, mustLink: mustLink, cannotLink: cannotLink, warnings: warnings)
    }

    var isEmpty: Bool { mustLink.isEmpty && cannotLink.isEmpty }

    /// Judgements with no pair that stands in this run: every article they name has left, or
    /// later judgements overrule them.
    var inactive: Int {
        var active = Set<Int>()
        for pair in mustLink { active.insert(pair.judgement) }
        for pair in cannotLink { active.insert(pair.judgement) }
        return judgements.count - active.count
    }

    /// The pairs as the clustering takes them.
    var storyConstraints: StoryConstraints {
        StoryConstraints(
            mustLink: mustLink.map { .init(a: $0.a, b: $0.b) },
            cannotLink: cannotLink.map { .init(a: $0.a, b: $0.b) })
    }
}

extension EditorConstraints {
    /// These constraints with a warning for each judgement whose pairs the stories do not keep:
    /// a must-link the cannot-links forbade (an article tied to two stories kept apart).
    func checked(storyOf: [Int]) -> EditorConstraints {
        var result = self
        var unkept: [Int: Int] = [:]
        for pair in mustLink where storyOf[pair.a] != storyOf[pair.b] { unkept[pair.judgement, default: 0] += 1 }
        for pair in cannotLink where storyOf[pair.a] == storyOf[pair.b] { unkept[pair.judgement, default: 0] += 1 }
        for (position, count) in unkept.sorted(by: { $0.key < $1.key }) {
            result.warnings.append(.init(
                judgement: judgements[position].id,
                reason: "\(count) of its pairs could not be kept: other judgements keep those articles apart"))
        }
        return result
    }

    /// Per story, the judgements (indices, ascending) with a pair that has an article in it.
    /// Empty when there are no pairs.
    func judgementsShaping(stories: Int, storyOf: [Int]) -> [[Int]] {
        guard !isEmpty else { return [] }
        var shaping = [Set<Int>](repeating: [], count: stories)
        for pair in mustLink + cannotLink {
            shaping[storyOf[pair.a]].insert(pair.judgement)
            shaping[storyOf[pair.b]].insert(pair.judgement)
        }
        return shaping.map { $0.sorted() }
    }
}
