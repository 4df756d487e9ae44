import Foundation

/// What one run keeps for the next, behind one interface: the stages ask it what the last
/// night knew, never whether there was one. `NoState` is a run without `--state`;
/// `StoredNights` keeps the nights in a `StateStore`.
protocol NightlyState: Sendable {
    /// Whether this run's articles are stored for the next night: their line keys, hashes and
    /// counts are then kept past the stages that make them.
    var keepsArticles: Bool { get }
    /// The input records the last night stored byte for byte, by the hash of their bytes.
    func storedRecords() throws -> [UInt64: StateStore.StoredRecord]
    /// How many articles the last run accepted (nil when there was none).
    func lastRunArticles() throws -> Int?
    /// The rest of what the last night left (empty without one).
    func snapshot() throws -> StateStore.Snapshot
    /// The vocabulary generation the last nights scored with, and the run that fitted it.
    func storedVocabulary() throws -> (vocabulary: FrozenVocabulary, fittedByRun: Int)?
    /// The pairs the last night scored, for a search of the fresh articles only (nil: search
    /// every pair).
    func knownPairs(_ vectors: Vectors, snapshot: StateStore.Snapshot) -> KnownPairs?
    /// The editors' judgements kept from earlier runs, in the order they were given.
    func storedJudgements() throws -> [Judgement]
    /// Story and duplicate-group ids.
    func identify(_ grouping: Grouping, snapshot: StateStore.Snapshot) -> Identities
    /// What changed since the last night (`changes.json`), if anything is kept.
    func changes(_ descriptions: Descriptions, snapshot: StateStore.Snapshot) -> ChangesFile?
    /// Stores this run for the next night, committed only if `commitIf` answers yes (once the
    /// reports are in place).
    func save(
        _ descriptions: Descriptions, storedRecords: [UInt64: StateStore.StoredRecord],
        snapshot: StateStore.Snapshot, commitIf: () -> Bool
    ) throws
}

/// A run without `--state`: nothing is known before it or kept after it; ids come from the
/// content alone.
struct NoState: NightlyState {
    init() {}
    var keepsArticles: Bool { false }
    func storedRecords() -> [UInt64: StateStore.StoredRecord] { [:] }
    func lastRunArticles() -> Int? { nil }
    func snapshot() -> StateStore.Snapshot { StateStore.Snapshot() }
    func storedVocabulary() -> (vocabulary: FrozenVocabulary, fittedByRun: Int)? { nil }
    func knownPairs(_ vectors: Vectors, snapshot: StateStore.Snapshot) -> KnownPairs? { nil }
    func storedJudgements() -> [Judgement] { [] }
    func identify(_ grouping: Grouping, snapshot: StateStore.Snapshot) -> Identities {
        GroupStage.contentIdentities(grouping)
    }
    func changes(_ descriptions: Descriptions, snapshot: StateStore.Snapshot) -> ChangesFile? { nil }
    func save(
        _ descriptions: Descriptions, storedRecords: [UInt64: StateStore.StoredRecord],
        snapshot: StateStore.Snapshot, commitIf: () -> Bool
    ) {}
}

/// The nights kept in a `StateStore`: stories keep their ids, unchanged records are not decoded
/// again, unchanged articles are not tokenized again, and pairs of two known articles are taken
/// from the last night rather than searched.
struct StoredNights: NightlyState {
    let store: StateStore

    init(store: StateStore) {
        self.store = store
    }

    var keepsArticles: Bool { true }
    func storedRecords() throws -> [UInt64: StateStore.StoredRecord] { try store.storedRecords() }
    func lastRunArticles() throws -> Int? { try store.lastRunArticles() }
    func snapshot() throws -> StateStore.Snapshot { try store.snapshot() }
    func storedJudgements() throws -> [Judgement] { try store.judgements() }

    func storedVocabulary() throws -> (vocabulary: FrozenVocabulary, fittedByRun: Int)? {
        guard let stored = try store.vocabulary() else { return nil }
        do {
            return (try FrozenVocabulary(decoding: stored.data), stored.createdRun)
        } catch {
            throw StateStore.StateError.unreadable(store.path, "its vocabulary: \(error)")
        }
    }

