import Foundation
import OWKit

/// `owatch report …`: the numbers come from OWKit; this file picks columns and, in table
/// format only, draws the charts under the table.
enum ReportCommand {
    static func charts(_ inv: Invocation) -> Charts? {
        guard inv.exporter.format == .table else { return nil }
        return Charts(ascii: inv.flag("ascii") || !inv.term.unicode)
    }

    static func month(_ inv: Invocation, _ option: String) throws -> Month? {
        try inv.value(option).map { try Month.parse($0, option: "--" + option) }
    }

    static func burn(_ inv: Invocation) throws {
        let s = inv.session
        let by = try inv.value("by").map { v in
            guard let g = BurnGrouping(rawValue: v) else { throw OWError.usage("--by must be one of: " + BurnGrouping.allCases.map(\.rawValue).joined(separator: ", ")) }
            return g
        } ?? .month
        let now = Month(s.now)
        let to = try month(inv, "to") ?? now
        let from = try month(inv, "from") ?? to.adding(-11)
        let rows = try Burn.compute(s.db, from: from, to: to, by: by)
        let groupKey = by == .month ? nil : by.rawValue
        inv.emit(rows.map { r in
            Record([("month", .text(r.month.description))] + (groupKey.map { [($0, Value.text(r.group))] } ?? [])
                   + [("contracted", .money(r.contracted)), ("observed", .money(r.observed)), ("unmanaged", .money(r.unmanaged))])
        }, columns: ["month"] + (groupKey.map { [$0] } ?? []) + ["contracted", "contracted_minor", "currency", "observed", "observed_minor", "unmanaged", "unmanaged_minor"])
        guard let charts = charts(inv), !rows.isEmpty else { return }
        var out = ""
        for t in try Burn.totals(rows) {
            out += "\ntotal \(from)…\(to): contracted \(t.contracted.display), observed \(t.observed.display), unmanaged \(t.unmanaged.display)\n"
            // Spend per month: the contracts plus what is paid outside them.
            let months = Month.range(from, to)
            let perMonth = try months.map { m in try rows.filter { $0.month == m && $0.contracted.currency == t.contracted.currency }
                .checkedSum { try Money.sum($0.contracted.minor, $0.unmanaged.minor) } }
            out += "\(t.contracted.currency.code) per month  \(charts.sparkline(perMonth))\n"
            out += charts.bars(zip(months, perMonth).map { ($0.description, $1, Money(minor: $1, currency: t.contracted.currency).display) })
        }
        inv.term.out(out)
    }

    static func forecast(_ inv: Invocation) throws {
        let s = inv.session
        let months = try inv.integer("months", range: 1...120) ?? 12
        let from = try month(inv, "from") ?? Month(s.now)
        let rows = try Forecast.compute(s.db, from: from, months: months)
        inv.emit(rows.map { r in
            Record([("month", .text(r.month.description)), ("licenses", .money(r.licenses)), ("unmanaged", .money(r.unmanaged)),
                    ("total", .money(r.total)), ("charges", .int(Int64(r.charges)))])
        }, columns: ["month", "licenses", "licenses_minor", "currency", "unmanaged", "unmanaged_minor", "total", "total_minor", "charges"])
        guard let charts = charts(inv), !rows.isEmpty else { return }
        var out = ""
        for currency in Set(rows.map(\.total.currency)).sorted(by: { $0.code < $1.code }) {
            let mine = rows.filter { $0.total.currency == currency }
            let all = Month.range(from, from.adding(months - 1)).map { m in mine.first { $0.month == m }?.total.minor ?? 0 }
            out += "\n\(currency.code) next \(months) months: \(Money(minor: try all.checkedSum { $0 }, currency: currency).display)  \(charts.sparkline(all))\n"
            out += charts.bars(mine.map { ($0.month.description, $0.total.minor, $0.total.display) })
        }
        inv.term.out(out)
    }

    static func renewals(_ inv: Invocation) throws {
        try LicenseCommand.renewals(inv, defaultWithin: Duration(count: 90, unit: .day))
    }

    static func utilization(_ inv: Invocation) throws {
        let rows = try InventoryReports.utilization(inv.session.db, today: inv.session.now)
        inv.emit(rows.map { r in
            Record([("id", .int(r.license.id)), ("name", .text(r.license.name)), ("vendor", .text(r.license.vendor)),
                    ("seats", .intOr(r.license.seats, "unlimited")), ("assigned", .int(r.license.assigned)), ("idle", .int(r.idle)),
                    ("used_percent", .int(r.usedPercent.map(Int64.init))), ("monthly", .money(r.license.monthly)), ("idle_monthly", .money(r.idleMonthly))])
        }, columns: ["id", "name", "vendor", "seats", "assigned", "idle", "used_percent", "monthly", "monthly_minor", "currency", "idle_monthly", "idle_monthly_minor"])
        if inv.exporter.format == .table {
            let saving = try InventoryReports.possibleSaving(rows).filter { $0.minor > 0 }
            inv.term.out(saving.isEmpty ? "\nNo idle seats.\n" : "\nPossible saving: " + saving.map { $0.display + " a month" }.joined(separator: ", ") + "\n")
        }
    }

