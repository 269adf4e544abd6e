import FoundationEssentials
import OWCore
import OWIdentity

/// What a contract says about ending it (issue 34): the notice period, an allowance for postal
/// or notarised notice, whether it renews by itself, a fixed term's end, a minimum term and the
/// renewal cycle after it, and the license's own reminder lead times. Stored in `license_terms`.
public struct ContractTerms: Sendable, Equatable {
    /// How long before a renewal notice must reach the vendor.
    public var notice: Duration?
    /// Extra time before the notice to send it (post, notary): the cancel-by date moves earlier by it.
    public var sendBy: Duration?
    /// Tacit renewal (true, the default) or a contract that ends unless renewed expressly.
    public var autoRenew = true
    /// The end of the fixed term, YYYY-MM-DD; with auto-renewal the first renewal falls on it.
    public var termEnd: String?
    /// A minimum term counted from `termStart`; the first renewal falls at its end.
    public var minimumTerm: Period?
    public var termStart: String?
    /// The renewal cycle after the minimum term or the term end (default: the billing period).
    public var then: Period?
    /// Reminder lead times for this license (nil: config renewals.notify).
    public var leads: [Duration]?

    public init() {}

    /// The office's default lead times: `config renewals.notify` (default 30d,7d).
    public static func configuredLeads(_ ledger: Ledger) throws -> [Duration] {
        try (Config.get(ledger, "renewals.notify") ?? "30d,7d").split(separator: ",").compactMap { Duration.parse(String($0)) }
    }

    /// The lead times as written: `90d,30d`.
    public static func leadsText(_ leads: [Duration]) -> String { leads.map(\.description).joined(separator: ",") }

    /// Parses `90d,30d` (durations in days, weeks, months or years).
    public static func parseLeads(_ text: String) throws -> [Duration] {
        let parts = text.split(separator: ",").map {
            String($0.drop(while: \.isWhitespace).reversed().drop(while: \.isWhitespace).reversed())
        }
        .filter { !$0.isEmpty }
        let leads = try parts.map { p -> Duration in
            guard let d = Duration.parse(p), [.day, .week, .month, .year].contains(d.unit), d.count > 0 else {
                throw OWError.usage("a lead time is a duration such as 90d, 2w or 3m, not '\(p.prefix(20))'")
            }
            return d
        }
        guard !leads.isEmpty else { throw OWError.usage("--lead needs at least one duration, e.g. 90d,30d") }
        return leads
    }

    /// Parses a notice period or allowance: days, weeks, months or years.
    public static func parseSpan(_ text: String, option: String) throws -> Duration {
        guard let d = Duration.parse(text), [.day, .week, .month, .year].contains(d.unit) else {
            throw OWError.usage("--\(option) takes a duration such as 60d, 4w or 3m, not '\(text.prefix(20))'")
        }
        return d
    }

    /// The first date the contract renews on (or, without auto-renewal, ends on): the end of the
    /// minimum term, else the fixed term's end, else the license's renewal anchor.
    package func firstDate(anchor: String?) -> Date? {
        if let minimumTerm, minimumTerm.isRecurring, let start = termStart.flatMap(Time.parseDay) { return minimumTerm.advance(start) }
        if let end = termEnd.flatMap(Time.parseDay) { return end }
        return anchor.flatMap(Time.parseDay)
    }

    /// The rules terms keep together: a `then` cycle follows a minimum term or a term end, and
    /// the cycle renews (a one-off purchase needs one).
    func validate(period: Period) throws {
        if then != nil, minimumTerm == nil, termEnd == nil {
            throw OWError.usage("--then is the renewal cycle after a minimum term or term end; give --minimum-term or --term-end")
        }
        if let then, !then.isRecurring { throw OWError.usage("--then must be a renewal cycle such as monthly or 12m, not one-off") }
        if let minimumTerm, !minimumTerm.isRecurring { throw OWError.usage("--minimum-term must be a term such as 24m or 2y") }
        if let termEnd, Time.parseDay(termEnd) == nil { throw OWError.usage("--term-end must be a date, YYYY-MM-DD") }
    }

