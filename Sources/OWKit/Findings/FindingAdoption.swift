import FoundationEssentials
import OWCore
import OWIdentity
import OWOffice
import OWReaders

/// `scan adopt`: a finding turned into inventory.
extension Findings {
    /// Several findings adopted in one transaction: all of them, or (on any refusal) none.
    public static func adopt(_ session: Session, _ ids: [Int64], as target: String?) throws -> [(Finding, License?)] {
        try session.write { try ids.map { try adopt(session, $0, as: target) } }
    }

    /// Records the charge a review finding holds, as the scan would have (matched, checked,
    /// marked forwarded); returns its id, or the id of the charge that already records that
    /// payment (the same invoice, or the same payment seen in another kind of source); nil for an
    /// unknown vendor's reading, which makes its unknown_vendor finding instead.
    static func acceptReview(_ session: Session, _ id: Int64, pending: String?) throws -> Int64? {
        let db = session.db
        if let text = pending, let u = try Matcher.pendingUnknown(try JSON.parse(text)) {
            var matcher = try Matcher(session: session, index: try VendorIndex(db))
            try matcher.recordUnknown(u, reviewed: true)
            return nil
        }
        guard let text = pending, let c = try Matcher.pendingCharge(db, try JSON.parse(text)) else {
            throw OWError.refused(
                "finding #\(id) holds no charge to record (a scanned document, or its vendor was removed): record the charge with "
                    + "charge add, then close this with scan ignore")
        }
        var matcher = try Matcher(session: session, index: try VendorIndex(db))
        try matcher.record(c, reviewed: true)
        if let charge = try db.one("SELECT charge_id FROM charge_sources WHERE item_key = ?", c.key) {
            return try charge.integer("charge_id")
        }
        if let inv = c.invoiceNo, let charge = try db.one("SELECT id FROM charges WHERE vendor_id = ? AND invoice_no = ?", c.vendor.id, inv)
        {
            return try charge.integer("id")
        }
        throw OWError.refused("finding #\(id): its charge could not be recorded")
    }

    /// Turns a finding into inventory in one transaction. An unmanaged vendor becomes a license
    /// (or joins `--as LICENSE`) and its charges move from unmanaged to managed spend; a price
    /// change updates the contract to the price actually charged; a forward held for review
    /// becomes the charge it holds (matched as the scan would have; the license it pays, if any).
    public static func adopt(_ session: Session, _ id: Int64, as licenseKey: String?) throws -> (Finding, License?) {
        try session.write {
            let db = session.db
            let f = try get(db, id)
            guard f.status == .open else { throw OWError.refused("finding #\(id) is already \(f.status.rawValue)") }
            let row = try db.one("SELECT vendor_id, license_id, charge_id, pending FROM findings WHERE id = ?", id)!
            let license: License?
            switch f.kind {
            case .review:
                license = try adoptReview(session, f, row, as: licenseKey)
            case .unmanaged:
                license = try adoptUnmanaged(session, f, row, as: licenseKey)
            case .unknownVendor:
                license = try adoptUnknownVendor(session, f, as: licenseKey)
            case .priceChange:
                license = try adoptPriceChange(session, f, row)
            default:
                throw OWError.refused(
                    "a \(f.kind) finding cannot be adopted", hint: "ignore it with `owatch scan ignore \(id) -m WHY`, or act on the license"
                )
            }
            try db.run(
                "UPDATE findings SET status = 'adopted', resolved_at = ?, resolved_by = ?, license_id = COALESCE(license_id, ?) WHERE id = ?",
                Time.rfc3339(session.now), session.actor.name, license?.id, id)
            let adopted = try get(db, id)
            try session.audit(
                "finding.adopt", "finding:\(id)",
                .obj(
                    [("kind", .string(f.kind.rawValue)), ("license", license.map { .string($0.name) } ?? .null)]
                        + (f.kind == .review ? [("charge", adopted.chargeID.map { .int($0) } ?? .null)] : [])))
            return (adopted, license)
        }
    }

