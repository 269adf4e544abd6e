/// A charge compared with its license's contract like for like: the contract's price for the
/// period the charge covers (a yearly invoice against twelve months of a monthly contract), per
/// seat when the charge is for some of the seats, in the license's currency, within a tolerance.
struct PriceCheck {
    /// How far off a charge may be, as a fraction of what was expected (`price_change.tolerance`).
    let tolerance: Rational

    enum Verdict: Equatable {
        /// What the contract says, for the seats and period charged.
        case expected
        /// A partial period: not comparable.
        case prorated
        /// Another price: at it, the whole license would cost `newCost` per its own period.
        case changed(newCost: Money, forSeats: Int64?, chargePeriod: Period)
    }

    /// `amount` is the charge in the license's currency.
    func verdict(amount: Money, period: Period?, seats named: Int64?, prorated: Bool, license l: License) -> Verdict {
        if prorated { return .prorated }
        let charged = Rational(amount.minor, 1)
        // How many of the license's periods the charge covers: 12 for a yearly invoice of a monthly contract.
        let chargePeriod = l.period.isRecurring ? (period ?? l.period) : l.period
        let scale =
            l.period.isRecurring && chargePeriod.isRecurring
            ? l.period.chargesPerMonth * chargePeriod.chargesPerMonth.inverse : Rational(1, 1)
        let whole = Rational(l.cost.minor, 1) * scale
        if within(charged, of: whole) { return .expected }
        let seatCount = l.seats ?? l.assigned
        if seatCount > 0 {
            let perSeat = whole * Rational(1, seatCount)
            if let n = named {
                if within(charged, of: perSeat * n) { return .expected }
                // The seats named at the price charged, for the whole license over its own period.
                return .changed(
                    newCost: Money(minor: (charged * Rational(seatCount, n) * scale.inverse).rounded, currency: l.currency),
                    forSeats: n, chargePeriod: chargePeriod)
            }
            // A charge for some of the seats (each person billed on their own).
            if perSeat.num != 0 {
                let n = (charged * perSeat.inverse).rounded
                if (1...seatCount).contains(n), within(charged, of: perSeat * n) { return .expected }
            }
        }
        return .changed(
            newCost: Money(minor: (charged * scale.inverse).rounded, currency: l.currency), forSeats: nil, chargePeriod: chargePeriod)
    }

    /// |a − b| ≤ tolerance × |b|.
    func within(_ a: Rational, of b: Rational) -> Bool {
        let diff = (a + b * Rational(-1, 1)).magnitude
        return !(tolerance * b.magnitude < diff)
    }
}

extension Rational {
    public var inverse: Rational { Rational(den, num) }
    public var magnitude: Rational { num < 0 ? Rational(-num, den) : self }

    /// Compared exactly, through 128-bit cross products.
    public static func < (a: Rational, b: Rational) -> Bool { Int128(a.num) * Int128(b.den) < Int128(b.num) * Int128(a.den) }
}
