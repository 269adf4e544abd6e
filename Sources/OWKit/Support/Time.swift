import FoundationEssentials

/// Dates and timestamps as the ledger stores them: `YYYY-MM-DD` and RFC 3339 UTC.
/// Pure integer arithmetic on the proleptic Gregorian calendar (H. Hinnant's civil-date
/// algorithms): UTC has no daylight saving, so a day is always 86,400 seconds, and the
/// hot paths (listing thousands of licenses) never touch Foundation's Calendar.
public enum Time {
    package static func floorDiv(_ a: Int, _ b: Int) -> Int { a >= 0 ? a / b : -((-a + b - 1) / b) }

    /// Days since 1970-01-01 of a civil date.
    package static func daysFromCivil(_ y: Int, _ m: Int, _ d: Int) -> Int {
        let y = m <= 2 ? y - 1 : y
        let era = floorDiv(y, 400)
        let yoe = y - era * 400
        let doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    /// The civil date of a day count since 1970-01-01.
    package static func civilFromDays(_ days: Int) -> (year: Int, month: Int, day: Int) {
        let z = days + 719_468
        let era = floorDiv(z, 146_097)
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        return (yoe + era * 400 + (m <= 2 ? 1 : 0), m, d)
    }

    package static func daysInMonth(_ y: Int, _ m: Int) -> Int {
        switch m {
        case 2: return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    /// Any instant, even one read from outside (a token's `exp` of 2^63, NaN): past ±2^50 seconds
    /// (35 million years) it is held at that edge, so the day arithmetic never overflows or traps.
    package static func split(_ date: Date) -> (days: Int, secondOfDay: Int) {
        let edge = Double(1 << 50)
        let seconds = date.timeIntervalSince1970
        let t = Int(seconds.isNaN ? 0 : min(max(seconds, -edge), edge).rounded(.down))
        let days = floorDiv(t, 86_400)
        return (days, t - days * 86_400)
    }

    package static func date(days: Int, secondOfDay: Int = 0) -> Date {
        Date(timeIntervalSince1970: Double(days * 86_400 + secondOfDay))
    }

    package static func pad(_ n: Int, _ width: Int) -> String {
        let s = String(n)
        return s.count >= width ? s : String(repeating: "0", count: width - s.count) + s
    }

    public static func rfc3339(_ date: Date) -> String {
        let (days, sod) = split(date)
        return day(days: days, time: sod)
    }

    public static func day(_ date: Date) -> String { day(days: split(date).days, time: nil) }

    /// `YYYY-MM-DD`, then `THH:MM:SSZ` when a time of day is given. Written digit by digit:
    /// list output formats one date per row, and interpolating padded numbers was measurable.
    package static func day(days: Int, time: Int?) -> String {
        let (y, m, d) = civilFromDays(days)
        guard (0...9999).contains(y) else {
            return "\(pad(y, 4))-\(pad(m, 2))-\(pad(d, 2))"
                + (time.map { "T\(pad($0 / 3600, 2)):\(pad($0 / 60 % 60, 2)):\(pad($0 % 60, 2))Z" } ?? "")
        }
        return String(unsafeUninitializedCapacity: 20) { b in
            func put(_ n: Int, _ width: Int, at i: Int) {
                var n = n
                for k in stride(from: i + width - 1, through: i, by: -1) {
                    b[k] = UInt8(48 + n % 10)
                    n /= 10
                }
            }
            put(y, 4, at: 0)
            b[4] = UInt8(ascii: "-")
            put(m, 2, at: 5)
            b[7] = UInt8(ascii: "-")
            put(d, 2, at: 8)
            guard let t = time else { return 10 }
            b[10] = UInt8(ascii: "T")
            put(t / 3600, 2, at: 11)
            b[13] = UInt8(ascii: ":")
            put(t / 60 % 60, 2, at: 14)
            b[16] = UInt8(ascii: ":")
            put(t % 60, 2, at: 17)
            b[19] = UInt8(ascii: "Z")
            return 20
        }
    }

    /// Parses an internet date-time, `YYYY-MM-DDTHH:MM:SS` then `Z` or `±HH:MM` (what
    /// `ISO8601DateFormatter` reads by default).
    public static func parseRFC3339(_ text: String) -> Date? {
        let b = Array(text.utf8)
        guard b.count >= 20, let day = parseDay(String(decoding: b[0..<10], as: UTF8.self)), b[10] == UInt8(ascii: "T"),
            b[13] == UInt8(ascii: ":"), b[16] == UInt8(ascii: ":")
        else { return nil }
        func num(_ r: Range<Int>) -> Int? {
            var v = 0
            for i in r {
                guard i < b.count, b[i] >= 48, b[i] <= 57 else { return nil }
                v = v * 10 + Int(b[i] - 48)
            }
            return v
        }
        guard let h = num(11..<13), let mi = num(14..<16), let s = num(17..<19), h < 24, mi < 60, s < 60 else { return nil }
        var offset = 0
        switch b[19] {
        case UInt8(ascii: "Z"):
            guard b.count == 20 else { return nil }
        case UInt8(ascii: "+"), UInt8(ascii: "-"):
            let colon = b.count == 25 && b[22] == UInt8(ascii: ":")
            guard colon || b.count == 24, let oh = num(20..<22), let om = num(colon ? 23..<25 : 22..<24) else { return nil }
            offset = (oh * 60 + om) * 60 * (b[19] == UInt8(ascii: "-") ? -1 : 1)
        default:
            return nil
        }
        return day.addingTimeInterval(Double(h * 3600 + mi * 60 + s - offset))
    }

    /// Parses a strict `YYYY-MM-DD`, refusing impossible dates such as 2026-02-30.
    public static func parseDay(_ text: String) -> Date? {
        guard text.utf8.count == 10 else { return nil }
        var text = text
        return text.withUTF8(parseDay)
    }

    package static func parseDay(_ b: UnsafeBufferPointer<UInt8>) -> Date? {
        guard b.count == 10, b[4] == UInt8(ascii: "-"), b[7] == UInt8(ascii: "-") else { return nil }
        func num(_ r: Range<Int>) -> Int? {
            var v = 0
            for i in r {
                guard b[i] >= 48, b[i] <= 57 else { return nil }
                v = v * 10 + Int(b[i] - 48)
            }
            return v
        }
        guard let y = num(0..<4), let m = num(5..<7), let d = num(8..<10),
            (1...12).contains(m), d >= 1, d <= daysInMonth(y, m)
        else { return nil }
        return date(days: daysFromCivil(y, m, d))
    }

    /// Midnight UTC of the day `date` falls on.
    public static func startOfDay(_ date: Date) -> Date { Time.date(days: split(date).days) }

    /// Whole days from `a` to `b` (both taken at midnight).
    public static func daysBetween(_ a: Date, _ b: Date) -> Int { split(b).days - split(a).days }

    /// Adds calendar months, keeping the time of day and clamping to the month's end:
    /// one month after 31 January is 28 (or 29) February.
    public static func addingMonths(_ n: Int, to date: Date) -> Date {
        let (days, sod) = split(date)
        let (y, m, d) = civilFromDays(days)
        let total = y * 12 + (m - 1) + n
        let ny = floorDiv(total, 12)
        let nm = total - ny * 12 + 1
        return Time.date(days: daysFromCivil(ny, nm, min(d, daysInMonth(ny, nm))), secondOfDay: sod)
    }

    public static func epochSeconds(_ date: Date) -> Int64 { Int64(date.timeIntervalSince1970.rounded(.down)) }
}

/// A span written as `30d`, `2w`, `3m` (months), `1y`, `12h` or `10s` (SPEC §3).
public struct Duration: Equatable, Sendable, CustomStringConvertible {
    public enum Unit: Character, Sendable {
        case second = "s"
        case hour = "h"
        case day = "d"
        case week = "w"
        case month = "m"
        case year = "y"
    }
    public let count: Int
    public let unit: Unit

    public init(count: Int, unit: Unit) {
        self.count = count
        self.unit = unit
    }

    public static func parse(_ text: String) -> Duration? {
        let t = text.trimmed(.whitespaces).lowercased()
        guard let last = t.last, let unit = Unit(rawValue: last), let n = Int(t.dropLast()), n >= 0, n <= 100_000 else { return nil }
        return Duration(count: n, unit: unit)
    }

    public var description: String { "\(count)\(unit.rawValue)" }

    /// Calendar-exact: `1m` after 31 January is the last day of February.
    public func added(to date: Date) -> Date {
        switch unit {
        case .second: return date.addingTimeInterval(Double(count))
        case .hour: return date.addingTimeInterval(Double(count) * 3600)
        case .day: return date.addingTimeInterval(Double(count) * 86_400)
        case .week: return date.addingTimeInterval(Double(count) * 7 * 86_400)
        case .month: return Time.addingMonths(count, to: date)
        case .year: return Time.addingMonths(12 * count, to: date)
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
