import FoundationEssentials
import OWCore
import OWIdentity
import OWOffice
import OWRequests

/// `report html`: one self-contained, offline HTML file. Inline CSS and SVG only: no scripts,
/// no fonts or images fetched, so it opens anywhere and prints. Every text from the ledger is
/// escaped (vendor names and summaries come from hostile email).
public enum Dashboard {
    /// Tableau 20: enough distinct colours for the catalog's categories.
    static let palette = [
        "#4e79a7", "#f28e2b", "#59a14f", "#e15759", "#76b7b2", "#edc948", "#b07aa1", "#ff9da7", "#9c755f", "#bab0ac",
        "#a0cbe8", "#ffbe7d", "#8cd17d", "#ff9d9a", "#499894", "#f1ce63", "#d4a6c8", "#fabfd2", "#d7b5a6", "#79706e",
    ]

    public static func html(_ session: Session, today: Date) throws -> String {
        let db = session.db
        let month = Month(today)
        let base = try BaseConverter.configured(session.ledger, today: today)
        let burnRows = try Burn.compute(db, from: month.adding(-11), to: month, by: .category, base: base)
        let forecast = try Forecast.compute(db, from: month, months: 12, today: today)
        let renewals = try Licenses.renewals(db, within: Duration(count: 12, unit: .month), today: today)
        let findings = try Findings.list(db, includeClosed: false, kind: nil).filter { FindingKind.shadowIT.contains($0.kind) }
        var pending = Requests.Filter()
        pending.all = true
        pending.status = .pending
        let requests = try Requests.list(session, pending)
        let summary = try Summary.compute(db, today: today, base: base)
        let idle = summary.utilization.filter { $0.idle > 0 }

        var body = "<header><h1>\(esc(session.ledger.org)) — software spend</h1><p>Generated \(Time.day(today)) by owatch</p></header>\n"
        cardsSection(&body, summary, month: month)
        try burnSection(&body, session, burnRows, base: base, month: month)
        try forecastSection(&body, session, forecast, month: month)
        calendarSection(&body, renewals, month: month, today: today)
        try tablesSection(&body, session, idle: idle, findings: findings, requests: requests, today: today)

        return page(title: session.ledger.org + " — owatch dashboard", body: body)
    }

    /// An employee's own page: the seats they hold, their requests and their leave this year.
    public static func personal(_ session: Session, today: Date) throws -> String {
        let mine = try PersonalSummary.compute(session, today: today)
        var body = "<header><h1>\(esc(mine.user)) — \(esc(session.ledger.org))</h1><p>Generated \(Time.day(today)) by owatch</p></header>\n"
        body += "<section class=\"cards\">"
        body += card("Seats you hold", [String(mine.seats.count)])
        body += card("Your pending requests", [String(mine.requests.filter { $0.status == .pending }.count)])
        if let b = mine.leave?.balance {
            body += card("Vacation left in \(b.year)", ["\(Leave.days(b.remaining)) of \(Leave.days(b.allowance)) day(s)"])
        }
        body += "</section>\n"
        body +=
            "<section><h2>Your seats</h2>"
            + table(
                ["License", "Vendor", "Plan", "Renews", "Status"],
                mine.seats.map {
                    [
                        $0.name, $0.vendor, $0.plan ?? "", $0.nextRenewal(onOrAfter: Time.startOfDay(today)).map(Time.day) ?? "",
                        $0.status.rawValue,
                    ]
                },
                numeric: []) + "</section>\n"
        body +=
            "<section><h2>Your requests</h2>"
            + table(
                ["#", "Kind", "What", "Cost", "Status", "Since", "Note"],
                mine.requests.map {
                    [
                        "\($0.id)", $0.kind.rawValue, $0.summary, $0.cost?.display ?? "", $0.status.rawValue,
                        String($0.createdAt.prefix(10)), $0.note ?? "",
                    ]
                }, numeric: [0, 3]) + "</section>\n"
        if let l = mine.leave {
            let b = l.balance
            body +=
                "<section><h2>Your leave in \(b.year)</h2>"
                + table(
                    ["Allowance", "Taken", "Planned", "Pending", "Remaining", "Sick", "Unpaid"],
                    [[b.allowance, b.taken, b.planned, b.pending, b.remaining, l.sick, l.unpaid].map(Leave.days)],
                    numeric: Set(0..<7)) + "</section>\n"
        }
        return page(title: mine.user + " — owatch", body: body)
    }

