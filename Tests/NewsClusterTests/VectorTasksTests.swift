import Foundation
import Testing
@testable import NewsCluster

/// The vectors tasks after the read and terms tasks of `SharedOutCorpus` (TermTasksTests.swift),
/// against the one-machine fit on the tokenize stage's documents.
@Suite("VectorTasks")
struct VectorTasksTests {
    /// The vocabulary from the terms tasks' frequencies, the work with it, the vectors tasks
    /// (in reverse order) and their rows in canonical order.
    static func vectors(_ corpus: SharedOutCorpus, _ front: SharedOutCorpus.Front, threads: Int, termsParts: [String] = [])
        throws -> (vocabulary: TFIDFVectorizer.Vocabulary, matrix: SparseMatrix, workPath: String, parts: [String])
    {
        let vocabulary = try VectorTasks.vocabulary(
            front.frequencies, documents: front.documents, articles: front.cleaned.articles, cleaned: front.cleaned,
            options: corpus.options.vectorizer, threads: threads)
        let workPath = corpus.directory + "/vectors.bin"
        try TermTasks.writeWork(front.plan, lineBases: front.merged.lineBases, kept: front.merged.kept, ids: front.ids, keep: front.keep,
                                vocabulary: vocabulary, termsParts: termsParts, to: workPath)
        let count = corpus.shards.count
        let parts = (0..<count).map { "\(corpus.directory)/vectors-\($0).bin" }
        for task in (0..<count).reversed() {
            try VectorTasks.runTask(work: workPath, task: task, tasks: count, threads: threads, to: parts[task])
        }
        let (matrix, seconds) = try VectorTasks.matrix(
            parts: parts, run: front.plan.run, positions: front.positions, columnCount: vocabulary.hashes.count)
        #expect(seconds.count == count)
        return (vocabulary, matrix, workPath, parts)
    }

    static func expectSame(_ shared: TFIDFVectorizer.Vocabulary, _ fitted: TFIDFVectorizer.Vocabulary) {
        #expect(shared.hashes == fitted.hashes)
        #expect(shared.documentFrequency == fitted.documentFrequency)
        #expect(shared.idf.map(\.bitPattern) == fitted.idf.map(\.bitPattern))
        #expect(shared.termsSeen == fitted.termsSeen)
        #expect(shared.pruned == fitted.pruned)
        #expect(shared.documents == fitted.documents)
    }

    static func expectSame(_ shared: SparseMatrix, _ fitted: SparseMatrix) {
        #expect(shared.rowCount == fitted.rowCount)
        #expect(shared.columnCount == fitted.columnCount)
        #expect(Array(shared.rowStarts) == Array(fitted.rowStarts))
        #expect(Array(shared.columns) == Array(fitted.columns))
        #expect(shared.values.map(\.bitPattern) == fitted.values.map(\.bitPattern))
    }

    @Test(arguments: [(threads: 1, copiesCountedOnce: Int?.none), (threads: 3, copiesCountedOnce: Int?.none), (threads: 2, copiesCountedOnce: 0)])
    func theVocabularyAndRowsAreThoseOfTheFitBitForBit(threads: Int, copiesCountedOnce: Int?) throws {
        var corpus = SharedOutCorpus()
        defer { corpus.remove() }
        if let copiesCountedOnce { corpus.options.vectorizer.copiesCountedOnce = copiesCountedOnce }
        let local = try corpus.oneMachine()
        let groups = SharedOutCorpus.groups(local.articles, local.documents)
        let vectorizer = TFIDFVectorizer(options: corpus.options.vectorizer)
        let (fittedMatrix, fitted) = vectorizer.fit(local.documents, groups: groups, threads: threads)

        // The fixture has a class of copies large enough to be counted once, across groups.
        let classes = CopyClasses(
            sketches: local.documents.map(\.shingles), minimumSize: TFIDFVectorizer.Options().copiesCountedOnce,
            minimumContainment: corpus.options.vectorizer.copyContainment).classes
        try #require(classes.count == 1)
        #expect(classes[0].count >= 70)
        #expect(Set(classes[0].map { groups[$0] }).count >= 2)
        // …which decides whether its words are stop words of its group.
        let ferry = fitted.id(of: tokenHash("ferry"))
        #expect((ferry != nil) == (corpus.options.vectorizer.copiesCountedOnce > 0))
        // And a stop word pruned in a group that has a word list (Russian "это", "что").
        #expect(!fitted.pruned.isEmpty)
        #expect(fitted.termsSeen == fitted.hashes.count + fitted.pruned.count)

        let front = try corpus.readAndTerms(threads: threads)
        let (vocabulary, matrix, _, _) = try Self.vectors(corpus, front, threads: threads)
        Self.expectSame(vocabulary, fitted)
        Self.expectSame(matrix, fittedMatrix)
        #expect(matrix.rowCount == local.articles.count)
    }

