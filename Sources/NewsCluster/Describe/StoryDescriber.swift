/// What an editor sees of a story: its headline, top terms, sources, dates, cohesion, members
/// with their duplicate groups, and the stories most related to it.
struct StoryDescription: Sendable {
    var id: String
    var headline: String
    var headlineArticle: Int
    var terms: [String]
    /// The token hash of each of `terms`.
    var termHashes: [UInt64]
    var sources: [(name: String, articles: Int)]
    var languages: [String]
    var firstPublished: Double?
    var lastPublished: Double?
    /// Average exact cosine between two members (1 for a single article).
    var cohesion: Float
    /// Member article indices: earliest first, then by id.
    var members: [Int]
    /// Per member, its cosine to the centroid of the story's other members (the sum of their
    /// rows); nil in a story of one article.
    var memberScores: [Float?]
    var duplicateGroups: [Int]
    var relatedStories: [(story: Int, score: Float)]
}

/// The labelled pairs as objects, since tuples have no `Codable` form (a stage file).
extension StoryDescription: Codable {
    private enum CodingKeys: String, CodingKey {
        case id, headline, headlineArticle, terms, termHashes, sources, languages, firstPublished, lastPublished
        case cohesion, members, memberScores, duplicateGroups, relatedStories
    }
    private struct Source: Codable { var name: String; var articles: Int }
    private struct Related: Codable { var story: Int; var score: Float }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        id = try container.decode(String.self, forKey: .id)
        headline = try container.decode(String.self, forKey: .headline)
        headlineArticle = try container.decode(Int.self, forKey: .headlineArticle)
        terms = try container.decode([String].self, forKey: .terms)
        termHashes = try container.decode([UInt64].self, forKey: .termHashes)
        sources = try container.decode([Source].self, forKey: .sources).map { ($0.name, $0.articles) }
        languages = try container.decode([String].self, forKey: .languages)
        firstPublished = try container.decodeIfPresent(Double.self, forKey: .firstPublished)
        lastPublished = try container.decodeIfPresent(Double.self, forKey: .lastPublished)
        cohesion = try container.decode(Float.self, forKey: .cohesion)
        members = try container.decode([Int].self, forKey: .members)
        memberScores = try container.decode([Float?].self, forKey: .memberScores)
        duplicateGroups = try container.decode([Int].self, forKey: .duplicateGroups)
        relatedStories = try container.decode([Related].self, forKey: .relatedStories).map { ($0.story, $0.score) }
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(id, forKey: .id)
        try container.encode(headline, forKey: .headline)
        try container.encode(headlineArticle, forKey: .headlineArticle)
        try container.encode(terms, forKey: .terms)
        try container.encode(termHashes, forKey: .termHashes)
        try container.encode(sources.map { Source(name: $0.name, articles: $0.articles) }, forKey: .sources)
        try container.encode(languages, forKey: .languages)
        try container.encodeIfPresent(firstPublished, forKey: .firstPublished)
        try container.encodeIfPresent(lastPublished, forKey: .lastPublished)
        try container.encode(cohesion, forKey: .cohesion)
        try container.encode(members, forKey: .members)
        try container.encode(memberScores, forKey: .memberScores)
        try container.encode(duplicateGroups, forKey: .duplicateGroups)
        try container.encode(relatedStories.map { Related(story: $0.story, score: $0.score) }, forKey: .relatedStories)
    }
}

/// Builds story descriptions from the clustering and the neighbour graph.
struct StoryDescriber: Sendable {
    var termCount: Int
    var relatedStoryCount: Int
    /// Related stories scoring below this are left out.
    var relatedMinimumScore: Float
    /// Related stories by `StoryAffinity` (`.story`) or by their best pair's score.
    var relatedOrder: RelatedOrder
    /// The most candidates an article has (see `StoryAffinity`).
    var nearestPerRow: Int
    /// How the vectorizer made terms of tokens, to find the words behind a term.
    var stemmer: TermStemmer

