import Foundation
import OWKit

enum LicenseCommand {
    static let columns = ["id", "name", "vendor", "plan", "category", "seats", "unlimited", "assigned", "free", "cost", "cost_minor", "currency",
                          "period", "per_seat", "monthly", "monthly_minor", "renews_on", "owner", "status", "ends_on", "notes", "assigned_to", "lines"]
    static let tableColumns = ["id", "name", "vendor", "seats", "assigned", "cost", "period", "monthly", "renews_on", "status"]

    /// A license as output; `withLines` adds its purchase lines (machine formats and `show`).
    static func record(_ l: License, withLines: Bool, today: Date) -> Record {
        var fields: [(key: String, value: Value)] = [
            ("id", .int(l.id)), ("name", .text(l.name)), ("vendor", .text(l.vendor)), ("plan", .text(l.plan)), ("category", .text(l.category)),
            ("seats", .intOr(l.seats, "unlimited")), ("unlimited", .bool(l.isUnlimited)), ("assigned", .int(l.assigned)),
            ("free", .intOr(l.freeSeats, "-")), ("cost", .money(l.cost)), ("period", .text(l.period.description)), ("per_seat", .bool(l.perSeat)),
            ("monthly", .money(l.monthly)), ("renews_on", .text(l.nextRenewal(onOrAfter: Time.startOfDay(today)).map(Time.day))),
            ("owner", .text(l.owner)), ("status", .text(l.status)), ("ends_on", .text(l.endsOn)), ("notes", .text(l.notes)),
            ("assigned_to", .list(l.holders)),
        ]
        if withLines {
            fields.append(("lines", .records(l.lines.map { p in
                Record(fields: [("seats", .int(p.seats)), ("cost", .money(p.cost)), ("order", .text(p.orderRef)), ("purchased_on", .text(p.purchasedOn))])
            })))
        }
        return Record(fields: fields)
    }

    /// Employees see only licenses they hold a seat of.
    static func visible(_ inv: Invocation, _ key: String) throws -> License {
        let s = inv.session
        let l = try Licenses.get(s.db, key)
        if s.actor.role != .admin, !l.holders.contains(where: { $0.caseInsensitiveCompare(s.actor.name) == .orderedSame }) {
            throw OWError.notFound("license '\(key)'")
        }
        return l
    }

    static func add(_ inv: Invocation) throws {
        guard let vendor = inv.value("vendor") else { throw OWError.usage("owatch license add needs --vendor V") }
        guard let seats = inv.value("seats") else { throw OWError.usage("owatch license add needs --seats N (or unlimited)") }
        guard let cost = inv.value("cost") else { throw OWError.usage("owatch license add needs --cost AMOUNT") }
        let seatCount: Int64?
        do {
            seatCount = try LicenseDraft.parseSeats(seats)
        } catch let e as OWError {
            throw OWError(e.kind, "--" + e.message, hints: e.hints)     // the flag as typed: "--seats must be …"
        }
        var d = LicenseDraft(name: inv.argument(0), vendor: vendor, seats: seatCount, cost: cost)
        d.plan = inv.value("plan"); d.perSeat = inv.flag("per-seat"); d.period = inv.value("period") ?? "monthly"
        d.currency = inv.value("currency"); d.renewsOn = inv.value("renews"); d.owner = inv.value("owner")
        d.category = inv.value("category"); d.notes = inv.value("notes"); d.orderRef = inv.value("order")
        d.assigned = inv.values("assign")
        d.fromOptions = true
        let l = try Licenses.add(inv.session, d)
        try changed(inv, l)
        inv.note("Added license \(l.name) (\(l.vendor)): \(l.monthly.display) a month.")
    }

    static func show(_ inv: Invocation, _ l: License) throws {
        inv.emit(record(l, withLines: true, today: inv.session.now))
    }

    /// After a change: the summary row in a table, the whole license in JSON.
    static func changed(_ inv: Invocation, _ l: License) throws {
        inv.emitChanged(record(l, withLines: true, today: inv.session.now), tableColumns: tableColumns + ["assigned_to"])
    }

