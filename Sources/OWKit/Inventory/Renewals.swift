import FoundationEssentials
import OWCore
import OWIdentity

/// Work any command does on its way out: renewal reminders whose moment has passed.
public enum Housekeeping {
    static let nextCheckKey = "renewals.next_check"

    // Every write that can move a renewal clears it, by triggers (schema migration 9), so the
    // next command looks again.
    /// Fires `license-renewing` once per license, renewal date and lead time
    /// (`config renewals.notify`, default `30d,7d`) once the lead moment has passed.
    /// Costs one small read unless a reminder may be due. Returns hook warnings.
    public static func renewalReminders(_ session: Session) -> [String] {
        guard session.actor.role == .admin || session.actor.role == .scanner, !session.db.isReadOnly else { return [] }
        let today = Time.startOfDay(session.now)
        do {
            if let next = try session.db.one("SELECT value FROM meta WHERE key = ?", nextCheckKey)?.text("value"),
                let date = Time.parseDay(next), date > today
            {
                return []
            }
            let leads = try ContractTerms.configuredLeads(session.ledger)
            var fired: [JSON] = []
            try session.write {
                var nextCheck: Date?
                func later(_ d: Date) { if nextCheck.map({ d < $0 }) ?? true { nextCheck = d } }
                // Only the columns renewal dates come from: after an import this reads every license.
                var periods: [String: Period] = [:]
                let dated = try session.db.query(
                    """
                    SELECT l.id, l.period, l.renews_on, l.ends_on, t.license_id, \(ContractTerms.columns)
                    FROM licenses l LEFT JOIN license_terms t ON t.license_id = l.id
                    WHERE l.renews_on IS NOT NULL OR t.license_id IS NOT NULL
                    """)
                for row in dated {
                    let terms = try ContractTerms.read(row, at: 5, present: try row.optionalInteger(4) != nil)
                    let period = Period.stored(try row.text(1), cache: &periods)
                    let anchor = try row.optionalText(2)
                    // The day that matters: the cancel-by date when the contract has a notice period,
                    // else the renewal; a contract that does not renew by itself: the day it ends.
                    // The cancel-by date is part of the notice's key, so moving it re-arms the reminders.
                    let target: (renews: Date, due: Date, cancelBy: Date?)
                    if let date = License.nextRenewal(
                        period: period, anchor: anchor, endsOn: try row.optionalText(3), terms: terms, onOrAfter: today)
                    {
                        let cancelBy = terms?.cancelBy(date)
                        target = (date, cancelBy ?? date, cancelBy)
                    } else if try row.optionalText(3) == nil, let end = License.termEnd(anchor: anchor, terms: terms, onOrAfter: today) {
                        target = (end, end, nil)
                    } else {
                        continue
                    }
                    later(Duration(count: 1, unit: .day).added(to: target.renews))  // it rolls forward after that
                    for lead in terms?.leads ?? leads {
                        let moment = lead.subtracted(from: target.due)
                        guard moment <= today else {
                            later(moment)
                            continue
                        }
                        // A cancel-by date missed altogether is not announced as coming.
                        if target.cancelBy != nil, target.due < today { continue }
                        let renews = Time.day(target.renews)
                        let key = lead.description + (target.cancelBy.map { " cancel-by \(Time.day($0))" } ?? "")
                        try session.db.run(
                            "INSERT OR IGNORE INTO renewal_notices(license_id, renews_on, lead, fired_at) VALUES (?,?,?,?)",
                            row.integer(0), renews, key, Time.rfc3339(session.now))
                        guard session.db.changes == 1 else { continue }
                        let license = try Licenses.get(session.db, String(row.integer(0)))
                        let cancelBy: JSON = target.cancelBy.map { .string(Time.day($0)) } ?? .null
                        try session.audit(
                            "license.renewing", "license:\(license.name)",
                            .obj([("renews_on", .string(renews)), ("lead", .string(lead.description)), ("cancel_by", cancelBy)]))
                        let event = reminder(
                            license, renews: target.renews, today: today, lead: lead, cancelBy: cancelBy,
                            autoRenew: terms?.autoRenew ?? true)
                        fired.append(event)
                        // The outbox's copy, keyed by the day that matters: a moved date is a new key.
                        try Outbox.emit(
                            session.db, now: session.now, event: target.cancelBy == nil ? .renewal : .cancelBy,
                            subject: "license:\(license.id)",
                            day: Time.day(target.due), lead: lead.description, payload: event)
                    }
                }
                try session.db.run(
                    "INSERT INTO meta(key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                    nextCheckKey, Time.day(nextCheck ?? Duration(count: 1, unit: .year).added(to: today)))
            }
            return fired.compactMap { Hooks.run("license-renewing", payload: $0, ledger: session.ledger).warning }
        } catch {
            return ["renewal reminders skipped: \((error as? OWError)?.message ?? "\(error)")"]
        }
    }

    /// The `license-renewing` hook's event, which the outbox carries too: the renewal's row as
    /// `license renewals --json` has it (one declaration, `License.Due.shape`), with what the
    /// reminder adds (`event`, `lead`, `auto_renew`; `cancel_by` is this reminder's, null for the
    /// reminder of the renewal itself) and the keys hooks were first given (`license` for the name,
    /// `license_id`, `cost`, `cost_minor`).
    static func reminder(_ license: License, renews: Date, today: Date, lead: Duration, cancelBy: JSON, autoRenew: Bool) -> JSON {
        let row = Exporter.flatten(License.Due.shape.record(License.Due(license: license, date: renews, today: today)))
        let own: [(String, JSON)] = [
            ("cancel_by", cancelBy), ("lead", .string(lead.description)), ("auto_renew", .bool(autoRenew)),
            ("license", .string(license.name)), ("license_id", .int(license.id)),
            ("cost", .number(license.cost.decimal)), ("cost_minor", .int(license.cost.minor)),
        ]
        let ownKeys = Set(own.map(\.0))
        return .obj([("event", .string("license-renewing"))] + row.filter { !ownKeys.contains($0.0) } + own)
    }
}
