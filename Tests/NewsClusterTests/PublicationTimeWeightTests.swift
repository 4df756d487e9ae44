import Foundation
import Testing
@testable import NewsCluster

@Suite("PublicationTimeWeight")
struct PublicationTimeWeightTests {
    let weight = PublicationTimeWeight(graceDays: 1.5, decayDays: 2)
    let day = 86_400.0

    @Test func theSameMorningWeighsMostAndTheGraceWeighsOne() {
        #expect(weight.weight(secondsApart: 0) == Float(PublicationTimeWeight.maximumWeight))
        #expect(abs(weight.weight(secondsApart: 1.5 * day) - 1) < 1e-6)
        // exp(-(1 - 1.5) / 2) = exp(0.25) ≈ 1.284
        #expect(abs(weight.weight(secondsApart: day) - Float(exp(0.25))) < 1e-5)
    }

    @Test func weeksApartKeepTheFloorAndOrderDoesNotMatter() {
        // exp(-(2.5 - 1.5) / 2) = exp(-0.5) ≈ 0.6065
        #expect(abs(weight.weight(secondsApart: -2.5 * day) - Float(exp(-0.5))) < 1e-5)
        #expect(weight.weight(secondsApart: 2.5 * day) == weight.weight(secondsApart: -2.5 * day))
        #expect(weight.weight(secondsApart: 30 * day) == Float(PublicationTimeWeight.minimumWeight))
        var previous = Float.infinity
        for hours in stride(from: 0.0, through: 24 * 20, by: 7) {
            let next = weight.weight(secondsApart: hours * 3_600)
            #expect(next <= previous)
            previous = next
        }
    }

    @Test func edgesWithoutBothDatesWeighOne() {
        let edges = [Fixtures.edge(0, 1, 0.5), Fixtures.edge(0, 2, 0.5), Fixtures.edge(1, 2, 0.5), Fixtures.edge(2, 3, 0.5)]
        let published: [Double?] = [0, 10 * day, nil, 0.25 * day]
        for threads in [1, 2] {
            let weights = weight.weights(of: edges, published: published, threads: threads)
            #expect(weights == [Float(PublicationTimeWeight.minimumWeight), 1, 1, 1])
        }
    }

    @Test func theOptionsTurnItOffWithAZeroDecay() {
        var options = ClusterOptions()
        #expect(options.publicationTimeWeight == PublicationTimeWeight(graceDays: 1.5, decayDays: 2))
        options.timeDecayDays = 0
        #expect(options.publicationTimeWeight == nil)
    }
}
