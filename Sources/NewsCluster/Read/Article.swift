/// Where a record came from, for error messages and the rejected list.
public struct RecordLocation: Sendable, Hashable, Codable, CustomStringConvertible {
    public var file: String
    public var line: Int

    init(file: String, line: Int) {
        self.file = file
        self.line = line
    }

    public var description: String { "\(file):\(line)" }
}

/// One accepted input record.
package struct Article: Sendable, Codable {
    var id: String
    package var title: String
    package var text: String
    var url: String?
    var source: String?
    /// Seconds since 1970-01-01T00:00:00Z, when `published` parsed.
    var published: Double?
    /// The `published` value exactly as given, echoed in reports.
    var publishedText: String?
    var language: String?
    var location: RecordLocation
    /// Where the record's bytes lie in its JSONL file (nil for a `.txt` file, which is one
    /// article): a run that does not hold every text in memory reads the text again from there.
    var span: RecordSpan?

    init(
        id: String, title: String = "", text: String, url: String? = nil, source: String? = nil,
        published: Double? = nil, publishedText: String? = nil, language: String? = nil,
        location: RecordLocation = RecordLocation(file: "-", line: 0)
    ) {
        self.id = id
        self.title = title
        self.text = text
        self.url = url
        self.source = source
        self.published = published
        self.publishedText = publishedText
        self.language = language
        self.location = location
    }
}

/// A record's bytes in its file: from `offset`, `length` bytes, without the line terminator.
struct RecordSpan: Sendable, Hashable, Codable {
    var offset: Int
    var length: Int
    /// Hash of those bytes (`ByteHash`) when the read was asked for it (a nightly state), else 0.
    var hash: UInt64

    init(offset: Int, length: Int, hash: UInt64 = 0) {
        self.offset = offset
        self.length = length
        self.hash = hash
    }
}

/// A record that was rejected, or accepted with a repair, and why.
public struct RecordIssue: Sendable, Codable, Equatable {
    public var file: String
    public var line: Int
    public var id: String?
    public var reason: String

    init(location: RecordLocation, id: String? = nil, reason: String) {
        self.file = location.file
        self.line = location.line
        self.id = id
        self.reason = reason
    }

    var location: RecordLocation { RecordLocation(file: file, line: line) }
}
