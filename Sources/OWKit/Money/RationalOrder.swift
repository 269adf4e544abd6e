/// Rates compare and invert rationals too, so this sits beside `Rational` (it was in the scan's PriceCheck; issue 30).
extension Rational {
    public var inverse: Rational { Rational(den, num) }
    public var magnitude: Rational { num < 0 ? Rational(-num, den) : self }

    /// Compared exactly, through 128-bit cross products.
    public static func < (a: Rational, b: Rational) -> Bool { Int128(a.num) * Int128(b.den) < Int128(b.num) * Int128(a.den) }
}
