import FoundationEssentials
import OWBase

/// Where a text writes amounts: the matches of `ReceiptReader.amountPattern`, found by hand over
/// the text's scalars (the expression was the costliest step of reading a receipt). The same
/// matches in the same order — RegexDifferentialTests compares the two on generated strings and
/// on the corpus's text:
///
///     (?:(?:US\$|CA\$|A\$|AU\$|NZ\$|HK\$|S\$|R\$|Rs\.?|[A-Z]{3})\s?|[$€£¥₹￥]\s?)?-?\d[\d.,' \u00A0]*\d
///         (?:\s?(?:[€$£¥₹]|[A-Z]{3}(?!\w)|円|zł|kr(?!\w)))?
///     | (?:[$€£¥₹]\s?)\d+
///
/// No backtracking is needed: at one place at most one prefix matches (their first scalars
/// differ or the next ones do), an optional space only helps when a digit or a mark follows it,
/// and the run of digits and separators gives back only what follows its last digit.
enum AmountMatcher {
    /// The scalar ranges of every amount in `s`, left to right, each search going on where the last match ended.
    static func ranges(in s: [Unicode.Scalar]) -> [Range<Int>] {
        var out: [Range<Int>] = []
        var i = 0
        while i < s.count {
            if let end = match(s, at: i) {
                out.append(i..<end)
                i = end
            } else {
                i += 1
            }
        }
        return out
    }

    /// The end of the match starting at `i`, if one does: a prefixed number, a bare one, or a mark and digits.
    static func match(_ s: [Unicode.Scalar], at i: Int) -> Int? {
        if let p = prefixEnd(s, at: i), let end = number(s, at: p) { return end }
        if let end = number(s, at: i) { return end }
        guard isMark(s[i]) else { return nil }
        var j = i + 1
        if j + 1 < s.count, isSpace(s[j]), isDigit(s[j + 1]) { j += 1 }
        guard j < s.count, isDigit(s[j]) else { return nil }
        while j < s.count, isDigit(s[j]) { j += 1 }
        return j
    }

    /// After a currency code or mark before a number, and one optional space.
    static func prefixEnd(_ s: [Unicode.Scalar], at i: Int) -> Int? {
        let c = s[i]
        var p: Int?
        if c == "$" || c == "€" || c == "£" || c == "¥" || c == "₹" || c == "￥" {
            p = i + 1
        } else if let literal = dollarEnd(s, at: i) {
            p = literal
        } else if c == "R", at(s, i + 1) == "s" {
            p = at(s, i + 2) == "." ? i + 3 : i + 2
        } else if capitals(s, at: i) {
            p = i + 3
        }
        guard let p else { return nil }
        return p < s.count && isSpace(s[p]) ? p + 1 : p
    }

    static let dollarPrefixes: [[Unicode.Scalar]] = ["US$", "CA$", "A$", "AU$", "NZ$", "HK$", "S$", "R$"].map { Array($0.unicodeScalars) }

    /// After `US$`, `CA$`, … at `i`.
    static func dollarEnd(_ s: [Unicode.Scalar], at i: Int) -> Int? {
        for p in dollarPrefixes where i + p.count <= s.count && s[i..<i + p.count].elementsEqual(p) { return i + p.count }
        return nil
    }

    /// `-?\d[\d.,' \u00A0]*\d` and the optional currency after it: the run backs off to its last digit.
    static func number(_ s: [Unicode.Scalar], at e: Int) -> Int? {
        var x = e
        if x < s.count, s[x] == "-" { x += 1 }
        guard x < s.count, isDigit(s[x]) else { return nil }
        var r = x + 1
        while r < s.count, isDigit(s[r]) || s[r] == "." || s[r] == "," || s[r] == "'" || s[r] == " " || s[r] == "\u{A0}" { r += 1 }
        var last = r - 1
        while last > x, !isDigit(s[last]) { last -= 1 }
        guard last > x else { return nil }
        let p = last + 1
        if p < s.count, isSpace(s[p]), let end = suffixEnd(s, at: p + 1) { return end }
        return suffixEnd(s, at: p) ?? p
    }

    /// After a currency written after the number: a mark, a code (not the start of a word), 円, zł, kr.
    static func suffixEnd(_ s: [Unicode.Scalar], at q: Int) -> Int? {
        guard q < s.count else { return nil }
        let c = s[q]
        if c == "€" || c == "$" || c == "£" || c == "¥" || c == "₹" || c == "円" { return q + 1 }
        if capitals(s, at: q) && !(q + 3 < s.count && isWord(s[q + 3])) { return q + 3 }
        if c == "z", at(s, q + 1) == "ł" { return q + 2 }
        if c == "k", at(s, q + 1) == "r", !(q + 2 < s.count && isWord(s[q + 2])) { return q + 2 }
        return nil
    }

    static func at(_ s: [Unicode.Scalar], _ i: Int) -> Unicode.Scalar? { i < s.count ? s[i] : nil }

    static func capitals(_ s: [Unicode.Scalar], at i: Int) -> Bool {
        i + 3 <= s.count && s[i..<i + 3].allSatisfy { $0.value >= 65 && $0.value <= 90 }
    }

    /// `[$€£¥₹]`: the marks a bare `$5` may start with (not ￥).
    static func isMark(_ c: Unicode.Scalar) -> Bool { c == "$" || c == "€" || c == "£" || c == "¥" || c == "₹" }

    /// `\d` scalar by scalar, as the standard library's expressions read it: any scalar with a
    /// numeric value (digits of every script, but also ², Ⅻ, ⅷ).
    static func isDigit(_ c: Unicode.Scalar) -> Bool {
        c.value < 0x80 ? c.value >= 48 && c.value <= 57 : c.properties.numericType != nil
    }

    /// `\s`: Unicode white space.
    static func isSpace(_ c: Unicode.Scalar) -> Bool {
        c.value < 0x80 ? c == " " || (c.value >= 9 && c.value <= 13) : c.properties.isWhitespace
    }

    /// `ReceiptReader.w`, ICU's `\w`.
    static func isWord(_ c: Unicode.Scalar) -> Bool {
        if c.value < 0x80 {
            return (c.value >= 48 && c.value <= 57) || (c.value | 0x20 >= 97 && c.value | 0x20 <= 122) || c == "_"
        }
        if c.value == 0x200C || c.value == 0x200D || c.properties.isAlphabetic { return true }
        switch c.properties.generalCategory {
        case .nonspacingMark, .spacingMark, .enclosingMark, .decimalNumber, .connectorPunctuation: return true
        default: return false
        }
    }
}
