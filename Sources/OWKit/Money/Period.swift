import FoundationEssentials

/// A billing period: how often a contract charges (SPEC §3). Any `Nm`/`Ny`/`Nw` term works.
public struct Period: Equatable, Hashable, Sendable, CustomStringConvertible {
    public enum Unit: String, Sendable {
        case week = "w"
        case month = "m"
        case year = "y"
    }
    /// nil for one-off purchases, which never recur.
    public let count: Int?
    public let unit: Unit

    public static let oneOff = Period(count: nil, unit: .month)
    public static let monthly = Period(count: 1, unit: .month)
    public static let yearly = Period(count: 1, unit: .year)

    public init(count: Int?, unit: Unit) {
        self.count = count
        self.unit = unit
    }

    /// A period read back from the ledger, parsed once per list through `cache`. owatch wrote it,
    /// so it parses; one it cannot read counts as monthly rather than failing a report.
    package static func stored(_ text: String, cache: inout [String: Period]) -> Period {
        if let p = cache[text] { return p }
        let p = (try? parse(text)) ?? .monthly
        cache[text] = p
        return p
    }

    public static func parse(_ text: String) throws -> Period {
        switch text.lowercased() {
        case "monthly", "month", "1m": return .monthly
        case "quarterly", "quarter", "3m": return Period(count: 3, unit: .month)
        case "yearly", "annual", "annually", "year", "1y": return .yearly
        case "weekly", "week", "1w": return Period(count: 1, unit: .week)
        case "one-off", "oneoff", "once", "one-time": return .oneOff
        default: break
        }
        let t = text.lowercased()
        if let last = t.last, let unit = Unit(rawValue: String(last)), let n = Int(t.dropLast()), (1...600).contains(n) {
            return Period(count: n, unit: unit)
        }
        throw OWError.usage(
            "unknown billing period '\(text.prefix(20))'", hint: "use monthly, quarterly, yearly, weekly, one-off, or a term like 24m or 3y"
        )
    }

    public var description: String {
        guard let count else { return "one-off" }
        switch (count, unit) {
        case (1, .month): return "monthly"
        case (3, .month): return "quarterly"
        case (1, .year): return "yearly"
        case (1, .week): return "weekly"
        default: return "\(count)\(unit.rawValue)"
        }
    }

    public var isRecurring: Bool { count != nil }

    /// Charges per month as an exact fraction: 1/12 for yearly, 1/24 for `24m`,
    /// and 52/12 for weekly (52 weeks make a year).
    public var chargesPerMonth: Rational {
        guard let count else { return .zero }
        switch unit {
        case .month: return Rational(1, Int64(count))
        case .year: return Rational(1, 12 * Int64(count))
        case .week: return Rational(52, 12 * Int64(count))
        }
    }

    /// The date one period after `date` (calendar-exact).
    public func advance(_ date: Date, times: Int = 1) -> Date {
        guard let count else { return date }
        switch unit {
        case .month: return Duration(count: count * times, unit: .month).added(to: date)
        case .year: return Duration(count: count * times, unit: .year).added(to: date)
        case .week: return Duration(count: 7 * count * times, unit: .day).added(to: date)
        }
    }

    /// The first date of the series `anchor + k·period` (k ≥ 0) on or after `day`.
    /// Renewal dates roll forward this way when they pass.
    public func next(from anchor: Date, onOrAfter day: Date) -> Date {
        guard isRecurring, anchor < day else { return anchor }
        var k = 1
        // Jump close first, then step: a 10-year-old weekly anchor costs a few iterations, not 520.
        let approxDays = Int(day.timeIntervalSince(anchor) / 86_400)
        let periodDays: Int = unit == .week ? 7 * count! : (unit == .month ? 28 * count! : 365 * count!)
        k = max(1, approxDays / periodDays - 1)
        while advance(anchor, times: k) < day { k += 1 }
        while k > 1 && advance(anchor, times: k - 1) >= day { k -= 1 }
        return advance(anchor, times: k)
    }
}

/// An exact fraction, for monthly equivalents that must not drift (yearly ÷ 12, weekly × 52/12).
///
/// Exact while numerator and denominator fit in 64 bits. Sums of per-person shares over many
/// licenses (each line's cost ÷ its seat count, counts from 1 to hundreds) can outgrow that: the
/// common denominator is the least common multiple of every count. Then the result becomes the
/// nearest fraction over 2^k (k ≤ 40), within 10⁻¹² of a minor unit, instead of overflowing.
public struct Rational: Equatable, Hashable, Sendable {
    public let num: Int64
    public let den: Int64

    public static let zero = Rational(0, 1)

    public init(_ num: Int64, _ den: Int64) {
        precondition(den != 0)
        let g = Rational.gcd(abs(num), abs(den))
        let sign: Int64 = den < 0 ? -1 : 1
        self.num = sign * num / max(g, 1)
        self.den = sign * den / max(g, 1)
    }

    package static func gcd(_ a: Int64, _ b: Int64) -> Int64 { b == 0 ? a : gcd(b, a % b) }

    /// `num / den` computed in 128 bits (den > 0): exact when it fits, else the nearest fixed-point fraction.
    package static func nearest(_ num: Int128, _ den: Int128) -> Rational {
        if let n = Int64(exactly: num), let d = Int64(exactly: den) { return Rational(n, d) }
        let whole = num / den
        let rest = num % den
        let wholeBits = Int128.bitWidth - whole.magnitude.leadingZeroBitCount
        // Beyond 2^61 minor units no amount owatch keeps can be: saturate (callers check amounts
        // against Money.maxMinor), never trap on a product of hostile numbers.
        guard wholeBits <= 61 else { return Rational(num < 0 ? -(Int64.max >> 1) : Int64.max >> 1, 1) }
        let k = min(40, 61 - wholeBits)
        // rest/den is a proper fraction: a Double holds it to 2^-53, far below the 2^-k kept.
        let fraction = Int64((Double(rest) / Double(den) * Double(Int64(1) << k)).rounded())
        return Rational(Int64(whole) << k + fraction, Int64(1) << k)
    }

    public static func + (a: Rational, b: Rational) -> Rational {
        let g = gcd(a.den, b.den)
        let (x, o1) = a.num.multipliedReportingOverflow(by: b.den / g)
        let (y, o2) = b.num.multipliedReportingOverflow(by: a.den / g)
        let (n, o3) = x.addingReportingOverflow(y)
        let (d, o4) = (a.den / g).multipliedReportingOverflow(by: b.den)
        if !(o1 || o2 || o3 || o4) { return Rational(n, d) }
        return nearest(Int128(a.num) * Int128(b.den / g) + Int128(b.num) * Int128(a.den / g), Int128(a.den / g) * Int128(b.den))
    }

    public static func += (a: inout Rational, b: Rational) { a = a + b }
    public static func * (a: Rational, b: Int64) -> Rational { a * Rational(b, 1) }
    public static func * (a: Rational, b: Rational) -> Rational {
        let (n, o1) = a.num.multipliedReportingOverflow(by: b.num)
        let (d, o2) = a.den.multipliedReportingOverflow(by: b.den)
        if !(o1 || o2) { return Rational(n, d) }
        return nearest(Int128(a.num) * Int128(b.num), Int128(a.den) * Int128(b.den))
    }

    /// Rounded half-to-even, as accountants do, only when shown.
    public var rounded: Int64 {
        let q = num / den
        let r = num % den
        let twice = 2 * abs(r)
        if twice > den || (twice == den && q % 2 != 0) { return q + (num < 0 ? -1 : 1) }
        return q
    }
}
