import FoundationEssentials
import OWCore
import OWIdentity
import OWOffice

/// `report calendar`: an RFC 5545 calendar of renewals, cancel-by dates, term ends, trial ends and
/// approved leave (issue 34). All-day events with stable UIDs. A license's renewals are one event
/// with an RRULE (so is its cancel-by date where a rule can say it exactly; otherwise each date in
/// the window is its own event), with one VALARM per reminder lead time on the day reminders count
/// to. DTSTAMP is the time of the ledger's last change, so an unchanged ledger gives a
/// byte-identical file until an event enters or leaves the window (cron plus any static web server
/// make it a subscribable feed). Employees get their own leave only.
public enum OfficeCalendar {
    /// One all-day event: from `day` through `last`, repeating by `rule` when set.
    package struct Event {
        let uid: String
        package let day: Date
        package let last: Date
        package let summary: String
        package let description: String
        package let category: String
        var rule: String? = nil
        var alarms: [Duration] = []
    }

    static let oneDay = Duration(count: 1, unit: .day)

    /// The calendar text (CRLF lines, folded at 75 octets) and its number of events.
    public static func build(_ session: Session, within: Duration, today: Date) throws -> (text: String, events: Int) {
        let start = Time.startOfDay(today)
        let limit = within.added(to: start)
        let host = session.ledger.id
        var events: [Event] = []
        if session.actor.role == .admin {
            let leads = try ContractTerms.configuredLeads(session.ledger)
            for l in try Licenses.list(session.db, today: today) where l.isActive || l.endsOn != nil {
                events += contractEvents(l, start: start, limit: limit, host: host, leads: l.terms?.leads ?? leads)
            }
            events += try trialEvents(session.db, start: start, limit: limit, host: host)
        }
        events += try leaveEvents(session, start: start, limit: limit, host: host)
        events.sort { ($0.day, $0.uid) < ($1.day, $1.uid) }
        // The ledger's last change (reminders fired by commands change nothing shown here).
        let stamp =
            try session.db.one("SELECT time FROM events WHERE action <> 'license.renewing' ORDER BY seq DESC LIMIT 1")?.text(0)
            ?? Time.rfc3339(start)
        return (render(events, name: session.ledger.org, stamp: basicTime(stamp)), events.count)
    }

    /// A license's renewals, cancel-by dates and term end that fall in the window.
    static func contractEvents(_ l: License, start: Date, limit: Date, host: String, leads: [Duration]) -> [Event] {
        let what = "\(l.name) (\(l.vendor)\(l.plan.map { ", " + $0 } ?? ""))"
        var events: [Event] = []
        let hasCancelBy = l.terms.map { $0.notice != nil || $0.sendBy != nil } ?? false
        // Reminders count to the cancel-by date when there is one, else to the renewal (as Housekeeping does).
        if let series = RenewalSeries(l), let next = l.nextRenewal(onOrAfter: start), next <= limit {
            events.append(
                Event(
                    uid: "renewal-\(l.id)@\(host)", day: series.first, last: series.first, summary: "Renews: \(what)",
                    description: "\(l.name) renews for \(l.cost.display) (\(series.cycle.description))."
                        + (l.owner.map { "\nOwner: \($0)" } ?? ""), category: "renewal", rule: series.rule,
                    alarms: hasCancelBy ? [] : leads))
        }
        if let terms = l.terms, hasCancelBy {
            events += cancelByEvents(l, terms: terms, what: what, start: start, limit: limit, host: host, leads: leads)
        }
        let end = l.isActive ? l.termEnd(onOrAfter: start) : l.endsOn.flatMap(Time.parseDay).flatMap { $0 >= start ? $0 : nil }
        if let end, end <= limit {
            events.append(
                Event(
                    uid: "term-end-\(l.id)-\(basicDay(end))@\(host)", day: end, last: end, summary: "Ends: \(what)",
                    description: "\(l.name) ends on \(Time.day(end)) unless renewed.", category: "term-end",
                    alarms: l.isActive ? leads : []))
        }
        return events
    }

    /// The cancel-by dates in the window: one recurring event when a rule says them exactly (the
    /// notice shifts every renewal to the same place in its cycle), else one event per date.
    static func cancelByEvents(
        _ l: License, terms: ContractTerms, what: String, start: Date, limit: Date, host: String, leads: [Duration]
    ) -> [Event] {
        var dates: [(cancelBy: Date, renewal: Date)] = []
        var from = start
        while let renewal = l.nextRenewal(onOrAfter: from), let cancelBy = terms.cancelBy(renewal), cancelBy <= limit,
            dates.count < 2000
        {
            if cancelBy >= start { dates.append((cancelBy, renewal)) }
            from = oneDay.added(to: renewal)
        }
        guard !dates.isEmpty else { return [] }
        let notice = [terms.notice?.description, terms.sendBy.map { "+ \($0.description) to send it" }].compactMap { $0 }
            .joined(separator: " ")
        if let series = RenewalSeries(l), let rule = series.cancelByRule(terms), let first = terms.cancelBy(series.first) {
            return [
                Event(
                    uid: "cancel-by-\(l.id)@\(host)", day: first, last: first, summary: "Cancel by: \(what)",
                    description: "Last day to give notice (\(notice)) before \(l.name) renews for \(l.cost.display) "
                        + "(\(series.cycle.description)).", category: "cancel-by", rule: rule, alarms: leads)
            ]
        }
        return dates.map { d in
            Event(
                uid: "cancel-by-\(l.id)-\(basicDay(d.renewal))@\(host)", day: d.cancelBy, last: d.cancelBy, summary: "Cancel by: \(what)",
                description: "Last day to give notice (\(notice)) before \(l.name) renews on \(Time.day(d.renewal)) "
                    + "for \(l.cost.display).", category: "cancel-by", alarms: leads)
        }
    }

