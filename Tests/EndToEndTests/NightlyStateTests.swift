import Foundation
import GRDB
@testable import NewsCluster
import Testing

/// Three nights over the demo corpus split by publication date (each night reads everything
/// published so far), with one state file: story ids must follow the rules of `--state`.
@Suite("Nightly runs with --state", .serialized)
struct NightlyStateTests {
    static let demoLines: [(published: String, line: String)] = {
        let text = (try? String(contentsOfFile: Binary.packageRoot.path + "/Corpora/demo/articles.jsonl", encoding: .utf8)) ?? ""
        return text.split(separator: "\n").map { line in
            let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
            return ((object?["published"] as? String) ?? "", String(line))
        }
    }()

    /// The demo articles published up to `day` (inclusive), as a JSONL file.
    static func night(_ day: String, in directory: TemporaryDirectory) throws -> String {
        try directory.write("upto-\(day).jsonl",
                            demoLines.filter { $0.published.prefix(10) <= day }.map(\.line).joined(separator: "\n") + "\n")
    }

    static func changes(_ directory: String) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: directory + "/changes.json"))) as? [String: Any])
    }

    /// Members of each story id.
    static func stories(_ reports: Reports) -> [String: Set<String>] {
        var members: [String: Set<String>] = [:]
        for (article, story) in reports.storyOf { members[story, default: []].insert(article) }
        return members
    }

    @Test func storiesKeepTheirIDsFromNightToNight() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let state = directory.file("state/news.sqlite")
        var previous: [String: Set<String>] = [:]
        var bishkek: [String] = []
        for (night, day) in ["2020-10-07", "2020-10-09", "2020-10-11"].enumerated() {
            let input = try Self.night(day, in: directory)
            let out = directory.file("night\(night + 1)")
            let result = try Binary.run(["cluster", input, "--out", out, "--state", state, "--quiet"])
            #expect(result.status == 0, "\(result.stderr)")
            let reports = try Reports(directory: out)
            let current = Self.stories(reports)
            let changes = try Self.changes(out)
            #expect(changes["run"] as? Int == night + 1)
            if night == 0 {
                #expect((changes["new"] as? [Any])?.count == current.count, "on the first night every story is new")
            }
            // The rule: a story whose articles are all still together keeps its id, also when it grows.
            for (id, members) in previous {
                guard let holder = current.first(where: { !$0.value.isDisjoint(with: members) }) else { continue }
                let together = members.isSubset(of: holder.value)
                let absorbedOthers = previous.contains { $0.key != id && !$0.value.isDisjoint(with: holder.value) }
                if together && !absorbedOthers {
                    #expect(holder.key == id, "night \(night + 1): \(id) was renamed \(holder.key)")
                    let added = holder.value.count - members.count
                    if added > 0 {
                        let grown = (changes["grown"] as? [[String: Any]]) ?? []
                        #expect(grown.contains { $0["id"] as? String == id && $0["added"] as? Int == added },
                                "night \(night + 1): \(id) grew by \(added) but changes.json says \(grown)")
                    }
                }
            }
            let gold = try Gold(path: Binary.packageRoot.path + "/Corpora/demo/gold.tsv")
            let bishkekStories = Set(reports.storyOf.filter { gold.story[$0.key] == "bishkek-protests" }.map(\.value))
            #expect(bishkekStories.count == 1, "night \(night + 1): the Bishkek articles are one story")
            bishkek += bishkekStories
            previous = current
        }
        // A story is named after its earliest article. On the first night the Bishkek articles
        // share a story with an earlier report of another event, named after it; when that
        // report leaves them on the second night, they take the id of their own earliest
        // article (as a run without state names them), the split is in changes.json, and the
        // id holds from then on.
        try #require(bishkek.count == 3)
        #expect(bishkek[1] == bishkek[2], "the Bishkek story kept its id: \(bishkek)")
        if bishkek[0] != bishkek[1] {
            let split = (try Self.changes(directory.file("night2"))["split"] as? [[String: Any]]) ?? []
            #expect(split.contains { ($0["story"] as? [String: Any])?["id"] as? String == bishkek[0]
                && (($0["parts"] as? [[String: Any]]) ?? []).contains { $0["id"] as? String == bishkek[1] } },
                    "changes.json records where the first night's id went: \(split)")
        }

        // The same input again: nothing changes.
        let again = directory.file("again")
        let result = try Binary.run(["cluster", try Self.night("2020-10-11", in: directory), "--out", again, "--state", state, "--quiet"])
        #expect(result.status == 0)
        #expect(Self.stories(try Reports(directory: again)) == previous)
        let changes = try Self.changes(again)
        for key in ["new", "grown", "merged", "split", "left"] {
            #expect((changes[key] as? [Any])?.isEmpty == true, "\(key) after an identical night")
        }
        let info = try Binary.run(["state", "info", state])
        #expect(info.status == 0)
        #expect(info.stdout.contains("runs:             4"))
        #expect(info.stdout.contains("articles:         \(Self.demoLines.count)"))
    }

    @Test func nightsThatReadTheirTextsTwiceGiveTheSameReportsAsNightsThatHoldThem() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        for (mode, extra) in [("held", [String]()), ("streamed", ["--read-texts-twice"])] {
            for day in ["2020-10-07", "2020-10-11"] {
                let result = try Binary.run(["cluster", try Self.night(day, in: directory), "--out",
                                             directory.file("\(mode)-\(day)"), "--state", directory.file("\(mode).sqlite"),
                                             "--quiet"] + extra)
                #expect(result.status == 0, "\(result.stderr)")
            }
        }
        for day in ["2020-10-07", "2020-10-11"] {
            for name in ["articles.jsonl", "stories.json", "changes.json"] {
                let held = try Data(contentsOf: URL(fileURLWithPath: directory.file("held-\(day)/\(name)")))
                let streamed = try Data(contentsOf: URL(fileURLWithPath: directory.file("streamed-\(day)/\(name)")))
                #expect(held == streamed, "\(day) \(name)")
            }
        }
    }

    /// A night names its stories' terms from the labels its state keeps, without reading the
    /// texts of the articles it takes from the state: they must be the ones a run without state
    /// finds in the texts.
    @Test func aNightNamesItsStoriesAsARunWithoutStateDoes() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let state = directory.file("state.sqlite")
        for day in ["2020-10-07", "2020-10-09", "2020-10-11"] {
            let result = try Binary.run(["cluster", try Self.night(day, in: directory), "--out", directory.file("night-\(day)"),
                                         "--state", state, "--quiet"])
            #expect(result.status == 0, "\(result.stderr)")
        }
        let fresh = try Binary.run(["cluster", try Self.night("2020-10-11", in: directory), "--out", directory.file("fresh"), "--quiet"])
        #expect(fresh.status == 0, "\(fresh.stderr)")
        /// Headline and terms of each story, by its members (ids differ with and without a state).
        func named(_ out: String) throws -> [Set<String>: [String]] {
            let file = try #require(try JSONSerialization.jsonObject(
                with: Data(contentsOf: URL(fileURLWithPath: out + "/stories.json"))) as? [String: Any])
            var result: [Set<String>: [String]] = [:]
            for story in try #require(file["stories"] as? [[String: Any]]) {
                let members = Set(((story["members"] as? [[String: Any]]) ?? []).compactMap { $0["id"] as? String })
                result[members] = [story["headline"] as? String ?? ""] + ((story["terms"] as? [String]) ?? [])
            }
            return result
        }
        let night = try named(directory.file("night-2020-10-11")), stateless = try named(directory.file("fresh"))
        // Naming is what is checked: stories with the same members in both (a night may group a
        // few articles otherwise, see the README), which must be nearly all of them.
        let common = stateless.keys.filter { night[$0] != nil }
        #expect(!common.isEmpty && common.count * 10 >= stateless.count * 9, "\(common.count) of \(stateless.count)")
        for members in common {
            #expect(night[members] == stateless[members], "\(members.sorted())")
        }
    }

    @Test func aKilledRunLeavesAUsableStateAndTheNextRunSucceeds() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let state = directory.file("state.sqlite")
        let first = try Binary.run(["cluster", try Self.night("2020-10-07", in: directory), "--out", directory.file("out"),
                                    "--state", state, "--quiet"])
        #expect(first.status == 0)
        let before = Self.stories(try Reports(directory: directory.file("out")))
        // A larger night: the demo 40 times over under new ids, so the run lasts long enough to be killed.
        var lines: [String] = []
        for copy in 0..<40 {
            for (_, line) in Self.demoLines {
                lines.append(copy == 0 ? line : line.replacingOccurrences(of: "{\"id\": \"", with: "{\"id\": \"c\(copy)-"))
            }
        }
        let big = try directory.write("big.jsonl", lines.joined(separator: "\n") + "\n")
        // How long a whole run takes (on a copy of the state), to kill the others at chosen moments.
        // Measured on the monotonic clock: the wall clock may be stepped (NTP) while the run lasts.
        // Where a kill lands depends on the host's load (two shared cores), so these moments only
        // spread the kills over the run; every expectation below holds wherever a kill lands
        // (before the run took the state, while it wrote it, after it finished).
        try FileManager.default.copyItem(atPath: state, toPath: directory.file("timing.sqlite"))
        let clock = ContinuousClock()
        let started = clock.now
        let timing = try Binary.run(["cluster", big, "--out", directory.file("timing-out"), "--state", directory.file("timing.sqlite"), "--quiet"])
        #expect(timing.status == 0)
        let elapsed = started.duration(to: clock.now).components
        let duration = Double(elapsed.seconds) + Double(elapsed.attoseconds) / 1e18
        var runs = 1
        for share in [0.1, 0.4, 0.7, 0.85, 0.93, 0.98] {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: Binary.path)
            process.arguments = ["cluster", big, "--out", directory.file("out"), "--state", state, "--quiet"]
            process.standardError = FileHandle.nullDevice
            try process.run()
            Thread.sleep(forTimeInterval: duration * share)
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            // The state opens and is the one before the run or the one after it; the reports in
            // place are complete (old or new). A kill while the state was being written leaves
            // its journal, which `state info` (read-only) reports and leaves to the next run to
            // roll back; opening the state as a run does rolls it back.
            var info = try Binary.run(["state", "info", state])
            if info.status == 1 && info.stderr.contains("a run was interrupted while writing it") {
                _ = try StateStore(path: state)
                info = try Binary.run(["state", "info", state])
            }
            #expect(info.status == 0, "after a kill at \(share) of the run: \(info.stderr)")
            let line = info.stdout.split(separator: "\n").first { $0.hasPrefix("runs:") }
            let count = line.flatMap { Int($0.dropFirst(5).split(separator: " ").first ?? "") } ?? -1
            #expect(count == runs || count == runs + 1, "after a kill at \(share) of the run: \(info.stdout)")
            runs = max(runs, count)
            #expect((try? Reports(directory: directory.file("out"))) != nil, "reports readable after a kill at \(share) of the run")
        }
        let rerun = try Binary.run(["cluster", big, "--out", directory.file("out"), "--state", state, "--quiet"])
        #expect(rerun.status == 0, "\(rerun.stderr)")
        let after = Self.stories(try Reports(directory: directory.file("out")))
        // Night-one stories whose articles stayed together kept their ids.
        for (id, members) in before {
            if let holder = after.first(where: { members.isSubset(of: $0.value) }),
               !before.contains(where: { $0.key != id && !$0.value.isDisjoint(with: holder.value) }) {
                #expect(holder.key == id)
            }
        }
    }
}

