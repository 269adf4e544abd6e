import FoundationEssentials
import OWBase

/// The invoice-number expression, by hand over a window's scalars (the standard library's `Regex`
/// was about 5 % of a scan's CPU). The same anchored matches, captures and ends as this expression
/// matched scalar by scalar, case-insensitively — RegexDifferentialTests keeps it and compares:
///
///     (?i)(?:(?:n°|nº|no\.?|num[ée]ro|número)\s*(?:de\s+|di\s+|da\s+)?(?:la\s+)?(?:facture|factura|fattura|fatura)
///           |invoice|receipt|rechnung|gutschrift|facture|avoir|factura|fattura|fatura|factuur|faktura|laskun?
///           |credit note|order|transaction|請求書|bestellung|bestell|bestel|commande|pedido|ordine)
///         (?:\p{L}*(?:\s+\(?\p{L}+\)?){0,3}\s*\(\d{3}\))?\s*
///         (?:(?:number|no\.?|nr\.?|n°|nº|#|id|s?nummer|s?nr\.?|número|numero|番号)\s*(?:[:#.]\s*){0,2}
///              ([A-Z0-9][A-Z0-9\-_/.]{3,}|\d{2,3}(?![\d.,]))
///           |[:#.]?\s*([A-Z0-9][A-Z0-9\-_/.]{3,}))
///
/// Backtracking is needed only where the expression has real choices — the label's words that are
/// prefixes of each other, another group of the code or its digits, the keyword before the number,
/// `(?:[:#.]\s*){0,2}` and the two kinds of number. Every other run is followed by something its own class cannot start, so only its
/// longest length can succeed.
/// `\s` is White_Space, `\d` any scalar with a numeric type, `\p{L}` a letter; a letter of the
/// expression matches a scalar whose lower-case mapping it is (so the Kelvin sign matches "k").
struct InvoiceNumberScanner {
    /// One anchored match: where it ends and the scalars of its number (`first`: the keyword's group).
    struct Match: Equatable {
        var end: Int
        var number: Range<Int>
        var first: Bool
    }

    let s: [Unicode.Scalar]

    init(_ text: String) { s = Array(text.unicodeScalars) }

    static func words(_ list: [String]) -> [[Unicode.Scalar]] { list.map { Array($0.unicodeScalars) } }
    static let labelPrefixes = words(["n°", "nº", "no.", "no", "numéro", "numero", "número"])
    static let articles = words(["de", "di", "da"])
    static let invoiceNouns = words(["facture", "factura", "fattura", "fatura"])
    static let labels = words([
        "invoice", "receipt", "rechnung", "gutschrift", "facture", "avoir", "factura", "fattura", "fatura", "factuur", "faktura",
        "laskun", "lasku", "credit note", "order", "transaction", "請求書", "bestellung", "bestell", "bestel", "commande", "pedido",
        "ordine",
    ])
    static let keywords = words([
        "number", "no.", "no", "nr.", "nr", "n°", "nº", "#", "id", "snummer", "nummer", "snr.", "snr", "nr.", "nr", "número", "numero",
        "番号",
    ])

    /// The matches from the start of the window, each next one where the last ended.
    func matches() -> [Match] {
        var out: [Match] = []
        var from = 0
        while let m = match(at: from) {
            out.append(m)
            from = m.end
        }
        return out
    }

    func match(at i: Int) -> Match? {
        for a in labelEnds(at: i) {
            for c in codeEnds(at: a) { if let m = number(at: c + spaces(c)) { return m } }
            if let m = number(at: a + spaces(a)) { return m }
        }
        return nil
    }

    // MARK: Scalars as the expression sees them

    func at(_ i: Int, _ test: (Unicode.Scalar) -> Bool) -> Bool { i < s.count && test(s[i]) }
    static func isSpace(_ c: Unicode.Scalar) -> Bool { c.properties.isWhitespace }
    static func isDigit(_ c: Unicode.Scalar) -> Bool { c.properties.numericType != nil }
    static func isLetter(_ c: Unicode.Scalar) -> Bool {
        switch c.properties.generalCategory {
        case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter: return true
        default: return false
        }
    }
    /// `[A-Z0-9]` case-insensitively: ASCII only.
    static func isAlnum(_ c: Unicode.Scalar) -> Bool { (c.value >= 0x30 && c.value <= 0x39) || isASCIILetter(c) }
    static func isASCIILetter(_ c: Unicode.Scalar) -> Bool { c.isASCII && (c.value | 0x20) >= 0x61 && (c.value | 0x20) <= 0x7A }
    static func isNumberScalar(_ c: Unicode.Scalar) -> Bool { isAlnum(c) || c == "-" || c == "_" || c == "/" || c == "." }
    static func isPunct(_ c: Unicode.Scalar) -> Bool { c == ":" || c == "#" || c == "." }

