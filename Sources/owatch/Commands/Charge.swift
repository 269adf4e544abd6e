import OWKit

/// `owatch charge`: the payments owatch has seen, and the ones an admin enters or removes.
enum ChargeCommand {
    static let columns = ["id", "charged_on", "vendor", "amount", "amount_minor", "currency", "license", "origin", "invoice_no", "period",
                          "description", "source", "refund_of"]
    static let tableColumns = ["id", "charged_on", "vendor", "amount", "license", "origin", "description"]

    static func record(_ c: Charge) -> Record {
        Record([("id", .int(c.id)), ("charged_on", .text(c.chargedOn)), ("vendor", .text(c.vendor)), ("amount", .money(c.amount)),
                ("license", .text(c.license)), ("origin", .text(c.origin)), ("invoice_no", .text(c.invoiceNo)), ("period", .text(c.period)),
                ("description", .text(c.description)), ("source", .text(c.source)), ("refund_of", .int(c.refundOf))])
    }

    static func chargeID(_ text: String) throws -> Int64 {
        guard let id = Int64(text.hasPrefix("#") ? String(text.dropFirst()) : text), id > 0 else { throw OWError.usage("'\(text)' is not a charge id") }
        return id
    }

    static func list(_ inv: Invocation) throws {
        var f = Charges.Filter()
        f.vendor = inv.value("vendor"); f.from = inv.value("from"); f.to = inv.value("to"); f.license = inv.value("license")
        f.unmatchedOnly = inv.flag("unmatched")
        let s = inv.session
        let base = try BaseConverter.configured(s.ledger, today: s.now)
        inv.emit(try Charges.list(s.db, f).map { try ReportCommand.withBase(record($0), base, on: $0.chargedOn) },
                 columns: columns + (base == nil ? [] : ReportCommand.baseColumns(["amount"])), tableColumns: tableColumns)
        ReportCommand.warnMissingRates(inv, base)
    }

    static func show(_ inv: Invocation) throws {
        let c = try Charges.get(inv.session.db, try chargeID(inv.argument(0)))
        var r = record(c)
        r.fields.append((key: "sources", value: .list(c.sources)))
        inv.emit(r)
    }

    static func add(_ inv: Invocation) throws {
        guard let day = inv.value("on") else { throw OWError.usage("say when: owatch charge add VENDOR AMOUNT --on YYYY-MM-DD") }
        let amount: Money = try MoneyParser.parse(inv.argument(1), defaultCurrency: try Currency.parse(inv.session.ledger.currency))
        let (charge, found) = try Charges.add(inv.session, vendor: inv.argument(0), amount: amount, on: day, license: inv.value("license"),
                                              note: inv.value("note"))
        inv.emitChanged(record(charge), tableColumns: tableColumns)
        inv.note("Added charge #\(charge.id): \(charge.vendor) \(charge.amount.display) on \(charge.chargedOn)"
                 + (charge.license.map { " (\($0))" } ?? " (matches no license)") + ".")
        for f in found { inv.note("New finding #\(f.id): \(f.summary)") }
    }

    static func remove(_ inv: Invocation) throws {
        let id = try chargeID(inv.argument(0))
        let c = try Charges.get(inv.session.db, id)
        try inv.confirm("Remove charge #\(id) (\(c.vendor) \(c.amount.display) on \(c.chargedOn))?")
        _ = try Charges.remove(inv.session, id)
        inv.note("Removed charge #\(id); totals and findings follow.")
    }
}
