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
        var titleTokens: [UInt64] = []
        var titleScripts = Tokenizer.ScriptCounts()
        tokenizer.forEachToken(in: title, scripts: &titleScripts) { hash, _ in titleTokens.append(hash) }
        let titleSet = Set(titleTokens)

        // One pass over the body: each token with how it was written. Counting by sorting a
        // flat array is several times faster here than a Dictionary per document (measured).
        var occurrences: [Occurrence] = []
        occurrences.reserveCapacity(body.utf8.count / 6)
        // Copies reword the headline and add credit lines ("Source: …"): shingles come from the
        // article's own sentences, without a first line that repeats the title and without
        // lines too short to be prose.
        var shingleTokens: [UInt64] = []
        var lineStart = 0
        var isFirstLine = true
        func endLine() {
            let line = occurrences[lineStart..<occurrences.count]
            defer { lineStart = occurrences.count }
            guard !line.isEmpty else { return }
            let repeatsTitle = isFirstLine
                && line.filter { titleSet.contains($0.hash) }.count * 10 >= line.count * 6
            isFirstLine = false
            if !repeatsTitle && line.count >= Self.minimumShingleLineTokens {
                shingleTokens.append(contentsOf: line.lazy.map(\.hash))
            }
        }
        tokenizer.forEachToken(in: body, scripts: &scripts) { hash, _, casing in
            if casing.contains(.lineStart) { endLine() }
            // A name is written capitalized inside a sentence and never in lower case.
            let kind: UInt8
            if casing.contains(.numeric) {
                kind = Occurrence.number
            } else if !casing.contains(.capitalized) {
                kind = Occurrence.lowercase
            } else {
                kind = casing.contains(.sentenceStart) ? 0 : Occurrence.capitalizedInside
            }
            occurrences.append(Occurrence(hash: hash, kind: kind))
        }
        endLine()
        let bodyLength = occurrences.count
        occurrences.sort { $0.hash < $1.hash }
        titleTokens.sort()

        var terms: [UInt64] = []
        var counts: [Float] = []
        terms.reserveCapacity(occurrences.count / 2 + titleTokens.count)
        counts.reserveCapacity(terms.capacity)
        var index = 0, titleIndex = 0
        while index < occurrences.count || titleIndex < titleTokens.count {
            let hash = min(index < occurrences.count ? occurrences[index].hash : .max,
                           titleIndex < titleTokens.count ? titleTokens[titleIndex] : .max)
            var count: Float = 0
            var kinds: UInt8 = 0
            while index < occurrences.count && occurrences[index].hash == hash {
                count += 1
                kinds |= occurrences[index].kind
                index += 1
            }
            if kinds & Occurrence.number != 0 {
                count *= numberWeight
            } else if kinds & Occurrence.capitalizedInside != 0 && kinds & Occurrence.lowercase == 0 {
                count *= nameWeight
            }
            while titleIndex < titleTokens.count && titleTokens[titleIndex] == hash {
                count += titleWeight
                titleIndex += 1
            }
            if count > 0 {
                terms.append(hash)
                counts.append(count)
            }
        }
        self.terms = terms
        self.counts = counts
        self.shingles = ShingleSketch(tokens: shingleTokens)
        self.script = scripts.dominant
        self.length = bodyLength
    }

    struct Occurrence {
        static let number: UInt8 = 1
        static let lowercase: UInt8 = 2
        static let capitalizedInside: UInt8 = 4
        var hash: UInt64
        var kind: UInt8
    }

    /// Lines shorter than this (credit lines, datelines) do not count as shingles.
    static let minimumShingleLineTokens = 6
}
