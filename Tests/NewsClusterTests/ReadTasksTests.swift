import Foundation
import Testing
@testable import NewsCluster

/// What a test compares of an accepted article (the texts too: a shard's read holds them).
private struct Seen: Equatable, CustomStringConvertible {
    var id: String
    var file: String
    var line: Int
    var offset: Int?
    var length: Int?
    var text: String
    var title: String
    var language: String?

    init(_ article: Article, lineBase: Int = 0) {
        id = article.id
        file = article.location.file
        line = article.location.line + lineBase
        offset = article.span?.offset
        length = article.span?.length
        text = article.text
        title = article.title
        language = article.language
    }

    var description: String { "\(id)@\(file):\(line)[\(offset ?? -1)+\(length ?? -1)]" }
}

/// A shard's event in a comparable form, its line moved by `lineBase`.
private enum Met: Equatable {
    case accepted(repairs: String)
    case rejected(line: Int, id: String?, reason: String)

    init(_ event: ShardEvent, lineBase: Int) {
        switch event {
        case .accepted(let repairs): self = .accepted(repairs: repairs)
        case .rejected(let issue): self = .rejected(line: issue.line + lineBase, id: issue.id, reason: issue.reason)
        }
    }
}

private let bom: [UInt8] = [0xEF, 0xBB, 0xBF]

