/// An amount of money: integer minor units plus its currency. Never floating point (SPEC §3).
public struct Money: Equatable, Hashable, Sendable {
    public let minor: Int64
    public let currency: Currency

    public init(minor: Int64, currency: Currency) { self.minor = minor; self.currency = currency }

    /// The amount as a decimal literal with the currency's exponent: "12.50", "-0.05", "1200".
    public var decimal: String {
        let e = currency.exponent
        guard e > 0 else { return String(minor) }
        let magnitude = minor.magnitude
        var scale: UInt64 = 1
        for _ in 0..<e { scale *= 10 }
        let whole = magnitude / scale, frac = magnitude % scale
        let fracText = String(frac)
        return (minor < 0 ? "-" : "") + "\(whole)." + String(repeating: "0", count: e - fracText.count) + fracText
    }

    /// Rounded to whole units, for chart axes and labels: "1,235 EUR".
    public var wholeDisplay: String {
        var scale: Int64 = 1
        for _ in 0..<currency.exponent { scale *= 10 }
        let whole = (minor + (minor >= 0 ? scale / 2 : -scale / 2)) / scale
        return Money(minor: whole, currency: Currency(code: currency.code, exponent: 0)).display
    }

    /// Human form for tables: "1,234.50 EUR".
    public var display: String {
        let d = decimal
        let negative = d.hasPrefix("-")
        let body = negative ? String(d.dropFirst()) : d
        let parts = body.split(separator: ".", omittingEmptySubsequences: false)
        var grouped = ""
        for (i, ch) in parts[0].reversed().enumerated() {
            if i > 0, i % 3 == 0 { grouped.append(",") }
            grouped.append(ch)
        }
        let whole = String(grouped.reversed())
        return (negative ? "-" : "") + whole + (parts.count > 1 ? "." + parts[1] : "") + " " + currency.code
    }
}
