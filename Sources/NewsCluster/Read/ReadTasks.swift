import Foundation

/// The read shared out to tasks that may run on other machines (a Spark job's executors): the
/// input is split into shards (`shards`: byte ranges of plain files, whole compressed and text
/// files); task t reads shard t and records, in order, each record it met as accepted (with the
/// line keys cleaning needs) or rejected (`runTask`), without judging ids; the run then judges
/// every shard's records in input order (`merge`), as a read on one machine does: the same
/// duplicate ids, rejected list, warnings and `--strict`, with files and lines.
///
/// The tasks read the input files themselves, at the paths the run was given.
public enum ReadTasks {
    /// One task's share of the input.
    struct Shard: Codable, Equatable {
        var file: String
        /// The file's place among the run's input files (a file given twice is read twice).
        var fileIndex: Int
        /// The bytes whose lines the shard reads (nil: the whole file).
        var bytes: Range<Int>?
        var isText: Bool
    }

    /// What every task of a shared-out run reads first: the shards and options.
    struct Plan: Codable {
        static let format = "newscluster-shards-1"
        var format = Self.format
        /// A random id, echoed by each part, so that no part of another run is merged.
        var run: String
        /// The binary that wrote it (`TileTasks.binaryIdentity`): every task must be the same build.
        var binary: String
        var options: ClusterOptions
        var shards: [Shard]
    }

    struct PartPayload: TaskPart {
        static let format = "newscluster-read-part-1"
        var format: String = Self.format
        var run: String
        var task: Int
        /// `InputFile.format` of the shard's file.
        var fileFormat: String
        /// Bytes read: those of a compressed file (a shard of a plain file counts its range).
        var bytesRead: Int
        /// Lines that start in the shard, blank ones too.
        var lines: Int
        var seconds: Double
    }

    /// A shard too small is not worth a task of its own.
    static let minimumShardBytes = 1 << 16

    /// `files` in shards for about `tasks` tasks: a plain JSONL file in byte ranges of about
    /// an equal share of all plain bytes, a compressed or a text file whole.
    ///
    /// - Throws: `ReadError.unreadable` for an input that is not a regular file (a pipe,
    ///   standard input), which tasks elsewhere cannot read.
    static func shards(of files: [String], tasks: Int) throws -> [Shard] {
        let probes = files.map(ByteSource.probe)
        for (file, probe) in zip(files, probes) where !probe.isRegularFile {
            throw ReadError.unreadable(
                path: file, reason: "not a regular file: tasks read the input themselves, so a shared-out run reads files only")
        }
        func isPlain(_ index: Int) -> Bool { !files[index].hasSuffix(".txt") && probes[index].compression == nil }
        let plainBytes = files.indices.filter(isPlain).reduce(0) { $0 + probes[$1].size }
        let target = max(minimumShardBytes, (plainBytes + tasks - 1) / max(1, tasks))
        return files.indices.flatMap { index -> [Shard] in
            let file = files[index], size = probes[index].size
            guard isPlain(index) else { return [Shard(file: file, fileIndex: index, bytes: nil, isText: file.hasSuffix(".txt"))] }
            let pieces = max(1, (size + target - 1) / target)
            return (0..<pieces).map { piece in
                Shard(file: file, fileIndex: index, bytes: (size * piece / pieces)..<(size * (piece + 1) / pieces), isText: false)
            }
        }
    }

    /// Writes the plan of a run over `files` for about `tasks` tasks to `path`.
    static func writePlan(files: [String], tasks: Int, options: ClusterOptions, to path: String) throws -> Plan {
        let plan = Plan(run: UUID().uuidString, binary: TileTasks.binaryIdentity, options: options,
                        shards: try shards(of: files, tasks: tasks))
        try SectionFile.Writer().write(plan, to: path)
        return plan
    }

    /// The plan in `path`, checked against this build and the task count a task was given.
    static func plan(at path: String, task: Int, tasks: Int?) throws -> Plan {
        let plan = try SectionFile.Reader(path: path).payload(Plan.self)
        try TaskFailure.checkInput(
            path, kind: "plan", format: plan.format, expected: Plan.format, binary: plan.binary,
            holder: "the run", count: plan.shards.count, unit: "shards", task: task, tasks: tasks)
        return plan
    }

