import FoundationEssentials
import OWBase

/// `--map date=Belegdatum,amount=Betrag (EUR),sign=spend-negative,…`: which column holds what,
/// how the amounts are signed and how the dates are written, for a statement whose header
/// owatch cannot read by itself.
package struct StatementMap: Sendable {
    /// The keys that name a column, spelled as `--map` takes them.
    static let columnKeys = [
        "date", "value_date", "description", "payee", "amount", "debit", "credit", "currency", "foreign_amount", "foreign_currency",
        "account", "direction",
    ]
    package static let usage =
        "--map takes KEY=VALUE pairs: date, value_date, description, payee, amount, debit, credit, currency, foreign_amount, "
        + "foreign_currency, account, direction (=COLUMN), sign=spend-positive|spend-negative, dateformat=DD.MM.YYYY, "
        + "charset=NAME (shift_jis, gb18030, euc-kr, windows-1251, iso-8859-2, utf-16 …)"

    package var columns: [String: String] = [:]
    /// True when spend is written as a positive amount; nil: told from the lines.
    var spendPositive: Bool? = nil
    package var dates: StatementDateFormat? = nil
    /// The charset the export is written in (`charset=shift_jis`), by its canonical name; nil: told from its bytes.
    package var charset: String? = nil

    package init(_ text: String?) throws {
        for pair in (text ?? "").split(separator: ",") {
            let kv = pair.split(separator: "=", maxSplits: 1).map { $0.trimmed(.whitespaces) }
            guard kv.count == 2, !kv[1].isEmpty else { throw OWError.usage("\(StatementMap.usage); not '\(pair)'") }
            // `value date`, `value-date` and `valuedate` are `value_date`.
            let key = String(kv[0].lowercased().map { $0 == " " || $0 == "-" ? "_" : $0 })
            switch key {
            case "sign":
                switch kv[1].lowercased() {
                case "spend-positive", "positive": spendPositive = true
                case "spend-negative", "negative": spendPositive = false
                default: throw OWError.usage("--map sign= takes spend-positive or spend-negative, not '\(kv[1])'")
                }
            case "dateformat", "date_format": dates = try StatementDateFormat(kv[1])
            case "charset", "encoding":
                guard let name = Charset.encoding(kv[1].lowercased()) ?? (kv[1].lowercased() == "latin1" ? "latin1" : nil) else {
                    throw OWError.usage("--map charset= names no charset owatch reads: '\(kv[1])'")
                }
                charset = name
            default:
                let canonical = StatementMap.columnKeys.first { $0 == key || $0.replacing("_", with: "") == key }
                guard let canonical else { throw OWError.usage("\(StatementMap.usage); not '\(pair)'") }
                columns[canonical] = kv[1]
            }
        }
    }
}

/// `dateformat=DD.MM.YYYY`: DD, MM and YYYY (or YY) with one separator, or none (`YYYYMMDD`).
package struct StatementDateFormat: Sendable {
    package let fields: [(kind: Character, width: Int)]
    package let separator: Character?

    package init(_ pattern: String) throws {
        let p = pattern.uppercased()
        let sep = p.first { !$0.isLetter }
        separator = sep
        var fields: [(Character, Int)] = []
        for ch in p where ch.isLetter {
            if let last = fields.last, last.0 == ch { fields[fields.count - 1].1 += 1 } else { fields.append((ch, 1)) }
        }
        let kinds = fields.map(\.0)
        guard kinds.count == 3, Set(kinds) == ["D", "M", "Y"], fields.allSatisfy({ $0.0 == "Y" ? [2, 4].contains($0.1) : $0.1 == 2 }),
            p.allSatisfy({ $0.isLetter || $0 == sep })
        else {
            throw OWError.usage(
                "--map dateformat= takes DD, MM and YYYY (or YY) in order, e.g. DD.MM.YYYY, MM/DD/YY or YYYYMMDD; not '\(pattern)'")
        }
        self.fields = fields
    }

    /// The day `text` names (a time after it is read past), or nil.
    package func day(_ text: String) -> Date? {
        let head = text.split(separator: " ", maxSplits: 1).first.map(String.init) ?? text
        var parts: [Substring]
        if let separator {
            parts = head.split(separator: separator, omittingEmptySubsequences: false)
        } else {
            var rest = head[...]
            parts = []
            for f in fields {
                parts.append(rest.prefix(f.width))
                rest = rest.dropFirst(f.width)
            }
            guard rest.isEmpty else { return nil }
        }
        guard parts.count == 3 else { return nil }
        var d = 0
        var m = 0
        var y = 0
        for (f, part) in zip(fields, parts) {
            guard let n = Int(part), part.count <= f.width else { return nil }
            switch f.kind {
            case "D": d = n
            case "M": m = n
            default: y = f.width == 2 ? 2000 + n : n
            }
        }
        return Time.parseDay("\(Time.pad(y, 4))-\(Time.pad(m, 2))-\(Time.pad(d, 2))")
    }
}
