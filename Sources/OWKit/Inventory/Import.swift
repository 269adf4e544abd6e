import Foundation

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
    }

    /// The columns a CSV header may name (and the keys read from `license list --json`).
    enum Column: Int, CaseIterable {
        case name, vendor, plan, seats, cost, currency, period, renews_on, owner, assigned, category, per_seat, notes, order, purchased_on
        static let required: [Column] = [.name, .vendor, .seats, .cost]
        var key: String { String(describing: self) }
        init?(key: String) {
            guard let c = Column.allCases.first(where: { $0.key == key }) else { return nil }
            self = c
        }
    }

    typealias DraftRow = (line: Int, draft: Result<LicenseDraft, OWError>)

    /// Reads drafts from file text, one at a time; JSON when it starts with `[`, CSV otherwise.
    static func forEachDraft(in text: String, _ body: (DraftRow) throws -> Void) throws {
        let trimmed = text.drop(while: { $0.isWhitespace || $0 == "\u{FEFF}" })
        if trimmed.first == "[" {
            try fromJSON(String(trimmed)).forEach(body)
        } else {
            try fromCSV(text, body)
        }
    }

    /// CSV rows become drafts as they are read; only the drafts' checked forms are kept.
    static func fromCSV(_ text: String, _ body: (DraftRow) throws -> Void) throws {
        var width = 0
        // Where each known column is in a row, from the header: no name is looked up per row.
        var position = [Int?](repeating: nil, count: Column.allCases.count)
        try CSV.forEachRecord(text) { rec in
            guard width > 0 else {
                let names = rec.fields.map { CSV.trim($0).lowercased() }
                for (i, n) in names.enumerated() {
                    guard let column = Column(key: n) else {
                        throw OWError.badData("line 1: unknown column '\(n.prefix(40))'",
                                              hint: "columns: \(Column.allCases.map(\.key).sorted().joined(separator: ", "))")
                    }
                    if position[column.rawValue] != nil { throw OWError.badData("line 1: a column is named twice") }
                    position[column.rawValue] = i
                }
                if let missing = Column.required.first(where: { position[$0.rawValue] == nil }) {
                    throw OWError.badData("line 1: the header has no '\(missing.key)' column")
                }
                width = names.count
                return
            }
            try body((rec.line, Result {
                guard rec.fields.count == width else {
                    throw OWError.badData("expected \(width) fields, found \(rec.fields.count)")
                }
                return try draft { column in position[column.rawValue].map { CSV.trim(rec.fields[$0]) } }
            }.mapError { ($0 as? OWError) ?? OWError.badData("\($0)") }))
        }
        if width == 0 { throw OWError.badData("the file is empty; expected a header row") }
    }

    /// A draft from one row; `field` gives a column's text (nil when the file has no such column).
    static func draft(_ field: (Column) -> String?) throws -> LicenseDraft {
        func value(_ c: Column) -> String? { field(c).flatMap { $0.isEmpty ? nil : $0 } }
        guard let name = value(.name) else { throw OWError.badData("name is empty") }
        guard let vendor = value(.vendor) else { throw OWError.badData("vendor is empty") }
        guard let seatsText = value(.seats) else { throw OWError.badData("seats is empty") }
        guard let cost = value(.cost) else { throw OWError.badData("cost is empty") }
        var d = LicenseDraft(name: name, vendor: vendor, seats: try LicenseDraft.parseSeats(seatsText), cost: cost)
        d.plan = value(.plan); d.currency = value(.currency); d.period = value(.period) ?? "monthly"
        d.renewsOn = value(.renews_on); d.owner = value(.owner); d.category = value(.category); d.notes = value(.notes)
        d.orderRef = value(.order); d.purchasedOn = value(.purchased_on)
        if let ps = value(.per_seat) {
            switch ps.lowercased() {
            case "true", "yes", "1": d.perSeat = true
            case "false", "no", "0": d.perSeat = false
            default: throw OWError.badData("per_seat must be true or false")
            }
        }
        d.assigned = (value(.assigned) ?? "").split(separator: ";").map { CSV.trim(String($0)) }.filter { !$0.isEmpty }
        return d
    }

    /// The JSON of `license list --json`: each object's `lines` rebuild its purchase lines exactly.
    static func fromJSON(_ text: String) throws -> [DraftRow] {
        let doc: JSON
        do { doc = try JSON.parse(text, maxDepth: 8) } catch let e as OWError { throw OWError.badData(e.message) }
        guard let items = doc.arrayValue else { throw OWError.badData("expected a JSON array of licenses") }
        return items.enumerated().map { index, item in
            (index + 1, Result {
                guard item.members != nil else { throw OWError.badData("item \(index + 1) is not an object") }
                func str(_ k: String) -> String? {
                    switch item[k] {
                    case .string(let s)?: return s.isEmpty ? nil : s
                    case .number(let n)?: return n
                    case .bool(let b)?: return b ? "true" : "false"
                    default: return nil
                    }
                }
                var d = try draft { column in
                    switch column {
                    case .seats: return item["unlimited"]?.boolValue == true ? "unlimited" : str("seats")
                    case .assigned: return item["assigned_to"]?.arrayValue?.compactMap(\.stringValue).joined(separator: ";")
                    default: return str(column.key)
                    }
                }
                // Purchase lines: the first is the license's own; the rest are grown seats.
                if let lines = item["lines"]?.arrayValue, !lines.isEmpty {
                    func line(_ j: JSON) throws -> (Int64?, String, String?, String?) {
                        let seats: Int64? = j["seats"].flatMap { $0 == .null ? nil : $0.intValue }
                        guard let cost = j["cost"], case .number(let c) = cost else { throw OWError.badData("a purchase line has no cost") }
                        return (seats, c, j["order"]?.stringValue, j["purchased_on"]?.stringValue)
                    }
                    let first = try line(lines[0])
                    d.seats = first.0; d.cost = first.1; d.orderRef = first.2; d.purchasedOn = first.3
                    d.costIsLineTotal = true   // exported line costs are totals, even for per-seat prices
                    d.extraLines = try lines.dropFirst().map { let l = try line($0); return (seats: l.0, cost: l.1, order: l.2, date: l.3) }
                }
                return d
            }.mapError { ($0 as? OWError) ?? OWError.badData("\($0)") })
        }
    }

    /// Checks and writes every row in one transaction, or none.
    public static func run(_ session: Session, text: String, dryRun: Bool) throws -> Outcome {
        let currency = try Currency.parse(session.ledger.currency)
        // Rows are checked as they are read and written a thousand at a time inside one
        // transaction; any bad row anywhere means it is rolled back, so nothing is half-written.
        let write = {
            let db = session.db
            var vendors = try Vendors.index(db)
            var users = try Licenses.activeUsers(db)
            let stamp = Licenses.Stamp(session.now)
            var errors: [RowError] = []
            var seen: [String: Int] = [:]
            var pending: [(line: Int, license: LicenseDraft.Resolved)] = []
            var licenses = 0, seats = 0, renewing = false
            func flush() throws {
                let written = try Licenses.insert(db, pending.map(\.license), vendors: &vendors, users: &users, stamp: stamp)
                for (row, result) in zip(pending, written) {
                    switch result {
                    case .success: licenses += 1; seats += row.license.draft.assigned.count
                    case .failure(let e): errors.append(RowError(line: row.line, message: e.message))
                    }
                }
                pending.removeAll(keepingCapacity: true)
            }
            try forEachDraft(in: text) { line, result in
                do {
                    let d = try result.get()
                    let r = try d.resolved(defaultCurrency: currency)
                    let key = CSV.trim(d.name).lowercased()
                    if let first = seen[key] { throw OWError.badData("'\(d.name)' is also on line \(first)") }
                    seen[key] = line
                    renewing = renewing || d.renewsOn != nil
                    pending.append((line, r))
                } catch {
                    errors.append(RowError(line: line, message: (error as? OWError)?.message ?? "\(error)"))
                }
                if pending.count == 1000 { try flush() }
            }
            try flush()
            guard errors.isEmpty else { throw ImportFailure(errors: errors) }
            guard licenses > 0 else { throw OWError.badData("no licenses in the file") }
            if renewing { try Housekeeping.renewalsChanged(db) }
            try session.audit("license.import", "licenses", .obj([("licenses", .int(licenses)), ("seats", .int(seats)),
                                                                 ("sha256", .string(Crypto.sha256Hex(text)))]))
            if dryRun { throw DryRunDone(outcome: Outcome(licenses: licenses, seats: seats, dryRun: true)) }
            return Outcome(licenses: licenses, seats: seats, dryRun: false)
        }
        // Rows that parse can still clash with the ledger (names taken, unknown users), so even a
        // dry run inserts inside the transaction and rolls back: the report is exactly what a real run would do.
        do {
            if text.utf8.count > 1_000_000 { try session.db.setCacheSize(mebibytes: 32) }
            return try session.write(write)
        } catch let done as DryRunDone {
            return done.outcome
        } catch let failure as ImportFailure {
            let sorted = failure.errors.sorted { $0.line < $1.line }
            var e = OWError(.badData, "\(sorted.count) bad row(s); nothing was imported", hint: "fix the rows and import again; --dry-run checks without writing")
            e.details = sorted.prefix(100).map(\.description) + (sorted.count > 100 ? ["… and \(sorted.count - 100) more"] : [])
            throw e
        }
    }

    struct ImportFailure: Error { let errors: [RowError] }
    struct DryRunDone: Error { let outcome: Outcome }
}
