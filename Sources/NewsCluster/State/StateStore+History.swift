import Foundation
import GRDB

/// What a state tells about itself: `newscluster state info` and `state history`, and the
/// queries other features ask. Every query here reads the tables of schema 1 and later, so it
/// describes an older state as it is, through a read-only store.
extension StateStore {
    /// What `newscluster state info` prints.
    public struct Info: Sendable, Equatable {
        var path: String
        public var articles: Int
        public var stories: Int
        public var activeStories: Int
        public var duplicateGroups: Int
        public var runs: Int
        public var lastRun: String?
        public var bytes: Int
        /// The state's schema as opened; a run migrates one below `StateStore.schema`.
        public var schema: Int
        /// The newscluster version that last wrote it (recorded from schema 4 on).
        public var writtenBy: String?
        /// Articles the last finished run accepted.
        public var lastRunArticles: Int?
        /// Editors' judgements kept (0 before schema 6).
        public var judgements: Int = 0
    }

    public func info() throws -> Info {
        try database.read { db in
            Info(
                path: path,
                articles: try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM articles") ?? 0,
                stories: try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM groups WHERE kind = 'story'") ?? 0,
                activeStories: try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM groups WHERE kind = 'story' AND status = 'active'") ?? 0,
                duplicateGroups: try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM groups WHERE kind = 'duplicate_group'") ?? 0,
                runs: try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM runs") ?? 0,
                lastRun: try String.fetchOne(db, sql: "SELECT finished FROM runs ORDER BY id DESC LIMIT 1"),
                bytes: (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0,
                schema: openedSchema,
                writtenBy: try Self.writer(db).toolVersion,
                lastRunArticles: try Self.lastRunArticles(db),
                judgements: try db.tableExists("judgements") ? Int.fetchOne(db, sql: "SELECT COUNT(*) FROM judgements") ?? 0 : 0)
        }
    }

    /// How many articles the last finished run accepted (every one it clustered, read from the
    /// input or taken from the state); nil before the first run.
    public func lastRunArticles() throws -> Int? {
        try database.read(Self.lastRunArticles)
    }

    private static func lastRunArticles(_ db: Database) throws -> Int? {
        // `runs.articles` has counted the run's accepted articles since schema 1.
        try Int.fetchOne(db, sql: "SELECT articles FROM runs ORDER BY id DESC LIMIT 1")
    }

    /// The stored history of one story or duplicate group: (run, event, detail).
    public func events(of id: String) throws -> [(run: Int, event: String, detail: String)] {
        try database.read { db in
            try Row.fetchAll(db, sql: "SELECT run, event, detail FROM events WHERE group_id = ? ORDER BY run, rowid",
                             arguments: [id]).map {
                (run: $0[EventColumns.run], event: $0[EventColumns.event], detail: $0[EventColumns.detail])
            }
        }
    }

    /// The runs a state remembers, each with what happened to stories and duplicate groups.
    public struct History: Sendable, Equatable {
        public struct Run: Sendable, Equatable {
            public var number: Int
            /// ISO 8601, as the run recorded it.
            public var finished: String
            /// Articles the run accepted, and how many of them it tokenized (new or changed).
            public var articles: Int
            public var tokenizedArticles: Int
            public var stories: Int
            /// The newscluster version of the run (recorded from schema 4 on).
            public var toolVersion: String?
            /// In the order the run recorded them: stories first, then duplicate groups.
            public var events: [Event]
        }

        public struct Event: Sendable, Equatable {
            public enum Kind: String, Sendable {
                case story
                case duplicateGroup = "duplicate_group"
            }
            public enum Change: Sendable, Equatable {
                case new
                case grown(added: Int)
                case merged(into: String)
                case split(parts: [String])
                case left
                case dissolved
                /// An event this version does not know, with its stored detail.
                case other(String, detail: String)
            }
            public var kind: Kind
            public var id: String
            public var change: Change
            /// The group's latest headline (empty for duplicate groups).
            public var headline: String
        }

        var path: String
        public var runs: [Run]
    }

    public func history() throws -> History {
        try database.read { db in
            let hasToolVersion = try db.columns(in: "runs").contains { $0.name == "tool_version" }
            typealias Runs = RunColumns
            typealias Events = EventColumns
            var runs = try Row.fetchAll(db, sql: """
                SELECT id, finished, articles, tokenized_articles, stories, \(hasToolVersion ? "tool_version" : "NULL AS tool_version")
                FROM runs ORDER BY id
                """).map {
                History.Run(number: $0[Runs.id], finished: $0[Runs.finished], articles: $0[Runs.articles],
                            tokenizedArticles: $0[Runs.tokenizedArticles], stories: $0[Runs.stories],
                            toolVersion: $0[Runs.toolVersion], events: [])
            }
            let indexOfRun = Dictionary(uniqueKeysWithValues: runs.enumerated().map { ($0.element.number, $0.offset) })
            let events = try Row.fetchCursor(db, sql: """
                SELECT events.run, events.kind, events.event, events.group_id, events.detail,
                       COALESCE(groups.headline, '') AS headline
                FROM events LEFT JOIN groups ON groups.id = events.group_id
                ORDER BY events.run, events.kind = 'duplicate_group', events.rowid
                """)
            while let row = try events.next() {
                guard let index = indexOfRun[row[Events.run]] else { continue }
                let detail: String = row[Events.detail]
                let change: History.Event.Change = switch row[Events.event] as String {
                case "new": .new
                case "grown": .grown(added: Int(detail.drop { $0 == "+" }) ?? 0)
                case "merged": .merged(into: detail)
                case "split": .split(parts: detail.split(separator: " ").map(String.init))
                case "left": .left
                case "dissolved": .dissolved
                case let other: .other(other, detail: detail)
                }
                // `save` writes no other kind.
                guard let kind = History.Event.Kind(rawValue: row[Events.kind]) else { continue }
                runs[index].events.append(History.Event(kind: kind, id: row[Events.groupID], change: change,
                                                        headline: row[GroupColumns.headline]))
            }
            return History(path: path, runs: runs)
        }
    }
}

// The JSON forms of `state info --json` and `state history --json`: snake_case keys, every key
// present in every object (null when unknown), and a `schema` naming the format so that a
// script can tell which one it reads.

extension StateStore.Info: Encodable {
    public static let format = "newscluster.state-info/1"

