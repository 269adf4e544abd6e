import FoundationEssentials
import OWCore
import OWIdentity
import OWOffice

/// `owatch export bills`: the charges as files an accounting package imports.
///
/// The formats, as their makers document them:
/// - Xero, "Import bills" (Business › Bills to pay › Import, and its CSV template): one row per bill
///   line, columns `*ContactName, *InvoiceNumber, *InvoiceDate, *DueDate, Description, *Quantity,
///   *UnitAmount, *AccountCode, *TaxType` (the `*` marks the columns the template requires), dates
///   DD/MM/YYYY (or the organisation's region order), at most 500 bills per file, one currency.
///   https://central.xero.com/s/article/Import-bills
/// - QuickBooks Online, "Format CSV files … to upload bank transactions": the 3-column form
///   `Date, Description, Amount`, money out negative, no currency symbols or thousands separators,
///   one date format for the whole file (MM/DD/YYYY for a US company), at most 350 KB a file.
///   https://quickbooks.intuit.com/learn-support/en-uk/help-article/bank-transactions/format-csv-files-excel-get-bank-transactions/L4BjLWckq_GB_en_GB
/// - DATEV, "Formatbeschreibung Buchungsstapel" (DATEV-Format, Versionsnummer 700, Formatkategorie 21,
///   Formatversion 13): a header record of 31 fields, the column line (125 columns), one line per
///   booking; Windows-1252, semicolons, text in double quotes, decimal commas, CR LF.
///   https://developer.datev.de/de/file-format/details/datev-format/format-description/header
///   https://developer.datev.de/de/file-format/details/datev-format/format-description/booking-batch
///   Cross-checked with the field lists of open exporters: ledermann/datev (lib/datev/base/header.rb)
///   and jonaswitt/stripe-datev-exporter (stripe_datev/output.py).
public enum Bills {
    public enum Format: String, CaseIterable, Sendable {
        case xero, quickbooks, datev
    }

    /// What the office decides: accounts, tax type, date order, DATEV's numbers.
    public struct Options: Sendable {
        public var format: Format
        public var from: Date?
        public var to: Date?
        /// One expense account for every charge (otherwise the mapping, then the defaults).
        public var account: String?
        /// DATEV's Gegenkonto: the account the money left from (default 1200 Bank).
        public var contra: String?
        /// Vendor name or `category:NAME` (lowercased) → account.
        public var mapping: [String: String] = [:]
        public var taxType: String = "Tax Exempt"
        /// Day before month in dates (Xero: yes by default; QuickBooks: no).
        public var dayFirst: Bool?
        public var consultant: Int = 1001
        public var client: Int = 1
        public init(format: Format) { self.format = format }
    }

    /// One file's bytes and how many bills it holds.
    public struct File: Sendable {
        public let bytes: [UInt8]
        public let rows: Int
    }

    public struct Result: Sendable {
        public var files: [File] = []
        /// The currency the amounts are in.
        public var currency: Currency
        /// Charges left out, in words (Xero refunds, zero amounts).
        public var skipped: [String] = []
        /// How many charges were converted from another currency.
        public var converted = 0
    }

    /// Xero imports at most this many bills from one file.
    public static let xeroBillsPerFile = 500

    /// SKR03 defaults: 4964 "Aufwendungen für die zeitlich befristete Überlassung von Rechten
    /// (Lizenzen, Konzessionen)" for software subscriptions; 4806 "Wartungskosten für Hard- und
    /// Software" for hosting and IT services; 1200 "Bank" as the account paid from.
    public static let datevSoftware = "4964"
    public static let datevIT = "4806"
    public static let datevBank = "1200"
    /// Categories booked as IT services (4806) rather than licences (4964).
    public static let itCategories: Set<String> = ["infrastructure", "monitoring", "storage", "web", "it", "data"]
    /// Xero's default chart of accounts: 429 General Expenses.
    public static let xeroDefaultAccount = "429"

