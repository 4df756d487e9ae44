import Testing
@testable import NewsCluster

@Suite("DenseNumbering")
struct DenseNumberingTests {
    @Test func numbersKeysInTheOrderFirstMetAsADictionaryWould() {
        var generator = SeededGenerator(seed: 5)
        for range: ClosedRange<UInt64> in [0...50, 0...5_000, UInt64.max - 300...UInt64.max, 0...UInt64.max] {
            var numbering = DenseNumbering(capacity: 2)
            var reference: [UInt64: Int32] = [:]
            for _ in 0..<20_000 {
                // Keys that share their low or high bits as well as random ones.
                let key = switch UInt64.random(in: 0...2, using: &generator) {
                case 0: UInt64.random(in: range, using: &generator)
                case 1: UInt64.random(in: 0...63, using: &generator) << 58
                default: UInt64.random(in: 0...63, using: &generator) << 6
                }
                let expected = reference[key] ?? Int32(reference.count)
                let (number, isNew) = numbering.number(of: key)
                #expect(number == expected && isNew == (reference[key] == nil))
                reference[key] = expected
            }
            #expect(numbering.count == reference.count)
            for _ in 0..<2_000 {
                let key = UInt64.random(in: range, using: &generator)
                #expect(numbering.existingNumber(of: key) == reference[key])
            }
        }
    }

    @Test func zeroIsAKeyLikeAnyOther() {
        var numbering = DenseNumbering()
        #expect(numbering.number(of: 0) == (0, true))
        #expect(numbering.number(of: 0) == (0, false))
        #expect(numbering.number(of: 7) == (1, true))
        #expect(numbering.count == 2)
        #expect(numbering.existingNumber(of: 0) == 0 && numbering.existingNumber(of: 1) == nil)
    }
}
