import FoundationEssentials
import OWCore
import OWIdentity

/// Writing an import: every row checked and written in one transaction, or none.
extension LicenseImport {
    /// Checks and writes every row in one transaction, or none. With `update`, a row whose
    /// name is taken updates that license in place; the outcome lists what changes.
    public static func run(
        _ session: Session, text: String, dryRun: Bool, update: Bool = false, dates: DateFormat? = nil, source: ImportSource = .owatch
    ) throws -> Outcome {
        let currency = try Currency.parse(session.ledger.currency)
        // Rows are checked as they are read and written a thousand at a time inside one
        // transaction; any bad row anywhere means it is rolled back, so nothing is half-written.
        // Rows that parse can still clash with the ledger (names taken, unknown users), so even a
        // dry run inserts inside the transaction and rolls back: the report is exactly what a real run would do.
        do {
            if text.utf8.count > 1_000_000 { try session.db.setCacheSize(mebibytes: 32) }
            return try session.write {
                try write(session, text: text, dryRun: dryRun, update: update, dates: dates, source: source, currency: currency)
            }
        } catch let done as DryRunDone {
            return done.outcome
        } catch let failure as ImportFailure {
            throw failure.refusal
        }
    }

    /// The import inside its transaction: rows checked as they are read, written a thousand at a time.
    static func write(
        _ session: Session, text: String, dryRun: Bool, update: Bool, dates: DateFormat?, source: ImportSource, currency: Currency
    ) throws -> Outcome {
        let db = session.db
        var vendors = try Vendors.index(db)
        var users = try Licenses.activeUsers(db)
        let stamp = Licenses.Stamp(session.now)
        var errors: [RowError] = []
        var seen: [String: Int] = [:]
        var pending: [(line: Int, license: LicenseDraft.Resolved)] = []
        var licenses = 0
        var seats = 0
        var updated = 0
        var unchanged = 0
        var changes: [Change] = []
        func flush() throws {
            let written = try Licenses.insert(db, pending.map(\.license), vendors: &vendors, users: &users, stamp: stamp)
            for (row, result) in zip(pending, written) {
                switch result {
                case .success:
                    licenses += 1
                    seats += row.license.draft.assigned.count
                    if update || dryRun {
                        changes.append(Change(kind: .add, license: CSV.trim(row.license.draft.name), what: asRead(row.license)))
                    }
                case .failure(let e):
                    errors.append(RowError(line: row.line, message: e.message + (update ? "" : "; --update changes existing licenses")))
                }
            }
            pending.removeAll(keepingCapacity: true)
        }
        func handle(_ row: DraftRow) throws {
            let (line, result) = row
            do {
                let d = try result.get()
                let r = try d.resolved()
                let key = CSV.trim(d.name).lowercased()
                if let first = seen[key] { throw OWError.badData("'\(d.name)' is also on line \(first)") }
                seen[key] = line
                if update, let existing = try Licenses.find(db, CSV.trim(d.name)), Int64(CSV.trim(d.name)) == nil {
                    let diff = difference(existing, r, today: session.now)
                    if diff.isEmpty {
                        unchanged += 1
                    } else {
                        try Licenses.replace(db, id: existing.id, with: r, vendors: &vendors, users: users, stamp: stamp)
                        changes.append(Change(kind: .update, license: existing.name, what: diff.joined(separator: "; ")))
                        updated += 1
                    }
                    return
                }
                pending.append((line, r))
            } catch {
                errors.append(RowError(line: line, message: (error as? OWError)?.message ?? "\(error)"))
            }
            if pending.count == 1000 { try flush() }
        }
        try forEachDraft(in: text, from: source, db: db, dates: dates, currency: currency, handle)
        try flush()
        guard errors.isEmpty else { throw ImportFailure(errors: errors) }
        guard licenses + updated + unchanged > 0 else { throw OWError.badData("no licenses in the file") }
        var outcome = Outcome(
            licenses: licenses, seats: seats, dryRun: dryRun, changes: changes, updated: updated, unchanged: unchanged)
        if licenses + updated > 0 {
            try Findings.resolveStale(db, now: session.now)  // as every license change: no finding left untrue
            try audit(session, text: text, licenses: licenses, seats: seats, updated: updated)
        }
        if dryRun { throw DryRunDone(outcome: outcome) }
        outcome.changes = changes
        return outcome
    }

