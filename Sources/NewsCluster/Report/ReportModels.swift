/// The JSON shapes of the reports (see README "Output"). Field order in the files is
/// alphabetical (`sortedKeys`), which keeps the output byte-identical from run to run.

/// The version of the reports' format that every report carries as `schema` (each line of
/// `articles.jsonl`, each JSON file, a `meta` tag of the page). It goes up when a field changes
/// meaning or goes away; a new field may appear without it.
enum ReportSchema {
    static let version = 1
}

struct ArticleLine: Codable, Sendable, Equatable {
    var schema = ReportSchema.version
    var id: String
    var story: String
    var duplicateGroup: String?
    var canonical: String?
    var related: [RelatedArticle]

    enum CodingKeys: String, CodingKey {
        case schema, id, story, canonical, related
        case duplicateGroup = "duplicate_group"
    }

    // Written explicitly so that a nil duplicate group appears as `null`, not as a missing key.
    func encode(to encoder: Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(id, forKey: .id)
        try container.encode(story, forKey: .story)
        try container.encode(duplicateGroup, forKey: .duplicateGroup)
        try container.encode(canonical, forKey: .canonical)
        try container.encode(related, forKey: .related)
        try container.encode(schema, forKey: .schema)
    }
}

struct RelatedArticle: Codable, Sendable, Equatable {
    var id: String
    var story: String
    var score: Double
}

struct StoriesFile: Codable, Sendable {
    var schema = ReportSchema.version
    var tool: String
    var version: String
    var stories: [StoryEntry]
}

struct StoryEntry: Codable, Sendable {
    var id: String
    var headline: String
    /// The member whose title is the headline (its most central non-copy article).
    var headlineArticle: String
    /// The editors' judgements that shaped this story (their ids, `Judgements`), oldest first.
    var judgements: [String] = []
    var size: Int
    var terms: [String]
    var sources: [SourceCount]
    var languages: [String]
    var firstPublished: String?
    var lastPublished: String?
    var cohesion: Double
    var members: [StoryMember]
    var duplicateGroups: [DuplicateGroupEntry]
    var relatedStories: [RelatedStory]

    enum CodingKeys: String, CodingKey {
        case id, headline, size, terms, sources, languages, cohesion, members, judgements
        case headlineArticle = "headline_article"
        case firstPublished = "first_published"
        case lastPublished = "last_published"
        case duplicateGroups = "duplicate_groups"
        case relatedStories = "related_stories"
    }
}

struct SourceCount: Codable, Sendable {
    var name: String
    var articles: Int
}

struct StoryMember: Codable, Sendable {
    var id: String
    var title: String
    var source: String?
    var published: String?
    var url: String?
    var language: String?
    var duplicateGroup: String?
    /// The copy to read: true for an article without copies and for a group's canonical article.
    var canonical: Bool
    /// Cosine to the centroid of the story's other members (`StoryDescriber`); absent in a story
    /// of one article.
    var score: Double?
    /// A copy's containment with its canonical article: the share of the shorter text's word
    /// 4-grams the other holds (estimated from their sketches, as the duplicate rule does).
    var containment: Double?

    enum CodingKeys: String, CodingKey {
        case id, title, source, published, url, language, canonical, score, containment
        case duplicateGroup = "duplicate_group"
    }
}

struct DuplicateGroupEntry: Codable, Sendable {
    var id: String
    var canonical: String
    var members: [String]
}

struct RelatedStory: Codable, Sendable {
    var id: String
    var headline: String
    var score: Double
}

/// `changes.json`: what changed since the previous run with the same state.
struct ChangesFile: Codable, Sendable, Equatable {
    struct Story: Codable, Sendable, Equatable {
        var id: String
        var headline: String
        var size: Int
    }
    struct Grown: Codable, Sendable, Equatable {
        var id: String
        var headline: String
        var size: Int
        var added: Int
    }
    struct Merged: Codable, Sendable, Equatable {
        /// The story that kept its id.
        var into: Story
        /// The stories merged into it (their previous headline and size).
        var stories: [Story]
    }
    struct Split: Codable, Sendable, Equatable {
        /// The story as it was (it keeps its id in the part holding most of its articles, unless
        /// that part also holds a larger story: then it is listed under `merged` too).
        var story: Story
        var parts: [Story]
    }
    struct DuplicateGroups: Codable, Sendable, Equatable {
        var new: Int
        var grown: Int
        var merged: Int
        var split: Int
        var left: Int
        /// Groups whose articles are all still here but no longer copies of each other.
        var dissolved: Int
    }

    var schema = ReportSchema.version
    var run: Int
    var previousRun: Int?
    var new: [Story]
    var grown: [Grown]
    var merged: [Merged]
    var split: [Split]
    var left: [Story]
    var duplicateGroups: DuplicateGroups
    /// The stories editors' judgements shaped in this run, largest first.
    var shapedByEditors: [Shaped] = []

    struct Shaped: Codable, Sendable, Equatable {
        var id: String
        var headline: String
        var size: Int
        /// The judgements' ids, oldest first.
        var judgements: [String]
    }

    enum CodingKeys: String, CodingKey {
        case schema, run, new, grown, merged, split, left
        case previousRun = "previous_run"
        case duplicateGroups = "duplicate_groups"
        case shapedByEditors = "shaped_by_editors"
    }
}

