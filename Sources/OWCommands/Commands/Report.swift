import FoundationEssentials
import Glibc
import OWCLI
import OWKit

/// `owatch report …`: the numbers come from OWKit; this file picks columns and, in table
/// format only, draws the charts under the table.
enum ReportCommand {
    static func burnShape(_ by: BurnGrouping) -> Shape<BurnRow> { BurnRow.shape(by) }

    static func burn(_ inv: Call<BurnOption>) throws {
        let s = inv.session
        let by: BurnGrouping = inv.choice(.by) ?? .month
        let now = Month(s.now)
        let to = try inv.month(.to) ?? now
        let from = try inv.month(.from) ?? to.adding(-11)
        let base = try BaseConverter.configured(s.ledger, today: s.now)
        let rows = try Burn.compute(s.db, from: from, to: to, by: by, base: base)
        try inv.emit(rows, as: burnShape(by), base: base) { base, r, record in
            Record(
                fields: record.fields
                    + BaseConverter.fields(
                        zip(["contracted", "observed", "unmanaged"], r.inBase ?? [nil, nil, nil]).map { ($0, $1) },
                        currency: base.currency,
                        rateDay: r.rateDay))
        }
        warnMissingRates(inv, base)
        guard let charts = inv.charts(ascii: inv.flag(.ascii)), !rows.isEmpty else { return }
        let totals = try Burn.totals(rows, from: from, to: to, base: base?.currency)
        var out = ""
        if let b = totals.base {
            // One total in the base currency: the contracts plus what is paid outside them, per month.
            let t = b.totals
            out +=
                "\ntotal \(from)…\(to) in \(t[0].currency.code): contracted \(t[0].display), observed \(t[1].display), unmanaged \(t[2].display)\n"
            out += chart(charts, b.perMonth, label: "\(t[0].currency.code) per month", currency: t[0].currency)
            out += "\nPer currency:"
        }
        for t in totals.perCurrency {
            out +=
                "\ntotal \(from)…\(to): contracted \(t.contracted.display), observed \(t.observed.display), unmanaged \(t.unmanaged.display)\n"
            // Spend per month: the contracts plus what is paid outside them.
            out += chart(charts, t.perMonth, label: "\(t.contracted.currency.code) per month", currency: t.contracted.currency)
        }
        inv.underTable(out)
    }

    /// A month series as a sparkline after `label`, then as bars.
    static func chart(_ charts: Charts, _ series: [MonthAmount], label: String, currency: Currency) -> String {
        "\(label)  \(charts.sparkline(series.map(\.minor)))\n"
            + charts.bars(series.map { ($0.month.description, $0.minor, Money(minor: $0.minor, currency: currency).display) })
    }

    /// Amounts of today in the base currency, summed by the one rule; nil when none is set or all are in it already.
    static func baseTotal(_ inv: Invocation, _ base: BaseConverter?, _ amounts: [Exact], _ currencies: [Currency]) throws -> BaseTotal? {
        try InventoryReports.baseTotal(amounts, currencies: currencies, base: base, on: Time.day(inv.session.now))
    }

    static func warnMissingRates(_ inv: Invocation, _ base: BaseConverter?) {
        for w in base?.warnings ?? [] { inv.warn(w) }
    }

    static let forecastShape = ForecastRow.shape

    static func forecast(_ inv: Call<ForecastOption>) throws {
        let s = inv.session
        let months = try inv.integer(.months) ?? 12
        let from = try inv.month(.from) ?? Month(s.now)
        let rows = try Forecast.compute(s.db, from: from, months: months, today: s.now)
        let base = try BaseConverter.configured(s.ledger, today: s.now)
        // Months to come convert at today's rate: the latest known.
        try inv.emit(rows, as: forecastShape, base: base, on: { base!.day(for: $0.month) })
        warnMissingRates(inv, base)
        guard let charts = inv.charts(ascii: inv.flag(.ascii)), !rows.isEmpty else { return }
        let totals = try Forecast.totals(rows, from: from, months: months, base: base)
        var out = ""
        if let b = totals.base {
            out += "\nnext \(months) months in \(b.sum.currency.code): \(b.sum.display)  \(charts.sparkline(b.perMonth.map(\.minor)))\n"
            out += charts.bars(
                b.perMonth.map { ($0.month.description, $0.minor, Money(minor: $0.minor, currency: b.sum.currency).display) })
            out += "\nPer currency:"
        }
        for t in totals.perCurrency {
            out += "\n\(t.whole.currency.code) next \(months) months: \(t.whole.display)  \(charts.sparkline(t.perMonth.map(\.minor)))\n"
            out += charts.bars(t.rows.map { ($0.month.description, $0.total.minor, $0.total.display) })
        }
        inv.underTable(out)
    }

