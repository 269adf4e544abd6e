import OWCLI
import OWKit

/// `owatch export`: the ledger's money in the files other tools read.
enum ExportCommand {
    static func journal(_ inv: Call<JournalOption>) throws {
        let format: JournalFormat = inv.choice(.format)!  // required, one of the choices
        var o = JournalOptions(format: format)
        o.from = try inv.day(.from).map(Time.day)
        o.to = try inv.day(.to).map(Time.day)
        if let from = o.from, let to = o.to, from > to { throw OWError.usage("--from \(from) is after --to \(to)") }
        o.periodic = inv.flag(.periodic)
        o.amortize = inv.flag(.amortize)
        if let path = inv.value(.accounts) {
            o.accounts = try AccountMap.parse(
                String(decoding: try inv.readInput(path, maxBytes: 4 << 20), as: UTF8.self), file: path, format: format)
        }
        if let path = inv.value(.existing) { o.existing = String(decoding: try inv.readInput(path), as: UTF8.self) }
        let result = try Journal.export(inv.session.db, o)
        inv.term.out(result.text)
        inv.note(
            "Wrote \(result.charges) charge(s)" + (result.rules > 0 ? " and \(result.rules) budget rule(s)" : "")
                + (result.skipped > 0 ? "; \(result.skipped) already in the journal left out" : "") + " (\(format.rawValue)).")
    }

    static func bills(_ inv: Call<BillsOption>) throws {
        let format: Bills.Format = inv.choice(.format)!  // required, one of the choices
        var o = Bills.Options(format: format)
        o.from = try inv.day(.from)
        o.to = try inv.day(.to)
        if let f = o.from, let t = o.to, t < f { throw OWError.usage("--to is before --from") }
        o.account = inv.value(.account)
        o.contra = inv.value(.contra)
        if let file = inv.value(.map) {
            o.mapping = try Bills.parseMapping(
                String(decoding: try inv.readInput(file, maxBytes: 1 << 20), as: UTF8.self), file: file)
        }
        if let tax = inv.value(.taxType) { o.taxType = tax }
        if let order = inv.value(.dateOrder) { o.dayFirst = order == "dmy" }
        if let n = try inv.integer(.consultant) { o.consultant = n }
        if let n = try inv.integer(.client) { o.client = n }
        if format != .datev, inv.value(.contra) != nil || inv.value(.consultant) != nil || inv.value(.client) != nil {
            throw OWError.usage("--contra, --consultant and --client are DATEV's; \(format.rawValue) has no such field")
        }
        if format == .datev, inv.value(.consultant) == nil || inv.value(.client) == nil {
            inv.warn("no --consultant/--client: the header says Berater 1001, Mandant 1; DATEV imports into the numbers the file names")
        }

        let result = try Bills.export(inv.session, o)
        for s in result.skipped { inv.note("Left out \(s).") }
        if result.converted > 0 {
            inv.note(
                "Converted \(result.converted) charge(s) to \(result.currency.code) at owatch's rates (each one's day; see `owatch rate list`)."
            )
        }
        let rows = result.files.reduce(0) { $0 + $1.rows }
        guard let out = inv.value(.out) else {
            guard result.files.count == 1 else {
                throw OWError.refused(
                    "\(rows) bills is more than Xero imports from one file (\(Bills.xeroBillsPerFile))",
                    hint: "write files instead: --out bills.csv writes bills-1.csv, bills-2.csv, …")
            }
            inv.term.out(bytes: result.files[0].bytes)
            return
        }
        let paths = result.files.count == 1 ? [out] : result.files.indices.map { numbered(out, $0 + 1) }
        for (path, file) in zip(paths, result.files) {
            try FileSystem.writeOutput(path, bytes: file.bytes, mode: 0o600)
        }
        let what = format == .datev ? "bookings" : format == .xero ? "bills" : "transactions"
        if paths.count == 1 {
            inv.note("Wrote \(rows) \(what) to \(out) (\(result.currency.code)).")
        } else {
            inv.note(
                "Wrote \(rows) \(what) in \(paths.count) files of at most \(Bills.xeroBillsPerFile) (Xero's limit): "
                    + paths.joined(separator: ", ") + ".")
        }
        if format == .quickbooks, result.files[0].bytes.count > 350 * 1024 {
            inv.warn("\(out) is over QuickBooks' 350 KB upload limit; export shorter ranges with --from/--to")
        }
    }

