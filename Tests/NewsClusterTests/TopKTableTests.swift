import Testing
@testable import NewsCluster

/// The reference: all offers sorted best first (score descending, index ascending), first k.
private func reference(_ offers: [(Float, Int32)], k: Int) -> [(Int32, Float)] {
    offers.sorted { $0.0 > $1.0 || ($0.0 == $1.0 && $0.1 < $1.1) }.prefix(k).map { ($0.1, $0.0) }
}

@Suite("TopKTable")
struct TopKTableTests {
    @Test(arguments: [1, 3, 8, 24])
    func keepsTheKBestOffers(k: Int) {
        var generator = SeededGenerator(seed: UInt64(k))
        let rows = 5
        let table = TopKTable(rows: rows, k: k)
        var offers = [[(Float, Int32)]](repeating: [], count: rows)
        for _ in 0..<600 {
            let row = Int.random(in: 0..<rows, using: &generator)
            // Coarse scores make many ties.
            let score = Float(Int.random(in: 0...20, using: &generator)) / 20
            let index = Int32.random(in: 0..<200, using: &generator)
            offers[row].append((score, index))
            table.offer(row, score: score, index: index)
        }
        for row in 0..<rows {
            let got = table.neighbors(of: row)
            let expected = reference(offers[row], k: k)
            #expect(got.map(\.index) == expected.map(\.0), "row \(row)")
            #expect(got.map(\.score) == expected.map(\.1), "row \(row)")
        }
    }

    @Test func tiesKeepTheSmallerIndexWhateverTheOrder() {
        let forward = TopKTable(rows: 1, k: 2)
        let backward = TopKTable(rows: 1, k: 2)
        for index in Int32(0)..<10 { forward.offer(0, score: 0.5, index: index) }
        for index in (Int32(0)..<10).reversed() { backward.offer(0, score: 0.5, index: index) }
        #expect(forward.neighbors(of: 0).map(\.index) == [0, 1])
        #expect(backward.neighbors(of: 0).map(\.index) == [0, 1])
    }

    @Test func floorIsMinusInfinityUntilFull() {
        let table = TopKTable(rows: 2, k: 2)
        #expect(table.floor(0) == -.infinity)
        table.offer(0, score: 0.3, index: 1)
        #expect(table.floor(0) == -.infinity)
        table.offer(0, score: 0.7, index: 2)
        #expect(table.floor(0) == 0.3)
        table.offer(0, score: 0.5, index: 3)
        #expect(table.floor(0) == 0.5)
        table.offer(0, score: 0.1, index: 4)
        #expect(table.floor(0) == 0.5)
        #expect(table.neighbors(of: 0).map(\.index) == [2, 3])
        // Rows are independent.
        #expect(table.neighbors(of: 1).isEmpty)
        #expect(table.floor(1) == -.infinity)
    }

    @Test func zeroCapacityTableIsEmpty() {
        let table = TopKTable(rows: 3, k: 0)
        table.offer(1, score: 0.9, index: 2)
        #expect(table.neighbors(of: 1).isEmpty)
        #expect(table.floor(1) >= 1, "a row that can hold nothing accepts no offer")
    }
}

@Suite("TopKTable screening and merging")
struct TopKTableScreeningTests {
    /// offerPairs must keep exactly what offering every pair one by one keeps.
    @Test(arguments: [1, 4, 16])
    func offerPairsEqualsOfferingEveryPair(k: Int) {
        var generator = SeededGenerator(seed: UInt64(100 + k))
        let n = 70
        let scores = (0..<n).map { _ in (0..<n).map { _ in Float(Int.random(in: 0...40, using: &generator)) / 40 } }
        let screened = TopKTable(rows: n, k: k), plain = TopKTable(rows: n, k: k)
        var screenedPairs = Set<[Int]>(), plainPairs = Set<[Int]>()
        let threshold: Float = 0.9
        for a in 0..<n {
            let row = Array(scores[a][(a + 1)...])
            row.withUnsafeBufferPointer { row in
                screened.offerPairs(row: a, columns: (a + 1)..<n, scores: row.baseAddress!, threshold: threshold) { b, score in
                    guard b % 7 != 3 else { return false }  // some pairs dropped, as the time window does
                    if score >= threshold { screenedPairs.insert([a, b]) }
                    return true
                }
            }
            for b in (a + 1)..<n where b % 7 != 3 {
                let score = scores[a][b]
                if score >= threshold { plainPairs.insert([a, b]) }
                plain.offer(a, score: score, index: Int32(b))
                plain.offer(b, score: score, index: Int32(a))
            }
        }
        #expect(screenedPairs == plainPairs)
        for row in 0..<n {
            #expect(screened.neighbors(of: row).map(\.index) == plain.neighbors(of: row).map(\.index))
            #expect(screened.floor(row) == plain.floor(row))
        }
    }

