import FoundationEssentials
import OWCore
import OWIdentity
import OWOffice
import OWReaders

extension Charges {
    /// A payment entered by hand (a receipt on paper, a bank transfer): matched and checked like a
    /// scanned one. `license` links it to that license of the same vendor.
    public static func add(_ session: Session, vendor vendorName: String, amount: Money, on date: Date, license: String?, note: String?)
        throws
        -> (Charge, [Finding])
    {
        guard amount.minor != 0 else { throw OWError.usage("a charge of nothing is no charge") }
        return try session.write {
            let db = session.db
            guard let vendor = try Vendors.resolve(db, vendorName) else {
                throw OWError.notFound("vendor '\(vendorName.prefix(60))'", hint: "add it with `owatch vendor add NAME`")
            }
            let target = try license.map { try Licenses.get(db, $0) }
            if let target, !target.vendor.equalsIgnoringCase(vendor.name) {
                throw OWError.refused("license \(target.name) is \(target.vendor)'s, not \(vendor.name)'s")
            }
            var matcher = try Matcher(session: session, index: try VendorIndex(db))
            let key = "manual:" + Crypto.hex(Crypto.randomBytes(8))
            try matcher.record(
                ObservedCharge(
                    key: key, origin: "manual", vendor: vendor, amount: amount, on: date, invoiceNo: nil,
                    period: nil, description: note ?? "entered by hand"))
            // The entry's source row names its charge: a new one, or the payment seen already (a receipt or
            // card line) of which the entry is one more source.
            let id = try db.scalar("SELECT charge_id FROM charge_sources WHERE item_key = ?", key)
            if let target { try db.run("UPDATE charges SET license_id = ?, expected_id = NULL WHERE id = ?", target.id, id) }
            let found = try matcher.newFindings()
            try session.audit(
                "charge.add", "charge:\(id)",
                .obj([
                    ("vendor", .string(vendor.name)), ("amount", .number(amount.decimal)),
                    ("currency", .string(amount.currency.code)), ("on", .string(Time.day(date))),
                    ("license", target.map { .string($0.name) } ?? .null),
                ]))
            return (try get(db, id), found)
        }
    }
}
