import FoundationEssentials
import OWBase

/// Which column of a statement's header holds what: found by the names banks and card issuers
/// give them (English, German, French, Dutch, Spanish), or as `--map` says.
package struct StatementColumns {
    static let dateNames = [
        "date", "transaction date", "booking date", "posted", "posting date", "buchungstag", "buchung", "datum", "valuta",
        "date d'opération", "fecha", "date opération", "boekdatum", "transaktionsdatum", "created date", "started date", "created",
        "date processed",
    ]
    static let valueDateNames = [
        "value date", "valuta", "valutadatum", "wertstellung", "wertstellungsdatum", "date de valeur", "date valeur", "rentedatum",
        "valuta datum", "post date", "completed date",
    ]
    static let descriptionNames = [
        "description", "merchant", "payee", "details", "text", "name", "memo", "verwendungszweck", "beschreibung",
        "empfänger", "libellé", "concepto", "narrative", "naam / omschrijving", "omschrijving", "mededelingen", "handelaar", "toelichting",
    ]
    /// Short words that name a description only as a whole header, and only when no name above is there
    /// (`Notes` beside `Transaction Details` is a note).
    static let descriptionLastNames = ["label", "note", "remarque", "purpose"]
    static let payeeNames = [
        "payee", "payee name", "beguenstigter/zahlungspflichtiger", "begünstigter/zahlungspflichtiger", "auftraggeber/empfänger",
        "zahlungsempfänger*in", "zahlungsempfänger", "naam tegenpartij", "bénéficiaire", "merchant", "name", "naam", "nom",
        "partner name", "counterparty", "counterparty name", "counter party",
    ]
    static let amountNames = ["amount", "value", "betrag", "montant", "importe", "sum", "bedrag", "gross", "brut", "net"]
    static let debitNames = ["debit", "soll", "débit", "withdrawal", "paid out", "money out", "ausgang", "belastung"]
    static let creditNames = ["credit", "haben", "crédit", "deposit", "paid in", "money in", "eingang", "gutschrift"]
    static let currencyNames = ["currency", "währung", "waehrung", "devise", "moneda", "ccy", "munt", "valuta (iso)"]
    static let accountNames = [
        "account", "konto", "auftragskonto", "rekening", "card", "card number", "kartennummer", "card member", "kredietkaart",
        "kaartnummer", "rekeningnummer",
    ]
    static let directionNames = [
        "af bij", "debit/credit", "dr/cr", "credit/debit indicator", "soll/haben", "s/h", "cdtdbtind", "d/c", "c/d", "cr/dr",
        "credit/debit", "debit/credit indicator",
    ]
    /// What kind of line it is (`Bank Deposit to PP Account`, `Gutschrift`): read only for what it says of spend's sign.
    static let kindNames = ["type", "transaction type", "buchungstext", "umsatzart", "booking text", "type d'opération", "tipo"]
    static let foreignWords = ["foreign", "original", "local ", "ursprünglich", "fremdwährung", "originalbetrag", "devise d'origine"]

    package var date: Int
    package var valueDate: Int? = nil
    package var description: Int
    /// The column lines were known by before payee and description were told apart (its text is
    /// in their keys): a ledger that scanned the file then does not count its lines again.
    var keyDescription: Int
    package var payee: Int? = nil
    package var amount: Int? = nil
    var debit: Int? = nil
    var credit: Int? = nil
    package var currency: Int? = nil
    var foreignAmount: Int? = nil
    var foreignCurrency: Int? = nil
    package var account: Int? = nil
    var direction: Int? = nil
    var kind: Int? = nil
    /// A currency the header names for the amount column, as in `Betrag (EUR)`.
    var headerCurrency: Currency? = nil

    var largest: Int { [date, description, amount ?? 0, debit ?? 0].max()! }

    /// A header cell as the names here are written: trimmed, lower case, `_` a space (`transaction_date`).
    static func name(_ cell: String) -> String { CSV.trim(cell).lowercased().replacingByte(UInt8(ascii: "_"), with: " ") }

    /// Whether a header line names a date and an amount (or debit) column: the first such line is the header.
    static func isHeader(_ names: [String], map: StatementMap) -> Bool {
        guard names.count >= 2 else { return false }
        var finder = Finder(names: names, map: map)
        return (try? finder.find("date", dateNames)) != nil
            && ((try? finder.find("amount", amountNames)) != nil || (try? finder.find("debit", debitNames)) != nil)
    }

    package init(_ names: [String], map: StatementMap) throws {
        var finder = Finder(names: names, map: map)
        // Foreign-currency columns first, so `Amount (Foreign Currency)` is never the amount.
        for (i, n) in names.enumerated() where Self.foreignWords.contains(where: n.contains) {
            if Self.amountNames.contains(where: n.contains) {
                finder.foreignAmount = finder.foreignAmount ?? i
            } else {
                finder.foreignCurrency = finder.foreignCurrency ?? i
            }
            finder.taken.insert(i)
        }
        guard let date = try finder.find("date", Self.dateNames) else {
            throw OWError.badData("no date column found in the statement header", hint: "name it with --map date=COLUMN")
        }
        self.date = date
        // The first payee name of the list that the header has: `Naam tegenpartij` before `Naam` (KBC's holder).
        let payee = try finder.explicit("payee") ?? Self.payeeNames.lazy.compactMap { names.firstIndex(of: $0) }.first
        if let payee { finder.taken.insert(payee) }
        guard
            let desc = try finder.find("description", Self.descriptionNames) ?? payee
                ?? finder.find("description", Self.descriptionLastNames, exactOnly: true)
        else {
            throw OWError.badData("no description column found", hint: "name it with --map description=COLUMN")
        }
        description = desc
        let legacy = Self.descriptionNames.prefix(13)
        keyDescription =
            map.columns["description"] == nil
            ? names.firstIndex(where: legacy.contains) ?? names.firstIndex(where: { n in legacy.contains(where: n.contains) }) ?? desc
            : desc
        self.payee = payee == desc ? nil : payee
        direction = try finder.find("direction", Self.directionNames, exactOnly: true)
        // The value date before the amount, so `Value date` is never taken for an amount column.
        valueDate = try finder.find("value_date", Self.valueDateNames, exactOnly: true)
        amount = try finder.find("amount", Self.amountNames)
        debit = try finder.find("debit", Self.debitNames)
        guard amount != nil || debit != nil else {
            throw OWError.badData("no amount or debit column found", hint: "name it with --map amount=COLUMN")
        }
        credit = try finder.find("credit", Self.creditNames)
        currency = try finder.find("currency", Self.currencyNames)
        foreignAmount = try finder.explicit("foreign_amount") ?? finder.foreignAmount
        foreignCurrency = try finder.explicit("foreign_currency") ?? finder.foreignCurrency
        account = try finder.find("account", Self.accountNames, exactOnly: true)
        kind = names.indices.first { !finder.taken.contains($0) && Self.kindNames.contains(names[$0]) }
        if let a = amount ?? debit { headerCurrency = Self.currencyIn(names[a]) }
    }

    /// A column no name gave away that says debit or credit on every line (`TRANSACTION TYPE`: DEBIT, CREDIT; `D/C`),
    /// both kinds among them, and in step with the amounts' signs where they have any (nine lines in ten one way
    /// round or the other): the direction, so that no sign has to be guessed. A card export's `Card Type` (Credit,
    /// Debit) is not in step, and is not taken.
    mutating func findDirection<C: Collection<CSV.Line>>(in records: C) {
        guard direction == nil, let amount else { return }
        let used = Set(
            [date, description, keyDescription, amount]
                + [valueDate, payee, debit, credit, currency, foreignAmount, foreignCurrency, account].compactMap { $0 })
        let lines = records.prefix(StatementSigns.voters)
        let width = lines.first?.fields.count ?? 0
        for column in 0..<width where !used.contains(column) {
            var marks: [(debit: Bool, negative: Bool)] = []
            var signed = false
            for r in lines where r.fields.count > max(column, amount) {
                let mark = CSV.trim(r.fields[column]).lowercased()
                if mark.isEmpty { continue }
                let isDebit = StatementSigns.debitMarks.contains(mark)
                guard isDebit || StatementSigns.creditMarks.contains(mark) else {
                    marks = []
                    break
                }
                let value = CSV.trim(r.fields[amount])
                let negative = value.hasPrefix("-") || value.hasPrefix("(") || value.hasSuffix("-")
                signed = signed || negative
                marks.append((isDebit, negative))
            }
            guard marks.contains(where: \.debit), marks.contains(where: { !$0.debit }) else { continue }
            let along = marks.filter { $0.debit == $0.negative }.count
            if !signed || along * 10 >= marks.count * 9 || (marks.count - along) * 10 >= marks.count * 9 {
                direction = column
                return
            }
        }
    }

    /// `betrag (eur)`, `amount (€)`: the currency a column's name gives its amounts.
    static func currencyIn(_ name: String) -> Currency? {
        guard let open = name.lastIndex(of: "("), let close = name.lastIndex(of: ")"), open < close else { return nil }
        let inside = String(name[name.index(after: open)..<close]).trimmed(.whitespaces)
        if let c = MoneyParser.symbols.first(where: { $0.0 == inside }) { return try? Currency.parse(c.1) }
        return inside.count == 3 ? try? Currency.parse(inside.uppercased()) : nil
    }

    /// Finds columns by name, each column used once; a `--map` name wins and must exist.
    package struct Finder {
        package let names: [String]
        package let map: StatementMap
        package var taken: Set<Int> = []
        var foreignAmount: Int? = nil
        var foreignCurrency: Int? = nil

        func explicit(_ key: String) throws -> Int? {
            guard let column = map.columns[key] else { return nil }
            guard let i = names.firstIndex(of: StatementColumns.name(column)) else {
                throw OWError.badData("the statement has no column '\(column)'; it has: \(names.joined(separator: ", "))")
            }
            return i
        }

        mutating func find(_ key: String, _ candidates: [String], exactOnly: Bool = false) throws -> Int? {
            let found =
                try explicit(key)
                ?? names.indices.first(where: { !taken.contains($0) && candidates.contains(names[$0]) })
                ?? (exactOnly
                    ? nil : names.indices.first(where: { i in !taken.contains(i) && candidates.contains { names[i].contains($0) } }))
            if let found { taken.insert(found) }
            return found
        }
    }
}
