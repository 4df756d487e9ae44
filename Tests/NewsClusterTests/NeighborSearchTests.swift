import Testing
@testable import NewsCluster

/// ~300 random sparse unit rows plus planted near-duplicates of some of them, with a range
/// of exact cosines from ~0.3 to ~1.
private func plantedMatrix(seed: UInt64 = 42) -> SparseMatrix {
    var generator = SeededGenerator(seed: seed)
    let columns = 4000
    var rows = Fixtures.randomSparseRows(count: 300, columns: columns, nonzeros: 20, using: &generator)
    for pair in 0..<40 {
        let base = rows[pair * 7]
        let keep = [0.3, 0.5, 0.65, 0.8, 0.95][pair % 5]
        var dense: [Int32: Float] = [:]
        for (column, value) in base where Double.random(in: 0..<1, using: &generator) < keep {
            dense[column] = value * Float.random(in: 0.8...1.2, using: &generator)
        }
        while dense.count < 20 {
            dense[Int32.random(in: 0..<Int32(columns), using: &generator)] = Float.random(in: 0.1...1, using: &generator)
        }
        rows.append(dense.sorted { $0.key < $1.key }.map { ($0.key, $0.value) })
    }
    // Shuffle so planted pairs are not adjacent rows.
    rows.shuffle(using: &generator)
    return Fixtures.normalizedMatrix(rows, columnCount: columns)
}

private struct Pair: Hashable { var a: Int; var b: Int }

private func bruteForce(_ matrix: SparseMatrix, atLeast floor: Float) -> [Pair: Float] {
    var pairs: [Pair: Float] = [:]
    for a in 0..<matrix.rowCount {
        for b in (a + 1)..<matrix.rowCount {
            let score = matrix.dot(a, b)
            if score >= floor { pairs[Pair(a: a, b: b)] = score }
        }
    }
    return pairs
}

/// The graph's edges by pair. A pair given twice is recorded as an issue (the test fails) and its
/// first score kept, instead of trapping in `Dictionary(uniqueKeysWithValues:)`.
private func edgeMap(_ graph: NeighborSearch.Graph) -> [Pair: Float] {
    var edges: [Pair: Float] = [:]
    for edge in graph.edges {
        let pair = Pair(a: Int(edge.a), b: Int(edge.b))
        guard edges[pair] == nil else {
            Issue.record("edge \(pair.a)–\(pair.b) given twice")
            continue
        }
        edges[pair] = edge.score
    }
    return edges
}

/// Requires the graph to have one candidate list per row, and every edge end and candidate to
/// be a row, before a test indexes rows (or its own per-row arrays) with them.
private func requireRowsInRange(_ graph: NeighborSearch.Graph, rows: Int) throws {
    try #require(graph.candidates.count == rows)
    try #require(graph.edges.allSatisfy { $0.a >= 0 && $0.b >= 0 && Int($0.a) < rows && Int($0.b) < rows })
    try #require(graph.candidates.allSatisfy { $0.allSatisfy { $0.index >= 0 && Int($0.index) < rows } })
}

extension UsesOpenBLAS {
    @Suite("NeighborSearch")
    struct NeighborSearchTests {
        let matrix = plantedMatrix()

        func search(tileRows: Int = 2048, threads: Int = 1, window: Double? = nil, published: [Double?]? = nil) -> NeighborSearch.Graph {
            var options = NeighborSearch.Options()
            options.tileRows = tileRows
            options.threads = threads
            options.windowSeconds = window
            return NeighborSearch(options: options).run(
                matrix, termHashes: Fixtures.termHashes(matrix.columnCount),
                published: published ?? Array(repeating: nil, count: matrix.rowCount))
        }

        @Test func everyPairAboveHalfIsFoundWithItsExactScore() throws {
            let graph = search()
            let strong = bruteForce(matrix, atLeast: 0.5)
            // The fixture really has such pairs.
            #expect(strong.count >= 20)
            let edges = edgeMap(graph)
            for (pair, score) in strong {
                let found = try #require(edges[pair], "missing edge \(pair.a)–\(pair.b) with cosine \(score)")
                #expect(found == score)
            }
        }

