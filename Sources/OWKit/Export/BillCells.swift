import FoundationEssentials
import OWCore
import OWIdentity
import OWOffice

/// Cells as the accounting tools read them: one clean line, formula-guarded, their date and decimal styles, Windows-1252 for DATEV.
extension Bills {
    /// Text from data on one line: controls and line breaks become spaces, runs of spaces one.
    static func clean(_ s: String) -> String {
        var out = ""
        var space = false
        for u in s.unicodeScalars {
            let isSpace =
                u.properties.isWhitespace || u.value < 0x20 || (0x7F...0x9F).contains(u.value)
                || [0x061C, 0x200E, 0x200F, 0x202A, 0x202B, 0x202C, 0x202D, 0x202E, 0x2066, 0x2067, 0x2068, 0x2069].contains(u.value)
            if isSpace {
                space = !out.isEmpty
            } else {
                if space { out.unicodeScalars.append(" ") }
                space = false
                out.unicodeScalars.append(u)
            }
        }
        return out
    }

    /// A text cell a spreadsheet would run as a formula (a leading `=`, `+`, `-` or `@`) gets a
    /// leading apostrophe (OWASP "CSV injection").
    static func guarded(_ s: String) -> String {
        guard let f = s.first, "=+-@".contains(f) else { return s }
        return "'" + s
    }

    /// An RFC 4180 row: comma-separated, quoted where needed, CR LF.
    static func csvRow(_ cells: [String], to out: inout [UInt8]) {
        for (i, c) in cells.enumerated() {
            if i > 0 { out.append(UInt8(ascii: ",")) }
            let b = Array(c.utf8)
            if b.contains(where: { $0 == UInt8(ascii: ",") || $0 == UInt8(ascii: "\"") || $0 == 10 || $0 == 13 }) {
                out.append(UInt8(ascii: "\""))
                for x in b {
                    out.append(x)
                    if x == UInt8(ascii: "\"") { out.append(x) }
                }
                out.append(UInt8(ascii: "\""))
            } else {
                out += b
            }
        }
        out += [13, 10]
    }

    /// `YYYY-MM-DD` as DD/MM/YYYY or MM/DD/YYYY.
    package static func date(_ day: String, dayFirst: Bool) -> String {
        let y = day.prefix(4)
        let m = day.dropFirst(5).prefix(2)
        let d = day.dropFirst(8).prefix(2)
        return dayFirst ? "\(d)/\(m)/\(y)" : "\(m)/\(d)/\(y)"
    }

    /// The exact decimal of an amount, point or comma, no thousands separators.
    package static func decimal(_ m: Money, comma: Bool) -> String {
        let e = m.currency.exponent
        let neg = m.minor < 0
        var digits = String(m.minor.magnitude)
        if e > 0 {
            if digits.count <= e { digits = String(repeating: "0", count: e - digits.count + 1) + digits }
            digits.insert(comma ? "," : ".", at: digits.index(digits.endIndex, offsetBy: -e))
        } else if comma {
            digits += ",00"
        }
        return (neg ? "-" : "") + digits
    }

    /// Windows-1252 bytes; a character it has no byte for becomes `?`.
    static func windows1252(_ s: String) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(s.utf8.count)
        for u in s.unicodeScalars {
            let v = u.value
            if v < 0x80 || (0xA0...0xFF).contains(v) {
                out.append(UInt8(v))
            } else if let b = cp1252High[v] {
                out.append(b)
            } else {
                out.append(UInt8(ascii: "?"))
            }
        }
        return out
    }

    static let cp1252High: [UInt32: UInt8] = [
        0x20AC: 0x80, 0x201A: 0x82, 0x0192: 0x83, 0x201E: 0x84, 0x2026: 0x85, 0x2020: 0x86, 0x2021: 0x87, 0x02C6: 0x88, 0x2030: 0x89,
        0x0160: 0x8A, 0x2039: 0x8B, 0x0152: 0x8C, 0x017D: 0x8E, 0x2018: 0x91, 0x2019: 0x92, 0x201C: 0x93, 0x201D: 0x94, 0x2022: 0x95,
        0x2013: 0x96, 0x2014: 0x97, 0x02DC: 0x98, 0x2122: 0x99, 0x0161: 0x9A, 0x203A: 0x9B, 0x0153: 0x9C, 0x017E: 0x9E, 0x0178: 0x9F,
    ]

    /// `--map FILE`: lines `vendor=account` or `category:NAME=account`; `#` starts a comment.
    public static func parseMapping(_ text: String, file: String) throws -> [String: String] {
        var out: [String: String] = [:]
        for (i, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = clean(String(raw))
            if line.isEmpty || line.hasPrefix("#") { continue }
            guard let eq = line.lastIndex(of: "=") else {
                throw OWError.badData("\(file):\(i + 1): '\(line.prefix(60))' is not NAME=ACCOUNT")
            }
            let key = clean(String(line[..<eq])).lowercased()
            let value = clean(String(line[line.index(after: eq)...]))
            guard !key.isEmpty, !value.isEmpty, value.count <= 20 else {
                throw OWError.badData("\(file):\(i + 1): '\(line.prefix(60))' is not NAME=ACCOUNT")
            }
            out[key] = value
        }
        return out
    }
}
