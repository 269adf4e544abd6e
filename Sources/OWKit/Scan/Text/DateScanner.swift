import FoundationEssentials
import OWBase

/// The date expression of `DocumentDate.dateMatches`, by hand: every quantifier there is greedy
/// and can only succeed at its longest run, so each branch is a straight walk over scalars.
package struct DateScanner {
    package let s: [Unicode.Scalar]

    package init(_ text: String) { s = Array(text.unicodeScalars) }

    func isDigit(_ i: Int) -> Bool { i >= 0 && i < s.count && s[i].properties.generalCategory == .decimalNumber }
    /// ICU's `\s`: [\t\n\f\r\p{Z}].
    package func isSpace(_ i: Int) -> Bool {
        guard i < s.count else { return false }
        switch s[i].value {
        case 0x09, 0x0A, 0x0C, 0x0D: return true
        default:
            switch s[i].properties.generalCategory {
            case .spaceSeparator, .lineSeparator, .paragraphSeparator: return true
            default: return false
            }
        }
    }
    /// ICU's `[^\W\d_]`: a word character (Alphabetic, marks, connector punctuation, ZWJ/ZWNJ)
    /// that is neither a digit nor "_".
    package func isLetter(_ i: Int) -> Bool {
        guard i < s.count, !isDigit(i), s[i] != "_" else { return false }
        let p = s[i].properties
        if p.isAlphabetic || s[i].value == 0x200C || s[i].value == 0x200D { return true }
        switch p.generalCategory {
        case .nonspacingMark, .spacingMark, .enclosingMark, .connectorPunctuation: return true
        default: return false
        }
    }
    func isAny(_ i: Int, _ set: String) -> Bool { i < s.count && set.unicodeScalars.contains(s[i]) }
    package func run(_ i: Int, _ test: (Int) -> Bool) -> Int {
        var j = i
        while test(j) { j += 1 }
        return j - i
    }
    package func text(_ a: Int, _ b: Int) -> String { String(String.UnicodeScalarView(s[a..<b])) }

    /// `\d{lo,hi}` at `i` where the run must end there (what follows is not a digit): its end.
    package func digits(_ i: Int, _ lo: Int, _ hi: Int) -> Int? {
        let n = run(i, isDigit)
        return n >= lo && n <= hi ? i + n : nil
    }

    package func all() -> [[String?]] {
        var out: [[String?]] = []
        var i = 0
        while i < s.count {
            if let (end, groups) = match(at: i) {
                out.append(groups)
                i = max(end, i + 1)
            } else {
                i += 1
            }
        }
        return out
    }

    package func match(at i: Int) -> (Int, [String?])? {
        var g = [String?](repeating: nil, count: 17)
        // 1: (\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?!\d)
        if isDigit(i), isDigit(i + 1), isDigit(i + 2), isDigit(i + 3), isAny(i + 4, "-/."), let m = digits(i + 5, 1, 2), isAny(m, "-/."),
            let d = digits(m + 1, 1, 2)
        {
            g[1] = text(i, i + 4)
            g[2] = text(i + 5, m)
            g[3] = text(m + 1, d)
            return (d, g)
        }
        // 2: (?<!\d)(\d{1,2})([./-])(\d{1,2})\5(\d{4}|\d{2})(?!\d)
        if !isDigit(i - 1), let a = digits(i, 1, 2), isAny(a, "./-"), let b = digits(a + 1, 1, 2), b < s.count, s[b] == s[a] {
            let n = run(b + 1, isDigit)
            if n == 4 || n == 2 {
                g[4] = text(i, a)
                g[5] = text(a, a + 1)
                g[6] = text(a + 1, b)
                g[7] = text(b + 1, b + 1 + n)
                return (b + 1 + n, g)
            }
        }
        // 3: (?<!\d)(\d{1,2})\.?\s*([^\W\d_]{3,12})\.?,?\s+(\d{4})(?!\d)
        if !isDigit(i - 1), let a = digits(i, 1, 2) {
            var j = a
            if isAny(j, ".") { j += 1 }
            j += run(j, isSpace)
            let n = run(j, isLetter)
            if n >= 3 && n <= 12 {
                var k = j + n
                if isAny(k, ".") { k += 1 }
                if isAny(k, ",") { k += 1 }
                let w = run(k, isSpace)
                if w > 0, run(k + w, isDigit) == 4 {
                    g[8] = text(i, a)
                    g[9] = text(j, j + n)
                    g[10] = text(k + w, k + w + 4)
                    return (k + w + 4, g)
                }
            }
        }
        // 4: ([^\W\d_]{3,12})\.?\s+(\d{1,2})(?:st|nd|rd|th)?\s*,?\s+(\d{4})(?!\d)
        let n = run(i, isLetter)
        if n >= 3 && n <= 12 {
            var j = i + n
            if isAny(j, ".") { j += 1 }
            let w = run(j, isSpace)
            if w > 0, let d = digits(j + w, 1, 2) {
                var k = d
                if k + 1 < s.count, ["st", "nd", "rd", "th"].contains(text(k, k + 2)) { k += 2 }
                // \s*,?\s+: spaces, then a comma and at least one space, or at least one space.
                let w1 = run(k, isSpace)
                var e: Int?
                if isAny(k + w1, ",") {
                    let w2 = run(k + w1 + 1, isSpace)
                    if w2 > 0 { e = k + w1 + 1 + w2 }
                } else if w1 > 0 {
                    e = k + w1
                }
                if let e, run(e, isDigit) == 4 {
                    g[11] = text(i, i + n)
                    g[12] = text(j + w, d)
                    g[13] = text(e, e + 4)
                    return (e + 4, g)
                }
            }
        }
        // 5: (\d{4})年(\d{1,2})月(\d{1,2})日
        if isDigit(i), isDigit(i + 1), isDigit(i + 2), isDigit(i + 3), isAny(i + 4, "年"), let m = digits(i + 5, 1, 2), isAny(m, "月"),
            let d = digits(m + 1, 1, 2), isAny(d, "日")
        {
            g[14] = text(i, i + 4)
            g[15] = text(i + 5, m)
            g[16] = text(m + 1, d)
            return (d + 1, g)
        }
        return nil
    }
}
