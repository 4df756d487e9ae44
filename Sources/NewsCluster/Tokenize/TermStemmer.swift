/// Maps a token to the term it counts as: in a Cyrillic word that is not among wordfreq's
/// frequent words, its first `letters` letters.
///
/// Russian and Ukrainian inflect nouns, adjectives and verbs by their endings, so two reports of
/// one event share stems far more than word forms ("протестующие", "протестующих",
/// "протестов"). Cutting a word to its first letters is a stemmer that needs no word lists and
/// is known to come close to a full one for Russian. Latin words stay whole: cut to 5-7 letters
/// too, ECB+ fell from 0.960 to 0.954-0.959 and GVC from 1.000 to 0.987 (docs/accuracy.md).
/// Shingles for duplicate detection keep whole words: copies share their exact forms.
///
/// The language identifier and the stop-word prior look terms up in wordfreq's lists, so the
/// frequent words stay whole: cut too, they left short texts too few known words, and tgnews
/// identification fell from 428 to 424 of 429 articles.
package struct TermStemmer: Sendable, Equatable {
    /// Letters a Cyrillic word keeps; 0 keeps every word whole.
    package var letters: Int

    /// The script (`DocumentTerms.script`) whose documents' words are stemmed.
    package static let stemmedScript = "cyrl"

    /// Whether a document of `script` had its words stemmed.
    package func stems(script: String) -> Bool { letters > 0 && script == Self.stemmedScript }

    package init(letters: Int) {
        self.letters = letters
    }

    /// The term hash of a token with hash `hash` and folded UTF-8 bytes `bytes`: `hash` itself,
    /// or the hash of its first `letters` letters when it is a longer Cyrillic word and not a
    /// frequent one.
    @inline(__always)
    package func term(_ hash: UInt64, _ bytes: UnsafeBufferPointer<UInt8>) -> UInt64 {
        guard letters > 0, bytes.count > 2 * letters, let cut = cyrillicCut(bytes),
              !LanguageIdentifier.isFrequentWord(hash) else { return hash }
        return Tokenizer.hash(UnsafeBufferPointer(rebasing: bytes[0..<cut]))
    }

    /// The byte length of the first `letters` letters when `bytes` is a Cyrillic word (letters
    /// U+0400–U+052F and inner apostrophes) of more letters; nil otherwise.
    @inline(__always)
    private func cyrillicCut(_ bytes: UnsafeBufferPointer<UInt8>) -> Int? {
        var index = 0, seen = 0, cut = 0
        while index < bytes.count {
            let lead = bytes[index]
            if lead == 0x27 {
                index += 1
                continue
            }
            guard lead >= 0xD0 && lead <= 0xD4, index + 1 < bytes.count else { return nil }
            index += 2
            seen += 1
            if seen == letters { cut = index }
        }
        return seen > letters ? cut : nil
    }
}
