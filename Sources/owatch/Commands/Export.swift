import OWCLI
import OWKit

/// `owatch export`: the ledger's numbers as files other programs load.
enum ExportCommand {
    static func bills(_ inv: Invocation) throws {
        guard let name = inv.value("format"), let format = Bills.Format(rawValue: name) else {
            throw OWError.usage("say which package: owatch export bills --format xero|quickbooks|datev")
        }
        var o = Bills.Options(format: format)
        o.from = try inv.day("from")
        o.to = try inv.day("to")
        if let f = o.from, let t = o.to, t < f { throw OWError.usage("--to is before --from") }
        o.account = inv.value("account")
        o.contra = inv.value("contra")
        if let file = inv.value("map") {
            o.mapping = try Bills.parseMapping(
                String(decoding: try FileSystem.readInput(file, maxBytes: 1 << 20), as: UTF8.self), file: file)
        }
        if let tax = inv.value("tax-type") { o.taxType = tax }
        if let order = inv.value("date-order") { o.dayFirst = order == "dmy" }
        if let n = try inv.integer("consultant", range: 1001...9_999_999) { o.consultant = n }
        if let n = try inv.integer("client", range: 1...99999) { o.client = n }
        if format != .datev, inv.value("contra") != nil || inv.value("consultant") != nil || inv.value("client") != nil {
            throw OWError.usage("--contra, --consultant and --client are DATEV's; \(name) has no such field")
        }
        if format == .datev, inv.value("consultant") == nil || inv.value("client") == nil {
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
        guard let out = inv.value("out") else {
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
    name: "export", summary: "files for accounting packages",
    description: """
        export writes the ledger's charges in the formats other programs import.
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
        noun: "export", verb: "bills",
        summary:
            "charges as an accounting package imports them: Xero bills CSV, QuickBooks bank CSV, DATEV EXTF Buchungsstapel",
        options: [
            Option("format", value: "FORMAT", "the package (required)", choices: Bills.Format.allCases.map(\.rawValue)),
            Option("from", value: "DATE", "charged on or after"), Option("to", value: "DATE", "charged on or before"),
            Option(
                "out", short: "o", value: "FILE",
                "write to FILE (0600) instead of stdout; Xero beyond 500 bills: FILE-1, FILE-2, … (the limit of one import)",
                file: .output),
            Option("account", value: "CODE", "one expense account for every charge (Xero default 429; DATEV default 4964, or 4806 for IT)"),
            Option("map", value: "FILE", "accounts per vendor or category: lines VENDOR=CODE or category:NAME=CODE", file: .input),
            Option("tax-type", value: "NAME", "Xero TaxType, as Xero names the rate (default 'Tax Exempt')"),
            Option(
                "date-order", value: "ORDER", "dmy or mdy (default: dmy for Xero, mdy for QuickBooks)", choices: ["dmy", "mdy"]),
            Option("contra", value: "CODE", "DATEV Gegenkonto, the account paid from (default 1200 Bank; a card's clearing account)"),
            Option("consultant", value: "N", "DATEV Beraternummer (1001-9999999)"),
            Option("client", value: "N", "DATEV Mandantennummer (1-99999)"),
        ],
        access: .roles(adminOnly),
        examples: [
            "owatch export bills --format xero --from 2026-10-01 --to 2026-10-31 --out bills.csv",
            "owatch export bills --format quickbooks --from 2026-10-01 > quickbooks.csv",
            "owatch export bills --format datev --consultant 29098 --client 55003 --from 2026-01-01 --to 2026-12-31 --out EXTF_Buchungsstapel.csv",
        ],
        run: ExportCommand.bills)
]