    /// Trials a scan found (open `trial` findings) that end in the window: the day they turn paid.
    static func trialEvents(_ db: Database, start: Date, limit: Date, host: String) throws -> [Event] {
        let rows = try db.query(
            "SELECT id, COALESCE(vendor, ''), dedupe_key FROM findings WHERE kind = 'trial' AND status = 'open' ORDER BY id")
        return try rows.compactMap { row in
            // The key is trial:VENDOR:DAY (Matcher.recordTrial).
            let key = try row.text(2)
            guard let dayText = key.split(separator: ":").last, let day = Time.parseDay(String(dayText)), day >= start, day <= limit
            else { return nil }
            let vendor = try row.text(1)
            return Event(
                uid: "trial-\(try row.integer(0))@\(host)", day: day, last: day, summary: "Trial ends: \(vendor)",
                description:
                    "\(vendor)'s trial ends on \(Time.day(day)) and turns paid then unless cancelled (finding #\(try row.integer(0))).",
                category: "trial")
        }
    }

    /// Approved leave: everyone's for an admin, one's own for an employee.
    static func leaveEvents(_ session: Session, start: Date, limit: Date, host: String) throws -> [Event] {
        let own = session.actor.role == .admin ? nil : session.actor.name
        let leave = try session.db.query(
            """
            SELECT r.id, u.name, r.leave_from, r.leave_to, r.leave_type FROM requests r JOIN users u ON u.id = r.requester_id
            WHERE r.kind = 'leave' AND r.status = 'approved' AND r.leave_to >= ?1 AND r.leave_from <= ?2 AND (?3 IS NULL OR u.name = ?3)
            ORDER BY r.id
            """, Time.day(start), Time.day(limit), own)
        return try leave.compactMap { row in
            guard let from = Time.parseDay(try row.text(2)), let to = Time.parseDay(try row.text(3)) else { return nil }
            let who = try row.text(1)
            let type = try row.optionalText(4) ?? "leave"
            let id = try row.integer(0)
            return Event(
                uid: "leave-\(id)@\(host)", day: from, last: to, summary: "\(who): \(type)",
                description: "\(who) is away (\(type)) from \(Time.day(from)) to \(Time.day(to)), request #\(id).", category: "leave")
        }
    }

    static func render(_ events: [Event], name: String, stamp: String) -> String {
        var lines = [
            "BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//owatch//owatch//EN", "CALSCALE:GREGORIAN", "METHOD:PUBLISH",
            "X-WR-CALNAME:" + escape(name),
        ]
        for e in events {
            lines += [
                "BEGIN:VEVENT", "UID:" + escape(e.uid), "DTSTAMP:" + stamp, "DTSTART;VALUE=DATE:" + basicDay(e.day),
                "DTEND;VALUE=DATE:" + basicDay(oneDay.added(to: e.last)),
            ]
            if let rule = e.rule { lines.append("RRULE:" + rule) }
            lines += ["SUMMARY:" + escape(e.summary), "DESCRIPTION:" + escape(e.description), "CATEGORIES:" + escape(e.category)]
            lines.append("TRANSP:TRANSPARENT")
            for lead in e.alarms {
                lines += [
                    "BEGIN:VALARM", "ACTION:DISPLAY", "TRIGGER:" + trigger(lead),
                    "DESCRIPTION:" + escape("\(e.summary) (in \(lead.description))"), "END:VALARM",
                ]
            }
            lines.append("END:VEVENT")
        }
        lines.append("END:VCALENDAR")
        return lines.map(fold).joined(separator: "\r\n") + "\r\n"
    }

    /// A lead time as an alarm trigger before the event. RFC 5545 durations have no months or
    /// years, so a lead of months counts 30 days a month and one of years 365 days a year.
    static func trigger(_ lead: Duration) -> String {
        switch lead.unit {
        case .week: return "-P\(lead.count)W"
        case .month: return "-P\(30 * lead.count)D"
        case .year: return "-P\(365 * lead.count)D"
        case .day: return "-P\(lead.count)D"
        default: return "-PT\(lead.seconds)S"
        }
    }

