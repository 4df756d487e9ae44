import Foundation

/// Cleaning and counting shared out to tasks, shard by shard (after `ReadTasks`): the run writes
/// which of each shard's articles stayed and which of their lines cleaning keeps (`writeWork`);
/// terms task t reads shard t again, cleans and counts its articles as the tokenize stage does,
/// and writes what the run keeps of each (sketch, script, length, the language its words tell)
/// and the shard's document frequencies per language group (`runTask`), which the run adds up
/// (`merge`). The vectors tasks (`VectorTasks`) read the same work file, with the vocabulary.
public enum TermTasks {
    /// What a terms or vectors task reads: the run's shards and options; per shard (sections
    /// named `NAME.t`) the articles that stayed (`kept`, their `ids`) and the lines cleaning
    /// keeps of each (`keepLines`: a count, -1 for all lines; `keep`: the flags); for vectors,
    /// the vocabulary (`hashes`, `idf`).
    struct Work: Codable {
        static let format = "newscluster-shard-work-1"
        var format = Self.format
        var run: String
        var binary: String
        var options: ClusterOptions
        var shards: [ReadTasks.Shard]
        /// Per shard, the lines of its file before it (a task's lines count from its shard's first).
        var lineBases: [Int]
        /// Whether the run cleans (else every text is counted as it is).
        var cleans: Bool
        var hasVocabulary: Bool
        /// For vectors tasks, where each terms task left its part: a task that can read it
        /// there (a shared work dir) takes its shard's counts from it instead of counting again.
        var termsParts: [String] = []
    }

    struct PartPayload: TaskPart {
        static let format = "newscluster-terms-part-1"
        var format: String = Self.format
        var run: String
        var task: Int
        var seconds: Double
    }

    /// Writes the work of the shards of `plan` to `path`: `kept[t]` are the articles of shard t
    /// that stayed (indices into those its read accepts), `ids[t]` their ids, `keep[t]` the
    /// lines cleaning keeps of each (nil entries: all; `plan` nil: the run does not clean).
    static func writeWork(
        _ plan: ReadTasks.Plan, lineBases: [Int], kept: [[Int32]], ids: [[String]], keep: [[[Bool]?]]?,
        vocabulary: TFIDFVectorizer.Vocabulary?, termsParts: [String] = [], to path: String
    ) throws {
        var writer = SectionFile.Writer()
        for shard in plan.shards.indices {
            writer.add("kept.\(shard)", kept[shard])
            writer.add("ids.\(shard)", strings: ids[shard])
            let flags = keep?[shard] ?? []
            writer.add("keepLines.\(shard)", flags.map { Int32($0?.count ?? -1) })
            writer.add("keep.\(shard)", Array(flags.compactMap { $0 }.joined()))
        }
        if let vocabulary {
            writer.add("hashes", vocabulary.hashes)
            writer.add("idf", vocabulary.idf)
        }
        try writer.write(Work(run: plan.run, binary: plan.binary, options: plan.options, shards: plan.shards,
                              lineBases: lineBases, cleans: keep != nil, hasVocabulary: vocabulary != nil,
                              termsParts: termsParts), to: path)
    }

    /// The work file at `path`, checked against this build and the task a task was given.
    static func work(at path: String, task: Int, tasks: Int?) throws -> (Work, SectionFile.Reader) {
        let file = try SectionFile.Reader(path: path)
        let work = try file.payload(Work.self)
        try TaskFailure.checkInput(
            path, kind: "work file", format: work.format, expected: Work.format, binary: work.binary,
            holder: "the run", count: work.shards.count, unit: "shards", task: task, tasks: tasks)
        return (work, file)
    }