    static func shadow(_ inv: Invocation) throws {
        let rows = try InventoryReports.shadow(inv.session.db)
        inv.emit(rows.map { r in
            Record([("vendor", .text(r.vendor)), ("category", .text(r.category)), ("charges", .int(r.charges)), ("observed", .money(r.observed)),
                    ("monthly", .money(r.monthly)), ("first_seen", .text(r.firstSeen)), ("last_seen", .text(r.lastSeen))])
        }, columns: ["vendor", "category", "charges", "observed", "observed_minor", "currency", "monthly", "monthly_minor", "first_seen", "last_seen"])
        guard let charts = charts(inv), !rows.isEmpty else { return }
        var out = ""
        for currency in Set(rows.map(\.monthly.currency)).sorted(by: { $0.code < $1.code }) {
            let mine = rows.filter { $0.monthly.currency == currency }
            out += "\nUnmanaged run-rate: \(Money(minor: try mine.checkedSum(\.monthly.minor), currency: currency).display) a month\n"
            out += charts.bars(mine.map { ($0.vendor, $0.monthly.minor, $0.monthly.display) })
        }
        inv.term.out(out)
    }

    static func leave(_ inv: Invocation) throws {
        let s = inv.session
        let year = try inv.integer("year", range: 1970...9999) ?? Month(s.now).year
        let rows = try InventoryReports.leave(s, year: year)
        // Days are numbers in JSON and CSV (halves as .5), written the same in tables.
        func days(_ halves: Int) -> Value { .json(.number(Leave.days(halves))) }
        inv.emit(rows.map { r in
            Record([("user", .text(r.user)), ("dept", .text(r.dept)), ("year", .int(Int64(year))),
                    ("allowance", days(r.balance.allowance)), ("taken", days(r.balance.taken)),
                    ("pending", days(r.balance.pending)), ("remaining", days(r.balance.remaining)),
                    ("sick", days(r.sick)), ("unpaid", days(r.unpaid))])
        }, columns: ["user", "dept", "year", "allowance", "taken", "pending", "remaining", "sick", "unpaid"])
    }

    static func summary(_ inv: Invocation) throws {
        let s = inv.session
        let sum = try Summary.compute(s.db, today: s.now)
        func list(_ m: [Money]) -> JSON { .array(m.map { .obj([("amount", .number($0.decimal)), ("amount_minor", .int($0.minor)), ("currency", .string($0.currency.code))]) }) }
        let burn = JSON.array(sum.burn.map { t in
            .obj([("currency", .string(t.contracted.currency.code)), ("contracted_minor", .int(t.contracted.minor)),
                  ("observed_minor", .int(t.observed.minor)), ("unmanaged_minor", .int(t.unmanaged.minor))])
        })
        if inv.exporter.format != .table {
            inv.emit(Record([("month", .text(sum.month.description)), ("burn", .json(burn)),
                             ("renewals", .json(.array(sum.renewals.map { .obj([("name", .string($0.license.name)), ("renews_on", .string(Time.day($0.date))),
                                                                                ("amount_minor", .int($0.license.cost.minor)), ("currency", .string($0.license.currency.code))]) }))),
                             ("idle_seats", .int(sum.idleSeats)), ("idle_monthly", .json(list(sum.idleMonthly))),
                             ("open_findings", .json(.obj(sum.openFindings.map { ($0.kind, JSON.int($0.count)) }))),
                             ("unmanaged_monthly", .json(list(sum.unmanagedMonthly))),
                             ("pending_requests", .json(.obj(sum.pendingRequests.map { ($0.kind, JSON.int($0.count)) })))]))
            return
        }
        var out = "\(s.ledger.org) — \(sum.month)\n\n"
        out += "Burn this month\n"
        out += sum.burn.isEmpty ? "  nothing yet\n" : sum.burn.map { "  \($0.contracted.currency.code): contracted \($0.contracted.display), observed \($0.observed.display), unmanaged \($0.unmanaged.display)\n" }.joined()
        out += "\nNext renewals\n"
        out += sum.renewals.isEmpty ? "  none in the next 60 days\n" : sum.renewals.map { "  \(Time.day($0.date))  \($0.license.name)  \($0.license.cost.display)\n" }.joined()
        out += "\nIdle seats: \(sum.idleSeats)" + (sum.idleMonthly.isEmpty ? "" : ", costing " + sum.idleMonthly.map(\.display).joined(separator: " + ") + " a month") + "\n"
        let findings = sum.openFindings.reduce(0) { $0 + $1.count }
        out += "Open findings: \(findings)" + (findings == 0 ? "" : " (" + sum.openFindings.map { "\($0.count) \($0.kind)" }.joined(separator: ", ") + ")")
        out += sum.unmanagedMonthly.isEmpty ? "\n" : "; unmanaged run-rate " + sum.unmanagedMonthly.map(\.display).joined(separator: " + ") + " a month\n"
        let pending = sum.pendingRequests.reduce(0) { $0 + $1.count }
        out += "Pending requests: \(pending)" + (pending == 0 ? "" : " (" + sum.pendingRequests.map { "\($0.count) \($0.kind)" }.joined(separator: ", ") + ") — `owatch approve`") + "\n"
        inv.term.out(out)
    }

    static func html(_ inv: Invocation) throws {
        guard let out = inv.value("out") else { throw OWError.usage("say where: owatch report html --out FILE") }
        let page = try Dashboard.html(inv.session, today: inv.session.now)
        try FileSystem.writeOutput(out, contents: page)
        inv.note("Wrote the dashboard to \(out) (\(page.utf8.count / 1024) KB, works offline).")
        if inv.exporter.format != .table { inv.emit(Record([("path", .text(out)), ("bytes", .int(Int64(page.utf8.count)))])) }
    }
}