    static func basicDay(_ d: Date) -> String { Time.day(d).removingByte(UInt8(ascii: "-")) }

    /// `2026-12-07T00:43:55Z` as `20261207T004355Z` (fractions of a second dropped).
    static func basicTime(_ rfc3339: String) -> String {
        let digits = rfc3339.prefix(19).filter { $0 != "-" && $0 != ":" }
        return digits + "Z"
    }

    /// TEXT escaping (RFC 5545 §3.3.11): backslash, semicolon, comma and newlines; other control
    /// characters are not allowed in a content line and are left out.
    package static func escape(_ text: String) -> String {
        var out = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\\": out += "\\\\"
            case ";": out += "\\;"
            case ",": out += "\\,"
            case "\n": out += "\\n"
            case "\r": continue
            default:
                if scalar.value < 0x20 || scalar.value == 0x7F { continue }
                out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    /// Folds a content line at 75 octets (RFC 5545 §3.1): CRLF and a space, never inside a UTF-8 sequence.
    static func fold(_ line: String) -> String {
        let bytes = Array(line.utf8)
        guard bytes.count > 75 else { return line }
        var parts: [[UInt8]] = []
        var i = 0
        var room = 75
        while i < bytes.count {
            var end = min(i + room, bytes.count)
            // Back off continuation bytes (10xxxxxx) so a character stays whole.
            while end < bytes.count, end > i, bytes[end] & 0xC0 == 0x80 { end -= 1 }
            parts.append(Array(bytes[i..<end]))
            i = end
            room = 74  // after the leading space
        }
        return parts.map { String(decoding: $0, as: UTF8.self) }.joined(separator: "\r\n ")
    }
}

/// A license's renewals as one series: the first renewal, the cycle and the last day one may fall
/// on; and the RFC 5545 rule that repeats it exactly as owatch's date arithmetic does.
package struct RenewalSeries {
    package let first: Date
    let cycle: Period
    let until: Date?

    package init?(_ l: License) {
        let until = l.endsOn.flatMap(Time.parseDay)
        if let terms = l.terms {
            guard terms.autoRenew, let first = terms.firstDate(anchor: l.anchor) else { return nil }
            (self.first, cycle, self.until) = (first, terms.cycle(l.period), until)
        } else {
            guard l.period.isRecurring, let anchor = l.anchor.flatMap(Time.parseDay) else { return nil }
            (first, cycle, self.until) = (anchor, l.period, until)
        }
    }

    /// The renewals' RRULE; nil for a single renewal (a cycle that does not repeat).
    /// owatch steps months from the first date and clamps the day to the month's last, which
    /// `BYMONTHDAY=28,…,d;BYSETPOS=-1` says exactly (the latest of those days the month has).
    var rule: String? { Self.rule(cycle, first: first, until: until) }

    static func rule(_ cycle: Period, first: Date, until: Date?) -> String? {
        guard cycle.isRecurring, let n = cycle.count else { return nil }
        let (month, day) = monthAndDay(first)
        var parts: [String]
        switch cycle.unit {
        case .week: parts = ["FREQ=WEEKLY"]
        case .month:
            parts = ["FREQ=MONTHLY"]
            if day > 28 { parts += ["BYMONTHDAY=" + (28...day).map(String.init).joined(separator: ","), "BYSETPOS=-1"] }
        case .year:
            parts = ["FREQ=YEARLY"]
            if month == 2 && day == 29 { parts += ["BYMONTH=2", "BYMONTHDAY=28,29", "BYSETPOS=-1"] }
        }
        if n > 1 { parts.append("INTERVAL=\(n)") }
        if let until { parts.append("UNTIL=" + OfficeCalendar.basicDay(until)) }
        return parts.joined(separator: ";")
    }

    /// The cancel-by dates' rule, when the notice moves every renewal to the same place in its
    /// cycle: days or weeks before a weekly renewal, or whole months or years before a renewal
    /// on day 1–28 (no month end to clamp). Otherwise nil: each date is its own event.
    func cancelByRule(_ terms: ContractTerms) -> String? {
        let shifts = [terms.notice, terms.sendBy].compactMap { $0 }
        guard !shifts.isEmpty, let first = terms.cancelBy(first) else { return nil }
        let byDays = shifts.allSatisfy { $0.unit == .day || $0.unit == .week }
        let byMonths = shifts.allSatisfy { $0.unit == .month || $0.unit == .year }
        let regular =
            (byDays && cycle.unit == .week)
            || (byMonths && cycle.unit != .week && Self.monthAndDay(self.first).day <= 28)
        guard regular else { return nil }
        return Self.rule(cycle, first: first, until: until.flatMap { terms.cancelBy($0) })
    }

    static func monthAndDay(_ d: Date) -> (month: Int, day: Int) {
        let parts = Time.day(d).split(separator: "-").compactMap { Int($0) }
        return parts.count == 3 ? (parts[1], parts[2]) : (1, 1)
    }
}