    /// Shard `task`'s articles that stayed, read again, with their terms counted from their
    /// cleaned texts as the tokenize stage counts them, and the language their words tell
    /// (nil for one that has a language).
    static func documents(
        _ work: Work, file: SectionFile.Reader, task: Int, threads: Int
    ) throws -> (articles: [Article], documents: [DocumentTerms], identified: [String?]) {
        let shard = work.shards[task]
        let kept = try file.read("kept.\(task)", as: Int32.self)
        let ids = try file.strings("ids.\(task)")
        let keepLines = try file.read("keepLines.\(task)", as: Int32.self)
        let flags = try file.read("keep.\(task)", as: Bool.self)
        guard ids.count == kept.count, keepLines.count == (work.cleans ? kept.count : 0),
              flags.count == keepLines.reduce(0, { $0 + max(0, Int($1)) }) else {
            throw TaskFailure(reason: "\(file.path): the sections of shard \(task) do not fit each other")
        }
        let read = try ReadTasks.read(shard, threads: threads)
        var articles: [Article] = []
        articles.reserveCapacity(kept.count)
        for (index, ordinal) in kept.enumerated() {
            guard read.articles.indices.contains(Int(ordinal)), read.articles[Int(ordinal)].id == ids[index] else {
                let line = read.articles.indices.contains(Int(ordinal)) ? read.articles[Int(ordinal)].location.line : read.lines
                throw ReadError.changed(RecordLocation(file: shard.file, line: line + work.lineBases[task]))
            }
            articles.append(read.articles[Int(ordinal)])
        }
        var flagStarts = [Int](repeating: 0, count: keepLines.count + 1)
        for (index, lines) in keepLines.enumerated() { flagStarts[index + 1] = flagStarts[index] + max(0, Int(lines)) }
        let vectorizer = work.options.vectorizer
        let identifier = LanguageIdentifier()
        let counted = Parallel.map(count: articles.count, threads: threads) { index -> (DocumentTerms, String?) in
            let article = articles[index]
            var text = article.text
            if work.cleans {
                let keep = keepLines[index] < 0 ? nil : Array(flags[flagStarts[index]..<flagStarts[index + 1]])
                text = BoilerplateRemover.apply(keep, to: text)
            }
            let document = DocumentTerms(
                title: article.title, body: text, titleWeight: vectorizer.titleWeight,
                nameWeight: vectorizer.nameWeight, numberWeight: vectorizer.numberWeight,
                stemmer: TermStemmer(letters: vectorizer.stemLetters))
            let identified = article.language?.isEmpty ?? true
                ? identifier.identify(terms: document.terms, counts: document.counts, script: document.script) : nil
            return (document, identified)
        }
        return (articles, counted.map(\.0), counted.map(\.1))
    }

