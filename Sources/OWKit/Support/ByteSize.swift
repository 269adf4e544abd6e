import FoundationEssentials

/// A size in bytes as a setting writes it.
package enum ByteSize {
    /// `10240000`, `500K`, `25M`, `1G` (powers of 1024 after the number).
    package static func parse(_ text: String, _ key: String) throws -> Int {
        let t = text.trimmedBlanks.uppercased()
        let units: [(String, Int)] = [("K", 1 << 10), ("M", 1 << 20), ("G", 1 << 30)]
        var scale = 1
        var digits = Substring(t)
        if let (suffix, s) = units.first(where: { t.hasSuffix($0.0) }) {
            scale = s
            digits = digits.dropLast(suffix.count)
        }
        guard let n = Int(digits), n > 0, n <= (4 << 30) / scale else {
            throw OWError.usage("\(key) takes a size such as 10240000, 500K or 25M (at most 4G), not '\(text)'")
        }
        return n * scale
    }
}
