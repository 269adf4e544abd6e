import Foundation

/// A billing period: how often a contract charges (SPEC §3). Any `Nm`/`Ny`/`Nw` term works.
public struct Period: Equatable, Hashable, Sendable, CustomStringConvertible {
    public enum Unit: String, Sendable { case week = "w", month = "m", year = "y" }
    /// nil for one-off purchases, which never recur.
    public let count: Int?
    public let unit: Unit

    public static let oneOff = Period(count: nil, unit: .month)
    public static let monthly = Period(count: 1, unit: .month)

    public init(count: Int?, unit: Unit) { self.count = count; self.unit = unit }

    public static func parse(_ text: String) throws -> Period {
        switch text.lowercased() {
        case "monthly", "month", "1m": return .monthly
        case "quarterly", "quarter", "3m": return Period(count: 3, unit: .month)
        case "yearly", "annual", "annually", "year", "1y": return Period(count: 1, unit: .year)
        case "weekly", "week", "1w": return Period(count: 1, unit: .week)
        case "one-off", "oneoff", "once", "one-time": return .oneOff
        default: break
        }
        let t = text.lowercased()
        if let last = t.last, let unit = Unit(rawValue: String(last)), let n = Int(t.dropLast()), (1...600).contains(n) {
            return Period(count: n, unit: unit)
        }
        throw OWError.usage("unknown billing period '\(text.prefix(20))'", hint: "use monthly, quarterly, yearly, weekly, one-off, or a term like 24m or 3y")
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

    static func gcd(_ a: Int64, _ b: Int64) -> Int64 { b == 0 ? a : gcd(b, a % b) }

    public static func + (a: Rational, b: Rational) -> Rational {
        let g = gcd(a.den, b.den)
        return Rational(a.num * (b.den / g) + b.num * (a.den / g), a.den / g * b.den)
    }

    public static func += (a: inout Rational, b: Rational) { a = a + b }
    public static func * (a: Rational, b: Int64) -> Rational { Rational(a.num * b, a.den) }
    public static func * (a: Rational, b: Rational) -> Rational { Rational(a.num * b.num, a.den * b.den) }

    /// Rounded half-to-even, as accountants do, only when shown.
    public var rounded: Int64 {
        let q = num / den, r = num % den
        let twice = 2 * abs(r)
        if twice > den || (twice == den && q % 2 != 0) { return q + (num < 0 ? -1 : 1) }
        return q
    }
}
