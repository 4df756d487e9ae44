import Foundation

/// Reads JSONL files (plain, gzip or zstd; from a file, a pipe or standard input) and
/// directories into articles. Every record ends up either accepted
/// (possibly with a warning, when it had to be repaired) or rejected with file, line and
/// reason; nothing is dropped silently.
package struct ArticleReader {
    struct InputFile: Sendable, Codable, Equatable {
        var path: String
        /// `jsonl`, `txt`, `jsonl+gzip`, `jsonl+zstd`; a pipe adds ` (pipe)`, standard input
        /// ` (stdin)`.
        var format: String
        /// Bytes read from the input: compressed ones for a compressed file.
        var bytes: Int
        var records: Int
    }

    package struct Result: Sendable {
        package var articles: [Article] = []
        var rejected: [RecordIssue] = []
        var warnings: [RecordIssue] = []
        var files: [InputFile] = []
        /// Records seen: accepted plus rejected.
        var recordsRead: Int { articles.count + rejected.count }
        /// The text of each input read with `spoolsForRereading` that `RecordRereader` cannot
        /// read by offset itself, by path.
        var spools: [String: Spool] = [:]
    }

    /// With `strict`, the first rejected or repaired record stops the read with
    /// `ReadError.badRecord`.
    var strict: Bool
    /// Threads that decode JSON lines.
    var threads: Int
    /// A record whose bytes hash (`ByteHash`) to a value this knows is taken as the article it
    /// returns, without being decoded (a nightly state's unchanged records; their text is not
    /// read). With it, every record's span carries its hash.
    var known: (@Sendable (UInt64) -> Article?)?
    /// Whether the text of an input that cannot be read again by offset (a pipe, standard
    /// input, a compressed file) is copied to a `Spool` as it is read, for a run that reads
    /// texts again (`RecordRereader`). Plain regular files are never copied.
    var spoolsForRereading: Bool

    package init(strict: Bool = false, threads: Int = 1, known: (@Sendable (UInt64) -> Article?)? = nil,
                spoolsForRereading: Bool = false) {
        self.strict = strict
        self.threads = threads
        self.known = known
        self.spoolsForRereading = spoolsForRereading
    }

    /// Names of directory entries that are input: JSONL, plain or compressed, and text files.
    static let inputSuffixes = [".jsonl", ".jsonl.gz", ".jsonl.zst", ".jsonl.zstd", ".txt"]

    /// The files an input path stands for: `-` (standard input), a file itself (also a FIFO or
    /// `/dev/fd/63`), or a directory's `.jsonl` (also `.jsonl.gz`, `.jsonl.zst`, `.jsonl.zstd`)
    /// and `.txt` files in name order (other files, such as `gold.tsv` or `README.md`, are not
    /// input).
    ///
    /// - Throws: `ReadError.unreadable` for a path that does not exist or cannot be read, and
    ///   for a directory without input files, which would otherwise give empty reports.
    static func expand(_ path: String) throws -> [String] {
        if path == ByteSource.standardInput { return [path] }
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw ReadError.unreadable(path: path, reason: "no such file or directory")
        }
        guard isDirectory.boolValue else {
            guard FileManager.default.isReadableFile(atPath: path) else {
                throw ReadError.unreadable(path: path, reason: "permission denied")
            }
            return [path]
        }
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: path)
        } catch {
            throw ReadError.unreadable(path: path, reason: "cannot list the directory")
        }
        let base = path.hasSuffix("/") ? path : path + "/"
        let files = names.filter { name in
            var isSubdirectory: ObjCBool = false
            return inputSuffixes.contains(where: name.hasSuffix)
                && FileManager.default.fileExists(atPath: base + name, isDirectory: &isSubdirectory)
                && !isSubdirectory.boolValue
        }
        .sorted(by: { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) })
        .map { base + $0 }
        guard !files.isEmpty else {
            throw ReadError.unreadable(
                path: path, reason: "no input files in the directory (.jsonl, .jsonl.gz, .jsonl.zst or .txt)")
        }
        return files
    }

    /// Reads every record of `inputs`. `eachBatch` sees the articles accepted from each batch of
    /// lines, in input order, as soon as they are decoded: a caller that does not keep every text
    /// takes what it needs of them there and may empty them.
    package func read(
        _ inputs: [String], eachBatch: (inout ArraySlice<Article>) throws -> Void = { _ in }
    ) throws -> Result {
        let files = try inputs.flatMap(Self.expand)
        var state = State(strict: strict)
        for file in files {
            let before = state.result.recordsRead
            let format: String, bytes: Int
            if file.hasSuffix(".txt") {
                let first = state.result.articles.count
                try readText(file, into: &state)
                try eachBatch(&state.result.articles[first...])
                format = "txt"
                bytes = (try? FileManager.default.attributesOfItem(atPath: file)[.size] as? Int) ?? 0
            } else {
                (format, bytes, _) = try readLines(file, into: &state, eachBatch: eachBatch)
            }
            state.result.files.append(InputFile(
                path: file, format: format, bytes: bytes,
                records: state.result.recordsRead - before))
        }
        return state.result
    }

    /// What a read met, record by record, in input order: the judge of duplicate ids and of
    /// `--strict`.
    struct State {
        let strict: Bool
        var result = Result()
        var firstSeen: [String: RecordLocation] = [:]
        /// A shard's read (`ReadTasks`) only records what it met, in order, for the run to
        /// judge once with every shard's records: it checks no id and stops at nothing.
        var events: [ShardEvent]?

        init(strict: Bool, recordsEvents: Bool = false) {
            self.strict = strict
            events = recordsEvents ? [] : nil
        }

        mutating func reject(_ location: RecordLocation, id: String?, _ reason: String) throws {
            let issue = RecordIssue(location: location, id: id, reason: reason)
            if events != nil {
                events!.append(.rejected(issue))
                return
            }
            if strict { throw ReadError.badRecord(issue) }
            result.rejected.append(issue)
        }

        mutating func warn(_ location: RecordLocation, id: String?, _ reason: String) throws {
            let issue = RecordIssue(location: location, id: id, reason: reason)
            if strict { throw ReadError.badRecord(issue) }
            result.warnings.append(issue)
        }

        /// Accepts `article` unless its id was seen before; `repairs` become a warning only
        /// for an accepted record.
        mutating func accept(_ article: Article, repairs: [String] = []) throws {
            if events != nil {
                events!.append(.accepted(repairs: repairs.joined(separator: "; ")))
                result.articles.append(article)
                return
            }
            if let first = firstSeen[article.id] {
                try reject(article.location, id: article.id, "duplicate id (first seen at \(first))")
                return
            }
            if !repairs.isEmpty {
                try warn(article.location, id: article.id, repairs.joined(separator: "; "))
            }
            firstSeen[article.id] = article.location
            result.articles.append(article)
        }
    }

    /// Reads the records of one JSONL input; returns its format as `run.json` names it and the
    /// bytes read from it. A compressed input that breaks off keeps the records before the
    /// break, and the break is a rejected record of its own.
    ///
    /// With `lines`, reads only the lines that start in that byte range of a plain file (a
    /// shard of it), numbered from 1 at the first of them; returns how many those are.
    func readLines(
        _ path: String, lines range: Range<Int>? = nil, into state: inout State,
        eachBatch: (inout ArraySlice<Article>) throws -> Void
    ) throws -> (format: String, bytes: Int, lines: Int) {
        // A shard after the first starts with the first line that begins in it: read from the
        // byte before, and the first line read is the end of a line of the shard before (or
        // the empty line that byte ends).
        let startOffset = max(0, (range?.lowerBound ?? 0) - 1)
        let source = try range == nil ? ByteSource(path: path) : ByteSource(path: path, plainFrom: startOffset)
        // A path given twice keeps its first spool: the records accepted from it are those of
        // its first read (a second read of a file gives only duplicate ids; of `-`, nothing).
        if spoolsForRereading && !source.isRereadableByOffset && state.result.spools[path] == nil {
            let spool = try Spool()
            source.spool = spool
            state.result.spools[path] = spool
        }
        var reader = LineReader(source: source, startOffset: startOffset)
        let skipped = (range?.lowerBound ?? 0) > 0 ? (try reader.next() == nil ? 0 : 1) : 0
        // Lines are decoded in parallel batches, then judged in input order, so duplicate ids,
        // `--strict` and the rejected list behave exactly as a line-by-line read.
        var batch: [(line: Int, offset: Int, bytes: ArraySlice<UInt8>)] = []
        func flush() throws {
            let decoded = Parallel.map(count: batch.count, threads: threads) { index -> Decoded in
                let (line, offset, bytes) = batch[index]
                let location = RecordLocation(file: path, line: line)
                var span = RecordSpan(offset: offset, length: bytes.count)
                if let known {
                    span.hash = ByteHash.hash(bytes)
                    if var article = known(span.hash) {
                        article.location = location
                        article.span = span
                        return .accepted(article, repairs: [])
                    }
                }
                return Self.decode(bytes, at: location, span: span)
            }
            let first = state.result.articles.count
            for (entry, outcome) in zip(batch, decoded) {
                let location = RecordLocation(file: path, line: entry.line)
                switch outcome {
                case .rejected(let id, let reason): try state.reject(location, id: id, reason)
                case .accepted(let article, let repairs): try state.accept(article, repairs: repairs)
                }
            }
            batch.removeAll(keepingCapacity: true)
            try eachBatch(&state.result.articles[first...])
        }
        var batchBytes = 0
        var lines = 0
        do {
            while let line = try reader.next() {
                if let range, reader.lineStart >= range.upperBound { break }
                lines += 1
                // Nothing but JSON's whitespace: a blank line, counted but not a record.
                if line.allSatisfy({ $0 == 0x20 || $0 == 0x09 || $0 == 0x0D }) { continue }
                batch.append((reader.lineNumber - skipped, reader.lineOffset, line))
                batchBytes += line.count
                if batch.count == Self.batchSize || batchBytes >= Self.batchBytes {
                    try flush()
                    batchBytes = 0
                }
            }
            try flush()
        } catch let broken as ByteSource.BrokenStream {
            try flush()
            let line = reader.lineNumber
            try state.reject(RecordLocation(file: path, line: line + 1), id: nil,
                             "\(broken.description) after line \(line)")
        }
        var format = "jsonl" + (source.compression.map { "+\($0.rawValue)" } ?? "")
        if path == ByteSource.standardInput {
            format += " (stdin)"
        } else if !source.isRegularFile {
            format += " (pipe)"
        }
        return (format, source.bytesRead, lines)
    }

    static let batchSize = 4096
    /// A batch also ends at this many bytes of lines: with large records a caller that lets
    /// each batch's texts go holds a bounded amount of input, not 4,096 records' worth.
    static let batchBytes = 32 << 20

    enum Decoded {
        case accepted(Article, repairs: [String])
        case rejected(id: String?, reason: String)
    }

    /// One JSONL line to an article or a rejection (with the repairs made on the way).
    static func decode(_ line: ArraySlice<UInt8>, at location: RecordLocation, span: RecordSpan? = nil) -> Decoded {
        let record: JSONRecord
        switch JSONRecord.decode(line) {
        case .success(let decoded): record = decoded
        case .failure(let rejection): return .rejected(id: nil, reason: rejection.reason)
        }
        var repairs: [String] = []
        if record.hadInvalidUTF8 {
            repairs.append("invalid UTF-8 replaced with U+FFFD")
        }
        if record.hadUnescapedControlCharacters {
            repairs.append("unescaped control characters in a string read as escaped")
        }
        if record.hadLoneSurrogates {
            repairs.append("lone surrogate escapes replaced with U+FFFD")
        }
        switch article(from: record, at: location) {
        case .failure(let rejection): return .rejected(id: idText(record), reason: rejection.reason)
        case .success(let (decoded, fieldWarnings)):
            var article = decoded
            article.span = span
            return .accepted(article, repairs: repairs + fieldWarnings)
        }
    }

    private static func idText(_ record: JSONRecord) -> String? {
        switch record.fields[.id] {
        case .string(let text), .number(let text): return text
        default: return nil
        }
    }

    /// Validates the fields of a decoded record; warnings list repairs of optional fields.
    static func article(
        from record: JSONRecord, at location: RecordLocation
    ) -> Swift.Result<(Article, [String]), Rejection> {
        var warnings: [String] = []
        let id: String
        switch record.fields[.id] {
        case nil: return .failure(Rejection("missing id"))
        case .string(let text):
            guard !text.allSatisfy(\.isWhitespace) else { return .failure(Rejection("empty id")) }
            // An id is a key in every report and in gold.tsv: a control character, a tab or a
            // line break in it cannot be repaired without possibly making it another article's.
            if record.controls[.id] != nil, let control = ControlCharacters.first(in: text) {
                return .failure(Rejection("id contains control character \(control)"))
            }
            id = text
        case .number(let text):
            id = text
            warnings.append("id is a number; used as the string \"\(text)\"")
        case .other(let kind): return .failure(Rejection("id is \(kind), not a string"))
        }
        // Stray control characters become spaces, before a text that held nothing else is
        // found empty.
        var withoutControls: [String] = []
        func withoutStrayControls(_ value: String, of field: JSONRecord.Field) -> String {
            guard record.controls[field]?.contains(.other) == true,
                  let replaced = ControlCharacters.replacingStray(in: value) else { return value }
            withoutControls.append(field.rawValue)
            return replaced
        }
        let text: String
        switch record.fields[.text] {
        case nil: return .failure(Rejection("missing text"))
        case .string(let value):
            let value = withoutStrayControls(value, of: .text)
            guard !value.allSatisfy(\.isWhitespace) else { return .failure(Rejection("empty text")) }
            text = value
        case .number: return .failure(Rejection("text is a number, not a string"))
        case .other(let kind): return .failure(Rejection("text is \(kind), not a string"))
        }
        func optional(_ field: JSONRecord.Field) -> String? {
            switch record.fields[field] {
            case nil: return nil
            case .string(let value): return withoutStrayControls(value, of: field)
            case .number(let value): return value
            case .other(let kind):
                warnings.append("\(field.rawValue) is \(kind); ignored")
                return nil
            }
        }
        let title = optional(.title), url = optional(.url), source = optional(.source)
        let language = optional(.language), publishedText = optional(.published)
        if !withoutControls.isEmpty {
            warnings.append("control characters replaced with spaces in \(withoutControls.joined(separator: ", "))")
        }
        var published: Double?
        if let publishedText, !publishedText.isEmpty {
            published = PublishedDate.parse(publishedText)
            if published == nil {
                warnings.append("published \"\(publishedText.prefix(40))\" is not an ISO 8601 date; ignored")
            }
        }
        let article = Article(
            id: id, title: title ?? "", text: text, url: url, source: source, published: published,
            publishedText: published == nil ? nil : publishedText, language: language, location: location)
        return .success((article, warnings))
    }

    /// A `.txt` file is one article: the first non-empty line is the title, the rest the text,
    /// the file name without `.txt` the id.
    func readText(_ path: String, into state: inout State) throws {
        let (decoded, location) = try Self.decodeTextFile(path)
        switch decoded {
        case .rejected(let id, let reason): try state.reject(location, id: id, reason)
        case .accepted(let article, let repairs): try state.accept(article, repairs: repairs)
        }
    }

    /// A `.txt` file as one article, or why not, with the line the rejection is about.
    static func decodeTextFile(_ path: String) throws -> (Decoded, RecordLocation) {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ReadError.unreadable(path: path, reason: "cannot read the file")
        }
        let location = RecordLocation(file: path, line: 1)
        var bytes = [UInt8](data)
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes.removeFirst(3) }
        let validated = String(validating: bytes, as: UTF8.self)
        var content = validated ?? String(decoding: bytes, as: UTF8.self)
        let id = String(((path as NSString).lastPathComponent as NSString).deletingPathExtension)
        if let control = ControlCharacters.first(in: id) {
            return (.rejected(id: id, reason: "id contains control character \(control)"), location)
        }
        var repairs = validated == nil ? ["invalid UTF-8 replaced with U+FFFD"] : []
        // As in a JSONL record, and before the title line is looked for: a line of NULs is empty.
        if let replaced = ControlCharacters.replacingStray(in: content) {
            content = replaced
            repairs.append("control characters replaced with spaces")
        }
        let lines = content.split(separator: "\n", omittingEmptySubsequences: false)
        guard let titleIndex = lines.firstIndex(where: { !$0.allSatisfy(\.isWhitespace) }) else {
            return (.rejected(id: id, reason: "empty file"), location)
        }
        let title = lines[titleIndex].trimmingCharacters(in: .whitespacesAndNewlines)
        let text = lines[(titleIndex + 1)...].joined(separator: "\n")
            .trimmingCharacters(in: .whitespacesAndNewlines)
        guard !text.isEmpty else {
            return (.rejected(id: id, reason: "no text after the title line"),
                    RecordLocation(file: path, line: titleIndex + 1))
        }
        return (.accepted(Article(id: id, title: title, text: text, location: location), repairs: repairs), location)
    }
}
