import Foundation
import Testing
@testable import NewsCluster

/// Another night's articles: the festival again and two stories the stage corpus never saw.
private let laterLines = [
    Fixtures.jsonLine(id: "festival", title: "Jazz festival opens", text: StageCorpus.festival, source: "Courier",
                      published: "2024-03-03"),
    Fixtures.jsonLine(id: "ferry", title: "Ferry strike ends", text: """
        The ferry crews ended their strike on Sunday after a new wage agreement was signed.
        Timetables return to normal on Monday, the operator said.
        """, source: "Courier", published: "2024-03-04"),
    Fixtures.jsonLine(id: "library", title: "Library reopens", text: """
        The central library reopened after a year of renovation with a new children's floor.
        Visitors queued in the rain before the doors opened at nine.
        """, source: "Herald", published: "2024-03-04T09:00:00Z"),
]

/// The term counts of `lines`, made by the read, clean and tokenize stages.
private func counts(_ lines: [String] = StageCorpus.lines) throws -> TermCounts {
    let corpus = StageCorpus(lines: lines)
    defer { corpus.remove() }
    return try corpus.counts()
}

private func vectorize(
    _ counts: TermCounts, source: VocabularySource = .init(), configure: (inout ClusterOptions) -> Void = { _ in }
) -> Vectors {
    var options = ClusterOptions()
    options.threads = 1
    configure(&options)
    return VectorizeStage(options: options, threads: 1).run(counts, keepsCounts: true, source: source)
}

/// Generation `generation` fitted on the stage corpus by run `fittedByRun`.
private func stored(generation: Int = 1, fittedByRun: Int = 1) throws -> (vocabulary: FrozenVocabulary, fittedByRun: Int) {
    var frozen = vectorize(try counts()).frozen
    frozen.generation = generation
    return (frozen, fittedByRun)
}

@Suite("VectorizeStage")
struct VectorizeStageTests {
    @Test func withoutAStoredVocabularyTheFirstRunFitsGenerationOne() throws {
        let vectors = vectorize(try counts())
        #expect(vectors.use == VocabularyUse(generation: 1, fitted: true, reason: "fitted on this run's articles", drift: nil))
        #expect(vectors.frozen.generation == 1)
        #expect(vectors.frozen.hashes == vectors.vocabulary.hashes)
        #expect(vectors.matrix.rowCount == StageCorpus.lines.count)
        #expect(vectors.frozen.pruning == FrozenVocabulary.Pruning(ClusterOptions().vectorizer))
    }

    @Test func aLaterRunWithoutAStoredVocabularySaysSo() throws {
        let vectors = vectorize(try counts(), source: VocabularySource(run: 4))
        #expect(vectors.use.fitted)
        #expect(vectors.use.generation == 1)
        #expect(vectors.use.reason == "no vocabulary stored yet")
    }

    @Test func refreshFitsTheNextGeneration() throws {
        let vectors = vectorize(try counts(), source: VocabularySource(stored: try stored(generation: 4), run: 2)) {
            $0.vocabularyPolicy.refresh = true
        }
        #expect(vectors.use == VocabularyUse(generation: 5, fitted: true, reason: "--refresh-vocabulary", drift: nil))
        #expect(vectors.frozen.generation == 5)
    }

    @Test func generationThatServedMaximumRunsIsRefitted() throws {
        let vectors = vectorize(try counts(), source: VocabularySource(stored: try stored(generation: 2, fittedByRun: 3), run: 10))
        #expect(vectors.use.fitted)
        #expect(vectors.use.generation == 3)
        #expect(vectors.use.reason == "generation 2 served 7 runs (at most 7)")
        #expect(vectors.use.drift == nil)
    }

    @Test func generationBelowMaximumRunsIsReused() throws {
        let vectors = vectorize(try counts(), source: VocabularySource(stored: try stored(generation: 2, fittedByRun: 3), run: 9))
        #expect(!vectors.use.fitted)
        #expect(vectors.use.generation == 2)
    }

    @Test func lowerMaximumRunsIsNamedInTheReason() throws {
        let vectors = vectorize(try counts(), source: VocabularySource(stored: try stored(), run: 3)) {
            $0.vocabularyPolicy.maximumRuns = 2
        }
        #expect(vectors.use.fitted)
        #expect(vectors.use.reason == "generation 1 served 2 runs (at most 2)")
    }