    public static func export(_ session: Session, _ o: Options) throws -> Result {
        let db = session.db
        var filter = Charges.Filter()
        filter.from = o.from
        filter.to = o.to
        let charges = try Charges.list(db, filter)
        let base = try Currency.parse(try Config.get(session.ledger, "base_currency") ?? session.ledger.currency)
        var categories: [String: String] = [:]
        for row in try db.query("SELECT name, category FROM vendors") {
            categories[try row.text("name").lowercased()] = try row.text("category").lowercased()
        }
        let today = Time.day(session.now)
        let rates = ExchangeRates(db)
        var result = Result(currency: base)

        // Every amount in the one currency, or nothing written at all.
        var lines: [Line] = []
        var missing: [String: (from: String, to: String)] = [:]
        for c in charges {
            guard c.amount.minor != 0 else {
                result.skipped.append("charge #\(c.id) (\(c.vendor), nothing paid)")
                continue
            }
            var amount = c.amount
            var original: (money: Money, day: String)?
            if c.amount.currency != base {
                guard let conv = try rates.convert(c.amount, to: base, on: min(c.chargedOn, today)) else {
                    let m = missing[c.amount.currency.code]
                    missing[c.amount.currency.code] = (min(m?.from ?? c.chargedOn, c.chargedOn), max(m?.to ?? c.chargedOn, c.chargedOn))
                    continue
                }
                amount = conv.money
                original = (c.amount, conv.rateDay ?? c.chargedOn)
                result.converted += 1
            }
            let category = categories[c.vendor.lowercased()] ?? "other"
            let account =
                o.account ?? o.mapping[c.vendor.lowercased()] ?? o.mapping["category:" + category]
                ?? (o.format == .datev ? (itCategories.contains(category) ? datevIT : datevSoftware) : xeroDefaultAccount)
            lines.append(Line(charge: c, amount: amount, original: original, account: account))
        }
        if !missing.isEmpty {
            let names = missing.keys.sorted()
            throw OWError(
                .refused,
                "\(o.format.rawValue) takes one currency (\(base.code)) and owatch has no rate for "
                    + names.map { "\($0) (\(missing[$0]!.from)…\(missing[$0]!.to))" }.joined(separator: ", ") + "; nothing written",
                hints: names.map { "owatch rate set \($0) \(base.code) RATE --on \(missing[$0]!.from)" })
        }

        switch o.format {
        case .xero:
            var kept: [Line] = []
            for l in lines {
                if l.amount.minor < 0 {
                    result.skipped.append(
                        "charge #\(l.charge.id) (\(l.charge.vendor) \(l.charge.amount.display) refund: enter it in Xero as a credit note)")
                } else {
                    kept.append(l)
                }
            }
            let numbers = invoiceNumbers(kept)
            var start = 0
            repeat {
                let part = Array(kept[start..<min(start + xeroBillsPerFile, kept.count)])
                result.files.append(File(bytes: xero(part, numbers: numbers, o), rows: part.count))
                start += xeroBillsPerFile
            } while start < kept.count
        case .quickbooks:
            result.files = [File(bytes: quickbooks(lines, o), rows: lines.count)]
        case .datev:
            result.files = [File(bytes: try datev(lines, o, base: base, session: session, today: today), rows: lines.count)]
        }
        return result
    }

    package struct Line {
        package let charge: Charge
        /// In the file's currency.
        package let amount: Money
        /// The amount as paid and the day of the rate, when converted.
        package let original: (money: Money, day: String)?
        package let account: String
    }

    // MARK: Xero

    static let xeroHeader = [
        "*ContactName", "*InvoiceNumber", "*InvoiceDate", "*DueDate", "Description", "*Quantity", "*UnitAmount", "*AccountCode", "*TaxType",
    ]

    /// Invoice numbers unique per contact: Xero merges rows of one contact and number into one
    /// bill, so a second charge with the same number (or none) gets the charge id added.
    static func invoiceNumbers(_ lines: [Line]) -> [Int64: String] {
        var seen: Set<String> = []
        var out: [Int64: String] = [:]
        for l in lines {
            let given = clean(l.charge.invoiceNo ?? "")
            var n = given.isEmpty ? "owatch-\(l.charge.id)" : given
            if seen.contains(l.charge.vendor.lowercased() + "\u{0}" + n) { n += "-\(l.charge.id)" }
            seen.insert(l.charge.vendor.lowercased() + "\u{0}" + n)
            out[l.charge.id] = n
        }
        return out
    }

    package static func xero(_ lines: [Line], numbers: [Int64: String], _ o: Options) -> [UInt8] {
        var out: [UInt8] = []
        csvRow(xeroHeader, to: &out)
        for l in lines {
            let day = date(l.charge.chargedOn, dayFirst: o.dayFirst ?? true)
            csvRow(
                [
                    guarded(clean(l.charge.vendor)), guarded(numbers[l.charge.id] ?? "owatch-\(l.charge.id)"), day, day,
                    guarded(description(l)), "1", decimal(l.amount, comma: false), guarded(l.account), guarded(o.taxType),
                ], to: &out)
        }
        return out
    }

