/// How related other stories are to one story: average linkage over the pairs the neighbour
/// search scored. An article's best match in another story says less than the story's mean:
/// on ECB+ the sister event of an incident (the other shooting, the other quake) is more often
/// the story that matches the whole story best than the one holding the article's single best
/// match (docs/accuracy.md, "Related articles").
struct StoryAffinity {
    /// Per other story, its affinity (only stories reached by a candidate).
    var scores: [Int: Float]

    /// For each member of `story`, its candidates' exact cosines are summed per other story;
    /// the sum is divided by the story's size and by the other's, the latter at most
    /// `nearestPerRow`: a member's candidates hold no more of any story, so a large story is
    /// not made distant by the members no article could have listed.
    init(story: Int, members: [Int], candidates: NeighborLists, storyOf: [Int], storySizes: [Int], nearestPerRow: Int) {
        var sums: [Int: Float] = [:]
        for member in members {
            for neighbor in candidates[member] {
                let other = storyOf[Int(neighbor.index)]
                if other != story { sums[other, default: 0] += neighbor.score }
            }
        }
        scores = [:]
        for (other, sum) in sums {
            let pairs = Float(max(1, members.count)) * Float(max(1, min(storySizes[other], nearestPerRow)))
            scores[other] = sum / pairs
        }
    }

    subscript(other: Int) -> Float { scores[other] ?? 0 }
}
