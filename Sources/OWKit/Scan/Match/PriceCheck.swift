import OWCore
import OWIdentity
import OWOffice

/// A charge compared with its license's contract like for like: the contract's price for the
/// period the charge covers (a yearly invoice against twelve months of a monthly contract), per
/// seat when the charge is for some of the seats, in the license's currency, within a tolerance.
///
/// A new price is only read from a charge whose period is known (issue 31): the period the
/// document states, else the cadence of the vendor's charges at that amount, which must be the
/// contract's. A charge recurring at another cadence, or one with no period of its own that is
/// a small part of a contract billed less often than monthly (a 14.99 add-on against a 149.90
/// yearly plan), is not comparable.
package struct PriceCheck {
    /// How far off a charge may be, as a fraction of what was expected (`price_change.tolerance`).
    let tolerance: Rational

    package enum Verdict: Equatable {
        /// What the contract says, for the seats and period charged.
        case expected
        /// A partial period, an add-on, or a charge for another period: not comparable.
        case prorated
        /// Another price: at it, the whole license would cost `newCost` per its own period.
        case changed(newCost: Money, forSeats: Int64?, chargePeriod: Period)
    }

    /// Without a period of its own, a charge under this part of a contract billed less often
    /// than monthly is an add-on or a prorated charge, never the contract's new price.
    static let partShare = Rational(1, 2)

    /// `amount` is the charge in the license's currency; `period` the one its document states,
    /// `cadence` the one its vendor's earlier charges at that amount show.
    func verdict(amount: Money, period: Period?, cadence: Period? = nil, seats named: Int64?, prorated: Bool, license l: License)
        -> Verdict
    {
        if prorated { return .prorated }
        let charged = Rational(amount.minor, 1)
        let own = l.period.isRecurring ? (period ?? cadence) : nil
        // How many of the license's periods the charge covers: 12 for a yearly invoice of a monthly contract.
        let chargePeriod = own ?? l.period
        let scale =
            l.period.isRecurring && chargePeriod.isRecurring
            ? l.period.chargesPerMonth * chargePeriod.chargesPerMonth.inverse : Rational(1, 1)
        let whole = Rational(l.cost.minor, 1) * scale
        if within(charged, of: whole) { return .expected }
        let seatCount = l.seats ?? l.assigned
        let perSeat = seatCount > 0 ? whole * Rational(1, seatCount) : nil
        if let perSeat, let n = named, within(charged, of: perSeat * n) { return .expected }
        // A charge for some of the seats (each person billed on their own).
        if let perSeat, named == nil, perSeat.num != 0 {
            let n = (charged * perSeat.inverse).rounded
            if (1...seatCount).contains(n), within(charged, of: perSeat * n) { return .expected }
        }
        if !comparable(charged, whole: whole, stated: period, cadence: cadence, license: l) { return .prorated }
        if let n = named, seatCount > 0 {
            // The seats named at the price charged, for the whole license over its own period.
            return .changed(
                newCost: Money(minor: (charged * Rational(seatCount, n) * scale.inverse).rounded, currency: l.currency),
                forSeats: n, chargePeriod: chargePeriod)
        }
        return .changed(
            newCost: Money(minor: (charged * scale.inverse).rounded, currency: l.currency), forSeats: nil, chargePeriod: chargePeriod)
    }

    /// Whether a charge that is not the expected price can say what the new price is: its
    /// document states its period (a monthly invoice is 1/12 of a yearly price), the cadence of
    /// its vendor's charges is the contract's period, or it has neither and is not a small part
    /// of a contract billed less often than monthly.
    func comparable(_ charged: Rational, whole: Rational, stated: Period?, cadence: Period?, license l: License) -> Bool {
        guard l.period.isRecurring, stated == nil else { return true }
        if let cadence { return cadence == l.period }
        let longerThanMonthly = l.period.chargesPerMonth < Rational(1, 1)
        return !(longerThanMonthly && charged < whole * PriceCheck.partShare)
    }

    /// |a − b| ≤ tolerance × |b|.
    package func within(_ a: Rational, of b: Rational) -> Bool {
        let diff = (a + b * Rational(-1, 1)).magnitude
        return !(tolerance * b.magnitude < diff)
    }
}