    static func list(_ inv: Invocation) throws {
        if inv.flag("catalog") { return try catalog(inv) }
        let s = inv.session
        var f = LicenseFilter()
        f.vendor = inv.value("vendor"); f.category = inv.value("category"); f.owner = inv.value("owner")
        f.renewingWithin = try inv.duration("renewing-within"); f.unusedOnly = inv.flag("unused"); f.includeCancelled = !inv.flag("active")
        f.holder = inv.value("user")
        if let user = f.holder { _ = try Users.get(s.db, user) }     // `--user ghost` says so, not an empty list
        if s.actor.role != .admin {
            if let u = f.holder, u.caseInsensitiveCompare(s.actor.name) != .orderedSame {
                throw OWError.notPermitted("\(s.actor.name) is \(s.actor.role.rawValue); only admins see other people's licenses")
            }
            f.holder = s.actor.name
        }
        let withLines = inv.exporter.format != .table
        guard let user = f.holder else {
            // Each license goes from SQLite to the output as it is read (see Exporter.ListWriter).
            var out = inv.listWriter(columns: columns, tableColumns: tableColumns)
            try Licenses.forEach(s.db, filter: f, today: s.now) { out.add(record($0, withLines: withLines, today: s.now)) }
            out.finish()
            return
        }
        let licenses = try Licenses.list(s.db, filter: f, today: s.now)
        // One person's licenses: each one's monthly cost share for them, and the total.
        inv.emit(licenses.map { l in
            var r = record(l, withLines: withLines, today: s.now)
            r.fields.append((key: "share", value: .money(Money(minor: l.seatMonthlyExact.rounded, currency: l.currency))))
            return r
        }, columns: columns + ["share"], tableColumns: ["id", "name", "vendor", "monthly", "assigned", "share", "renews_on"])
        if inv.exporter.format == .table {
            let totals = Licenses.seatCostByCurrency(licenses)
            let inBase = try ReportCommand.baseTotal(inv, try BaseConverter.configured(s.ledger, today: s.now), totals).map { " (\($0.display))" } ?? ""
            inv.term.out("total for \(user): " + (totals.isEmpty ? "0" : totals.map(\.display).joined(separator: " + ")) + " a month\(inBase)\n")
        }
    }

    /// What the office already has, as an employee may see it: no prices, no holders.
    static func catalog(_ inv: Invocation) throws {
        let entries = try Licenses.catalog(inv.session.db, category: inv.value("category"), vendor: inv.value("vendor"))
        inv.emit(entries.map {
            Record([("name", .text($0.name)), ("vendor", .text($0.vendor)), ("category", .text($0.category)), ("seat_free", .bool($0.seatFree))])
        }, columns: ["name", "vendor", "category", "seat_free"])
        if inv.session.actor.role != .admin, !entries.isEmpty {
            inv.note("Ask for a seat with `owatch request new software NAME --reason WHY`.")
        }
    }

    static func reactivate(_ inv: Invocation) throws {
        let l = try Licenses.reactivate(inv.session, inv.argument(0))
        try changed(inv, l)
        inv.note("\(l.name) is active again: \(l.monthly.display) a month.")
    }

    static func showCommand(_ inv: Invocation) throws { try show(inv, try visible(inv, inv.argument(0))) }

    static func edit(_ inv: Invocation) throws {
        var c = Licenses.Changes()
        c.name = inv.value("name"); c.vendor = inv.value("vendor"); c.plan = inv.value("plan"); c.category = inv.value("category")
        c.owner = inv.value("owner"); c.period = inv.value("period"); c.renewsOn = inv.value("renews"); c.notes = inv.value("notes")
        c.cost = inv.value("cost")
        if let seats = inv.value("seats") {
            guard let n = Int64(seats), n > 0 else { throw OWError.usage("--seats takes a whole number of seats, not '\(seats)'") }
            c.seats = n
        }
        if inv.flag("per-seat") && inv.flag("pack") { throw OWError.usage("--per-seat and --pack contradict each other") }
        if inv.flag("per-seat") { c.perSeat = true } else if inv.flag("pack") { c.perSeat = false }
        let l = try Licenses.edit(inv.session, inv.argument(0), c)
        try changed(inv, l)
    }

