/// The stages of a run, in order, as named in `run.json`'s timings and by `newscluster stage`.
public enum Stage: String, CaseIterable, Codable, Sendable {
    /// Reading the state's stored input records (a night only).
    case stateRecords = "state_records"
    /// Reading the rest of the state, beside the input (a night only).
    case state
    case read, clean, tokenize, vectorize, neighbors, group, describe
    /// The JSON reports, written beside the page.
    case report
    case page
    /// Committing the state (a night only).
    case save
    case total

    /// The stages `newscluster stage` runs one by one, each from the previous one's output.
    public static let chain: [Stage] = [.read, .clean, .tokenize, .vectorize, .neighbors, .group, .describe, .report]
}