    // MARK: QuickBooks

    package static func quickbooks(_ lines: [Line], _ o: Options) -> [UInt8] {
        var out: [UInt8] = []
        csvRow(["Date", "Description", "Amount"], to: &out)
        for l in lines {
            // Money out is negative; a refund is money in.
            let paid = Money(minor: -l.amount.minor, currency: l.amount.currency)
            csvRow(
                [
                    date(l.charge.chargedOn, dayFirst: o.dayFirst ?? false), guarded(clean(l.charge.vendor) + ": " + description(l)),
                    decimal(paid, comma: false),
                ],
                to: &out)
        }
        return out
    }

    package static func description(_ l: Line) -> String {
        var parts: [String] = []
        if let d = l.charge.description.map(clean), !d.isEmpty { parts.append(d) }
        if let n = l.charge.invoiceNo.map(clean), !n.isEmpty { parts.append("invoice " + n) }
        if let p = l.charge.period, !p.isEmpty { parts.append(clean(p)) }
        if let o = l.original { parts.append("\(decimal(o.money, comma: false)) \(o.money.currency.code) at the rate of \(o.day)") }
        parts.append("owatch charge #\(l.charge.id)")
        return parts.joined(separator: "; ")
    }

    // MARK: DATEV

    /// The column line of DATEV's sample file (Formatversion 13), 125 columns.
    static let datevColumns: [String] = {
        var c = [
            "Umsatz (ohne Soll/Haben-Kz)", "Soll/Haben-Kennzeichen", "WKZ Umsatz", "Kurs", "Basis-Umsatz", "WKZ Basis-Umsatz", "Konto",
            "Gegenkonto (ohne BU-Schlüssel)", "BU-Schlüssel", "Belegdatum", "Belegfeld 1", "Belegfeld 2", "Skonto", "Buchungstext",
            "Postensperre", "Diverse Adressnummer", "Geschäftspartnerbank", "Sachverhalt", "Zinssperre", "Beleglink",
        ]
        for i in 1...8 { c += ["Beleginfo - Art \(i)", "Beleginfo - Inhalt \(i)"] }
        c += [
            "KOST1 - Kostenstelle", "KOST2 - Kostenstelle", "Kost-Menge", "EU-Land u. UStID (Bestimmung)", "EU-Steuersatz (Bestimmung)",
            "Abw. Versteuerungsart", "Sachverhalt L+L", "Funktionsergänzung L+L", "BU 49 Hauptfunktionstyp", "BU 49 Hauptfunktionsnummer",
            "BU 49 Funktionsergänzung",
        ]
        for i in 1...20 { c += ["Zusatzinformation - Art \(i)", "Zusatzinformation- Inhalt \(i)"] }
        c += [
            "Stück", "Gewicht", "Zahlweise", "Forderungsart", "Veranlagungsjahr", "Zugeordnete Fälligkeit", "Skontotyp", "Auftragsnummer",
            "Buchungstyp", "USt-Schlüssel (Anzahlungen)", "EU-Land (Anzahlungen)", "Sachverhalt L+L (Anzahlungen)",
            "EU-Steuersatz (Anzahlungen)", "Erlöskonto (Anzahlungen)", "Herkunft-Kz", "Buchungs GUID", "KOST-Datum", "SEPA-Mandatsreferenz",
            "Skontosperre", "Gesellschaftername", "Beteiligtennummer", "Identifikationsnummer", "Zeichnernummer", "Postensperre bis",
            "Bezeichnung SoBil-Sachverhalt", "Kennzeichen SoBil-Buchung", "Festschreibung", "Leistungsdatum", "Datum Zuord. Steuerperiode",
            "Fälligkeit", "Generalumkehr (GU)", "Steuersatz", "Land", "Abrechnungsreferenz", "BVV-Position", "EU-Land u. UStID (Ursprung)",
            "EU-Steuersatz (Ursprung)", "Abw. Skontokonto",
        ]
        return c
    }()

