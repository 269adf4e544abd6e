import FoundationEssentials

/// Dates as vendors' exports write them, to YYYY-MM-DD.
package enum UsageDates {
    package static let months = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]
    static let never: Set<String> = [
        "", "never", "never logged in", "never signed in", "never accessed", "never used", "never active", "-", "n/a", "none", "null",
    ]

    package enum Parsed: Equatable {
        case never
        case day(String)
        case bad
    }

    /// ISO 8601 (with or without a time), `2026/11/03 10:20:30 UTC`, `14 Dec 2026 15:31:57`,
    /// `Dec 14, 2026`, US `11/03/2026 10:00 AM`, `03.11.2026`; "Never logged in" and blanks are never.
    package static func parse(_ text: String) -> Parsed {
        if let day = isoHead(text) { return .day(day) }
        let t = text.trimmed(.whitespaces)
        if never.contains(t.lowercased()) { return .never }
        func ymd(_ y: Int, _ m: Int, _ d: Int) -> Parsed {
            let s = String(cFormat: "%04d-%02d-%02d", y, m, d)
            return Time.parseDay(s) != nil ? .day(s) : .bad
        }
        // Unix time in seconds (Slack's analytics: date_last_active).
        if (9...11).contains(t.count), t.allSatisfy({ $0.isASCII && $0.isNumber }), let seconds = Double(t) {
            return seconds == 0 ? .never : .day(Time.day(Date(timeIntervalSince1970: seconds)))
        }
        let head = String(t.prefix(10))
        if Time.parseDay(head) != nil { return .day(head) }
        let slashed = String(head.map { $0 == "/" ? "-" : $0 })
        if t.first?.isNumber == true, slashed.count == 10, slashed.dropFirst(4).first == "-", Time.parseDay(slashed) != nil {
            return .day(slashed)
        }
        let words = t.split(whereSeparator: { $0 == " " || $0 == "," || $0 == "-" }).map { $0.lowercased() }
        if words.count >= 3 {
            // 14 Dec 2026 / Dec 14 2026 / December 14, 2026
            if let d = Int(words[0]), let m = months.firstIndex(where: { words[1].hasPrefix($0) }), let y = Int(words[2].prefix(4)) {
                return ymd(y, m + 1, d)
            }
            if let m = months.firstIndex(where: { words[0].hasPrefix($0) }), let d = Int(words[1]), let y = Int(words[2].prefix(4)) {
                return ymd(y, m + 1, d)
            }
        }
        let date = String(t.split(separator: " ").first ?? "")
        for (sep, monthFirst) in [("/", true), (".", false)] {
            let p = date.split(separator: Character(sep)).compactMap { Int($0) }
            if p.count == 3, p[2] > 31 { return monthFirst ? ymd(p[2], p[0], p[1]) : ymd(p[2], p[1], p[0]) }
        }
        return .bad
    }

    /// The day, or nil for never and for text that is not a date.
    /// The shape almost every export uses, read from the bytes: `2026-11-03…` or `2026/11/03…`
    /// (an export of 10,000 people has 10,000 of them). Anything else goes the long way.
    private static func isoHead(_ text: String) -> String? {
        var bytes = Array(text.utf8.prefix(11))
        guard bytes.count >= 10, bytes[4] == bytes[7], bytes[4] == UInt8(ascii: "-") || bytes[4] == UInt8(ascii: "/"),
            bytes.count == 10 || bytes[10] == UInt8(ascii: " ") || bytes[10] == UInt8(ascii: "T")
        else { return nil }
        bytes[4] = UInt8(ascii: "-")
        bytes[7] = UInt8(ascii: "-")
        let day = String(decoding: bytes[0..<10], as: UTF8.self)
        return Time.parseDay(day) != nil ? day : nil
    }

    package static func day(_ text: String) -> String? {
        if case .day(let d) = parse(text) { return d }
        return nil
    }
}