    init(termCount: Int = 8, relatedStoryCount: Int = 5, relatedMinimumScore: Float = 0,
         relatedOrder: RelatedOrder = .score, nearestPerRow: Int = 24, stemmer: TermStemmer = TermStemmer(letters: 0)) {
        self.termCount = termCount
        self.relatedStoryCount = relatedStoryCount
        self.relatedMinimumScore = relatedMinimumScore
        self.relatedOrder = relatedOrder
        self.nearestPerRow = nearestPerRow
        self.stemmer = stemmer
    }

    /// - Parameters:
    ///   - stories: member article indices per story.
    ///   - storyIDs: the id of each story.
    ///   - text: the cleaned body of an article (to name the top terms; asked for a few
    ///     articles per story, so it may read the text again).
    ///   - duplicateGroupOf: per article, its duplicate group index.
    ///   - isCopy: per article, whether it is a non-canonical member of a duplicate group
    ///     (copies often carry a re-worded "Breaking: … | Site" title, so never headline a story).
    ///   - knownLabel: the label of a term hash when it is known without the texts (a night
    ///     takes those of the last run's terms from its state, whose texts it would read again).
    func describe(
        stories: [[Int]], storyIDs: [String], articles: [Article], text: (Int) -> String,
        matrix: SparseMatrix, termHashes: [UInt64], graph: NeighborSearch.Graph,
        storyOf: [Int], duplicateGroupOf: [Int?], isCopy: [Bool],
        knownLabel: (UInt64) -> String? = { _ in nil }, threads: Int = 1
    ) -> [StoryDescription] {
        let storySizes = stories.map(\.count)
        // In chunks, each with its own dense row for summing the members' rows.
        return Parallel.mapChunks(count: stories.count, threads: threads) { chunk -> [StoryDescription] in
            var dense = [Float](repeating: 0, count: matrix.columnCount)
            return chunk.map { story in
                let members = stories[story].sorted { Self.earlier(articles, $0, $1) }
                let memberSet = Set(members)
                // Centrality: summed exact similarity to the other members.
                var centrality = [Int: Float]()
                for member in members {
                    centrality[member] = graph.candidates[member]
                        .filter { memberSet.contains(Int($0.index)) }.reduce(0) { $0 + $1.score }
                }
                let headlineCandidates = members.filter { !isCopy[$0] }
                let central = (headlineCandidates.isEmpty ? members : headlineCandidates).max { a, b in
                    let ca = centrality[a]!, cb = centrality[b]!
                    return ca != cb ? ca < cb : Self.earlier(articles, b, a)
                }!
                let headline = articles[central].title.isEmpty
                    ? Self.firstLine(of: text(central))
                    : Self.headline(articles[central].title, source: articles[central].source)

                let centroid = Self.summedRows(members, of: matrix, dense: &dense)
                // Summed in column order, so the Float sum is the same on every run.
                let squaredNorm = centroid.reduce(0) { $0 + $1.value * $1.value }
                let n = Float(members.count)
                let cohesion = members.count > 1 ? max(0, (squaredNorm - n) / (n * (n - 1))) : 1
                let memberScores = members.map { member in
                    members.count > 1 ? Self.cosineToTheOthers(member, of: matrix, sum: centroid, squaredNorm: squaredNorm) : nil
                }
                let topColumns = Self.largest(termCount, of: centroid).map(\.column)
                // Texts are asked for lazily: labels are usually all found in the first few.
                let terms = withoutActuallyEscaping(text) { text in
                    Self.termLabels(
                        hashes: topColumns.map { termHashes[Int($0)] }, known: knownLabel, stemmer: stemmer,
                        // Each text only once the titles and texts before it left a term unnamed.
                        texts: members.lazy.flatMap { member in
                            (0..<2).lazy.map { $0 == 0 ? articles[member].title : text(member) }
                        })
                }

                var sourceCounts: [String: Int] = [:]
                var languages = Set<String>()
                for member in members {
                    if let source = articles[member].source { sourceCounts[source, default: 0] += 1 }
                    if let language = articles[member].language { languages.insert(language) }
                }
                let sources = sourceCounts.sorted { $0.value > $1.value || ($0.value == $1.value && $0.key < $1.key) }
                    .map { (name: $0.key, articles: $0.value) }
                let dates = members.compactMap { articles[$0].published }

                var related: [Int: Float] = [:]
                for member in members {
                    for neighbor in graph.candidates[member] {
                        // Best first: the rest score less.
                        guard neighbor.score >= relatedMinimumScore else { break }
                        let other = storyOf[Int(neighbor.index)]
                        if other != story { related[other] = max(related[other] ?? 0, neighbor.score) }
                    }
                }
                let affinity = relatedOrder == .story
                    ? StoryAffinity(story: story, members: members, candidates: graph.candidates, storyOf: storyOf,
                                    storySizes: storySizes, nearestPerRow: nearestPerRow)
                    : nil
                let relatedStories = related.sorted { a, b in
                    let fa = affinity?[a.key] ?? a.value, fb = affinity?[b.key] ?? b.value
                    if fa != fb { return fa > fb }
                    return a.value > b.value || (a.value == b.value && a.key < b.key)
                }.prefix(relatedStoryCount).map { (story: $0.key, score: $0.value) }
                let groups = Set(members.compactMap { duplicateGroupOf[$0] }).sorted()
                return StoryDescription(
                    id: storyIDs[story], headline: headline, headlineArticle: central,
                    terms: terms.map(\.label), termHashes: terms.map(\.hash),
                    sources: sources, languages: languages.sorted(), firstPublished: dates.min(),
                    lastPublished: dates.max(), cohesion: cohesion, members: members, memberScores: memberScores,
                    duplicateGroups: groups, relatedStories: relatedStories)
            }
        }.flatMap { $0 }
    }

