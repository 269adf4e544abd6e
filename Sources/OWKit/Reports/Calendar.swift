import FoundationEssentials

/// `report calendar`: an RFC 5545 calendar of renewals, cancel-by dates, term ends and approved
/// leave (issue 34). All-day events with stable UIDs; DTSTAMP is the time of the ledger's last
/// change, so an unchanged ledger gives a byte-identical file on the same day (cron plus any static
/// web server make it a subscribable feed). Employees get their own leave only.
public enum OfficeCalendar {
    /// One all-day event: from `day` through `last`.
    struct Event {
        let uid: String
        let day: Date
        let last: Date
        let summary: String
        let description: String
        let category: String
    }

    /// The calendar text (CRLF lines, folded at 75 octets) and its number of events.
    public static func build(_ session: Session, within: Duration, today: Date) throws -> (text: String, events: Int) {
        let start = Time.startOfDay(today)
        let limit = within.added(to: start)
        let host = session.ledger.id
        var events: [Event] = []
        let oneDay = Duration(count: 1, unit: .day)
        if session.actor.role == .admin {
            for l in try Licenses.list(session.db, today: today) where l.isActive || l.endsOn != nil {
                let what = "\(l.name) (\(l.vendor)\(l.plan.map { ", " + $0 } ?? ""))"
                var from = start
                var guardCount = 0
                // Every renewal in the window; a weekly contract over a year is 52 events.
                while let renewal = l.nextRenewal(onOrAfter: from), renewal <= limit, guardCount < 2000 {
                    guardCount += 1
                    let day = Time.day(renewal).replacing("-", with: "")
                    events.append(
                        Event(
                            uid: "renewal-\(l.id)-\(day)@\(host)", day: renewal, last: renewal, summary: "Renews: \(what)",
                            description: "\(l.name) renews for \(l.cost.display) (\(l.period.description))."
                                + (l.owner.map { "\nOwner: \($0)" } ?? ""), category: "renewal"))
                    if let cancelBy = l.terms?.cancelBy(renewal), cancelBy >= start {
                        let notice = [l.terms?.notice?.description, l.terms?.sendBy.map { "+ \($0.description) to send it" }]
                            .compactMap { $0 }.joined(separator: " ")
                        events.append(
                            Event(
                                uid: "cancel-by-\(l.id)-\(day)@\(host)", day: cancelBy, last: cancelBy, summary: "Cancel by: \(what)",
                                description: "Last day to give notice (\(notice)) before \(l.name) renews on \(Time.day(renewal)) "
                                    + "for \(l.cost.display).", category: "cancel-by"))
                    }
                    from = oneDay.added(to: renewal)
                }
                let end =
                    l.isActive ? l.termEnd(onOrAfter: start) : l.endsOn.flatMap(Time.parseDay).flatMap { $0 >= start ? $0 : nil }
                if let end, end <= limit {
                    events.append(
                        Event(
                            uid: "term-end-\(l.id)-\(Time.day(end).replacing("-", with: ""))@\(host)", day: end, last: end,
                            summary: "Ends: \(what)", description: "\(l.name) ends on \(Time.day(end)) unless renewed.",
                            category: "term-end"))
                }
            }
        }
        // Approved leave: everyone's for an admin, one's own for an employee.
        let own = session.actor.role == .admin ? nil : session.actor.name
        let leave = try session.db.query(
            """
            SELECT r.id, u.name, r.leave_from, r.leave_to, r.leave_type FROM requests r JOIN users u ON u.id = r.requester_id
            WHERE r.kind = 'leave' AND r.status = 'approved' AND r.leave_to >= ?1 AND r.leave_from <= ?2 AND (?3 IS NULL OR u.name = ?3)
            ORDER BY r.id
            """, Time.day(start), Time.day(limit), own)
        for row in leave {
            guard let from = Time.parseDay(try row.text(2)), let to = Time.parseDay(try row.text(3)) else { continue }
            let who = try row.text(1)
            let type = try row.optionalText(4) ?? "leave"
            let id = try row.integer(0)
            events.append(
                Event(
                    uid: "leave-\(id)@\(host)", day: from, last: to, summary: "\(who): \(type)",
                    description: "\(who) is away (\(type)) from \(Time.day(from)) to \(Time.day(to)), request #\(id).",
                    category: "leave"))
        }
        events.sort { ($0.day, $0.uid) < ($1.day, $1.uid) }
        // The ledger's last change (reminders fired by commands change nothing shown here).
        let stamp =
            try session.db.one("SELECT time FROM events WHERE action <> 'license.renewing' ORDER BY seq DESC LIMIT 1")?.text(0)
            ?? Time.rfc3339(start)
        var lines = [
            "BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//owatch//owatch//EN", "CALSCALE:GREGORIAN", "METHOD:PUBLISH",
            "X-WR-CALNAME:" + escape(session.ledger.org),
        ]
        let dtstamp = basicTime(stamp)
        for e in events {
            lines += [
                "BEGIN:VEVENT", "UID:" + escape(e.uid), "DTSTAMP:" + dtstamp, "DTSTART;VALUE=DATE:" + basicDay(e.day),
                "DTEND;VALUE=DATE:" + basicDay(oneDay.added(to: e.last)), "SUMMARY:" + escape(e.summary),
                "DESCRIPTION:" + escape(e.description), "CATEGORIES:" + escape(e.category), "TRANSP:TRANSPARENT", "END:VEVENT",
            ]
        }
        lines.append("END:VCALENDAR")
        return (lines.map(fold).joined(separator: "\r\n") + "\r\n", events.count)
    }

    static func basicDay(_ d: Date) -> String { Time.day(d).replacing("-", with: "") }

    /// `2026-12-07T00:43:55Z` as `20261207T004355Z` (fractions of a second dropped).
    static func basicTime(_ rfc3339: String) -> String {
        let digits = rfc3339.prefix(19).filter { $0 != "-" && $0 != ":" }
        return digits + "Z"
    }

    /// TEXT escaping (RFC 5545 §3.3.11): backslash, semicolon, comma and newlines; other control
    /// characters are not allowed in a content line and are left out.
    static func escape(_ text: String) -> String {
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