    static func renewals(_ inv: Call<RenewalsOption>) throws {
        try LicenseCommand.renewals(inv, within: try inv.duration(.within) ?? Duration(count: 90, unit: .day))
    }

    static let utilizationShape = UtilizationRow.shape

    static func utilization(_ inv: Invocation) throws {
        let s = inv.session
        let rows = try InventoryReports.utilization(s.db, today: s.now)
        let base = try BaseConverter.configured(s.ledger, today: s.now)
        try inv.emit(rows, as: utilizationShape, base: base, on: { _ in Time.day(s.now) })
        try inv.footer {
            let saving = try InventoryReports.possibleSaving(rows).filter { $0.minor > 0 }
            guard !saving.isEmpty else { return "No idle seats." }
            let inBase =
                try baseTotal(inv, base, rows.map(\.idleExact), rows.map(\.license.currency)).map { " (\($0.display) a month)" } ?? ""
            return "Possible saving: " + saving.map { $0.display + " a month" }.joined(separator: ", ") + inBase
        }
        warnMissingRates(inv, base)
    }

    static let shadowShape = ShadowRow.shape

    static func shadow(_ inv: Call<ShadowOption>) throws {
        let s = inv.session
        let rows = try InventoryReports.shadow(s.db)
        let base = try BaseConverter.configured(s.ledger, today: s.now)
        try inv.emit(rows, as: shadowShape, base: base, on: { _ in Time.day(s.now) })
        defer { warnMissingRates(inv, base) }
        guard let charts = inv.charts(ascii: inv.flag(.ascii)), !rows.isEmpty else { return }
        var out = ""
        if let total = try baseTotal(inv, base, rows.map { Exact(minor: $0.monthly.minor) }, rows.map(\.monthly.currency)) {
            out += "\nUnmanaged run-rate in \(total.currency.code): \(total.display) a month\n"
        }
        for (total, mine) in try InventoryReports.shadowTotals(rows) {
            out += "\nUnmanaged run-rate: \(total.display) a month\n"
            out += charts.bars(mine.map { ($0.vendor, $0.monthly.minor, $0.monthly.display) })
        }
        inv.underTable(out)
    }

    static let leaveShape = YearOfLeave.shape

    static func leave(_ inv: Call<LeaveOption>) throws {
        let s = inv.session
        let year = try inv.integer(.year) ?? Month(s.now).year
        let rows = try InventoryReports.leave(s, year: year)
        // Approved leave keeps the days it was approved for when holidays change; say which differ now.
        let drift = Dictionary(grouping: try Leave.drift(s.ledger, year: year)) { $0.user.lowercased() }
        inv.emit(rows.map { YearOfLeave(row: $0, year: year, drift: drift[$0.user.lowercased()] ?? []) }, as: leaveShape)
        for d in drift.values.flatMap({ $0 }).sorted(by: { $0.id < $1.id }) {
            inv.note(
                "Approved leave #\(d.id) (\(d.user)) counts \(Leave.days(d.approved)) day(s); with the current holidays it would count \(Leave.days(d.now))."
            )
        }
    }

    static let reclaimShape = ReclaimRow.shape

    /// What the rows would save, per currency: monthly and yearly.
    static func reclaimTotals(_ rows: [ReclaimRow]) throws -> String {
        try SeatFindings.reclaimTotals(rows).map { "\($0.monthly.display) a month (\($0.yearly.display) a year)" }.joined(separator: ", ")
    }

    static func reclaim(_ inv: Call<ReclaimOption>) throws {
        let s = inv.session
        let inactive = try inv.duration(.inactive)
        let rows = try SeatFindings.reclaimable(s.db, today: s.now, inactive: inactive)
        for stale in try SeatFindings.staleUsage(s.db, today: s.now, inactive: inactive) { inv.warn(stale.message) }
        inv.emit(rows, as: reclaimShape)
        try inv.footer { rows.isEmpty ? "Nothing to reclaim." : "Reclaimable: " + (try reclaimTotals(rows)) }
    }

