/// What the vectorizer needs from one document: its distinct terms with weighted counts, the
/// shingle sketch of its body, and its script. Computed independently per document, so this
/// stage runs in parallel.
public struct DocumentTerms: Sendable {
    /// Distinct token hashes, ascending.
    public var terms: [UInt64]
    /// Raw counts, title tokens counted `titleWeight` times.
    public var counts: [Float]
    public var shingles: ShingleSketch
    /// `latn`, `cyrl` or `other`.
    public var script: String
    /// Tokens in the body.
    public var length: Int

    public init(title: String, body: String, titleWeight: Float, tokenizer: Tokenizer = Tokenizer()) {
        var scripts = Tokenizer.ScriptCounts()
        var counts: [UInt64: Float] = [:]
        var bodyTokens: [UInt64] = []
        tokenizer.forEachToken(in: body, scripts: &scripts) { hash, _ in
            bodyTokens.append(hash)
            counts[hash, default: 0] += 1
        }
        if titleWeight > 0 {
            var titleScripts = Tokenizer.ScriptCounts()
            tokenizer.forEachToken(in: title, scripts: &titleScripts) { hash, _ in
                counts[hash, default: 0] += titleWeight
            }
        }
        let terms = counts.keys.sorted()
        self.terms = terms
        self.counts = terms.map { counts[$0]! }
        self.shingles = ShingleSketch(tokens: bodyTokens)
        self.script = scripts.dominant
        self.length = bodyTokens.count
    }
}
