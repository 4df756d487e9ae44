/// The story threshold for the length of the texts at hand.
///
/// The defaults are fitted to full articles. Two headlines of one story share two or three
/// words, so their cosines are a fraction of two full reports' and a headline feed falls apart
/// into crumbs (on the scraped ECB+ pages reduced to their titles: 191 stories for 66). When
/// the run's median text is short, the story threshold is scaled down, fully at `shortTokens`
/// and not at all from `fullTokens` on (linear between), so a corpus of full articles is
/// clustered exactly as before. The neighbour floor stays: lowered, it let two short reports
/// of different events that share a word or two into each other's neighbour sets and merged
/// them (a storm and a flood of the same Monday). The scale comes from the sweep in
/// docs/accuracy.md.
struct ShortTextCalibration: Sendable, Equatable {
    /// Median tokens per text (body and title as read; a headline feed's body is its teaser).
    var medianTokens: Int

    static let shortTokens = 15
    static let fullTokens = 60
    static let thresholdScale: Float = 0.5

    init(lengths: [Int]) {
        let sorted = lengths.sorted()
        medianTokens = sorted.isEmpty ? Self.fullTokens : sorted[sorted.count / 2]
    }

    /// 0 for full articles, 1 for headlines.
    var shortness: Float {
        let span = Float(Self.fullTokens - Self.shortTokens)
        return min(1, max(0, Float(Self.fullTokens - medianTokens) / span))
    }

    func storyThreshold(_ threshold: Float) -> Float { threshold * (1 - shortness * (1 - Self.thresholdScale)) }
}
