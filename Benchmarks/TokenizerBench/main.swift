// Measures the tokenizer alone, on one core: the texts of a JSONL corpus are loaded first, then
// tokenized several times; prints MB/s (UTF-8 bytes of text per second) as JSON.
//
//     tokenizer-bench CORPUS.jsonl [--repeat N]
import Foundation
import NewsCluster

let arguments = CommandLine.arguments
guard arguments.count >= 2 else {
    FileHandle.standardError.write(Data("usage: tokenizer-bench CORPUS.jsonl [--repeat N]\n".utf8))
    exit(64)
}
let repeats = arguments.firstIndex(of: "--repeat").flatMap { Int(arguments[$0 + 1]) } ?? 3
let read = try ArticleReader().read([arguments[1]])
let texts = read.articles.map { $0.title + "\n" + $0.text }
let bytes = texts.reduce(0) { $0 + $1.utf8.count }
let tokenizer = Tokenizer()
var best = Double.infinity
var tokens = 0
var checksum: UInt64 = 0
for _ in 0..<repeats {
    tokens = 0
    checksum = 0
    let start = DispatchTime.now().uptimeNanoseconds
    for text in texts {
        var scripts = Tokenizer.ScriptCounts()
        tokenizer.forEachToken(in: text, scripts: &scripts) { hash, _, casing in
            tokens += 1
            // Order-sensitive, so that a faster tokenizer can be checked token for token.
            checksum = (checksum ^ hash ^ UInt64(casing.rawValue) << 56) &* 0x100_0000_01b3
        }
        checksum = (checksum ^ UInt64(scripts.latin) ^ UInt64(scripts.cyrillic) << 21 ^ UInt64(scripts.other) << 42) &* 0x100_0000_01b3
    }
    best = min(best, Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
}
let megabytes = Double(bytes) / 1e6
print(#"{"articles": \#(texts.count), "megabytes": \#(megabytes), "tokens": \#(tokens), "seconds": \#(best), "megabytes_per_second": \#(megabytes / best), "checksum": "\#(String(checksum, radix: 16))"}"#)
