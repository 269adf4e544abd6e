import FoundationEssentials
import OWCore
import OWIdentity
import OWOffice
import OWReaders

/// Money back: a refund is a negative charge linked to the charge it pays back (issue 31: also
/// across currencies, and in part).
extension Matcher {
    /// A refund: linked to the latest earlier charge of the vendor with that amount not refunded
    /// yet (in another currency: at the day's rate, within a card's spread), and counted where
    /// that charge counts (managed or unmanaged) and in its currency, so burn nets it to the cent;
    /// a partial refund goes with the latest earlier charge larger than it.
    /// It raises no finding of its own, and answers the duplicate finding of the charge it pays back.
    /// Money back that pays back no charge owatch knows and no license holds would be negative
    /// unmanaged spend (a vendor's shadow spend below zero): it waits for review instead.
    mutating func recordRefund(_ c: ObservedCharge, day: String, reviewed: Bool = false) throws -> Match {
        let db = session.db
        var c = c
        var refunded = try db.one(
            """
            SELECT id, license_id, expected_id FROM charges x
            WHERE x.vendor_id = ? AND x.currency = ? AND x.amount_minor = ? AND x.charged_on <= ?
              AND NOT EXISTS (SELECT 1 FROM charges r WHERE r.refund_of = x.id)
            ORDER BY x.charged_on DESC, x.id DESC LIMIT 1
            """, c.vendor.id, c.amount.currency.code, -c.amount.minor, day)
        if refunded == nil, let other = try refundedInOtherCurrency(c, day: day) {
            refunded = other.row
            c = ObservedCharge(
                key: c.key, origin: c.origin, vendor: c.vendor, amount: other.amount, on: c.on, invoiceNo: c.invoiceNo, period: c.period,
                description: c.description + " (\(c.amount.display))", currencyAssumed: c.currencyAssumed, forwardedBy: c.forwardedBy)
        }
        let whole = refunded != nil
        // Less than any one charge: part of the latest one it fits in, netted where that one counts.
        if refunded == nil {
            refunded = try db.one(
                """
                SELECT id, license_id, expected_id FROM charges x
                WHERE x.vendor_id = ? AND x.currency = ? AND x.amount_minor > ? AND x.charged_on <= ? AND x.refund_of IS NULL
                  AND NOT EXISTS (SELECT 1 FROM charges r WHERE r.refund_of = x.id)
                ORDER BY x.charged_on DESC, x.id DESC LIMIT 1
                """, c.vendor.id, c.amount.currency.code, -c.amount.minor, day)
        }
        let license =
            try refunded.map { try $0.optionalInteger("license_id") }
            ?? licenses(of: c.vendor).first { $0.currency == c.amount.currency }?.id
        if refunded == nil, license == nil, !reviewed {
            return try hold(c, by: nil, why: "money back that pays back no charge owatch knows of", day: day)
        }
        try db.run(
            """
            INSERT INTO charges(item_key, origin, vendor_id, vendor, amount_minor, currency, charged_on, invoice_no, period, description, license_id,
                                expected_id, created_at, refund_of, forwarded_by, read_as, confidence)
            VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)
            """, c.key, c.origin, c.vendor.id, c.vendor.name, c.amount.minor, c.amount.currency.code, day, c.invoiceNo,
            c.period?.description,
            String(c.description.prefix(300)), license, refunded?.optionalInteger("expected_id"), Time.rfc3339(session.now),
            refunded?.integer("id"), c.forwardedBy, c.method, c.sureness)
        try seen(c, in: db.lastInsertRowID)
        if whole, let id = try refunded?.integer("id") { try resolveDuplicate(of: id, refund: c, day: day) }
        return .new
    }

    /// A refund held for review because the charge it pays back was not known yet (a card's
    /// refund line scanned before the receipt) is released by that charge when it comes:
    /// recorded, linked to it, and its review finding resolved. Forwards stay with the admin.
    mutating func releaseHeldRefund(for c: ObservedCharge, chargeID: Int64, day: String) throws {
        let db = session.db
        guard c.amount.minor > 0,
            let row = try db.one(
                """
                SELECT id, pending FROM findings
                WHERE kind = 'review' AND status = 'open' AND vendor_id = ? AND amount_minor = ? AND currency = ?
                  AND pending IS NOT NULL AND json_extract(pending, '$.forwarded_by') IS NULL AND json_extract(pending, '$.on') >= ?
                ORDER BY id LIMIT 1
                """, c.vendor.id, -c.amount.minor, c.amount.currency.code, day),
            let held = try Matcher.pendingCharge(db, try JSON.parse(try row.text("pending")))
        else { return }
        _ = try recordRefund(held, day: Time.day(held.on), reviewed: true)
        try Findings.resolve(db, ids: [try row.integer("id")], reason: "it pays back charge #\(chargeID)", by: "owatch", now: session.now)
    }

    /// The latest earlier charge of the vendor, in another currency and not refunded yet, that
    /// `c` pays back at the day's rate (within a card's spread), and the refund in its terms.
    func refundedInOtherCurrency(_ c: ObservedCharge, day: String) throws -> (row: Row, amount: Money)? {
        guard !rates.isEmpty else { return nil }
        let back = Money(minor: -c.amount.minor, currency: c.amount.currency)
        for x in try session.db.query(
            """
            SELECT id, license_id, expected_id, currency, amount_minor FROM charges x
            WHERE x.vendor_id = ? AND x.currency != ? AND x.amount_minor > 0 AND x.charged_on BETWEEN date(?3, '-400 days') AND ?3
              AND NOT EXISTS (SELECT 1 FROM charges r WHERE r.refund_of = x.id)
            ORDER BY x.charged_on DESC, x.id DESC LIMIT 20
            """, c.vendor.id, c.amount.currency.code, day)
        {
            guard let currency = try? Currency.parse(x.text("currency")),
                let converted = try rates.convertForComparison(back, to: currency, on: day)
            else { continue }
            let minor = try x.integer("amount_minor")
            if PriceCheck(tolerance: Matcher.conversionSpread).within(Rational(minor, 1), of: Rational(converted.minor, 1)) {
                return (x, Money(minor: -minor, currency: currency))
            }
        }
        return nil
    }

    /// A refund of a charge paid twice answers its duplicate finding: resolved, with the reason.
    func resolveDuplicate(of chargeID: Int64, refund c: ObservedCharge, day: String) throws {
        let db = session.db
        let open = try db.query(
            """
            SELECT id FROM findings WHERE kind = 'duplicate' AND status = 'open'
              AND (charge_id = ?1 OR instr(summary, '(charges #' || ?1 || ' and ') > 0)
            """, chargeID)
        try Findings.resolve(
            db, ids: open.map { try $0.integer("id") }, reason: "refunded: \(c.amount.display) on \(day) pays back charge #\(chargeID)",
            by: "owatch", now: session.now)
    }
}
