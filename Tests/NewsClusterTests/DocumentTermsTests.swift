import Testing
@testable import NewsCluster

@Suite("DocumentTerms")
struct DocumentTermsTests {
    @Test func countsBodyAndWeightedTitleTokens() throws {
        let document = DocumentTerms(title: "Bridge Reopens", body: "The bridge reopened. The BRIDGE is open.",
                                     titleWeight: 2)
        #expect(document.terms == document.terms.sorted())
        #expect(Set(document.terms).count == document.terms.count)
        let counts = Dictionary(uniqueKeysWithValues: zip(document.terms, document.counts))
        #expect(counts[tokenHash("bridge")] == Float(2 + 2))
        #expect(counts[tokenHash("the")] == 2)
        #expect(counts[tokenHash("reopens")] == 2)
        #expect(counts[tokenHash("reopened")] == 1)
        #expect(counts[tokenHash("is")] == 1)
        #expect(counts[tokenHash("open")] == 1)
        #expect(document.terms.count == 6)
        #expect(document.length == 7)
        #expect(document.script == "latn")
    }

    @Test func titleWeightScalesTitleCountsOnly() {
        let one = DocumentTerms(title: "alpha beta", body: "alpha gamma", titleWeight: 1)
        let three = DocumentTerms(title: "alpha beta", body: "alpha gamma", titleWeight: 3)
        #expect(one.terms == three.terms)
        let a = Dictionary(uniqueKeysWithValues: zip(one.terms, one.counts))
        let b = Dictionary(uniqueKeysWithValues: zip(three.terms, three.counts))
        #expect(a[tokenHash("alpha")] == 2 && b[tokenHash("alpha")] == 4)
        #expect(a[tokenHash("beta")] == 1 && b[tokenHash("beta")] == 3)
        #expect(a[tokenHash("gamma")] == 1 && b[tokenHash("gamma")] == 1)
    }

    @Test func shinglesAndScriptComeFromTheBodyOnly() {
        let body = "Київ оголосив нові правила для водіїв у центрі міста"
        let document = DocumentTerms(title: "Completely English title words here", body: body, titleWeight: 2)
        var hashes: [UInt64] = []
        var scripts = Tokenizer.ScriptCounts()
        Tokenizer().forEachToken(in: body, scripts: &scripts) { hash, _ in hashes.append(hash) }
        #expect(document.shingles == ShingleSketch(tokens: hashes))
        #expect(document.script == "cyrl")
        #expect(document.length == hashes.count)
    }

    @Test func emptyDocument() {
        let document = DocumentTerms(title: "", body: "", titleWeight: 2)
        #expect(document.terms.isEmpty && document.counts.isEmpty)
        #expect(document.length == 0)
        #expect(document.shingles.count == 0)
    }
}
