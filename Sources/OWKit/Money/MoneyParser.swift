import FoundationEssentials

/// Reads amounts as people and invoices write them: `12.50`, `12.5 EUR`, `€12.50`,
/// `1,234.56`, `1.234,56 €`, `EUR 12.00`, `12,00 EUR`, `£9`, `¥12,000`, `₹ 999`, `US$5`,
/// `CHF 1'234.50`, `(12.00)` or `-12.00` for negatives. Exact: no floating point anywhere.
public enum MoneyParser {
    /// Symbols and prefixes, longest first so `US$` wins over `$`.
    package static let symbols: [(String, String)] = [
        ("US$", "USD"), ("CA$", "CAD"), ("C$", "CAD"), ("A$", "AUD"), ("AU$", "AUD"), ("NZ$", "NZD"), ("HK$", "HKD"),
        ("S$", "SGD"), ("R$", "BRL"), ("MX$", "MXN"), ("€", "EUR"), ("£", "GBP"), ("¥", "JPY"), ("￥", "JPY"),
        ("₹", "INR"), ("₩", "KRW"), ("₽", "RUB"), ("₺", "TRY"), ("₪", "ILS"), ("₫", "VND"), ("฿", "THB"), ("zł", "PLN"),
        ("Kč", "CZK"), ("kr", "SEK"), ("Fr.", "CHF"), ("$", "USD"),
    ]

    public struct Parsed: Equatable, Sendable {
        public let minor: Int64
        public let currency: Currency
    }

    /// Parses `text`; a currency written in the text wins over `defaultCurrency`.
    /// Amounts past `Money.maxMinor` are refused as bad data (exit 65), so that no sum of a
    /// realistic number of them can overflow.
    public static func parse(_ text: String, defaultCurrency: Currency) throws -> Parsed {
        let parsed: Parsed
        if let minor = plain(text, exponent: defaultCurrency.exponent) {
            parsed = Parsed(minor: minor, currency: defaultCurrency)
        } else {
            let (number, code) = try split(text)
            let currency = try code.map(Currency.parse) ?? defaultCurrency
            parsed = Parsed(minor: try minorUnits(number, currency: currency, original: text), currency: currency)
        }
        guard parsed.minor.magnitude <= Money.maxMinor.magnitude else { throw tooLarge(text, parsed.currency) }
        return parsed
    }

    /// An amount a person typed (an option's or an argument's): as `parse`, but one `.` or `,` before exactly three
    /// digits, in a currency with one or two decimals, is refused as ambiguous rather than read as thousands: a 12.35 EUR chair
    /// typed `12.345` reached the approval queue as 12,345.00 EUR. Documents and exports keep `parse`'s rule.
    public static func parseTyped(_ text: String, defaultCurrency: Currency) throws -> Money {
        let money: Money = try parse(text, defaultCurrency: defaultCurrency)
        let marks = text.filter { $0 == "." || $0 == "," }
        // A currency of three decimals reads them as decimals (`1.234 BHD`), of none as thousands (`¥12,000`): no doubt.
        guard (1...2).contains(money.currency.exponent), marks.count == 1, let mark = marks.first else { return money }
        let sides = text.split(separator: mark, omittingEmptySubsequences: false)
        let after = sides[1].prefix { $0.isASCII && $0.isNumber }
        let before = sides[0].reversed().prefix { $0.isASCII && $0.isNumber }
        guard after.count == 3, !before.isEmpty, !before.allSatisfy({ $0 == "0" }) else { return money }
        let whole = String(before.reversed())
        throw OWError.usage(
            "'\(text.prefix(40))' could be \(whole)\(after) or \(whole).\(after): \(money.currency.code) has \(money.currency.exponent) decimal(s)",
            hint: "write \(whole)\(after) (or \(whole),\(after).00) for thousands, or the amount to the cent")
    }

    package static func tooLarge(_ text: String, _ currency: Currency) -> OWError {
        OWError.badData(
            "'\(text.prefix(40))' is too large an amount: the largest owatch accepts is \(Money(minor: Money.maxMinor, currency: currency).display)"
        )
    }

    public static func parse(_ text: String, defaultCurrency: Currency) throws -> Money {
        let p: Parsed = try parse(text, defaultCurrency: defaultCurrency)
        return Money(minor: p.minor, currency: p.currency)
    }

    /// The common case read without string surgery: digits, optionally a point and at most
    /// `exponent` decimals, but never three (those follow the thousands rule below).
    package static func plain(_ text: String, exponent: Int) -> Int64? {
        var value: Int64 = 0
        var decimals = -1
        var digits = 0
        for b in text.utf8 {
            if b >= 48 && b <= 57 {
                digits += 1
                if digits > 17 { return nil }
                value = value * 10 + Int64(b - 48)
                if decimals >= 0 { decimals += 1 }
            } else if b == UInt8(ascii: "."), decimals < 0 {
                decimals = 0
            } else {
                return nil
            }
        }
        guard digits > 0 else { return nil }
        let d = max(decimals, 0)
        guard d <= exponent, d != 3, decimals != 0 else { return nil }
        // Too many digits for the exponent: the careful path below says it is too large.
        guard digits - d + exponent <= 17 else { return nil }
        for _ in d..<exponent { value *= 10 }
        return value
    }

    package static func bad(_ text: String, _ why: String) -> OWError {
        OWError.usage(
            "cannot read '\(text.prefix(40))' as an amount: \(why)", hint: "write amounts like 12.50, 1,234.56, 1.234,56 EUR or €12.50")
    }