    private enum CodingKeys: String, CodingKey {
        case schema, path, bytes, articles, stories, runs, judgements
        case stateSchema = "state_schema", newestStateSchema = "newest_state_schema"
        case upgradedByNextRun = "upgraded_by_next_run", writtenBy = "written_by"
        case activeStories = "active_stories", duplicateGroups = "duplicate_groups"
        case lastRunFinished = "last_run_finished", lastRunArticles = "last_run_articles"
    }

    /// Whether the next `cluster --state` run migrates the state to this version's schema.
    public var upgradedByNextRun: Bool { schema < StateStore.schema }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(Self.format, forKey: .schema)
        try container.encode(path, forKey: .path)
        try container.encode(bytes, forKey: .bytes)
        try container.encode(schema, forKey: .stateSchema)
        try container.encode(StateStore.schema, forKey: .newestStateSchema)
        try container.encode(upgradedByNextRun, forKey: .upgradedByNextRun)
        try container.encode(writtenBy, forKey: .writtenBy)
        try container.encode(articles, forKey: .articles)
        try container.encode(stories, forKey: .stories)
        try container.encode(activeStories, forKey: .activeStories)
        try container.encode(duplicateGroups, forKey: .duplicateGroups)
        try container.encode(runs, forKey: .runs)
        try container.encode(lastRun, forKey: .lastRunFinished)
        try container.encode(lastRunArticles, forKey: .lastRunArticles)
        try container.encode(judgements, forKey: .judgements)
    }
}

extension StateStore.History: Encodable {
    public static let format = "newscluster.state-history/1"

    private enum CodingKeys: String, CodingKey {
        case schema, path, runs
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(Self.format, forKey: .schema)
        try container.encode(path, forKey: .path)
        try container.encode(runs, forKey: .runs)
    }
}

extension StateStore.History.Run: Encodable {
    private enum CodingKeys: String, CodingKey {
        case run, finished, articles, stories, events
        case tokenizedArticles = "tokenized_articles", toolVersion = "newscluster_version"
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(number, forKey: .run)
        try container.encode(finished, forKey: .finished)
        try container.encode(articles, forKey: .articles)
        try container.encode(tokenizedArticles, forKey: .tokenizedArticles)
        try container.encode(stories, forKey: .stories)
        try container.encode(toolVersion, forKey: .toolVersion)
        try container.encode(events, forKey: .events)
    }
}

extension StateStore.History.Event: Encodable {
    private enum CodingKeys: String, CodingKey {
        case kind, event, id, headline, added, into, parts, detail
    }

    /// The event's name as stored ("merged", "split", …).
    public var name: String {
        switch change {
        case .new: "new"
        case .grown: "grown"
        case .merged: "merged"
        case .split: "split"
        case .left: "left"
        case .dissolved: "dissolved"
        case .other(let name, _): name
        }
    }

    /// Beside the common keys, each event has the keys of its own: `added` (grown), `into`
    /// (merged), `parts` (split), `detail` (an event this version does not know).
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(kind.rawValue, forKey: .kind)
        try container.encode(name, forKey: .event)
        try container.encode(id, forKey: .id)
        try container.encode(headline, forKey: .headline)
        switch change {
        case .grown(let added): try container.encode(added, forKey: .added)
        case .merged(let into): try container.encode(into, forKey: .into)
        case .split(let parts): try container.encode(parts, forKey: .parts)
        case .other(_, let detail): try container.encode(detail, forKey: .detail)
        case .new, .left, .dissolved: break
        }
    }
}
