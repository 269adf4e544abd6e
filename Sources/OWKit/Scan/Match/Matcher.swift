import FoundationEssentials
import OWCore
import OWIdentity
import OWOffice
import OWReaders

/// A receipt's spend with a sender the catalog does not know.
package struct UnknownSpend {
    package let name: String
    package let domain: String
    package let amount: Money
    package let period: Period?
    package let on: Date
    package let subject: String
    /// The document named no currency (see `Receipt.currencyAssumed`).
    package var currencyAssumed = false
    /// The processor that sent the receipt for a merchant (`stripe.com`); its `domain` is then `merchant=…`.
    package var via: String? = nil
    /// The message's key, how it was read and how sure the reader was (see `Receipt.confidence`).
    package var key: String? = nil
    package var readAs: String? = nil
    package var confidence: Double? = nil
    package var candidates: [Money] = []
    var doubt: String? = nil
}

/// Matches observed charges to the inventory and records what does not fit.
package struct Matcher {
    package let session: Session
    package let index: VendorIndex
    private var licensesByVendor: [Int64: [License]] = [:]
    private var created: [Int64] = []
    /// Unmanaged findings' keys known to exist: a finding's key is never reused, so the vendor's
    /// next charges in a scan of thousands need not try to insert it again.
    private var unmanagedKeys = Set<String>()

    private let prices: PriceCheck
    /// Days either side within which one payment seen in two kinds of source is one charge.
    let window: Int
    /// `lookup`'s query for a charge a license can take and for one none can: put together once,
    /// not per charge (building and hashing it for the statement cache was a tenth of the lookup).
    let lookupQueries: (licensed: String, unlicensed: String)
    package let rates: ExchangeRates
    /// Forwarded receipts over this wait for review (config scan.forward_review_above).
    private let reviewAbove: Money
    /// Read charges less sure than this wait for review (config scan.review_below).
    private let reviewBelow: Double

    package init(session: Session, index: VendorIndex) throws {
        self.session = session
        self.index = index
        prices = PriceCheck(tolerance: try Config.priceTolerance(session.ledger))
        window = try Config.matchWindow(session.ledger)
        lookupQueries = (Matcher.lookupQuery(window: window, unlicensed: false), Matcher.lookupQuery(window: window, unlicensed: true))
        rates = ExchangeRates(session.db)
        reviewAbove = try Config.forwardReviewAbove(session.ledger)
        reviewBelow = try Config.reviewBelow(session.ledger)
    }

    package mutating func licenses(of vendor: Vendor) throws -> [License] {
        if let l = licensesByVendor[vendor.id] { return l }
        var f = LicenseFilter()
        f.vendor = vendor.name
        f.includeCancelled = false
        let list = try Licenses.list(session.db, filter: f, today: session.now)
        licensesByVendor[vendor.id] = list
        return list
    }

    /// Writes the charge, links it to a license or an approved purchase, updates the monthly
    /// aggregate, and records price changes, unmanaged spend and duplicates. `.seen` when the
    /// charge was already recorded (the same invoice number from the same vendor, re-sent);
    /// `.held` when it is a forward that waits for review (unless `reviewed`: an admin accepted it).
    @discardableResult
    package mutating func record(_ c: ObservedCharge, reviewed: Bool = false) throws -> Match {
        let db = session.db
        let day = Time.day(c.on)
        // pickLicense takes one of the vendor's licenses if it has any (read here, cached per batch).
        let known = try lookup(c, day: day, unlicensed: try licenses(of: c.vendor).isEmpty)
        if known.invoiced { return .seen }
        // A forward is only its forwarder's word for what the vendor sent: one that would take
        // money off the totals, or add much to them, moves nothing until an admin accepts it.
        if !reviewed, let by = c.forwardedBy, let why = try reviewReason(c, day: day) {
            return try hold(c, by: by, why: why, day: day)
        }
        // Not sure is an answer: a reading under scan.review_below waits with its candidates.
        if !reviewed, c.sureness < reviewBelow {
            let why = "not sure of the amount (\(c.doubt ?? c.method), confidence \(c.sureness) < scan.review_below \(reviewBelow))"
            return try hold(c, by: c.forwardedBy, why: why, day: day)
        }
        // The same payment seen before in another kind of source (the receipt, then the card line
        // days later): one charge, with one more place it was seen.
        if let same = try known.same ?? (known.otherCurrency ? samePaymentConverted(c, day: day) : nil) {
            try seen(c, in: same.id)
            if let inv = c.invoiceNo { try db.run("UPDATE charges SET invoice_no = COALESCE(invoice_no, ?) WHERE id = ?", inv, same.id) }
            // Statements post days after the payment: the earliest date seen is the day it was paid.
            try db.run("UPDATE charges SET charged_on = ? WHERE id = ? AND charged_on > ?", day, same.id, day)
            // Seen in two currencies (the invoice in USD, the card line converted to EUR): the
            // invoice's amount is the charge's, whichever was scanned first.
            if same.currency != c.amount.currency.code && c.origin == "mail" { try takeInvoiceAmount(same.id, from: c, day: day) }
            return .seen
        }
        if c.amount.minor < 0 { return try recordRefund(c, day: day, reviewed: reviewed) }
        let (license, verdict) = try pickLicense(for: c, day: day)
        let expectedID = license == nil ? known.expectedID : nil
        // Paid twice: the same amount to the same vendor within three days, from the same kind of source.
        let duplicateOf = known.duplicateOf
        try db.run(
            """
            INSERT INTO charges(item_key, origin, vendor_id, vendor, amount_minor, currency, charged_on, invoice_no, period, description, license_id, expected_id,
                                currency_assumed, created_at, forwarded_by, read_as, confidence)
            VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)
            """, c.key, c.origin, c.vendor.id, c.vendor.name, c.amount.minor, c.amount.currency.code, day, c.invoiceNo,
            c.period?.description,
            String(c.description.prefix(300)), license?.id, expectedID, c.currencyAssumed, Time.rfc3339(session.now), c.forwardedBy,
            c.method, c.sureness)
        let chargeID = db.lastInsertRowID
        try seen(c, in: chargeID)
        let unmanaged = license == nil && expectedID == nil  // triggers add it to spend_monthly
        if let dup = duplicateOf {
            try add(
                Findings.record(
                    db, kind: .duplicate, key: "duplicate:\(chargeID)", vendor: c.vendor, licenseID: license?.id, chargeID: chargeID,
                    amount: c.amount, monthly: nil,
                    summary: "\(c.vendor.name) charged \(c.amount.display) twice (charges #\(dup) and #\(chargeID), \(day))",
                    now: session.now, currencyAssumed: c.currencyAssumed))
        }
        if let l = license { try priceFinding(l, verdict, c, chargeID: chargeID, day: day) }
        if unmanaged { try unmanagedFinding(c, chargeID: chargeID, day: day) }
        if known.heldRefund { try releaseHeldRefund(for: c, chargeID: chargeID, day: day) }
        return .new
    }

    /// Why a forwarded charge waits for review, or nil: a credit note or refund, or an amount
    /// over config scan.forward_review_above (compared at the day's rate; with none, it waits).
    func reviewReason(_ c: ObservedCharge, day: String) throws -> String? {
        if c.amount.minor < 0 { return "a forwarded credit note" }
        guard let compared = try rates.convertForComparison(c.amount, to: reviewAbove.currency, on: day) else {
            return "a forwarded receipt in \(c.amount.currency.code), with no rate to compare it with scan.forward_review_above "
                + "(\(reviewAbove.display))"
        }
        guard compared.minor > reviewAbove.minor else { return nil }
        return "a forwarded receipt over \(reviewAbove.display) (scan.forward_review_above)"
    }

    /// A charge held back (a forward owatch does not take on trust, a refund that pays back nothing
    /// it knows): a `review` finding (one per message or line) that keeps the charge it would
    /// make, recorded by `scan adopt`, dropped by `scan ignore`.
    mutating func hold(_ c: ObservedCharge, by: String?, why: String, day: String) throws -> Match {
        let pending = JSON.obj([
            ("key", .string(c.key)), ("origin", .string(c.origin)), ("vendor_id", .int(c.vendor.id)),
            ("amount_minor", .int(c.amount.minor)), ("currency", .string(c.amount.currency.code)), ("on", .string(day)),
            ("invoice_no", c.invoiceNo.map(JSON.string) ?? .null), ("period", c.period.map { .string($0.description) } ?? .null),
            ("description", .string(String(c.description.prefix(300)))), ("seats", c.seats.map { .int($0) } ?? .null),
            ("prorated", .bool(c.prorated)), ("currency_assumed", .bool(c.currencyAssumed)), ("forwarded_by", by.map(JSON.string) ?? .null),
            ("read_as", .string(c.method)), ("confidence", .number(String(c.sureness))),
            ("candidates", .array(c.candidates.map { .obj([("amount", .number($0.decimal)), ("currency", .string($0.currency.code))]) })),
            ("why", .string(why)),
        ])
        guard
            let id = try Findings.record(
                session.db, kind: .review, key: "review:\(c.key)", vendor: c.vendor, licenseID: nil, chargeID: nil, amount: c.amount,
                monthly: nil,
                summary:
                    "\(c.vendor.name): \(why), \(c.amount.display) on \(day)\(by.map { ", forwarded by \($0)" } ?? ""), counts nowhere until reviewed "
                    + "(\(String(c.description.prefix(80)))); scan adopt records it as a charge, scan ignore drops it",
                now: session.now, currencyAssumed: c.currencyAssumed)
        else { return .seen }
        try session.db.run("UPDATE findings SET pending = ? WHERE id = ?", pending.encoded(), id)
        add(id)
        return .held
    }

    /// The charge a review finding holds, as `hold` kept it.
    static func pendingCharge(_ db: Database, _ json: JSON) throws -> ObservedCharge? {
        guard let key = json["key"]?.stringValue, let origin = json["origin"]?.stringValue, let vendorID = json["vendor_id"]?.intValue,
            let minor = json["amount_minor"]?.intValue, let code = json["currency"]?.stringValue,
            let day = json["on"]?.stringValue.flatMap(Time.parseDay),
            let vendor = try Vendors.list(db).first(where: { $0.id == vendorID })
        else { return nil }
        return ObservedCharge(
            key: key, origin: origin, vendor: vendor, amount: Money(minor: minor, currency: try Currency.parse(code)), on: day,
            invoiceNo: json["invoice_no"]?.stringValue, period: json["period"]?.stringValue.flatMap { try? Period.parse($0) },
            description: json["description"]?.stringValue ?? "", seats: json["seats"]?.intValue,
            prorated: json["prorated"]?.boolValue ?? false, currencyAssumed: json["currency_assumed"]?.boolValue ?? false,
            forwardedBy: json["forwarded_by"]?.stringValue, readAs: json["read_as"]?.stringValue,
            confidence: { if case .number(let t)? = json["confidence"] { return Double(t) } else { return nil } }())
    }

    /// A price change when the charge is not what the license's contract says.
    private mutating func priceFinding(_ l: License, _ verdict: PriceCheck.Verdict?, _ c: ObservedCharge, chargeID: Int64, day: String)
        throws
    {
        let db = session.db
        // A new price no contract could hold (beyond the amounts owatch reads) is not a finding to adopt.
        if case .changed(let newCost, let seats, let chargePeriod)? = verdict, newCost.minor.magnitude <= UInt64(Money.maxMinor) {
            // One open finding per license and new price: a later charge at that price updates it.
            let monthly = Money(minor: (Rational(newCost.minor, 1) * l.period.chargesPerMonth).rounded, currency: l.currency)
            let what = [chargePeriod.description, seats.map { "\($0) seat(s)" }].compactMap { $0 }.joined(separator: ", ")
            let converted = c.amount.currency == l.currency ? "" : " (converted to \(l.currency.code))"
            try add(
                Findings.record(
                    db, kind: .priceChange, key: "price:\(l.id):\(newCost.minor)", vendor: c.vendor, licenseID: l.id, chargeID: chargeID,
                    amount: newCost, monthly: monthly,
                    summary: "\(l.name) was charged \(c.amount.display) on \(day) (\(what))\(converted): at that price the contract is "
                        + "\(newCost.display) \(l.period.description)" + (l.period == .monthly ? "" : " (\(monthly.display) a month)")
                        + "; it says \(l.cost.display)",
                    now: session.now, refresh: true, currencyAssumed: c.currencyAssumed))
        }
    }

    /// Spend that matches no license: one open finding per vendor and currency.
    private mutating func unmanagedFinding(_ c: ObservedCharge, chargeID: Int64, day: String) throws {
        let key = "unmanaged:\(c.vendor.id):\(c.amount.currency.code)"
        guard unmanagedKeys.insert(key).inserted else { return }
        let period = c.period ?? .monthly
        let monthly = Money(minor: (Rational(c.amount.minor, 1) * period.chargesPerMonth).rounded, currency: c.amount.currency)
        try add(
            Findings.record(
                session.db, kind: .unmanaged, key: key, vendor: c.vendor, licenseID: nil,
                chargeID: chargeID, amount: c.amount, monthly: monthly,
                summary: "\(c.vendor.name): \(c.amount.display) paid on \(day) matches no license (about \(monthly.display) a month)",
                now: session.now, currencyAssumed: c.currencyAssumed))
    }

    /// The charge `id`, first seen in another currency (a card line), takes the invoice's amount
    /// and currency, is matched again, and its findings follow.
    private mutating func takeInvoiceAmount(_ id: Int64, from c: ObservedCharge, day: String) throws {
        let db = session.db
        guard let old = try db.one("SELECT license_id, expected_id, currency, amount_minor FROM charges WHERE id = ?", id) else { return }
        let wasUnmanaged = try old.optionalInteger("license_id") == nil && old.optionalInteger("expected_id") == nil
        let (license, verdict) = try pickLicense(for: c, day: day)
        try db.run(
            "UPDATE charges SET amount_minor = ?, currency = ?, period = COALESCE(period, ?), license_id = COALESCE(license_id, ?) WHERE id = ?",
            c.amount.minor, c.amount.currency.code, c.period?.description, license?.id, id)
        // Its refund, read from the same card, pays back the invoice's amount: it nets in that currency too.
        try db.run(
            "UPDATE charges SET amount_minor = ?, currency = ?, license_id = ? WHERE refund_of = ? AND currency = ? AND amount_minor = ?",
            -c.amount.minor, c.amount.currency.code, license?.id ?? old.optionalInteger("license_id"), id, old.text("currency"),
            -(try old.integer("amount_minor")))
        if wasUnmanaged {
            try Findings.resolveUnmanagedIfGone(
                db, vendor: c.vendor.name, currency: old.text("currency"),
                reason: "its charge #\(id) is the invoice's \(c.amount.display)", by: "owatch", now: session.now)
            if license == nil { try unmanagedFinding(c, chargeID: id, day: day) }
        }
        if let l = license, try old.optionalInteger("license_id") == nil || old.optionalInteger("license_id") == l.id {
            try priceFinding(l, verdict, c, chargeID: id, day: day)
        }
    }

    package mutating func add(_ id: Int64?) { if let id { created.append(id) } }

    /// The license a charge pays for: one of its vendor's at the price the charge implies, else
    /// one in the charge's currency, else any (a charge in another currency than its license is
    /// still that license's, never shadow IT for its currency alone). With the price verdict;
    /// nil when the amount could not be converted to the license's currency.
    mutating func pickLicense(for c: ObservedCharge, day: String) throws -> (License?, PriceCheck.Verdict?) {
        let all = try licenses(of: c.vendor)
        guard !all.isEmpty else { return (nil, nil) }
        var judged: [(License, PriceCheck.Verdict?)] = []
        let cadence = c.period == nil ? try self.cadence(of: c, day: day) : nil
        for l in all {
            let amount = try rates.convertForComparison(c.amount, to: l.currency, on: day)
            let verdict = amount.map {
                prices.verdict(amount: $0, period: c.period, cadence: cadence, seats: c.seats, prorated: c.prorated, license: l)
            }
            if verdict == .expected { return (l, verdict) }
            judged.append((l, verdict))
        }
        return judged.first { $0.0.currency == c.amount.currency } ?? judged.first { $0.1 != nil } ?? judged[0]
    }

    /// The period a charge with none of its own recurs at: the gap to the vendor's latest earlier
    /// charge at about the same amount (a 14.99 line a month after another is monthly), or nil.
    func cadence(of c: ObservedCharge, day: String) throws -> Period? {
        let near = Rational(c.amount.minor, 1) * prices.tolerance
        let slack = near.magnitude.rounded
        guard
            let gap = try session.db.one(
                """
                SELECT CAST(julianday(?1) - julianday(charged_on) AS INTEGER) AS gap FROM charges
                WHERE vendor_id = ?2 AND amount_minor BETWEEN ?4 - ?5 AND ?4 + ?5 AND currency = ?3
                  AND charged_on < ?1 AND charged_on >= date(?1, '-400 days') AND refund_of IS NULL
                ORDER BY charged_on DESC LIMIT 1
                """, day, c.vendor.id, c.amount.currency.code, c.amount.minor, slack)?.integer("gap")
        else { return nil }
        switch gap {
        case 6...8: return Period(count: 1, unit: .week)
        case 26...35: return .monthly
        case 85...96: return Period(count: 3, unit: .month)
        case 350...380: return .yearly
        default: return nil
        }
    }

    /// Records one more place the payment `chargeID` was seen: this source's key, kind and text.
    package func seen(_ c: ObservedCharge, in chargeID: Int64) throws {
        try session.db.run(
            "INSERT OR IGNORE INTO charge_sources(charge_id, item_key, origin, detail, seen_at) VALUES (?,?,?,?,?)",
            chargeID, c.key, c.origin, String(c.description.prefix(300)), Time.rfc3339(session.now))
    }

    /// The same payment (`Lookup.same`) in another currency: a card converts a USD invoice to EUR,
    /// the same amount at the day's rate, give or take what card networks add to it. Without rates, never.
    func samePaymentConverted(_ c: ObservedCharge, day: String) throws -> (id: Int64, currency: String)? {
        guard !rates.isEmpty else { return nil }
        let others = Matcher.origins.filter { $0 != c.origin }
        for x in try session.db.query(
            """
            SELECT id, currency, amount_minor FROM charges x WHERE x.vendor_id = ?1 AND x.currency != ?6 AND (x.amount_minor < 0) = (?5 < 0) AND \(unseenHere)
            ORDER BY abs(julianday(x.charged_on) - julianday(?2)), x.id LIMIT 20
            """, c.vendor.id, day, c.origin, c.invoiceNo, c.amount.minor, c.amount.currency.code, others[0], others[1])
        {
            guard let currency = try? Currency.parse(x.text("currency")),
                let converted = try rates.convertForComparison(c.amount, to: currency, on: day)
            else { continue }
            let check = PriceCheck(tolerance: Matcher.conversionSpread)
            if check.within(Rational(try x.integer("amount_minor"), 1), of: Rational(converted.minor, 1)) {
                return (try x.integer("id"), currency.code)
            }
        }
        return nil
    }

    /// Where a charge can come from (the charges table's CHECK holds the same list).
    package static let origins = ["mail", "statement", "manual"]

    /// How far a card's conversion may be from the reference rate's (networks add 1–3%).
    static let conversionSpread = Rational(3, 100)

    /// Renewals in the next 30 days and licenses paying for idle seats.
    mutating func inventoryFindings(today: Date) throws {
        let db = session.db
        try Findings.resolveStale(db, now: session.now)
        for (l, date) in try Licenses.renewals(db, within: Duration(count: 30, unit: .day), today: today) {
            try add(
                Findings.record(
                    db, kind: .renewal, key: "renewal:\(l.id):\(Time.day(date))", vendor: nil, licenseID: l.id, chargeID: nil,
                    amount: l.cost, monthly: nil, summary: "\(l.name) renews on \(Time.day(date)) for \(l.cost.display)", now: session.now))
        }
        var f = LicenseFilter()
        f.unusedOnly = true
        f.includeCancelled = false
        for l in try Licenses.list(db, filter: f, today: today) {
            let idle = l.freeSeats ?? 0
            let cost = Money(minor: (l.seatMonthlyExact * idle).rounded, currency: l.currency)
            // One open finding per license; resolveStale keeps its count up to date.
            try add(
                Findings.record(
                    db, kind: .unusedSeats, key: "unused:\(l.id)", vendor: nil, licenseID: l.id, chargeID: nil,
                    amount: nil, monthly: cost, summary: Findings.unusedSummary(l, idle: idle, cost: cost), now: session.now))
        }
    }

    /// A subscription billed by a sender nobody registered: one open `unknown_vendor` finding per
    /// sender domain and currency (adopting it creates the vendor and its license).
    mutating func recordUnknown(_ u: UnknownSpend, reviewed: Bool = false) throws {
        // Not sure is an answer for unknown senders too: under scan.review_below it waits for review.
        if !reviewed, let sure = u.confidence, sure < reviewBelow {
            let why = "not sure of the amount (\(u.doubt ?? u.readAs ?? "labelled"), confidence \(sure) < scan.review_below \(reviewBelow))"
            return try holdUnknown(u, why: why)
        }
        let period = u.period ?? .monthly
        let monthly = Money(minor: (Rational(u.amount.minor, 1) * period.chargesPerMonth).rounded, currency: u.amount.currency)
        let day = Time.day(u.on)
        try add(
            Findings.record(
                session.db, kind: .unknownVendor, key: "unknown:\(u.domain):\(u.amount.currency.code)", vendor: nil,
                vendorName: u.name, licenseID: nil,
                chargeID: nil, amount: u.amount, monthly: monthly,
                summary:
                    "\(u.name) (\(u.via.map { "paid through \($0)" } ?? u.domain)) billed \(u.amount.display) \(period.description) on \(day) and is not in the catalog: "
                    + "a subscription nobody registered? (\(String(u.subject.prefix(80))))", now: session.now, refresh: true,
                currencyAssumed: u.currencyAssumed))
    }

    /// A trial that turns paid on `ends`: one finding per vendor and day.
    mutating func recordTrial(_ vendor: Vendor, ends: String, subject: String) throws {
        try add(
            Findings.record(
                session.db, kind: .trial, key: "trial:\(vendor.id):\(ends)", vendor: vendor, licenseID: nil, chargeID: nil,
                amount: nil, monthly: nil,
                summary: "\(vendor.name)'s trial ends on \(ends) and turns paid then, unless cancelled (\(String(subject.prefix(80))))",
                now: session.now))
    }

    func newFindings() throws -> [Finding] {
        try created.map { try Findings.get(session.db, $0) }
    }
}
