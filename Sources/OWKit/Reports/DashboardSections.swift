import FoundationEssentials
import OWCore
import OWIdentity
import OWOffice
import OWRequests

/// The dashboard's sections, in the order the page shows them.
extension Dashboard {
    /// The cards: this month's totals, with a base currency first in it.
    static func cardsSection(_ body: inout String, _ summary: Summary, month: Month) {
        body += "<section class=\"cards\">"
        // With a base currency, each card leads with one total in it; the per-currency figures follow.
        let inBase = summary.inBase
        func lead(_ t: BaseTotal?, _ amounts: [Money]) -> [String] {
            guard let t, Set(amounts.map(\.currency)) != [t.currency] || !t.apart.isEmpty else { return amounts.map(\.display) }
            return [t.display + " (all currencies)"] + amounts.map(\.display)
        }
        body +=
            card("Contracted, \(month)", lead(inBase?.burn[0], summary.burn.map(\.contracted)))
            + card("Observed charges", lead(inBase?.burn[1], summary.burn.map(\.observed)))
            + card("Unmanaged", lead(inBase?.burn[2], summary.burn.map(\.unmanaged)))
        body += card("Idle seats", ["\(summary.idleSeats)"] + lead(inBase?.idle, summary.idleMonthly).map { $0 + " a month" })
        body += card("Open findings", [String(summary.openFindings.reduce(0) { $0 + $1.count })])
        body += card("Waiting for review", [String(summary.waitingReview)])
        body += card("Pending requests", [String(summary.pendingRequests.reduce(0) { $0 + $1.count })])
        body += "</section>\n"
    }

    /// Burn by month: stacked by category, all currencies in the base one when set, then one chart per currency.
    static func burnSection(_ body: inout String, _ session: Session, _ burnRows: [BurnRow], base: BaseConverter?, month: Month) throws {
        // Burn: contract cost plus unmanaged spend, stacked by category, one chart per currency.
        body +=
            "<section><h2>Burn by month</h2><p class=\"note\">Contracted cost of managed licenses plus unmanaged charges, by category, last 12 months.</p>"
        let months = Month.range(month.adding(-11), month)
        // One colour per category across every currency's chart.
        let allCategories = Array(Set(burnRows.compactMap(\.group))).sorted()
        func colour(_ category: String) -> String { palette[(allCategories.firstIndex(of: category) ?? 0) % palette.count] }
        if let base, Set(burnRows.map(\.contracted.currency)) != [base.currency] {
            let categories = Array(Set(burnRows.compactMap(\.group))).sorted()
            let series = try categories.map { cat in
                (
                    name: cat, colour: colour(cat),
                    values: try months.map { m in
                        var t = BaseTotal(base.currency)
                        for r in burnRows where r.month == m && r.group == cat {
                            try r.add(0, to: &t)
                            try r.add(2, to: &t)
                        }
                        return t.minor
                    }
                )
            }
            // What a missing rate leaves out, as amounts and days (never a whole currency).
            let apart = base.leftOutAmounts
            body +=
                try "<h3>All currencies in \(esc(base.currency.code))</h3>"
                + (apart.isEmpty
                    ? ""
                    : "<p class=\"warn\">Not included for want of an exchange rate: \(esc(apart.joined(separator: ", "))) (owatch rate set).</p>")
                + stackedBars(labels: months.map(\.description), series: series, currency: base.currency)
        }
        for currency in try currencies(
            burnRows.map { ($0.contracted.currency, try Money.sum($0.contracted.minor, $0.unmanaged.minor)) },
            first: session.ledger.currency)
        {
            let rows = burnRows.filter { $0.contracted.currency == currency }
            let categories = Array(Set(rows.compactMap(\.group))).sorted()
            let series = try categories.map { cat in
                (
                    name: cat, colour: colour(cat),
                    values: try months.map { m in
                        try rows.filter { $0.month == m && $0.group == cat }.checkedSum {
                            try Money.sum($0.contracted.minor, $0.unmanaged.minor)
                        }
                    }
                )
            }
            body +=
                try "<h3>\(esc(currency.code))</h3>" + stackedBars(labels: months.map(\.description), series: series, currency: currency)
        }
        if burnRows.isEmpty { body += "<p class=\"empty\">No spend recorded yet.</p>" }
        body += "</section>\n"
    }

