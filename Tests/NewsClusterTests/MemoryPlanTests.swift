import Foundation
import Testing
@testable import NewsCluster

@Suite("MemoryPlan")
struct MemoryPlanTests {
    @Test func textsAreHeldWhenThreeTimesTheInputFitsTheBudget() {
        let plan = MemoryPlan(budget: 3_000)
        #expect(plan.holdsText(inputBytes: 1_000))
        #expect(!plan.holdsText(inputBytes: 1_001))
    }

    @Test func readingTextsTwiceCanBeChosenWhateverTheSize() {
        #expect(!MemoryPlan(budget: 8 << 30, readsTextsTwice: true).holdsText(inputBytes: 1_000))
    }

    @Test func thePeakFollowsTheMeasuredFormulaOfEachRegime() {
        let plan = MemoryPlan(budget: 8 << 30)
        // Held: the 100k bench input (715 MB) was measured at 1,378 MiB.
        let held = plan.peak(articles: 100_000, inputBytes: 715_200_000)
        #expect(abs(Double(held >> 20) - 1_378) < 40)
        // Read twice: the 1M input (7.2 GB) was measured at 7,681 MiB.
        let streamed = plan.peak(articles: 1_000_000, inputBytes: 7_164_600_000)
        #expect(abs(Double(streamed >> 20) - 7_681) < 400)
    }

    @Test func aRunPastTheBudgetFailsNamingWhatItNeedsAndWhatIsAllowed() throws {
        let plan = MemoryPlan(budget: 4 << 30)
        try plan.check(articles: 400_000, inputBytes: 3_000_000_000, estimated: false)
        #expect {
            try plan.check(articles: 1_000_000, inputBytes: 7_000_000_000, estimated: false)
        } throws: { error in
            let text = "\(error)"
            return text.contains("1000000 articles") && text.contains("7.7 GiB") && text.contains("4.0 GiB")
                && text.contains("--max-memory")
        }
    }

    @Test func anEstimateFailsOnlyPastItsMargin() throws {
        let plan = MemoryPlan(budget: 1 << 30)
        // 150k articles need ≈ 1.2 GiB: over the budget, within the margin of an estimate.
        try plan.check(articles: 150_000, inputBytes: 2_000_000_000, estimated: true)
        #expect(throws: MemoryPlan.DoesNotFit.self) {
            try plan.check(articles: 150_000, inputBytes: 2_000_000_000, estimated: false)
        }
        #expect(throws: MemoryPlan.DoesNotFit.self) {
            try plan.check(articles: 200_000, inputBytes: 2_000_000_000, estimated: true)
        }
    }

    @Test func tileRowsFitTheBudgetBetween256And768() {
        #expect(MemoryPlan(budget: 8 << 30).tileRows(threads: 2) == 768)
        #expect(MemoryPlan(budget: 128 << 20).tileRows(threads: 2) == 512)
        #expect(MemoryPlan(budget: 128 << 20).tileRows(threads: 1) == 704)
        #expect(MemoryPlan(budget: 1 << 20).tileRows(threads: 2) == 256)
        #expect(MemoryPlan(budget: 1 << 30).tileRows(threads: 1) == 768)
    }

    @Test func articlesAreCountedFromTheFirstLines() throws {
        let directory = Fixtures.temporaryDirectory()
        defer { Fixtures.remove(directory) }
        let line = String(repeating: "x", count: 99) + "\n"
        let small = Fixtures.write(String(repeating: line, count: 50), named: "small.jsonl", in: directory)
        let large = Fixtures.write(String(repeating: line, count: 30_000), named: "large.jsonl", in: directory)
        let empty = Fixtures.write("", named: "empty.jsonl", in: directory)
        #expect(MemoryPlan.estimatedArticles(in: [small]) == 50)
        let page = Fixtures.write("Title\n" + String(repeating: line, count: 20), named: "page.txt", in: directory)
        #expect(MemoryPlan.estimatedArticles(in: [page, small]) == 51)
        // The large file's first mebibyte ends inside a line: a count within a line or two.
        #expect(abs(MemoryPlan.estimatedArticles(in: [small, large, empty, directory + "/missing"]) - 30_050) <= 3)
    }

    @Test func aCompressedFileCountsItsTextByAFactorAndItsLinesDecompressed() throws {
        let directory = Fixtures.temporaryDirectory()
        defer { Fixtures.remove(directory) }
        // Varied lines, so that the compressed size is not negligible.
        let text = (0..<2_000).map { "{\"id\":\"a\($0)\",\"text\":\"\(String(($0 * 7919) % 100_003, radix: 36)) words\"}\n" }.joined()
        let gzip = Fixtures.write(Decompressor.compress(Array(text.utf8), as: .gzip), named: "a.jsonl.gz", in: directory)
        let size = try #require(FileManager.default.attributesOfItem(atPath: gzip)[.size] as? Int)
        #expect(MemoryPlan.estimatedTextBytes(of: gzip) == size * MemoryPlan.compressedTextPerByte)
        let plain = Fixtures.write(text, named: "a.jsonl", in: directory)
        #expect(MemoryPlan.estimatedTextBytes(of: plain) == text.utf8.count)
        // Lines per decompressed byte, times the estimated text: the factor over the true ratio.
        let estimated = Double(MemoryPlan.estimatedArticles(in: [gzip]))
        let expected = 2_000 * Double(size * MemoryPlan.compressedTextPerByte) / Double(text.utf8.count)
        #expect(abs(estimated - expected) <= 1)
    }

    @Test(.timeLimit(.minutes(1))) func aPipeIsNeitherSizedNorPeekedAt() throws {
        let directory = Fixtures.temporaryDirectory()
        defer { Fixtures.remove(directory) }
        let path = directory + "/input.fifo"
        try #require(mkfifo(path, 0o600) == 0)
        // Opening the FIFO would block this test: that it returns shows it was not opened.
        #expect(MemoryPlan.estimatedTextBytes(of: path) == 0)
        #expect(MemoryPlan.estimatedArticles(in: [path, "-"]) == 0)
    }
}