    /// A shard's read: its articles (with their texts, lines numbered from the shard's first),
    /// what it met in order, and how many lines start in it.
    struct ShardRead {
        var articles: [Article]
        var events: [ShardEvent]
        var fileFormat: String
        var bytesRead: Int
        var lines: Int
    }

    /// Reads `shard`; `eachBatch` sees its accepted articles as they are decoded.
    static func read(
        _ shard: Shard, threads: Int, eachBatch: (inout ArraySlice<Article>) throws -> Void = { _ in }
    ) throws -> ShardRead {
        let reader = ArticleReader(threads: threads)
        var state = ArticleReader.State(strict: false, recordsEvents: true)
        let format: String, bytes: Int, lines: Int
        if shard.isText {
            try reader.readText(shard.file, into: &state)
            try eachBatch(&state.result.articles[...])
            format = "txt"
            bytes = ByteSource.probe(shard.file).size
            lines = 1
        } else {
            (format, bytes, lines) = try reader.readLines(shard.file, lines: shard.bytes, into: &state, eachBatch: eachBatch)
        }
        return ShardRead(articles: state.result.articles, events: state.events ?? [], fileFormat: format,
                         bytesRead: shard.bytes?.count ?? bytes, lines: lines)
    }

    /// Task `task` of the plan in `planPath`: reads its shard and writes what it met, with the
    /// accepted articles' fields (not their texts) and line keys, to `output`.
    public static func runTask(plan planPath: String, task: Int, tasks: Int?, threads: Int, to output: String) throws {
        let start = ContinuousClock.now
        let plan = try plan(at: planPath, task: task, tasks: tasks)
        let keepBoilerplate = plan.options.keepBoilerplate
        var lineKeys: [[BoilerplateRemover.LineKeys]] = []
        let read = try read(plan.shards[task], threads: threads) { batch in
            lineKeys += keepBoilerplate ? batch.map { _ in [] } : Parallel.map(count: batch.count, threads: threads) {
                let article = batch[batch.startIndex + $0]
                return BoilerplateRemover.lineKeys(of: article.text, title: article.title)
            }
            for index in batch.indices { batch[index].text = "" }
        }
        var writer = SectionFile.Writer()
        var accepted = read.articles.makeIterator()
        var kinds: [UInt8] = [], lines: [Int32] = [], reasons: [String?] = [], ids: [String?] = []
        for event in read.events {
            switch event {
            case .accepted(let repairs):
                let article = accepted.next()!
                kinds.append(0)
                lines.append(Int32(article.location.line))
                reasons.append(repairs)
                ids.append(article.id)
            case .rejected(let issue):
                kinds.append(1)
                lines.append(Int32(issue.line))
                reasons.append(issue.reason)
                ids.append(issue.id)
            }
        }
        let articles = read.articles
        writer.add("kinds", kinds)
        writer.add("lines", lines)
        writer.add("reasons", strings: reasons)
        writer.add("ids", strings: ids)
        writer.add("titles", strings: articles.map(\.title))
        writer.add("urls", strings: articles.map(\.url))
        writer.add("sources", strings: articles.map(\.source))
        writer.add("publishedTexts", strings: articles.map(\.publishedText))
        writer.add("languages", strings: articles.map(\.language))
        writer.add("published", articles.map { $0.published ?? .nan })
        writer.add("spanOffsets", articles.map { $0.span?.offset ?? -1 })
        writer.add("spanLengths", articles.map { $0.span?.length ?? -1 })
        writer.add("lineKeyCounts", lineKeys.map { Int32($0.count) })
        writer.add("lineKeys", Array(lineKeys.joined()))
        try writer.write(PartPayload(
            run: plan.run, task: task, fileFormat: read.fileFormat, bytesRead: read.bytesRead, lines: read.lines,
            seconds: Pipeline.seconds(ContinuousClock.now - start)), to: output)
    }

    /// The read of every shard, judged in input order.
    struct Merged {
        /// Accepted articles (texts empty) in input order, rejected and repaired records, files.
        var result: ArticleReader.Result
        /// The line keys of each accepted article, in input order.
        var lineKeys: [[BoilerplateRemover.LineKeys]]
        /// Per shard, the accepted articles that stayed (not a duplicate id), as indices into
        /// the articles the shard's read accepts.
        var kept: [[Int32]]
        /// Per shard, the lines of its file before it.
        var lineBases: [Int]
        /// The tasks' seconds.
        var seconds: [Double]
    }