    /// The renewal cycle: `then`, else the billing period.
    package func cycle(_ period: Period) -> Period { then ?? period }

    /// The cancel-by date of a renewal: the renewal less the notice, less the sending allowance.
    public func cancelBy(_ renewal: Date) -> Date? {
        guard notice != nil || sendBy != nil else { return nil }
        var d = renewal
        if let notice { d = notice.subtracted(from: d) }
        if let sendBy { d = sendBy.subtracted(from: d) }
        return d
    }

    // MARK: - Storage

    package static let columns = "notice, send_by, auto_renew, term_end, minimum_term, term_start, then_period, leads"

    /// Reads the columns `columns` names from `row`, starting at index `at`; nil when the row has none.
    package static func read(_ row: Row, at i: Int, present: Bool) throws -> ContractTerms? {
        guard present else { return nil }
        var t = ContractTerms()
        t.notice = try row.optionalText(i).flatMap(Duration.parse)
        t.sendBy = try row.optionalText(i + 1).flatMap(Duration.parse)
        t.autoRenew = (try row.optionalInteger(i + 2) ?? 1) != 0
        t.termEnd = try row.optionalText(i + 3)
        t.minimumTerm = try row.optionalText(i + 4).flatMap { try? Period.parse($0) }
        t.termStart = try row.optionalText(i + 5)
        t.then = try row.optionalText(i + 6).flatMap { try? Period.parse($0) }
        t.leads = try row.optionalText(i + 7).flatMap { try? parseLeads($0) }
        return t
    }

    /// Writes the terms of a license (replacing what was there).
    func save(_ db: Database, licenseID: Int64) throws {
        try db.run(
            "INSERT OR REPLACE INTO license_terms(license_id, \(ContractTerms.columns)) VALUES (?,?,?,?,?,?,?,?,?)", licenseID,
            notice?.description, sendBy?.description, autoRenew ? 1 : 0, termEnd, minimumTerm?.description, termStart,
            then?.description, leads.map(ContractTerms.leadsText))
    }

    /// The terms as JSON, for audit events.
    package var json: JSON {
        .obj([
            ("notice", notice.map { .string($0.description) } ?? .null), ("send_by", sendBy.map { .string($0.description) } ?? .null),
            ("auto_renew", .bool(autoRenew)), ("term_end", termEnd.map(JSON.string) ?? .null),
            ("minimum_term", minimumTerm.map { .string($0.description) } ?? .null),
            ("term_start", termStart.map(JSON.string) ?? .null), ("then", then.map { .string($0.description) } ?? .null),
            ("leads", leads.map { .string(ContractTerms.leadsText($0)) } ?? .null),
        ])
    }
}

extension LicenseDraft {
    /// Writes the draft's terms for a license just written; a minimum term counts from the
    /// purchase date (or `today`) unless the terms say where it starts.
    func saveTerms(_ db: Database, licenseID: Int64, today: String) throws {
        guard var t = terms else { return }
        if t.minimumTerm != nil, t.termStart == nil { t.termStart = purchasedOn.map(Time.day) ?? today }
        try t.save(db, licenseID: licenseID)
    }
}

/// What to do at a coming renewal, recorded by `license decide` (issue 34).
public enum RenewalDecision: String, Sendable, CaseIterable {
    case keep, cancel, renegotiate
}

/// A decision recorded for one renewal of one license.
public struct Decision: Sendable {
    public let renewsOn: String
    public let decision: RenewalDecision
    public let note: String?
    public let decidedAt: String
    public let decidedBy: String
}

/// One coming renewal (or term end) and where its decision stands: `report summary`.
public struct PendingDecision: Sendable {
    public let license: License
    public let date: Date
    public let cancelBy: Date?
    /// The cancel-by date is behind today and nothing was decided.
    public let overdue: Bool
}

extension Licenses {
    /// The decision recorded for a license's renewal on `day`, if any.
    public static func decision(_ db: Database, licenseID: Int64, renewsOn day: String) throws -> Decision? {
        guard
            let row = try db.one(
                "SELECT renews_on, decision, note, decided_at, decided_by FROM license_decisions WHERE license_id = ? AND renews_on = ?",
                licenseID, day)
        else { return nil }
        return Decision(
            renewsOn: try row.text(0), decision: RenewalDecision(rawValue: try row.text(1)) ?? .keep, note: try row.optionalText(2),
            decidedAt: try row.text(3), decidedBy: try row.text(4))
    }

