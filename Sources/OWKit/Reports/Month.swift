import FoundationEssentials

/// A calendar month, the unit every report counts in. Ordered; `2026-11` in text.
public struct Month: Comparable, Hashable, Sendable, CustomStringConvertible {
    /// Months since year 0: year × 12 + (month − 1).
    public let index: Int

    public init(year: Int, month: Int) { index = year * 12 + month - 1 }
    package init(index: Int) { self.index = index }

    /// The month a date falls in (UTC).
    public init(_ date: Date) {
        let (y, m, _) = Time.civilFromDays(Time.split(date).days)
        self.init(year: y, month: m)
    }

    /// The month of a ledger day (`YYYY-MM-DD`) or month (`YYYY-MM`) text.
    public init?(day text: Substring) {
        let b = Array(text.utf8.prefix(7))
        guard b.count == 7, b[4] == UInt8(ascii: "-"), let y = Int(String(decoding: b[0..<4], as: UTF8.self)),
            let m = Int(String(decoding: b[5..<7], as: UTF8.self)), (1...12).contains(m), b[0..<4].allSatisfy({ $0 >= 48 && $0 <= 57 })
        else { return nil }
        self.init(year: y, month: m)
    }

    /// Parses `YYYY-MM` as typed on the command line.
    public static func parse(_ text: String, option: String) throws -> Month {
        guard text.utf8.count == 7, let m = Month(day: Substring(text)) else {
            throw OWError.usage("\(option) '\(text.prefix(20))' is not a month (YYYY-MM)")
        }
        return m
    }

    public var year: Int { Time.floorDiv(index, 12) }
    public var month: Int { index - year * 12 + 1 }
    public var firstDay: Date { Time.date(days: Time.daysFromCivil(year, month, 1)) }
    public var lastDay: Date { Time.date(days: Time.daysFromCivil(year, month, Time.daysInMonth(year, month))) }
    public var description: String { "\(Time.pad(year, 4))-\(Time.pad(month, 2))" }

    public func adding(_ n: Int) -> Month { Month(index: index + n) }
    public static func < (a: Month, b: Month) -> Bool { a.index < b.index }

    /// Every month from `a` to `b`, both included.
    public static func range(_ a: Month, _ b: Month) -> [Month] {
        a <= b ? (a.index...b.index).map(Month.init(index:)) : []
    }
}
