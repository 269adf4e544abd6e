import FoundationEssentials
import OWBase

/// A card or bank statement CSV read into rows: `,` `;` or tab separated; a preamble (card
/// number, balance, period) before the header skipped and its account and period kept; dates
/// as YYYY-MM-DD, YYYYMMDD, DD.MM.YYYY, MM/DD/YYYY or DD/MM/YYYY (told apart by the values) or
/// as `--map dateformat=` says; spend either as negative amounts, as a debit column or as a
/// debit/credit indicator.
package enum StatementCSV {
    /// A header further down than this is not looked for: preambles are a few lines.
    static let preambleLines = 40

    /// `namesVendor`: whether a line's text pays a catalog vendor, which tells spend's sign (`StatementSigns`).
    package static func read(
        _ text: String, map: StatementMap, defaultCurrency: Currency, sourceKey: String, namesVendor: (String) -> Bool = { _ in false }
    ) throws -> StatementFile {
        let (delimiter, headerLine) = try findHeader(text, map: map)
        let all = try CSV.parse(text, delimiter: delimiter)
        guard let h = all.firstIndex(where: { $0.line == headerLine }) else { throw OWError.badData("the statement is empty") }
        let names = all[h].fields.map(StatementColumns.name)
        var cols = try StatementColumns(names, map: map)
        let records = all[(h + 1)...]
        var out = StatementFile()
        (out.account, out.period) = StatementPreamble.read(all[..<h])
        if map.spendPositive == nil { cols.findDirection(in: records) }
        let signs = StatementSigns(records, cols, map: map, namesVendor: namesVendor)
        for rec in records {
            guard rec.fields.count >= names.count || rec.fields.count > cols.largest else {
                out.skipped += 1
                continue
            }
            switch try row(rec, cols, signs, defaultCurrency: cols.headerCurrency ?? defaultCurrency, sourceKey: sourceKey) {
            case .row(var r):
                if r.account == nil { r.account = out.account }
                out.rows.append(r)
            case .skipped: out.skipped += 1
            case .bad(let bad): out.badLines.append(bad)
            case .empty: break
            }
        }
        return out
    }

    /// The separator and the header's line: the first line, within the first `preambleLines`,
    /// that names a date column and an amount (or debit) column. With none, the first line is
    /// the header and says what is missing.
    static func findHeader(_ text: String, map: StatementMap) throws -> (UInt8, Int) {
        var head = text.prefix(64 << 10)
        if let cut = head.split(separator: "\n", maxSplits: preambleLines, omittingEmptySubsequences: false).dropLast().last {
            head = text[..<cut.endIndex]
        }
        var best: (UInt8, Int)? = nil
        for delimiter in [UInt8(ascii: ";"), UInt8(ascii: "\t"), UInt8(ascii: ",")] {
            guard let records = try? CSV.parse(String(head), delimiter: delimiter) else { continue }
            for rec in records.prefix(preambleLines)
            where StatementColumns.isHeader(rec.fields.map(StatementColumns.name), map: map) {
                if best == nil || rec.line < best!.1 { best = (delimiter, rec.line) }
                break
            }
        }
        return best ?? (CSV.detectDelimiter(text), 1)
    }

    package enum Outcome {
        case row(StatementRow)
        case skipped
        case bad(StatementFile.BadLine)
        case empty  // no amount, or zero: nothing paid
    }

    package static func row(
        _ rec: CSV.Line, _ cols: StatementColumns, _ signs: StatementSigns, defaultCurrency: Currency, sourceKey: String
    )
        throws
        -> Outcome
    {
        func field(_ i: Int?) -> String? {
            i.flatMap { $0 < rec.fields.count ? CSV.trim(rec.fields[$0]) : nil }.flatMap { $0.isEmpty ? nil : $0 }
        }
        guard let dateText = field(cols.date), let date = signs.day(dateText) else { return .skipped }
        // A line naming nobody (cash, a category-only app export) is still read: it pays no vendor.
        let desc = field(cols.description) ?? field(cols.payee) ?? field(cols.kind) ?? ""
        let currency = field(cols.currency).flatMap { try? Currency.parse($0) } ?? defaultCurrency
        // An amount too large to be true is bad data: named, and the rest still read.
        var tooLarge: String? = nil
        func amount(_ text: String?, _ currency: Currency) -> Money? {
            guard var text, tooLarge == nil else { return nil }
            if text.hasPrefix("+") { text = String(text.dropFirst()).trimmed(.whitespaces) }
            do {
                return try MoneyParser.parse(text, defaultCurrency: currency) as Money
            } catch let e as OWError where e.kind == .badData {
                tooLarge = e.message
                return nil
            } catch {
                return nil
            }
        }
        let paid = amount(field(cols.amount), currency)
        let debit = paid == nil ? amount(field(cols.debit), currency) : nil
        let credit = paid == nil && debit == nil ? amount(field(cols.credit), currency) : nil
        if let why = tooLarge, let text = field(cols.amount) ?? field(cols.debit) ?? field(cols.credit) {
            return .bad(StatementFile.BadLine(line: rec.line, key: "stmt:\(sourceKey):bad:\(dateText):\(desc):\(text)", why: why))
        }
        let spend: Money
        if let m = paid, field(cols.amount)?.hasPrefix("+") == true {
            spend = Money(minor: -abs(m.minor), currency: m.currency)  // `+ £1,100.00`: money in, whatever the convention
        } else if let m = paid {
            spend = Money(minor: signs.spend(m.minor, direction: field(cols.direction)), currency: m.currency)
        } else if let m = debit {
            spend = Money(minor: abs(m.minor), currency: m.currency)
        } else if let c = credit {
            spend = Money(minor: -abs(c.minor), currency: c.currency)
        } else {
            // An amount written but not readable is a line not read; none at all is nothing paid.
            return field(cols.amount) ?? field(cols.debit) ?? field(cols.credit) == nil ? .empty : .skipped
        }
        guard spend.minor != 0 else { return .empty }
        let foreignCurrency = field(cols.foreignCurrency).flatMap { try? Currency.parse($0) }
        var r = StatementRow(line: rec.line, date: date, description: desc, amount: spend)
        r.valueDate = field(cols.valueDate).flatMap(signs.day)
        r.payee = field(cols.payee).flatMap { $0 == desc ? nil : $0 }
        r.account = field(cols.account)
        r.keyText = field(cols.keyDescription)
        if let f = field(cols.foreignAmount).flatMap({ amount($0, foreignCurrency ?? currency) }), f.currency != spend.currency {
            r.foreign = Money(minor: spend.minor < 0 ? -abs(f.minor) : abs(f.minor), currency: f.currency)
        }
        return .row(r)
    }
}