    static func summary(_ inv: Invocation) throws {
        let s = inv.session
        if s.actor.role != .admin {
            let mine = try PersonalSummary.compute(s, today: s.now)
            return inv.emit(mine, as: personalShape, inTable: { inv.term.out(personalText(s.ledger.org, mine)) })
        }
        let base = try BaseConverter.configured(s.ledger, today: s.now)
        let sum = try Summary.compute(s.db, today: s.now, base: base)
        warnMissingRates(inv, base)
        inv.emit(sum, as: summaryShape, inTable: { inv.underTable(summaryText(s.ledger.org, sum)) })
    }

    static let summaryShape = Summary.shape

    static let personalShape = PersonalSummary.shape

    static func personalText(_ org: String, _ mine: PersonalSummary) -> String {
        var out = "\(mine.user) at \(org) — \(mine.month)\n\nYour seats\n"
        out +=
            mine.seats.isEmpty ? "  none\n" : mine.seats.map { "  \($0.name) (\($0.vendor)\($0.plan.map { ", " + $0 } ?? ""))\n" }.joined()
        out += "\nYour requests\n"
        out +=
            mine.requests.isEmpty
            ? "  none\n" : mine.requests.prefix(10).map { "  #\($0.id)  \($0.status.rawValue)  \($0.summary)\n" }.joined()
        if mine.requests.count > 10 { out += "  … \(mine.requests.count - 10) more: owatch request list\n" }
        if let b = mine.leave?.balance {
            out +=
                "\nVacation in \(b.year): \(Leave.days(b.taken)) taken, \(Leave.days(b.planned)) planned, \(Leave.days(b.pending)) pending, "
            out += "\(Leave.days(b.remaining)) of \(Leave.days(b.allowance)) left\n"
        }
        return out
    }

    static func summaryText(_ org: String, _ sum: Summary) -> String {
        var out = "\(org) — \(sum.month)\n\n"
        out += "Burn this month\n"
        out +=
            sum.burn.isEmpty
            ? "  nothing yet\n"
            : sum.burn.map {
                "  \($0.contracted.currency.code): contracted \($0.contracted.display), observed \($0.observed.display), unmanaged \($0.unmanaged.display)\n"
            }.joined()
        if let b = sum.inBase {
            out +=
                "  in \(b.burn[0].currency.code): contracted \(b.burn[0].display), observed \(b.burn[1].display), unmanaged \(b.burn[2].display)\n"
        }
        out += "\nNext renewals\n"
        out +=
            sum.renewals.isEmpty
            ? "  none in the next 60 days\n"
            : sum.renewals.map { "  \(Time.day($0.date))  \($0.license.name)  \($0.license.cost.display)\n" }.joined()
        let overdue = sum.undecided.filter(\.overdue)
        if !overdue.isEmpty {
            out += "\nCancel-by dates passed without a decision\n"
            out += overdue.map { "  \(Time.day($0.cancelBy!))  \($0.license.name)  (renews \(Time.day($0.date)))\n" }.joined()
        }
        let open = sum.undecided.filter { !$0.overdue }
        if !open.isEmpty {
            out += "\nRenewals still undecided (owatch license decide NAME keep|cancel|renegotiate)\n"
            out +=
                open.map {
                    "  \(Time.day($0.date))  \($0.license.name)" + ($0.cancelBy.map { "  cancel by \(Time.day($0))" } ?? "") + "\n"
                }.joined()
        }
        out +=
            "\nIdle seats: \(sum.idleSeats)"
            + (sum.idleMonthly.isEmpty ? "" : ", costing " + sum.idleMonthly.map(\.display).joined(separator: " + ") + " a month")
            + (sum.idleMonthly.count > 1 ? sum.inBase.map { " (\($0.idle.display))" } ?? "" : "") + "\n"
        if !sum.reclaimableMonthly.isEmpty {
            out +=
                "Seats to reclaim (people gone, seats unused): " + sum.reclaimableMonthly.map(\.display).joined(separator: " + ")
                + " a month — `owatch report reclaim`\n"
        }
        for stale in sum.staleUsage { out += "Usage data is old: \(stale.message)\n" }
        let findings = sum.openFindings.reduce(0) { $0 + $1.count }
        out +=
            "Open findings: \(findings)"
            + (findings == 0 ? "" : " (" + sum.openFindings.map { "\($0.count) \($0.kind)" }.joined(separator: ", ") + ")")
        out +=
            sum.unmanagedMonthly.isEmpty
            ? "\n"
            : "; unmanaged run-rate " + sum.unmanagedMonthly.map(\.display).joined(separator: " + ") + " a month"
                + (sum.unmanagedMonthly.count > 1 ? sum.inBase.map { " (\($0.unmanaged.display))" } ?? "" : "") + "\n"
        if sum.waitingReview > 0 {
            out += "Waiting for review: \(sum.waitingReview) charge(s) owatch was not sure of or held back — `owatch scan review`\n"
        }
        let pending = sum.pendingRequests.reduce(0) { $0 + $1.count }
        out +=
            "Pending requests: \(pending)"
            + (pending == 0
                ? "" : " (" + sum.pendingRequests.map { "\($0.count) \($0.kind)" }.joined(separator: ", ") + ") — `owatch approve`") + "\n"
        return out
    }

