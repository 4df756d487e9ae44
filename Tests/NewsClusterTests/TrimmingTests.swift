import Foundation
import Testing
@testable import NewsCluster

@Suite("Trimming")
struct TrimmingTests {
    @Test(arguments: [
        "", " ", "\t", "plain", "https://example.org/a", " padded ", "\tlead", "trail\t",
        "\u{A0}no-break\u{A0}", "\u{2003}em space", "ideographic\u{3000}", "Бішкек", " Бішкек ",
        "ends in é", "\u{0301}combining", "line\n", "\nline", "a b",
    ])
    func sameAsFoundation(_ text: String) {
        #expect(text.trimmingWhitespaces() == text.trimmingCharacters(in: .whitespaces))
    }
}