    func knownPairs(_ vectors: Vectors, snapshot: StateStore.Snapshot) -> KnownPairs? {
        let counts = vectors.counts
        let articles = counts.articles
        // Within a vocabulary generation an unchanged article's row is last night's, so the
        // stored score of two of them holds, and so does which of them were each other's
        // nearest. With another generation every row is fresh: a full search.
        guard snapshot.knownScores.count == snapshot.knownPairs.count,
              snapshot.knownScoredWith == vectors.frozen.fingerprint else {
            return KnownPairs(fresh: Array(repeating: true, count: articles.count), pairs: [], scores: [])
        }
        // An article whose nearest lost one (that left, or changed) keeps the others and takes
        // fresh ones; the known article a search of all pairs might take in its place is not
        // looked for (docs/design.md, "The nightly state").
        let fresh = counts.reused.map { !$0 }
        let indexOfRow = StateStore.RowTable(articles.indices.compactMap { index in
            counts.reused[index] ? snapshot.articles[articles[index].id].map { ($0.rowID, Int32(index)) } : nil
        }, missing: -1)
        var pairs: [(Int32, Int32)] = []
        var scores: [Float] = []
        pairs.reserveCapacity(snapshot.knownPairs.count)
        scores.reserveCapacity(snapshot.knownPairs.count)
        for (index, (a, b)) in snapshot.knownPairs.enumerated() {
            let ia = indexOfRow[a], ib = indexOfRow[b]
            if ia >= 0 && ib >= 0 && ia != ib {
                pairs.append((ia, ib))
                scores.append(snapshot.knownScores[index])
            }
        }
        return KnownPairs(fresh: fresh, pairs: pairs, scores: scores)
    }

    func identify(_ grouping: Grouping, snapshot: StateStore.Snapshot) -> Identities {
        let articles = grouping.articles
        let storyKeys = GroupStage.storyKeys(grouping)
        let groupKeys = grouping.canonicals.map { articles[$0].id }
        var previousStory: [String: String] = [:]
        var previousGroup: [String: String] = [:]
        for (id, stored) in snapshot.articles {
            previousStory[id] = stored.story
            previousGroup[id] = stored.duplicateGroup
        }
        // Stories are claimed by their earliest article, the one a run without state names them
        // after (`GroupStage.storyKeys`). The articles are in canonical order (`CanonicalOrder`:
        // publication time, then id), which is `StoryDescriber.earlier`'s: an index is a rank.
        var rank: [String: Int] = [:]
        rank.reserveCapacity(articles.count)
        for (index, article) in articles.enumerated() { rank[article.id] = index }
        let identity = GroupIdentity()
        return Identities(
            stories: identity.assign(
                groups: grouping.stories.map { $0.map { articles[$0].id } }, previousGroupOf: previousStory,
                known: snapshot.stories, usedIDs: snapshot.usedIDs, claim: .byEarliestMember(rank: rank),
                freshID: { GroupStage.contentID(prefix: "s-", of: storyKeys[$0], attempt: $1) }),
            duplicateGroups: identity.assign(
                groups: grouping.duplicateGroups.map { $0.map { articles[$0].id } }, previousGroupOf: previousGroup,
                known: snapshot.duplicateGroups, usedIDs: snapshot.usedIDs,
                freshID: { GroupStage.contentID(prefix: "d-", of: groupKeys[$0], attempt: $1) }))
    }

    func changes(_ descriptions: Descriptions, snapshot: StateStore.Snapshot) -> ChangesFile? {
        let run = snapshot.run, known = snapshot.stories
        let identities = descriptions.grouping.identities
        let current = Dictionary(uniqueKeysWithValues: descriptions.stories.map { ($0.id, $0) })
        func now(_ id: String) -> ChangesFile.Story {
            ChangesFile.Story(id: id, headline: current[id]?.headline ?? "", size: current[id]?.members.count ?? 0)
        }
        func before(_ id: String) -> ChangesFile.Story {
            ChangesFile.Story(id: id, headline: known[id]?.headline ?? "", size: known[id]?.size ?? 0)
        }
        var file = ChangesFile(
            run: run, previousRun: run > 1 ? run - 1 : nil, new: [], grown: [], merged: [], split: [], left: [],
            duplicateGroups: .init(new: 0, grown: 0, merged: 0, split: 0, left: 0, dissolved: 0))
        for change in identities.stories.changes {
            switch change {
            case .new(let id): file.new.append(now(id))
            case .grown(let id, let added):
                let story = now(id)
                file.grown.append(.init(id: id, headline: story.headline, size: story.size, added: added))
            case .merged(let ids, let into): file.merged.append(.init(into: now(into), stories: ids.map(before)))
            case .split(let id, let parts): file.split.append(.init(story: before(id), parts: parts.map(now)))
            case .left(let id): file.left.append(before(id))
            case .dissolved(let id): file.left.append(before(id))
            }
        }
        file.shapedByEditors = descriptions.storiesFile.stories.filter { !$0.judgements.isEmpty }.map {
            ChangesFile.Shaped(id: $0.id, headline: $0.headline, size: $0.size, judgements: $0.judgements)
        }
        // Largest first, so the morning starts with what matters most.
        file.new.sort { $0.size != $1.size ? $0.size > $1.size : $0.id < $1.id }
        file.grown.sort { $0.added != $1.added ? $0.added > $1.added : $0.id < $1.id }
        for change in identities.duplicateGroups.changes {
            switch change {
            case .new: file.duplicateGroups.new += 1
            case .grown: file.duplicateGroups.grown += 1
            case .merged(let ids, _): file.duplicateGroups.merged += ids.count
            case .split: file.duplicateGroups.split += 1
            case .left: file.duplicateGroups.left += 1
            case .dissolved: file.duplicateGroups.dissolved += 1
            }
        }
        return file
    }