    static let writtenShape = Shape<(path: String, bytes: Int)>([
        Field("path", "html: the file written") { .text($0.path) },
        Field("bytes", "html: its size") { .int(Int64($0.bytes)) },
    ])

    static let calendarShape = Shape<(path: String, bytes: Int, events: Int)>([
        Field("path", "calendar: the file written") { .text($0.path) },
        Field("bytes", "calendar: its size") { .int(Int64($0.bytes)) },
        Field("events", "calendar: its events") { .int(Int64($0.events)) },
    ])

    static func calendar(_ inv: Call<CalendarOption>) throws {
        let out = inv.value(.out)!  // required
        let within = try inv.duration(.within) ?? Duration(count: 1, unit: .year)
        let (text, events) = try OfficeCalendar.build(inv.session, within: within, today: inv.session.now)
        if out == "-" { return inv.term.out(bytes: Array(text.utf8)) }
        try FileSystem.writeOutput(out, contents: text, mode: 0o644)
        inv.note("Wrote \(events) event(s) to \(out) (renewals, cancel-by dates, term ends and approved leave within \(within)).")
        inv.emit((path: out, bytes: text.utf8.count, events: events), as: calendarShape, inTable: {})
    }

    static func html(_ inv: Call<HtmlOption>) throws {
        let out = inv.value(.out)!  // required
        let page =
            inv.session.actor.role == .admin
            ? try Dashboard.html(inv.session, today: inv.session.now) : try Dashboard.personal(inv.session, today: inv.session.now)
        // A file for others to read (0644), unless the ledger is kept in a private folder: then
        // the dashboard, which shows what the ledger holds, is as private (0600). Either way it says so.
        var st = stat()
        let folder = inv.session.ledger.localDirectory
        let privateLedger = stat(folder.isEmpty ? "." : folder, &st) == 0 && st.st_mode & 0o077 == 0
        try FileSystem.writeOutput(out, contents: page, mode: privateLedger ? 0o600 : 0o644)
        // The mode as written (a umask may have taken more away).
        let written = stat(out, &st) == 0 ? String(cFormat: "%04o", Int(st.st_mode & 0o777)) : (privateLedger ? "0600" : "0644")
        let mode =
            privateLedger
            ? "mode \(written), private as the ledger's folder is; `chmod 644 \(ShellWord.quoted(out))` to share it" : "mode \(written)"
        inv.note("Wrote the dashboard to \(out) (\(page.utf8.count / 1024) KB, works offline; \(mode)).")
        inv.emit((path: out, bytes: page.utf8.count), as: writtenShape, inTable: {})
    }
}

