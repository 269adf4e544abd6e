import FoundationEssentials
import OWCore
import OWOffice

extension Matcher {
    /// What `record` asks the ledger about a charge before it writes anything, in one query where
    /// five were a round trip each on PostgreSQL. Nothing is written between these reads (a path
    /// that writes, a hold or a refund, returns without the later answers), so each answer is the
    /// one its own query gave.
    struct Lookup {
        /// The vendor has a charge with this invoice number.
        var invoiced = false
        /// The same payment from another kind of source, in the charge's currency (`unseenHere`).
        var same: (id: Int64, currency: String)?
        /// Paid twice: the same amount, vendor and kind of source within three days.
        var duplicateOf: Int64?
        /// The approved purchase it pays for, if no license does.
        var expectedID: Int64?
        /// A refund waits for this charge (`releaseHeldRefund`).
        var heldRefund = false
        /// A charge in another currency could be the same payment (`samePaymentConverted` looks
        /// at them): asked here, the query of its own runs only when there is one.
        var otherCurrency = true
    }

    /// Parameters: ?1 vendor, ?2 day, ?3 origin, ?4 invoice number, ?5 amount, ?6 currency, ?7 and
    /// ?8 the other origins, ?9 the vendor's name.
    func lookup(_ c: ObservedCharge, day: String, unlicensed: Bool) throws -> Lookup {
        let others = Matcher.origins.filter { $0 != c.origin }
        precondition(others.count == 2, "a charge's origin is one of \(Matcher.origins)")
        guard
            let row = try session.db.one(
                unlicensed ? lookupQueries.unlicensed : lookupQueries.licensed, c.vendor.id, day, c.origin, c.invoiceNo,
                c.amount.minor, c.amount.currency.code, others[0], others[1], c.vendor.name)
        else { return Lookup() }
        var found = Lookup()
        found.invoiced = try c.invoiceNo != nil && row.optionalInteger("invoiced") != nil
        if let id = try row.optionalInteger("same_id") { found.same = (id, try row.text("same_currency")) }
        found.duplicateOf = try row.optionalInteger("duplicate_of")
        found.expectedID = try row.optionalInteger("expected_id")
        found.heldRefund = try row.optionalInteger("held_refund") != nil
        found.otherCurrency = try row.optionalInteger("other_currency") != nil
        return found
    }

    /// `lookup`'s query (see its parameters) for a matcher of this `window`.
    static func lookupQuery(window: Int, unlicensed: Bool) -> String {
        let unseenHere = unseenHere(window: window)
        // An approved purchase is looked for only when no license can take the charge.
        let expected =
            unlicensed
            ? """
            (SELECT e.id FROM expected_spend e
             WHERE e.currency = ?6 AND e.amount_minor = ?5 AND (e.vendor_id = ?1 OR lower(e.item) LIKE '%' || lower(?9) || '%')
               AND NOT EXISTS (SELECT 1 FROM charges x WHERE x.expected_id = e.id)
             ORDER BY e.id LIMIT 1)
            """ : "NULLIF(?9, ?9)"
        return
            """
            SELECT (SELECT 1 FROM charges WHERE vendor_id = ?1 AND invoice_no = ?4 LIMIT 1) AS invoiced,
              same.id AS same_id, same.currency AS same_currency,
              (SELECT id FROM charges WHERE vendor_id = ?1 AND amount_minor = ?5 AND currency = ?6 AND origin = ?3
                 AND charged_on BETWEEN date(?2, '-3 days') AND date(?2, '+3 days') ORDER BY id LIMIT 1) AS duplicate_of,
              \(expected) AS expected_id,
              (SELECT 1 FROM findings
               WHERE ?5 > 0 AND kind = 'review' AND status = 'open' AND vendor_id = ?1 AND amount_minor + ?5 = 0 AND currency = ?6
                 AND pending IS NOT NULL AND json_extract(pending, '$.forwarded_by') IS NULL AND json_extract(pending, '$.on') >= ?2
               LIMIT 1) AS held_refund,
              (SELECT 1 FROM charges x WHERE x.vendor_id = ?1 AND x.currency != ?6 AND (x.amount_minor < 0) = (?5 < 0) AND \(unseenHere)
               LIMIT 1) AS other_currency
            FROM (SELECT 1 AS one) one LEFT JOIN (
              SELECT x.id, x.currency FROM charges x WHERE x.vendor_id = ?1 AND x.amount_minor = ?5 AND x.currency = ?6 AND \(unseenHere)
              ORDER BY abs(julianday(x.charged_on) - julianday(?2)), x.id LIMIT 1) same ON 1 = 1
            """
    }

    /// A charge (?1 vendor, ?2 day, ?3 origin, ?4 invoice number, ?7 and ?8 the other origins) in
    /// the window, not yet seen in this kind of source, whose invoice number (if both have one) is
    /// the same: the same payment, if the amount agrees. The other kinds of source as a list, not
    /// `origin != ?`: with a list SQLite seeks the amount index (vendor, amount, currency, origin,
    /// day) to the few charges of that amount; with `!=` it walked every charge of the vendor in
    /// the window (16x slower on 12,000 receipts).
    var unseenHere: String { Matcher.unseenHere(window: window) }

    static func unseenHere(window: Int) -> String {
        """
          x.charged_on BETWEEN date(?2, '-\(window) days') AND date(?2, '+\(window) days')
          AND x.origin IN (?7, ?8) AND NOT EXISTS (SELECT 1 FROM charge_sources s WHERE s.charge_id = x.id AND s.origin = ?3)
          AND (x.invoice_no IS NULL OR ?4 IS NULL OR x.invoice_no = ?4)
        """
    }
}
