/// Refuses a run whose input is empty or far smaller than the last run's before it writes
/// anything. A failed scrape or an unmounted share gives such an input; run as if it were the
/// day's news, it would mark every story as left, and the next night would give all of them new
/// ids, breaking every note editors wrote against the old ones.
///
/// The rules:
/// - a run that accepts no article fails unless empty runs are allowed;
/// - a run with a state that accepts fewer articles than `minimumShare` of the state's last run
///   fails unless shrinking is allowed;
/// - anything else goes on.
public struct InputShrinkGuard: Codable, Sendable, Equatable {
    /// Share of the last run's articles a run must accept (`--min-share`).
    public var minimumShare: Double
    /// `--allow-shrink`: accept a run below the share.
    var allowsShrink: Bool
    /// `--allow-empty`: accept a run without articles.
    var allowsEmpty: Bool

    enum CodingKeys: String, CodingKey {
        case minimumShare = "min_share"
        case allowsShrink = "allow_shrink"
        case allowsEmpty = "allow_empty"
    }

    public init(minimumShare: Double = 0.5, allowsShrink: Bool = false, allowsEmpty: Bool = false) {
        self.minimumShare = minimumShare
        self.allowsShrink = allowsShrink
        self.allowsEmpty = allowsEmpty
    }

    public enum Refusal: Error, CustomStringConvertible, Equatable {
        /// No article accepted out of `read` records.
        case empty(read: Int, rejected: Int)
        /// `accepted` articles against the `previous` ones of the last run kept in `state`.
        case shrunk(accepted: Int, previous: Int, minimumShare: Double, state: String)

        public var description: String {
            switch self {
            case .empty(let read, let rejected):
                let records = read == 0
                    ? "the input holds no record"
                    : "none of the input's \(read) record(s) was accepted (\(rejected) rejected)"
                return "\(records); nothing was written, and the previous reports and state are as they were. "
                    + "Give --allow-empty to write empty reports (with --state: to mark every story as left)"
            case .shrunk(let accepted, let previous, let share, let state):
                return "this run accepted \(accepted) article(s), fewer than \(Self.percent(share)) of the "
                    + "\(previous) of the last run in the state \(state); nothing was written, and the previous "
                    + "reports and state are as they were. A smaller input (a failed scrape, a missing file?) would "
                    + "mark the missing articles' stories as left and give them new ids next time. "
                    + "Give --allow-shrink if the corpus did shrink, or a lower --min-share"
            }
        }

        private static func percent(_ share: Double) -> String {
            let value = share * 100
            return (value.rounded() == value ? String(Int(value)) : String(value)) + " %"
        }
    }

    /// Throws the refusal for a run that accepted `accepted` of `read` records (`rejected` of
    /// them rejected), given the last run's article count in `state` (nil without a state or
    /// before its first run).
    func check(accepted: Int, read: Int, rejected: Int, previous: Int?, state: String?) throws(Refusal) {
        if accepted == 0 {
            guard allowsEmpty else { throw .empty(read: read, rejected: rejected) }
            return
        }
        if let previous, let state, !allowsShrink, Double(accepted) < minimumShare * Double(previous) {
            throw .shrunk(accepted: accepted, previous: previous, minimumShare: minimumShare, state: state)
        }
    }
}