/// `owatch report`: its manual page.
let reportNoun = Noun(
    name: "report", summary: "burn, renewals, utilization, shadow IT, leave, forecast and a dashboard",
    description: """
        Reports read the ledger and never change it.
        Observed and unmanaged spend come from a monthly aggregate kept by triggers in the same transaction as every charge written, re-linked or deleted, so a report's cost grows with months and vendors, not with charges; owatch doctor checks the aggregate against the charges.
        Contracted cost is each license's purchase lines as monthly equivalents (a one-off purchase in its month), from the month a line was bought until the license ends; grouped by user or dept, a license's cost is split per seat between its holders, idle seats shown as (idle seats), and charges, which belong to no person, as (not per person).
        The forecast places each license's charges on its renewal dates (a yearly renewal is a spike in its month; licenses without a renewal date count their monthly equivalent), stops them when a cancelled contract ends, uses each contract's price (a price change counts once scan adopt has made it the contract's), and adds the monthly run-rate of open unmanaged findings.
        With config base_currency set (see owatch-rate(1)), burn, forecast, utilization, shadow, the summary and the dashboard add one total in that currency beside the per-currency figures: charges at the rate of their day, contract costs at the rate of the month reported (its last day, or today for this month and months to come); JSON and CSV rows gain X_base and X_base_minor for each amount X (base and base_minor when a row has one), base_currency and rate_date.
        report calendar writes an iCalendar file (RFC 5545) that calendar programs import or subscribe to: one all-day event per renewal within --within (default 1y), per cancel-by date, per term end or end of a cancelled contract, and per approved leave; employees get their own leave only. UIDs are stable (renewal-ID-DATE@LEDGER and so on) and DTSTAMP is the time of the ledger's last change, so an unchanged ledger gives a byte-identical file on the same day. Text is escaped and lines are folded at 75 octets.
        Every figure follows one rounding rule, so views that answer the same question give the same number to the cent: each amount (a day's charges of one vendor, a month of one contract, one finding's run-rate, one license's idle seats) is converted at its own rate exactly, to a billionth of a minor unit, the amounts are added, and each figure shown is rounded once, half to even. burn's totals are the same with any --by; the summary's month is burn's; its unmanaged run-rate is shadow's total and its idle seats utilization's; a month of licenses with no renewal date is the same in the forecast as in burn; the dashboard shows the summary's figures. A row's own figures are rounded too, so the rows of a table need not add up to its total by a cent.
        An amount with no rate is never dropped or summed silently: it is shown apart (+ 30.00 GBP (no rate)) with a warning naming the amount and day it leaves out (12.00 USD of 2026-03-14) and the rate to add; the dashboard names the same amounts and days, never a whole currency. A license billed by usage (license add --usage-billed, or adopted from a usage-billed vendor) has no seats: it is never idle in utilization, the summary or the dashboard, nor reclaimable.
        The dashboard draws every currency's chart, however many.
        report leave counts approved leave with the days it was approved for; when config leave.holidays changes, pending requests are counted again, and would_change lists the approved ones the new holidays would change.
        report reclaim calls a held seat inactive only when it has been held for at least config usage.inactive (default 60d; --inactive overrides it) and its holder's usage, imported within that time, shows no use inside it: a new hire's seat is not unused yet, and usage imported longer ago says nothing of the days since, so a license whose last usage import is that old is named with its age (a warning; stale_usage in the summary) and none of its seats is called inactive on it.
        Charts are drawn under tables only, in Unicode blocks, or ASCII with --ascii or a non-UTF-8 locale.
        Employees may run report summary and report html too: theirs show the seats they hold, their own requests and this year's leave (taken, planned, pending, remaining), and nothing about anyone else.
        report html writes one self-contained file (inline CSS and SVG, no scripts, nothing fetched), with mode 0644 for others to read, or 0600 when the ledger's folder is private (no access for group or others, as owatch creates it), and says which.
        """
)

