import Foundation

/// The run's memory, planned against `--max-memory` before the work, from the peaks measured in
/// the README ("Memory"): whether the texts are held or read twice, how large the sgemm tiles
/// are, and whether the input can fit at all. An input that cannot fails with a clear message
/// before the work rather than being killed by the kernel in the middle of it.
///
/// The peaks grow with the input and the articles, not with the largest group of copies: a
/// group of thousands of copies keeps pairs in proportion to its size (`NeighborSearch`), so an
/// input that is half copies of one article fits the same plan (README, "A viral story").
public struct MemoryPlan: Sendable, Equatable {
    let budget: Int
    /// Texts are read twice whatever their size (`--read-texts-twice`).
    let readsTextsTwice: Bool

    init(budget: Int, readsTextsTwice: Bool = false) {
        self.budget = budget
        self.readsTextsTwice = readsTextsTwice
    }

    /// Texts held: ≈ 1.95 × the input + 55 MiB at the peak (fitted on 20k and 100k articles).
    static let heldPeakPerInputByte = 1.95
    static let heldPeakBase = 55 << 20
    /// Texts read twice: ≈ 7.7 KB per article at the peak (1M articles), rounded up.
    static let streamedPeakPerArticle = 8 << 10
    static let streamedPeakBase = 64 << 20
    /// The pre-read check counts articles from a sample of lines, so it fails only past this
    /// margin; the count after the read is exact.
    static let estimateMargin = 1.25

    /// Whether a run over `inputBytes` holds every text in memory (one read) or reads each text
    /// again when it cleans and counts it (two reads, memory independent of the text length):
    /// holding costs up to about three times the input while it is decoded.
    func holdsText(inputBytes: Int) -> Bool {
        !readsTextsTwice && 3 * inputBytes <= budget
    }

    /// The expected peak resident size of a run.
    func peak(articles: Int, inputBytes: Int) -> Int {
        if holdsText(inputBytes: inputBytes) {
            return Int(Self.heldPeakPerInputByte * Double(inputBytes)) + Self.heldPeakBase
        }
        return articles * Self.streamedPeakPerArticle + Self.streamedPeakBase
    }

    /// Throws `DoesNotFit` when the run's peak would pass the budget. `estimated`: the article
    /// count comes from `estimatedArticles` (before the read), not from the read itself.
    func check(articles: Int, inputBytes: Int, estimated: Bool) throws {
        let needed = peak(articles: articles, inputBytes: inputBytes)
        let limit = estimated ? Double(budget) * Self.estimateMargin : Double(budget)
        if Double(needed) > limit {
            throw DoesNotFit(articles: articles, needed: needed, budget: budget, estimated: estimated)
        }
    }

    /// Rows per side of an sgemm tile: the threads' tiles of scores (rows² floats each) take at
    /// most a 64th of the budget, from 768 rows (2.25 MiB a tile, from a 288 MiB budget with two
    /// threads) down to 256.
    ///
    /// Not larger: with the projection's depth of 96, a tile that leaves the caches is slower
    /// per flop. Measured on two cores, one single-threaded sgemm per core: 512–896 rows
    /// 185–198 GFLOP/s, 1,024 rows 137–168, 2,048 rows 150–155; in the 100k pipeline 768-row
    /// tiles ran sgemm at 190–196 GFLOP/s against 169–173 with 2,048.
    static let largestTileRows = 768

    func tileRows(threads: Int) -> Int {
        let floatsPerThread = budget / 64 / max(1, threads) / MemoryLayout<Float>.size
        let fitting = Int(Double(floatsPerThread).squareRoot()) / 64 * 64
        return min(Self.largestTileRows, max(256, fitting))
    }

    /// Before the read, a compressed file's text is taken to be this many times its size (the
    /// README's "Input" gives the ratios measured). Near the high end, so that a doubt ends in
    /// reading the texts twice, which bounds the memory, rather than in holding them.
    static let compressedTextPerByte = 5

    /// The bytes of text in `file` as far as they are known before the read: a plain file's
    /// size, a compressed file's size × `compressedTextPerByte`. A pipe (also `-`, a FIFO,
    /// `/dev/fd/63`) has no size before it is read: 0, and the run plans for it otherwise
    /// (`Pipeline.run` reads its texts twice, from a spool).
    static func estimatedTextBytes(of file: String) -> Int {
        estimatedTextBytes(of: ByteSource.probe(file))
    }

    /// As `estimatedTextBytes(of:)` for an input already probed.
    static func estimatedTextBytes(of probe: ByteSource.Probe) -> Int {
        probe.compression == nil ? probe.size : probe.size * compressedTextPerByte
    }

    /// The number of records in `files`: one per `.txt` file (not opened: a directory may hold
    /// thousands), and for JSONL the lines of the first mebibyte of its text (decompressed)
    /// scaled to `estimatedTextBytes`. A pipe counts 0: a peek would take bytes that the read
    /// then never sees.
    static func estimatedArticles(in files: [String]) -> Int {
        var total = 0.0
        for file in files {
            if file.hasSuffix(".txt") {
                total += 1
                continue
            }
            let probe = ByteSource.probe(file)
            guard probe.isRegularFile, let source = try? ByteSource(path: file) else { continue }
            var sample: [UInt8] = []
            while sample.count < 1 << 20,
                  let count = try? source.read(appendingTo: &sample, maximum: (1 << 20) - sample.count), count > 0 {}
            guard !sample.isEmpty else { continue }
            let lines = max(1, sample.reduce(0) { $0 + ($1 == 0x0A ? 1 : 0) })
            total += Double(estimatedTextBytes(of: probe)) * Double(lines) / Double(sample.count)
        }
        return Int(total.rounded())
    }

    public struct DoesNotFit: Error, CustomStringConvertible {
        public var articles: Int
        var needed: Int
        var budget: Int
        var estimated: Bool

        public var description: String {
            let count = estimated ? "about \(articles) articles (estimated from their first lines)" : "\(articles) articles"
            return "the input does not fit in memory: \(count) need about \(ByteCount.format(needed)) "
                + "at the peak, and --max-memory allows \(ByteCount.format(budget)). Raise --max-memory "
                + "(up to what the machine has free) or give fewer days of news at a time."
        }
    }
}