/// A small JSONL file with what a shard boundary can fall into: a byte-order mark at the start
/// and in the middle, CRLF endings, blank and whitespace-only lines, a malformed record, a record
/// without text, one repaired (a raw control byte), an id seen twice, multi-byte UTF-8 (two, three
/// and four bytes), and a last line without a newline.
private let awkwardBytes: [UInt8] = {
    var bytes = bom + Array(#"{"id":"a1","title":"Первый","text":"Привет, мир — über"}"#.utf8) + Array("\r\n".utf8)
    bytes += Array("\n   \t \r\n".utf8)
    bytes += Array(#"{"id":"a2","text":"cut off"#.utf8) + Array("\n".utf8)
    bytes += Array(#"{"id":"a3","text":"a raw "#.utf8) + [0x01] + Array(#" byte","language":"en"}"#.utf8) + Array("\r\n".utf8)
    bytes += Array("\r\n".utf8)
    bytes += bom + Array(#"{"id":"a4","text":"after a mark 😀 ✓","source":"Вести"}"#.utf8) + Array("\n".utf8)
    bytes += Array(#"{"id":"a5","title":"no text"}"#.utf8) + Array("\n".utf8)
    bytes += Array(#"{"id":"a1","text":"the same id again, ещё раз"}"#.utf8) + Array("\n\n".utf8)
    bytes += Array(#"{"id":"a6","text":"last, without newline ✓"}"#.utf8)
    return bytes
}()

@Suite("ReadTasks")
struct ReadTasksTests {
    static func read(_ path: String, _ bytes: Range<Int>?, threads: Int = 1) throws -> ReadTasks.ShardRead {
        try ReadTasks.read(ReadTasks.Shard(file: path, fileIndex: 0, bytes: bytes, isText: false), threads: threads)
    }

    // MARK: - One shard's read

    @Test func everySplitOfAFileReadsAsTheWholeFileDoes() throws {
        let directory = Fixtures.temporaryDirectory()
        defer { Fixtures.remove(directory) }
        let path = Fixtures.write(awkwardBytes, named: "a.jsonl", in: directory)
        let size = awkwardBytes.count
        let whole = try Self.read(path, 0..<size)
        // The fixture has what it means to have: every kind of event, and a last line read.
        #expect(whole.articles.map(\.id) == ["a1", "a3", "a4", "a1", "a6"])
        #expect(whole.lines == 11)
        #expect(whole.fileFormat == "jsonl" && whole.bytesRead == size)
        let wholeEvents = whole.events.map { Met($0, lineBase: 0) }
        #expect(wholeEvents.contains(.accepted(repairs: "")))
        #expect(wholeEvents.contains { if case .accepted(let repairs) = $0 { !repairs.isEmpty } else { false } })
        #expect(wholeEvents.contains { if case .rejected(line: 4, id: nil, reason: _) = $0 { true } else { false } })
        #expect(wholeEvents.contains(.rejected(line: 8, id: "a5", reason: "missing text")))
        // Spans are into the file: the bytes there are the record, without mark or CR.
        for article in whole.articles {
            let span = try #require(article.span)
            let record = Array(awkwardBytes[span.offset..<(span.offset + span.length)])
            #expect(record.first == UInt8(ascii: "{") && record.last == UInt8(ascii: "}"), "\(Seen(article))")
        }
        // The whole file without a range reads the same.
        let unranged = try Self.read(path, nil)
        #expect(unranged.articles.map { Seen($0) } == whole.articles.map { Seen($0) })
        #expect(unranged.events.map { Met($0, lineBase: 0) } == wholeEvents)
        #expect(unranged.lines == whole.lines)

        for k in 0...size {
            let first = try Self.read(path, 0..<k), second = try Self.read(path, k..<size)
            #expect(first.lines + second.lines == whole.lines, "split at \(k)")
            let articles = first.articles.map { Seen($0) } + second.articles.map { Seen($0, lineBase: first.lines) }
            #expect(articles == whole.articles.map { Seen($0) }, "split at \(k)")
            let events = first.events.map { Met($0, lineBase: 0) } + second.events.map { Met($0, lineBase: first.lines) }
            #expect(events == wholeEvents, "split at \(k)")
            #expect(first.bytesRead == k && second.bytesRead == size - k, "split at \(k)")
        }
    }

    @Test func threeShardsWithSeveralThreadsReadAsOne() throws {
        let directory = Fixtures.temporaryDirectory()
        defer { Fixtures.remove(directory) }
        let path = Fixtures.write(awkwardBytes, named: "a.jsonl", in: directory)
        let size = awkwardBytes.count
        let whole = try Self.read(path, 0..<size)
        for (a, b) in [(2, 3), (60, 61), (70, 140), (size / 3, 2 * size / 3), (size - 1, size)] {
            let reads = try [0..<a, a..<b, b..<size].map { try Self.read(path, $0, threads: 3) }
            var base = 0
            var articles: [Seen] = [], events: [Met] = []
            for read in reads {
                articles += read.articles.map { Seen($0, lineBase: base) }
                events += read.events.map { Met($0, lineBase: base) }
                base += read.lines
            }
            #expect(base == whole.lines)
            #expect(articles == whole.articles.map { Seen($0) }, "\(a), \(b)")
            #expect(events == whole.events.map { Met($0, lineBase: 0) }, "\(a), \(b)")
        }
    }

    // MARK: - Shards

    @Test func compressedAndTextFilesStayWholeAndAPlainFileIsCutIntoRangesThatCoverIt() throws {
        let directory = Fixtures.temporaryDirectory()
        defer { Fixtures.remove(directory) }
        let large = Fixtures.write([UInt8](repeating: UInt8(ascii: "x"), count: 300_001), named: "large.jsonl", in: directory)
        let gzip = Fixtures.write(Decompressor.compress(Array(String(repeating: "{}\n", count: 100_000).utf8), as: .gzip),
                                  named: "b.jsonl.gz", in: directory)
        let text = Fixtures.write("Title\nText\n", named: "c.txt", in: directory)
        let small = Fixtures.write("{}\n", named: "d.jsonl", in: directory)
        let files = [gzip, large, text, small]
        let shards = try ReadTasks.shards(of: files, tasks: 4)
        #expect(shards.first == ReadTasks.Shard(file: gzip, fileIndex: 0, bytes: nil, isText: false))
        let cut = shards.filter { $0.file == large }
        #expect(cut.count == 4)
        #expect(cut.allSatisfy { $0.fileIndex == 1 && !$0.isText })
        let ranges = cut.compactMap(\.bytes)
        try #require(ranges.count == cut.count)
        #expect(ranges.first?.lowerBound == 0 && ranges.last?.upperBound == 300_001)
        #expect(zip(ranges, ranges.dropFirst()).allSatisfy { $0.upperBound == $1.lowerBound })
        #expect(ranges.allSatisfy { $0.count >= ReadTasks.minimumShardBytes })
        #expect(shards.filter { $0.file == text } == [ReadTasks.Shard(file: text, fileIndex: 2, bytes: nil, isText: true)])
        // Small plain files are not cut, but still read as a range.
        #expect(shards.last == ReadTasks.Shard(file: small, fileIndex: 3, bytes: 0..<3, isText: false))
        // Input order: the shards of each file together, files in the order given.
        #expect(shards.map(\.fileIndex) == [0, 1, 1, 1, 1, 2, 3])

        // One task: each file one shard. Many: shards of about the minimum size, no more.
        #expect(try ReadTasks.shards(of: files, tasks: 1).map(\.bytes) == [nil, 0..<300_001, nil, 0..<3])
        let many = try ReadTasks.shards(of: files, tasks: 1000).filter { $0.file == large }.compactMap(\.bytes)
        #expect(many.count == (300_001 + ReadTasks.minimumShardBytes - 1) / ReadTasks.minimumShardBytes)
        #expect(many.first?.lowerBound == 0 && many.last?.upperBound == 300_001)
        #expect(zip(many, many.dropFirst()).allSatisfy { $0.upperBound == $1.lowerBound })
        // A file given twice is read twice.
        let twice = try ReadTasks.shards(of: [small, small], tasks: 2)
        #expect(twice == [ReadTasks.Shard(file: small, fileIndex: 0, bytes: 0..<3, isText: false),
                          ReadTasks.Shard(file: small, fileIndex: 1, bytes: 0..<3, isText: false)])
    }

    @Test func aPipeOrStandardInputIsRefusedByName() throws {
        let directory = Fixtures.temporaryDirectory()
        defer { Fixtures.remove(directory) }
        let plain = Fixtures.write("{}\n", named: "a.jsonl", in: directory)
        let fifo = directory + "/input.fifo"
        try #require(mkfifo(fifo, 0o600) == 0)
        for refused in [fifo, ByteSource.standardInput] {
            let error = #expect(throws: ReadError.self) { try ReadTasks.shards(of: [plain, refused], tasks: 2) }
            guard case .unreadable(let path, let reason)? = error else {
                Issue.record("\(String(describing: error))")
                continue
            }
            #expect(path == refused)
            #expect(reason.contains("not a regular file"))
        }
        #expect(throws: ReadError.self) { try ReadTasks.shards(of: [directory + "/missing.jsonl"], tasks: 1) }
    }

    // MARK: - Tasks and their merge

    /// Input files of a run with records of about a kilobyte, so that the first is cut into
    /// three shards: duplicate ids within it (across its shards) and across files, rejected and
    /// repaired records in several shards, CRLF endings and marks, a gzip file and a text file.
    struct Inputs {
        let directory = Fixtures.temporaryDirectory()
        var files: [String] = []

        /// `bad`: record index → the line that replaces it.
        static func large(count: Int = 150, bad: [Int: String] = [:]) -> [UInt8] {
            var bytes = bom
            for index in 0..<count {
                if let line = bad[index] {
                    bytes += Array(line.utf8) + Array("\n".utf8)
                    continue
                }
                let words = (0..<170).map { "w\(($0 * 7 + index * 13) % 997)" }.joined(separator: " ")
                let line = Fixtures.jsonLine(id: "r\(index)", title: "Запись \(index)", text: "Текст \(index): \(words)",
                                             source: index % 3 == 0 ? "Herald" : nil,
                                             published: index % 5 == 0 ? "2024-03-0\(1 + index % 7)" : nil)
                bytes += Array(line.utf8) + Array((index % 4 == 1 ? "\r\n" : "\n").utf8)
                if index % 17 == 0 { bytes += Array("\n  \n".utf8) }
            }
            return bytes
        }

        init(large: [UInt8] = Inputs.large(bad: [
            2: Fixtures.jsonLine(id: "r2", text: "a raw \u{01} control"),
            61: #"{"id":"r61","text":"broken"#,
            80: Fixtures.jsonLine(id: "r5", text: "the id of record 5 again, in the second shard"),
            140: Fixtures.jsonLine(id: "r140", text: "dated badly", published: "yesterday"),
        ])) {
            files.append(Fixtures.write(large, named: "a.jsonl", in: directory))
            let gzipLines = [
                Fixtures.jsonLine(id: "g1", text: "compressed one", language: "en"),
                Fixtures.jsonLine(id: "r7", text: "an id of the first file"),
                "not json",
                Fixtures.jsonLine(id: "g2", text: "compressed two"),
            ]
            files.append(Fixtures.write(Decompressor.compress(Array(gzipLines.map { $0 + "\n" }.joined().utf8), as: .gzip),
                                        named: "b.jsonl.gz", in: directory))
            files.append(Fixtures.write("The title\n\nThe text of a note.\n", named: "note.txt", in: directory))
            files.append(Fixtures.write(
                [Fixtures.jsonLine(id: "g2", text: "again"), Fixtures.jsonLine(id: "d1", text: "last file")].joined(separator: "\r\n"),
                named: "d.jsonl", in: directory))
        }

        func remove() { Fixtures.remove(directory) }

        /// Writes a plan for `tasks` tasks and runs every task (in reverse: they depend on the
        /// plan only); returns the plan and the parts.
        func runTasks(tasks: Int = 3, options: ClusterOptions = ClusterOptions(), name: String = "read")
            throws -> (plan: ReadTasks.Plan, planPath: String, parts: [String])
        {
            let planPath = "\(directory)/\(name).bin"
            let plan = try ReadTasks.writePlan(files: files, tasks: tasks, options: options, to: planPath)
            let parts = plan.shards.indices.map { "\(directory)/\(name)-\($0).bin" }
            for task in plan.shards.indices.reversed() {
                try ReadTasks.runTask(plan: planPath, task: task, tasks: plan.shards.count, threads: task % 2 + 1, to: parts[task])
            }
            return (plan, planPath, parts)
        }
    }

    @Test func theMergeJudgesEveryRecordAsOneMachineDoes() throws {
        let inputs = Inputs()
        defer { inputs.remove() }
        let (plan, _, parts) = try inputs.runTasks()
        let large = inputs.files[0]
        // The large file is cut in three, the others whole.
        #expect(plan.shards.map(\.file) == [large, large, large] + inputs.files.dropFirst())
        #expect(plan.shards.map { $0.bytes == nil } == [false, false, false, true, true, false])
        let merged = try ReadTasks.merge(parts: parts, plan: plan, strict: false)
        let expected = try ArticleReader().read(inputs.files)
        let result = merged.result

        #expect(result.articles.map { Seen($0) }.map(\.description) == expected.articles.map { Seen($0) }.map(\.description))
        #expect(result.articles.map(\.title) == expected.articles.map(\.title))
        #expect(result.articles.map(\.source) == expected.articles.map(\.source))
        #expect(result.articles.map(\.url) == expected.articles.map(\.url))
        #expect(result.articles.map(\.published) == expected.articles.map(\.published))
        #expect(result.articles.map(\.publishedText) == expected.articles.map(\.publishedText))
        #expect(result.articles.map(\.language) == expected.articles.map(\.language))
        #expect(result.articles.allSatisfy { $0.text.isEmpty })
        #expect(result.rejected == expected.rejected)
        #expect(result.warnings == expected.warnings)
        #expect(result.files == expected.files)
        #expect(result.recordsRead == expected.recordsRead)
        // The fixture holds what the merge must judge.
        #expect(expected.rejected.map(\.reason).filter { $0.hasPrefix("duplicate id") }.count == 3)
        #expect(expected.rejected.contains { $0.id == "r5" && $0.file == large })
        #expect(expected.warnings.count == 2)

        // Line keys for cleaning, one list per article kept, from its text.
        #expect(merged.lineKeys == expected.articles.map { BoilerplateRemover.lineKeys(of: $0.text, title: $0.title) })
        #expect(merged.seconds.count == parts.count && merged.seconds.allSatisfy { $0 >= 0 })

        // `kept`: per shard, which of the articles its read accepts stayed; the duplicates did not.
        var keptArticles: [Seen] = []
        for (task, shard) in plan.shards.enumerated() {
            let read = try ReadTasks.read(shard, threads: 1)
            let kept = merged.kept[task].map(Int.init)
            #expect(kept == kept.sorted() && Set(kept).count == kept.count)
            keptArticles += kept.map { read.articles[$0] }.map { Seen($0) }
            let dropped = Set(read.articles.indices).subtracting(kept).map { read.articles[$0].id }.sorted()
            switch task {
            case 1: #expect(dropped == ["r5"])
            case 3: #expect(dropped == ["r7"])
            case 5: #expect(dropped == ["g2"])
            default: #expect(dropped == [], "task \(task)")
            }
        }
        // Ids and texts (lines are the shard's own there).
        #expect(keptArticles.map(\.id) == expected.articles.map(\.id))
        #expect(keptArticles.map(\.text) == expected.articles.map(\.text))
    }

    /// A compressed file that breaks off keeps the records before the break, and the break is
    /// a rejected record; a file given twice is read twice (the second time all duplicates); an empty file is a file
    /// of no records.
    @Test func aBrokenStreamAndAFileGivenTwiceAreJudgedAsOneMachineJudgesThem() throws {
        let directory = Fixtures.temporaryDirectory()
        defer { Fixtures.remove(directory) }
        let plain = Fixtures.write(Inputs.large(count: 3), named: "a.jsonl", in: directory)
        let content = Array((0..<400).map { Fixtures.jsonLine(id: "z\($0)", text: "compressed record \($0)") + "\n" }.joined().utf8)
        let cut = Fixtures.write(Array(Decompressor.compress(content, as: .gzip).dropLast(8)), named: "b.jsonl.gz", in: directory)
        let empty = Fixtures.write("", named: "empty.jsonl", in: directory)
        let files = [plain, cut, empty, plain]
        let planPath = directory + "/read.bin"
        let plan = try ReadTasks.writePlan(files: files, tasks: 3, options: ClusterOptions(), to: planPath)
        #expect(plan.shards.map(\.fileIndex) == [0, 1, 2, 3])
        let parts = plan.shards.indices.map { "\(directory)/read-\($0).bin" }
        for task in plan.shards.indices { try ReadTasks.runTask(plan: planPath, task: task, tasks: 4, threads: 2, to: parts[task]) }
        let merged = try ReadTasks.merge(parts: parts, plan: plan, strict: false)
        let expected = try ArticleReader().read(files)
        #expect(merged.result.articles.map { Seen($0) } == expected.articles.map { Seen($0) }.map {
            var seen = $0
            seen.text = ""
            return seen
        })
        #expect(merged.result.rejected == expected.rejected)
        #expect(merged.result.files == expected.files)
        #expect(expected.rejected.contains { $0.file == cut && $0.reason.contains("gzip stream truncated") })
        #expect(expected.rejected.filter { $0.file == plain }.count == 3)
        #expect(merged.kept.map(\.count) == [3, 400, 0, 0])
        #expect(merged.result.files.map(\.format) == ["jsonl", "jsonl+gzip", "jsonl", "jsonl"])
    }

    @Test func withKeepBoilerplateThePartsHoldNoLineKeys() throws {
        let inputs = Inputs(large: Inputs.large(count: 80))
        defer { inputs.remove() }
        var options = ClusterOptions()
        options.keepBoilerplate = true
        let (plan, _, parts) = try inputs.runTasks(options: options)
        let merged = try ReadTasks.merge(parts: parts, plan: plan, strict: false)
        #expect(merged.lineKeys.count == merged.result.articles.count)
        #expect(merged.lineKeys.allSatisfy { $0.isEmpty })
    }

    @Test func aStrictMergeStopsAtTheFirstBadRecordInInputOrder() throws {
        // The first bad record is in the large file's second shard; the later shards and files
        // (read first, in reverse) have bad records of their own.
        let inputs = Inputs(large: Inputs.large(bad: [
            70: Fixtures.jsonLine(id: "r3", text: "the id of record 3 again"),
            120: #"{"id":"r120","text":"broken"#,
        ]))
        defer { inputs.remove() }
        let (plan, _, parts) = try inputs.runTasks()
        try #require(plan.shards.count == 6)
        let expected = #expect(throws: ReadError.self) { try ArticleReader(strict: true).read(inputs.files) }
        let merged = #expect(throws: ReadError.self) { try ReadTasks.merge(parts: parts, plan: plan, strict: true) }
        #expect(merged == expected)
        guard case .badRecord(let issue)? = merged else {
            Issue.record("not a bad record: \(String(describing: merged))")
            return
        }
        #expect(issue.id == "r3" && issue.file == inputs.files[0] && issue.reason.hasPrefix("duplicate id"))
        // Not strict, the same parts give every bad record.
        let lenient = try ReadTasks.merge(parts: parts, plan: plan, strict: false)
        #expect(lenient.result.rejected.first == issue)
        #expect(lenient.result.rejected.count == 5)
    }

    @Test func aStrictMergeStopsAtARepairedRecordToo() throws {
        let inputs = Inputs(large: Inputs.large(bad: [100: Fixtures.jsonLine(id: "r100", text: "raw \u{02} byte")]))
        defer { inputs.remove() }
        let (plan, _, parts) = try inputs.runTasks()
        let expected = #expect(throws: ReadError.self) { try ArticleReader(strict: true).read(inputs.files) }
        let merged = #expect(throws: ReadError.self) { try ReadTasks.merge(parts: parts, plan: plan, strict: true) }
        #expect(merged == expected)
        guard case .badRecord(let issue)? = merged else {
            Issue.record("not a bad record: \(String(describing: merged))")
            return
        }
        #expect(issue.id == "r100")
    }

    @Test func partsOfAnotherRunOrTaskAndMissingPartsAreRefused() throws {
        let inputs = Inputs(large: Inputs.large(count: 20))
        defer { inputs.remove() }
        let (plan, _, parts) = try inputs.runTasks(name: "first")
        let (other, _, otherParts) = try inputs.runTasks(name: "second")
        try #require(plan.shards == other.shards && plan.run != other.run)
        // Every part of this run is merged…
        _ = try ReadTasks.merge(parts: parts, plan: plan, strict: false)
        // …but not one of another run, whatever task it is.
        var mixed = parts
        mixed[1] = otherParts[1]
        let foreign = #expect(throws: TaskFailure.self) { try ReadTasks.merge(parts: mixed, plan: plan, strict: false) }
        #expect(foreign?.reason.contains(otherParts[1]) == true)
        #expect(foreign?.reason.contains(plan.run) == true)
        // Nor another task's part of this run.
        var swapped = parts
        swapped.swapAt(0, 1)
        let misplaced = #expect(throws: TaskFailure.self) { try ReadTasks.merge(parts: swapped, plan: plan, strict: false) }
        #expect(misplaced?.reason.contains(parts[1]) == true)
        // A part that is not there.
        var missing = parts
        missing[2] = inputs.directory + "/missing.bin"
        let absent = #expect(throws: SectionFile.Failure.self) { try ReadTasks.merge(parts: missing, plan: plan, strict: false) }
        #expect(absent?.path == missing[2])
        // A part that lacks a section.
        var writer = SectionFile.Writer()
        writer.add("kinds", [UInt8]())
        let hollow = inputs.directory + "/hollow.bin"
        try writer.write(ReadTasks.PartPayload(run: plan.run, task: 0, fileFormat: "jsonl", bytesRead: 0, lines: 0, seconds: 0), to: hollow)
        let lacking = #expect(throws: SectionFile.Failure.self) {
            try ReadTasks.merge(parts: [hollow] + parts.dropFirst(), plan: plan, strict: false)
        }
        #expect(lacking?.path == hollow)
    }

    @Test func aPlanIsReadOnlyWithItsTaskCountAndATaskItHas() throws {
        let inputs = Inputs(large: Inputs.large(count: 5))
        defer { inputs.remove() }
        let path = inputs.directory + "/read.bin"
        let written = try ReadTasks.writePlan(files: inputs.files, tasks: 3, options: ClusterOptions(), to: path)
        let count = written.shards.count
        try #require(count == inputs.files.count)
        let plan = try ReadTasks.plan(at: path, task: count - 1, tasks: count)
        #expect(plan.run == written.run && plan.shards == written.shards && plan.binary == TileTasks.binaryIdentity)
        #expect(try ReadTasks.plan(at: path, task: 0, tasks: nil).run == written.run)
        #expect(throws: TaskFailure(reason: "\(path): the run has \(count) shards, not \(count + 1)")) {
            try ReadTasks.plan(at: path, task: 0, tasks: count + 1)
        }
        #expect(throws: TaskFailure(reason: "\(path): the run has \(count) shards, so there is no task \(count)")) {
            try ReadTasks.plan(at: path, task: count, tasks: count)
        }
        #expect(throws: TaskFailure(reason: "\(path): the run has \(count) shards, so there is no task -1")) {
            try ReadTasks.plan(at: path, task: -1, tasks: nil)
        }
        // A task refuses the same way, and writes nothing.
        let output = inputs.directory + "/read-0.bin"
        #expect(throws: TaskFailure.self) {
            try ReadTasks.runTask(plan: path, task: 0, tasks: count - 1, threads: 1, to: output)
        }
        #expect(!FileManager.default.fileExists(atPath: output))
        // A plan of another build.
        var foreign = written
        foreign.binary = "newscluster 0.0 (another build)"
        try SectionFile.Writer().write(foreign, to: path)
        let refused = #expect(throws: TaskFailure.self) { try ReadTasks.plan(at: path, task: 0, tasks: count) }
        #expect(refused?.reason.contains("another build") == true)
        // Not a plan at all.
        let notAPlan = Fixtures.write("{}", named: "other.bin", in: inputs.directory)
        #expect(throws: SectionFile.Failure.self) { try ReadTasks.plan(at: notAPlan, task: 0, tasks: nil) }
    }
}