    /// A vectors task takes its shard's counts from its terms task's part when it can read it
    /// (a shared work dir), else counts again; the rows are the same.
    @Test func theCountsOfTheTermsTasksGiveTheSameRowsAsCountingAgain() throws {
        let corpus = SharedOutCorpus()
        defer { corpus.remove() }
        let front = try corpus.readAndTerms(threads: 2)
        let count = corpus.shards.count
        let termsParts = (0..<count).map { "\(corpus.directory)/terms-\($0).bin" }
        let counted = try Self.vectors(corpus, front, threads: 2)
        let fromCounts: [Bool] = try counted.parts.map { try SectionFile.Reader(path: $0).payload(VectorTasks.PartPayload.self).countsFromTermsPart }
        #expect(fromCounts == [Bool](repeating: false, count: count))
        let taken = try Self.vectors(corpus, front, threads: 2, termsParts: termsParts)
        let fromParts: [Bool] = try taken.parts.map { try SectionFile.Reader(path: $0).payload(VectorTasks.PartPayload.self).countsFromTermsPart }
        #expect(fromParts == [Bool](repeating: true, count: count))
        Self.expectSame(taken.matrix, counted.matrix)
        // A part that is not this task's (another shard's) is not taken: the shard is counted again.
        let shifted = Array(termsParts.dropFirst()) + [termsParts[0]]
        let recounted = try Self.vectors(corpus, front, threads: 2, termsParts: shifted)
        let fromShifted: [Bool] = try recounted.parts.map { try SectionFile.Reader(path: $0).payload(VectorTasks.PartPayload.self).countsFromTermsPart }
        #expect(fromShifted == [Bool](repeating: false, count: count))
        Self.expectSame(recounted.matrix, counted.matrix)
    }

    /// The vocabulary is also what the fit makes with one thread or many: the fit's own
    /// numbering of terms (sharded by thread) does not show.
    @Test func theFitsVocabularyDoesNotDependOnItsThreads() throws {
        let corpus = SharedOutCorpus()
        defer { corpus.remove() }
        let local = try corpus.oneMachine()
        let groups = SharedOutCorpus.groups(local.articles, local.documents)
        let vectorizer = TFIDFVectorizer(options: corpus.options.vectorizer)
        let (oneMatrix, one) = vectorizer.fit(local.documents, groups: groups, threads: 1)
        let (fourMatrix, four) = vectorizer.fit(local.documents, groups: groups, threads: 4)
        Self.expectSame(four, one)
        Self.expectSame(fourMatrix, oneMatrix)
    }

    @Test func aVectorsTaskNeedsAWorkWithAVocabulary() throws {
        let corpus = SharedOutCorpus()
        defer { corpus.remove() }
        let front = try corpus.readAndTerms(threads: 1)
        let output = corpus.directory + "/vectors-0.bin"
        let refused = #expect(throws: TaskFailure.self) {
            try VectorTasks.runTask(work: front.workPath, task: 0, tasks: corpus.shards.count, threads: 1, to: output)
        }
        #expect(refused?.reason.contains(front.workPath) == true)
        #expect(!FileManager.default.fileExists(atPath: output))
        // With one, the task count is checked as for terms tasks.
        let (_, _, workPath, _) = try Self.vectors(corpus, front, threads: 1)
        #expect(throws: TaskFailure(reason: "\(workPath): the run has \(corpus.shards.count) shards, not 2")) {
            try VectorTasks.runTask(work: workPath, task: 0, tasks: 2, threads: 1, to: output)
        }
    }

    @Test func partsOfAnotherRunOrThatDoNotFitAreRefused() throws {
        let corpus = SharedOutCorpus()
        defer { corpus.remove() }
        let front = try corpus.readAndTerms(threads: 1)
        let (vocabulary, _, _, parts) = try Self.vectors(corpus, front, threads: 1)
        let columns = vocabulary.hashes.count
        let foreign = #expect(throws: TaskFailure.self) {
            try VectorTasks.matrix(parts: parts, run: "another run", positions: front.positions, columnCount: columns)
        }
        #expect(foreign?.reason.contains(parts[0]) == true)
        // A terms part where a vectors part belongs.
        var mixed = parts
        mixed[1] = corpus.directory + "/terms-1.bin"
        #expect(throws: (any Error).self) {
            try VectorTasks.matrix(parts: mixed, run: front.plan.run, positions: front.positions, columnCount: columns)
        }
        // Rows whose columns are not in a smaller vocabulary.
        let narrow = #expect(throws: TaskFailure.self) {
            try VectorTasks.matrix(parts: parts, run: front.plan.run, positions: front.positions, columnCount: columns / 2)
        }
        #expect(narrow?.reason.contains("do not fit") == true)
        var missing = parts
        missing[3] = corpus.directory + "/missing.bin"
        let absent = #expect(throws: SectionFile.Failure.self) {
            try VectorTasks.matrix(parts: missing, run: front.plan.run, positions: front.positions, columnCount: columns)
        }
        #expect(absent?.path == missing[3])
    }
}
