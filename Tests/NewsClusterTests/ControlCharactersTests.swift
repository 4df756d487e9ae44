import Testing
@testable import NewsCluster

@Suite("ControlCharacters")
struct ControlCharactersTests {
    @Test func tabAndLineBreaksAreNotStray() {
        let stray = (0...0x7F).filter { ControlCharacters.isStray(UInt8($0)) }
        #expect(stray == Array(0...0x08) + [0x0B, 0x0C] + Array(0x0E...0x1F) + [0x7F])
        let controls = (0...0xFF).filter { ControlCharacters.isControl(UInt8($0)) }
        #expect(controls == Array(0...0x1F) + [0x7F])
    }

    @Test func strayControlsBecomeSpacesAndNothingElseMoves() throws {
        let text = "a\u{0}b\u{7}\tп’ять\u{1B}[0m\n中\u{7F}😀\r"
        let replaced = try #require(ControlCharacters.replacingStray(in: text))
        #expect(replaced == "a b \tп’ять [0m\n中 😀\r")
        #expect(replaced.utf8.count == text.utf8.count)
    }

    @Test func aTextWithoutStrayControlsIsLeftAlone() {
        #expect(ControlCharacters.replacingStray(in: "tab\tand\nlines\r, é") == nil)
    }

    @Test func firstNamesAnyControlCharacterForIds() {
        #expect(ControlCharacters.first(in: "a\u{0}b") == "U+0000")
        #expect(ControlCharacters.first(in: "a\tb\u{1}") == "U+0009")
        #expect(ControlCharacters.first(in: "x\u{1F}") == "U+001F")
        #expect(ControlCharacters.first(in: "del\u{7F}") == "U+007F")
        #expect(ControlCharacters.first(in: "plain-id-é") == nil)
    }
}
