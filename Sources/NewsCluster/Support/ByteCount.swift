import Foundation

/// Sizes as people write them on a command line: `8G`, `512M`, `1.5GiB`, `100000` (bytes).
/// K, M, G and T are powers of 1024, with or without a trailing `B` or `iB`.
public enum ByteCount {
    public static func parse(_ text: String) -> Int? {
        var digits = Substring(text.trimmingCharacters(in: .whitespaces)).uppercased()[...]
        for suffix in ["IB", "B"] where digits.hasSuffix(suffix) {
            digits = digits.dropLast(suffix.count)
            break
        }
        var scale = 1.0
        if let unit = digits.last, let power = "KMGT".firstIndex(of: unit) {
            scale = pow(1024, Double("KMGT".distance(from: "KMGT".startIndex, to: power) + 1))
            digits = digits.dropLast()
        }
        guard let value = Double(digits), value.isFinite, value > 0 else { return nil }
        let bytes = value * scale
        return bytes < Double(Int.max) ? Int(bytes) : nil
    }
}
