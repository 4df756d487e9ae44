import Testing
@testable import NewsCluster

@Suite("EditorConstraints")
struct EditorConstraintsTests {
    static let index = ["a": 0, "b": 1, "c": 2, "d": 3]

    static func judgement(
        _ id: String, _ action: Judgement.Action, minute: Int, article: String? = nil,
        must: [(String, String)] = [], cannot: [(String, String)] = []
    ) -> Judgement {
        Judgement(
            id: id, action: action, time: "2026-12-06T08:\(minute < 10 ? "0" : "")\(minute):00Z", editor: nil, article: article,
            stories: [.init(id: "s-1", headline: "h"), .init(id: "s-2", headline: "h2")],
            mustLink: must.map { Judgement.Pair($0.0, $0.1) }, cannotLink: cannot.map { Judgement.Pair($0.0, $0.1) })
    }

    private func pairs(_ list: [EditorConstraints.Pair]) -> [[Int]] { list.map { [$0.a, $0.b] } }

    @Test func pairsAreTakenByIndexWithTheirJudgement() {
        let constraints = EditorConstraints(judgements: [
            Self.judgement("j-1", .remove, minute: 1, article: "c", cannot: [("c", "a"), ("c", "b")]),
            Self.judgement("j-2", .confirm, minute: 2, must: [("b", "a")]),
        ], index: Self.index)
        #expect(pairs(constraints.cannotLink) == [[2, 0], [2, 1]])
        #expect(pairs(constraints.mustLink) == [[1, 0]])
        #expect(constraints.mustLink[0].judgement == 1 && constraints.cannotLink[0].judgement == 0)
        #expect(constraints.warnings.isEmpty)
    }

    /// Confirmed, then one article marked out: the removal is later, so the article's
    /// must-links from the confirmation are withdrawn and its cannot-links stand.
    @Test func removingAnArticleWithdrawsItsEarlierMustLinks() {
        let constraints = EditorConstraints(judgements: [
            Self.judgement("j-2", .remove, minute: 5, article: "c", cannot: [("c", "a"), ("c", "b")]),
            Self.judgement("j-1", .confirm, minute: 1, must: [("b", "a"), ("c", "a")]),
        ], index: Self.index)
        #expect(constraints.judgements.map(\.id) == ["j-1", "j-2"], "ordered by time, not as given")
        #expect(pairs(constraints.mustLink) == [[1, 0]])
        #expect(pairs(constraints.cannotLink) == [[2, 0], [2, 1]])
        #expect(constraints.warnings.isEmpty)
    }

    /// Marked out, then its story merged with the one it went to: the merge is later and puts
    /// the article with its old story again, so the cannot-links go (with a warning).
    @Test func aLaterMustLinkOverrulesACannotLinkEvenThroughOtherArticles() {
        let constraints = EditorConstraints(judgements: [
            Self.judgement("j-1", .remove, minute: 1, article: "c", cannot: [("c", "a")]),
            Self.judgement("j-2", .merge, minute: 2, must: [("c", "d"), ("a", "d")]),
        ], index: Self.index)
        #expect(constraints.cannotLink.isEmpty)
        #expect(pairs(constraints.mustLink) == [[2, 3], [0, 3]])
        #expect(constraints.warnings.map(\.judgement) == ["j-1"])
        #expect(constraints.warnings.first?.reason.contains("overruled") == true)
    }

    @Test func articlesNotInTheRunAreWarnedOfOncePerJudgementAndLeftOut() {
        let constraints = EditorConstraints(judgements: [
            Self.judgement("j-1", .remove, minute: 1, article: "x", cannot: [("x", "a"), ("x", "b"), ("a", "y")]),
        ], index: Self.index)
        #expect(constraints.cannotLink.isEmpty)
        #expect(constraints.warnings.count == 1)
        #expect(constraints.warnings.first?.reason.contains("2 articles not in this run (\"x\", \"y\")") == true)
    }

    /// A judgement the state kept loses its articles as they leave the window: that is no
    /// warning, night after night; the judgement only counts as inactive once none is left.
    @Test func articlesGoneFromAKeptJudgementAreNoWarning() {
        let judgements = [
            Self.judgement("j-1", .remove, minute: 1, article: "x", cannot: [("x", "a")]),
            Self.judgement("j-2", .confirm, minute: 2, must: [("b", "a"), ("y", "a")]),
        ]
        let constraints = EditorConstraints(judgements: judgements, index: Self.index, kept: ["j-1", "j-2"])
        #expect(constraints.warnings.isEmpty)
        #expect(pairs(constraints.mustLink) == [[1, 0]])
        #expect(constraints.inactive == 1, "j-1 has no pair left; j-2 still has one")
        #expect(EditorConstraints(judgements: judgements, index: Self.index).warnings.count == 2, "given now: warned of")
    }

    @Test func aJudgementGivenTwiceCountsOnceAndOtherContentUnderItsIdIsWarnedOf() {
        let first = Self.judgement("j-1", .confirm, minute: 1, must: [("b", "a")])
        var changed = first
        changed.mustLink = [Judgement.Pair("c", "a")]
        let constraints = EditorConstraints(judgements: [first, first, changed], index: Self.index)
        #expect(constraints.judgements.count == 1)
        #expect(pairs(constraints.mustLink) == [[1, 0]])
        #expect(constraints.warnings.count == 1)
    }

    /// The clustering may not keep a must-link that cannot-links forbid; the run says which
    /// judgement was not kept, and which stories judgements shaped.
    @Test func checkedWarnsOfPairsTheStoriesDoNotKeepAndNamesTheStoriesShaped() {
        let constraints = EditorConstraints(judgements: [
            Self.judgement("j-1", .remove, minute: 1, article: "c", cannot: [("c", "a")]),
            Self.judgement("j-2", .move, minute: 2, article: "d", must: [("d", "b")]),
        ], index: Self.index)
        let storyOf = [0, 0, 1, 2]
        let checked = constraints.checked(storyOf: storyOf)
        #expect(checked.warnings.map(\.judgement) == ["j-2"])
        #expect(constraints.judgementsShaping(stories: 3, storyOf: storyOf) == [[0, 1], [0], [1]])
        #expect(EditorConstraints.none.judgementsShaping(stories: 3, storyOf: storyOf).isEmpty)
    }
}