    /// A forward held for review becomes the charge it holds; the license it pays, if any.
    private static func adoptReview(_ session: Session, _ f: Finding, _ row: Row, as licenseKey: String?) throws -> License? {
        let db = session.db
        let id = f.id
        guard licenseKey == nil else {
            throw OWError.usage("--as does not apply to a review finding: it becomes the charge it holds")
        }
        // An unknown vendor's reading makes its unknown_vendor finding, not a charge.
        let chargeID = try acceptReview(session, id, pending: try row.optionalText("pending"))
        let license = try chargeID.flatMap {
            try db.one("SELECT license_id FROM charges WHERE id = ?", $0)?.optionalInteger("license_id").flatMap {
                try Licenses.find(db, String($0))
            }
        }
        if let chargeID { try db.run("UPDATE findings SET charge_id = ? WHERE id = ?", chargeID, id) }
        return license
    }

    /// An unmanaged vendor becomes a license (or joins `--as LICENSE`); its charges become managed spend.
    private static func adoptUnmanaged(_ session: Session, _ f: Finding, _ row: Row, as licenseKey: String?) throws -> License {
        let db = session.db
        let id = f.id
        guard let vendorID = try row.optionalInteger("vendor_id") else { throw OWError.refused("finding #\(id) names no vendor") }
        let target: License
        if let key = licenseKey {
            target = try Licenses.get(db, key)
            // Charges move to the license: they must be that vendor's.
            guard target.vendor.equalsIgnoringCase(f.vendor ?? "") else {
                throw OWError.refused(
                    "finding #\(id) is \(f.vendor ?? "another vendor")'s spend; \(target.name) is a \(target.vendor) license",
                    hint: "adopt it without --as to create a \(f.vendor ?? "new") license, or pick one of that vendor's")
            }
        } else {
            guard let chargeID = try row.optionalInteger("charge_id"),
                let c = try db.one("SELECT vendor, currency, amount_minor, period, charged_on FROM charges WHERE id = ?", chargeID)
            else {
                throw OWError.refused("finding #\(id) has no charge to adopt from")
            }
            let vendorName = try c.text("vendor")
            var name = vendorName
            if try Licenses.find(db, name) != nil { name = "\(vendorName) (adopted)" }
            let currency = try Currency.parse(c.text("currency"))
            var d = LicenseDraft(
                name: name, vendor: vendorName, seats: 1, price: Money(minor: try c.integer("amount_minor"), currency: currency))
            d.billedByUsage(Catalog.isUsageBilled(vendorName))
            let period = (try? Period.parse(c.optionalText("period") ?? "monthly")) ?? .monthly
            d.period = period
            if let charged = Time.parseDay(try c.text("charged_on")), period.isRecurring {
                d.renewsOn = period.next(from: charged, onOrAfter: Time.startOfDay(session.now))
            }
            d.notes = "adopted from scan finding #\(id)"
            target = try Licenses.add(session, d)
        }
        // Its charges are managed now (triggers move them out of the unmanaged aggregate).
        // One finding per vendor and currency: the charges in that currency move.
        try db.run(
            "UPDATE charges SET license_id = ? WHERE vendor_id = ? AND currency = ? AND license_id IS NULL AND expected_id IS NULL",
            target.id, vendorID, f.amount?.currency.code ?? target.currency.code)
        return target
    }