    /// The cosine of row `member` with `sum` (the sum of its story's rows, columns ascending, its
    /// squared norm given) less the row itself: how close an article is to the rest of its
    /// story, 0 when either is empty.
    static func cosineToTheOthers(
        _ member: Int, of matrix: SparseMatrix, sum: [(column: Int32, value: Float)], squaredNorm: Float
    ) -> Float {
        let (columns, values) = matrix.row(member)
        var dot: Float = 0, own: Float = 0
        var next = 0
        for (column, value) in zip(columns, values) {
            own += value * value
            while next < sum.count && sum[next].column < column { next += 1 }
            if next < sum.count && sum[next].column == column { dot += value * sum[next].value }
        }
        let others = squaredNorm - 2 * dot + own
        guard own > 0, others > 1e-12 else { return 0 }
        return max(-1, min(1, (dot - own) / (own.squareRoot() * others.squareRoot())))
    }

    /// The sum of the rows `members`, columns ascending. `dense` (a zero per column, given
    /// back so) accumulates the sum: each column's values are added in member order, so the
    /// Float sums are the same in every run, without sorting every entry.
    static func summedRows(
        _ members: [Int], of matrix: SparseMatrix, dense: inout [Float]
    ) -> [(column: Int32, value: Float)] {
        if members.count == 1 {
            let (columns, values) = matrix.row(members[0])
            return zip(columns, values).map { (column: $0, value: $1) }
        }
        var touched: [Int32] = []
        for member in members {
            let (columns, values) = matrix.row(member)
            for (column, value) in zip(columns, values) {
                // A zero is a column not met yet (or met with zeros only: listed twice, then
                // merged by the sort below).
                if dense[Int(column)] == 0 { touched.append(column) }
                dense[Int(column)] += value
            }
        }
        touched.sort()
        var summed: [(column: Int32, value: Float)] = []
        summed.reserveCapacity(touched.count)
        for column in touched where summed.last?.column != column {
            summed.append((column: column, value: dense[Int(column)]))
            dense[Int(column)] = 0
        }
        return summed
    }