        @Test func edgesAreExactSortedAndAboveTheFloor() throws {
            let graph = search()
            let floor = NeighborSearch.Options().edgeFloor
            #expect(graph.count == matrix.rowCount)
            #expect(!graph.edges.isEmpty)
            try requireRowsInRange(graph, rows: matrix.rowCount)
            for edge in graph.edges {
                #expect(edge.a < edge.b)
                #expect(edge.score >= floor)
                #expect(edge.score == matrix.dot(Int(edge.a), Int(edge.b)))
            }
            let keys = graph.edges.map { Pair(a: Int($0.a), b: Int($0.b)) }
            #expect(Set(keys).count == keys.count)
            #expect(zip(keys, keys.dropFirst()).allSatisfy { ($0.a, $0.b) < ($1.a, $1.b) })
            #expect(graph.stats.edges == graph.edges.count)
            #expect(graph.stats.candidatePairs >= graph.edges.count)
            #expect(graph.stats.tiles == 1)
        }

        @Test func candidatesAreExactSymmetricAndBestFirst() throws {
            let graph = search()
            try requireRowsInRange(graph, rows: matrix.rowCount)
            for (row, neighbors) in graph.candidates.enumerated() {
                for neighbor in neighbors {
                    #expect(neighbor.score > 0)
                    #expect(neighbor.score == matrix.dot(row, Int(neighbor.index)))
                    #expect(graph.candidates[Int(neighbor.index)].contains(Neighbor(index: Int32(row), score: neighbor.score)))
                }
                #expect(zip(neighbors, neighbors.dropFirst()).allSatisfy {
                    $0.score > $1.score || ($0.score == $1.score && $0.index < $1.index)
                })
            }
            // Every edge is among the candidates of both ends.
            for edge in graph.edges {
                #expect(graph.candidates[Int(edge.a)].contains { $0.index == edge.b })
            }
        }

        @Test func smallTilesGiveTheSameEdgesAsOneBigTile() {
            let big = search()
            let small = search(tileRows: 7)
            #expect(small.stats.tiles > 1000)
            #expect(small.edges == big.edges)
        }

        @Test func threadsGiveTheSameGraph() {
            let one = search()
            let four = search(threads: 4)
            #expect(four.edges == one.edges)
            #expect(four.candidates == one.candidates)
        }

        @Test func timeWindowExcludesPairsFurtherApart() throws {
            var generator = SeededGenerator(seed: 8)
            let day = 86_400.0
            let published: [Double?] = (0..<matrix.rowCount).map { _ in Double(Int.random(in: 0..<30, using: &generator)) * day }
            let window = 3 * day
            for tileRows in [2048, 16] {
                let graph = search(tileRows: tileRows, window: window, published: published)
                try requireRowsInRange(graph, rows: matrix.rowCount)
                for edge in graph.edges {
                    #expect(abs(published[Int(edge.a)]! - published[Int(edge.b)]!) <= window)
                }
                for (row, neighbors) in graph.candidates.enumerated() {
                    for neighbor in neighbors { #expect(abs(published[row]! - published[Int(neighbor.index)]!) <= window) }
                }
                // Strong pairs inside the window are still found.
                let edges = edgeMap(graph)
                let strongInWindow = bruteForce(matrix, atLeast: 0.5).filter {
                    abs(published[$0.key.a]! - published[$0.key.b]!) <= window
                }
                #expect(!strongInWindow.isEmpty)
                for (pair, score) in strongInWindow { #expect(edges[pair] == score) }
                if tileRows == 16 { #expect(graph.stats.tilesSkippedByWindow > 0) }
            }
        }

        @Test func undatedArticlesMeetEveryone() {
            // Rows 0 and 1 are identical; row 1 is undated, so the window does not apply to it.
            let rows: [[(Int32, Float)]] = [[(0, 1), (1, 1)], [(0, 1), (1, 1)], [(2, 1), (3, 1)], [(4, 1), (5, 1)]]
            let matrix = Fixtures.normalizedMatrix(rows, columnCount: 6)
            var options = NeighborSearch.Options()
            options.windowSeconds = 100
            let graph = NeighborSearch(options: options).run(
                matrix, termHashes: Fixtures.termHashes(6), published: [0, nil, 1_000_000, 5_000])
            #expect(graph.edges.contains { $0.a == 0 && $0.b == 1 })
        }

        @Test func undatedArticlesMeetEveryoneAcrossTiles() {
            // Sorted by time: row 0 (t = 0), row 2 (t = 10), row 3 (t = 10⁶), row 1 (undated). With
            // two rows per tile the second column tile starts with row 3, far outside the window,
            // and the whole tile is skipped — including the undated row 1, a copy of row 0.
            let rows: [[(Int32, Float)]] = [[(0, 1), (1, 1)], [(0, 1), (1, 1)], [(2, 1), (3, 1)], [(4, 1), (5, 1)]]
            let matrix = Fixtures.normalizedMatrix(rows, columnCount: 6)
            var options = NeighborSearch.Options()
            options.windowSeconds = 100
            options.tileRows = 2
            let graph = NeighborSearch(options: options).run(
                matrix, termHashes: Fixtures.termHashes(6), published: [0, nil, 10, 1_000_000])
            #expect(graph.edges.contains { $0.a == 0 && $0.b == 1 })
        }

        @Test func rareTermsFindPairsTheProjectionWouldMiss() throws {
            // 400 noise rows plus pairs that share only two rare columns (cosine 0.2–0.3): with
            // no per-row budget and a high projected floor, only the rare-term index finds them.
            var generator = SeededGenerator(seed: 7)
            var rows = Fixtures.randomSparseRows(count: 400, columns: 20_000, nonzeros: 30, using: &generator)
            for pair in 0..<10 {
                let rare: [(Int32, Float)] = [(Int32(20_000 + 2 * pair), 1.5), (Int32(20_001 + 2 * pair), 1.5)]
                let a = Fixtures.randomSparseRows(count: 1, columns: 20_000, nonzeros: 30, using: &generator)[0] + rare
                let b = Fixtures.randomSparseRows(count: 1, columns: 20_000, nonzeros: 30, using: &generator)[0] + rare
                rows += [a, b]
            }
            let matrix = Fixtures.normalizedMatrix(rows, columnCount: 20_020)
            var options = NeighborSearch.Options()
            options.nearestPerRow = 0
            options.candidateFloor = 0.9
            options.edgeFloor = 0.05
            let without = NeighborSearch(options: options).run(
                matrix, termHashes: Fixtures.termHashes(matrix.columnCount),
                published: Array(repeating: nil, count: matrix.rowCount))
            options.rareTermDocuments = 4
            options.rareTermFloor = 0.05
            options.recallThresholds = [0.15]
            let with = NeighborSearch(options: options).run(
                matrix, termHashes: Fixtures.termHashes(matrix.columnCount),
                published: Array(repeating: nil, count: matrix.rowCount))
            let planted = (0..<10).map { Pair(a: 400 + 2 * $0, b: 401 + 2 * $0) }
            let found = edgeMap(with)
            for pair in planted {
                let score = try #require(found[pair], "planted pair \(pair) missing")
                #expect(score == matrix.dot(pair.a, pair.b))
                #expect(score > 0.15)
            }
            #expect(planted.allSatisfy { edgeMap(without)[$0] == nil })
            #expect(with.stats.rareTermPairs >= 10)
            // Brute-force recall above 0.15: every such pair is found.
            let recall = try #require(with.stats.recall.first)
            #expect(recall.pairs == bruteForce(matrix, atLeast: 0.15).count)
            #expect(recall.found == recall.pairs)
            #expect(recall.share == 1)
        }

        @Test func recallCountsMissedPairs() throws {
            // With nothing re-scored, recall is the share of brute-force pairs found: zero.
            var options = NeighborSearch.Options()
            options.nearestPerRow = 0
            options.candidateFloor = 2
            options.recallThresholds = [0.5]
            let graph = NeighborSearch(options: options).run(
                matrix, termHashes: Fixtures.termHashes(matrix.columnCount),
                published: Array(repeating: nil, count: matrix.rowCount))
            let recall = try #require(graph.stats.recall.first)
            #expect(recall.pairs == bruteForce(matrix, atLeast: 0.5).count)
            #expect(recall.pairs > 0)
            #expect(recall.found == 0)
        }

        @Test func tinyInputs() throws {
            let empty = NeighborSearch().run(SparseMatrix(columnCount: 3), termHashes: Fixtures.termHashes(3), published: [])
            #expect(empty.count == 0 && empty.edges.isEmpty && empty.candidates.isEmpty)
            let one = NeighborSearch().run(
                SparseMatrix(rows: [[(0, 1)]], columnCount: 3), termHashes: Fixtures.termHashes(3), published: [nil])
            #expect(one.count == 1 && one.edges.isEmpty && one.candidates == NeighborLists([[]]))
            let two = NeighborSearch().run(
                Fixtures.normalizedMatrix([[(0, 1), (1, 1)], [(1, 1), (2, 1)]], columnCount: 3),
                termHashes: Fixtures.termHashes(3), published: [nil, nil])
            try #require(two.edges.count == 1)
            #expect(abs(two.edges[0].score - 0.5) < 1e-6)
        }

        /// With a state: a night searches only the pairs with a fresh article and takes the
        /// others from the last night (its candidates and its unscored nearest, with their
        /// scores); it keeps exactly the candidates of a search of all pairs, with their scores.
        @Test(arguments: [1, 2])
        func incrementalSearchKeepsTheCandidatesOfAFullOne(threads: Int) throws {
            var options = NeighborSearch.Options()
            options.tileRows = 64
            options.threads = threads
            options.rareTermDocuments = 8
            options.nearestPerRow = 6
            let hashes = Fixtures.termHashes(matrix.columnCount)
            // Undated rows keep their order: the fresh ones are the last, as a night's new articles are.
            let knownRows = 250
            let fresh = (0..<matrix.rowCount).map { $0 >= knownRows }
            let lastNight = SparseMatrix(rows: (0..<knownRows).map { row in
                Array(zip(matrix.row(row).columns, matrix.row(row).values))
            }, columnCount: matrix.columnCount)
            let search = NeighborSearch(options: options)
            let before = search.run(lastNight, termHashes: hashes, published: Array(repeating: nil, count: knownRows),
                                    fresh: Array(repeating: true, count: knownRows))
            try requireRowsInRange(before, rows: knownRows)
            // As the pipeline stores them: every scored pair, and the nearest scored 0.
            var known: [(Int32, Int32)] = [], scores: [Float] = []
            for (a, neighbors) in before.candidates.enumerated() {
                for neighbor in neighbors where Int(neighbor.index) > a {
                    known.append((Int32(a), neighbor.index))
                    scores.append(neighbor.score)
                }
            }
            for pair in before.unscoredNearest {
                known.append((Int32(pair.first), Int32(pair.second)))
                scores.append(0)
            }
            let published = [Double?](repeating: nil, count: matrix.rowCount)
            let full = search.run(matrix, termHashes: hashes, published: published, fresh: Array(repeating: true, count: matrix.rowCount))
            let night = search.run(matrix, termHashes: hashes, published: published, fresh: fresh, knownPairs: known, knownScores: scores)
            try requireRowsInRange(full, rows: matrix.rowCount)
            #expect(night.candidates == full.candidates)
            #expect(night.edges == full.edges)
            #expect(night.unscoredNearest == full.unscoredNearest)
            #expect(night.stats.tilesSkippedAsKnown > 0)
            #expect(night.stats.flops < full.stats.flops)
            // Some known pairs are dropped: the fresh rows took their places among the nearest.
            #expect(night.stats.knownPairs < known.count)
            // Without their scores the known pairs are scored again, to the same graph.
            let rescored = search.run(matrix, termHashes: hashes, published: published, fresh: fresh, knownPairs: known)
            #expect(rescored.candidates == full.candidates)

            // The rare-term pass indexes only the fresh rows' columns, and finds the same pairs
            // with a fresh row as over every column.
            let everyRow = search.rareTermPairs(matrix, order: Array(0..<matrix.rowCount), times: published)
            let freshRows = search.rareTermPairs(matrix, order: Array(0..<matrix.rowCount), times: published, freshAt: fresh)
            #expect(!freshRows.isEmpty)
            try #require(everyRow.allSatisfy { $0.first < fresh.count && $0.second < fresh.count })
            #expect(Set(freshRows) == Set(everyRow.filter { fresh[$0.first] || fresh[$0.second] }))
        }
    }
}

private typealias Neighbor = NeighborSearch.Neighbor

/// 200 random rows, 120 near-identical copies of one more row (a viral story) and 5 copies of
/// another (ordinary syndication), shuffled.
private func viralMatrix(seed: UInt64 = 16) -> (matrix: SparseMatrix, viral: Set<Int>, ordinary: Set<Int>) {
    var generator = SeededGenerator(seed: seed)
    let columns = 3000
    var rows = Fixtures.randomSparseRows(count: 202, columns: columns, nonzeros: 30, using: &generator)
    func copies(of base: [(Int32, Float)], _ count: Int) -> [[(Int32, Float)]] {
        (0..<count).map { _ in
            var copy = base.map { ($0.0, $0.1 * Float.random(in: 0.9...1.1, using: &generator)) }
            // A word changed here and there.
            copy[Int.random(in: 0..<copy.count, using: &generator)].0 = Int32.random(in: 0..<Int32(columns), using: &generator)
            return Dictionary(copy, uniquingKeysWith: +).sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
        }
    }
    let viralBase = rows.removeLast(), ordinaryBase = rows.removeLast()
    var labelled = rows.map { ($0, 0) } + copies(of: viralBase, 120).map { ($0, 1) } + copies(of: ordinaryBase, 5).map { ($0, 2) }
    labelled.shuffle(using: &generator)
    let matrix = Fixtures.normalizedMatrix(labelled.map(\.0), columnCount: columns)
    return (matrix, Set(labelled.indices.filter { labelled[$0].1 == 1 }), Set(labelled.indices.filter { labelled[$0].1 == 2 }))
}

extension UsesOpenBLAS {
    @Suite("NeighborSearch with copies confirmed in the scan")
    struct NeighborSearchCopyTests {
        let planted = viralMatrix()
        /// Every pair at 0.8 or above is a copy (the shingle half of the rule always agrees).
        let check = NeighborSearch.CopyCheck(threshold: 0.8) { _, _ in true }

        func search(copies: NeighborSearch.CopyCheck?, tileRows: Int = 2048, threads: Int = 1) -> NeighborSearch.Graph {
            var options = NeighborSearch.Options()
            options.tileRows = tileRows
            options.threads = threads
            options.nearestPerRow = 8
            return NeighborSearch(options: options).run(
                planted.matrix, termHashes: Fixtures.termHashes(planted.matrix.columnCount),
                published: Array(repeating: nil, count: planted.matrix.rowCount), copies: copies)
        }

        func groups(_ graph: NeighborSearch.Graph) -> [[Int]] {
            let shingles = [ShingleSketch](repeating: ShingleSketch(tokens: Array(1...40)), count: graph.count)
            return DuplicateGrouper(threshold: 0.8).groups(
                edges: graph.edges, shingles: shingles, count: graph.count, joined: graph.copyGroups)
        }

        @Test func theGroupsAreThoseOfEveryPair() throws {
            let every = search(copies: nil)
            let joined = search(copies: check)
            #expect(every.copyGroups.isEmpty)
            #expect(groups(joined) == groups(every))
            let viral = try #require(groups(every).first { $0.count > 100 })
            #expect(Set(viral) == planted.viral)
            #expect(joined.copyGroups == [viral])
            #expect(joined.stats.copyGroupArticles == 120)
        }

        @Test func onlyPairsInsideALargeGroupAreLeftOut() throws {
            let every = search(copies: nil)
            let joined = search(copies: check)
            let kept = edgeMap(joined)
            let viral = try #require(joined.copyGroups.first)
            let inside = Set(viral)
            for (pair, score) in edgeMap(every) {
                if let found = kept[pair] {
                    #expect(found == score)
                } else {
                    #expect(inside.contains(pair.a) && inside.contains(pair.b), "edge \(pair) outside the group lost")
                }
            }
            #expect(kept.count <= edgeMap(every).count)
            // The ordinary copies keep every pair between them.
            let ordinary = planted.ordinary.sorted()
            for (i, a) in ordinary.enumerated() {
                for b in ordinary.dropFirst(i + 1) { #expect(kept[Pair(a: a, b: b)] != nil) }
            }
        }

        @Test func keptPairsGrowWithTheCopiesNotTheirSquare() {
            let every = search(copies: nil)
            let joined = search(copies: check)
            // 120 copies make 7,140 pairs; each keeps its 8 nearest as any row does.
            #expect(every.stats.candidatePairs > 120 * 119 / 2)
            let bound = planted.matrix.rowCount * 8 + 200
            #expect(joined.stats.candidatePairs < bound)
            #expect(joined.stats.copyPairsDropped > 6000)
        }

        @Test(arguments: [(2048, 1), (37, 1), (37, 2), (64, 3)])
        func tilesAndThreadsKeepTheSamePairs(tileRows: Int, threads: Int) {
            let reference = search(copies: check)
            let other = search(copies: check, tileRows: tileRows, threads: threads)
            #expect(other.edges == reference.edges)
            #expect(other.candidates == reference.candidates)
            #expect(other.copyGroups == reference.copyGroups)
            #expect(other.stats.copyPairsDropped == reference.stats.copyPairsDropped)
        }
    }
}
