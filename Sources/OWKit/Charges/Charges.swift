import FoundationEssentials
import OWCore
import OWIdentity

/// An observed payment: from a receipt, a statement line, or entered by hand.
public struct Charge: Sendable {
    public let id: Int64
    public let vendor: String
    public let amount: Money
    public let chargedOn: String
    public let origin: String
    public let invoiceNo: String?
    public let period: String?
    public let description: String?
    public let license: String?
    public let itemKey: String
    public let createdAt: String
    /// Every place the payment was seen (receipt, statement line, by hand), in words.
    public var sources: [String] = []
    /// A refund: the charge it pays back.
    public let refundOf: Int64?
    /// Read from a forwarded message: the address that forwarded it (anyone can forward
    /// anything, so this says whose word the charge is).
    public let forwardedBy: String?
    /// How it was read (structured, arithmetic, labelled, slip, statement, manual) and how sure the
    /// reader was, 0 to 1 as text; nil for charges recorded before owatch kept them.
    public let readAs: String?
    public let confidence: String?

    /// Where the charge was first seen, in words: the message, the statement line, or by hand.
    public var source: String {
        Charge.describe(key: itemKey, day: chargedOn, detail: description) + (forwardedBy.map { ", forwarded by " + $0 } ?? "")
    }

    package static func describe(key: String, day: String, detail: String?) -> String {
        if key.hasPrefix("mid:") { return "mail " + key.dropFirst(4) }
        if key.hasPrefix("sha256:") { return "mail with content hash " + key.dropFirst(7).prefix(16) }
        if key.hasPrefix("stmt:") {
            let parts = key.split(separator: ":", omittingEmptySubsequences: false)
            return "statement line (\(parts.count > 2 ? String(parts[2]) : day), \(detail ?? ""))"
        }
        if key.hasPrefix("manual:") { return "entered by hand" + (detail.map { ": " + $0 } ?? "") }
        return key
    }

}

extension Charge: FetchableRow {
    public static let selection = """
        c.id, c.vendor, c.charged_on, c.origin, c.invoice_no, c.period, c.description, l.name, c.item_key, c.created_at, c.refund_of,
        c.currency, c.amount_minor, c.forwarded_by, c.read_as, CAST(c.confidence AS TEXT)
        """

    /// The charges with their license's name: `selectSQL + " WHERE …"`.
    package static let selectSQL = "SELECT \(selection) FROM charges c LEFT JOIN licenses l ON l.id = c.license_id"

    public init(row: Row) throws {
        id = try row.integer(0)
        vendor = try row.text(1)
        chargedOn = try row.text(2)
        origin = try row.text(3)
        invoiceNo = try row.optionalText(4)
        period = try row.optionalText(5)
        description = try row.optionalText(6)
        license = try row.optionalText(7)
        itemKey = try row.text(8)
        createdAt = try row.text(9)
        refundOf = try row.optionalInteger(10)
        // A code this owatch has no table entry for is still shown, with two decimals.
        let code = try row.text(11)
        amount = Money(minor: try row.integer(12), currency: (try? Currency.parse(code)) ?? Currency(code: code, exponent: 2))
        forwardedBy = try row.optionalText(13)
        readAs = try row.optionalText(14)
        confidence = try row.optionalText(15)
    }
}

/// `owatch charge`: charges listed, shown, added by hand and removed, each change audited. Adding one goes
/// through the scan's matcher, so it lives with the scan (`ChargeEntry.swift`); the rest is the office's.
public enum Charges {
    public struct Filter: Sendable {
        public var vendor: String?
        public var from: Date?
        public var to: Date?
        public var license: String?
        public var unmatchedOnly = false
        public init() {}
    }

    public static func list(_ db: Database, _ f: Filter) throws -> [Charge] {
        let licenseID = try f.license.map { try Licenses.get(db, $0).id }
        let vendorID = try f.vendor.map { v -> Int64 in
            guard let vendor = try Vendors.resolve(db, v) else {
                throw OWError.notFound("vendor '\(v.prefix(60))'", hint: "see `owatch vendor list`")
            }
            return vendor.id
        }
        return try db.fetchAll(
            Charge.self,
            Charge.selectSQL + """
                 WHERE (?1 IS NULL OR c.vendor_id = ?1) AND (?2 IS NULL OR c.charged_on >= ?2) AND (?3 IS NULL OR c.charged_on <= ?3)
                   AND (?4 IS NULL OR c.license_id = ?4) AND (?5 = 0 OR (c.license_id IS NULL AND c.expected_id IS NULL))
                 ORDER BY c.charged_on, c.id
                """, vendorID, f.from.map(Time.day), f.to.map(Time.day), licenseID, f.unmatchedOnly)
    }

    public static func get(_ db: Database, _ id: Int64) throws -> Charge {
        guard var charge = try db.fetchOne(Charge.self, Charge.selectSQL + " WHERE c.id = ?", id) else {
            throw OWError.notFound("charge #\(id)", hint: "see `owatch charge list`")
        }
        charge.sources = try db.query("SELECT item_key, origin, detail FROM charge_sources WHERE charge_id = ? ORDER BY rowid", id).map {
            s in
            Charge.describe(key: try s.text("item_key"), day: charge.chargedOn, detail: try s.optionalText("detail"))
        }
        if charge.sources.isEmpty { charge.sources = [charge.source] }
        return charge
    }

    /// Removes a charge (a mistake, a test payment). Findings it alone supported are resolved;
    /// what a scan saw stays seen, so the next scan does not bring it back.
    public static func remove(_ session: Session, _ id: Int64) throws -> Charge {
        try session.write {
            let db = session.db
            let c = try get(db, id)
            let supported = try db.query(
                "SELECT id FROM findings WHERE charge_id = ? AND status = 'open' AND kind IN ('duplicate', 'price_change')", id)
            try Findings.resolve(
                db, ids: supported.map { try $0.integer("id") }, reason: "charge #\(id) was removed", by: session.actor.name,
                now: session.now)
            try db.run("UPDATE findings SET charge_id = NULL WHERE charge_id = ?", id)
            try db.run("UPDATE charges SET refund_of = NULL WHERE refund_of = ?", id)
            try db.run("DELETE FROM charges WHERE id = ?", id)
            try Findings.resolveUnmanagedIfGone(
                db, vendor: c.vendor, currency: c.amount.currency.code, reason: "its charges were removed",
                by: session.actor.name, now: session.now)
            try session.audit(
                "charge.remove", "charge:\(id)",
                .obj([
                    ("vendor", .string(c.vendor)), ("amount", .number(c.amount.decimal)),
                    ("currency", .string(c.amount.currency.code)), ("on", .string(c.chargedOn)),
                ]))
            return c
        }
    }
}