    /// `bills.csv` → `bills-2.csv`.
    static func numbered(_ path: String, _ n: Int) -> String {
        let slash = path.lastIndex(of: "/").map { path.index(after: $0) } ?? path.startIndex
        if let dot = path[slash...].lastIndex(of: "."), dot > slash {
            return path[..<dot] + "-\(n)" + path[dot...]
        }
        return path + "-\(n)"
    }
}

/// `owatch export`: its manual page.
let exportNoun = Noun(
    name: "export", summary: "the ledger's charges for the books and accounting packages",
    description: """
        export journal writes every charge as a plain-text accounting transaction for hledger, Ledger or Beancount, on stdout: its day, the vendor as payee, the receipt's or statement's text as the note, the amount exactly in the charge's own currency, an expense account by category and vendor (expenses:software:CATEGORY:VENDOR) and the account that paid by origin (liabilities:card for mail receipts and statement lines, assets:bank for charges entered by hand).
        Each transaction carries its charge id (the comment ; owatch-charge: 42 in hledger and Ledger, the metadata owatch-charge: "42" in Beancount); with --existing FILE the charges, budget rules, accounts and commodities that FILE has already are left out, so export journal --existing books.journal >> books.journal adds nothing twice.
        --accounts FILE maps the office's chart of accounts, one line each: vendor NAME = ACCOUNT (that vendor's expense account), category NAME = ACCOUNT (the parent of its vendors' accounts), origin mail|statement|manual = ACCOUNT (what paid), prepaid = ACCOUNT (the parent of the prepaid-expense accounts); # starts a comment.
        --periodic adds one budget rule per recurring license, its cost per billing period from the month its first seats were bought to the day it ends: a periodic transaction (~ monthly, ~ every 12 months …) for hledger balance --budget, and for Beancount, which has no budgets, fava's custom "budget" directive (ACCOUNT "monthly"|"quarterly"|"yearly"|"weekly" AMOUNT, with a zero budget from the day a cancelled contract ends).
        --amortize books a charge that pays a license ahead for months (quarterly, yearly, 24m: up to 120 months) as finance does: the payment into assets:prepaid:VENDOR, then one transfer a month into the expense account, parts of whole minor units that add up to the charge exactly.
        Text from data is written on one line: newlines, tabs and runs of spaces become one space (two spaces end a hledger description), ; becomes , and | becomes / in a payee; a Ledger note writes : as ∶ so it cannot make a tag; Beancount strings are quoted and escaped. Account names from data keep letters and digits (ASCII for Beancount), anything else becomes -; commodities other than plain letters are quoted for hledger and Ledger.
        export bills writes one line per charge: --format xero is Xero's bills import CSV (*ContactName, *InvoiceNumber, *InvoiceDate, *DueDate, Description, *Quantity, *UnitAmount, *AccountCode, *TaxType; dates DD/MM/YYYY; account 429 and tax rate Tax Exempt unless --account, --map or --tax-type; at most 500 bills a file, so --out bills.csv writes bills-1.csv, bills-2.csv, … beyond; refunds are left out, named, for Xero's credit notes).
        --format quickbooks is QuickBooks Online's 3-column bank upload (Date, Description, Amount; MM/DD/YYYY; money out negative).
        --format datev is DATEV's EXTF Buchungsstapel (700, 21, Formatversion 13): Windows-1252 (a character it lacks becomes ?), semicolons, decimal commas, CR LF; S on SKR03 4964 (licences) or 4806 (categories infrastructure, monitoring, storage, web, it, data) against 1200 Bank or --contra, a refund H; no BU-Schlüssel; Belegdatum DDMM, so one calendar year a file; Buchungstext vendor and note cut at 60 characters.
        One currency a file: the base currency (config base_currency, else the ledger's); other charges are converted at owatch's rate of their day, the original amount kept in the description (DATEV: Beleginfo); with no rate nothing is written and the error names the rate to add.
        Text a spreadsheet would run as a formula (a leading =, +, -, @) gets a leading apostrophe; line breaks become spaces. --map FILE: lines vendor=account or category:NAME=account, # for comments.
        """
)

