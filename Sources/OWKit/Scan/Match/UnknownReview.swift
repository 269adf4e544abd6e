import FoundationEssentials
import OWCore
import OWIdentity
import OWOffice
import OWReaders

/// Receipts from senders the catalog does not know get the same confidence check as a known
/// vendor's (issue 32): under config scan.review_below the reading waits as a `review` finding
/// holding the `unknown_vendor` finding it would make; accepting it makes that finding (at the
/// amount the admin gives), rejecting it drops it.
extension Matcher {
    mutating func holdUnknown(_ u: UnknownSpend, why: String) throws {
        let day = Time.day(u.on)
        let sender = JSON.obj([
            ("name", .string(u.name)), ("domain", .string(u.domain)), ("via", u.via.map(JSON.string) ?? .null),
            ("period", u.period.map { .string($0.description) } ?? .null), ("subject", .string(String(u.subject.prefix(300)))),
        ])
        let pending = JSON.obj([
            ("unknown", sender), ("amount_minor", .int(u.amount.minor)), ("currency", .string(u.amount.currency.code)),
            ("on", .string(day)), ("currency_assumed", .bool(u.currencyAssumed)), ("read_as", .string(u.readAs ?? "labelled")),
            ("confidence", .number(String(u.confidence ?? 1))),
            ("candidates", .array(u.candidates.map { .obj([("amount", .number($0.decimal)), ("currency", .string($0.currency.code))]) })),
            ("why", .string(why)),
        ])
        guard
            let id = try Findings.record(
                session.db, kind: .review, key: "review:\(u.key ?? "unknown:\(u.domain):\(day)")", vendor: nil, vendorName: u.name,
                licenseID: nil, chargeID: nil, amount: u.amount, monthly: nil,
                summary:
                    "\(u.name) (\(u.via.map { "paid through \($0)" } ?? u.domain)), not in the catalog: \(why), \(u.amount.display) on "
                    + "\(day), counts nowhere until reviewed (\(String(u.subject.prefix(80)))); accepting it makes its unknown_vendor finding",
                now: session.now, currencyAssumed: u.currencyAssumed)
        else { return }
        try session.db.run("UPDATE findings SET pending = ? WHERE id = ?", pending.encoded(), id)
        add(id)
    }

    /// The unknown vendor's spend a review finding holds, as `holdUnknown` kept it; nil when it holds a charge.
    static func pendingUnknown(_ json: JSON) throws -> UnknownSpend? {
        guard let sender = json["unknown"], let name = sender["name"]?.stringValue, let domain = sender["domain"]?.stringValue,
            let minor = json["amount_minor"]?.intValue, let code = json["currency"]?.stringValue,
            let day = json["on"]?.stringValue.flatMap(Time.parseDay)
        else { return nil }
        return UnknownSpend(
            name: name, domain: domain, amount: Money(minor: minor, currency: try Currency.parse(code)),
            period: sender["period"]?.stringValue.flatMap { try? Period.parse($0) }, on: day,
            subject: sender["subject"]?.stringValue ?? "", currencyAssumed: json["currency_assumed"]?.boolValue ?? false,
            via: sender["via"]?.stringValue)
    }
}
