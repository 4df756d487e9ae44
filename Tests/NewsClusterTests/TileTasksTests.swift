import Foundation
import Testing
@testable import NewsCluster

/// 260 random rows and 90 near-identical copies of one more (more than `nearestPerRow`: a group
/// of copies the scan joins), shuffled, published over ten days.
private func copiedRows(seed: UInt64 = 7) -> (matrix: SparseMatrix, published: [Double?]) {
    var generator = SeededGenerator(seed: seed)
    let columns = 2500
    var rows = Fixtures.randomSparseRows(count: 261, columns: columns, nonzeros: 25, using: &generator)
    let base = rows.removeLast()
    for _ in 0..<90 {
        var copy = base.map { ($0.0, $0.1 * Float.random(in: 0.9...1.1, using: &generator)) }
        copy[Int.random(in: 0..<copy.count, using: &generator)].0 = Int32.random(in: 0..<Int32(columns), using: &generator)
        rows.append(Dictionary(copy, uniquingKeysWith: +).sorted { $0.key < $1.key }.map { ($0.key, $0.value) })
    }
    rows.shuffle(using: &generator)
    // A few undated rows, which meet every other.
    let published = rows.indices.map { $0 % 29 == 0 ? nil : Double.random(in: 0..<(10 * 86_400), using: &generator) }
    return (Fixtures.normalizedMatrix(rows, columnCount: columns), published)
}

extension UsesOpenBLAS {
    @Suite("TileTasks")
    struct TileTasksTests {
        let input = copiedRows()
        let rule = DuplicateGrouper(threshold: 0.8, minimumContainment: 0.5)
        /// Every row has the same sketch: the shingle half of the rule always agrees.
        var shingles: [ShingleSketch] { Array(repeating: ShingleSketch(tokens: Array(1...40)), count: input.matrix.rowCount) }

        func options(window: Double?) -> NeighborSearch.Options {
            var options = NeighborSearch.Options()
            options.tileRows = 32
            options.nearestPerRow = 12
            options.rareTermDocuments = 20
            options.windowSeconds = window
            options.threads = 2
            return options
        }

        func onOneMachine(_ options: NeighborSearch.Options) -> NeighborSearch.Graph {
            let shingles = self.shingles, rule = self.rule
            return NeighborSearch(options: options).run(
                input.matrix, termHashes: Fixtures.termHashes(input.matrix.columnCount), published: input.published,
                copies: NeighborSearch.CopyCheck(threshold: rule.threshold) { a, b in
                    shingles[a].containment(shingles[b]) >= rule.minimumContainment
                })
        }

        /// The search with its tiles shared out to `tasks` tasks, each run on `threads` threads.
        func sharedOut(_ options: NeighborSearch.Options, tasks: Int, threads: Int, in directory: String) throws
            -> (graph: NeighborSearch.Graph, parts: [TileTasks.PartPayload])
        {
            let search = NeighborSearch(options: options)
            let plan = search.prepare(input.matrix, termHashes: Fixtures.termHashes(input.matrix.columnCount),
                                      published: input.published, fresh: nil, knownPairs: [])
            let searchPath = directory + "/search.bin"
            let id = try TileTasks.writeSearch(plan, matrix: input.matrix, shingles: shingles, copyRule: rule,
                                               options: options, tasks: tasks, to: searchPath)
            let paths = (0..<tasks).map { directory + "/task-\($0).bin" }
            // In any order: a task depends on the search only.
            for task in (0..<tasks).reversed() {
                try TileTasks.runTask(search: searchPath, task: task, tasks: tasks, threads: threads, to: paths[task])
            }
            let (part, parts) = try TileTasks.merge(parts: paths.shuffled(), search: id, tasks: tasks, count: plan.count,
                                                    options: options, checksCopies: true)
            let graph = search.finish(plan, parts: [part], matrix: input.matrix, knownScores: nil, checksCopies: true)
            return (graph, parts)
        }

        func expectSame(_ shared: NeighborSearch.Graph, _ local: NeighborSearch.Graph) {
            #expect(shared.edges == local.edges)
            #expect(shared.candidates == local.candidates)
            #expect(shared.copyGroups == local.copyGroups)
            #expect(shared.stats.tiles == local.stats.tiles)
            #expect(shared.stats.tilesSkippedByWindow == local.stats.tilesSkippedByWindow)
            #expect(shared.stats.flops == local.stats.flops)
            #expect(shared.stats.candidatePairs == local.stats.candidatePairs)
            #expect(shared.stats.copyPairsDropped == local.stats.copyPairsDropped)
        }

