import Testing
@testable import NewsCluster

@Suite("GroupIdentity")
struct GroupIdentityTests {
    let identity = GroupIdentity()

    func assign(
        _ groups: [[String]], previous: [String: String], known: [GroupIdentity.Known], used: Set<String> = [],
        claim: GroupIdentity.Claim = .byMostMembers
    ) -> GroupIdentity.Result {
        identity.assign(
            groups: groups, previousGroupOf: previous,
            known: Dictionary(uniqueKeysWithValues: known.map { ($0.id, $0) }),
            usedIDs: used.union(known.map(\.id)), claim: claim,
            freshID: { index, attempt in
                guard let first = groups.indices.contains(index) ? groups[index].first : nil else {
                    Issue.record("a fresh id was asked for group \(index), of \(groups.count)")
                    return "invalid-\(index)"
                }
                return "fresh-\(first)" + (attempt > 0 ? "#\(attempt)" : "")
            })
    }

    @Test func aStoryThatGrowsKeepsItsID() {
        let result = assign([["a", "b", "c"], ["x"]], previous: ["a": "S", "b": "S"],
                            known: [.init(id: "S", size: 2, firstRun: 1)])
        #expect(result.ids == ["S", "fresh-x"])
        #expect(result.changes.contains(.grown(id: "S", added: 1)))
        #expect(result.changes.contains(.new(id: "fresh-x")))
        #expect(!result.changes.contains { if case .split = $0 { true } else { false } })
    }

    @Test func mergedStoriesKeepTheLargerThenOlderID() {
        let result = assign([["a", "b", "c", "d", "e"]], previous: ["a": "Big", "b": "Big", "c": "Big", "d": "Small", "e": "Small"],
                            known: [.init(id: "Big", size: 3, firstRun: 2), .init(id: "Small", size: 2, firstRun: 1)])
        #expect(result.ids == ["Big"])
        #expect(result.changes.contains(.merged(ids: ["Small"], into: "Big")))
        // Equal sizes: the older story wins.
        let tie = assign([["a", "b", "c", "d"]], previous: ["a": "New", "b": "New", "c": "Old", "d": "Old"],
                         known: [.init(id: "New", size: 2, firstRun: 3), .init(id: "Old", size: 2, firstRun: 1)])
        #expect(tie.ids == ["Old"])
        #expect(tie.changes.contains(.merged(ids: ["New"], into: "Old")))
    }

    @Test func aSplitLeavesTheIDWithThePartHoldingMostOldMembers() {
        let result = assign([["a", "b"], ["c", "d", "e"]], previous: ["a": "S", "c": "S", "d": "S", "e": "S"],
                            known: [.init(id: "S", size: 4, firstRun: 1)])
        #expect(result.ids == ["fresh-a", "S"])
        #expect(result.changes.contains(.split(id: "S", parts: ["fresh-a"])))
        #expect(!result.changes.contains(.new(id: "fresh-a")), "a split-off part is not a new story")
    }

    @Test func storiesWithNoMemberLeftHaveLeftTheWindow() {
        let result = assign([["z"]], previous: [:], known: [.init(id: "Gone", size: 3, firstRun: 1)])
        #expect(result.changes.contains(.left(id: "Gone")))
        #expect(result.changes.contains(.new(id: "fresh-z")))
    }

    @Test func freshIDsNeverReuseAnOldOne() {
        let result = assign([["q"]], previous: [:], known: [], used: ["fresh-q", "fresh-q#1"])
        #expect(result.ids == ["fresh-q#2"])
    }

    @Test func withoutHistoryEveryGroupIsNew() {
        let result = assign([["a"], ["b", "c"]], previous: [:], known: [])
        #expect(result.ids == ["fresh-a", "fresh-b"])
        #expect(result.changes == [.new(id: "fresh-a"), .new(id: "fresh-b")])
    }

    @Test func aGroupWhoseMembersAreHereButUngroupedIsDissolvedNotLeft() {
        // Duplicate groups: "a" and "b" are still read but are no longer copies.
        let result = assign([], previous: ["a": "D", "b": "D"], known: [.init(id: "D", size: 2, firstRun: 1)])
        #expect(result.changes == [.dissolved(id: "D")])
    }

