import Foundation

/// Tells which language an article is written in, for articles without a `language` field: the
/// review page filters by language and the vectorizer learns stop words per language, and
/// without it Ukrainian and Russian are both only "Cyrillic".
///
/// A naive Bayes over word frequencies: each of the article's terms that is among the most
/// frequent words of a language of its script adds its count times the word's log frequency
/// there; a word a language's list lacks counts as rarer than all its words. The best language
/// wins when it leads the next by `margin` per scored word; with fewer than `minimumWords`
/// scored words, or a closer race, the answer is "und". The frequencies are wordfreq's
/// (`WordFrequencyData.swift`). Belarusian is not among them: its articles come out as the
/// nearest language or "und".
struct LanguageIdentifier: Sendable {
    /// Scored words (counted with their weights) needed for an answer.
    var minimumWords: Float = 3
    /// How far the best language must lead the next, in log10 units per scored word.
    var margin: Float = 0.15

    static let undetermined = "und"
    static let scriptOf = ["uk": "cyrl", "ru": "cyrl", "bg": "cyrl"]

    /// The languages of each script, and per known word its log10 frequency in each of them.
    private struct Table: Sendable {
        var languages: [String]
        var scriptLanguages: [String: [Int]]
        var numbering: DenseNumbering
        /// Per word number, one log10 frequency per language (the language's floor when it
        /// lacks the word).
        var logFrequencies: [Float]
        /// Per language, the log10 frequency of its rarest listed word.
        var floors: [Float]
    }

    private static let table: Table = {
        let tokenizer = Tokenizer()
        let languages = frequencies.map(\.language)
        var numbering = DenseNumbering(capacity: 40_000)
        var entries: [(word: Int32, language: Int, log10: Float)] = []
        var floors = [Float](repeating: 0, count: languages.count)
        for (index, (_, groups)) in frequencies.enumerated() {
            for group in groups.split(separator: "|") {
                guard let colon = group.firstIndex(of: ":"), let centibels = Float(group[..<colon]) else { continue }
                let log10 = -centibels / 100
                floors[index] = min(floors[index], log10)
                var scripts = Tokenizer.ScriptCounts()
                tokenizer.forEachToken(in: String(group[group.index(after: colon)...]), scripts: &scripts) { hash, _ in
                    entries.append((numbering.number(of: hash).number, index, log10))
                }
            }
        }
        // A word a language lacks is rarer than all its listed words.
        var logFrequencies = [Float](repeating: 0, count: numbering.count * languages.count)
        for word in 0..<numbering.count {
            for language in languages.indices { logFrequencies[word * languages.count + language] = floors[language] - 0.5 }
        }
        for entry in entries {
            let slot = Int(entry.word) * languages.count + entry.language
            logFrequencies[slot] = max(logFrequencies[slot], entry.log10)
        }
        var scriptLanguages: [String: [Int]] = [:]
        for (index, language) in languages.enumerated() { scriptLanguages[scriptOf[language] ?? "latn", default: []].append(index) }
        return Table(
            languages: languages, scriptLanguages: scriptLanguages, numbering: numbering, logFrequencies: logFrequencies,
            floors: floors)
    }()

    /// The language of a document's terms (token hashes with their counts) in `script`
    /// (`DocumentTerms.script`), or "und".
    func identify(terms: [UInt64], counts: [Float], script: String) -> String {
        let table = Self.table
        guard let candidates = table.scriptLanguages[script], !candidates.isEmpty else { return Self.undetermined }
        var scores = [Float](repeating: 0, count: candidates.count)
        var scored: Float = 0
        let width = table.languages.count
        for (term, count) in zip(terms, counts) {
            guard let word = table.numbering.existingNumber(of: term) else { continue }
            scored += count
            for (slot, language) in candidates.enumerated() {
                scores[slot] += count * table.logFrequencies[Int(word) * width + language]
            }
        }
        guard scored >= minimumWords else { return Self.undetermined }
        let ranked = scores.indices.sorted { scores[$0] > scores[$1] }
        if ranked.count > 1 && (scores[ranked[0]] - scores[ranked[1]]) / scored < margin { return Self.undetermined }
        return table.languages[candidates[ranked[0]]]
    }
}

extension LanguageIdentifier {
    /// The frequencies of one language's words, as wordfreq counts them in running text.
    struct WordFrequencies: Sendable {
        fileprivate let column: Int

        /// The share of running text that is `term` (a token hash): wordfreq's frequency for
        /// its most frequent words, less than the rarest of them for any other term.
        func frequency(of term: UInt64) -> Float {
            let table = LanguageIdentifier.table
            guard let word = table.numbering.existingNumber(of: term) else { return powf(10, table.floors[column] - 0.5) }
            return powf(10, table.logFrequencies[Int(word) * table.languages.count + column])
        }
    }

    /// Whether `term` (a token hash) is among the most frequent words of some language.
    static func isFrequentWord(_ term: UInt64) -> Bool {
        table.numbering.existingNumber(of: term) != nil
    }

    /// The word frequencies of `language` (a code such as "uk"), or nil when there are none.
    static func wordFrequencies(of language: String) -> WordFrequencies? {
        table.languages.firstIndex(of: language).map { WordFrequencies(column: $0) }
    }
}