    /// One import path: each format's reader makes the drafts, the same checks write them.
    static func forEachDraft(
        in text: String, from source: ImportSource, db: Database, dates: DateFormat?, currency: Currency,
        _ handle: (DraftRow) throws -> Void
    ) throws {
        switch source {
        case .owatch: try forEachDraft(in: text, dates: dates, currency: currency, handle)
        case .snipeIT(let options):
            let context = try InteropContext(db, currency: currency, dates: dates)
            try SnipeIT.rows(text, options: options, context: context).forEach(handle)
        case .wallos(let options):
            let context = try InteropContext(db, currency: currency, dates: dates)
            try Wallos.rows(text, options: options, context: context).forEach(handle)
        }
    }

    /// The import's audit event: what it wrote, and the file's hash.
    static func audit(_ session: Session, text: String, licenses: Int, seats: Int, updated: Int) throws {
        try session.audit(
            "license.import", "licenses",
            .obj([
                ("licenses", .int(licenses)), ("seats", .int(seats)), ("updated", .int(updated)),
                ("sha256", .string(Crypto.sha256Hex(text))),
            ]))
    }

    /// A new license as the row was read: vendor, plan, purchase lines with their parsed
    /// amounts, period, dates and holders ("new license: vendor miro, 5 seat(s) for 1,234.56 EUR, yearly, renews 2027-03-01").
    static func asRead(_ r: LicenseDraft.Resolved) -> String {
        let d = r.draft
        var parts = ["vendor " + CSV.trim(d.vendor)]
        if let plan = d.plan { parts.append("plan " + plan) }
        let lines = r.lines.map { "\($0.0.map { "\($0) seat(s)" } ?? "unlimited seats") for \($0.1.display)" }
        parts.append(lines.joined(separator: " + ") + (d.perSeat ? " (per seat)" : ""))
        parts.append(r.period.description)
        if let renews = d.renewsOn { parts.append("renews " + Time.day(renews)) }
        if let status = d.status, status != .active { parts.append(status.rawValue) }
        if let ends = d.endsOn { parts.append("ends " + Time.day(ends)) }
        if let owner = d.owner { parts.append("owner " + owner) }
        if !d.assigned.isEmpty { parts.append("holders " + d.assigned.joined(separator: ", ")) }
        return "new license: " + parts.joined(separator: ", ")
    }

    /// What an imported row would change of an existing license, in words.
    /// Renewals compare as `license list` shows them: the next renewal date, not the stored anchor.
    static func difference(_ l: License, _ r: LicenseDraft.Resolved, today: Date) -> [String] {
        let d = r.draft
        var out: [String] = []
        func compare(_ what: String, _ old: String?, _ new: String?) {
            let o = old ?? "-"
            let n = new ?? "-"
            if o != n { out.append("\(what) \(o) → \(n)") }
        }
        compare("vendor", l.vendor, CSV.trim(d.vendor))
        compare("plan", l.plan, d.plan)
        compare("period", l.period.description, r.period.description)
        compare("renews", l.nextRenewal(onOrAfter: Time.startOfDay(today)).map(Time.day), d.renewsOn.map(Time.day))
        compare("owner", l.owner, d.owner)
        compare("notes", l.notes, d.notes)
        compare("status", l.status.rawValue, (d.status ?? .active).rawValue)
        compare("ends", l.endsOn, d.endsOn.map(Time.day))
        compare("terms", l.terms.map { "\($0.json)" }, d.terms.map { "\($0.json)" })
        if let category = d.category { compare("category", l.category, category.lowercased()) }
        let oldLines = l.lines.map { "\($0.seats.map(String.init) ?? "unlimited")×\($0.cost.display)" }
        let newLines = r.lines.map { "\($0.0.map(String.init) ?? "unlimited")×\($0.1.display)" }
        if oldLines != newLines { out.append("purchase lines \(oldLines.joined(separator: ", ")) → \(newLines.joined(separator: ", "))") }
        let oldHolders = Set(l.holders.map { $0.lowercased() })
        let newHolders = Set(d.assigned.map { $0.lowercased() })
        if oldHolders != newHolders {
            let added = newHolders.subtracting(oldHolders).sorted().map { "+" + $0 }
            let removed = oldHolders.subtracting(newHolders).sorted().map { "-" + $0 }
            out.append("holders " + (added + removed).joined(separator: " "))
        }
        return out
    }

    package struct ImportFailure: Error {
        let errors: [RowError]

        /// The error that reports the bad rows, by line, the first hundred of them.
        var refusal: OWError {
            let sorted = errors.sorted { $0.line < $1.line }
            var e = OWError(
                .badData, "\(sorted.count) bad row(s); nothing was imported",
                hint: "fix the rows and import again; --dry-run checks without writing")
            e.details = sorted.prefix(100).map(\.description) + (sorted.count > 100 ? ["… and \(sorted.count - 100) more"] : [])
            return e
        }
    }

    package struct DryRunDone: Error { let outcome: Outcome }
}
