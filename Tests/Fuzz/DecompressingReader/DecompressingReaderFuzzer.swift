import Foundation
@testable import NewsCluster

// libFuzzer calls this with each input (make fuzz; Tests/Fuzz/README.md). The first byte chooses
// what the rest is: raw bytes written as the file (the seeds are gzip and zstd files, which
// libFuzzer mutates into broken streams), or a JSONL text that is compressed here and then cut
// or damaged. A broken invariant traps, and libFuzzer keeps the input that did it.

/// The input goes to files per process, written again for each run.
private let directory: String = {
    let directory = NSTemporaryDirectory() + "newscluster-fuzz-decompressing-\(getpid())"
    try? FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    atexit { try? FileManager.default.removeItem(atPath: NSTemporaryDirectory() + "newscluster-fuzz-decompressing-\(getpid())") }
    return directory
}()
private let inputPath = directory + "/input.jsonl.gz"
private let plainPath = directory + "/plain.jsonl"

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzDecompressingReader(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    guard let mode = bytes.first else { return 0 }
    let body = Array(bytes.dropFirst())
    if mode & 1 == 0 {
        write(body, to: inputPath)
        let text = checkChunkSizesAgree()
        checkArticleReader(decompressed: text, whole: nil)
    } else {
        // A text compressed here, then cut (bit 2) or damaged (bit 3) at a place that the
        // second byte picks.
        let format: Decompressor.Format = mode & 2 == 0 ? .gzip : .zstd
        var compressed = Decompressor.compress(body, as: format, level: 1)
        let place = Int(body.first ?? 0) * compressed.count / 256
        let cut = mode & 4 != 0, damaged = mode & 8 != 0
        if cut { compressed = Array(compressed.prefix(place)) }
        if damaged, place < compressed.count { compressed[place] ^= mode | 1 }
        write(compressed, to: inputPath)
        write(body, to: plainPath)
        let text = checkChunkSizesAgree()
        // A cut or a damaged magic number leaves a file that is not compressed at all.
        let compressedStill = (try? ByteSource(path: inputPath))?.compression == format
        precondition(body.starts(with: text.bytes) || damaged || !compressedStill, "decompressed bytes are not the text's")
        if !cut && !damaged {
            precondition(text.bytes == body && text.broken == nil, "an intact stream did not read whole")
        }
        // A text that opens with a magic number is itself compressed, as a file: decompression
        // goes one level deep, so the text's own file reads otherwise.
        let plainAsText = Decompressor.Format.detect(body) == nil
        checkArticleReader(decompressed: text, whole: cut || damaged || !plainAsText ? nil : body)
    }
    return 0
}

private func write(_ bytes: [UInt8], to path: String) {
    do { try Data(bytes).write(to: URL(fileURLWithPath: path)) } catch { fatalError("cannot write \(path): \(error)") }
}

/// What `ByteSource` hands out of the input in chunks of a mebibyte, as `ArticleReader` reads,
/// and how it ends. Smaller chunks break too, and before the break give the same bytes, except
/// where libzstd's output depends on the room it is given: it may hand out more of a frame that
/// then fails its checksum (decoded block by block through its own buffer, not straight into
/// ours), and its message for a corrupt frame may differ ("Data corruption detected",
/// "Destination buffer is too small").
private func checkChunkSizesAgree() -> (bytes: [UInt8], broken: ByteSource.BrokenStream?) {
    var first: (bytes: [UInt8], broken: ByteSource.BrokenStream?)?
    for chunk in [1 << 20, 7, 1] {
        let source: ByteSource
        do { source = try ByteSource(path: inputPath) } catch { fatalError("cannot open: \(error)") }
        var bytes: [UInt8] = []
        var broken: ByteSource.BrokenStream?
        do {
            while try source.read(appendingTo: &bytes, maximum: chunk) > 0 {}
        } catch let error as ByteSource.BrokenStream {
            precondition(source.compression == error.format, "a \(error.format) break in a \(String(describing: source.compression)) input")
            broken = error
        } catch {
            fatalError("a read threw \(error)")
        }
        if let first {
            if broken?.format == .zstd {
                precondition(first.broken?.format == .zstd, "chunks of \(chunk) break where a mebibyte does not")
            } else {
                precondition(broken == first.broken, "chunks of \(chunk) break otherwise")
            }
            precondition(bytes == first.bytes || (broken != nil && bytes.starts(with: first.bytes)),
                         "chunks of \(chunk) read otherwise")
        } else {
            first = (bytes, broken)
        }
    }
    return first!
}

/// Every line of the decompressed text before a break is accepted or rejected once, the break
/// is the last rejected record at the line after them, `--strict` stops at the first issue, and
/// every accepted article reads back from the spool. An intact stream reads as its text.
private func checkArticleReader(decompressed: (bytes: [UInt8], broken: ByteSource.BrokenStream?), whole: [UInt8]?) {
    let result: ArticleReader.Result
    do { result = try ArticleReader(spoolsForRereading: true).read([inputPath]) } catch { fatalError("a lenient read threw \(error)") }
    // Complete lines only: the bytes after the last newline of a broken text are the break.
    var text = decompressed.bytes
    if decompressed.broken != nil, let newline = text.lastIndex(of: 0x0A) {
        text = Array(text[...newline])
    } else if decompressed.broken != nil {
        text = []
    }
    let lines = text.split(separator: 0x0A, omittingEmptySubsequences: false)
    let count = text.last == 0x0A ? lines.count - 1 : (text.isEmpty ? 0 : lines.count)
    var issues = result.rejected
    if let broken = decompressed.broken {
        let last = issues.popLast()
        precondition(last?.line == count + 1 && last?.reason == "\(broken.description) after line \(count)",
                     "the break is not the last rejection: \(String(describing: last)), \(count) lines")
    }
    let accounted = (result.articles.map(\.location.line) + issues.map(\.line)).sorted()
    precondition(Set(accounted).count == accounted.count && accounted.allSatisfy { $0 >= 1 && $0 <= count },
                 "lines accepted or rejected outside the text: \(accounted), \(count) lines")
    let rereader: RecordRereader
    do { rereader = try RecordRereader(files: result.files.map(\.path), spools: result.spools) } catch { fatalError("\(error)") }
    for article in result.articles {
        let reread: String
        do { reread = try rereader.text(of: article) } catch { fatalError("reread of line \(article.location.line): \(error)") }
        precondition(reread == article.text, "line \(article.location.line) reads back differently")
    }
    let first = (result.rejected + result.warnings).min { $0.line < $1.line }
    do {
        let strict = try ArticleReader(strict: true).read([inputPath])
        precondition(first == nil, "strict read passed over \(first!)")
        precondition(strict.articles.map(\.id) == result.articles.map(\.id))
    } catch ReadError.badRecord(let issue) {
        precondition(issue == first, "strict stopped at \(issue), not \(String(describing: first))")
    } catch {
        fatalError("strict read threw \(error)")
    }
    if let whole {
        let plain: ArticleReader.Result
        do { plain = try ArticleReader().read([plainPath]) } catch { fatalError("the plain read threw \(error)") }
        precondition(plain.articles.map(\.id) == result.articles.map(\.id)
                     && plain.articles.map(\.text) == result.articles.map(\.text)
                     && plain.rejected.map(\.line) == result.rejected.map(\.line),
                     "the compressed file reads otherwise than its text")
        precondition(whole == decompressed.bytes)
    }
}