    package static func page(title: String, body: String) -> String {
        """
        <!DOCTYPE html>
        <html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
        <meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
        <title>\(esc(title))</title>
        <style>\(css)</style></head>
        <body>
        \(body)</body></html>

        """
    }

    /// The ledger's currency first, then the others by amount: every currency gets its chart.
    /// (Amounts in different currencies are compared only to order the charts.)
    package static func currencies(_ amounts: [(Currency, Int64)], first: String) throws -> [Currency] {
        var sums: [Currency: Int64] = [:]
        for (c, v) in amounts { try sums[c, default: 0].addChecked(v) }
        return Array(
            sums.sorted { ($0.key.code == first ? 1 : 0, $0.value, $1.key.code) > ($1.key.code == first ? 1 : 0, $1.value, $0.key.code) }
                .map(\.key))
    }

    static func esc(_ s: String) -> String {
        var out = ""
        out.reserveCapacity(s.count)
        for ch in s.unicodeScalars {
            switch ch {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.unicodeScalars.append(ch)
            }
        }
        return out
    }

    static func card(_ label: String, _ values: [String]) -> String {
        "<div class=\"card\"><div class=\"label\">\(esc(label))</div>"
            + (values.isEmpty ? ["—"] : values).map { "<div class=\"value\">\(esc($0))</div>" }.joined() + "</div>"
    }

    package static func table(_ header: [String], _ rows: [[String]], numeric: Set<Int>) -> String {
        guard !rows.isEmpty else { return "<p class=\"empty\">None.</p>" }
        func cells(_ r: [String], _ tag: String) -> String {
            r.enumerated().map { "<\(tag)\(numeric.contains($0.offset) ? " class=\"num\"" : "")>\(esc($0.element))</\(tag)>" }.joined()
        }
        return "<table><thead><tr>\(cells(header, "th"))</tr></thead><tbody>" + rows.map { "<tr>\(cells($0, "td"))</tr>" }.joined()
            + "</tbody></table>"
    }