    @Test func changedPruningOptionsFitAfresh() throws {
        let vectors = vectorize(try counts(), source: VocabularySource(stored: try stored(), run: 2)) {
            $0.vectorizer.maximumDocumentShare = 0.6
        }
        #expect(vectors.use == VocabularyUse(generation: 2, fitted: true, reason: "the pruning options changed", drift: nil))
        #expect(vectors.frozen.pruning.maximumDocumentShare == 0.6)
    }

    @Test func weightsAreNotPruningOptions() throws {
        // The title weight changes the counts, not which terms are kept.
        let vectors = vectorize(try counts(), source: VocabularySource(stored: try stored(), run: 2)) {
            $0.vectorizer.titleWeight = 3
        }
        #expect(!vectors.use.fitted)
    }

    @Test func sameDocumentsReuseTheStoredGenerationWithoutDrift() throws {
        let night = try counts()
        let fitted = vectorize(night)
        let vectors = vectorize(night, source: VocabularySource(stored: (fitted.frozen, 1), run: 2))
        #expect(vectors.use == VocabularyUse(generation: 1, fitted: false, reason: "drift 0.0000 within 0.0500", drift: 0))
        #expect(vectors.frozen == fitted.frozen)
        #expect(vectors.matrix.values.map(\.bitPattern) == fitted.matrix.values.map(\.bitPattern))
        #expect(vectors.matrix.columns == fitted.matrix.columns)
    }

    @Test func smallDriftReusesAndReportsTheDrift() throws {
        let vectors = vectorize(try counts(laterLines), source: VocabularySource(stored: try stored(generation: 3), run: 2)) {
            $0.vocabularyPolicy.maximumDrift = 10
        }
        #expect(!vectors.use.fitted)
        #expect(vectors.use.generation == 3)
        let drift = try #require(vectors.use.drift)
        #expect(drift > 0 && drift <= 10)
        #expect(vectors.use.reason == String(format: "drift %.4f within 10.0000", drift))
        // Reused: the stored generation is kept as it is, the unseen terms get columns.
        #expect(vectors.frozen.generation == 3)
        #expect(vectors.vocabulary.hashes.count > vectors.frozen.hashes.count)
    }

    @Test func driftAboveTheMaximumRefitsAndReportsTheDrift() throws {
        let later = try counts(laterLines)
        let reused = vectorize(later, source: VocabularySource(stored: try stored(generation: 3), run: 2)) {
            $0.vocabularyPolicy.maximumDrift = 10
        }
        let measured = try #require(reused.use.drift)
        let vectors = vectorize(later, source: VocabularySource(stored: try stored(generation: 3), run: 2)) {
            $0.vocabularyPolicy.maximumDrift = measured / 2
        }
        #expect(vectors.use.fitted)
        #expect(vectors.use.generation == 4)
        #expect(vectors.use.drift == measured)
        #expect(vectors.use.reason.hasPrefix("drift ") && vectors.use.reason.contains(" above "))
        #expect(vectors.frozen.generation == 4)
        #expect(vectors.frozen.documents == laterLines.count)
    }

    @Test(arguments: [false, true])
    func pinnedVocabularyIsAlwaysReused(refresh: Bool) throws {
        let pinned = try stored(generation: 6).vocabulary
        let vectors = vectorize(
            try counts(laterLines), source: VocabularySource(pinned: pinned, stored: try stored(generation: 2, fittedByRun: 1), run: 30)
        ) {
            $0.vocabularyPolicy.refresh = refresh
            $0.vocabularyPolicy.maximumDrift = 0
            $0.vectorizer.maximumDocumentShare = 0.9
        }
        #expect(!vectors.use.fitted)
        #expect(vectors.use.generation == 6)
        #expect(vectors.use.reason == "given with --vocabulary")
        #expect((vectors.use.drift ?? 0) > 0)
        #expect(vectors.frozen == pinned)
    }

    @Test func countsAreLetGoUnlessKept() throws {
        let night = try counts()
        let kept = VectorizeStage(options: ClusterOptions(), threads: 1).run(night, keepsCounts: true)
        let dropped = VectorizeStage(options: ClusterOptions(), threads: 1).run(night, keepsCounts: false)
        #expect(kept.counts.documents.allSatisfy { !$0.terms.isEmpty && $0.terms.count == $0.counts.count })
        #expect(dropped.counts.documents.allSatisfy { $0.terms.isEmpty && $0.counts.isEmpty })
        // The sketches and lengths stay for the later stages.
        #expect(dropped.counts.documents.map(\.length) == night.documents.map(\.length))
        #expect(dropped.matrix.values == kept.matrix.values)
    }
}
