import Foundation
import Testing
@testable import NewsCluster

/// A small corpus in two languages with a viral story, in four input files cut into seven
/// shards (byte ranges through the middle of lines, a whole gzip file and a whole text file),
/// read, cleaned and counted on one machine by the stages, and shared out to read and terms
/// tasks run in process as `SharedOutFront.run` drives them (`VectorTasksTests` goes on to the
/// vectors tasks).
///
/// The corpus has what the shared-out front must get right: English and Russian articles, some
/// with a language and some without (identified from their words), a tagline that cleaning
/// removes from one site's pages, 76 near-identical copies of one story (a class of copies that
/// the document frequencies count once, `TFIDFVectorizer.Options.copiesCountedOnce`) in three
/// language groups, a duplicate id, a malformed record, CRLF endings and a byte-order mark, and
/// publication times whose order is not the input's.
struct SharedOutCorpus {
    let directory: String
    let files: [String]
    let shards: [ReadTasks.Shard]
    var options = ClusterOptions()

    static let englishWords = """
        time people year way day man thing woman life child world school state family student group country problem hand \
        part place case week company system program question work government number night point home water room mother \
        area money story fact month lot right study book eye job word business issue side kind head house service friend \
        father power hour game line end member law car city community name president team minute idea kid body \
        information back parent face others level office door health person art war history party result change morning \
        reason research girl guy moment air teacher force education river bridge harbour council mayor budget train \
        station market price farmer harvest weather storm police court judge museum theatre concert festival
        """.split(whereSeparator: \.isWhitespace).map(String.init)
    static let englishGlue = "the of and to in a is that for it as was with be by on not he this are or from at which but have an they"
        .split(separator: " ").map(String.init)
    static let russianWords = """
        время человек год дело жизнь день рука работа слово место лицо друг глаз вопрос дом сторона страна мир случай \
        голова ребенок сила конец вид система часть город отношение женщина деньги земля машина вода отец проблема час \
        право нога решение дверь образ история власть закон война бог голос тысяча книга возможность результат ночь \
        стол имя область статья число компания народ жена группа развитие процесс суд условие средство начало свет \
        пора путь душа уровень форма связь минута улица вечер качество мысль дорога мать действие месяц государство \
        язык любовь взгляд мама век школа цель общество деятельность организация президент комната порядок момент театр
        """.split(whereSeparator: \.isWhitespace).map(String.init)
    static let russianGlue = "и в не на что с по это как а из он но к у же за от так все для о то бы было только его мы еще при"
        .split(separator: " ").map(String.init)

    /// The viral story: the same text on many sites, each with an edit of its own.
    static let viral = """
        A late autumn storm closed the northern ferry route on Tuesday and left hundreds of travellers waiting in the \
        harbour terminal overnight. The operator said the crossing would stay shut until the wind drops below gale force, \
        which forecasters expect on Thursday at the earliest. Volunteers handed out blankets and hot soup while the council \
        opened the school gymnasium for families with small children.
        Engineers will inspect the damaged pier once the sea calms, and the harbour master warned that repairs to the \
        loading ramp could take another week after that.
        """

    private static func sentence(_ generator: inout SeededGenerator, _ words: [String], _ glue: [String], count: Int) -> String {
        (0..<count).map { index in
            index % 3 == 1 ? glue[Int(generator.next() % UInt64(glue.count))] : words[Int(generator.next() % UInt64(words.count))]
        }.joined(separator: " ") + "."
    }

    static func english(_ index: Int, _ generator: inout SeededGenerator) -> String {
        let source: String? = index % 3 == 0 ? "Herald" : index % 3 == 1 ? "Gazette" : nil
        var lines = (0..<3).map { _ in sentence(&generator, englishWords, englishGlue, count: 16) }
        lines[0] = "Story \(index) of the season: " + lines[0]
        if source == "Herald" { lines.append("Subscribe to the Herald for the latest news from the harbour every morning.") }
        let language: String? = [0, 2].contains(index % 4) ? "en" : index % 4 == 1 ? nil : index % 8 == 3 ? "" : "EN-us"
        return Fixtures.jsonLine(
            id: String(format: "en-%02d", index), title: sentence(&generator, englishWords, englishGlue, count: 7),
            text: lines.joined(separator: "\n"), source: source, published: "2024-05-\(10 + index % 9)T0\(index % 10):00:00Z",
            language: language)
    }

