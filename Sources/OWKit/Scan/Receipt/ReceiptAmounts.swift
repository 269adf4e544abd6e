import FoundationEssentials
import OWBase

/// Amounts and currencies as documents write them.
extension ReceiptReader {
    /// The standard library's expressions, scalar by scalar with ICU's simple word boundaries, as
    /// NSRegularExpression matched them (RegexDifferentialTests compares the two).
    /// ICU's `\w` (`\b` is spelled `(?!\#(w))` after a word character: the standard library's
    /// simple boundaries differ from ICU's).
    package static let w = #"[\p{Alphabetic}\p{M}\p{Nd}\p{Pc}\u200C\u200D]"#

    static func expression(_ pattern: String) -> Regex<AnyRegexOutput> {
        try! Regex(pattern).matchingSemantics(.unicodeScalar).wordBoundaryKind(.simple)
    }

    /// What `AmountMatcher` finds by hand (kept for RegexDifferentialTests, which compares the two).
    nonisolated(unsafe) static let amountPattern = expression(
        #"(?:(?:US\$|CA\$|A\$|AU\$|NZ\$|HK\$|S\$|R\$|Rs\.?|[A-Z]{3})\s?|[$€£¥₹￥]\s?)?-?\d[\d.,' \u00A0]*\d(?:\s?(?:[€$£¥₹]|[A-Z]{3}(?!\#(w))|円|zł|kr(?!\#(w))))?|(?:[$€£¥₹]\s?)\d+"#
    )

    /// Currency marks a document or line may carry apart from its amounts ("Total EUR", "Rs",
    /// "₹", "zł", "CHF"): the code each means.
    static let currencyMarks: [(String, String)] = [
        ("€", "EUR"), ("£", "GBP"), ("₹", "INR"), ("rs.", "INR"), ("rs ", "INR"), ("zł", "PLN"),
        ("¥", "JPY"), ("円", "JPY"), ("₩", "KRW"), ("us$", "USD"), ("$", "USD"),
    ]
    static let currencyCodes = [
        "EUR", "USD", "GBP", "CHF", "INR", "JPY", "PLN", "SEK", "NOK", "DKK", "CZK", "AUD", "CAD", "NZD", "SGD", "HKD", "BRL", "MXN", "ZAR",
        "CNY", "KRW",
    ]

    static let currencyMarkNeedles = currencyMarks.map { (Array($0.0.utf8), $0.1) }
    /// The codes by their three lower-case letters packed in an integer.
    static let currencyCodeWords = Dictionary(
        uniqueKeysWithValues: currencyCodes.map { code in (code.lowercased().utf8.reduce(UInt32(0)) { $0 << 8 | UInt32($1) }, code) })

    /// The codes' three lower-case letters as bits of a 26×26×26 table: most three-letter words of
    /// prose are ruled out without hashing them.
    static let currencyCodeBits: [UInt64] = {
        var bits = [UInt64](repeating: 0, count: 26 * 26 * 26 / 64 + 1)
        for code in currencyCodes {
            let l = Array(code.lowercased().utf8).map { Int($0) - 97 }
            let n = l[0] * 676 + l[1] * 26 + l[2]
            bits[n >> 6] |= 1 << UInt64(n & 63)
        }
        return bits
    }()

    static func mayBeCurrencyCode(_ a: UInt8, _ b: UInt8, _ c: UInt8) -> Bool {
        guard a >= 97, a <= 122, b >= 97, b <= 122, c >= 97, c <= 122 else { return false }
        let n = Int(a - 97) * 676 + Int(b - 97) * 26 + Int(c - 97)
        return currencyCodeBits[n >> 6] & (1 << UInt64(n & 63)) != 0
    }

    static let currencyLabelNeedles = Needles.of(["währung", "wahrung", "currency", "devise", "moneda", "valuta", "waluta", "moeda"])

    /// The currency a document declares ("Währung: GBP", "Currency: USD", "Devise : EURO (EUR)"):
    /// it wins over the symbols printed beside amounts in other currencies. Byte searches (this
    /// runs on every receipt); the code is the first three capitals within a few bytes of the label.
    /// `folded` is `bytes` with ASCII letters lower-cased (same offsets).
    static func declaredCurrency(_ bytes: [UInt8], folded lower: LowerText) -> Currency? {
        func upper(_ b: UInt8) -> Bool { b >= 65 && b <= 90 }
        for needle in currencyLabelNeedles {
            var from = 0
            while let at = lower.find(needle, from: from) {
                from = at + needle.count
                var i = from
                let end = min(bytes.count - 3, from + 16)
                while i <= end, bytes[i] != 10 {
                    if upper(bytes[i]), upper(bytes[i + 1]), upper(bytes[i + 2]), i + 3 == bytes.count || !upper(bytes[i + 3]),
                        i == 0 || !upper(bytes[i - 1])
                    {
                        let code = String(decoding: bytes[i..<i + 3], as: UTF8.self)
                        if currencyCodes.contains(code), let c = try? Currency.parse(code) { return c }
                    }
                    i += 1
                }
            }
        }
        return nil
    }

