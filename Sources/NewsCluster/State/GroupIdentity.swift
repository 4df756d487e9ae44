/// Gives this run's groups (stories, or duplicate groups) the ids of the previous run's, so that
/// notes written against an id keep pointing at the same story from night to night:
///
/// - every old group is *claimed* by one new group: with `Claim.byEarliestMember` (stories), the
///   one holding its earliest member still present; with `Claim.byMostMembers` (duplicate
///   groups), the one holding most of its members still present (ties: the larger new group,
///   then the earlier one);
/// - a new group that claims old groups takes the id of one of them, and the others are
///   recorded as merged into it. Stories: the one whose earliest member is the story's earliest
///   article of the last run (the oldest story), and if none is, a fresh id, all claims merged
///   into it. Duplicate groups: the largest, then the older, then the smaller id;
/// - so a story whose articles all stay together keeps its id, also when it grows (by articles
///   published earlier too); when a story splits, the part holding its earliest article keeps
///   the id (the part holding most of a duplicate group's members keeps that one's);
/// - a new group that claims nothing gets a fresh id, derived from its content by the caller
///   (never one used before);
/// - an old group with no member in this run has left the window; one whose members are all
///   still here but in no group any more (a duplicate group whose copies no longer match) is
///   dissolved.
///
/// A story is named after its earliest article in a run without state (`GroupStage.storyKeys`),
/// and the earliest-member claim keeps it so: when nights add articles in publication order, a
/// story's id is the one a run without state gives it, also after merges and splits, unless the
/// article that named a story has left the window or an id was taken.
struct GroupIdentity: Sendable {
    /// What the state remembers of a group.
    struct Known: Sendable, Equatable {
        var id: String
        var size: Int
        /// Run in which it first appeared (smaller is older).
        var firstRun: Int
        var headline: String

        init(id: String, size: Int, firstRun: Int, headline: String = "") {
            self.id = id
            self.size = size
            self.firstRun = firstRun
            self.headline = headline
        }
    }

    enum Change: Sendable, Equatable, Codable {
        /// A group with a fresh id and no member from an earlier group.
        case new(id: String)
        /// A group that kept its id and has more members than before (new articles, or the
        /// members of groups merged into it).
        case grown(id: String, added: Int)
        /// Groups whose members now belong to the group `into`, which kept its own id.
        case merged(ids: [String], into: String)
        /// Groups holding members of `id` that did not keep its id.
        case split(id: String, parts: [String])
        /// An earlier group none of whose members is in this run.
        case left(id: String)
        /// An earlier group whose members are in this run but in no group.
        case dissolved(id: String)
    }

    struct Result: Sendable, Equatable, Codable {
        /// The id of each new group, in the order given.
        var ids: [String]
        var changes: [Change]
    }

    /// How an old group chooses the new group that continues it.
    enum Claim: Sendable {
        /// By the new group holding most of its members still present.
        case byMostMembers
        /// By the new group holding its earliest member still present: `rank` orders the
        /// members of this run (article id → position, earliest first), and every member of
        /// `groups` has one.
        case byEarliestMember(rank: [String: Int])
    }

    init() {}

    /// - Parameters:
    ///   - groups: this run's groups as member keys (article ids), groups in a deterministic order.
    ///   - previousGroupOf: the group id each article *of this run* had in the previous run.
    ///   - known: the groups of the previous run that were still active.
    ///   - usedIDs: every id ever given (fresh ids avoid them).
    ///   - freshID: a content-derived id for group `index` (`attempt` > 0 after a collision).
    func assign(
        groups: [[String]], previousGroupOf: [String: String], known: [String: Known],
        usedIDs: Set<String>, claim: Claim = .byMostMembers, freshID: (_ index: Int, _ attempt: Int) -> String
    ) -> Result {
        // Members of each old group present in each new group, and its earliest present member
        // (rank and new group) when claims go by it.
        var counts: [String: [Int: Int]] = [:]
        var earliest: [String: (rank: Int, group: Int)] = [:]
        for (index, members) in groups.enumerated() {
            for member in members {
                guard let old = previousGroupOf[member], known[old] != nil else { continue }
                counts[old, default: [:]][index, default: 0] += 1
                if case .byEarliestMember(let rank) = claim, let position = rank[member],
                   earliest[old].map({ position < $0.rank }) ?? true {
                    earliest[old] = (position, index)
                }
            }
        }
        var claimsOf = [[String]](repeating: [], count: groups.count)
        var claimantOf: [String: Int] = [:]
        for (old, perGroup) in counts {
            let claimant = earliest[old]?.group ?? perGroup.max { a, b in
                if a.value != b.value { return a.value < b.value }
                if groups[a.key].count != groups[b.key].count { return groups[a.key].count < groups[b.key].count }
                return a.key > b.key
            }!.key
            claimsOf[claimant].append(old)
            claimantOf[old] = claimant
        }
        var ids = [String](repeating: "", count: groups.count)
        var taken = usedIDs
        var changes: [Change] = []
        for index in groups.indices {
            let claims = claimsOf[index].sorted { a, b in
                if let ea = earliest[a], let eb = earliest[b] { return ea.rank < eb.rank }
                let ka = known[a]!, kb = known[b]!
                if ka.size != kb.size { return ka.size > kb.size }
                if ka.firstRun != kb.firstRun { return ka.firstRun < kb.firstRun }
                return a < b
            }
            // By earliest member, the id goes with the story's earliest article of the last run: a
            // story keeps an old one's id only if that one's earliest article is its own.
            var keeps = claims.first
            if case .byEarliestMember(let rank) = claim, let kept = keeps,
               earliest[kept]!.rank != groups[index].filter({ previousGroupOf[$0].map { known[$0] != nil } ?? false })
                .compactMap({ rank[$0] }).min() {
                keeps = nil
            }
            if let kept = keeps {
                ids[index] = kept
                if claims.count > 1 { changes.append(.merged(ids: Array(claims.dropFirst()), into: kept)) }
                let added = groups[index].count - known[kept]!.size
                if added > 0 { changes.append(.grown(id: kept, added: added)) }
            } else {
                var attempt = 0
                var id = freshID(index, attempt)
                while taken.contains(id) {
                    attempt += 1
                    id = freshID(index, attempt)
                }
                ids[index] = id
                taken.insert(id)
                if !claims.isEmpty { changes.append(.merged(ids: claims, into: id)) }
            }
        }
        // Splits: old groups whose members also went to groups other than their claimant.
        for old in counts.keys.sorted() {
            let parts = counts[old]!.keys.filter { $0 != claimantOf[old] }.map { ids[$0] }.sorted()
            if !parts.isEmpty { changes.append(.split(id: old, parts: parts)) }
        }
        let continued = Set(counts.keys)
        for index in groups.indices where claimsOf[index].isEmpty
        && !groups[index].contains(where: { previousGroupOf[$0].map(continued.contains) ?? false }) {
            changes.append(.new(id: ids[index]))
        }
        let present = Set(previousGroupOf.values)
        for old in known.keys.sorted() where !continued.contains(old) {
            changes.append(present.contains(old) ? .dissolved(id: old) : .left(id: old))
        }
        return Result(ids: ids, changes: changes)
    }
}
