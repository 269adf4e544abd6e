extension FixedWidthInteger {
    /// The whole part of `value` (towards zero) when it is finite and fits; nil otherwise. What a
    /// number read from outside bytes ("1e300", "nan", `/P 99999999999999999999999`) becomes an
    /// integer through: `Int(someDouble)` traps on those, and no input may reach a trap.
    @inlinable package init?(checked value: Double) {
        self.init(exactly: value.rounded(.towardZero))
    }
}