        @Test(arguments: [1, 3, 7, 40])
        func anyNumberOfTasksFindsWhatOneMachineFinds(tasks: Int) throws {
            let directory = Fixtures.temporaryDirectory()
            defer { Fixtures.remove(directory) }
            let options = options(window: nil)
            let local = onOneMachine(options)
            // The fixture has what must be merged: a group of copies and edges across tiles.
            #expect(local.copyGroups.count == 1 && local.copyGroups[0].count == 90)
            #expect(local.stats.tiles > 40)
            let (shared, parts) = try sharedOut(options, tasks: tasks, threads: tasks == 3 ? 2 : 1, in: directory)
            expectSame(shared, local)
            #expect(parts.map(\.task) == Array(0..<tasks))
            #expect(parts.reduce(0) { $0 + $1.tiles } == local.stats.tiles)
            #expect(parts.allSatisfy { $0.blasCore == BLAS.coreName })
        }

        @Test func aWindowedSearchSharedOutKeepsItsWindow() throws {
            let directory = Fixtures.temporaryDirectory()
            defer { Fixtures.remove(directory) }
            let options = options(window: 2 * 86_400)
            let local = onOneMachine(options)
            #expect(local.stats.tilesSkippedByWindow > 0)
            let (shared, parts) = try sharedOut(options, tasks: 5, threads: 1, in: directory)
            expectSame(shared, local)
            // With a window, a task reads its band of rows and the window after it, not them all.
            #expect(parts.allSatisfy { $0.positions < input.matrix.rowCount })
        }

        @Test func partsOfAnotherSearchOrMissingOnesAreRefused() throws {
            let directory = Fixtures.temporaryDirectory()
            defer { Fixtures.remove(directory) }
            let options = options(window: nil)
            let search = NeighborSearch(options: options)
            let plan = search.prepare(input.matrix, termHashes: Fixtures.termHashes(input.matrix.columnCount),
                                      published: input.published, fresh: nil, knownPairs: [])
            let searchPath = directory + "/search.bin"
            let id = try TileTasks.writeSearch(plan, matrix: input.matrix, shingles: shingles, copyRule: rule,
                                               options: options, tasks: 2, to: searchPath)
            for task in 0..<2 {
                try TileTasks.runTask(search: searchPath, task: task, threads: 1, to: directory + "/task-\(task).bin")
            }
            func merge(_ names: [String], id: String) throws {
                _ = try TileTasks.merge(parts: names.map { directory + "/" + $0 }, search: id, tasks: 2, count: plan.count,
                                        options: options, checksCopies: true)
            }
            try merge(["task-0.bin", "task-1.bin"], id: id)
            #expect(throws: TaskFailure(reason: "no part of task(s) 1 of 2")) { try merge(["task-0.bin"], id: id) }
            #expect(throws: TaskFailure.self) { try merge(["task-0.bin", "task-0.bin"], id: id) }
            #expect(throws: TaskFailure.self) { try merge(["task-0.bin", "task-1.bin"], id: "another search") }
            #expect(throws: TaskFailure(reason: "\(searchPath): the search has 2 tasks, so there is no task 2")) {
                try TileTasks.runTask(search: searchPath, task: 2, threads: 1, to: directory + "/task-2.bin")
            }
            #expect(throws: TaskFailure(reason: "\(searchPath): the search has 2 tasks, not 3")) {
                try TileTasks.runTask(search: searchPath, task: 0, tasks: 3, threads: 1, to: directory + "/task-0.bin")
            }
        }

        @Test func aSearchWrittenByAnotherBuildIsRefused() throws {
            let directory = Fixtures.temporaryDirectory()
            defer { Fixtures.remove(directory) }
            let path = directory + "/search.bin"
            try SectionFile.Writer().write(
                TileTasks.SearchPayload(search: "s", binary: "0.1.0+another", tasks: 1, options: options(window: nil),
                                        copyThreshold: nil, copyContainment: 0, count: 0, columnCount: 0),
                to: path)
            #expect(TileTasks.binaryIdentity.hasPrefix(Pipeline.version + "+"))
            let error = try #require(throws: TaskFailure.self) {
                try TileTasks.runTask(search: path, task: 0, threads: 1, to: directory + "/task-0.bin")
            }
            #expect(error.description.contains("every task must run the driver's binary"))
            #expect(!FileManager.default.fileExists(atPath: directory + "/task-0.bin"))
        }

        @Test func sharesAreContiguousEvenAndCoverEveryTile() {
            let tiles = (0..<10).map { NeighborSearch.Tile(rows: $0..<($0 + 1), columns: $0..<($0 + 1)) }
            let shares = (0..<4).map { TileTasks.share(of: tiles, task: $0, tasks: 4) }
            #expect(shares.map(\.count) == [2, 3, 2, 3])
            #expect(Array(shares.joined()) == tiles)
            #expect(TileTasks.share(of: tiles, task: 0, tasks: 20).isEmpty)
        }
    }
}
