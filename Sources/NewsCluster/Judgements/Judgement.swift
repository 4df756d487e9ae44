import Foundation

/// One decision an editor made on the review page (`docs/judgements.schema.json`): the action,
/// the stories it was made against, and the article pairs it implies. The clustering reads only
/// the pairs; the rest tells editors later what was decided and why.
public struct Judgement: Codable, Sendable, Equatable {
    public enum Action: String, Codable, Sendable, CaseIterable {
        /// `article` is not in the story.
        case remove
        /// `article` belongs to the second story, not the first.
        case move
        /// The two stories are one story.
        case merge
        /// The story is right.
        case confirm
    }

    /// A story as it was on the page the judgement was made on.
    public struct Story: Codable, Sendable, Equatable {
        public var id: String
        public var headline: String
    }

    /// Two article ids; in a cannot-link pair of a remove or move, the article acted on first.
    public struct Pair: Codable, Sendable, Equatable, Hashable {
        public var first: String
        public var second: String

        public init(_ first: String, _ second: String) {
            self.first = first
            self.second = second
        }

        public init(from decoder: Decoder) throws {
            var container = try decoder.unkeyedContainer()
            first = try container.decode(String.self)
            second = try container.decode(String.self)
            guard container.isAtEnd else {
                throw DecodingError.dataCorruptedError(in: container, debugDescription: "a pair holds two article ids")
            }
        }

        public func encode(to encoder: Encoder) throws {
            var container = encoder.unkeyedContainer()
            try container.encode(first)
            try container.encode(second)
        }
    }

    public var id: String
    public var action: Action
    /// When the editor made it, as written (ISO 8601, UTC); `date` is its value.
    public var time: String
    public var editor: String?
    public var article: String?
    public var stories: [Story]
    public var mustLink: [Pair]
    public var cannotLink: [Pair]

    enum CodingKeys: String, CodingKey {
        case id, action, time, editor, article, stories
        case mustLink = "must_link"
        case cannotLink = "cannot_link"
    }

    /// The moment of `time`: the later of two judgements wins.
    public var date: Date? { Self.parseTime(time) }

    static func parseTime(_ text: String) -> Date? {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        if let date = formatter.date(from: text) { return date }
        formatter.formatOptions = [.withInternetDateTime]
        return formatter.date(from: text)
    }

    /// Why this judgement cannot be used as written, nil when it can.
    var problem: String? {
        if id.isEmpty { return "a judgement without an id" }
        if date == nil { return "time \"\(time)\" is not an ISO 8601 date-time" }
        if stories.isEmpty { return "no story is named" }
        switch action {
        case .remove, .move:
            guard let article, !article.isEmpty else { return "a \(action.rawValue) names no article" }
            if action == .move && stories.count < 2 { return "a move names the story it left and the one it joins" }
        case .merge:
            if stories.count < 2 { return "a merge names two stories" }
        case .confirm:
            break
        }
        for pair in mustLink + cannotLink where pair.first.isEmpty || pair.second.isEmpty {
            return "a pair with an empty article id"
        }
        return nil
    }
}

/// A `judgements.json` as the review page exports it.
public struct JudgementsFile: Codable, Sendable, Equatable {
    public static let schemaName = "newscluster.judgements/1"

    public var schema: String
    public var exported: String?
    public var editor: String?
    public var run: String?
    public var judgements: [Judgement]

    public init(judgements: [Judgement], exported: String? = nil, editor: String? = nil, run: String? = nil) {
        self.schema = Self.schemaName
        self.judgements = judgements
        self.exported = exported
        self.editor = editor
        self.run = run
    }

    /// Reads and checks a file: any problem is an error naming the file and, for one
    /// judgement, its position and id. Nothing of a file is used unless all of it can be.
    public static func read(_ path: String) throws -> JudgementsFile {
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw JudgementsError(path: path, reason: "cannot read it: \((error as NSError).localizedDescription)")
        }
        return try decode(data, path: path)
    }

    static func decode(_ data: Data, path: String) throws -> JudgementsFile {
        let file: JudgementsFile
        do {
            file = try JSONDecoder().decode(JudgementsFile.self, from: data)
        } catch let error as DecodingError {
            throw JudgementsError(path: path, reason: Self.describe(error))
        } catch {
            throw JudgementsError(path: path, reason: "not JSON: \(error.localizedDescription)")
        }
        guard file.schema == schemaName else {
            throw JudgementsError(path: path, reason: "schema is \"\(file.schema)\", this newscluster reads \"\(schemaName)\"")
        }
        for (index, judgement) in file.judgements.enumerated() {
            if let problem = judgement.problem {
                throw JudgementsError(path: path, reason: "judgement \(index + 1) (\(judgement.id)): \(problem)")
            }
        }
        return file
    }

    private static func describe(_ error: DecodingError) -> String {
        func at(_ path: [CodingKey]) -> String {
            path.isEmpty ? "" : " at " + path.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined()
        }
        switch error {
        case .keyNotFound(let key, let context):
            return "\"\(key.stringValue)\" is missing\(at(context.codingPath))"
        case .typeMismatch(_, let context), .valueNotFound(_, let context):
            return "\(context.debugDescription)\(at(context.codingPath))"
        case .dataCorrupted(let context):
            return context.codingPath.isEmpty ? "not JSON" : "\(context.debugDescription)\(at(context.codingPath))"
        @unknown default:
            return "\(error)"
        }
    }
}

/// A judgement, or part of one, that a run could not use, and why (`run.json`).
public struct JudgementWarning: Codable, Sendable, Equatable {
    public var judgement: String
    public var reason: String
}

/// A judgements file that cannot be used, and why.
public struct JudgementsError: Error, CustomStringConvertible {
    public var path: String
    public var reason: String

    public var description: String { "\(path): \(reason)" }
}
