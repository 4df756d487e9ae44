/// Where a record came from, for error messages and the rejected list.
public struct RecordLocation: Sendable, Hashable, Codable, CustomStringConvertible {
    public var file: String
    public var line: Int

    public init(file: String, line: Int) {
        self.file = file
        self.line = line
    }

    public var description: String { "\(file):\(line)" }
}

/// One accepted input record.
public struct Article: Sendable, Codable {
    public var id: String
    public var title: String
    public var text: String
    public var url: String?
    public var source: String?
    /// Seconds since 1970-01-01T00:00:00Z, when `published` parsed.
    public var published: Double?
    /// The `published` value exactly as given, echoed in reports.
    public var publishedText: String?
    public var language: String?
    public var location: RecordLocation
    /// Where the record's bytes lie in its JSONL file (nil for a `.txt` file, which is one
    /// article): a run that does not hold every text in memory reads the text again from there.
    public var span: RecordSpan?

    public init(
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
public struct RecordSpan: Sendable, Hashable, Codable {
    public var offset: Int
    public var length: Int
    /// Hash of those bytes (`ByteHash`) when the read was asked for it (a nightly state), else 0.
    public var hash: UInt64

    public init(offset: Int, length: Int, hash: UInt64 = 0) {
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

    public init(location: RecordLocation, id: String? = nil, reason: String) {
        self.file = location.file
        self.line = location.line
        self.id = id
        self.reason = reason
    }

    public var location: RecordLocation { RecordLocation(file: file, line: line) }
}
