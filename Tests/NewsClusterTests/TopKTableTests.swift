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