    /// The forecast of the next 12 months, one chart per currency.
    static func forecastSection(_ body: inout String, _ session: Session, _ forecast: [ForecastRow], month: Month) throws {
        body +=
            "<section><h2>Forecast, next 12 months</h2><p class=\"note\">Each license charged on its renewal dates at its price (price changes once adopted), plus the unmanaged run-rate.</p>"
        let forecastMonths = Month.range(month, month.adding(11))
        for currency in try currencies(forecast.map { ($0.licenses.currency, $0.total.minor) }, first: session.ledger.currency) {
            let rows = forecast.filter { $0.licenses.currency == currency }
            func value(_ m: Month, _ pick: (ForecastRow) -> Int64) -> Int64 { rows.first { $0.month == m }.map(pick) ?? 0 }
            body +=
                try "<h3>\(esc(currency.code))</h3>"
                + stackedBars(
                    labels: forecastMonths.map(\.description),
                    series: [
                        (name: "licenses", colour: palette[0], values: forecastMonths.map { value($0) { $0.licenses.minor } }),
                        (name: "unmanaged run-rate", colour: palette[1], values: forecastMonths.map { value($0) { $0.unmanaged.minor } }),
                    ], currency: currency)
        }
        if forecast.isEmpty { body += "<p class=\"empty\">Nothing to forecast.</p>" }
        body += "</section>\n"
    }

    /// The renewal calendar: the next 12 months, each renewal with its cancel-by date.
    static func calendarSection(_ body: inout String, _ renewals: [(license: License, date: Date)], month: Month, today: Date) {
        let forecastMonths = Month.range(month, month.adding(11))
        body += "<section><h2>Renewal calendar</h2><div class=\"calendar\">"
        for m in forecastMonths {
            let due = renewals.filter { Month($0.date) == m }
            body +=
                "<div class=\"month\"><h4>\(m)</h4>"
                + (due.isEmpty
                    ? "<p class=\"empty\">—</p>"
                    : "<ul>"
                        + due.map { r in
                            // The cancel-by date is what to act on: shown beside the renewal, marked once passed.
                            let cancelBy = r.license.terms?.cancelBy(r.date).map { day in
                                " <small class=\"cancel-by\(day < Time.startOfDay(today) ? " passed" : "")\">cancel by \(Time.day(day))</small>"
                            }
                            return "<li><span>\(Time.day(r.date).suffix(2))</span> \(esc(r.license.name)) "
                                + "<b>\(esc(r.license.cost.display))</b>\(cancelBy ?? "")</li>"
                        }.joined() + "</ul>") + "</div>"
        }
        body += "</div></section>\n"
    }

    /// The tables: idle seats, seats to reclaim, budgets, findings and pending requests.
    static func tablesSection(
        _ body: inout String, _ session: Session, idle: [UtilizationRow], findings: [Finding], requests: [Request], today: Date
    ) throws {
        let db = session.db
        body +=
            "<section><h2>Idle seats</h2>"
            + table(
                ["License", "Seats", "Held", "Idle", "Idle cost / month"],
                idle.map {
                    [
                        $0.license.name, $0.license.seats.map(String.init) ?? "unlimited", String($0.license.assigned), String($0.idle),
                        $0.idleMonthly.display,
                    ]
                }, numeric: [1, 2, 3, 4]) + "</section>\n"
        let reclaim = try SeatFindings.reclaimable(db, today: today)
        body +=
            "<section><h2>Seats to reclaim</h2><p class=\"note\">Held by people gone, unused for longer than config usage.inactive, or never assigned.</p>"
            + table(
                ["License", "Why", "Holder", "Seats", "Last used", "Monthly", "Yearly"],
                reclaim.map {
                    [$0.license.name, $0.why, $0.user ?? "", String($0.seats), $0.lastActive ?? "", $0.monthly.display, $0.yearly.display]
                }, numeric: [3, 5, 6]) + "</section>\n"
        let budgetBase = try Budgets.converter(session.ledger, today: today)
        let budgets = try Budgets.report(session, from: Month(today), to: Month(today), base: budgetBase)
        if !budgets.isEmpty {
            body +=
                "<section><h2>Budgets, \(Month(today))</h2><p class=\"note\">Each budget in effect this month against what report burn counts for it, in \(budgetBase.currency.code); remaining is budget − contracted − purchases − unmanaged.</p>"
                + table(
                    ["Budget", "Budget / month", "Contracted", "Observed", "Purchases", "Unmanaged", "Remaining"],
                    budgets.map { l in
                        [l.budget.label]
                            + [l.amount, l.contracted, l.observed, l.purchases, l.unmanaged, l.remaining].map { $0?.display ?? "no rate" }
                    }, numeric: [1, 2, 3, 4, 5, 6]) + "</section>\n"
        }
        body +=
            "<section><h2>Shadow IT and other findings</h2>"
            + table(
                ["#", "Kind", "Vendor", "Amount", "Monthly", "What"],
                findings.map {
                    ["\($0.id)", $0.kind.rawValue, $0.vendor ?? "", $0.amount?.display ?? "", $0.monthly?.display ?? "", $0.summary]
                }, numeric: [0, 3, 4]) + "</section>\n"
        body +=
            "<section><h2>Pending requests</h2>"
            + table(
                ["#", "Kind", "Who", "What", "Cost", "Since"],
                requests.map {
                    ["\($0.id)", $0.kind.rawValue, $0.requester, $0.summary, $0.cost?.display ?? "", String($0.createdAt.prefix(10))]
                }, numeric: [0, 4]) + "</section>\n"
    }
}