    static func grow(_ inv: Invocation) throws {
        guard let seatsText = inv.value("seats"), let seats = Int64(seatsText), seats > 0 else {
            throw OWError.usage("owatch license grow needs --seats N (a whole number of seats to add)")
        }
        let before = try Licenses.get(inv.session.db, inv.argument(0))
        let l = try Licenses.grow(inv.session, inv.argument(0), seats: seats, cost: inv.value("cost"), orderRef: inv.value("order"), on: inv.value("on"))
        try changed(inv, l)
        let added = Money(minor: l.cost.minor - before.cost.minor, currency: l.currency)
        inv.note("\(l.name) now has \(l.seats.map(String.init) ?? "unlimited") seats, \(l.monthly.display) a month; the \(seats) new seat(s) cost "
                 + "\(added.display) \(l.period.description)" + (inv.value("cost") == nil ? " (the current price per seat)." : "."))
    }

    static func cancel(_ inv: Invocation) throws {
        let license = try Licenses.get(inv.session.db, inv.argument(0))
        try inv.confirm("Cancel \(license.name) (\(license.monthly.display) a month)?")
        let l = try Licenses.cancel(inv.session, inv.argument(0), on: inv.value("on"))
        try changed(inv, l)
        inv.note("Cancelled \(l.name); it ends on \(l.endsOn ?? "-").")
    }

    static func remove(_ inv: Invocation) throws {
        let license = try Licenses.get(inv.session.db, inv.argument(0))
        try inv.confirm("Delete \(license.name) and its purchase lines for good (use `license cancel` for a contract that ends)?")
        let l = try Licenses.remove(inv.session, inv.argument(0), force: inv.flag("force"))
        inv.note("Removed license \(l.name).")
    }

    static func assign(_ inv: Invocation) throws {
        let l = try Licenses.assign(inv.session, inv.argument(0), users: Array(inv.arguments.dropFirst()), grow: inv.flag("grow"))
        try changed(inv, l)
    }

    static func unassign(_ inv: Invocation) throws {
        let l = try Licenses.unassign(inv.session, inv.argument(0), users: Array(inv.arguments.dropFirst()))
        try changed(inv, l)
    }

    static func renewals(_ inv: Invocation) throws {
        try renewals(inv, defaultWithin: Duration(count: 60, unit: .day))
    }

    /// `license renewals` and `report renewals`: one listing, two default horizons.
    static func renewals(_ inv: Invocation, defaultWithin: Duration) throws {
        let within = try inv.duration("within") ?? defaultWithin
        let s = inv.session
        let due = try Licenses.renewals(s.db, within: within, today: s.now)
        let today = Time.startOfDay(s.now)
        let base = try BaseConverter.configured(s.ledger, today: s.now)
        let columns = ["renews_on", "days", "id", "name", "vendor", "amount", "amount_minor", "currency", "period", "seats", "assigned", "owner"]
        inv.emit(try due.map { l, date in
            // A renewal to come converts at today's rate, the latest known.
            try ReportCommand.withBase(Record([("renews_on", .text(Time.day(date))), ("days", .int(Int64(Time.daysBetween(today, date)))),
                                               ("id", .int(l.id)), ("name", .text(l.name)), ("vendor", .text(l.vendor)), ("amount", .money(l.cost)),
                                               ("period", .text(l.period.description)), ("seats", .intOr(l.seats, "unlimited")),
                                               ("assigned", .int(l.assigned)), ("owner", .text(l.owner))]), base, on: Time.day(s.now))
        }, columns: columns + (base == nil ? [] : ReportCommand.baseColumns(["amount"])), tableColumns: base == nil ? nil : columns)
        if inv.exporter.format == .table, !due.isEmpty {
            var sums: [Currency: Int64] = [:]
            for (l, _) in due { try sums[l.currency, default: 0].addChecked(l.cost.minor) }
            let amounts = sums.sorted { $0.key.code < $1.key.code }.map { Money(minor: $0.value, currency: $0.key) }
            let inBase = try ReportCommand.baseTotal(inv, base, amounts).map { " (\($0.display))" } ?? ""
            inv.term.out("\ndue within \(within): " + amounts.map(\.display).joined(separator: " + ") + inBase + "\n")
        }
        ReportCommand.warnMissingRates(inv, base)
    }

