import Foundation
import GRDB
import Testing
@testable import NewsCluster

/// What inspection reads of a state (`StateStore+History.swift`).
@Suite("StateStore history")
struct StateStoreHistoryTests {
    typealias Base = StateStoreTests

    @Test func lastRunArticlesCountsTheArticlesOfTheLastFinishedRun() throws {
        let store = try Base.inMemory().store
        #expect(try store.lastRunArticles() == nil, "no run yet")
        try store.save(Base.update(articles: [("a", 1, "S", nil, Base.terms(1)), ("b", 2, "S", nil, Base.terms(2)),
                                              ("c", 3, "S", nil, Base.terms(3))], stories: [("S", 3)]), run: 1)
        #expect(try store.lastRunArticles() == 3)
        try store.save(Base.update(articles: [("a", 1, "S", nil, nil)], stories: [("S", 1)], known: try store.snapshot()), run: 2)
        #expect(try store.lastRunArticles() == 1, "the last run's, not the first's")
        #expect(throws: StateStore.StateError.self) {
            try store.save(Base.update(articles: [], stories: []), run: 3, commitIf: { false })
        }
        #expect(try store.lastRunArticles() == 1, "a run that did not finish does not count")
    }

    @Test func theHistoryListsEachRunWithItsEvents() throws {
        let root = Fixtures.temporaryDirectory()
        defer { Fixtures.remove(root) }
        let path = root + "/state.sqlite"
        try Base.twoRuns(at: path)
        let history = try StateStore(path: path, access: .readOnly).history()
        try #require(history.runs.count == 2)
        let (first, second) = (history.runs[0], history.runs[1])
        #expect(first.number == 1 && first.articles == 3 && first.tokenizedArticles == 3 && first.stories == 2)
        #expect(second.number == 2 && second.articles == 2 && second.tokenizedArticles == 0 && second.stories == 1)
        #expect(history.runs.allSatisfy { $0.toolVersion == Pipeline.version })
        #expect(first.events.map(\.id) == ["S", "T"] && first.events.allSatisfy { $0.change == .new && $0.kind == .story })
        #expect(second.events.map(\.change) == [.merged(into: "S"), .grown(added: 1), .split(parts: ["U", "V"])])
        #expect(second.events.map(\.id) == ["T", "S", "S"])
        #expect(second.events.first?.headline == "headline of T", "the group's last headline")
    }
}
