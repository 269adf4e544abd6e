/// An amount of money: integer minor units plus its currency. Never floating point (SPEC §3).
public struct Money: Equatable, Hashable, Sendable {
    public let minor: Int64
    public let currency: Currency

    public init(minor: Int64, currency: Currency) {
        self.minor = minor
        self.currency = currency
    }

    /// The largest amount owatch reads from input, in minor units (15 digits: about ten trillion
    /// dollars). Sums of thousands of them still fit 64 bits; sums are checked all the same.
    public static let maxMinor: Int64 = 999_999_999_999_999

    /// `a + b`, or an error saying the total is out of range: never a trap. Every sum of money
    /// goes through here (`checkedSum`, `addChecked`).
    public static func sum(_ a: Int64, _ b: Int64) throws -> Int64 {
        let (s, overflow) = a.addingReportingOverflow(b)
        guard !overflow else { throw OWError.badData("a total is too large to compute (more than 92 quadrillion minor units)") }
        return s
    }

    /// The amount as a decimal literal with the currency's exponent: "12.50", "-0.05", "1200".
    public var decimal: String {
        var bytes: [UInt8] = []
        writeDecimal(to: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    /// `decimal` appended as UTF-8, for output written straight to bytes.
    public func writeDecimal(to out: inout [UInt8]) {
        if minor < 0 { out.append(UInt8(ascii: "-")) }
        var m = minor.magnitude
        // Digits least significant first, at least exponent + 1 of them ("0.05"), then reversed in.
        var digits: (UInt64, UInt64, UInt64) = (0, 0, 0)  // 24 bytes: enough for 20 digits
        withUnsafeMutableBytes(of: &digits) { d in
            var count = 0
            let e = currency.exponent
            while m > 0 || count <= e {
                d[count] = UInt8(48 + m % 10)
                m /= 10
                count += 1
            }
            for k in stride(from: count - 1, through: 0, by: -1) {
                out.append(d[k])
                if k == e && e > 0 { out.append(UInt8(ascii: ".")) }
            }
        }
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

extension Sequence {
    /// The sum of `value` over the elements, checked: an overflow is an error, never a trap.
    public func checkedSum(_ value: (Element) throws -> Int64) throws -> Int64 {
        try reduce(0) { try Money.sum($0, value($1)) }
    }
}

extension Int64 {
    /// `self += other`, checked (`Money.sum`).
    public mutating func addChecked(_ other: Int64) throws { self = try Money.sum(self, other) }
}
