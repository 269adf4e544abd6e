import FoundationEssentials

/// One card or bank statement line that paid a known vendor or a merchant nobody registered;
/// `key` is its identity whatever file it is read from (`StatementIdentity`).
struct StatementLine {
    let line: Int
    let date: Date
    let description: String
    let amount: Money
    let payee: StatementPayee
    let key: String
}

/// Card and bank statement CSV: columns found by their names (or `--map`), `,` `;` or tab
/// separated, dates as YYYY-MM-DD, DD.MM.YYYY or MM/DD/YYYY and DD/MM/YYYY (told apart by
/// the values), spend either as negative amounts or as a debit column.
enum StatementReader {
    static let dateNames = [
        "date", "transaction date", "booking date", "posted", "posting date", "buchungstag", "datum", "valuta", "date d'opération", "fecha",
    ]
    static let descriptionNames = [
        "description", "merchant", "payee", "details", "text", "name", "memo", "verwendungszweck", "beschreibung",
        "empfänger", "libellé", "concepto", "narrative",
    ]
    static let amountNames = ["amount", "value", "betrag", "montant", "importe", "sum"]
    static let debitNames = ["debit", "soll", "débit", "withdrawal", "paid out", "money out"]
    static let creditNames = ["credit", "haben", "crédit", "deposit", "paid in", "money in"]
    static let currencyNames = ["currency", "währung", "devise", "moneda", "ccy"]

    struct Columns {
        var date: Int
        var description: Int
        var amount: Int?
        var debit: Int?
        var credit: Int?
        var currency: Int?
    }

    /// What a statement holds: lines that paid a known vendor, how many lines could not be read,
    /// and lines whose amount is too large to be true (bad data, named by line).
    struct Contents {
        var lines: [StatementLine] = []
        var skipped = 0
        var badLines: [(line: Int, key: String, why: String)] = []
    }

    static let refundWords = ["refund", "reversal", "chargeback", "gutschrift", "erstattung", "remboursement", "reembolso", "rimborso"]

    static func isRefund(_ description: String) -> Bool {
        let lower = description.lowercased()
        return refundWords.contains { lower.contains($0) }
    }

    static func read(_ text: String, map: String?, index: VendorIndex, defaultCurrency: Currency) throws -> Contents {
        let records = try CSV.parse(text, delimiter: CSV.detectDelimiter(text))
        guard let header = records.first else { throw OWError.badData("the statement is empty") }
        let names = header.fields.map { CSV.trim($0).lowercased() }
        let cols = try columns(names, map: map)
        let dates = records.dropFirst().compactMap { $0.fields.count > cols.date ? $0.fields[cols.date] : nil }
        let dayFirst = dates.contains { d in
            let p = d.split(whereSeparator: { $0 == "/" })
            return p.count == 3 && (Int(p[0]) ?? 0) > 12
        }
        // Sign convention of a single amount column: spend is whichever sign most lines have.
        var spendIsNegative = true
        if let a = cols.amount {
            // Lines that say they are refunds do not vote: a statement of one refund is not one of positive spend.
            let values = records.dropFirst().compactMap { r -> String? in
                guard r.fields.count > a, r.fields.count <= cols.description || !isRefund(r.fields[cols.description]) else { return nil }
                return r.fields[a].trimmed(.whitespaces)
            }
            spendIsNegative = values.filter { $0.hasPrefix("-") || $0.hasPrefix("(") }.count * 2 >= values.count
        }
        var out = Contents()
        var identity = StatementIdentity(account: nil)
        for rec in records.dropFirst() {
            guard rec.fields.count >= names.count || rec.fields.count > max(cols.date, cols.description, cols.amount ?? 0, cols.debit ?? 0)
            else {
                out.skipped += 1
                continue
            }
            func field(_ i: Int?) -> String? {
                i.flatMap { $0 < rec.fields.count ? CSV.trim(rec.fields[$0]) : nil }.flatMap { $0.isEmpty ? nil : $0 }
            }
            guard let dateText = field(cols.date), let date = parseDate(dateText, dayFirst: dayFirst), let desc = field(cols.description)
            else {
                out.skipped += 1
                continue
            }
            let currency = field(cols.currency).flatMap { try? Currency.parse($0) } ?? defaultCurrency
            var spend: Int64?
            // An amount too large to be true is bad data: named, and the rest still read.
            func amount(_ text: String?) throws -> Money? {
                guard let text else { return nil }
                do {
                    return try MoneyParser.parse(text, defaultCurrency: currency) as Money
                } catch let e as OWError where e.kind == .badData {
                    out.badLines.append((rec.line, "stmt:bad:\(dateText):\(desc):\(text)", e.message))
                    throw e
                } catch {
                    return nil
                }
            }
            let paid: Money?
            let debit: Money?
            do {
                paid = try amount(field(cols.amount))
                debit = paid == nil ? try amount(field(cols.debit)) : nil
            } catch {
                continue
            }
            if let m = paid {
                spend = spendIsNegative ? -m.minor : m.minor
            } else if let m = debit {
                spend = abs(m.minor)
            } else if let c = (try? amount(field(cols.credit))) ?? nil {
                spend = -abs(c.minor)
            }
            // Money in from a software vendor is a refund: a negative charge that burn nets.
            guard let minor = spend, minor != 0 else { continue }
            guard let payee = StatementPayee.of(desc, index) else { continue }  // a transfer, or everyday one-off spend
            let money = Money(minor: minor, currency: currency)
            out.lines.append(
                StatementLine(
                    line: rec.line, date: date, description: desc, amount: money, payee: payee,
                    key: identity.key(day: Time.day(date), amount: money, description: desc)))
        }
        return out
    }

