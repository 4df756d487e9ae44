import Foundation
@testable import NewsCluster

// libFuzzer calls this with each input (make fuzz; Tests/Fuzz/README.md). The bytes are a JSONL
// file, read through the path every real input takes; a broken invariant traps, and libFuzzer
// keeps the input that did it.

/// The input goes to one file per process, written again for each run.
private let inputPath: String = {
    let directory = NSTemporaryDirectory() + "newscluster-fuzz-\(getpid())"
    try? FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    atexit { try? FileManager.default.removeItem(atPath: NSTemporaryDirectory() + "newscluster-fuzz-\(getpid())") }
    return directory + "/input.jsonl"
}()

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzJSONLReader(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    do {
        try Data(bytes).write(to: URL(fileURLWithPath: inputPath))
    } catch {
        fatalError("cannot write \(inputPath): \(error)")
    }
    let lines = ExpectedLines(bytes)
    checkLineReader(bytes, against: lines)
    let result: ArticleReader.Result
    do {
        result = try ArticleReader().read([inputPath])
    } catch {
        fatalError("a lenient read threw: \(error)")
    }
    checkEveryLineIsAccountedFor(result, lines)
    checkAcceptedArticles(result, lines)
    checkStrictRead(result)
    for line in lines.nonBlank { checkAgainstFoundation(Array(lines.content[line - 1])) }
    return 0
}

/// The lines of a file as the README describes them, worked out independently of `LineReader`:
/// split at `\n`, a final line without newline kept, a byte-order mark opening any line (files
/// joined with `cat`) and each line's final `\r` left out.
private struct ExpectedLines {
    var content: [ArraySlice<UInt8>] = []
    var offsets: [Int] = []
    /// 1-based numbers of the lines that are not blank (only spaces, tabs and CRs).
    var nonBlank: [Int] = []

    init(_ bytes: [UInt8]) {
        var start = 0
        for index in bytes.indices where bytes[index] == 0x0A || index == bytes.count - 1 {
            let end = bytes[index] == 0x0A ? index : index + 1
            append(bytes[start..<end])
            start = index + 1
        }
        for (number, line) in content.enumerated() where !line.allSatisfy({ $0 == 0x20 || $0 == 0x09 || $0 == 0x0D }) {
            nonBlank.append(number + 1)
        }
    }

    private mutating func append(_ line: ArraySlice<UInt8>) {
        var line = line
        if line.starts(with: [0xEF, 0xBB, 0xBF]) { line = line.dropFirst(3) }
        if line.last == 0x0D { line = line.dropLast() }
        content.append(line)
        offsets.append(line.startIndex)
    }
}

/// Chunks of a few bytes, cutting lines, BOMs and CRLFs anywhere, must give the same lines at
/// the same offsets as the reader's 4 MiB chunks (which `ArticleReader` uses).
private func checkLineReader(_ bytes: [UInt8], against expected: ExpectedLines) {
    for chunkSize in [1 + bytes.count % 7, 64] {
        guard var reader = try? LineReader(path: inputPath, chunkSize: chunkSize) else { fatalError("cannot open") }
        var count = 0
        while let line = try? reader.next() {
            count += 1
            precondition(count <= expected.content.count, "chunk \(chunkSize): more lines than the file has")
            precondition(reader.lineNumber == count)
            precondition(Array(line) == Array(expected.content[count - 1]), "chunk \(chunkSize): line \(count) differs")
            precondition(reader.lineOffset == expected.offsets[count - 1], "chunk \(chunkSize): offset of line \(count)")
        }
        precondition(count == expected.content.count, "chunk \(chunkSize): \(count) lines, expected \(expected.content.count)")
    }
}

/// Each non-blank line is accepted or rejected exactly once; a warning only ever goes with an
/// accepted line; every issue names the file, a real line and a reason.
private func checkEveryLineIsAccountedFor(_ result: ArticleReader.Result, _ lines: ExpectedLines) {
    let accepted = result.articles.map(\.location.line)
    let rejected = result.rejected.map(\.line)
    precondition((accepted + rejected).sorted() == lines.nonBlank, "lines accepted \(accepted), rejected \(rejected), expected \(lines.nonBlank)")
    let warned = result.warnings.map(\.line)
    precondition(Set(warned).count == warned.count && Set(warned).isSubset(of: accepted), "warnings on \(warned)")
    for issue in result.rejected + result.warnings {
        precondition(issue.file == inputPath && !issue.reason.isEmpty)
    }
    precondition(result.files.map(\.records) == [lines.nonBlank.count])
}

