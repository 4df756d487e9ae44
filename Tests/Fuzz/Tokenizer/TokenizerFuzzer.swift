@testable import NewsCluster

// libFuzzer calls this with each input (make fuzz; Tests/Fuzz/README.md). The bytes go to the
// tokenizer raw (as its byte scanner would see a broken buffer) and as the `String` the
// pipeline gives it; a broken invariant traps, and libFuzzer keeps the input that did it.

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzTokenizer(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let bytes = UnsafeBufferPointer(start: data, count: size)
    let raw = tokens(scanning: bytes)
    check(raw, inputScalars: size)
    precondition(tokens(scanning: bytes).tokens == raw.tokens, "two scans of the same bytes differ")

    let text = String(decoding: bytes, as: UTF8.self)
    var scripts = Tokenizer.ScriptCounts()
    var fromString: [Token] = []
    Tokenizer().forEachToken(in: text, scripts: &scripts, withCasing: { hash, token, casing in
        fromString.append(Token(hash: hash, bytes: Array(token), casing: casing))
    })
    check((fromString, scripts), inputScalars: text.unicodeScalars.count)
    if String(validating: bytes, as: UTF8.self) != nil {
        precondition(fromString == raw.tokens, "a valid string tokenizes unlike its bytes")
    }

    // A substring, cut at scalar boundaries, tokenizes as a copy of it would.
    let scalars = text.unicodeScalars
    let cut = size == 0 ? 0 : Int(bytes[0]) % (scalars.count + 1)
    let start = scalars.index(scalars.startIndex, offsetBy: cut / 2)
    let end = scalars.index(start, offsetBy: (scalars.count - cut / 2) / 2)
    let part = text[start..<end]
    var partScripts = Tokenizer.ScriptCounts(), copyScripts = Tokenizer.ScriptCounts()
    var partTokens: [[UInt8]] = [], copyTokens: [[UInt8]] = []
    Tokenizer().forEachToken(in: part, scripts: &partScripts) { _, token in partTokens.append(Array(token)) }
    Tokenizer().forEachToken(in: String(part), scripts: &copyScripts) { _, token in copyTokens.append(Array(token)) }
    precondition(partTokens == copyTokens && partScripts == copyScripts, "a substring tokenizes unlike its copy")
    return 0
}

private struct Token: Equatable {
    var hash: UInt64
    var bytes: [UInt8]
    var casing: Tokenizer.Casing
}

private func tokens(scanning bytes: UnsafeBufferPointer<UInt8>) -> (tokens: [Token], scripts: Tokenizer.ScriptCounts) {
    var scripts = Tokenizer.ScriptCounts()
    var result: [Token] = []
    Tokenizer.scan(bytes, scripts: &scripts) { hash, token, casing in
        result.append(Token(hash: hash, bytes: Array(token), casing: casing))
    }
    return (result, scripts)
}

/// What every token must be: valid UTF-8 of two scalars or more, within the length limit, its
/// hash the hash of its bytes, made of word characters (with inner `'` and `.` between digits),
/// and numeric exactly when it starts with a digit. Script counts cannot exceed the scalars.
private func check(_ scan: (tokens: [Token], scripts: Tokenizer.ScriptCounts), inputScalars: Int) {
    let (tokens, scripts) = scan
    precondition(tokens.count <= inputScalars, "\(tokens.count) tokens from \(inputScalars) scalars")
    precondition(scripts.latin >= 0 && scripts.cyrillic >= 0 && scripts.other >= 0)
    precondition(scripts.latin + scripts.cyrillic + scripts.other <= inputScalars, "script counts \(scripts)")
    for token in tokens {
        precondition(!token.bytes.isEmpty && token.bytes.count <= Tokenizer.maximumTokenBytes, "token of \(token.bytes.count) bytes")
        guard let text = String(validating: token.bytes, as: UTF8.self) else { fatalError("token \(token.bytes) is not UTF-8") }
        let hash = token.bytes.withUnsafeBufferPointer(Tokenizer.hash)
        precondition(hash == token.hash, "hash of \(text.debugDescription)")
        let scalars = Array(text.unicodeScalars)
        precondition(scalars.count >= 2, "one-scalar token \(text.debugDescription)")
        precondition(Tokenizer.isCJK(scalars[0].value) == Tokenizer.isCJK(scalars[1].value), "mixed CJK token \(text.debugDescription)")
        for (index, scalar) in scalars.enumerated() {
            let isJoiner = scalar == "'" || scalar == "."
            let isInner = index > 0 && index < scalars.count - 1
            precondition(CaseFolding.classify(scalar.value).1 == .wordCharacter || Tokenizer.isCJK(scalar.value)
                         || (isJoiner && isInner), "separator \(scalar.debugDescription) in \(text.debugDescription)")
        }
        precondition(token.casing.contains(.numeric) == (scalars[0].value >= 0x30 && scalars[0].value <= 0x39),
                     "numeric flag of \(text.debugDescription)")
    }
}
