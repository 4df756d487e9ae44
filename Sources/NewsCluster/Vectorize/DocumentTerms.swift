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

    public init(
        title: String, body: String, titleWeight: Float, nameWeight: Float = 1, numberWeight: Float = 1,
        tokenizer: Tokenizer = Tokenizer()
    ) {
        var scripts = Tokenizer.ScriptCounts()
        var counts: [UInt64: Float] = [:]
        var bodyLength = 0
        var titleTokens = Set<UInt64>()
        var titleScripts = Tokenizer.ScriptCounts()
        tokenizer.forEachToken(in: title, scripts: &titleScripts) { hash, _ in titleTokens.insert(hash) }
        // Copies reword the headline and add credit lines ("Source: …"): shingles come from the
        // article's own sentences, without a first line that repeats the title and without
        // lines too short to be prose.
        var shingleTokens: [UInt64] = []
        var lineTokens: [UInt64] = []
        // A name is written capitalized inside a sentence and never in lower case.
        var capitalizedInside = Set<UInt64>()
        var lowercase = Set<UInt64>()
        var numbers = Set<UInt64>()
        var isFirstLine = true
        for line in body.split(whereSeparator: \.isNewline) {
            lineTokens.removeAll(keepingCapacity: true)
            tokenizer.forEachToken(in: String(line), scripts: &scripts) { hash, _, casing in
                lineTokens.append(hash)
                counts[hash, default: 0] += 1
                if casing.contains(.numeric) {
                    numbers.insert(hash)
                } else if !casing.contains(.capitalized) {
                    lowercase.insert(hash)
                } else if !casing.contains(.sentenceStart) {
                    capitalizedInside.insert(hash)
                }
            }
            guard !lineTokens.isEmpty else { continue }
            bodyLength += lineTokens.count
            let repeatsTitle = isFirstLine
                && lineTokens.filter(titleTokens.contains).count * 10 >= lineTokens.count * 6
            isFirstLine = false
            if !repeatsTitle && lineTokens.count >= Self.minimumShingleLineTokens {
                shingleTokens += lineTokens
            }
        }
        if nameWeight != 1 {
            for hash in capitalizedInside where !lowercase.contains(hash) { counts[hash]! *= nameWeight }
        }
        if numberWeight != 1 {
            for hash in numbers { counts[hash]! *= numberWeight }
        }
        if titleWeight > 0 {
            tokenizer.forEachToken(in: title, scripts: &titleScripts) { hash, _ in
                counts[hash, default: 0] += titleWeight
            }
        }
        let terms = counts.keys.sorted()
        self.terms = terms
        self.counts = terms.map { counts[$0]! }
        self.shingles = ShingleSketch(tokens: shingleTokens)
        self.script = scripts.dominant
        self.length = bodyLength
    }

    /// Lines shorter than this (credit lines, datelines) do not count as shingles.
    static let minimumShingleLineTokens = 6
}
