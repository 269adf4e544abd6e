import FoundationEssentials
import OWCore
import OWIdentity
import OWOffice
import OWReaders

/// A card line paying a merchant the catalog does not know, as read.
package struct MerchantLine {
    package let key: String
    let merchant: UnknownMerchant
    package let on: Date
    package let amount: Money
    package let description: String
}

/// The long tail on card statements (issue 31): merchants nobody registered.
extension Matcher {
    /// Remembers a merchant's line for the recurring-charge detector. One a processor collected
    /// (`PAYPAL *QUILLPAD`: processors sell for software vendors) is a charge too, with no vendor
    /// until adopted, and raises an `unknown_vendor` finding named after the merchant. `.new` when
    /// it made a charge.
    mutating func recordMerchantLine(_ l: MerchantLine) throws -> Match {
        let db = session.db
        let day = Time.day(l.on)
        try db.run(
            """
            INSERT OR IGNORE INTO merchant_lines(key, merchant, name, processor, day, amount_minor, currency, description)
            VALUES (?,?,?,?,?,?,?,?)
            """, l.key, l.merchant.key, l.merchant.name, l.merchant.processor, day, l.amount.minor, l.amount.currency.code,
            String(l.description.prefix(300)))
        guard let processor = l.merchant.processor, l.merchant.online else { return .seen }
        try db.run(
            """
            INSERT INTO charges(item_key, origin, vendor_id, vendor, amount_minor, currency, charged_on, description, created_at)
            VALUES (?, 'statement', NULL, ?, ?, ?, ?, ?, ?)
            """, l.key, l.merchant.name, l.amount.minor, l.amount.currency.code, day, String(l.description.prefix(300)),
            Time.rfc3339(session.now))
        let chargeID = db.lastInsertRowID
        try db.run(
            "INSERT OR IGNORE INTO charge_sources(charge_id, item_key, origin, detail, seen_at) VALUES (?,?,'statement',?,?)", chargeID,
            l.key, String(l.description.prefix(300)), Time.rfc3339(session.now))
        if l.amount.minor > 0 {
            try add(
                Findings.record(
                    db, kind: .unknownVendor, key: Matcher.merchantFindingKey(l.merchant.key, l.amount.currency), vendor: nil,
                    vendorName: l.merchant.name, licenseID: nil, chargeID: chargeID, amount: l.amount, monthly: l.amount,
                    summary: "\(l.merchant.name) (paid through \(processor)) was charged \(l.amount.display) on \(day) and is not in the "
                        + "catalog: a subscription nobody registered? (\(String(l.description.prefix(80))))",
                    now: session.now))
        }
        return .new
    }

    /// An `unknown_vendor` finding's key for a merchant seen on statements (a sender's is its domain).
    static func merchantFindingKey(_ merchant: String, _ currency: Currency) -> String { "unknown:merchant=\(merchant):\(currency.code)" }

    /// The recurring-charge detector over every line kept of these merchants: a subscription is
    /// an `unknown_vendor` finding with its cadence, run-rate and the lines that show it (one per
    /// merchant and currency, refreshed as lines come).
    mutating func detectSubscriptions(_ merchants: Set<String>) throws {
        let db = session.db
        for merchant in merchants.sorted() {
            var byCurrency: [String: (name: String, processor: String?, lines: [RecurringCharges.Line])] = [:]
            for row in try db.query(
                "SELECT name, processor, day, amount_minor, currency FROM merchant_lines WHERE merchant = ? ORDER BY currency, day, key",
                merchant)
            {
                let (code, name, processor) = (try row.text("currency"), try row.text("name"), try row.optionalText("processor"))
                byCurrency[code, default: (name, processor, [])].lines.append(
                    RecurringCharges.Line(day: try row.text("day"), minor: try row.integer("amount_minor")))
            }
            for (code, found) in byCurrency.sorted(by: { $0.key < $1.key }) {
                guard let currency = try? Currency.parse(code), let p = RecurringCharges.detect(found.lines) else { continue }
                try recordSubscription(merchant: merchant, name: found.name, processor: found.processor, currency: currency, p)
            }
        }
    }

    private mutating func recordSubscription(
        merchant: String, name: String, processor: String?, currency: Currency, _ p: RecurringCharges.Pattern
    ) throws {
        let key = Matcher.merchantFindingKey(merchant, currency)
        let latest = Money(minor: p.latest, currency: currency)
        let monthly = Money(minor: p.monthly.rounded, currency: currency)
        let days = p.lines.map(\.day)
        let shown =
            days.count > 6
            ? days.prefix(3).joined(separator: ", ") + ", … " + days.suffix(2).joined(separator: ", ") : days.joined(separator: ", ")
        let summary =
            "\(name)\(processor.map { " (paid through \($0))" } ?? "") is charged \(p.period.description) (\(days.count) card lines: \(shown)), lately \(latest.display), about "
            + "\(monthly.display) a month, and is not in the catalog: a subscription nobody registered?"
        if let id = try Findings.record(
            session.db, kind: .unknownVendor, key: key, vendor: nil, vendorName: name, licenseID: nil, chargeID: nil, amount: latest,
            monthly: monthly, summary: summary, now: session.now)
        {
            return add(id)
        }
        // Open already (raised by one processor line, or by fewer lines): it takes the cadence's figures.
        try session.db.run(
            "UPDATE findings SET amount_minor = ?, monthly_minor = ?, summary = ? WHERE dedupe_key = ? AND status = 'open'", latest.minor,
            monthly.minor, summary, key)
    }
}