/// `owatch report …`: its commands, in help order.
let reportCommands: [Command] = [
    Command(
        noun: "report", verb: "burn", summary: "spend per month: contracted cost, observed charges, unmanaged spend",
        options: ReportCommand.BurnOption.self,
        access: .roles(adminOnly),
        examples: [
            "owatch report burn", "owatch report burn --by vendor --from 2026-01 --to 2026-06 --json",
            "owatch report burn --by category --format csv > burn.csv",
        ],
        output: BurnGrouping.allCases.flatMap { ReportCommand.burnShape($0).docs }, run: ReportCommand.burn),
    Command(
        noun: "report", verb: "budget", summary: "each budget per month: budget, contracted, observed, remaining, in the base currency",
        options: ReportCommand.BudgetOption.self,
        access: .roles(adminOnly),
        examples: ["owatch report budget", "owatch report budget --from 2027-01 --to 2027-06 --json"],
        output: BudgetCommand.reportShape.docs, run: ReportCommand.budget),
    Command(
        noun: "report", verb: "reclaim", summary: "seats to give back: held by people gone, unused, or never assigned, with what they cost",
        options: ReportCommand.ReclaimOption.self,
        access: .roles(adminOnly), examples: ["owatch report reclaim", "owatch report reclaim --inactive 90d --format csv"],
        output: ReportCommand.reclaimShape.docs, run: ReportCommand.reclaim),
    Command(
        noun: "report", verb: "renewals", summary: "what renews when, and for how much",
        options: ReportCommand.RenewalsOption.self,
        access: .roles(adminOnly), examples: ["owatch report renewals --within 6m"], output: LicenseCommand.dueShape.docs,
        run: ReportCommand.renewals),
    Command(
        noun: "report", verb: "digest",
        summary:
            "the week in one list: renewals and cancel-by dates in the next 30 days, decisions pending, new findings, requests waiting, reclaimable seats",
        options: ReportCommand.DigestOption.self,
        access: .roles(adminOnly),
        examples: ["owatch report digest", "owatch report digest --since 14d --json", "owatch report digest --send"],
        output: ReportCommand.digestShape.docs, run: ReportCommand.digest),
    Command(
        noun: "report", verb: "utilization", summary: "paid seats against held seats, and what the idle ones cost",
        access: .roles(adminOnly),
        examples: ["owatch report utilization", "owatch report utilization --json | jq '[.[].idle_monthly_minor] | add'"],
        output: ReportCommand.utilizationShape.docs, run: ReportCommand.utilization),
    Command(
        noun: "report", verb: "shadow", summary: "open unmanaged spend per vendor, with its monthly run-rate",
        options: ReportCommand.ShadowOption.self,
        access: .roles(adminOnly), examples: ["owatch report shadow"], output: ReportCommand.shadowShape.docs, run: ReportCommand.shadow),
    Command(
        noun: "report", verb: "leave", summary: "leave taken, planned, pending and remaining per person (employees: their own)",
        options: ReportCommand.LeaveOption.self,
        access: .roles([.admin, .employee]), examples: ["owatch report leave", "owatch report leave --year 2027 --format csv"],
        output: ReportCommand.leaveShape.docs, run: ReportCommand.leave),
    Command(
        noun: "report", verb: "forecast", summary: "spend projected from each license's renewal dates, plus the unmanaged run-rate",
        options: ReportCommand.ForecastOption.self,
        access: .roles(adminOnly), examples: ["owatch report forecast", "owatch report forecast --months 24 --json"],
        output: ReportCommand.forecastShape.docs, run: ReportCommand.forecast),
    Command(
        noun: "report", verb: "summary",
        summary:
            "one screen: this month's burn, renewals, idle seats, findings, pending requests (employees: their seats, requests and leave)",
        access: .roles([.admin, .employee]), examples: ["owatch report summary"],
        output: ReportCommand.summaryShape.docs + ReportCommand.personalShape.docs,
        run: ReportCommand.summary),
    Command(
        noun: "report", verb: "calendar",
        summary:
            "write an iCalendar file (RFC 5545): renewals (repeating), cancel-by dates, term and trial ends, approved leave; an alarm per lead time",
        options: ReportCommand.CalendarOption.self,
        access: .roles([.admin, .employee]),
        examples: [
            "owatch report calendar --out office.ics",
            "owatch report calendar --out /var/www/html/office.ics --within 2y   # from cron: a feed calendars subscribe to",
            "owatch report calendar --out - | grep -c BEGIN:VEVENT",
        ],
        output: ReportCommand.calendarShape.docs, run: ReportCommand.calendar),
    Command(
        noun: "report", verb: "html", summary: "write an offline HTML dashboard: charts, renewal calendar, idle seats, findings, requests",
        options: ReportCommand.HtmlOption.self,
        access: .roles([.admin, .employee]), examples: ["owatch report html --out dashboard.html && xdg-open dashboard.html"],
        output: ReportCommand.writtenShape.docs, run: ReportCommand.html
    ),
]
