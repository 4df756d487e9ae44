import Foundation

/// How much two articles' publication times say about their being one story.
///
/// Reports of one event come out within a day or two of each other; an incident of the same
/// kind weeks later (another shooting in the same city, the next death in the same outbreak)
/// shares most of their words. So a pair's similarity is weighed by how far apart the two were
/// published: up to `maximumWeight` for articles of the same morning, 1 at `graceDays` apart,
/// then falling by a factor e every `decayDays` down to `minimumWeight`, which it keeps
/// however far apart they are (a follow-up weeks later can still join its story, on stronger
/// evidence). Pairs without both dates weigh 1, as before.
///
/// The defaults come from the sweep in docs/accuracy.md: on the scraped ECB+ pages, whose
/// stories are bursts of ±36 hours, BCubed F1 0.955 → 0.966; GVC, whose stories span up to
/// 14 days, stays at 1.000.
struct PublicationTimeWeight: Sendable, Equatable {
    var graceDays: Double
    var decayDays: Double

    static let maximumWeight = 1.5
    static let minimumWeight = 0.5

    /// The weight of a pair published `seconds` apart (either order).
    func weight(secondsApart seconds: Double) -> Float {
        let days = abs(seconds) / 86_400
        let weight = exp(-(days - graceDays) / decayDays)
        return Float(min(Self.maximumWeight, max(Self.minimumWeight, weight)))
    }

    /// One weight per edge: 1 where either article has no date.
    func weights(of edges: [NeighborSearch.Edge], published: [Double?], threads: Int) -> [Float] {
        Parallel.mapChunks(count: edges.count, threads: threads) { chunk -> [Float] in
            chunk.map { index in
                let edge = edges[index]
                guard let a = published[Int(edge.a)], let b = published[Int(edge.b)] else { return 1 }
                return weight(secondsApart: a - b)
            }
        }.flatMap { $0 }
    }
}
