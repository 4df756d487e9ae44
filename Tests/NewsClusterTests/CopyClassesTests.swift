import Testing
@testable import NewsCluster

@Suite("CopyClasses")
struct CopyClassesTests {
    /// `count` copies of one 300-token text, each with a few tokens changed, and `others`
    /// unrelated texts.
    static func sketches(copies count: Int, others: Int, seed: UInt64 = 5) -> [ShingleSketch] {
        var generator = SeededGenerator(seed: seed)
        let text = (0..<300).map { _ in UInt64.random(in: 1..<5000, using: &generator) }
        var sketches = (0..<count).map { _ -> ShingleSketch in
            var copy = text
            for _ in 0..<8 { copy[Int.random(in: 0..<copy.count, using: &generator)] = UInt64.random(in: 1..<5000, using: &generator) }
            return ShingleSketch(tokens: copy)
        }
        sketches += (0..<others).map { _ in
            ShingleSketch(tokens: (0..<300).map { _ in UInt64.random(in: 1..<5000, using: &generator) })
        }
        return sketches
    }

    @Test func theCopiesOfAViralTextAreOneClass() throws {
        let sketches = Self.sketches(copies: 150, others: 100)
        let classes = CopyClasses(sketches: sketches, minimumSize: 64, minimumContainment: 0.5).classes
        let found = try #require(classes.first)
        #expect(classes.count == 1)
        // All of them, or all but the very few whose edits reached each of their smallest shingles.
        #expect(found.count >= 145 && found.allSatisfy { $0 < 150 })
        #expect(found == found.sorted())
    }

    @Test func fewerCopiesThanTheMinimumMakeNoClass() {
        let sketches = Self.sketches(copies: 40, others: 100)
        #expect(CopyClasses(sketches: sketches, minimumSize: 64, minimumContainment: 0.5).classes.isEmpty)
        #expect(CopyClasses(sketches: sketches, minimumSize: 0, minimumContainment: 0.5).classes.isEmpty)
    }

    @Test func aCommonPhraseThatHashesLowedMakesNoClass() {
        // 100 unrelated texts whose smallest shingle is the same (a common phrase): one bucket,
        // but they do not contain each other.
        var generator = SeededGenerator(seed: 9)
        let sketches = (0..<100).map { _ -> ShingleSketch in
            let rest = (0..<95).map { _ in UInt64.random(in: 1_000...UInt64.max / 2, using: &generator) }.sorted()
            return ShingleSketch(minima: [7] + rest, count: 300)
        }
        #expect(CopyClasses(sketches: sketches, minimumSize: 64, minimumContainment: 0.5).classes.isEmpty)
    }

    /// A slow reference: within the documents the rule joins, every member contains (or is
    /// contained by) at least one other member, and no document outside contains a member as
    /// much as the rule asks and shares one of its smallest shingles.
    @Test func membersContainEachOtherAndOutsidersDoNot() throws {
        let sketches = Self.sketches(copies: 90, others: 60, seed: 12)
        let classes = CopyClasses(sketches: sketches, minimumSize: 64, minimumContainment: 0.5).classes
        let members = try #require(classes.first)
        try #require(members.allSatisfy { sketches.indices.contains($0) }, "\(members)")
        for member in members {
            #expect(members.contains { $0 != member && sketches[$0].containment(sketches[member]) >= 0.5 })
        }
        for outsider in 90..<150 {
            #expect(!members.contains { sketches[$0].containment(sketches[outsider]) >= 0.5 })
        }
    }
}