    @Test func claimantTiesGoToTheLargerThenEarlierGroup() {
        // Two old members each in two new groups: the larger new group claims the id.
        let larger = assign([["a", "b", "x"], ["c", "d"]], previous: ["a": "S", "b": "S", "c": "S", "d": "S"],
                            known: [.init(id: "S", size: 4, firstRun: 1)])
        #expect(larger.ids == ["S", "fresh-c"])
        // Same sizes: the earlier group.
        let earlier = assign([["a", "b"], ["c", "d"]], previous: ["a": "S", "b": "S", "c": "S", "d": "S"],
                             known: [.init(id: "S", size: 4, firstRun: 1)])
        #expect(earlier.ids == ["S", "fresh-c"])
        // Old stories of equal size and age: the smaller id is kept.
        let tie = assign([["a", "b"]], previous: ["a": "Y", "b": "X"],
                         known: [.init(id: "Y", size: 1, firstRun: 1), .init(id: "X", size: 1, firstRun: 1)])
        #expect(tie.ids == ["X"])
        #expect(tie.changes.contains(.merged(ids: ["Y"], into: "X")))
    }

    // Stories: claimed by their earliest article. Members are named so that their order is
    // their publication order.
    let byDate = GroupIdentity.Claim.byEarliestMember(rank: Dictionary(uniqueKeysWithValues: "abcdefghxyz".enumerated().map { (String($0.element), $0.offset) }))

    @Test func aStoryKeepsItsIDWithItsEarliestArticleWhenItSplits() {
        // "a" named S; the part holding it keeps S although the other part holds more of S.
        let result = assign([["a", "x"], ["b", "c", "d"]], previous: ["a": "S", "b": "S", "c": "S", "d": "S"],
                            known: [.init(id: "S", size: 4, firstRun: 1)], claim: byDate)
        #expect(result.ids == ["S", "fresh-b"])
        #expect(result.changes.contains(.split(id: "S", parts: ["fresh-b"])))
    }

    @Test func mergedStoriesKeepTheIDOfTheOneWithTheEarliestArticle() {
        // "Small" holds the earliest article: its id is kept although "Big" is larger.
        let result = assign([["a", "b", "c", "d", "e"]], previous: ["a": "Small", "b": "Small", "c": "Big", "d": "Big", "e": "Big"],
                            known: [.init(id: "Big", size: 3, firstRun: 1), .init(id: "Small", size: 2, firstRun: 2)], claim: byDate)
        #expect(result.ids == ["Small"])
        #expect(result.changes.contains(.merged(ids: ["Big"], into: "Small")))
        #expect(result.changes.contains(.grown(id: "Small", added: 3)))
    }

    @Test func aStoryWhoseEarliestArticleLeftForAnotherIsNamedAfterItsNextOne() {
        // "b" was S's earliest article until it joined T: S is recorded merged into T, and the
        // rest of S, split off, is named after "c", as a run without state names it.
        let result = assign([["a", "b"], ["c", "d"]], previous: ["a": "T", "b": "S", "c": "S", "d": "S"],
                            known: [.init(id: "T", size: 1, firstRun: 1), .init(id: "S", size: 3, firstRun: 1)], claim: byDate)
        #expect(result.ids == ["T", "fresh-c"])
        #expect(result.changes.contains(.merged(ids: ["S"], into: "T")))
        #expect(result.changes.contains(.split(id: "S", parts: ["fresh-c"])))
        #expect(!result.changes.contains(.new(id: "fresh-c")), "a part of an old story is not a new story")
        // An article published before all of a story's, arriving late, does not rename it.
        let late = assign([["a", "c", "d"]], previous: ["c": "S", "d": "S"],
                          known: [.init(id: "S", size: 2, firstRun: 1)], claim: byDate)
        #expect(late.ids == ["S"])
        #expect(late.changes == [.grown(id: "S", added: 1)])
    }
}