    /// Terms task `task` of the work in `workPath`: writes its articles' sketches, scripts,
    /// lengths and identified languages, and its document frequencies, to `output`.
    public static func runTask(work workPath: String, task: Int, tasks: Int?, threads: Int, to output: String) throws {
        let start = ContinuousClock.now
        let (work, file) = try work(at: workPath, task: task, tasks: tasks)
        let (articles, documents, identified) = try documents(work, file: file, task: task, threads: threads)
        // Document frequencies per (term, language group), as `TFIDFVectorizer.fit` counts them
        // before large classes of copies are counted once (which the run does, knowing them all).
        var groupIndex: [String: Int] = [:]
        var groupDocuments: [Int] = [], groupLengths: [Int] = []
        let groupOf = zip(articles, zip(documents, identified)).map { article, counted -> Int in
            let (document, identified) = counted
            let name = VectorizeStage.group(language: identified ?? article.language, script: document.script)
            let group = groupIndex[name] ?? {
                groupIndex[name] = groupIndex.count
                groupDocuments.append(0)
                groupLengths.append(0)
                return groupIndex.count - 1
            }()
            groupDocuments[group] += 1
            groupLengths[group] += document.length
            return group
        }
        var slots = DenseNumbering()
        var hashes: [UInt64] = []
        var frequency: [Int32] = []
        let groupCount = groupIndex.count
        for (index, document) in documents.enumerated() {
            for term in document.terms {
                let (slot, isNew) = slots.number(of: term)
                if isNew {
                    hashes.append(term)
                    frequency.append(contentsOf: repeatElement(0, count: groupCount))
                }
                frequency[Int(slot) * groupCount + groupOf[index]] += 1
            }
        }
        var terms: [UInt64] = [], groups: [Int32] = [], counts: [Int32] = []
        for (slot, hash) in hashes.enumerated() {
            for group in 0..<groupCount where frequency[slot * groupCount + group] > 0 {
                terms.append(hash)
                groups.append(Int32(group))
                counts.append(frequency[slot * groupCount + group])
            }
        }
        var names = [String?](repeating: nil, count: groupCount)
        for (name, index) in groupIndex { names[index] = name }

        var writer = SectionFile.Writer()
        writer.add("languages", strings: identified)
        writer.add("scripts", strings: documents.map(\.script))
        writer.add("lengths", documents.map(\.length))
        writer.add("shingleCounts", documents.map(\.shingles.count))
        writer.add("minimaCounts", documents.map { Int32($0.shingles.minima.count) })
        writer.add("minima", Array(documents.map(\.shingles.minima).joined()))
        writer.add("groups", strings: names)
        writer.add("groupDocuments", groupDocuments)
        writer.add("groupLengths", groupLengths)
        writer.add("dfTerms", terms)
        writer.add("dfGroups", groups)
        writer.add("dfCounts", counts)
        // For the vectors task of this shard, when it can read this file.
        writer.add("termCounts", documents.map { Int32($0.terms.count) })
        writer.add("terms", Array(documents.map(\.terms).joined()))
        writer.add("counts", Array(documents.map(\.counts).joined()))
        try writer.write(PartPayload(run: work.run, task: task, seconds: Pipeline.seconds(ContinuousClock.now - start)), to: output)
    }

    /// The terms and counts of shard `task`'s articles that its terms task wrote to `path`, when
    /// that file is there and is that task's part of this run; else nil.
    static func countedTerms(at path: String, run: String, task: Int, articles: Int) -> [(terms: [UInt64], counts: [Float])]? {
        guard FileManager.default.fileExists(atPath: path), let file = try? SectionFile.Reader(path: path),
              (try? file.part(PartPayload.self, of: .terms, task: task, run: run)) != nil,
              let termCounts = try? file.read("termCounts", as: Int32.self), termCounts.count == articles,
              let terms = try? file.read("terms", as: UInt64.self), let counts = try? file.read("counts", as: Float.self),
              counts.count == terms.count, terms.count == termCounts.reduce(0, { $0 + Int($1) }) else { return nil }
        var start = 0
        return termCounts.map { count in
            defer { start += Int(count) }
            return (Array(terms[start..<(start + Int(count))]), Array(counts[start..<(start + Int(count))]))
        }
    }

    /// The document frequencies of every shard added up: per term (in the order first met) and
    /// language group.
    struct DocumentFrequencies {
        var groups: [String: Int] = [:]
        var groupSizes: [Int] = []
        var lengthTotals: [Int] = []
        var slots = DenseNumbering()
        var termHashes: [UInt64] = []
        /// `frequency[slot * groups.count + group]`.
        var frequency: [Int32] = []

        mutating func add(_ term: UInt64, group: Int, count: Int32) {
            let (slot, isNew) = slots.number(of: term)
            if isNew {
                termHashes.append(term)
                frequency.append(contentsOf: repeatElement(0, count: groups.count))
            }
            frequency[Int(slot) * groups.count + group] += count
        }
    }

    /// Per shard, the position of each of its kept articles, in the shard's order.
    static func positionsByShard(_ positions: [(shard: Int32, ordinal: Int32)], shards: Int) -> [[Int]] {
        var counts = [Int](repeating: 0, count: shards)
        for place in positions { counts[Int(place.shard)] = max(counts[Int(place.shard)], Int(place.ordinal) + 1) }
        var byShard = counts.map { [Int](repeating: -1, count: $0) }
        for (position, place) in positions.enumerated() { byShard[Int(place.shard)][Int(place.ordinal)] = position }
        return byShard
    }