    /// `license decide`: records the decision for the coming renewal (or the end of a term that
    /// does not renew by itself) in the audit chain; `cancel` ends the license at that renewal.
    public static func decide(_ session: Session, _ key: String, _ decision: RenewalDecision, note: String?) throws -> (
        License, Decision, late: Bool
    ) {
        try session.write {
            let l = try get(session.db, key)
            guard l.isActive else {
                throw OWError.refused("'\(l.name)' is cancelled (it ends \(l.endsOn ?? "-")); there is nothing to decide")
            }
            let today = Time.startOfDay(session.now)
            guard let date = l.nextRenewal(onOrAfter: today) ?? l.termEnd(onOrAfter: today) else {
                throw OWError.refused(
                    "'\(l.name)' has no renewal or term end to come",
                    hint: "set one: owatch license edit \(ShellWord.quoted(l.name)) --renews DATE")
            }
            let day = Time.day(date)
            let cancelBy = l.cancelBy(onOrAfter: today)
            let late = cancelBy.map { $0 < today } ?? false
            try session.db.run(
                """
                INSERT INTO license_decisions(license_id, renews_on, decision, note, decided_at, decided_by) VALUES (?,?,?,?,?,?)
                ON CONFLICT(license_id, renews_on) DO UPDATE SET decision = excluded.decision, note = excluded.note,
                    decided_at = excluded.decided_at, decided_by = excluded.decided_by
                """, l.id, day, decision.rawValue, note, Time.rfc3339(session.now), session.actor.name)
            var details: [(String, JSON)] = [
                ("decision", .string(decision.rawValue)), ("renews_on", .string(day)),
                ("cancel_by", cancelBy.map { .string(Time.day($0)) } ?? .null), ("late", .bool(late)),
                ("note", note.map(JSON.string) ?? .null),
            ]
            if decision == .cancel, l.nextRenewal(onOrAfter: today) != nil {
                // It runs to the day before the renewal, then stops.
                let end = Time.day(Duration(count: 1, unit: .day).subtracted(from: date))
                try session.db.run("UPDATE licenses SET status = 'cancelled', ends_on = ? WHERE id = ?", end, l.id)
                details.append(("ends_on", .string(end)))
            }
            try audit(session, "license.decide", "license:\(l.name)", .obj(details))
            let d = try Licenses.decision(session.db, licenseID: l.id, renewsOn: day)!
            return (try get(session.db, String(l.id)), d, late)
        }
    }

    /// Active licenses whose coming renewal (or term end) within `within` has no decision yet,
    /// and those whose cancel-by date has passed without one; soonest first.
    public static func undecided(_ db: Database, within: Duration, today: Date) throws -> [PendingDecision] {
        let start = Time.startOfDay(today)
        let limit = within.added(to: start)
        var decided = Set<String>()
        try db.forEach("SELECT license_id, renews_on FROM license_decisions") {
            decided.insert("\(try $0.integer(0)) \(try $0.text(1))")
        }
        var out: [PendingDecision] = []
        for l in try list(db, today: today) where l.isActive {
            guard let date = l.nextRenewal(onOrAfter: start) ?? l.termEnd(onOrAfter: start) else { continue }
            guard !decided.contains("\(l.id) \(Time.day(date))") else { continue }
            let cancelBy = l.nextRenewal(onOrAfter: start).flatMap { l.terms?.cancelBy($0) }
            let overdue = cancelBy.map { $0 < start } ?? false
            guard date <= limit || overdue || (cancelBy.map { $0 <= limit } ?? false) else { continue }
            out.append(PendingDecision(license: l, date: date, cancelBy: cancelBy, overdue: overdue))
        }
        return out.sorted { ($0.cancelBy ?? $0.date, $0.license.name) < ($1.cancelBy ?? $1.date, $1.license.name) }
    }
}