    package static func datev(_ lines: [Line], _ o: Options, base: Currency, session: Session, today: String) throws -> [UInt8] {
        // Belegdatum is DDMM: a batch holds one fiscal year (owatch takes the calendar year).
        let days = lines.map(\.charge.chargedOn)
        let from = o.from.map(Time.day) ?? days.min() ?? today
        let to = o.to.map(Time.day) ?? days.max() ?? from
        guard from.prefix(4) == to.prefix(4) else {
            throw OWError.usage(
                "a DATEV batch holds one fiscal year, and \(from)…\(to) spans more",
                hint: "export each year apart: --from \(to.prefix(4))-01-01 --to \(to.prefix(4))-12-31")
        }
        for (name, value) in [("account", o.account), ("contra", o.contra)] + o.mapping.map({ ($0.key, Optional($0.value)) }) {
            guard let value else { continue }
            guard (1...9).contains(value.count), value.allSatisfy({ $0.isASCII && $0.isNumber }), value.contains(where: { $0 != "0" })
            else {
                throw OWError.usage("DATEV accounts are numbers of up to 9 digits; '\(value.prefix(20))' (\(name.prefix(40))) is not")
            }
        }
        guard (1001...9_999_999).contains(o.consultant), (1...99999).contains(o.client) else {
            throw OWError.usage("DATEV's Beraternummer is 1001…9999999 and Mandantennummer 1…99999")
        }
        var text: [String] = []
        let stamp = Time.rfc3339(session.now).filter { $0.isNumber }.prefix(14) + "000"
        let user = String(session.actor.name.filter { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_") }.prefix(25))
        let header: [String] = [
            q("EXTF"), "700", "21", q("Buchungsstapel"), "13", String(stamp), "", q("OW"), q(user), q(""),
            String(o.consultant), String(o.client), from.prefix(4) + "0101", "4", compact(from), compact(to), q("owatch bills"), q(""),
            "1", "0", "0", q(base.code), "", q(""), "", "", q("03"), "", "", q(""), q(""),
        ]
        text.append(header.joined(separator: ";"))
        text.append(datevColumns.joined(separator: ";"))
        let contra = o.contra ?? datevBank
        for l in lines {
            var f = [String](repeating: "", count: datevColumns.count)
            f[0] = decimal(Money(minor: abs(l.amount.minor), currency: l.amount.currency), comma: true)
            // The expense account is debited (S); a refund credits it (H).
            f[1] = q(l.amount.minor < 0 ? "H" : "S")
            f[2] = q(base.code)
            f[6] = l.account
            f[7] = contra
            let d = l.charge.chargedOn
            f[9] = String(d.dropFirst(8).prefix(2) + d.dropFirst(5).prefix(2))
            f[10] = q(belegfeld(l.charge.invoiceNo ?? "", id: l.charge.id))
            f[13] = q(truncated(guarded(clean(l.charge.vendor) + (l.charge.description.map { ": " + clean($0) } ?? "")), 60))
            f[20] = q("owatch")
            f[21] = q("charge #\(l.charge.id)")
            if let o = l.original {
                f[22] = q("Originalbetrag")
                f[23] = q("\(decimal(o.money, comma: true)) \(o.money.currency.code), Kurs vom \(o.day)")
            }
            text.append(f.joined(separator: ";"))
        }
        return windows1252(text.joined(separator: "\r\n") + "\r\n")
    }

    /// A DATEV text field: in double quotes, a quote inside doubled.
    static func q(_ s: String) -> String { "\"" + s.replacingByte(UInt8(ascii: "\""), with: "\"\"") + "\"" }

    static func compact(_ day: String) -> String { day.filter { $0 != "-" } }

    /// Belegfeld 1: up to 36 of letters, digits and `$&%*+-/_`; the charge id when the invoice
    /// number leaves nothing.
    static func belegfeld(_ s: String, id: Int64) -> String {
        let allowed = Set("$&%*+-/_")
        var kept = s.unicodeScalars.filter {
            $0.isASCII && (allowed.contains(Character($0)) || Character($0).isLetter || Character($0).isNumber)
        }
        .map(Character.init)
        while let f = kept.first, "+-=@".contains(f) { kept.removeFirst() }
        let v = String(String(kept).prefix(36))
        return v.isEmpty ? "OW\(id)" : v
    }

    /// At most `n` characters as DATEV counts them (one byte each in Windows-1252).
    static func truncated(_ s: String, _ n: Int) -> String { String(s.unicodeScalars.prefix(n).map(Character.init)) }
}
