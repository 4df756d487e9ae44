import Foundation

/// Scores a `cluster` run against editors' judgements: the share of judgements the run already
/// satisfies (every must-link pair in one story, every cannot-link pair in two), so a team can
/// watch how often its editors still have to correct the tool.
///
/// The judgements are read as a run reads them (`EditorConstraints`): a pair a later judgement
/// overrules is not held against the run, and a pair naming an article the run does not list
/// is not scored. A judgement with no pair left is counted apart, not as satisfied.
public struct JudgementEvaluation: Sendable, Codable, Equatable {
    public struct Tally: Sendable, Codable, Equatable {
        public var scored = 0
        public var satisfied = 0

        public var share: Double? { scored > 0 ? Double(satisfied) / Double(scored) : nil }

        enum CodingKeys: String, CodingKey {
            case scored, satisfied, share
        }

        public init() {}

        public init(from decoder: Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            scored = try container.decode(Int.self, forKey: .scored)
            satisfied = try container.decode(Int.self, forKey: .satisfied)
        }

        public func encode(to encoder: Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(scored, forKey: .scored)
            try container.encode(satisfied, forKey: .satisfied)
            try container.encode(share, forKey: .share)
        }
    }

    public var judgements: Int
    /// Every scored judgement, and by action.
    public var all = Tally()
    public var byAction: [String: Tally] = [:]
    public var mustLinkPairs = Tally()
    public var cannotLinkPairs = Tally()
    /// Judgements with no pair to score: their articles are not in the run, or later judgements
    /// overrule them.
    public var notScored = 0
    /// The ids of the scored judgements the run does not satisfy.
    public var unsatisfied: [String] = []

    enum CodingKeys: String, CodingKey {
        case judgements, all, unsatisfied
        case byAction = "by_action"
        case mustLinkPairs = "must_link_pairs"
        case cannotLinkPairs = "cannot_link_pairs"
        case notScored = "not_scored"
    }

    /// - Parameters:
    ///   - judgements: the judgements, oldest given first.
    ///   - storyOf: the run's story of each article id.
    public init(judgements given: [Judgement], storyOf: [String: String]) {
        let ids = storyOf.keys.sorted()
        let index = Dictionary(uniqueKeysWithValues: ids.enumerated().map { ($1, $0) })
        let story = ids.map { storyOf[$0]! }
        let constraints = EditorConstraints(judgements: given, index: index)
        judgements = constraints.judgements.count
        var kept = [Bool](repeating: true, count: constraints.judgements.count)
        var scored = [Bool](repeating: false, count: constraints.judgements.count)
        for pair in constraints.mustLink {
            let holds = story[pair.a] == story[pair.b]
            mustLinkPairs.scored += 1
            mustLinkPairs.satisfied += holds ? 1 : 0
            kept[pair.judgement] = kept[pair.judgement] && holds
            scored[pair.judgement] = true
        }
        for pair in constraints.cannotLink {
            let holds = story[pair.a] != story[pair.b]
            cannotLinkPairs.scored += 1
            cannotLinkPairs.satisfied += holds ? 1 : 0
            kept[pair.judgement] = kept[pair.judgement] && holds
            scored[pair.judgement] = true
        }
        for (position, judgement) in constraints.judgements.enumerated() {
            guard scored[position] else {
                notScored += 1
                continue
            }
            all.scored += 1
            byAction[judgement.action.rawValue, default: Tally()].scored += 1
            if kept[position] {
                all.satisfied += 1
                byAction[judgement.action.rawValue, default: Tally()].satisfied += 1
            } else {
                unsatisfied.append(judgement.id)
            }
        }
    }

    /// Reads the files (each whole, or an error naming it) and the run's `articles.jsonl`.
    public init(judgementFiles: [String], run: String) throws {
        let given = try judgementFiles.flatMap { try JudgementsFile.read($0).judgements }
        var isDirectory: ObjCBool = false
        let path = FileManager.default.fileExists(atPath: run, isDirectory: &isDirectory)
            && isDirectory.boolValue ? run + "/articles.jsonl" : run
        let predictions = try Evaluation.readPredictions(path)
        self.init(judgements: given, storyOf: predictions.compactMapValues(\.story))
    }

    public var text: String {
        func share(_ tally: Tally) -> String {
            "\(tally.satisfied)/\(tally.scored)" + (tally.share.map { String(format: " = %.3f", $0) } ?? "")
        }
        var lines = ["judgements satisfied by the run: \(share(all))"]
        for action in Judgement.Action.allCases {
            if let tally = byAction[action.rawValue] { lines.append("  \(action.rawValue): \(share(tally))") }
        }
        lines.append("must-link pairs in one story: \(share(mustLinkPairs))")
        lines.append("cannot-link pairs apart: \(share(cannotLinkPairs))")
        if notScored > 0 {
            lines.append("not scored: \(notScored) (their articles are not in the run, or later judgements overrule them)")
        }
        if !unsatisfied.isEmpty {
            lines.append("not satisfied: " + unsatisfied.prefix(20).joined(separator: ", ") + (unsatisfied.count > 20 ? ", …" : ""))
        }
        return lines.joined(separator: "\n") + "\n"
    }

    public func json() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        return try encoder.encode(self) + Data("\n".utf8)
    }
}