@Suite("--state errors")
struct StateErrorTests {
    @Test func aStateThatCannotBeOpenedFailsBeforeTheWorkWithACleanMessage() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let notADatabase = try directory.write("state.sqlite", "this is not an SQLite file, and it is long enough to have a header\n")
        let result = try Binary.run(["cluster", "Corpora/demo", "--out", directory.file("out"), "--state", notADatabase, "--quiet"])
        #expect(result.status == 1)
        #expect(result.stderr.contains("cannot open the state \(notADatabase)"), "\(result.stderr)")
        #expect(!FileManager.default.fileExists(atPath: directory.file("out/stories.json")))
    }

    /// Files that are not a usable state; each makes one in `directory` and names SQLite's or
    /// newscluster's reason.
    static let brokenStates: [(name: String, reason: String)] = [
        ("empty", "the file is empty (0 bytes)"),
        ("garbage", "file is not a database"),
        ("truncated", "database disk image is malformed"),
        ("another SQLite database", "an SQLite database without the tables of a newscluster state"),
    ]

    static func makeBrokenState(_ name: String, in directory: TemporaryDirectory) throws -> String {
        let path = directory.file("state.sqlite")
        switch name {
        case "empty":
            _ = try directory.write("state.sqlite", "")
        case "garbage":
            _ = try directory.write("state.sqlite", bytes: (0..<8192).map { UInt8(truncatingIfNeeded: $0 &* 2_654_435_761 >> 7) })
        case "truncated":
            let whole = directory.file("whole.sqlite")
            let night = try Binary.run(["cluster", "Corpora/demo", "--out", directory.file("night"), "--state", whole, "--quiet"])
            try #require(night.status == 0, "\(night.stderr)")
            let bytes = try Data(contentsOf: URL(fileURLWithPath: whole))
            try bytes.prefix(bytes.count / 2).write(to: URL(fileURLWithPath: path))
        default:
            let database = try DatabaseQueue(path: path)
            try database.write { try $0.execute(sql: "CREATE TABLE notes (id INTEGER PRIMARY KEY, text TEXT)") }
            try database.close()
        }
        return path
    }

    @Test(arguments: brokenStates.map(\.name))
    func aBrokenStateFailsEveryCommandAtOpenWithItsPathAndReason(_ name: String) throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = try Self.makeBrokenState(name, in: directory)
        let reason = try #require(Self.brokenStates.first { $0.name == name }).reason
        let before = try Data(contentsOf: URL(fileURLWithPath: path))
        for command in [["cluster", "Corpora/demo", "--out", directory.file("out"), "--state", path, "--quiet"],
                        ["state", "info", path], ["state", "info", "--json", path], ["state", "history", path]] {
            let result = try Binary.run(command)
            #expect(result.status == 1, "\(command.prefix(2)) on \(name)")
            #expect(result.stderr.contains("cannot open the state \(path): \(reason)"), "\(command.prefix(2)): \(result.stderr)")
            #expect(result.stdout.isEmpty, "\(command.prefix(2)): \(result.stdout)")
        }
        #expect(!FileManager.default.fileExists(atPath: directory.file("out")), "the run failed before the work")
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == before, "the file is left as it was")
    }

    @Test func aStateOfANewerNewsclusterIsRefusedNamingBothVersions() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let state = directory.file("state.sqlite")
        let night = try Binary.run(["cluster", "Corpora/demo", "--out", directory.file("night"), "--state", state, "--quiet"])
        try #require(night.status == 0, "\(night.stderr)")
        let newer = StateStore.schema + 1
        let database = try DatabaseQueue(path: state)
        try database.write { db in
            try db.execute(sql: """
                INSERT INTO grdb_migrations (identifier) VALUES ('v\(newer)');
                UPDATE meta SET value = '\(newer)' WHERE key = 'schema';
                UPDATE meta SET value = '9.9.9' WHERE key = 'written_by';
                """)
        }
        try database.close()
        let before = try Data(contentsOf: URL(fileURLWithPath: state))
        let message = "\(state) was written by schema \(newer) (newscluster 9.9.9); "
            + "this newscluster \(Pipeline.version) knows schema ≤ \(StateStore.schema): upgrade newscluster"
        for command in [["cluster", "Corpora/demo", "--out", directory.file("out"), "--state", state, "--quiet"],
                        ["state", "info", state], ["state", "history", "--json", state]] {
            let result = try Binary.run(command)
            #expect(result.status == 1, "\(command.prefix(2))")
            #expect(result.stderr == "newscluster: \(message)\n", "\(command.prefix(2))")
        }
        #expect(try Data(contentsOf: URL(fileURLWithPath: state)) == before, "not migrated")
    }

    @Test func stateInfoOnAMissingFileFailsWithoutCreatingIt() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        for command in ["info", "history"] {
            let result = try Binary.run(["state", command, directory.file("none.sqlite")])
            #expect(result.status == 1)
            #expect(result.stderr.contains("cannot open the state \(directory.file("none.sqlite")): no such file"), "\(result.stderr)")
        }
        #expect(!FileManager.default.fileExists(atPath: directory.file("none.sqlite")))
    }
}

