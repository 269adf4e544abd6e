import FoundationEssentials
import OWBase

/// How a statement writes its days and signs its amounts, told from its lines unless `--map` says.
package struct StatementSigns {
    static let refundWords = NeedleSet([
        "refund", "reversal", "chargeback", "gutschrift", "erstattung", "remboursement", "reembolso", "rimborso",
    ])
    static let creditMarks: Set<String> = ["bij", "credit", "cr", "c", "crdt", "h", "haben", "in", "gutschrift"]
    static let debitMarks: Set<String> = ["af", "debit", "dr", "d", "dbit", "s", "soll", "out", "lastschrift"]

    var spendIsNegative = true
    package var dayFirst = false
    package var dates: StatementDateFormat? = nil

    /// A byte search (`LowerText`): the standard library's `String.contains` built a substring searcher per
    /// word and line, a fifth of a statement's scan (callgrind, 5,000 lines).
    static func isRefund(_ description: String) -> Bool { LowerText(description).contains(any: refundWords) }

    package init<C: Collection<CSV.Line>>(_ records: C, _ cols: StatementColumns, map: StatementMap) {
        dates = map.dates
        dayFirst = records.contains { r in
            guard r.fields.count > cols.date else { return false }
            let p = r.fields[cols.date].split(whereSeparator: { $0 == "/" || $0 == "-" })
            return p.count == 3 && (13...31).contains(Int(p[0]) ?? 0)
        }
        if let told = map.spendPositive {
            spendIsNegative = !told
        } else if let a = cols.amount, cols.direction == nil {
            // Spend is whichever sign most lines have; lines that say they are refunds do not
            // vote: a statement of one refund is not one of positive spend.
            let values = records.compactMap { r -> String? in
                guard r.fields.count > a, r.fields.count <= cols.description || !Self.isRefund(r.fields[cols.description]) else {
                    return nil
                }
                return r.fields[a].trimmed(.whitespaces)
            }
            spendIsNegative = values.filter { $0.hasPrefix("-") || $0.hasPrefix("(") }.count * 2 >= values.count
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

    /// YYYY-MM-DD (a time after it read past), YYYYMMDD, DD.MM.YYYY, `12-Dec-2019` or `Dec 12, 2019`,
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
