import Foundation
import Testing
@testable import NewsCluster

/// Seconds since the epoch from Foundation's Gregorian calendar in UTC: an independent oracle.
private func epoch(_ year: Int, _ month: Int, _ day: Int, _ hour: Int = 0, _ minute: Int = 0, _ second: Int = 0) -> Double {
    var calendar = Calendar(identifier: .gregorian)
    calendar.timeZone = TimeZone(identifier: "UTC")!
    let components = DateComponents(year: year, month: month, day: day, hour: hour, minute: minute, second: second)
    return calendar.date(from: components)!.timeIntervalSince1970
}

@Suite("PublishedDate")
struct PublishedDateTests {
    @Test func dateOnly() {
        #expect(PublishedDate.parse("1970-01-01") == 0)
        #expect(PublishedDate.parse("2024-03-05") == 1_709_596_800)
        #expect(PublishedDate.parse("2024-03-05") == epoch(2024, 3, 5))
        #expect(PublishedDate.parse("1969-12-31") == -86_400)
        #expect(PublishedDate.parse("1900-03-01") == epoch(1900, 3, 1))
        #expect(PublishedDate.parse("2024-03-05  ") == epoch(2024, 3, 5))
    }

    @Test func dateTimeWithZ() {
        #expect(PublishedDate.parse("2024-03-05T12:34:56Z") == epoch(2024, 3, 5, 12, 34, 56))
        #expect(PublishedDate.parse("2024-03-05t12:34:56z") == epoch(2024, 3, 5, 12, 34, 56))
        #expect(PublishedDate.parse("2024-03-05 12:34:56Z") == epoch(2024, 3, 5, 12, 34, 56))
        #expect(PublishedDate.parse("2024-03-05T12:34") == epoch(2024, 3, 5, 12, 34))
        #expect(PublishedDate.parse("2024-03-05T12:34Z") == epoch(2024, 3, 5, 12, 34))
        // Without a zone the time is UTC.
        #expect(PublishedDate.parse("2024-03-05T12:34:56") == epoch(2024, 3, 5, 12, 34, 56))
    }

    @Test func offsets() {
        let utc = epoch(2024, 3, 5, 12, 34, 56)
        #expect(PublishedDate.parse("2024-03-05T12:34:56+02:00") == utc - 7200)
        #expect(PublishedDate.parse("2024-03-05T12:34:56+0200") == utc - 7200)
        #expect(PublishedDate.parse("2024-03-05T12:34:56+02") == utc - 7200)
        #expect(PublishedDate.parse("2024-03-05T12:34:56-05:30") == utc + 5 * 3600 + 30 * 60)
        #expect(PublishedDate.parse("2024-03-05T12:34:56-0530") == utc + 5 * 3600 + 30 * 60)
        #expect(PublishedDate.parse("2024-03-05T12:34:56+00:00") == utc)
        // An offset that moves the instant to the previous day.
        #expect(PublishedDate.parse("2024-03-01T01:00:00+03:00") == epoch(2024, 2, 29, 22))
    }

    @Test func fractionalSeconds() throws {
        let base = epoch(2024, 3, 5, 12, 34, 56)
        let value = try #require(PublishedDate.parse("2024-03-05T12:34:56.250Z"))
        #expect(abs(value - (base + 0.25)) < 1e-6)
        let comma = try #require(PublishedDate.parse("2024-03-05T12:34:56,5+01:00"))
        #expect(abs(comma - (base + 0.5 - 3600)) < 1e-6)
        let micro = try #require(PublishedDate.parse("2024-03-05T12:34:56.123456Z"))
        #expect(abs(micro - (base + 0.123456)) < 1e-6)
        #expect(PublishedDate.parse("2024-03-05T12:34:56.Z") == nil)
    }

    @Test(arguments: [
        "2024-13-01", "2024-00-10", "2024-01-00", "2024-01-32", "2024-04-31", "2024-06-31",
        "2023-02-29", "1900-02-29", "2100-02-29",
        "2024-3-5", "24-03-05", "2024/03/05", "", "yesterday", "2024-03-05T", "2024-03-05T24:00",
        "2024-03-05T12:60", "2024-03-05T12:34:61", "2024-03-05T12:34:56+15:00",
        "2024-03-05T12:34:56+02:60", "2024-03-05T12:34:56Zx", "2024-03-05T12:34:56 +02:00",
        "2024-03-05T12:34:56+", "2024-03-05X12:34", " 2024-03-05",
    ])
    func invalidDatesAreRejected(text: String) {
        #expect(PublishedDate.parse(text) == nil)
    }

    @Test func leapDays() {
        #expect(PublishedDate.parse("2024-02-29") == epoch(2024, 2, 29))
        #expect(PublishedDate.parse("2000-02-29") == epoch(2000, 2, 29))
        #expect(PublishedDate.parse("2023-02-28") == epoch(2023, 2, 28))
    }

    @Test func daysFromCivilMatchesFoundation() {
        var generator = SeededGenerator(seed: 11)
        for _ in 0..<500 {
            let year = Int.random(in: 1600...2400, using: &generator)
            let month = Int.random(in: 1...12, using: &generator)
            let day = Int.random(in: 1...PublishedDate.daysIn(month: month, year: year), using: &generator)
            #expect(Double(PublishedDate.daysFromCivil(year: year, month: month, day: day)) * 86_400
                    == epoch(year, month, day))
        }
    }

    @Test func dateTimeRoundTrip() {
        var generator = SeededGenerator(seed: 5)
        for _ in 0..<500 {
            let seconds = Double(Int64.random(in: -5_000_000_000...10_000_000_000, using: &generator))
            let text = PublishedDate.dateTime(of: seconds)
            #expect(text.count == 20, "\(text)")
            #expect(PublishedDate.parse(text) == seconds, "\(text)")
        }
        #expect(PublishedDate.dateTime(of: 0) == "1970-01-01T00:00:00Z")
        #expect(PublishedDate.dateTime(of: 1_709_642_096) == "2024-03-05T12:34:56Z")
        // Fractions round down, also before 1970.
        #expect(PublishedDate.dateTime(of: 59.9) == "1970-01-01T00:00:59Z")
        #expect(PublishedDate.dateTime(of: -0.5) == "1969-12-31T23:59:59Z")
        #expect(PublishedDate.day(of: -1) == "1969-12-31")
        #expect(PublishedDate.day(of: 951_782_400) == "2000-02-29")
    }
}