    /// `license reclaim`: frees seats held by people gone or unused past the threshold.
    static func reclaim(_ inv: Invocation) throws {
        let dryRun = inv.flag("dry-run")
        let done = try SeatFindings.reclaim(inv.session, inv.argument(0), inactive: try inv.duration("inactive"), dryRun: dryRun)
        inv.emit(done.freed.map(ReportCommand.reclaimRecord), columns: ReportCommand.reclaimColumns)
        for w in done.warnings { inv.warn(w) }
        inv.note(done.freed.isEmpty ? "Nothing to reclaim on \(done.license.name)."
                 : (dryRun ? "Dry run: would free " : "Freed ") + "\(done.freed.count) seat(s) of \(done.license.name), saving \(done.monthlySaving.display) a month"
                    + (dryRun ? "; nothing was changed." : " (drop them at renewal, or give them to someone who asks)."))
    }

    static func importFile(_ inv: Invocation) throws {
        let path = inv.argument(0)
        let (text, encoding) = try CSV.readText(path)
        if encoding != "UTF-8" { inv.note("Read \(path) as \(encoding) (it is not UTF-8).") }
        let dates = try inv.value("date-format").map(LicenseImport.DateFormat.init)
        let update = inv.flag("update")
        let outcome = try LicenseImport.run(inv.session, text: text, dryRun: inv.flag("dry-run"), update: update, dates: dates)
        if update {
            // The diff first: what each license gains or loses.
            inv.emit(outcome.changes.map { Record([("change", .text($0.kind.rawValue)), ("license", .text($0.license)), ("what", .text($0.what))]) },
                     columns: ["change", "license", "what"])
            inv.note((outcome.dryRun ? "Dry run: would add " : "Added ") + "\(outcome.licenses), " + (outcome.dryRun ? "update " : "updated ")
                     + "\(outcome.updated), left \(outcome.unchanged) unchanged" + (outcome.dryRun ? "; nothing was written." : "."))
            return
        }
        inv.emit(Record([("licenses", .int(Int64(outcome.licenses))), ("seats", .int(Int64(outcome.seats))), ("dry_run", .bool(outcome.dryRun))]))
        inv.note(outcome.dryRun ? "Dry run: \(outcome.licenses) license(s) would be imported; nothing was written."
                                : "Imported \(outcome.licenses) license(s) with \(outcome.seats) seat(s).")
    }
}

enum VendorCommand {
    static func record(_ v: Vendor) -> Record {
        Record([("name", .text(v.name)), ("category", .text(v.category)), ("domains", .list(v.domains)), ("aliases", .list(v.aliases)), ("source", .text(v.source))])
    }

    static func list(_ inv: Invocation) throws {
        inv.emit(try Vendors.list(inv.session.db, category: inv.value("category")).map(record), columns: ["name", "category", "domains", "aliases", "source"])
    }

    static func add(_ inv: Invocation) throws {
        inv.emit(record(try Vendors.add(inv.session, name: inv.argument(0), category: inv.value("category"), domains: inv.values("domain"), aliases: inv.values("alias"))))
    }

    static func edit(_ inv: Invocation) throws {
        inv.emit(record(try Vendors.edit(inv.session, name: inv.argument(0), newName: inv.value("name"), category: inv.value("category"),
                                         addDomains: inv.values("domain"), addAliases: inv.values("alias"))))
    }
}
