import FoundationEssentials
import OWBase

/// RFC 5322 addresses and dates as people and programs read them.
public enum MailHeader {
    // MARK: Addresses

    /// One mailbox: display name (may be empty) and address.
    public struct Mailbox: Equatable, Sendable {
        public let name: String
        public let address: String
    }

    /// Parses an address list: `Name <a@b>`, `"Quoted, Name" <a@b>`, `a@b (comment)`, `<a@b>`.
    /// An unquoted comma in a name (`Notion Labs, Inc. <billing@…>`, `Smith, John <j@…>`) is read
    /// as mail clients read it: words with no address before it are part of the next mailbox's name.
    public static func mailboxes(_ value: String) -> [Mailbox] {
        var boxes: [Mailbox] = []
        var phrases: [String] = []
        for item in items(value) {
            guard let box = mailbox(item) else { continue }
            if isBarePhrase(item, address: box.address) {
                phrases.append(box.address)
            } else {
                boxes.append(
                    phrases.isEmpty
                        ? box : Mailbox(name: (phrases + [box.name]).filter { !$0.isEmpty }.joined(separator: ", "), address: box.address))
                phrases = []
            }
        }
        return boxes + phrases.map { Mailbox(name: "", address: $0) }
    }

    /// Words with no `@` and no `<…>`: a name cut at an unquoted comma, not a mailbox of its own.
    private static func isBarePhrase(_ item: String, address: String) -> Bool { !address.contains("@") && !item.contains("<") }

    /// The first mailbox's address (every message's sender is looked up by it), as `mailboxes`
    /// finds it: its name is not read, and words before an unquoted comma are passed over.
    package static func firstAddress(_ value: String) -> String? {
        let found = items(value).lazy.compactMap { item in address(item).map { (item, $0) } }
        return (found.first { !isBarePhrase($0.0, address: $0.1) } ?? found.first)?.1
    }

    /// The list's items, split at commas outside quotes, comments and angle brackets.
    private static func items(_ value: String) -> [String] {
        // By bytes: every character that structures a header is ASCII, and a UTF-8 sequence
        // never contains an ASCII byte (every message's From is read here).
        var items: [String] = []
        var cur: [UInt8] = []
        var quoted = false
        var angle = 0
        var paren = 0
        var escaped = false
        for b in value.utf8 {
            if escaped {
                cur.append(b)
                escaped = false
                continue
            }
            switch b {
            case UInt8(ascii: "\\") where quoted || paren > 0: escaped = true
            case UInt8(ascii: "\"") where paren == 0: quoted.toggle()
            case UInt8(ascii: "(") where !quoted: paren += 1
            case UInt8(ascii: ")") where !quoted && paren > 0: paren -= 1
            case UInt8(ascii: "<") where !quoted && paren == 0: angle += 1
            case UInt8(ascii: ">") where !quoted && paren == 0 && angle > 0: angle -= 1
            case UInt8(ascii: ",") where !quoted && paren == 0 && angle == 0:
                items.append(String(decoding: cur, as: UTF8.self))
                cur = []
                continue
            default: break
            }
            cur.append(b)
        }
        items.append(String(decoding: cur, as: UTF8.self))
        return items
    }

    /// The item's bytes without its comments; quoted text is kept.
    private static func uncommented(_ text: String) -> [UInt8] {
        var bytes: [UInt8] = []
        var quoted = false
        var paren = 0
        var escaped = false
        for b in text.utf8 {
            if escaped {
                if paren == 0 { bytes.append(b) }
                escaped = false
                continue
            }
            if b == UInt8(ascii: "\\") && (quoted || paren > 0) {
                escaped = true
                if paren == 0 { bytes.append(b) }
                continue
            }
            if b == UInt8(ascii: "\"") && paren == 0 { quoted.toggle() }
            if b == UInt8(ascii: "(") && !quoted {
                paren += 1
                continue
            }
            if b == UInt8(ascii: ")") && !quoted && paren > 0 {
                paren -= 1
                continue
            }
            if paren == 0 { bytes.append(b) }
        }
        return bytes
    }

    /// An item's address alone, found on its bytes: what `mailbox` finds, without the name.
    static func address(_ text: String) -> String? {
        func trimmed(_ b: ArraySlice<UInt8>) -> ArraySlice<UInt8> {
            let blank: (UInt8) -> Bool = { $0 == 32 || $0 == 9 || $0 == 13 || $0 == 10 }
            guard let first = b.firstIndex(where: { !blank($0) }), let last = b.lastIndex(where: { !blank($0) }) else { return [] }
            return b[first...last]
        }
        let bytes = uncommented(text)
        var t = trimmed(bytes[...])
        guard !t.isEmpty else { return nil }
        if let lt = t.lastIndex(of: UInt8(ascii: "<")), let gt = t[lt...].firstIndex(of: UInt8(ascii: ">")) {
            t = trimmed(t[(lt + 1)..<gt])
        }
        return String(decoding: t, as: UTF8.self)
    }