    /// With labels, a pair of two rows with one label (not -1) reaches the threshold for
    /// nothing: it is seen only when it reaches a floor, and the heaps get what every offer
    /// one by one gives them.
    @Test(arguments: [1, 4, 16])
    func offerPairsWithLabelsSkipsPairsOfOneLabelBelowTheFloors(k: Int) {
        var generator = SeededGenerator(seed: UInt64(200 + k))
        let n = 70
        let scores = (0..<n).map { _ in (0..<n).map { _ in Float(Int.random(in: 0...40, using: &generator)) / 40 } }
        // Two labelled groups (multiples of 3, of 5 but not 3) and the rest unlabelled.
        let labels: [Int32] = (0..<n).map { $0 % 3 == 0 ? 3 : ($0 % 5 == 0 ? 5 : -1) }
        let screened = TopKTable(rows: n, k: k), plain = TopKTable(rows: n, k: k)
        var screenedPairs = Set<[Int]>(), plainPairs = Set<[Int]>()
        let threshold: Float = 0.5
        for a in 0..<n {
            let row = Array(scores[a][(a + 1)...])
            row.withUnsafeBufferPointer { row in
                labels.withUnsafeBufferPointer { labels in
                    screened.offerPairs(row: a, columns: (a + 1)..<n, scores: row.baseAddress!, threshold: threshold,
                                        labels: labels.baseAddress!) { b, score in
                        if score >= threshold { screenedPairs.insert([a, b]) }
                        return true
                    }
                }
            }
            for b in (a + 1)..<n {
                let score = scores[a][b]
                let sameLabel = labels[a] >= 0 && labels[a] == labels[b]
                if score >= threshold && (!sameLabel || score >= plain.floor(a) || score >= plain.floor(b)) {
                    plainPairs.insert([a, b])
                }
                plain.offer(a, score: score, index: Int32(b))
                plain.offer(b, score: score, index: Int32(a))
            }
        }
        #expect(screenedPairs == plainPairs)
        #expect(screenedPairs.count < Set((0..<n).flatMap { a in ((a + 1)..<n).filter { scores[a][$0] >= threshold }.map { [a, $0] } }).count)
        for row in 0..<n {
            #expect(screened.neighbors(of: row).map(\.index) == plain.neighbors(of: row).map(\.index))
            #expect(screened.floor(row) == plain.floor(row))
        }
    }

    /// Ties at a row's floor must be settled by index whatever order the offers come in.
    @Test func screeningKeepsTiesWhenOffersComeInAnyOrder() {
        let screened = TopKTable(rows: 12, k: 2), plain = TopKTable(rows: 12, k: 2)
        // Row 0 sees columns 11, 10, …, 1 (descending), every score equal.
        for column in stride(from: 11, through: 1, by: -1) {
            let score: [Float] = [0.5]
            score.withUnsafeBufferPointer { score in
                screened.offerPairs(row: 0, columns: column..<(column + 1), scores: score.baseAddress!, threshold: 2) { _, _ in true }
            }
            plain.offer(0, score: 0.5, index: Int32(column))
            plain.offer(column, score: 0.5, index: 0)
        }
        #expect(screened.neighbors(of: 0).map(\.index) == [1, 2])
        #expect(screened.neighbors(of: 0).map(\.index) == plain.neighbors(of: 0).map(\.index))
    }

    @Test func absorbingEqualsOfferingToOneTable() {
        var generator = SeededGenerator(seed: 77)
        let one = TopKTable(rows: 4, k: 3), left = TopKTable(rows: 4, k: 3), right = TopKTable(rows: 4, k: 3)
        for step in 0..<200 {
            let row = Int.random(in: 0..<4, using: &generator)
            let score = Float(Int.random(in: 0...10, using: &generator)) / 10
            let index = Int32.random(in: 0..<50, using: &generator)
            one.offer(row, score: score, index: index)
            (step.isMultiple(of: 2) ? left : right).offer(row, score: score, index: index)
        }
        left.absorb(right)
        for row in 0..<4 {
            #expect(left.neighbors(of: row).map(\.index) == one.neighbors(of: row).map(\.index))
        }
    }

    /// Two tables that both started from the same entries: absorbing leaves those out of the
    /// second, else a row would hold them twice.
    @Test func absorbingLeavesOutWhatBothTablesStartedFrom() {
        let left = TopKTable(rows: 1, k: 3), right = TopKTable(rows: 1, k: 3)
        for table in [left, right] {
            table.offer(0, score: 0.9, index: 1)
            table.offer(0, score: 0.8, index: 2)
        }
        right.offer(0, score: 0.85, index: 7)
        left.absorb(right) { _, index in index == 7 }
        #expect(left.neighbors(of: 0).map(\.index) == [1, 7, 2])
        #expect(left.holds(0, 7) && left.holds(0, 2) && !left.holds(0, 3))
        var seen: [Int] = []
        left.forEachEntry(of: 0) { seen.append($0) }
        #expect(seen.sorted() == [1, 2, 7])
    }
}