    /// The `count` entries with the largest values (ties: smaller column first), largest first.
    static func largest(_ count: Int, of entries: [(column: Int32, value: Float)]) -> [(column: Int32, value: Float)] {
        func before(_ a: (column: Int32, value: Float), _ b: (column: Int32, value: Float)) -> Bool {
            a.value > b.value || (a.value == b.value && a.column < b.column)
        }
        guard count > 0 else { return [] }
        var best: [(column: Int32, value: Float)] = []
        for entry in entries where best.count < count || before(entry, best[best.count - 1]) {
            let position = best.firstIndex { before(entry, $0) } ?? best.count
            best.insert(entry, at: position)
            if best.count > count { best.removeLast() }
        }
        return best
    }

    /// Earlier published first (undated last), then the smaller id: an order the input's line
    /// order cannot change.
    static func earlier(_ articles: [Article], _ a: Int, _ b: Int) -> Bool {
        let ta = articles[a].published ?? .infinity, tb = articles[b].published ?? .infinity
        return ta != tb ? ta < tb : articles[a].id.utf8.lexicographicallyPrecedes(articles[b].id.utf8)
    }

    /// A title without the site name many sites append ("Headline — Site", "Headline | Site").
    static func headline(_ title: String, source: String?) -> String {
        guard let source, !source.isEmpty else { return title }
        // Most titles end in neither the source's last letter nor a separator: comparing the
        // last bytes first spares lowercasing and counting the title (a tenth of the describe
        // stage's time, measured at 100k articles).
        if let last = title.utf8.last, let sourceLast = source.utf8.last, last < 0x80, sourceLast < 0x80,
           last | 0x20 != sourceLast | 0x20 {
            return title
        }
        let lowercased = title.lowercased(), count = title.count
        for separator in [" — ", " – ", " | ", " - ", " :: "] {
            let suffix = separator + source
            if count > suffix.count, lowercased.hasSuffix(suffix.lowercased()) {
                return String(title.dropLast(suffix.count))
            }
        }
        return title
    }

    static func firstLine(of text: String) -> String {
        let line = text.split(whereSeparator: \.isNewline).first.map(String.init) ?? ""
        return line.count > 160 ? String(line.prefix(160)) + "…" : line
    }

    /// The surface form of each hashed term, found by re-tokenizing the story's own texts
    /// (terms found in none are left out). `texts` is read only until every term has a label,
    /// and not at all when `known` gives them all: a label is the folded bytes whose hash is
    /// the term's, the same in whichever text it is found; a stemmed term is labelled by the
    /// first whole word found of it.
    static func termLabels(
        hashes: [UInt64], known: (UInt64) -> String? = { _ in nil }, stemmer: TermStemmer = TermStemmer(letters: 0),
        texts: some Sequence<String>
    ) -> [(hash: UInt64, label: String)] {
        var labels: [UInt64: String] = [:]
        for hash in hashes { labels[hash] = known(hash) }
        // A handful of terms: comparing each token's hash with them beats hashing it into a Set.
        var wanted = Array(Set(hashes.filter { labels[$0] == nil }))
        var scripts = Tokenizer.ScriptCounts()
        // Checked before each text is asked for: asking may read it again.
        var remaining = texts.makeIterator()
        while !wanted.isEmpty, let text = remaining.next() {
            Tokenizer().forEachToken(in: text, scripts: &scripts) { hash, bytes in
                let term = stemmer.term(hash, bytes)
                if let index = wanted.firstIndex(of: term) {
                    wanted.swapAt(index, wanted.count - 1)
                    wanted.removeLast()
                    labels[term] = String(decoding: bytes, as: UTF8.self)
                }
            }
        }
        return hashes.compactMap { hash in labels[hash].map { (hash: hash, label: $0) } }
    }
}
