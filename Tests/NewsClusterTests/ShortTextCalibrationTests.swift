import Testing
@testable import NewsCluster

@Suite("ShortTextCalibration")
struct ShortTextCalibrationTests {
    @Test func fullArticlesKeepTheThresholdsExactly() {
        for lengths in [[60, 61, 500], [80], [2, 300, 400], []] {
            let calibration = ShortTextCalibration(lengths: lengths)
            #expect(calibration.shortness == 0)
            #expect(calibration.storyThreshold(0.2) == 0.2)
        }
    }

    @Test func headlinesGetTheFullScaleAndLengthsBetweenALinearPart() {
        let headlines = ShortTextCalibration(lengths: [8, 12, 9, 400, 11])
        #expect(headlines.medianTokens == 11)
        #expect(headlines.shortness == 1)
        #expect(abs(headlines.storyThreshold(0.2) - 0.1) < 1e-6)
        // Median 37.5 → 37 or 38 tokens: halfway between 15 and 60 is 37.5.
        let between = ShortTextCalibration(lengths: [30, 38, 45])
        #expect(between.medianTokens == 38)
        #expect(abs(between.shortness - 22 / 45) < 1e-6)
        #expect(abs(between.storyThreshold(0.2) - 0.2 * (1 - 22 / 45 * 0.5)) < 1e-6)
    }
}
