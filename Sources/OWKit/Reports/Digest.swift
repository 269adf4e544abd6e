import FoundationEssentials
import OWCore
import OWIdentity
import OWOffice
import OWRequests

/// One line of the weekly digest.
public struct DigestLine: Sendable {
    public enum Section: String, Sendable, CaseIterable {
        case renewal, decision, finding, request, reclaimable
        var heading: String {
            switch self {
            case .renewal: return "Renewals and cancel-by dates coming"
            case .decision: return "Renewal decisions pending"
            case .finding: return "New findings"
            case .request: return "Requests waiting"
            case .reclaimable: return "Reclaimable seats"
            }
        }
    }
    public let section: Section
    public let subject: String
    public let date: String?
    public let detail: String
    public let amount: Money?
}

/// `report digest`: the week in one message (issue 34) — renewals and cancel-by dates coming,
/// decisions pending, new findings, requests waiting, reclaimable seats.
public enum Digest {
    /// How far ahead renewals and decisions are listed.
    public static let ahead = Duration(count: 30, unit: .day)

    public static func lines(_ db: Database, since: Duration, today: Date) throws -> [DigestLine] {
        var out: [DigestLine] = []
        for (l, date) in try Licenses.renewals(db, within: ahead, today: today) {
            let cancelBy = l.terms?.cancelBy(date).map { "; cancel by \(Time.day($0))" } ?? ""
            out.append(DigestLine(section: .renewal, subject: l.name, date: Time.day(date), detail: "renews\(cancelBy)", amount: l.cost))
        }
        for d in try Licenses.undecided(db, within: ahead, today: today) {
            let detail = d.overdue ? "cancel-by date passed without a decision" : "no decision for the renewal on \(Time.day(d.date))"
            out.append(
                DigestLine(section: .decision, subject: d.license.name, date: Time.day(d.cancelBy ?? d.date), detail: detail, amount: nil))
        }
        let from = Time.rfc3339(since.subtracted(from: today))
        for f in try Findings.list(db, includeClosed: false, kind: nil) where f.createdAt >= from {
            out.append(
                DigestLine(
                    section: .finding, subject: "#\(f.id) \(f.vendor ?? f.kind.rawValue)", date: String(f.createdAt.prefix(10)),
                    detail: f.summary, amount: f.monthly ?? f.amount))
        }
        let waiting = try db.fetchAll(
            Request.self, Request.selectSQL + " WHERE r.status = 'pending' ORDER BY r.id")
        for r in waiting {
            out.append(
                DigestLine(
                    section: .request, subject: "#\(r.id) \(r.requester)", date: String(r.createdAt.prefix(10)),
                    detail: "\(r.kind.rawValue): \(r.summary)" + (r.status == .awaitingSecond ? " (awaiting a second approval)" : ""),
                    amount: r.cost))
        }
        for r in try SeatFindings.reclaimable(db, today: today) {
            out.append(
                DigestLine(
                    section: .reclaimable, subject: r.license.name + (r.user.map { " (\($0))" } ?? ""), date: r.lastActive,
                    detail: "\(r.seats) seat(s): \(r.why)", amount: r.monthly))
        }
        return out
    }

    /// Lines per section in the message (a chat message stays readable; the report has them all).
    static let perSection = 10

    /// The digest as one message: a title and text grouped by section.
    public static func message(_ lines: [DigestLine], org: String, today: Date) -> JSON {
        var text: [String] = []
        for section in DigestLine.Section.allCases {
            let these = lines.filter { $0.section == section }
            guard !these.isEmpty else { continue }
            text.append("\(section.heading) (\(these.count)):")
            for l in these.prefix(perSection) {
                let amount = l.amount.map { " — \($0.display)" } ?? ""
                text.append("• \(l.subject)\(l.date.map { " \($0)" } ?? ""): \(l.detail)\(amount)")
            }
            if these.count > perSection { text.append("• … and \(these.count - perSection) more: owatch report digest") }
        }
        if text.isEmpty { text.append("Nothing needs attention this week.") }
        return .obj([
            ("title", .string("owatch weekly digest for \(org), \(Time.day(today))")), ("text", .string(text.joined(separator: "\n"))),
            ("lines", .int(lines.count)),
        ])
    }

    /// The Monday of `day`'s week (ISO weeks): the digest's key, one per week and channel.
    static func weekStart(_ day: Date) -> String {
        let days = Time.split(day).days
        return Time.day(Time.date(days: days - ((days + 3) % 7 + 7) % 7))
    }

    /// Queues this week's digest for every channel that wants it and has none yet: the first
    /// run in a week (cron's `notify deliver`, or `report digest --send`) does it. Returns how many.
    @discardableResult
    public static func queueWeekly(_ session: Session, since: Duration = Duration(count: 7, unit: .day)) throws -> Int {
        let week = weekStart(session.now)
        let missing = try session.db.scalar(
            """
            SELECT count(*) FROM notify_channels c WHERE (',' || c.events || ',') LIKE '%,digest,%'
            AND NOT EXISTS (SELECT 1 FROM outbox o WHERE o.event = 'digest' AND o.subject = 'week' AND o.day = ? AND o.channel = c.name)
            """, week)
        guard missing > 0 else { return 0 }
        let payload = message(try lines(session.db, since: since, today: session.now), org: session.ledger.org, today: session.now)
        return try session.write {
            try Outbox.emit(session.db, now: session.now, event: .digest, subject: "week", day: week, payload: payload)
        }
    }
}