    /// What the terms tasks' parts hold, merged: each article's document (terms and counts
    /// empty: the vectors tasks count them again) and identified language, in the order of
    /// `positions` (shard and index among the shard's kept articles of each), and the
    /// document frequencies.
    static func merge(
        parts: [String], run: String, positions: [(shard: Int32, ordinal: Int32)]
    ) throws -> (documents: [DocumentTerms], identified: [String?], frequencies: DocumentFrequencies, seconds: [Double]) {
        var documents = [DocumentTerms?](repeating: nil, count: positions.count)
        var identified = [String?](repeating: nil, count: positions.count)
        let perShard = positionsByShard(positions, shards: parts.count)
        var frequencies = DocumentFrequencies()
        var seconds: [Double] = []
        let files = try parts.map { try SectionFile.Reader(path: $0) }
        // The groups first: the table of frequencies has a column per group.
        let groupNames = try files.map { try $0.strings("groups").map { $0 ?? "" } }
        for name in groupNames.joined() where frequencies.groups[name] == nil {
            frequencies.groups[name] = frequencies.groups.count
        }
        frequencies.groupSizes = [Int](repeating: 0, count: frequencies.groups.count)
        frequencies.lengthTotals = frequencies.groupSizes
        for (task, file) in files.enumerated() {
            let payload = try file.part(PartPayload.self, of: .terms, task: task, run: run)
            seconds.append(payload.seconds)
            let languages = try file.strings("languages"), scripts = try file.strings("scripts")
            let lengths = try file.read("lengths", as: Int.self), shingleCounts = try file.read("shingleCounts", as: Int.self)
            let minimaCounts = try file.read("minimaCounts", as: Int32.self), minima = try file.read("minima", as: UInt64.self)
            let mine = perShard[task]
            guard [languages.count, scripts.count, lengths.count, shingleCounts.count, minimaCounts.count].allSatisfy({ $0 == mine.count }),
                  minima.count == minimaCounts.reduce(0, { $0 + Int($1) }) else {
                throw TaskFailure(reason: "\(file.path): it holds \(lengths.count) articles, not the \(mine.count) of shard \(task)")
            }
            var minimaStart = 0
            for (ordinal, position) in mine.enumerated() {
                let minimaEnd = minimaStart + Int(minimaCounts[ordinal])
                documents[position] = DocumentTerms(
                    terms: [], counts: [], shingles: ShingleSketch(minima: Array(minima[minimaStart..<minimaEnd]), count: shingleCounts[ordinal]),
                    script: scripts[ordinal] ?? "", length: lengths[ordinal])
                identified[position] = languages[ordinal]
                minimaStart = minimaEnd
            }
            let global = groupNames[task].map { frequencies.groups[$0]! }
            for (group, size) in try file.read("groupDocuments", as: Int.self).enumerated() { frequencies.groupSizes[global[group]] += size }
            for (group, length) in try file.read("groupLengths", as: Int.self).enumerated() { frequencies.lengthTotals[global[group]] += length }
            let terms = try file.read("dfTerms", as: UInt64.self), groups = try file.read("dfGroups", as: Int32.self)
            let counts = try file.read("dfCounts", as: Int32.self)
            guard groups.count == terms.count, counts.count == terms.count, groups.allSatisfy({ global.indices.contains(Int($0)) }) else {
                throw TaskFailure(reason: "\(file.path): its document frequencies do not fit its groups")
            }
            for entry in terms.indices { frequencies.add(terms[entry], group: global[Int(groups[entry])], count: counts[entry]) }
        }
        return (documents.map { $0! }, identified, frequencies, seconds)
    }
}