    /// The one currency `text` names (symbols, codes as words of their own), or nil when it names
    /// none or several. Byte searches: this runs on every receipt.
    static func namedCurrency(_ text: String) -> Currency? { namedCurrency(folded: LowerText(asciiFolding: Array(text.utf8)[...])) }

    static func namedCurrency(folded l: LowerText) -> Currency? {
        let found = currenciesNamed(folded: l)
        guard found.count == 1, let code = found.first else { return nil }
        return try? Currency.parse(code)
    }

    /// The codes of the currencies `l` names by symbol or code.
    static func currenciesNamed(folded l: LowerText) -> Set<String> {
        var found = Set<String>()
        for (mark, code) in currencyMarkNeedles where l.find(mark) != nil { found.insert(code) }
        // Codes are words of their own: every three-letter word is looked up, in one pass.
        let b = l.bytes
        func isLetter(_ c: UInt8) -> Bool { (c >= 97 && c <= 122) || (c >= 65 && c <= 90) }
        var i = 0
        while i < b.count {
            guard isLetter(b[i]) else {
                i += 1
                continue
            }
            var end = i + 1
            while end < b.count && isLetter(b[end]) { end += 1 }
            if end - i == 3, mayBeCurrencyCode(b[i], b[i + 1], b[i + 2]),
                let code = currencyCodeWords[UInt32(b[i]) << 16 | UInt32(b[i + 1]) << 8 | UInt32(b[i + 2])]
            {
                found.insert(code)
            }
            i = end
        }
        // "$" comes with every "US$"; a US$ document is still one currency.
        if found.count == 2, found.contains("USD"), l.find(Array("us$".utf8)) != nil { found = ["USD"] }
        return found
    }

    /// Every amount written in `text`, in order, and whether it wrote its own currency.
    package static func amounts(in text: String, defaultCurrency: Currency) -> [(money: Money, ownCurrency: Bool)] {
        // Every amount has a digit: ASCII text with none is not handed to the expression (digits of
        // other scripts are non-ASCII).
        guard text.utf8.contains(where: { $0 >= 0x80 || ($0 >= 48 && $0 <= 57) }) else { return [] }
        let scalars = Array(text.unicodeScalars)
        return AmountMatcher.ranges(in: scalars).compactMap { range in
            var s = String(String.UnicodeScalarView(scalars[range])).trimmed(.whitespaces)
            if s.hasSuffix("円") { s = "JPY " + s.dropLast() }
            if s.hasPrefix("Rs") { s = "INR " + s.drop(while: { $0.isLetter || $0 == "." || $0 == " " }) }
            if s.hasSuffix("zł") { s = "PLN " + s.dropLast(2) }
            if s.hasSuffix("kr") { s = "SEK " + s.dropLast(2) }
            // A word that is not a currency before the number ("VAT 681.87") is not part of the amount.
            if let first = s.first, first.isLetter, s.prefix(3).allSatisfy({ $0.isUppercase }),
                (try? Currency.parse(String(s.prefix(3)))) == nil
            {
                s = String(s.dropFirst(3)).trimmed(.whitespaces)
            }
            // A bare number is an amount only with a currency written or a decimal part.
            let hasCurrency = s.contains(where: { "$€£¥₹".contains($0) }) || s.utf8.filter({ $0 >= 65 && $0 <= 90 }).count >= 3
            let hasDecimals = hasDecimalPart(s)
            guard hasCurrency || hasDecimals else { return nil }
            guard let money = try? MoneyParser.parse(s, defaultCurrency: defaultCurrency) as Money else { return nil }
            return (money, hasCurrency)
        }
    }

    /// Ends in `.d` or `.dd` (or with a comma): a written decimal part.
    static func hasDecimalPart(_ s: String) -> Bool {
        let b = Array(s.utf8.suffix(3))
        func digit(_ x: UInt8) -> Bool { x >= 48 && x <= 57 }
        func mark(_ x: UInt8) -> Bool { x == 46 || x == 44 }
        guard let last = b.last, digit(last), b.count >= 2 else { return false }
        return mark(b[b.count - 2]) || (b.count == 3 && digit(b[1]) && mark(b[0]))
    }
}