    func save(
        _ descriptions: Descriptions, storedRecords: [UInt64: StateStore.StoredRecord],
        snapshot: StateStore.Snapshot, commitIf: () -> Bool
    ) throws {
        let grouping = descriptions.grouping
        let counts = grouping.neighbors.vectors.counts
        let read = counts.cleaned.read
        let articles = read.articles
        let identities = grouping.identities
        let headlineOf = Dictionary(uniqueKeysWithValues: descriptions.stories.map { ($0.id, $0.headline) })
        // Every scored pair, also those below the edge floor that only related lists show, so
        // that a night's lists are those of a run without state.
        var pairs: [(Int32, Int32)] = []
        var scores: [Float] = []
        for (article, neighbors) in grouping.neighbors.graph.candidates.enumerated() {
            for neighbor in neighbors where Int(neighbor.index) > article {
                pairs.append((Int32(article), neighbor.index))
                scores.append(neighbor.score)
            }
        }
        // …and the nearest of exact score 0, from which the next night's known rows start.
        for pair in grouping.neighbors.graph.unscoredNearest {
            pairs.append((Int32(pair.first), Int32(pair.second)))
            scores.append(0)
        }
        let warned = Set(read.warnings.map(\.location))
        let cleaned = counts.cleaned.plan != nil
        let update = StateStore.Update(
            articles: articles.indices.map { index in
                let article = articles[index]
                let stored = snapshot.articles[article.id]
                let story = identities.stories.ids[grouping.storyOf[index]]
                let group = grouping.duplicateGroupOf[index].map { identities.duplicateGroups.ids[$0] }
                // A record is kept to be matched next run unless it had to be repaired (it is
                // then decoded and warned about again) or was read without cleaning (its line
                // keys would be empty).
                let hash = article.span?.hash ?? 0
                var record: StateStore.StoredRecord?
                if read.fromState[index] {
                    record = storedRecords[hash]
                } else if hash != 0 && !warned.contains(article.location) && cleaned {
                    var fields = article
                    fields.text = ""
                    record = .init(hash: hash, article: fields, lineKeys: read.lineKeys[index])
                }
                return StateStore.Update.Article(
                    rowID: stored?.rowID, id: article.id, contentHash: counts.contentHashes[index],
                    story: story, duplicateGroup: group,
                    terms: counts.reused[index] ? nil : counts.documents[index],
                    moved: stored?.story != story || stored?.duplicateGroup != group,
                    record: record, recordChanged: !read.fromState[index],
                    cleaningHash: counts.cleaningHashes[index],
                    recleaned: stored?.cleaningHash != counts.cleaningHashes[index])
            },
            stories: grouping.stories.indices.map { story in
                let id = identities.stories.ids[story]
                return .init(id: id, size: grouping.stories[story].count, headline: headlineOf[id] ?? "")
            },
            duplicateGroups: grouping.duplicateGroups.indices.map { group in
                .init(id: identities.duplicateGroups.ids[group], size: grouping.duplicateGroups[group].count, headline: "")
            },
            storyChanges: identities.stories.changes,
            duplicateGroupChanges: identities.duplicateGroups.changes,
            tokenizedArticles: counts.reused.filter { !$0 }.count, pairs: pairs,
            termLabels: descriptions.stories.reduce(into: [:]) { labels, story in
                for (hash, label) in zip(story.termHashes, story.terms) { labels[hash] = label }
            })
        var saved = update
        saved.judgements = grouping.editors.judgements
        let vectors = grouping.neighbors.vectors
        saved.pairScores = scores
        saved.pairsScoredWith = vectors.frozen.fingerprint
        if vectors.use.fitted {
            saved.vocabulary = StateStore.StoredVocabulary(
                generation: vectors.frozen.generation, createdRun: snapshot.run, reason: vectors.use.reason,
                data: vectors.frozen.encoded())
        }
        try store.save(saved, run: snapshot.run, commitIf: commitIf)
    }
}