public struct RunManifest: Codable, Sendable {
    public struct Counts: Codable, Sendable {
        public var read: Int
        public var rejected: Int
        public var warnings: Int
        public var articles: Int
        public var stories: Int
        public var storiesWithSeveralArticles: Int
        public var duplicateGroups: Int
        var articlesInDuplicateGroups: Int
        public var boilerplateLinesRemoved: Int
        var vocabulary: Int
        var termsSeen: Int
        /// Records taken from the state as stored, not decoded again (a night).
        var recordsFromState = 0
        /// Articles whose counts were the state's, not tokenized again (a night).
        var countsFromState = 0

        enum CodingKeys: String, CodingKey {
            case read, rejected, warnings, articles, stories, vocabulary
            case storiesWithSeveralArticles = "stories_with_several_articles"
            case duplicateGroups = "duplicate_groups"
            case articlesInDuplicateGroups = "articles_in_duplicate_groups"
            case boilerplateLinesRemoved = "boilerplate_lines_removed"
            case termsSeen = "terms_seen"
            case recordsFromState = "records_from_state"
            case countsFromState = "counts_from_state"
        }
    }

    struct BLASInfo: Codable, Sendable {
        var core: String
        var threads: Int
        var coreTypeRequested: String?
        var sgemmGflops: Double

        enum CodingKeys: String, CodingKey {
            case core, threads
            case coreTypeRequested = "core_type_requested"
            case sgemmGflops = "sgemm_gflops"
        }
    }

    public var schema = ReportSchema.version
    var tool: String
    public var version: String
    var inputs: [ArticleReader.InputFile]
    var output: String
    var options: ClusterOptions
    public var counts: Counts
    public var rejected: [RecordIssue]
    public var warnings: [RecordIssue]
    /// Seconds per pipeline stage, and `total`.
    var timings: [String: Double]
    var blas: BLASInfo
    var neighbors: NeighborSearch.Stats
    /// The vocabulary generation the run scored with, and why it was fitted or reused.
    var vocabulary: VocabularyUse? = nil
    /// The editors' judgements the run obeyed (absent when it had none).
    public var judgements: JudgementsUse? = nil
    /// How the tile scan was shared out, when it was (`--tile-tasks`).
    var scaleout: ScaleoutUse? = nil
}

/// `run.json`'s account of the editors' judgements.
public struct JudgementsUse: Codable, Sendable, Equatable {
    /// The `--judgements` files, as given.
    var files: [String]
    /// Judgements known to the run: from the state, and new in the files.
    var fromState: Int
    var new: Int
    /// Judgements with no pair in this run (their articles left, or later ones overrule them).
    var inactive: Int
    /// The pairs that stand and that the stories keep.
    var mustLink: Int
    var cannotLink: Int
    /// Stories with an article in a pair.
    var storiesShaped: Int
    /// What could not be used: an id this run does not have (for a judgement given now; the
    /// state's lose their articles as they leave the window), a pair another judgement overrules.
    public var warnings: [JudgementWarning]

    enum CodingKeys: String, CodingKey {
        case files, new, warnings, inactive
        case fromState = "from_state"
        case mustLink = "must_link"
        case cannotLink = "cannot_link"
        case storiesShaped = "stories_shaped"
    }
}

// The reports' layout through `JSONWriter`: keys in sorted order, optionals as the synthesized
// (or explicit) `Encodable` conformances above write them. Tests compare with JSONEncoder.
extension ArticleLine {
    func write(to json: inout JSONWriter) {
        json.beginObject()
        json.field("canonical", orNull: canonical)
        json.field("duplicate_group", orNull: duplicateGroup)
        json.field("id", id)
        json.field("related", objects: related) { json, article in
            json.field("id", article.id)
            json.field("score", article.score)
            json.field("story", article.story)
        }
        json.field("schema", schema)
        json.field("story", story)
        json.endObject()
    }
}

extension StoryEntry {
    func write(to json: inout JSONWriter) {
        json.beginObject()
        json.field("cohesion", cohesion)
        json.field("duplicate_groups", objects: duplicateGroups) { json, group in
            json.field("canonical", group.canonical)
            json.field("id", group.id)
            json.field("members", strings: group.members)
        }
        json.field("first_published", ifPresent: firstPublished)
        json.field("headline", headline)
        json.field("headline_article", headlineArticle)
        json.field("id", id)
        json.field("judgements", strings: judgements)
        json.field("languages", strings: languages)
        json.field("last_published", ifPresent: lastPublished)
        json.field("members", objects: members) { json, member in
            json.field("canonical", member.canonical)
            if let containment = member.containment { json.field("containment", containment) }
            json.field("duplicate_group", ifPresent: member.duplicateGroup)
            json.field("id", member.id)
            json.field("language", ifPresent: member.language)
            json.field("published", ifPresent: member.published)
            if let score = member.score { json.field("score", score) }
            json.field("source", ifPresent: member.source)
            json.field("title", member.title)
            json.field("url", ifPresent: member.url)
        }
        json.field("related_stories", objects: relatedStories) { json, story in
            json.field("headline", story.headline)
            json.field("id", story.id)
            json.field("score", story.score)
        }
        json.field("size", size)
        json.field("sources", objects: sources) { json, source in
            json.field("articles", source.articles)
            json.field("name", source.name)
        }
        json.field("terms", strings: terms)
        json.endObject()
    }
}