    /// `--map date=Booked,amount=EUR,…`: which column holds what.
    static func parseMap(_ map: String?) throws -> [(String, String)] {
        try (map ?? "").split(separator: ",").map { pair in
            let kv = pair.split(separator: "=", maxSplits: 1).map { $0.trimmed(.whitespaces) }
            guard kv.count == 2, !kv[1].isEmpty,
                ["date", "description", "amount", "debit", "credit", "currency"].contains(kv[0].lowercased())
            else {
                throw OWError.usage(
                    "--map takes date=COLUMN,description=COLUMN,amount=COLUMN (or debit=, credit=, currency=), not '\(pair)'")
            }
            return (kv[0].lowercased(), kv[1])
        }
    }

    static func validateMap(_ map: String) throws { _ = try parseMap(map) }

    static func columns(_ names: [String], map: String?) throws -> Columns {
        var explicit: [String: Int] = [:]
        for (key, column) in try parseMap(map) {
            let kv = [key, column]
            guard let i = names.firstIndex(of: kv[1].lowercased()) else {
                throw OWError.badData("the statement has no column '\(kv[1])'; it has: \(names.joined(separator: ", "))")
            }
            explicit[key] = i
        }
        func find(_ key: String, _ candidates: [String]) -> Int? {
            explicit[key] ?? names.firstIndex(where: { candidates.contains($0) })
                ?? names.firstIndex(where: { n in candidates.contains { n.contains($0) } })
        }
        guard let date = find("date", dateNames) else {
            throw OWError.badData("no date column found in the statement header", hint: "name it with --map date=COLUMN")
        }
        guard let desc = find("description", descriptionNames) else {
            throw OWError.badData("no description column found", hint: "name it with --map description=COLUMN")
        }
        let amount = find("amount", amountNames)
        let debit = find("debit", debitNames)
        guard amount != nil || debit != nil else {
            throw OWError.badData("no amount or debit column found", hint: "name it with --map amount=COLUMN")
        }
        return Columns(
            date: date, description: desc, amount: amount, debit: debit, credit: find("credit", creditNames),
            currency: find("currency", currencyNames))
    }

    static func parseDate(_ s: String, dayFirst: Bool) -> Date? {
        if let d = Time.parseDay(String(s.prefix(10))) { return d }
        let parts = s.split(whereSeparator: { $0 == "." || $0 == "/" || $0 == "-" }).map { Int($0) }
        guard parts.count == 3, let a = parts[0], let b = parts[1], var y = parts[2] else { return nil }
        if y < 100 { y += 2000 }
        let dotted = s.includes(".")
        let (d, m) = dotted || dayFirst ? (a, b) : (b, a)
        return Time.parseDay("\(Time.pad(y, 4))-\(Time.pad(m, 2))-\(Time.pad(d, 2))")
    }
}