    /// A stacked bar chart in SVG: one bar per label, one colour per series, a legend, and the
    /// total above each bar.
    static func stackedBars(labels: [String], series: [(name: String, colour: String, values: [Int64])], currency: Currency) throws
        -> String
    {
        let width = 960.0
        let height = 260.0
        let left = 70.0
        let bottom = 40.0
        let top = 24.0
        let totals = try labels.indices.map { i in try series.checkedSum { max(0, $0.values[i]) } }
        let peak = Double(max(1, totals.max() ?? 1))
        let slot = (width - left) / Double(max(1, labels.count))
        let barWidth = slot * 0.62
        let scale = (height - bottom - top) / peak
        var svg = "<svg viewBox=\"0 0 \(Int(width)) \(Int(height))\" role=\"img\" class=\"chart\" xmlns=\"http://www.w3.org/2000/svg\">"
        for step in 0...4 {
            let v = peak * Double(step) / 4
            let y = height - bottom - v * scale
            svg += "<line x1=\"\(left)\" x2=\"\(width)\" y1=\"\(fmt(y))\" y2=\"\(fmt(y))\" class=\"grid\"/>"
            svg +=
                "<text x=\"\(left - 6)\" y=\"\(fmt(y + 4))\" class=\"axis\" text-anchor=\"end\">\(esc(Money(minor: Int64(v), currency: currency).wholeDisplay))</text>"
        }
        for (i, label) in labels.enumerated() {
            let x = left + Double(i) * slot + (slot - barWidth) / 2
            var y = height - bottom
            for serie in series where serie.values[i] > 0 {
                let h = Double(serie.values[i]) * scale
                y -= h
                svg +=
                    "<rect x=\"\(fmt(x))\" y=\"\(fmt(y))\" width=\"\(fmt(barWidth))\" height=\"\(fmt(h))\" fill=\"\(serie.colour)\">"
                    + "<title>\(esc(serie.name)) \(esc(label)): \(esc(Money(minor: serie.values[i], currency: currency).display))</title></rect>"
            }
            if totals[i] > 0 {
                svg +=
                    "<text x=\"\(fmt(x + barWidth / 2))\" y=\"\(fmt(y - 5))\" class=\"total\" text-anchor=\"middle\">\(esc(Money(minor: totals[i], currency: currency).wholeDisplay))</text>"
            }
            svg +=
                "<text x=\"\(fmt(x + barWidth / 2))\" y=\"\(fmt(height - bottom + 16))\" class=\"axis\" text-anchor=\"middle\">\(esc(label))</text>"
        }
        svg += "</svg>"
        let legend = series.map { "<span><i style=\"background:\($0.colour)\"></i>\(esc($0.name))</span>" }.joined()
        return svg + "<div class=\"legend\">\(legend)</div>"
    }

    static func fmt(_ v: Double) -> String { String(cFormat: "%.1f", v) }

    static let css = """
        :root{--ink:#1f2933;--muted:#616e7c;--line:#e4e7eb;--bg:#f7f8fa}
        *{box-sizing:border-box}body{margin:0 auto;max-width:1200px;padding:24px;font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:var(--ink);background:#fff}
        header h1{margin:0;font-size:24px}header p{margin:4px 0 16px;color:var(--muted)}
        h2{font-size:18px;margin:28px 0 4px;border-bottom:1px solid var(--line);padding-bottom:4px}h3{font-size:13px;color:var(--muted);margin:10px 0 0}
        .note{color:var(--muted);margin:0 0 8px}.warn{color:#b3261e;margin:0 0 8px}.empty{color:var(--muted)}
        .cards{display:grid;grid-template-columns:repeat(auto-fill,minmax(170px,1fr));gap:10px}
        .card{background:var(--bg);border:1px solid var(--line);border-radius:8px;padding:10px 12px}.card .label{color:var(--muted);font-size:12px}.card .value{font-size:17px;font-weight:600}
        .chart{width:100%;height:auto}.chart .grid{stroke:var(--line)}.chart .axis{font-size:11px;fill:var(--muted)}.chart .total{font-size:11px;fill:var(--ink)}
        .legend{display:flex;flex-wrap:wrap;gap:12px;font-size:12px;color:var(--muted)}.legend i{display:inline-block;width:10px;height:10px;margin-right:4px;border-radius:2px}
        .calendar{display:grid;grid-template-columns:repeat(auto-fill,minmax(180px,1fr));gap:8px}.month{border:1px solid var(--line);border-radius:6px;padding:6px 8px}
        .month h4{margin:0 0 4px;font-size:13px}.month ul{margin:0;padding:0;list-style:none}.month li{font-size:12px}.month li span{color:var(--muted);margin-right:4px}
        .cancel-by{display:block;color:var(--muted)}.cancel-by.passed{color:#b42318;font-weight:600}
        table{border-collapse:collapse;width:100%}th,td{text-align:left;padding:5px 8px;border-bottom:1px solid var(--line);vertical-align:top}th{font-size:12px;color:var(--muted)}.num{text-align:right;font-variant-numeric:tabular-nums}
        @media print{body{max-width:none;padding:0;font-size:11px}section{break-inside:avoid}.card{border-color:#ccc}}
        """
}