    /// Judges the records of the parts `parts` (task t's at `parts[t]`) as one read of the
    /// plan's files would: duplicate ids across shards, with `strict` the first bad record.
    static func merge(parts: [String], plan: Plan, strict: Bool) throws -> Merged {
        var state = ArticleReader.State(strict: strict)
        var lineKeys: [[BoilerplateRemover.LineKeys]] = []
        var kept: [[Int32]] = []
        var seconds: [Double] = []
        var lineBases: [Int] = []
        var lineBase = 0
        for (task, path) in parts.enumerated() {
            let shard = plan.shards[task]
            let file = try SectionFile.Reader(path: path)
            let payload = try file.part(PartPayload.self, of: .read, task: task, run: plan.run)
            if task == 0 || plan.shards[task - 1].fileIndex != shard.fileIndex {
                lineBase = 0
                state.result.files.append(ArticleReader.InputFile(path: shard.file, format: payload.fileFormat, bytes: 0, records: 0))
            }
            lineBases.append(lineBase)
            let kinds = try file.read("kinds", as: UInt8.self)
            let lines = try file.read("lines", as: Int32.self)
            let reasons = try file.strings("reasons"), ids = try file.strings("ids")
            let titles = try file.strings("titles"), urls = try file.strings("urls"), sources = try file.strings("sources")
            let publishedTexts = try file.strings("publishedTexts"), languages = try file.strings("languages")
            let published = try file.read("published", as: Double.self)
            let spanOffsets = try file.read("spanOffsets", as: Int.self), spanLengths = try file.read("spanLengths", as: Int.self)
            let keyCounts = try file.read("lineKeyCounts", as: Int32.self)
            let keys = try file.read("lineKeys", as: BoilerplateRemover.LineKeys.self)
            let acceptedCount = kinds.filter { $0 == 0 }.count
            guard lines.count == kinds.count, reasons.count == kinds.count, ids.count == kinds.count,
                  [titles.count, urls.count, sources.count, publishedTexts.count, languages.count, published.count,
                   spanOffsets.count, spanLengths.count, keyCounts.count].allSatisfy({ $0 == acceptedCount }),
                  keys.count == keyCounts.reduce(0, { $0 + Int($1) }) else {
                throw TaskFailure(reason: "\(path): its sections do not fit each other")
            }
            var shardKept: [Int32] = []
            var accepted = 0, keyStart = 0
            for event in kinds.indices {
                let location = RecordLocation(file: shard.file, line: Int(lines[event]) + lineBase)
                guard kinds[event] == 0 else {
                    try state.reject(location, id: ids[event], reasons[event] ?? "")
                    continue
                }
                var article = Article(
                    id: ids[event] ?? "", title: titles[accepted] ?? "", text: "", url: urls[accepted],
                    source: sources[accepted], published: published[accepted].isNaN ? nil : published[accepted],
                    publishedText: publishedTexts[accepted], language: languages[accepted], location: location)
                if spanOffsets[accepted] >= 0 {
                    article.span = RecordSpan(offset: spanOffsets[accepted], length: spanLengths[accepted])
                }
                let before = state.result.articles.count
                let repairs = reasons[event] ?? ""
                try state.accept(article, repairs: repairs.isEmpty ? [] : [repairs])
                let keyEnd = keyStart + Int(keyCounts[accepted])
                if state.result.articles.count > before {
                    shardKept.append(Int32(accepted))
                    lineKeys.append(Array(keys[keyStart..<keyEnd]))
                }
                keyStart = keyEnd
                accepted += 1
            }
            kept.append(shardKept)
            seconds.append(payload.seconds)
            lineBase += payload.lines
            state.result.files[state.result.files.count - 1].bytes += payload.bytesRead
            state.result.files[state.result.files.count - 1].records += kinds.count
        }
        return Merged(result: state.result, lineKeys: lineKeys, kept: kept, lineBases: lineBases, seconds: seconds)
    }
}

/// A record a shard's read met (`ReadTasks`): accepted (the next of its articles), with the
/// repairs made on the way ("" for none), or rejected.
enum ShardEvent {
    case accepted(repairs: String)
    case rejected(RecordIssue)
}
