/// The one rounding rule of every view that adds money up (issue 31): each amount — a day's
/// charges of one vendor, one contract's month, one finding's run-rate — is converted at its own
/// rate to a billionth of a minor unit, the converted amounts are added exactly, and a figure is
/// rounded once, half to even, where it is shown. A total is then the same however its rows are
/// grouped: `report burn` and its `--by` views, the summary and shadow, forecast and dashboard.
public struct Exact: Equatable, Hashable, Sendable {
    /// Billionths of a minor unit in one.
    public static let perMinor: Int128 = 1_000_000_000
    public static let zero = Exact(nano: 0)

    public let nano: Int128

    public init(nano: Int128) { self.nano = nano }
    public init(minor: Int64) { nano = Int128(minor) * Exact.perMinor }
    /// A fraction of minor units (a monthly equivalent, a seat's share).
    public init(_ r: Rational) { nano = Exact.divide(Int128(r.num) * Exact.perMinor, by: Int128(r.den)) }

    public static func + (a: Exact, b: Exact) -> Exact { Exact(nano: a.nano + b.nano) }
    public static func += (a: inout Exact, b: Exact) { a = a + b }

    /// In minor units, rounded half to even (clamped to what 64 bits hold; amounts owatch keeps never come near).
    public var rounded: Int64 { Int64(clamping: Exact.divide(nano, by: Exact.perMinor)) }

    /// `self` at `rate`, moved between the currencies' exponents; nil beyond 128 bits.
    public func converted(at rate: Rational, exponents: (Int, Int)) -> Exact? {
        var num = Int128(rate.num)
        var den = Int128(rate.den)
        let shift = exponents.1 - exponents.0
        for _ in 0..<abs(shift) {
            if shift > 0 { num *= 10 } else { den *= 10 }
        }
        let (product, overflow) = nano.multipliedReportingOverflow(by: num)
        guard !overflow else { return nil }
        return Exact(nano: Exact.divide(product, by: den))
    }

    /// `n / d` (d > 0) rounded half to even.
    static func divide(_ n: Int128, by d: Int128) -> Int128 {
        var q = n / d
        let r = n % d
        let twice = 2 * r.magnitude
        if twice > d.magnitude || (twice == d.magnitude && q % 2 != 0) { q += n < 0 ? -1 : 1 }
        return q
    }
}