/// `owatch export …`: its commands, in help order.
let exportCommands: [Command] = [
    Command(
        noun: "export", verb: "journal", summary: "write the charges as an hledger, Ledger or Beancount journal",
        options: ExportCommand.JournalOption.self,
        access: .roles(adminOnly),
        examples: [
            "owatch export journal --format hledger --from 2026-01-01 > software.journal",
            "owatch export journal --format hledger --existing books.journal >> books.journal",
            "owatch export journal --format hledger --periodic > s.journal && hledger -f s.journal balance --budget -M expenses",
            "owatch export journal --format beancount --amortize --accounts chart.txt > software.beancount && bean-check software.beancount",
        ],
        run: ExportCommand.journal),
    Command(
        noun: "export", verb: "bills",
        summary:
            "charges as an accounting package imports them: Xero bills CSV, QuickBooks bank CSV, DATEV EXTF Buchungsstapel",
        options: ExportCommand.BillsOption.self,
        access: .roles(adminOnly),
        examples: [
            "owatch export bills --format xero --from 2026-10-01 --to 2026-10-31 --out bills.csv",
            "owatch export bills --format quickbooks --from 2026-10-01 > quickbooks.csv",
            "owatch export bills --format datev --consultant 29098 --client 55003 --from 2026-01-01 --to 2026-12-31 --out EXTF_Buchungsstapel.csv",
        ],
        run: ExportCommand.bills),
]

extension ExportCommand {
    enum JournalOption: String, OptionKeys {
        case format, from, to, periodic, amortize, accounts, existing

        var spec: Option {
            switch self {
            case .format:
                Option(
                    value: "FORMAT", "the journal's format (required)", choices: JournalFormat.allCases.map(\.rawValue),
                    required: .message("say which journal: owatch export journal --format hledger|ledger|beancount"))
            case .from: Option(value: "DATE", "charges on or after", kind: .day)
            case .to: Option(value: "DATE", "charges on or before", kind: .day)
            case .periodic: Option("add a budget rule per recurring license (hledger balance --budget; fava's budgets)")
            case .amortize: Option("spread a payment for several months ahead over those months, through prepaid expenses")
            case .accounts: Option(value: "FILE", "map vendors, categories and origins to the office's accounts", file: .input)
            case .existing: Option(value: "FILE", "leave out what this journal has already (to append to it)", file: .input)
            }
        }
    }

    enum BillsOption: String, OptionKeys {
        case format, from, to, out, account, map
        case taxType = "tax-type"
        case dateOrder = "date-order"
        case contra, consultant, client

        var spec: Option {
            switch self {
            case .format:
                Option(
                    value: "FORMAT", "the package (required)", choices: Bills.Format.allCases.map(\.rawValue),
                    required: .message("say which package: owatch export bills --format xero|quickbooks|datev"))
            case .from: Option(value: "DATE", "charged on or after", kind: .day)
            case .to: Option(value: "DATE", "charged on or before", kind: .day)
            case .out:
                Option(
                    short: "o", value: "FILE",
                    "write to FILE (0600) instead of stdout; Xero beyond 500 bills: FILE-1, FILE-2, … (the limit of one import)",
                    file: .output)
            case .account:
                Option(value: "CODE", "one expense account for every charge (Xero default 429; DATEV default 4964, or 4806 for IT)")
            case .map: Option(value: "FILE", "accounts per vendor or category: lines VENDOR=CODE or category:NAME=CODE", file: .input)
            case .taxType: Option(value: "NAME", "Xero TaxType, as Xero names the rate (default 'Tax Exempt')")
            case .dateOrder: Option(value: "ORDER", "dmy or mdy (default: dmy for Xero, mdy for QuickBooks)", choices: ["dmy", "mdy"])
            case .contra: Option(value: "CODE", "DATEV Gegenkonto, the account paid from (default 1200 Bank; a card's clearing account)")
            case .consultant: Option(value: "N", "DATEV Beraternummer (1001-9999999)", kind: .integer(1001...9_999_999))
            case .client: Option(value: "N", "DATEV Mandantennummer (1-99999)", kind: .integer(1...99999))
            }
        }
    }
}