/// What an accepted article may hold: a usable id, a text, no stray control characters, and a
/// span that is its line, which reads back to the same text.
private func checkAcceptedArticles(_ result: ArticleReader.Result, _ lines: ExpectedLines) {
    precondition(Set(result.articles.map(\.id)).count == result.articles.count, "duplicate ids accepted")
    let rereader: RecordRereader
    do { rereader = try RecordRereader(files: [inputPath]) } catch { fatalError("\(error)") }
    for article in result.articles {
        precondition(!article.id.allSatisfy(\.isWhitespace), "blank id")
        precondition(ControlCharacters.first(in: article.id) == nil, "control character in id \(article.id.debugDescription)")
        precondition(!article.text.allSatisfy(\.isWhitespace), "blank text")
        for field in [article.text, article.title, article.url, article.source, article.language].compactMap({ $0 }) {
            precondition(ControlCharacters.replacingStray(in: field) == nil, "stray control character in \(field.debugDescription)")
        }
        let line = article.location.line
        guard let span = article.span else { fatalError("no span") }
        precondition(span.offset == lines.offsets[line - 1] && span.length == lines.content[line - 1].count, "span of line \(line)")
        let reread: String
        do { reread = try rereader.text(of: article) } catch { fatalError("reread: \(error)") }
        precondition(reread == article.text, "line \(line) reads back differently")
    }
}

/// `--strict` stops at the first issue in input order, or reads the same as a lenient read.
private func checkStrictRead(_ lenient: ArticleReader.Result) {
    let first = (lenient.rejected + lenient.warnings).min { $0.line < $1.line }
    do {
        let strict = try ArticleReader(strict: true).read([inputPath])
        precondition(first == nil, "strict read passed over \(first!)")
        precondition(strict.articles.map(\.id) == lenient.articles.map(\.id))
    } catch ReadError.badRecord(let issue) {
        precondition(issue == first, "strict stopped at \(issue), not \(String(describing: first))")
    } catch {
        fatalError("strict read threw \(error)")
    }
}

/// Foundation's `JSONSerialization` as a second opinion on strict JSON. Where both parse a line
/// as an object they must agree on its strings, and neither may call malformed a line that the
/// other reads, except where one of them departs from RFC 8259 on purpose: this reader repairs
/// raw control bytes, invalid UTF-8 and lone surrogates, and rejects a field given twice;
/// Foundation takes trailing commas and a byte-order mark, reads bytes with NULs as UTF-16 or
/// UTF-32, drops a U+FEFF that opens a string or follows an escape (as if it were a byte-order
/// mark), and rejects numbers beyond `Double`.
private func checkAgainstFoundation(_ line: [UInt8]) {
    let ours = JSONRecord.decode(line[...])
    let text = String(decoding: line, as: UTF8.self)
    let foundation: Any?
    var foundationRefusesNumber = false
    do {
        foundation = try JSONSerialization.jsonObject(with: Data(line), options: [.fragmentsAllowed])
    } catch {
        foundation = nil
        foundationRefusesNumber = "\(error)".contains("is not representable")
    }
    switch (ours, foundation) {
    case (.success(let record), let object?):
        guard let object = object as? [String: Any] else { fatalError("Foundation reads a non-object: \(text.debugDescription)") }
        if record.hadLoneSurrogates || record.hadInvalidUTF8 { return }
        for (field, value) in record.fields {
            guard case .string(let string) = value else { continue }
            let theirs = (object[field.rawValue] as? String).map(withoutFEFF)
            precondition(theirs == withoutFEFF(string),
                         "\(field): \(string.debugDescription) here, \(String(describing: theirs)) in Foundation")
        }
    case (.success(let record), nil):
        let repaired = record.hadUnescapedControlCharacters || record.hadInvalidUTF8 || record.hadLoneSurrogates
            || line.contains { $0 < 0x20 } || String(validating: line, as: UTF8.self) == nil || hasLoneSurrogateEscape(text)
        precondition(repaired || foundationRefusesNumber, "accepted what Foundation calls malformed: \(text.debugDescription)")
    case (.failure(let rejection), _?):
        let strictOnPurpose = !rejection.reason.hasPrefix("malformed JSON") || rejection.reason.hasSuffix("given twice")
        let foundationLenient = line.starts(with: [0xEF, 0xBB, 0xBF]) || line.contains(0)
            || text.range(of: #",[ \t\r\n]*[\]}]"#, options: .regularExpression) != nil
        precondition(strictOnPurpose || foundationLenient, "\(rejection.reason) for what Foundation reads: \(text.debugDescription)")
    case (.failure, nil):
        break
    }
}

private func withoutFEFF(_ text: String) -> String {
    String(String.UnicodeScalarView(text.unicodeScalars.filter { $0 != "\u{FEFF}" }))
}

private func hasLoneSurrogateEscape(_ text: String) -> Bool {
    text.range(of: #"\\u[dD][89a-fA-F]"#, options: .regularExpression) != nil
}
