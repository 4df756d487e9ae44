/// What the vectorizer needs from one document: its distinct terms with weighted counts, the
/// shingle sketch of its body, and its script. Computed independently per document, so this
/// stage runs in parallel.
struct DocumentTerms: Sendable, Codable {
    /// Distinct token hashes, ascending.
    var terms: [UInt64]
    /// Raw counts, title tokens counted `titleWeight` times.
    var counts: [Float]
    var shingles: ShingleSketch
    /// `latn`, `cyrl` or `other`.
    var script: String
    /// Tokens in the body.
    var length: Int

    /// A document's terms as stored (the nightly state).
    init(terms: [UInt64], counts: [Float], shingles: ShingleSketch, script: String, length: Int) {
        self.terms = terms
        self.counts = counts
        self.shingles = shingles
        self.script = script
        self.length = length
    }

    init(
        title: String, body: String, titleWeight: Float, nameWeight: Float = 1, numberWeight: Float = 1,
        stemmer: TermStemmer = TermStemmer(letters: 0), tokenizer: Tokenizer = Tokenizer()
    ) {
        var scripts = Tokenizer.ScriptCounts()
        var titleTokens: [UInt64] = []
        var titleTerms: [UInt64] = []
        var titleScripts = Tokenizer.ScriptCounts()
        tokenizer.forEachToken(in: title, scripts: &titleScripts) { hash, bytes in
            titleTokens.append(hash)
            titleTerms.append(stemmer.term(hash, bytes))
        }
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
        tokenizer.forEachToken(in: body, scripts: &scripts) { hash, bytes, casing in
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
            occurrences.append(Occurrence(hash: hash, term: stemmer.term(hash, bytes), kind: kind))
        }
        endLine()
        let bodyLength = occurrences.count
        // Distinct body terms with their counts and how they were written, through a small
        // open-addressing table (counting does not depend on order; sorting every occurrence
        // was the stage's main cost, measured).
        var distinct = Self.countDistinct(occurrences)
        distinct.sort { $0.hash < $1.hash }
        titleTerms.sort()

        var terms: [UInt64] = []
        var counts: [Float] = []
        terms.reserveCapacity(distinct.count + titleTerms.count)
        counts.reserveCapacity(terms.capacity)
        var index = 0, titleIndex = 0
        while index < distinct.count || titleIndex < titleTerms.count {
            let hash = min(index < distinct.count ? distinct[index].hash : .max,
                           titleIndex < titleTerms.count ? titleTerms[titleIndex] : .max)
            var count: Float = 0
            if index < distinct.count && distinct[index].hash == hash {
                count = Float(distinct[index].count)
                let kinds = distinct[index].kinds
                if kinds & Occurrence.number != 0 {
                    count *= numberWeight
                } else if kinds & Occurrence.capitalizedInside != 0 && kinds & Occurrence.lowercase == 0 {
                    count *= nameWeight
                }
                index += 1
            }
            while titleIndex < titleTerms.count && titleTerms[titleIndex] == hash {
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

    struct DistinctTerm {
        var hash: UInt64
        var count: Int32
        var kinds: UInt8
    }

    /// Each distinct term of `occurrences` once, with its number of occurrences and the union
    /// of their kinds; in no particular order.
    static func countDistinct(_ occurrences: [Occurrence]) -> [DistinctTerm] {
        guard !occurrences.isEmpty else { return [] }
        var capacity = 16
        while capacity < 2 * occurrences.count { capacity <<= 1 }
        let mask = capacity - 1
        // Slot holds 1 + index into `distinct`; 0 is empty.
        var slots = [Int32](repeating: 0, count: capacity)
        var distinct: [DistinctTerm] = []
        distinct.reserveCapacity(occurrences.count / 2)
        for occurrence in occurrences {
            var slot = Int(truncatingIfNeeded: occurrence.term ^ (occurrence.term >> 29)) & mask
            while true {
                let entry = Int(slots[slot])
                if entry == 0 {
                    distinct.append(DistinctTerm(hash: occurrence.term, count: 1, kinds: occurrence.kind))
                    slots[slot] = Int32(distinct.count)
                    break
                }
                if distinct[entry - 1].hash == occurrence.term {
                    distinct[entry - 1].count += 1
                    distinct[entry - 1].kinds |= occurrence.kind
                    break
                }
                slot = (slot + 1) & mask
            }
        }
        return distinct
    }

    struct Occurrence {
        static let number: UInt8 = 1
        static let lowercase: UInt8 = 2
        static let capitalizedInside: UInt8 = 4
        /// The token's hash (shingles are of whole words)…
        var hash: UInt64
        /// …and the term it counts as (`TermStemmer`).
        var term: UInt64
        var kind: UInt8
    }

    /// Lines shorter than this (credit lines, datelines) do not count as shingles.
    static let minimumShingleLineTokens = 6
}