    static func russian(_ index: Int, _ generator: inout SeededGenerator) -> String {
        var lines = (0..<3).map { _ in sentence(&generator, russianWords, russianGlue, count: 15) }
        // Words of every Russian article, frequent in Russian: stop words of the group.
        lines[0] = "Это снова то, что " + lines[0]
        if index % 2 == 0 { lines.append("Подписывайтесь на Вести, чтобы первыми узнавать главные новости дня.") }
        return Fixtures.jsonLine(
            id: String(format: "ru-%02d", index), title: sentence(&generator, russianWords, russianGlue, count: 6),
            text: lines.joined(separator: "\n"), source: index % 2 == 0 ? "Вести" : "Слово",
            published: index % 5 == 0 ? nil : "2024-05-1\(index % 10)", language: index % 3 == 0 ? "ru" : nil)
    }

    static func copy(_ index: Int) -> String {
        // Mostly English, some to be identified, a few claiming another language: the class
        // is counted in the group of its first member.
        let language: String? = index % 9 == 4 ? nil : index % 11 == 6 ? "de" : index % 7 == 2 ? "en-GB" : "en"
        return Fixtures.jsonLine(
            id: "viral-\(index)", title: "Storm closes the northern ferry route",
            text: viral + "\nReporting by desk \(index).", source: "Site \(index)",
            published: "2024-05-1\(index % 10)T12:\(10 + index % 50):00Z", language: language)
    }

