import Foundation

/// Dates and timestamps as the ledger stores them: `YYYY-MM-DD` and RFC 3339 UTC.
public enum Time {
    static let utc = TimeZone(identifier: "UTC")!

    public static var calendar: Calendar {
        var c = Calendar(identifier: .gregorian)
        c.timeZone = utc
        return c
    }

    public static func rfc3339(_ date: Date) -> String {
        let c = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
        return String(format: "%04d-%02d-%02dT%02d:%02d:%02dZ", c.year!, c.month!, c.day!, c.hour!, c.minute!, c.second!)
    }

    public static func day(_ date: Date) -> String {
        let c = calendar.dateComponents([.year, .month, .day], from: date)
        return String(format: "%04d-%02d-%02d", c.year!, c.month!, c.day!)
    }

    /// Parses a strict `YYYY-MM-DD`, refusing impossible dates such as 2026-02-30.
    public static func parseDay(_ text: String) -> Date? {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
              let y = Int(parts[0]), let m = Int(parts[1]), let d = Int(parts[2]),
              parts.allSatisfy({ $0.allSatisfy(\.isASCII) && $0.allSatisfy(\.isNumber) }),
              (1...12).contains(m), (1...31).contains(d)
        else { return nil }
        guard let date = calendar.date(from: DateComponents(year: y, month: m, day: d)),
              calendar.component(.day, from: date) == d, calendar.component(.month, from: date) == m
        else { return nil }
        return date
    }

    /// Midnight UTC of the day `date` falls on.
    public static func startOfDay(_ date: Date) -> Date { calendar.startOfDay(for: date) }

    public static func epochSeconds(_ date: Date) -> Int64 { Int64(date.timeIntervalSince1970.rounded(.down)) }
}

/// A span written as `30d`, `2w`, `3m` (months), `1y`, `12h` or `10s` (SPEC §3).
public struct Duration: Equatable, Sendable, CustomStringConvertible {
    public enum Unit: Character, Sendable { case second = "s", hour = "h", day = "d", week = "w", month = "m", year = "y" }
    public let count: Int
    public let unit: Unit

    public init(count: Int, unit: Unit) { self.count = count; self.unit = unit }

    public static func parse(_ text: String) -> Duration? {
        let t = text.trimmingCharacters(in: .whitespaces).lowercased()
        guard let last = t.last, let unit = Unit(rawValue: last), let n = Int(t.dropLast()), n >= 0, n <= 100_000 else { return nil }
        return Duration(count: n, unit: unit)
    }

    public var description: String { "\(count)\(unit.rawValue)" }

    /// Calendar-exact: `1m` after 31 January is the last day of February.
    public func added(to date: Date) -> Date {
        let c = Time.calendar
        switch unit {
        case .second: return date.addingTimeInterval(Double(count))
        case .hour: return date.addingTimeInterval(Double(count) * 3600)
        case .day: return c.date(byAdding: .day, value: count, to: date)!
        case .week: return c.date(byAdding: .day, value: 7 * count, to: date)!
        case .month: return c.date(byAdding: .month, value: count, to: date)!
        case .year: return c.date(byAdding: .year, value: count, to: date)!
        }
    }

    public func subtracted(from date: Date) -> Date { Duration(count: -count, unit: unit).added(to: date) }

    /// Approximate length, for timeouts only (a month counts 30 days).
    public var seconds: Int {
        switch unit {
        case .second: return count
        case .hour: return count * 3600
        case .day: return count * 86_400
        case .week: return count * 7 * 86_400
        case .month: return count * 30 * 86_400
        case .year: return count * 365 * 86_400
        }
    }
}
