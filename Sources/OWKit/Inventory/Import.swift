import FoundationEssentials
import OWCore
import OWIdentity

/// `license import`: CSV with a header, or the JSON `license list --json` prints.
/// All or nothing: every row is checked first; any bad row means nothing is written.
public enum LicenseImport {
    public struct RowError: Sendable, CustomStringConvertible {
        public let line: Int
        public let message: String
        public var description: String { "line \(line): \(message)" }
    }

    public struct Outcome: Sendable {
        public let licenses: Int
        public let seats: Int
        public let dryRun: Bool
        /// With `--update`: what changes, one line per license added or changed.
        public var changes: [Change] = []
        public var updated = 0
        public var unchanged = 0
    }

    /// One line of an import's diff.
    public struct Change: Sendable {
        public enum Kind: String, Sendable { case add, update }
        public let kind: Kind
        public let license: String
        public let what: String
    }

    /// How dates are written in a spreadsheet (`--date-format`); read into YYYY-MM-DD.
    public struct DateFormat: Sendable {
        package let order: (day: Int, month: Int, year: Int)
        package let separator: Character

        public init(_ pattern: String) throws {
            let p = pattern.uppercased()
            guard let sep = p.first(where: { !$0.isLetter }) else { throw OWError.usage("--date-format takes a form such as DD/MM/YYYY") }
            let parts = p.split(separator: sep).map(String.init)
            guard parts.count == 3, let d = parts.firstIndex(of: "DD"), let m = parts.firstIndex(of: "MM"),
                let y = parts.firstIndex(of: "YYYY")
            else {
                throw OWError.usage(
                    "--date-format takes DD, MM and YYYY with one separator, e.g. DD/MM/YYYY, MM/DD/YYYY or DD.MM.YYYY; not '\(pattern)'")
            }
            order = (d, m, y)
            separator = sep
        }

        func iso(_ text: String) throws -> String {
            let parts = text.split(separator: separator).map(String.init)
            guard parts.count == 3, let day = Int(parts[order.day]), let month = Int(parts[order.month]), parts[order.year].count == 4
            else {
                throw OWError.badData("'\(text.prefix(20))' does not match the date format")
            }
            let iso = parts[order.year] + String(cFormat: "-%02d-%02d", month, day)
            guard Time.parseDay(iso) != nil else { throw OWError.badData("'\(text.prefix(20))' is not a real date") }
            return iso
        }
    }

    /// The columns a CSV header may name: the import format, and every column `license list`
    /// writes (derived ones such as `monthly` and `id` are read past), so an export imports back.
    package enum Column: Int, CaseIterable {
        case name, vendor, plan, seats, cost, currency, period, renewsOn, owner, assigned, category, perSeat, notes, order, purchasedOn
        case status, endsOn, unlimited, lines, assignedTo
        case id, free, costMinor, monthly, monthlyMinor
        // Contract terms (issue 34); cancel_by and decision are derived and read past.
        case notice, sendBy, autoRenew, termEnd, minimumTerm, termStart, then, leads, cancelBy, decision
        // Seats or usage (issue 31).
        case billing
        package static let terms: [Column] = [.notice, .sendBy, .autoRenew, .termEnd, .minimumTerm, .termStart, .then, .leads]
        package static let required: [Column] = [.name, .vendor, .seats, .cost]
        /// The header's name for it: `renews_on`, `per_seat` …
        package var key: String { Column.keys[rawValue] }
        /// Worked out once: each row's dates name their column, and building the expression and reflecting
        /// the case's name for every one was a quarter of a 100,000-row import.
        private static let keys = allCases.map { String(describing: $0).replacing(/[A-Z]/) { "_" + $0.output.lowercased() } }
        package init?(key: String) {
            guard let i = Column.keys.firstIndex(of: key), let c = Column(rawValue: i) else { return nil }
            self = c
        }
    }

    package typealias DraftRow = (line: Int, draft: Result<LicenseDraft, OWError>)

