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

    /// `bytes` in the largest unit that keeps a number of at least 1, one decimal: `7.5 GiB`.
    public static func format(_ bytes: Int) -> String {
        var value = Double(bytes)
        for unit in ["B", "KiB", "MiB", "GiB"] {
            if value < 1024 { return unit == "B" ? "\(bytes) B" : String(format: "%.1f ", value) + unit }
            value /= 1024
        }
        return String(format: "%.1f TiB", value)
    }
}