    func run(_ i: Int, _ test: (Unicode.Scalar) -> Bool) -> Int {
        var j = i
        while j < s.count, test(s[j]) { j += 1 }
        return j - i
    }
    func spaces(_ i: Int) -> Int { run(i, Self.isSpace) }

    /// The end of `word` at `i`, compared as `(?i)` does.
    func end(of word: [Unicode.Scalar], at i: Int) -> Int? {
        guard i + word.count <= s.count else { return nil }
        var k = 0
        while k < word.count {
            guard Self.same(s[i + k], word[k]) else { return nil }
            k += 1
        }
        return i + word.count
    }

    /// A scalar matches a letter of the expression that is its lower-case mapping.
    static func same(_ c: Unicode.Scalar, _ w: Unicode.Scalar) -> Bool {
        if c == w { return true }
        if c.isASCII { return isASCIILetter(c) && c.value | 0x20 == w.value }
        let p = c.properties
        return p.changesWhenLowercased && p.lowercaseMapping.unicodeScalars.elementsEqual(CollectionOfOne(w))
    }
}

extension InvoiceNumberScanner {
    /// Where the label can end at `i`, in the order the expression tries them (at most three: "laskun", "lasku").
    func labelEnds(at i: Int) -> [Int] {
        var ends: [Int] = []
        // (?:n°|nº|no\.?|num[ée]ro|número)\s*(?:de\s+|di\s+|da\s+)?(?:la\s+)?(?:facture|…)
        for prefix in Self.labelPrefixes {
            guard var j = end(of: prefix, at: i) else { continue }
            j += spaces(j)
            if let a = Self.articles.lazy.compactMap({ self.end(of: $0, at: j) }).first, spaces(a) > 0 { j = a + spaces(a) }
            if let a = end(of: Self.la, at: j), spaces(a) > 0 { j = a + spaces(a) }
            if let e = Self.invoiceNouns.lazy.compactMap({ self.end(of: $0, at: j) }).first { ends.append(e) }
        }
        for label in Self.labels { if let e = end(of: label, at: i) { ends.append(e) } }
        return ends
    }
    static let la = Array("la".unicodeScalars)

    /// Where `\p{L}*(?:\s+\(?\p{L}+\)?){0,3}\s*\(\d{3}\)` can end at `i`, in the order the expression tries them.
    /// Another group is tried before stopping; both can go on only where "(" follows the spaces with a
    /// letter that is also a digit ("(一二三)"), so there are at most four ends.
    func codeEnds(at i: Int) -> [Int] {
        var ends: [Int] = []
        codeEnds(from: i + run(i, Self.isLetter), groups: 0, into: &ends)
        return ends
    }

    func codeEnds(from j: Int, groups: Int, into ends: inout [Int]) {
        let w = spaces(j)
        let k = j + w
        if groups < 3, w > 0 {
            let open = at(k, { $0 == "(" }) ? k + 1 : k
            let l = run(open, Self.isLetter)
            if l > 0 { codeEnds(from: at(open + l, { $0 == ")" }) ? open + l + 1 : open + l, groups: groups + 1, into: &ends) }
        }
        if at(k, { $0 == "(" }), at(k + 1, Self.isDigit), at(k + 2, Self.isDigit), at(k + 3, Self.isDigit), at(k + 4, { $0 == ")" }) {
            ends.append(k + 5)
        }
    }

    /// The rest at `i` (after the label, its code and spaces): a keyword and its number, or a number.
    func number(at i: Int) -> Match? {
        for keyword in Self.keywords {
            guard var j = end(of: keyword, at: i) else { continue }
            j += spaces(j)
            // (?:[:#.]\s*){0,2}: two, one, then none.
            let one = at(j, Self.isPunct) ? j + 1 + spaces(j + 1) : nil
            let two = one.flatMap { at($0, Self.isPunct) ? $0 + 1 + spaces($0 + 1) : nil }
            for q in [two, one, j] {
                guard let q else { continue }
                if let e = numberEnd(at: q) { return Match(end: e, number: q..<e, first: true) }
                if let e = shortNumberEnd(at: q) { return Match(end: e, number: q..<e, first: true) }
            }
        }
        var q = i
        if at(q, Self.isPunct) { q += 1 }
        q += spaces(q)
        return numberEnd(at: q).map { Match(end: $0, number: q..<$0, first: false) }
    }

    /// `[A-Z0-9][A-Z0-9\-_/.]{3,}`, as long as it goes.
    func numberEnd(at i: Int) -> Int? {
        guard at(i, Self.isAlnum) else { return nil }
        let n = run(i + 1, Self.isNumberScalar)
        return n >= 3 ? i + 1 + n : nil
    }

    /// `\d{2,3}(?![\d.,])`: three digits, then two.
    func shortNumberEnd(at i: Int) -> Int? {
        let n = min(run(i, Self.isDigit), 3)
        for len in stride(from: n, through: 2, by: -1) where !at(i + len, { Self.isDigit($0) || $0 == "." || $0 == "," }) {
            return i + len
        }
        return nil
    }
}
