import FoundationEssentials
import OWCore
import OWIdentity
import OWOffice

/// Leave: working days (Monday–Friday minus configured holidays), a yearly allowance in days
/// (halves allowed), and balances that approved and pending vacation both draw on.
/// Amounts are kept in half-days so a half day is exact.
public enum Leave {
    public enum Kind: String, CaseIterable, Sendable { case vacation, sick, unpaid }

    /// Working days from `from` to `to` inclusive, per year, in half-days.
    package static func workingHalfDays(from: Date, to: Date, holidays: Set<String>) -> [Int: Int] {
        var out: [Int: Int] = [:]
        var day = Time.split(from).days
        let last = Time.split(to).days
        while day <= last {
            // 1970-01-01 was a Thursday: (days + 3) % 7 gives 0 for Monday … 6 for Sunday.
            let weekday = ((day + 3) % 7 + 7) % 7
            let text = Time.day(Time.date(days: day))
            if weekday < 5 && !holidays.contains(text) {
                out[Time.civilFromDays(day).year, default: 0] += 2
            }
            day += 1
        }
        return out
    }

    /// A person's yearly allowance in half-days: `leave.allowance.NAME`, else `leave.allowance`;
    /// a guest's is none unless set for them by name.
    static func allowanceHalfDays(_ ledger: Ledger, user: User) throws -> Int {
        let own = try ledger.configValue(Config.allowancePrefix + user.name)
        if own == nil && user.isGuest { return 0 }
        let text = try own ?? Config.get(ledger, "leave.allowance") ?? "25"
        return Int(((Double(text) ?? 25) * 2).rounded())
    }

    public struct Balance: Sendable {
        public let user: String
        public let year: Int
        public let allowance: Int  // half-days
        public let taken: Int  // approved vacation, half-days (with `today`: the days up to today)
        public var planned = 0  // with `today`: approved vacation still to come, half-days
        public let pending: Int  // pending vacation, half-days
        public var remaining: Int { allowance - taken - planned - pending }
    }

    /// Vacation drawn in `year`: approved and pending requests, split by year. Given `today`,
    /// approved days after it are planned, not taken (the days up to and including today are).
    public static func balance(_ ledger: Ledger, user: User, year: Int, today: Date? = nil) throws -> Balance {
        let holidays = try Config.holidays(ledger)
        var taken = 0
        var planned = 0
        var pending = 0
        let rows = try ledger.db.query(
            """
            SELECT status, leave_from, leave_to, leave_halfdays FROM requests
            WHERE kind = 'leave' AND leave_type = 'vacation' AND requester_id = ? AND status IN ('approved','pending')
              AND leave_from <= ? AND leave_to >= ?
            """, user.id, "\(year)-12-31", "\(year)-01-01")
        for r in rows {
            guard let from = Time.parseDay(try r.text("leave_from")), let to = Time.parseDay(try r.text("leave_to")) else { continue }
            let approved = try r.value("status", as: RequestStatus.self) == .approved
            let halves: Int
            if try r.integer("leave_halfdays") == 1 {
                halves = 1  // a half day
            } else if approved, try r.text("leave_from").prefix(4) == r.text("leave_to").prefix(4) {
                halves = Int(try r.integer("leave_halfdays"))  // approved leave keeps the days it was approved for
            } else {
                halves = workingHalfDays(from: from, to: to, holidays: holidays)[year] ?? 0  // the days that fall in this year
            }
            if !approved {
                pending += halves
            } else if let today, to > today {
                // Approved days still to come are planned; the approved count is kept, split at today.
                let past =
                    from > today
                    ? 0
                    : min(
                        halves,
                        try r.integer("leave_halfdays") == 1 ? 1 : workingHalfDays(from: from, to: today, holidays: holidays)[year] ?? 0)
                taken += past
                planned += halves - past
            } else {
                taken += halves
            }
        }
        var balance = Balance(
            user: user.name, year: year, allowance: try allowanceHalfDays(ledger, user: user), taken: taken, pending: pending)
        balance.planned = planned
        return balance
    }

    /// After `leave.holidays` changed, in its transaction: pending leave counts its days again
    /// (days, summary and details). Approved leave keeps the days it was approved for;
    /// `drift` names those the new holidays would change. Returns the requests recomputed.
    static func holidaysChanged(_ ledger: Ledger) throws -> [Int64] {
        let holidays = try Config.holidays(ledger)
        var changed: [Int64] = []
        for r in try ledger.db.query(
            """
            SELECT id, leave_from, leave_to, leave_type, leave_halfdays, payload FROM requests
            WHERE kind = 'leave' AND status = 'pending' AND leave_halfdays != 1
            """)
        {
            guard let from = Time.parseDay(try r.text("leave_from")), let to = Time.parseDay(try r.text("leave_to")) else { continue }
            let halves = workingHalfDays(from: from, to: to, holidays: holidays).values.reduce(0, +)
            guard halves != Int(try r.integer("leave_halfdays")) else { continue }
            let (f, t) = (try r.text("leave_from"), try r.text("leave_to"))
            let summary = "leave (\(try r.text("leave_type"))): \(f)" + (f == t ? "" : " to \(t)") + ", \(days(halves)) day(s)"
            var payload = (try? JSON.parse(r.text("payload"))) ?? .object([])
            if case .object(var fields) = payload {
                fields.removeAll { $0.key == "days" }
                fields.append(JSON.Member("days", .number(days(halves))))
                payload = .object(fields)
            }
            try ledger.db.run(
                "UPDATE requests SET leave_halfdays = ?, summary = ?, payload = ? WHERE id = ?", halves, summary, payload.encoded(),
                r.integer("id"))
            changed.append(try r.integer("id"))
        }
        return changed
    }

    /// Approved leave overlapping `year` whose working days differ under the current holidays:
    /// (request id, person, days approved, days now), in half-days.
    public static func drift(_ ledger: Ledger, year: Int) throws -> [(id: Int64, user: String, approved: Int, now: Int)] {
        let holidays = try Config.holidays(ledger)
        return try ledger.db.query(
            """
            SELECT r.id, u.name, r.leave_from, r.leave_to, r.leave_halfdays FROM requests r JOIN users u ON u.id = r.requester_id
            WHERE r.kind = 'leave' AND r.status = 'approved' AND r.leave_halfdays != 1 AND r.leave_from <= ? AND r.leave_to >= ?
            ORDER BY r.id
            """, "\(year)-12-31", "\(year)-01-01"
        ).compactMap { r in
            guard let from = Time.parseDay(try r.text("leave_from")), let to = Time.parseDay(try r.text("leave_to")) else { return nil }
            let now = workingHalfDays(from: from, to: to, holidays: holidays).values.reduce(0, +)
            return now == Int(try r.integer("leave_halfdays"))
                ? nil : (try r.integer("id"), try r.text("name"), Int(try r.integer("leave_halfdays")), now)
        }
    }

    /// Half-days shown as days: 3, 2.5.
    public static func days(_ halves: Int) -> String {
        halves % 2 == 0 ? String(halves / 2) : String(cFormat: "%.1f", Double(halves) / 2)
    }
}