    init(_ label: String = "newscluster-shared-out") {
        directory = Fixtures.temporaryDirectory(label)
        var generator = SeededGenerator(seed: 42)
        var corpus: [String] = []
        for index in 0..<30 {
            corpus.append(Self.english(index, &generator))
            corpus.append(Self.copy(2 * index))
            corpus.append(Self.copy(2 * index + 1))
            if index == 11 { corpus.append(#"{"id":"broken","text":"cut off"#) }
            if index == 17 { corpus.append("") }
            if index == 23 { corpus.append(Fixtures.jsonLine(id: "en-04", text: "another record with the id of en-04")) }
        }
        var first = [UInt8]([0xEF, 0xBB, 0xBF])
        for (index, line) in corpus.enumerated() { first += Array((line + (index % 3 == 0 ? "\r\n" : "\n")).utf8) }
        let russian = (0..<14).map { Self.russian($0, &generator) + "\n" }.joined()
        var last = (60..<76).map { Self.copy($0) }
        last.insert(contentsOf: (14..<18).map { Self.russian($0, &generator) }, at: 5)
        var files: [String] = []
        files.append(Fixtures.write(first, named: "corpus.jsonl", in: directory))
        files.append(Fixtures.write(Decompressor.compress(Array(russian.utf8), as: .gzip), named: "ru.jsonl.gz", in: directory))
        files.append(Fixtures.write(
            "Harbour notes\n\nThe council met in the harbour office to discuss the budget for the bridge and the station.\n",
            named: "note.txt", in: directory))
        files.append(Fixtures.write(last.joined(separator: "\n"), named: "tail.jsonl", in: directory))
        self.files = files
        func cut(_ index: Int, _ pieces: Int) -> [ReadTasks.Shard] {
            let size = ByteSource.probe(files[index]).size
            return (0..<pieces).map {
                ReadTasks.Shard(file: files[index], fileIndex: index, bytes: (size * $0 / pieces)..<(size * ($0 + 1) / pieces), isText: false)
            }
        }
        shards = cut(0, 3) + [ReadTasks.Shard(file: files[1], fileIndex: 1, bytes: nil, isText: false),
                              ReadTasks.Shard(file: files[2], fileIndex: 2, bytes: nil, isText: true)] + cut(3, 2)
    }

    func remove() { Fixtures.remove(directory) }

    /// The one-machine stages: read (texts held), clean, tokenize.
    func oneMachine(threads: Int = 1) throws -> TermCounts {
        let read = try ReadStage(options: options, threads: threads)
            .run(files: files, storedRecords: [:], hashesRecords: false, holdsText: true)
        let cleaned = try CleanStage(options: options, threads: threads).run(read, keepsLineKeys: false)
        return try TokenizeStage(options: options, threads: threads).run(cleaned, stored: [:], hashesContent: false)
    }

    /// The language group of each article, as the vectorize stage takes them.
    static func groups(_ articles: [Article], _ documents: [DocumentTerms]) -> [String] {
        zip(articles, documents).map { VectorizeStage.group(language: $0.language, script: $1.script) }
    }

    /// What the run holds after the read and terms tasks.
    struct Front {
        var plan: ReadTasks.Plan
        var merged: ReadTasks.Merged
        /// Where each article (canonical order) is among its shard's kept articles.
        var positions: [(shard: Int32, ordinal: Int32)]
        /// With the identified languages.
        var cleaned: CleanedTexts
        var ids: [[String]]
        var keep: [[[Bool]?]]?
        var workPath: String
        var documents: [DocumentTerms]
        var identified: [String?]
        var frequencies: TermTasks.DocumentFrequencies
        var seconds: [Double]
    }

    /// Writes the read plan (the shards above) and runs the read tasks, judges their parts,
    /// cleans, writes the terms work and runs the terms tasks (in reverse order: each depends
    /// on the work only), and merges their parts.
    func readAndTerms(threads: Int) throws -> Front {
        let plan = ReadTasks.Plan(run: UUID().uuidString, binary: TileTasks.binaryIdentity, options: options, shards: shards)
        let planPath = directory + "/read.bin"
        try SectionFile.Writer().write(plan, to: planPath)
        let count = shards.count
        let readParts = (0..<count).map { "\(directory)/read-\($0).bin" }
        for task in (0..<count).reversed() {
            try ReadTasks.runTask(plan: planPath, task: task, tasks: count, threads: threads, to: readParts[task])
        }
        let merged = try ReadTasks.merge(parts: readParts, plan: plan, strict: options.strict)
        let read = try SharedOutFront.readArticles(merged, plan: plan)
        let positions = SharedOutFront.positions(merged, order: read.order)
        var cleaned = try CleanStage(options: options, threads: threads).run(read, keepsLineKeys: false)
        let (ids, keep) = SharedOutFront.byShard(cleaned, kept: merged.kept, positions: positions)
        let workPath = directory + "/terms.bin"
        try TermTasks.writeWork(plan, lineBases: merged.lineBases, kept: merged.kept, ids: ids, keep: keep, vocabulary: nil, to: workPath)
        let termParts = (0..<count).map { "\(directory)/terms-\($0).bin" }
        for task in (0..<count).reversed() {
            try TermTasks.runTask(work: workPath, task: task, tasks: count, threads: threads, to: termParts[task])
        }
        let (documents, identified, frequencies, seconds) = try TermTasks.merge(parts: termParts, run: plan.run, positions: positions)
        for (position, language) in identified.enumerated() where language != nil {
            cleaned.read.articles[position].language = language
        }
        return Front(plan: plan, merged: merged, positions: positions, cleaned: cleaned, ids: ids, keep: keep,
                     workPath: workPath, documents: documents, identified: identified, frequencies: frequencies,
                     seconds: seconds)
    }
}

@Suite("TermTasks")
struct TermTasksTests {
    /// Document frequencies per (term, group name) counted from `documents` one by one.
    static func frequencies(_ documents: [DocumentTerms], groups: [String]) -> [String: [UInt64: Int32]] {
        var counts: [String: [UInt64: Int32]] = [:]
        for (document, group) in zip(documents, groups) {
            for term in document.terms { counts[group, default: [:]][term, default: 0] += 1 }
        }
        return counts
    }

    /// The merged frequencies per (term, group name).
    static func table(_ frequencies: TermTasks.DocumentFrequencies) -> [String: [UInt64: Int32]] {
        var counts: [String: [UInt64: Int32]] = [:]
        let groupCount = frequencies.groups.count
        for (name, group) in frequencies.groups {
            for (slot, term) in frequencies.termHashes.enumerated() where frequencies.frequency[slot * groupCount + group] != 0 {
                counts[name, default: [:]][term] = frequencies.frequency[slot * groupCount + group]
            }
        }
        return counts
    }

    @Test(arguments: [(threads: 1, keepBoilerplate: false), (threads: 3, keepBoilerplate: false), (threads: 2, keepBoilerplate: true)])
    func theTermsTasksCountWhatTheTokenizeStageCounts(threads: Int, keepBoilerplate: Bool) throws {
        var corpus = SharedOutCorpus()
        defer { corpus.remove() }
        corpus.options.keepBoilerplate = keepBoilerplate
        let local = try corpus.oneMachine()
        let front = try corpus.readAndTerms(threads: threads)

        // The fixture holds what it should: cleaning at work (unless kept), articles to
        // identify, a duplicate id and a malformed record left out.
        #expect(local.articles.count == 30 + 76 + 18 + 1)
        #expect(front.cleaned.articles.map(\.id) == local.articles.map(\.id))
        #expect(front.cleaned.read.rejected == local.cleaned.read.rejected)
        #expect(local.cleaned.read.rejected.count == 2)
        if keepBoilerplate {
            #expect(front.keep == nil && local.cleaned.plan == nil)
        } else {
            #expect(local.cleaned.boilerplateLinesRemoved >= 10)
            #expect(front.cleaned.plan?.keep == local.cleaned.plan?.keep)
            #expect(front.keep?.joined().contains { $0 != nil } == true)
        }
        #expect(front.identified.compactMap { $0 }.count >= 20)
        #expect(Set(front.identified.compactMap { $0 }).isSuperset(of: ["en", "ru"]))

        // Each article's sketch, script and length, and the language its words tell.
        try #require(front.documents.count == local.documents.count)
        #expect(front.documents.map(\.shingles) == local.documents.map(\.shingles))
        #expect(front.documents.map(\.script) == local.documents.map(\.script))
        #expect(front.documents.map(\.length) == local.documents.map(\.length))
        #expect(front.documents.allSatisfy { $0.terms.isEmpty && $0.counts.isEmpty })
        #expect(front.cleaned.articles.map(\.language) == local.articles.map(\.language))

        // The document frequencies per language group, every document counted (copies too: the
        // run counts the classes once).
        let groups = SharedOutCorpus.groups(local.articles, local.documents)
        #expect(Set(groups).isSuperset(of: ["en", "ru", "de"]))
        let merged = front.frequencies
        #expect(Set(merged.groups.keys) == Set(groups))
        #expect(merged.groups.values.sorted() == Array(0..<merged.groups.count))
        for (name, group) in merged.groups {
            #expect(merged.groupSizes[group] == groups.filter { $0 == name }.count, "\(name)")
            let lengths = zip(groups, local.documents).filter { $0.0 == name }.reduce(0) { $0 + $1.1.length }
            #expect(merged.lengthTotals[group] == lengths, "\(name)")
        }
        #expect(Set(merged.termHashes) == Set(local.documents.flatMap(\.terms)))
        #expect(merged.termHashes.count == Set(merged.termHashes).count)
        #expect(merged.frequency.count == merged.termHashes.count * merged.groups.count)
        #expect(Self.table(merged) == Self.frequencies(local.documents, groups: groups))
        #expect(front.seconds.count == corpus.shards.count)
    }

    @Test func aWorkFileIsReadOnlyWithItsTaskCountAndATaskItHas() throws {
        let corpus = SharedOutCorpus()
        defer { corpus.remove() }
        let front = try corpus.readAndTerms(threads: 1)
        let path = front.workPath, count = corpus.shards.count
        let (work, _) = try TermTasks.work(at: path, task: count - 1, tasks: count)
        #expect(work.run == front.plan.run && work.shards == corpus.shards && work.cleans && !work.hasVocabulary)
        _ = try TermTasks.work(at: path, task: 0, tasks: nil)
        #expect(throws: TaskFailure(reason: "\(path): the run has \(count) shards, not \(count - 1)")) {
            try TermTasks.work(at: path, task: 0, tasks: count - 1)
        }
        #expect(throws: TaskFailure(reason: "\(path): the run has \(count) shards, so there is no task \(count)")) {
            try TermTasks.work(at: path, task: count, tasks: count)
        }
        let output = corpus.directory + "/refused.bin"
        #expect(throws: TaskFailure.self) {
            try TermTasks.runTask(work: path, task: 0, tasks: count + 1, threads: 1, to: output)
        }
        #expect(!FileManager.default.fileExists(atPath: output))
        // The read plan is not a work file.
        #expect(throws: (any Error).self) { try TermTasks.work(at: corpus.directory + "/read.bin", task: 0, tasks: count) }
    }

    /// The task reads its shard again: a record that is no longer the one the run kept there
    /// (another id at its place among the shard's articles) is the input changed meanwhile, at
    /// the record's line in its file.
    @Test(arguments: [0, 1, 6])
    func aTermsTaskWhoseInputChangedSaysWhere(task: Int) throws {
        let corpus = SharedOutCorpus()
        defer { corpus.remove() }
        let front = try corpus.readAndTerms(threads: 1)
        let shard = corpus.shards[task]
        let read = try ReadTasks.read(shard, threads: 1)
        let ordinal = Int(try #require(front.merged.kept[task].dropFirst(2).first))
        let article = read.articles[ordinal]
        // Its line in the file: after the lines of the shards of the file before it.
        let linesBefore = try corpus.shards[..<task].filter { $0.fileIndex == shard.fileIndex }
            .reduce(0) { $0 + (try ReadTasks.read($1, threads: 1)).lines }
        let location = RecordLocation(file: shard.file, line: article.location.line + linesBefore)
        #expect(front.merged.result.articles.contains { $0.id == article.id && $0.location == location })

        // The same record under another id of the same length: the shards' bytes do not move.
        let original = try Data(contentsOf: URL(fileURLWithPath: shard.file))
        let before = Array("\"id\":\"\(article.id)\"".utf8)
        let after = Array("\"id\":\"\(String(repeating: "z", count: article.id.utf8.count))\"".utf8)
        var bytes = [UInt8](original)
        let range = try #require(bytes.indices.first { bytes[$0...].starts(with: before) }.map { $0..<($0 + before.count) })
        bytes.replaceSubrange(range, with: after)
        try Data(bytes).write(to: URL(fileURLWithPath: shard.file))
        let output = corpus.directory + "/changed.bin"
        #expect(throws: ReadError.changed(location)) {
            try TermTasks.runTask(work: front.workPath, task: task, tasks: corpus.shards.count, threads: 1, to: output)
        }
        // The other shards' tasks still run.
        let other = task == 0 ? 3 : 0
        try TermTasks.runTask(work: front.workPath, task: other, tasks: corpus.shards.count, threads: 1, to: output)
    }

    @Test func aTermsTaskWhoseShardLostRecordsFails() throws {
        let corpus = SharedOutCorpus()
        defer { corpus.remove() }
        let front = try corpus.readAndTerms(threads: 1)
        // The text file's shard: its one article is gone.
        try Data("\n".utf8).write(to: URL(fileURLWithPath: corpus.files[2]))
        #expect(throws: ReadError.self) {
            try TermTasks.runTask(work: front.workPath, task: 4, tasks: corpus.shards.count, threads: 1,
                                  to: corpus.directory + "/changed.bin")
        }
    }

    @Test func partsOfAnotherRunOrOfTheWrongSizeAreRefused() throws {
        let corpus = SharedOutCorpus()
        defer { corpus.remove() }
        let front = try corpus.readAndTerms(threads: 1)
        let count = corpus.shards.count
        let parts = (0..<count).map { "\(corpus.directory)/terms-\($0).bin" }
        _ = try TermTasks.merge(parts: parts, run: front.plan.run, positions: front.positions)
        let foreign = #expect(throws: TaskFailure.self) {
            try TermTasks.merge(parts: parts, run: "another run", positions: front.positions)
        }
        #expect(foreign?.reason.contains(parts[0]) == true)
        var swapped = parts
        swapped.swapAt(2, 3)
        let misplaced = #expect(throws: TaskFailure.self) {
            try TermTasks.merge(parts: swapped, run: front.plan.run, positions: front.positions)
        }
        #expect(misplaced?.reason.contains(parts[3]) == true)
        // Positions that give shard 0 one article less than its part holds.
        let fewer = front.positions.filter { !($0.shard == 0 && Int($0.ordinal) == front.merged.kept[0].count - 1) }
        let wrongSize = #expect(throws: TaskFailure.self) {
            try TermTasks.merge(parts: parts, run: front.plan.run, positions: fewer)
        }
        #expect(wrongSize?.reason.contains(parts[0]) == true)
        var missing = parts
        missing[5] = corpus.directory + "/missing.bin"
        let absent = #expect(throws: SectionFile.Failure.self) {
            try TermTasks.merge(parts: missing, run: front.plan.run, positions: front.positions)
        }
        #expect(absent?.path == missing[5])
    }
}
