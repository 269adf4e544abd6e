import FoundationEssentials
import OWBase

/// How a statement writes its days and signs its amounts, told from its lines unless `--map` says.
package struct StatementSigns {
    static let creditMarks: Set<String> = ["bij", "credit", "cr", "c", "crdt", "h", "haben", "in", "gutschrift"]
    static let debitMarks: Set<String> = ["af", "debit", "dr", "d", "dbit", "s", "soll", "out", "lastschrift"]
    /// The lines a file's sign is told from: enough for any export's mix, few enough to cost nothing.
    static let voters = 2_000

    var spendIsNegative = true
    package var dayFirst = false
    package var dates: StatementDateFormat? = nil

    /// `namesVendor`: whether a line's text pays a catalog vendor (the scan's index; spend, whatever its sign).
    package init<C: Collection<CSV.Line>>(
        _ records: C, _ cols: StatementColumns, map: StatementMap, namesVendor: (String) -> Bool = { _ in false }
    ) {
        dates = map.dates
        dayFirst = records.contains { r in
            guard r.fields.count > cols.date else { return false }
            let p = r.fields[cols.date].split(whereSeparator: { $0 == "/" || $0 == "-" })
            return p.count == 3 && (13...31).contains(Int(p[0]) ?? 0)
        }
        if let told = map.spendPositive {
            spendIsNegative = !told
        } else if let a = cols.amount, cols.direction == nil {
            spendIsNegative = Self.spendIsNegative(records.prefix(Self.voters), amount: a, cols, namesVendor: namesVendor)
        }
    }

    /// Which sign spend has in a file with one signed amount column, told from its own lines: each votes for its
    /// sign being spend's, a tie negative (as banks write it). A line saying money came in (a refund, a deposit,
    /// "payment – thank you", whole words) votes the other way; else a line paying a catalog vendor by name or domain
    /// counts three times. A plain majority turned an export of a few deposits and a transfer out the wrong way round, and two
    /// overlapping exports of one account opposite ways.
    static func spendIsNegative<C: Collection<CSV.Line>>(
        _ records: C, amount a: Int, _ cols: StatementColumns, namesVendor: (String) -> Bool
    ) -> Bool {
        var score = 0  // ≥ 0: spend is negative
        for r in records where r.fields.count > a {
            let value = r.fields[a].trimmed(.whitespaces)
            guard value.utf8.contains(where: { $0 >= UInt8(ascii: "1") && $0 <= UInt8(ascii: "9") }) else { continue }
            let vote = value.hasPrefix("-") || value.hasPrefix("(") ? 1 : -1
            let text = [cols.description, cols.payee, cols.kind].compactMap { $0.flatMap { $0 < r.fields.count ? r.fields[$0] : nil } }
            // Words first: a refund names the vendor it comes from.
            if text.contains(where: saysMoneyIn) {
                score -= vote
            } else if text.contains(where: namesVendor) {
                score += 3 * vote
            } else {
                score += vote
            }
        }
        return score >= 0
    }

    /// Words of a line saying money came in, as whole words ("DEPOSITPHOTOS" is a vendor, not a deposit); not wages:
    /// an office pays them out.
    static let moneyInPhrases: [[Substring]] =
        [
            "refund", "reversal", "chargeback", "gutschrift", "erstattung", "remboursement", "reembolso", "rimborso", "deposit",
            "thank you", "payment received", "einzahlung", "virement reçu",
        ].map {
            $0.split(separator: " ")
        }

    static func saysMoneyIn(_ text: String) -> Bool {
        let words = text.lowercased().split { !$0.isLetter && !$0.isNumber }
        return moneyInPhrases.contains { phrase in
            words.indices.contains { i in
                i + phrase.count <= words.count && zip(words[i..<i + phrase.count], phrase).allSatisfy { $0 == $1 }
            }
        }
    }

    /// The spend an amount column's value stands for: positive spend, negative money in.
    func spend(_ minor: Int64, direction: String?) -> Int64 {
        if let mark = direction?.lowercased() {
            if Self.creditMarks.contains(mark) { return -abs(minor) }
            if Self.debitMarks.contains(mark) { return abs(minor) }
        }
        return spendIsNegative ? -minor : minor
    }

    package func day(_ s: String) -> Date? {
        if let dates { return dates.day(s) }
        return Self.parseDate(s, dayFirst: dayFirst)
    }

    /// YYYY-MM-DD (a time after it read past), YYYY/MM/DD, YYYYMMDD, DD.MM.YYYY, `12-Dec-2019` or `Dec 12, 2019`,
    /// and D/M/Y or M/D/Y (or with dashes) as `dayFirst` says.
    static func parseDate(_ s: String, dayFirst: Bool) -> Date? {
        if let d = Time.parseDay(String(s.prefix(10))) { return d }
        let head = s.split(separator: " ", maxSplits: 1).first ?? s[...]
        if head.count == 8, head.allSatisfy({ $0.isASCII && $0.isNumber }) {
            return Time.parseDay("\(head.prefix(4))-\(head.dropFirst(4).prefix(2))-\(head.suffix(2))")
        }
        if let named = monthNamed(s) { return named }
        let parts = head.split(whereSeparator: { $0 == "." || $0 == "/" || $0 == "-" }).map { Int($0) }
        guard parts.count == 3, let a = parts[0], let b = parts[1], var y = parts[2] else { return nil }
        // 2025/06/07: the year first is always followed by month and day.
        if head.prefix(while: { $0 != "." && $0 != "/" && $0 != "-" }).count == 4 {
            return Time.parseDay("\(Time.pad(a, 4))-\(Time.pad(b, 2))-\(Time.pad(y, 2))")
        }
        if y < 100 { y += 2000 }
        let dotted = head.includes(".")
        let (d, m) = dotted || dayFirst ? (a, b) : (b, a)
        return Time.parseDay("\(Time.pad(y, 4))-\(Time.pad(m, 2))-\(Time.pad(d, 2))")
    }

    package static let months = [
        "jan": 1, "feb": 2, "mar": 3, "mär": 3, "apr": 4, "may": 5, "mai": 5, "jun": 6, "jul": 7, "aug": 8, "sep": 9, "oct": 10,
        "okt": 10, "nov": 11, "dec": 12, "dez": 12,
    ]

    /// `12-Dec-2019`, `27 Feb 2018`, `Dec 12, 2019`: a day with its month named.
    static func monthNamed(_ s: String) -> Date? {
        let words = s.lowercased().split(whereSeparator: { $0 == " " || $0 == "-" || $0 == "," || $0 == "." || $0 == "/" }).prefix(3)
        guard words.count == 3, let mi = words.firstIndex(where: { months[String($0.prefix(3))] != nil && $0.first!.isLetter }),
            let m = months[String(words[mi].prefix(3))]
        else { return nil }
        let numbers = words.indices.filter { $0 != mi }.compactMap { Int(words[$0]) }
        guard numbers.count == 2 else { return nil }
        let (d, y) = numbers[0] > 31 ? (numbers[1], numbers[0]) : (numbers[0], numbers[1] < 100 ? numbers[1] + 2000 : numbers[1])
        return Time.parseDay("\(Time.pad(y, 4))-\(Time.pad(m, 2))-\(Time.pad(d, 2))")
    }
}