/// `state info` and `state history`, in text for editors and JSON for scripts.
@Suite("state info and history", .serialized)
struct StateInspectionTests {
    static func json(_ text: String) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any], "\(text)")
    }

    @Test func infoAndHistoryOfAnOlderSchemaLeaveItAsItIsForTheNextRunToUpgrade() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let state = directory.file("state.sqlite")
        let night = try Binary.run(["cluster", "Corpora/demo", "--out", directory.file("night"), "--state", state, "--quiet"])
        try #require(night.status == 0, "\(night.stderr)")
        // What schema 4 left: no vocabulary or judgements table, no migration v5 or v6.
        let database = try DatabaseQueue(path: state)
        try database.write { db in
            try db.execute(sql: """
                DROP TABLE judgements; DELETE FROM grdb_migrations WHERE identifier = 'v6';
                DROP TABLE vocabulary; DELETE FROM grdb_migrations WHERE identifier = 'v5';
                ALTER TABLE graph DROP COLUMN scores; ALTER TABLE graph DROP COLUMN scored_with;
                UPDATE meta SET value = '4' WHERE key = 'schema';
                """)
        }
        try database.close()
        let bytes = try Data(contentsOf: URL(fileURLWithPath: state))
        let modified = try FileManager.default.attributesOfItem(atPath: state)[.modificationDate] as? Date
        let results = try [["info"], ["info", "--json"], ["history"], ["history", "--json"]].map { arguments in
            let result = try Binary.run(["state"] + arguments + [state])
            #expect(result.status == 0, "\(arguments): \(result.stderr)")
            return result.stdout
        }
        #expect(try Data(contentsOf: URL(fileURLWithPath: state)) == bytes, "the same bytes")
        #expect(try FileManager.default.attributesOfItem(atPath: state)[.modificationDate] as? Date == modified)
        #expect(!FileManager.default.fileExists(atPath: state + "-journal"), "no journal left beside it")
        #expect(results[0].contains("schema:           4, older than this newscluster's \(StateStore.schema)"), "\(results[0])")
        let info = try Self.json(results[1])
        #expect(info["state_schema"] as? Int == 4 && info["upgraded_by_next_run"] as? Bool == true)

        let next = try Binary.run(["cluster", "Corpora/demo", "--out", directory.file("next"), "--state", state, "--quiet"])
        try #require(next.status == 0, "\(next.stderr)")
        let upgraded = try Self.json(try Binary.run(["state", "info", "--json", state]).stdout)
        #expect(upgraded["state_schema"] as? Int == StateStore.schema && upgraded["runs"] as? Int == 2)
    }

    @Test func infoAndHistoryDescribeTheNightsInTextAndJSONAndLeaveTheFileAsItIs() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let state = directory.file("state.sqlite")
        var nights: [(reports: Reports, changes: [String: Any])] = []
        for day in ["2020-10-07", "2020-10-09"] {
            let out = directory.file("night-\(day)")
            let result = try Binary.run(["cluster", try NightlyStateTests.night(day, in: directory), "--out", out,
                                         "--state", state, "--quiet"])
            try #require(result.status == 0, "\(result.stderr)")
            nights.append((try Reports(directory: out), try NightlyStateTests.changes(out)))
        }
        let url = URL(fileURLWithPath: state)
        let bytes = try Data(contentsOf: url)
        let modified = try FileManager.default.attributesOfItem(atPath: state)[.modificationDate] as? Date
        let results = try [["info"], ["info", "--json"], ["history"], ["history", "--json"]].map { arguments in
            let result = try Binary.run(["state"] + arguments + [state])
            #expect(result.status == 0, "\(arguments): \(result.stderr)")
            return result.stdout
        }
        #expect(try Data(contentsOf: url) == bytes, "the same bytes")
        #expect(try FileManager.default.attributesOfItem(atPath: state)[.modificationDate] as? Date == modified)

        let lastArticles = (nights[1].reports.run["counts"] as? [String: Any])?["articles"] as? Int
        try #require(lastArticles != nil)
        #expect(results[0].contains("schema:           \(StateStore.schema)\n"), "\(results[0])")
        #expect(results[0].contains("runs:             2 (last finished "), "\(results[0])")
        let info = try Self.json(results[1])
        #expect(Set(info.keys) == ["schema", "path", "bytes", "state_schema", "newest_state_schema", "upgraded_by_next_run",
                                   "written_by", "articles", "stories", "active_stories", "duplicate_groups", "runs",
                                   "last_run_finished", "last_run_articles", "judgements"])
        #expect(info["schema"] as? String == "newscluster.state-info/1")
        #expect(info["state_schema"] as? Int == StateStore.schema && info["upgraded_by_next_run"] as? Bool == false)
        #expect(info["written_by"] as? String == Pipeline.version && info["runs"] as? Int == 2)
        #expect(info["last_run_articles"] as? Int == lastArticles && info["bytes"] as? Int == bytes.count)

        #expect(results[2].contains("\nrun 2  finished "), "\(results[2])")
        let history = try Self.json(results[3])
        #expect(Set(history.keys) == ["schema", "path", "runs"])
        #expect(history["schema"] as? String == "newscluster.state-history/1")
        let runs = try #require(history["runs"] as? [[String: Any]])
        try #require(runs.count == 2)
        for (index, run) in runs.enumerated() {
            #expect(Set(run.keys) == ["run", "finished", "articles", "tokenized_articles", "stories", "newscluster_version", "events"])
            #expect(run["run"] as? Int == index + 1)
            #expect(run["articles"] as? Int == (nights[index].reports.run["counts"] as? [String: Any])?["articles"] as? Int)
            #expect(run["stories"] as? Int == nights[index].reports.stories.count)
            let events = try #require(run["events"] as? [[String: Any]])
            #expect(events.allSatisfy { ["kind", "event", "id", "headline"].allSatisfy($0.keys.contains) })
            // The history holds what each night's changes.json reported.
            let newStories = Set(events.filter { $0["kind"] as? String == "story" && $0["event"] as? String == "new" }
                .compactMap { $0["id"] as? String })
            let reportedNew = Set(((nights[index].changes["new"] as? [[String: Any]]) ?? []).compactMap { $0["id"] as? String })
            #expect(!newStories.isEmpty && newStories == reportedNew, "run \(index + 1)")
            let groupCounts = try #require(nights[index].changes["duplicate_groups"] as? [String: Int])
            for (event, count) in groupCounts {
                #expect(events.filter { $0["kind"] as? String == "duplicate_group" && $0["event"] as? String == event }.count == count,
                        "run \(index + 1): duplicate groups \(event)")
            }
        }
    }
}
