import Foundation

/// Leave: working days (Monday–Friday minus configured holidays), a yearly allowance in days
/// (halves allowed), and balances that approved and pending vacation both draw on.
/// Amounts are kept in half-days so a half day is exact.
public enum Leave {
    public enum Kind: String, CaseIterable, Sendable { case vacation, sick, unpaid }

    /// Accepts `2026-12-24,2026-12-25`, or a path to a file of dates (one per line; text after
    /// the date is a name and ignored; `#` starts a comment). Stores the sorted, checked list.
    static func normalizeHolidays(_ value: String) throws -> String {
        var text = value
        if !value.isEmpty, FileManager.default.fileExists(atPath: value) {
            guard let data = FileManager.default.contents(atPath: value) else { throw OWError(.io, "cannot read \(value)") }
            text = String(decoding: data, as: UTF8.self)
        }
        var days = Set<String>()
        for (n, raw) in text.split(whereSeparator: { $0 == "\n" || $0 == "," }).enumerated() {
            let line = raw.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false)[0].trimmingCharacters(in: .whitespaces)
            guard !line.isEmpty else { continue }
            let day = String(line.prefix(10))
            guard Time.parseDay(day) != nil else { throw OWError.usage("holiday \(n + 1): '\(line.prefix(30))' is not a date (YYYY-MM-DD)") }
            days.insert(day)
        }
        return days.sorted().joined(separator: ",")
    }

    static func holidays(_ ledger: Ledger) throws -> Set<String> {
        Set((try Config.get(ledger, "leave.holidays") ?? "").split(separator: ",").map(String.init))
    }

    /// Working days from `from` to `to` inclusive, per year, in half-days.
    static func workingHalfDays(from: Date, to: Date, holidays: Set<String>) -> [Int: Int] {
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

    /// A person's yearly allowance in half-days: `leave.allowance.NAME`, else `leave.allowance`.
    static func allowanceHalfDays(_ ledger: Ledger, user: String) throws -> Int {
        let text = try ledger.configValue(Config.allowancePrefix + user) ?? Config.get(ledger, "leave.allowance") ?? "25"
        return Int(((Double(text) ?? 25) * 2).rounded())
    }

    public struct Balance: Sendable {
        public let user: String
        public let year: Int
        public let allowance: Int      // half-days
        public let taken: Int          // approved vacation, half-days
        public let pending: Int        // pending vacation, half-days
        public var remaining: Int { allowance - taken - pending }
    }

    /// Vacation drawn in `year`: approved and pending requests, split by year.
    public static func balance(_ ledger: Ledger, user: User, year: Int) throws -> Balance {
        let holidays = try self.holidays(ledger)
        var taken = 0, pending = 0
        let rows = try ledger.db.query("""
            SELECT status, leave_from, leave_to, leave_halfdays FROM requests
            WHERE kind = 'leave' AND leave_type = 'vacation' AND requester_id = ? AND status IN ('approved','pending')
              AND leave_from <= ? AND leave_to >= ?
            """, user.id, "\(year)-12-31", "\(year)-01-01")
        for r in rows {
            guard let from = Time.parseDay(r.string("leave_from")), let to = Time.parseDay(r.string("leave_to")) else { continue }
            // A half day is one day counted as 1; otherwise count the days that fall in this year.
            let halves = r.int("leave_halfdays") == 1 ? 1 : (workingHalfDays(from: from, to: to, holidays: holidays)[year] ?? 0)
            if r.string("status") == "approved" { taken += halves } else { pending += halves }
        }
        return Balance(user: user.name, year: year, allowance: try allowanceHalfDays(ledger, user: user.name), taken: taken, pending: pending)
    }

    /// Half-days shown as days: 3, 2.5.
    public static func days(_ halves: Int) -> String {
        halves % 2 == 0 ? String(halves / 2) : String(format: "%.1f", Double(halves) / 2)
    }
}