    /// Reads drafts from file text, one at a time: JSON when it starts with `[`, JSON lines
    /// (`license list --format jsonl`) when it starts with `{`, CSV otherwise.
    package static func forEachDraft(in text: String, dates: DateFormat?, currency: Currency, _ body: (DraftRow) throws -> Void) throws {
        let trimmed = text.drop(while: { $0.isWhitespace || $0 == "\u{FEFF}" })
        if trimmed.first == "[" {
            try fromJSON(String(trimmed), dates: dates, currency: currency).forEach(body)
        } else if trimmed.first == "{" {
            for (n, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated()
            where !line.allSatisfy(\.isWhitespace) {
                try body(
                    (
                        n + 1,
                        Result {
                            let item: JSON
                            do { item = try JSON.parse(String(line), maxDepth: 8) } catch let e as OWError {
                                throw OWError.badData(e.message)
                            }
                            return try draft(fromJSON: item, dates: dates, currency: currency)
                        }.mapError { ($0 as? OWError) ?? OWError.badData("\($0)") }
                    ))
            }
        } else {
            try fromCSV(text, dates: dates, currency: currency, body)
        }
    }

    /// CSV rows become drafts as they are read; only the drafts' checked forms are kept.
    /// The separator (`,` `;` or tab) is the header's.
    static func fromCSV(_ text: String, dates: DateFormat?, currency: Currency, _ body: (DraftRow) throws -> Void) throws {
        var width = 0
        // Where each known column is in a row, from the header: no name is looked up per row.
        var position = [Int?](repeating: nil, count: Column.allCases.count)
        try CSV.forEachRecord(text, delimiter: CSV.detectDelimiter(text)) { rec in
            guard width > 0 else {
                let names = rec.fields.map { CSV.trim($0).lowercased() }
                for (i, n) in names.enumerated() {
                    guard let column = Column(key: n) else {
                        throw OWError.badData(
                            "line 1: unknown column '\(n.prefix(40))'",
                            hint: "columns: \(Column.allCases.map(\.key).sorted().joined(separator: ", "))")
                    }
                    if position[column.rawValue] != nil { throw OWError.badData("line 1: a column is named twice") }
                    position[column.rawValue] = i
                }
                if let missing = Column.required.first(where: { position[$0.rawValue] == nil }) {
                    throw OWError.badData("line 1: the header has no '\(missing.key)' column")
                }
                // An export's `assigned` is the count of holders; `assigned_to` names them.
                if position[Column.assignedTo.rawValue] != nil { position[Column.assigned.rawValue] = nil }
                width = names.count
                return
            }
            try body(
                (
                    rec.line,
                    Result {
                        guard rec.fields.count == width else {
                            throw OWError.badData("expected \(width) fields, found \(rec.fields.count)")
                        }
                        func field(_ column: Column) -> String? { position[column.rawValue].map { CSV.trim(rec.fields[$0]) } }
                        var d = try draft(dates: dates, currency: currency) { column in
                            switch column {
                            case .seats: return field(.unlimited)?.lowercased() == "true" ? "unlimited" : field(.seats)
                            case .assigned: return field(.assignedTo) ?? field(.assigned)
                            default: return field(column)
                            }
                        }
                        // An export's purchase lines: JSON objects separated by ";".
                        if let cell = field(.lines), !cell.isEmpty {
                            let objects = try splitObjects(cell).map { text -> JSON in
                                do { return try JSON.parse(text, maxDepth: 4) } catch {
                                    throw OWError.badData("lines: a purchase line is not JSON")
                                }
                            }
                            try applyLines(objects, to: &d, dates: dates)
                        }
                        return d
                    }.mapError { ($0 as? OWError) ?? OWError.badData("\($0)") }
                ))
        }
        if width == 0 { throw OWError.badData("the file is empty; expected a header row") }
    }

    /// `{…};{…}`: the objects of a CSV cell, split where `;` is outside any string and object.
    static func splitObjects(_ cell: String) throws -> [String] {
        var out: [String] = []
        var current = ""
        var depth = 0
        var inString = false
        var escaped = false
        for ch in cell {
            if inString {
                if escaped { escaped = false } else if ch == "\\" { escaped = true } else if ch == "\"" { inString = false }
            } else if ch == "\"" {
                inString = true
            } else if ch == "{" {
                depth += 1
            } else if ch == "}" {
                depth -= 1
            } else if ch == ";" && depth == 0 {
                out.append(current)
                current = ""
                continue
            }
            current.append(ch)
        }
        out.append(current)
        return out.map(CSV.trim).filter { !$0.isEmpty }
    }

    /// A draft from one row, its texts parsed into their types here (errors name the column);
    /// `field` gives a column's text (nil when the file has no such column). Amounts without a
    /// currency of their own are in the row's currency, else `currency` (the ledger's).
    static func draft(dates: DateFormat?, currency: Currency, _ field: (Column) -> String?) throws -> LicenseDraft {
        func value(_ c: Column) -> String? { field(c).flatMap { $0.isEmpty ? nil : $0 } }
        func date(_ c: Column) throws -> Date? {
            guard let text = value(c) else { return nil }
            return try day(text, dates: dates, column: c.key)
        }
        guard let name = value(.name) else { throw OWError.badData("name is empty") }
        guard let vendor = value(.vendor) else { throw OWError.badData("vendor is empty") }
        guard let seatsText = value(.seats) else { throw OWError.badData("seats is empty") }
        guard let cost = value(.cost) else { throw OWError.badData("cost is empty") }
        let seats = try LicenseDraft.parseSeats(seatsText)
        let rowCurrency = try value(.currency).map(Currency.parse)
        var d = LicenseDraft(
            name: name, vendor: vendor, seats: seats, price: try MoneyParser.parse(cost, defaultCurrency: rowCurrency ?? currency))
        d.currency = rowCurrency
        d.period = try value(.period).map(Period.parse) ?? .monthly
        d.plan = value(.plan)
        d.renewsOn = try date(.renewsOn)
        d.owner = value(.owner)
        d.category = value(.category)
        d.notes = value(.notes)
        d.orderRef = value(.order)
        d.purchasedOn = try date(.purchasedOn)
        if let status = value(.status) {
            guard let s = LicenseStatus(rawValue: status.lowercased()) else {
                throw OWError.usage("status must be active or cancelled, not '\(status.prefix(20))'")
            }
            d.status = s
        }
        d.endsOn = try date(.endsOn)
        if let ps = value(.perSeat) {
            switch ps.lowercased() {
            case "true", "yes", "1": d.perSeat = true
            case "false", "no", "0": d.perSeat = false
            default: throw OWError.badData("per_seat must be true or false")
            }
        }
        if let billing = value(.billing) {
            switch billing.lowercased() {
            case "usage": d.billedByUsage(true)
            case "seats": break
            default: throw OWError.badData("billing must be seats or usage")
            }
        }
        d.assigned = (value(.assigned) ?? "").split(separator: ";").map { CSV.trim(String($0)) }.filter { !$0.isEmpty }
        if Column.terms.contains(where: { value($0) != nil }) {
            var t = ContractTerms()
            t.notice = try value(.notice).map { try ContractTerms.parseSpan($0, option: "notice") }
            t.sendBy = try value(.sendBy).map { try ContractTerms.parseSpan($0, option: "send-by") }
            if let a = value(.autoRenew) {
                switch a.lowercased() {
                case "true", "yes", "1": t.autoRenew = true
                case "false", "no", "0": t.autoRenew = false
                default: throw OWError.badData("auto_renew must be true or false")
                }
            }
            t.termEnd = try date(.termEnd).map(Time.day)
            t.minimumTerm = try value(.minimumTerm).map(Period.parse)
            t.termStart = try date(.termStart).map(Time.day)
            t.then = try value(.then).map(Period.parse)
            t.leads = try value(.leads).map(ContractTerms.parseLeads)
            // An export writes auto_renew for every license: the defaults alone are no terms.
            if t != ContractTerms() { d.terms = t }
        }
        return d
    }

    /// A day as the file writes it: in `--date-format` when one is given, else YYYY-MM-DD.
    package static func day(_ text: String, dates: DateFormat?, column: String) throws -> Date {
        let iso: String
        do { iso = try dates.map { try $0.iso(text) } ?? text } catch let e as OWError { throw OWError.badData("\(column): \(e.message)") }
        guard let day = Time.parseDay(iso) else { throw OWError.usage("\(column) '\(text.prefix(20))' is not a date (YYYY-MM-DD)") }
        return day
    }

    /// Purchase lines of an export: the first is the license's own, the rest are grown seats.
    /// Their costs are line totals, even for per-seat prices, in the license's currency.
    static func applyLines(_ lines: [JSON], to d: inout LicenseDraft, dates: DateFormat?) throws {
        guard !lines.isEmpty else { return }
        let currency = d.currency ?? d.price.currency
        func line(_ j: JSON) throws -> LicenseDraft.Line {
            let seats: Int64? = j["seats"].flatMap { $0 == .null ? nil : $0.intValue }
            guard let cost = j["cost"], case .number(let c) = cost else { throw OWError.badData("a purchase line has no cost") }
            let date = try j["purchased_on"]?.stringValue.map { text -> Date in
                let iso = try dates?.iso(text) ?? text
                guard let day = Time.parseDay(iso) else { throw OWError.usage("purchase line date '\(iso)' is not a date") }
                return day
            }
            return LicenseDraft.Line(
                seats: seats, cost: try MoneyParser.parse(c, defaultCurrency: currency), order: j["order"]?.stringValue, date: date)
        }
        let first = try line(lines[0])
        d.seats = first.seats
        d.price = first.cost
        d.orderRef = first.order
        d.purchasedOn = first.date
        d.costIsLineTotal = true
        d.extraLines = try lines.dropFirst().map(line)
    }
}