    /// An unknown sender becomes a vendor and its subscription a license (or joins `--as LICENSE`).
    private static func adoptUnknownVendor(_ session: Session, _ f: Finding, as licenseKey: String?) throws -> License? {
        let db = session.db
        let id = f.id
        // The sender becomes a vendor (its domain recognised from the next scan on) and its subscription a license.
        let key = try db.one("SELECT dedupe_key FROM findings WHERE id = ?", id)?.text("dedupe_key") ?? ""
        let parts = key.split(separator: ":")
        guard parts.count >= 3, let amount = f.amount else { throw OWError.refused("finding #\(id) names no sender") }
        let domain = String(parts[1])
        let name = f.vendor ?? domain
        // A merchant seen on card statements (`merchant=quillpad`) has no domain: its name is its alias.
        let merchant = domain.hasPrefix("merchant=") ? String(domain.dropFirst(9)) : nil
        let (domains, aliases) = merchant.map { ([String](), [$0]) } ?? ([domain], [])
        let vendor =
            try Vendors.resolve(db, name) ?? Vendors.resolve(db, merchant ?? domain)
            ?? ((try? Vendors.insert(db, name: name, category: nil, domains: domains, aliases: aliases))
                ?? Vendors.insert(db, name: merchant ?? domain, category: nil, domains: domains, aliases: aliases))
        let license: License?
        if let key = licenseKey {
            license = try Licenses.get(db, key)
        } else {
            // Monthly unless the amount is a year of the monthly estimate.
            let yearly = f.monthly.map { abs($0.minor * 12 - amount.minor) < 12 && $0.minor != amount.minor } ?? false
            var d = LicenseDraft(
                name: try Licenses.find(db, vendor.name) == nil ? vendor.name : "\(vendor.name) (adopted)", vendor: vendor.name,
                seats: 1, price: amount)
            d.billedByUsage(Catalog.isUsageBilled(vendor.name))
            d.period = yearly ? .yearly : .monthly
            d.notes = "adopted from scan finding #\(id) (\(domain))"
            license = try Licenses.add(session, d)
        }
        // Card lines charged to the merchant before it had a vendor are its, and this license's.
        try db.run(
            "UPDATE charges SET vendor_id = ?, license_id = ? WHERE vendor_id IS NULL AND vendor = ? AND currency = ?", vendor.id,
            license?.id, name, amount.currency.code)
        return license
    }

    /// A price change makes the price actually charged the contract's.
    private static func adoptPriceChange(_ session: Session, _ f: Finding, _ row: Row) throws -> License {
        let db = session.db
        let id = f.id
        guard let lid = try row.optionalInteger("license_id"), let amount = f.amount else {
            throw OWError.refused("finding #\(id) names no license")
        }
        // The finding's amount is the whole contract at the new price, per the license's period.
        let current = try Licenses.get(db, String(lid))
        var c = Licenses.Changes()
        if current.perSeat, let seats = current.seats, seats > 0 {
            c.price = Money(minor: (Rational(amount.minor, seats)).rounded, currency: amount.currency)
        } else {
            // The first purchase line takes the difference; later lines keep their prices.
            let others = try current.lines.dropFirst().checkedSum(\.cost.minor)
            guard amount.minor >= others else {
                throw OWError.refused(
                    "finding #\(id): the new price \(amount.display) is below what \(current.name)'s later purchase lines cost",
                    hint: "set the price by hand: owatch license edit \(ShellWord.quoted(current.name)) --cost AMOUNT")
            }
            c.price = Money(minor: amount.minor - others, currency: amount.currency)
        }
        return try Licenses.edit(session, String(lid), c)
    }
}

extension ReviewQueue {
    /// Records the charge finding `id` holds, at `amount` when the admin gives one (read as `manual` then).
    public static func accept(_ session: Session, _ id: Int64, amount: Money?) throws -> (Finding, License?) {
        try session.write {
            let f = try Findings.get(session.db, id)
            guard f.kind == .review else {
                throw OWError.refused("finding #\(id) is a \(f.kind.rawValue) finding, not one waiting for review")
            }
            if let amount {
                guard amount.minor != 0 else { throw OWError.usage("an accepted amount is not zero") }
                guard let text = try session.db.one("SELECT pending FROM findings WHERE id = ?", id)?.optionalText("pending"),
                    case .object(let members) = try JSON.parse(text)
                else { throw OWError.refused("finding #\(id) holds no charge to correct") }
                let changed: [String: JSON] = [
                    "amount_minor": .int(amount.minor), "currency": .string(amount.currency.code), "read_as": .string("manual"),
                    "confidence": .number("1"), "currency_assumed": .bool(false),
                ]
                let updated = JSON.object(members.map { JSON.Member($0.key, changed[$0.key] ?? $0.value) })
                try session.db.run("UPDATE findings SET pending = ? WHERE id = ?", updated.encoded(), id)
                try session.audit(
                    "finding.review.correct", "finding:\(id)",
                    .obj([
                        ("read", f.amount.map { .number($0.decimal) } ?? .null), ("amount", .number(amount.decimal)),
                        ("currency", .string(amount.currency.code)),
                    ]))
            }
            return try Findings.adopt(session, id, as: nil)
        }
    }
}