    /// Separates the numeric part from a currency code or symbol before or after it.
    package static func split(_ text: String) throws -> (String, String?) {
        // No-break spaces (U+00A0, U+202F) as spaces; looked for by their lead bytes first, as
        // most amounts have none (this runs for every amount of every receipt).
        var s =
            text.utf8.contains(where: { $0 == 0xC2 || $0 == 0xE2 })
            ? text.replacingAll("\u{00A0}", with: " ").replacingAll("\u{202F}", with: " ").trimmed(.whitespaces)
            : text.trimmed(.whitespaces)
        var code: String?
        func take(_ found: String) throws {
            guard code == nil || code == found else { throw bad(text, "two currencies") }
            code = found
        }
        // ISO code at either end.
        if s.count > 3, let first = s.split(separator: " ").first, first.count == 3, first.allSatisfy({ $0.isLetter && $0.isASCII }) {
            try take(first.uppercased())
            s = String(s.dropFirst(3)).trimmed(.whitespaces)
        }
        if s.count > 3, let last = s.split(separator: " ").last, last.count == 3, last.allSatisfy({ $0.isLetter && $0.isASCII }) {
            try take(last.uppercased())
            s = String(s.dropLast(3)).trimmed(.whitespaces)
        }
        if s.count > 3, s.suffix(3).allSatisfy({ $0.isLetter && $0.isASCII && $0.isUppercase }), s.dropLast(3).last?.isNumber == true {
            try take(String(s.suffix(3)))
            s = String(s.dropLast(3))
        }
        for (symbol, iso) in symbols {
            if s.hasPrefix(symbol) || s.hasPrefix("-" + symbol) {
                try take(iso)
                s = s.hasPrefix("-") ? "-" + s.dropFirst(symbol.count + 1) : String(s.dropFirst(symbol.count))
                break
            }
            if s.hasSuffix(symbol) {
                try take(iso)
                s = String(s.dropLast(symbol.count))
                break
            }
        }
        return (s.trimmed(.whitespaces), code)
    }

    /// Decides which separator is the decimal point:
    /// both `.` and `,` present → the last one; one kind repeated → thousands;
    /// a single one followed by exactly three digits → thousands (`1,234`, `12.000`),
    /// unless the currency has three decimals; otherwise decimal.
    package static func minorUnits(_ number: String, currency: Currency, original: String) throws -> Int64 {
        var s = number
        var negative = false
        if s.hasPrefix("("), s.hasSuffix(")") {
            negative = true
            s = String(s.dropFirst().dropLast())
        }
        if s.hasPrefix("-") {
            negative = true
            s = String(s.dropFirst())
        } else if s.hasPrefix("+") {
            s = String(s.dropFirst())
        }
        if s.hasSuffix("-") {
            negative = true
            s = String(s.dropLast())
        }  // "12.00-" on some statements
        s = s.trimmed(.whitespaces)
        // Group marks (1'234, 1’234, 1 234) dropped; most numbers have none.
        if s.utf8.contains(where: { $0 == UInt8(ascii: "'") || $0 == 0xE2 || $0 == UInt8(ascii: " ") }) {
            s = s.replacingAll("'", with: "").replacingAll("’", with: "").replacingAll(" ", with: "")
        }
        guard !s.isEmpty, s.allSatisfy({ $0.isASCII && ($0.isNumber || $0 == "." || $0 == ",") }),
            s.first!.isNumber || s.first == "." || s.first == ","
        else {
            throw bad(original, "not a number")
        }
        let dots = s.filter { $0 == "." }.count
        let commas = s.filter { $0 == "," }.count
        var decimalSep: Character?
        if dots > 0 && commas > 0 {
            decimalSep = s.lastIndex(of: ".")! > s.lastIndex(of: ",")! ? "." : ","
        } else if dots + commas == 1 {
            let sep: Character = dots == 1 ? "." : ","
            let after = s.split(separator: sep, omittingEmptySubsequences: false)[1]
            // A leading 0 is never a group of thousands: `0.125` is not 125.
            let leadingZero = s.first == "0" && s.firstIndex(of: sep) == s.index(after: s.startIndex)
            decimalSep = (after.count == 3 && currency.exponent != 3 && s.first != sep && !leadingZero) ? nil : sep
        }
        let thousandsSep: Character? = decimalSep == "." ? "," : (decimalSep == "," ? "." : (dots > 0 ? "." : (commas > 0 ? "," : nil)))
        var whole = s
        var fraction = ""
        if let d = decimalSep {
            let parts = s.split(separator: d, omittingEmptySubsequences: false)
            guard parts.count == 2 else { throw bad(original, "more than one decimal point") }
            whole = String(parts[0])
            fraction = String(parts[1])
            guard fraction.allSatisfy(\.isNumber) else { throw bad(original, "separator in the decimals") }
        }
        if let t = thousandsSep, whole.contains(t) {
            let groups = whole.split(separator: t, omittingEmptySubsequences: false)
            guard groups.first.map({ (1...3).contains($0.count) }) == true, groups.dropFirst().allSatisfy({ $0.count == 3 }) else {
                throw bad(original, "digit groups are not in threes")
            }
            whole = groups.joined()
        }
        guard fraction.count <= currency.exponent else {
            throw bad(original, "\(currency.code) has \(currency.exponent) decimal(s)")
        }
        let digits = (whole.isEmpty ? "0" : whole) + fraction + String(repeating: "0", count: currency.exponent - fraction.count)
        guard digits.drop(while: { $0 == "0" }).count <= 17, let value = Int64(digits) else { throw tooLarge(original, currency) }
        return negative ? -value : value
    }
}