    static func mailbox(_ text: String) -> Mailbox? {
        let bytes = uncommented(text)
        let plain = String(decoding: bytes, as: UTF8.self)
        let t = plain.trimmedBlanks
        guard !t.isEmpty else { return nil }
        if let lt = t.lastIndex(of: "<"), let gt = t[lt...].firstIndex(of: ">") {
            let address = t[t.index(after: lt)..<gt].trimmedBlanks
            var name = t[..<lt].trimmedBlanks
            if name.hasPrefix("\""), name.hasSuffix("\""), name.count >= 2 {
                name = String(name.dropFirst().dropLast()).replacingAll("\\\"", with: "\"").replacingAll("\\\\", with: "\\")
            }
            return Mailbox(name: name.split(whereSeparator: { $0 == " " || $0 == "\t" }).joined(separator: " "), address: address)
        }
        return Mailbox(name: "", address: t)
    }

    /// Formats mailboxes the way Python's email package prints them: quotes only where needed.
    public static func format(_ boxes: [Mailbox]) -> String {
        boxes.map { b in
            guard !b.name.isEmpty else { return b.address }
            let specials = ScalarSet(charactersIn: "()<>@,:;.\\\"[]")
            let name =
                b.name.unicodeScalars.contains(where: specials.contains)
                ? "\"" + b.name.replacingAll("\\", with: "\\\\").replacingAll("\"", with: "\\\"") + "\""
                : b.name
            return "\(name) <\(b.address)>"
        }.joined(separator: ", ")
    }

    // MARK: Dates

    package static let months = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]
    static let zones: [String: Int] = [
        "ut": 0, "utc": 0, "gmt": 0, "z": 0, "est": -300, "edt": -240, "cst": -360, "cdt": -300,
        "mst": -420, "mdt": -360, "pst": -480, "pdt": -420, "cet": 60, "cest": 120, "bst": 60,
    ]

    public struct MailDate: Sendable {
        public let date: Date  // the instant
        public let offsetMinutes: Int  // the writer's zone
    }

    /// Parses RFC 5322 dates and their common deviations: no weekday, no seconds,
    /// two-digit years, named zones, trailing comments such as "(EDT)".
    public static func date(_ value: String) -> MailDate? {
        var text = value
        if let paren = text.firstIndex(of: "(") { text = String(text[..<paren]) }
        var tokens = text.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "," }).map(String.init)
        if let first = tokens.first, first.count >= 3, months.firstIndex(of: first.prefix(3).lowercased()) == nil, Int(first) == nil {
            tokens.removeFirst()
        }
        // "00:01+0000": a zone glued to the time.
        if tokens.count >= 4, let sign = tokens[3].firstIndex(where: { $0 == "+" || $0 == "-" }), sign != tokens[3].startIndex {
            let zone = String(tokens[3][sign...])
            tokens[3] = String(tokens[3][..<sign])
            tokens.insert(zone, at: 4)
        }
        guard tokens.count >= 4 else { return nil }
        var day: Int?
        var month: Int?
        if let d = Int(tokens[0]), let m = months.firstIndex(of: tokens[1].prefix(3).lowercased()) {
            day = d
            month = m + 1
        } else if let m = months.firstIndex(of: tokens[0].prefix(3).lowercased()), let d = Int(tokens[1]) {
            day = d
            month = m + 1
        }
        // Every field is read within its range first: a year of twenty digits or an hour of -9e18
        // is no date (and the sum below must never overflow).
        func number(_ t: Substring) -> Int? { !t.isEmpty && t.count <= 4 && t.allSatisfy({ $0.isASCII && $0.isNumber }) ? Int(t) : nil }
        guard let d = day, let m = month, var y = number(tokens[2][...]), (1...31).contains(d) else { return nil }
        if tokens[2].count <= 2 { y += y < 50 ? 2000 : 1900 } else if tokens[2].count == 3 { y += 1900 }
        let time = tokens[3].split(separator: ":").map(number)
        guard time.count >= 2, let h = time[0], let mi = time[1] else { return nil }
        guard let s = time.count > 2 ? time[2] : 0 else { return nil }
        guard h < 24, mi < 60, s < 61, d <= Time.daysInMonth(y, m) else { return nil }
        var offset = 0
        if tokens.count > 4 {
            let z = tokens[4]
            if z.hasPrefix("+") || z.hasPrefix("-"), z.count == 5, let v = number(z.dropFirst()) {
                offset = (z.hasPrefix("-") ? -1 : 1) * (v / 100 * 60 + v % 100)
            } else if let named = zones[z.lowercased()] {
                offset = named
            }
        }
        let seconds = Time.daysFromCivil(y, m, d) * 86_400 + h * 3600 + mi * 60 + min(s, 59) - offset * 60
        return MailDate(date: Date(timeIntervalSince1970: Double(seconds)), offsetMinutes: offset)
    }

    /// `Fri, 04 May 2001 14:05:44 -0400`: the writer's local time with its offset.
    public static func format(_ d: MailDate) -> String {
        let local = Time.split(d.date.addingTimeInterval(Double(d.offsetMinutes * 60)))
        let (y, m, day) = Time.civilFromDays(local.days)
        let weekday = ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"][((local.days % 7) + 7) % 7]
        let sod = local.secondOfDay
        let off = abs(d.offsetMinutes)
        return
            "\(weekday), \(Time.pad(day, 2)) \(months[m - 1].capitalized) \(y) \(Time.pad(sod / 3600, 2)):\(Time.pad(sod / 60 % 60, 2)):\(Time.pad(sod % 60, 2)) "
            + (d.offsetMinutes < 0 ? "-" : "+") + Time.pad(off / 60, 2) + Time.pad(off % 60, 2)
    }
}
