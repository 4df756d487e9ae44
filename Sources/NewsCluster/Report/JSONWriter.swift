/// Writes JSON straight into bytes, in the exact layout of Foundation's `JSONEncoder` with
/// `.sortedKeys` and `.withoutEscapingSlashes` (and `.prettyPrinted` when `pretty`), so that
/// reports do not change with the writer. The reports use it instead of JSONEncoder because
/// encoding was most of the report stage (3 s of 37 at 100k articles, measured) and JSONEncoder
/// does not speed up when run on several threads; callers write keys in sorted order.
struct JSONWriter {
    private(set) var bytes: [UInt8] = []
    let pretty: Bool
    /// Per open container: whether it has an element yet.
    private var hasElements: [Bool] = []
    private var afterKey = false
    /// Indentation of the outermost value (pretty output spliced into a larger document).
    private let baseLevel: Int

    init(pretty: Bool, baseLevel: Int = 0) {
        self.pretty = pretty
        self.baseLevel = baseLevel
    }

    mutating func beginObject() { open(UInt8(ascii: "{")) }
    mutating func endObject() { close(UInt8(ascii: "}")) }
    mutating func beginArray() { open(UInt8(ascii: "[")) }
    mutating func endArray() { close(UInt8(ascii: "]")) }

    mutating func key(_ name: String) {
        startElement()
        writeString(name)
        if pretty {
            bytes.append(contentsOf: [0x20, UInt8(ascii: ":"), 0x20])
        } else {
            bytes.append(UInt8(ascii: ":"))
        }
        afterKey = true
    }

    mutating func value(_ string: String) {
        startValue()
        writeString(string)
    }

    mutating func value(_ string: String?) {
        if let string { value(string) } else { startValue(); bytes.append(contentsOf: Array("null".utf8)) }
    }

    mutating func value(_ number: Int) {
        startValue()
        bytes.append(contentsOf: Array(String(number).utf8))
    }

    /// As JSONEncoder writes a Double: its shortest description, without a trailing ".0".
    mutating func value(_ number: Double) {
        precondition(number.isFinite, "JSON has no infinities")
        startValue()
        var text = number.description
        if text.hasSuffix(".0") { text.removeLast(2) }
        bytes.append(contentsOf: Array(text.utf8))
    }

    mutating func value(_ flag: Bool) {
        startValue()
        bytes.append(contentsOf: Array((flag ? "true" : "false").utf8))
    }

    /// `"key": value` for the common shapes.
    mutating func field(_ name: String, _ string: String) { key(name); value(string) }
    mutating func field(_ name: String, _ number: Int) { key(name); value(number) }
    mutating func field(_ name: String, _ number: Double) { key(name); value(number) }
    mutating func field(_ name: String, _ flag: Bool) { key(name); value(flag) }
    /// Writes `null` for nil (an explicitly encoded optional).
    mutating func field(_ name: String, orNull string: String?) { key(name); value(string) }
    /// Leaves the key out for nil (a synthesized `encodeIfPresent`).
    mutating func field(_ name: String, ifPresent string: String?) {
        if let string { key(name); value(string) }
    }
    mutating func field(_ name: String, strings: [String]) {
        key(name)
        beginArray()
        for string in strings { value(string) }
        endArray()
    }

    /// `"key": [ {…}, … ]`, each object's fields written by `fields`.
    mutating func field<Element>(_ name: String, objects: [Element], _ fields: (inout JSONWriter, Element) -> Void) {
        key(name)
        beginArray()
        for element in objects {
            beginObject()
            fields(&self, element)
            endObject()
        }
        endArray()
    }

    private var level: Int { baseLevel + hasElements.count }

    private mutating func open(_ bracket: UInt8) {
        startValue()
        bytes.append(bracket)
        hasElements.append(false)
    }

    private mutating func close(_ bracket: UInt8) {
        let hadElements = hasElements.removeLast()
        if pretty {
            bytes.append(0x0A)
            if !hadElements { bytes.append(0x0A) }
            indent(level)
        }
        bytes.append(bracket)
    }

    /// Before a value: nothing after a key, else the separator of an array element.
    private mutating func startValue() {
        if afterKey {
            afterKey = false
        } else if !hasElements.isEmpty {
            startElement()
        }
    }

    private mutating func startElement() {
        if hasElements[hasElements.count - 1] { bytes.append(UInt8(ascii: ",")) }
        hasElements[hasElements.count - 1] = true
        if pretty {
            bytes.append(0x0A)
            indent(level)
        }
    }

    private mutating func indent(_ level: Int) {
        for _ in 0..<(2 * level) { bytes.append(0x20) }
    }

    private static let hexDigits = Array("0123456789abcdef".utf8)

    private mutating func writeString(_ string: String) {
        bytes.append(UInt8(ascii: "\""))
        var string = string
        string.withUTF8 { utf8 in
            // Runs that need no escape are copied whole: most strings are one run, and a
            // byte-by-byte append was a tenth of the report stage (measured with perf).
            var runStart = 0
            for index in utf8.indices {
                let byte = utf8[index]
                guard byte < 0x20 || byte == UInt8(ascii: "\"") || byte == 0x5C else { continue }
                bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[runStart..<index]))
                runStart = index + 1
                switch byte {
                case UInt8(ascii: "\""): bytes.append(contentsOf: [0x5C, byte])
                case 0x5C: bytes.append(contentsOf: [0x5C, 0x5C])
                case 0x0A: bytes.append(contentsOf: [0x5C, UInt8(ascii: "n")])
                case 0x0D: bytes.append(contentsOf: [0x5C, UInt8(ascii: "r")])
                case 0x09: bytes.append(contentsOf: [0x5C, UInt8(ascii: "t")])
                case 0x08: bytes.append(contentsOf: [0x5C, UInt8(ascii: "b")])
                case 0x0C: bytes.append(contentsOf: [0x5C, UInt8(ascii: "f")])
                default:
                    bytes.append(contentsOf: [0x5C, UInt8(ascii: "u"), 0x30, 0x30,
                                              Self.hexDigits[Int(byte >> 4)], Self.hexDigits[Int(byte & 0xF)]])
                }
            }
            bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[runStart...]))
        }
        bytes.append(UInt8(ascii: "\""))
    }
}
