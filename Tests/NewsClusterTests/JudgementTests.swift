import Foundation
import Testing
@testable import NewsCluster

@Suite("Judgement")
struct JudgementTests {
    static let valid = """
        {"schema": "newscluster.judgements/1", "exported": "2026-12-06T08:30:00Z", "editor": "Ana", "run": "r-1",
         "judgements": [
          {"id": "j-1", "action": "remove", "time": "2026-12-06T08:00:00Z", "editor": "Ana", "article": "a3",
           "stories": [{"id": "s-1", "headline": "Bridge closes"}],
           "must_link": [], "cannot_link": [["a3", "a1"], ["a3", "a2"]]},
          {"id": "j-2", "action": "merge", "time": "2026-12-06T08:01:30.250Z",
           "stories": [{"id": "s-1", "headline": "Bridge closes"}, {"id": "s-2", "headline": "Traffic chaos"}],
           "must_link": [["a2", "a1"], ["a4", "a1"]], "cannot_link": []}
         ]}
        """

    @Test func readsWhatThePageExports() throws {
        let file = try JudgementsFile.decode(Data(Self.valid.utf8), path: "j.json")
        #expect(file.editor == "Ana" && file.run == "r-1")
        try #require(file.judgements.count == 2)
        let remove = file.judgements[0]
        #expect(remove.action == .remove && remove.article == "a3")
        #expect(remove.cannotLink == [Judgement.Pair("a3", "a1"), Judgement.Pair("a3", "a2")])
        #expect(remove.stories.map(\.headline) == ["Bridge closes"])
        #expect(file.judgements[1].mustLink.count == 2)
        // Fractional seconds or not, the time is a date; the later judgement is later.
        let first = try #require(remove.date), second = try #require(file.judgements[1].date)
        #expect(second.timeIntervalSince(first) == 90.25)
    }

    @Test func aJudgementSurvivesEncodingAsTheStateKeepsIt() throws {
        let file = try JudgementsFile.decode(Data(Self.valid.utf8), path: "j.json")
        let encoded = try JSONEncoder().encode(file.judgements[0])
        let object = try #require(try JSONSerialization.jsonObject(with: encoded) as? [String: Any])
        #expect(object["cannot_link"] as? [[String]] == [["a3", "a1"], ["a3", "a2"]])
        #expect(try JSONDecoder().decode(Judgement.self, from: encoded) == file.judgements[0])
    }

    /// A file that cannot be used whole is an error naming the file and what is wrong (and for
    /// one judgement, which), never a partial use.
    @Test(arguments: [
        (#"{"schema": "newscluster.judgements/2", "judgements": []}"#, "schema is \"newscluster.judgements/2\""),
        (#"{"schema": "newscluster.judgements/1"}"#, "\"judgements\" is missing"),
        ("not json", "not JSON"),
        (#"{"schema": "newscluster.judgements/1", "judgements": [{"id": "j-9", "action": "split", "time": "2026-12-06T08:00:00Z", "stories": [], "must_link": [], "cannot_link": []}]}"#,
         "judgements[0].action"),
        (#"{"schema": "newscluster.judgements/1", "judgements": [{"id": "j-9", "action": "move", "time": "2026-12-06T08:00:00Z", "stories": [{"id": "s", "headline": "h"}], "must_link": [], "cannot_link": []}]}"#,
         "judgement 1 (j-9): a move names no article"),
        (#"{"schema": "newscluster.judgements/1", "judgements": [{"id": "j-9", "action": "confirm", "time": "yesterday", "stories": [{"id": "s", "headline": "h"}], "must_link": [], "cannot_link": []}]}"#,
         "judgement 1 (j-9): time \"yesterday\" is not an ISO 8601 date-time"),
        (#"{"schema": "newscluster.judgements/1", "judgements": [{"id": "j-9", "action": "confirm", "time": "2026-12-06T08:00:00Z", "stories": [{"id": "s", "headline": "h"}], "must_link": [["a", "b", "c"]], "cannot_link": []}]}"#,
         "a pair holds two article ids"),
    ])
    func aFileThatCannotBeUsedIsAnErrorNamingItAndWhy(text: String, reason: String) {
        do {
            _ = try JudgementsFile.decode(Data(text.utf8), path: "/tmp/judgements.json")
            Issue.record("accepted: \(text)")
        } catch let error as JudgementsError {
            #expect(error.description.hasPrefix("/tmp/judgements.json: "))
            #expect(error.description.contains(reason), "\(error.description)")
        } catch {
            Issue.record("unexpected error \(error)")
        }
    }

    @Test func aMissingFileIsAnErrorNamingIt() {
        #expect(throws: JudgementsError.self) { try JudgementsFile.read("/nonexistent/judgements.json") }
    }
}
