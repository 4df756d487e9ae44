import Testing
@testable import NewsCluster

@Suite("JudgementEvaluation")
struct JudgementEvaluationTests {
    private func judgement(_ id: String, _ action: Judgement.Action, minute: Int, article: String? = nil,
                           must: [(String, String)] = [], cannot: [(String, String)] = []) -> Judgement {
        EditorConstraintsTests.judgement(id, action, minute: minute, article: article, must: must, cannot: cannot)
    }

    @Test func countsTheJudgementsWhosePairsTheRunKeeps() {
        let storyOf = ["a": "s1", "b": "s1", "c": "s2", "d": "s2"]
        let evaluation = JudgementEvaluation(judgements: [
            judgement("j-1", .remove, minute: 1, article: "c", cannot: [("c", "a"), ("c", "b")]),  // kept
            judgement("j-2", .merge, minute: 2, must: [("d", "a")]),  // d is not with a
            judgement("j-3", .confirm, minute: 3, must: [("d", "c")]),  // kept
            judgement("j-4", .remove, minute: 4, article: "x", cannot: [("x", "a")]),  // x not in the run
        ], storyOf: storyOf)
        #expect(evaluation.judgements == 4)
        #expect(evaluation.all.scored == 3 && evaluation.all.satisfied == 2)
        #expect(evaluation.byAction["merge"]?.satisfied == 0 && evaluation.byAction["remove"]?.satisfied == 1)
        #expect(evaluation.notScored == 1)
        #expect(evaluation.unsatisfied == ["j-2"])
        // j-2 and j-3, both later than j-1, join c with a through d: j-1's c–a pair is
        // overruled, so it is not held against the run; c–b still is, and holds.
        #expect(evaluation.cannotLinkPairs.scored == 1 && evaluation.cannotLinkPairs.satisfied == 1)
        #expect(evaluation.mustLinkPairs.scored == 2 && evaluation.mustLinkPairs.satisfied == 1)
        #expect(evaluation.text.hasPrefix("judgements satisfied by the run: 2/3 = 0.667\n"))
    }

    @Test func noJudgementScoresNothing() {
        let evaluation = JudgementEvaluation(judgements: [], storyOf: ["a": "s1"])
        #expect(evaluation.all.share == nil)
        #expect(evaluation.text.hasPrefix("judgements satisfied by the run: 0/0\n"))
    }
}
