import FoundationEssentials
import OWCLI
import OWKit

enum ScanCommand {
    /// A finding as every command shows it: declared beside its type (Finding.shape).
    static let findingShape = Finding.shape

    static let runShape = ScanRun.shape

    static let sourceShape = ScanSource.shape

    static let inspectedShape = InspectedMessage.shape

    static let statementRowShape = InspectedStatementRow.shape

    static func inspectStatement(_ inv: Call<InspectOption>) throws {
        let (file, rows) = try Inspection.statement(inv.session, path: inv.argument(0), map: inv.value(.map))
        inv.emit(rows.map { InspectedStatementRow(row: $0.0, vendor: $0.1) }, as: statementRowShape)
        let account = file.account.map { ", account \($0)" } ?? ""
        let period = file.period.map { ", period \($0)" } ?? ""
        let skipped = file.skipped > 0 ? ", \(file.skipped) line(s) not read" : ""
        inv.note("\(rows.count) row(s) read as \(file.format)\(account)\(period)\(skipped).")
    }

    /// `owatch scan [PATH…]`: the cron job. Quiet unless something is new.
    static func run(_ inv: Call<ScanOption>) throws {
        var o = ScanOptions()
        o.paths = inv.arguments
        o.map = inv.value(.map)
        o.dryRun = inv.flag(.dryRun)
        o.wait = inv.flag(.wait)
        let showProgress = inv.term.stderrIsTTY && !inv.quiet
        var lastDraw = Date.distantPast
        let result = try Scanner.run(
            inv.session, o,
            progress: showProgress
                ? { text in
                    if Date().timeIntervalSince(lastDraw) > 0.1 {
                        inv.term.progress(text)
                        lastDraw = Date()
                    }
                } : nil)
        if showProgress { inv.term.progress(nil) }
        for w in result.warnings.prefix(20) { inv.warn(w) }
        if result.warnings.count > 20 { inv.warn("… and \(result.warnings.count - 20) more") }
        for w in result.hookWarnings { inv.warn(w) }
        // Findings name licenses, prices and renewal dates: for admins. A scanner sees counts.
        let showFindings = Scanner.mayReadFindings(inv.session)
        // A person reads the new findings; from cron, a scan that found nothing new says nothing.
        var saysWhatItDid = true
        inv.emit(
            ScanRun(result: result, dryRun: o.dryRun, showFindings: showFindings), as: runShape,
            inTable: {
                // Cron (no terminal) mails only news; a person at a terminal who named paths is
                // told what became of them ("nothing new; 2 already seen").
                saysWhatItDid = result.isNews || (!inv.arguments.isEmpty && inv.term.stderrIsTTY)
                if showFindings && !result.findings.isEmpty { inv.emit(result.findings, as: findingShape) }
            })
        if saysWhatItDid {
            let lines = result.statementLinesKnown
            let seen =
                result.alreadySeen > 0
                ? "\(result.alreadySeen) already seen" + (lines > 0 ? " (\(lines) of them statement line(s) known already)" : "") : nil
            let dry = o.dryRun ? " (dry run: nothing written)" : ""
            if !result.isNews && result.messages == 0 {
                inv.note("Scanned \(result.sources) source(s): nothing new" + (seen.map { "; \($0)" } ?? "") + dry + ".")
            } else {
                inv.note(
                    "Scanned \(result.sources) source(s): \(result.messages) new item(s), \(result.charges) charge(s), \(result.findings.count) new finding(s)"
                        + (result.skipped > 0 ? ", \(result.skipped) skipped" : "") + (seen.map { ", \($0)" } ?? "") + dry + ".")
            }
        }
        if !result.badLines.isEmpty {
            var error = OWError.badData(
                "\(result.badLines.count) statement line(s) or message(s) hold amounts too large to be true or to add up; the rest was scanned",
                hint: "correct the line(s) in the statement; they are not read again until then")
            error.details = result.badLines
            throw error
        }
        // Cron fails on shadow IT; inventory housekeeping (idle seats, renewals) only with --fail-on all.
        let policy = ScanFailPolicy(failOnFindings: inv.flag(.failOnFindings), failOn: inv.value(.failOn))
        if policy.fails(on: result.findings) { throw SilentExit(code: policy.exitStatus(result.findings)) }
    }

    static func source(_ inv: Call<SourceOption>) throws {
        let s = inv.session
        switch inv.argument(0) {
        case "add":
            guard inv.arguments.count == 2 else { throw OWError.usage("owatch scan source add PATH [--map …]") }
            let src = try ScanSources.add(s, path: inv.argument(1), map: inv.value(.map))
            inv.note("Added \(src.kind) source \(src.path). `owatch scan` (from cron) now reads it.")
        case "remove":
            guard inv.arguments.count == 2 else { throw OWError.usage("owatch scan source remove PATH") }
            try ScanSources.remove(s, path: inv.argument(1))
            inv.note("Removed source \(inv.argument(1)); what it found stays in the ledger.")
        default:
            guard inv.arguments.count == 1 else { throw OWError.usage("owatch scan source list") }
            inv.emit(try ScanSources.registered(s.db), as: sourceShape)
        }
    }

    static func findings(_ inv: Call<FindingsOption>) throws {
        let status: FindingStatus? = inv.choice(.status)
        let list = try Findings.list(inv.session.db, includeClosed: inv.flag(.all), kind: inv.choice(.kind), status: status)
        let closedToo = inv.flag(.all) || (status.map { $0 != .open } ?? false)
        inv.emit(list, as: findingShape.showing(also: closedToo ? ["status", "note"] : []))
    }

    /// Several ids are adopted in one transaction (all or none); more than one asks first on a terminal.
    static func adopt(_ inv: Call<AdoptOption>) throws {
        let ids = try inv.arguments.map { try Invocation.id($0, of: "finding") }
        if ids.count > 1 { try inv.confirm("Adopt \(ids.count) findings into the inventory?") }
        let adopted = try Findings.adopt(inv.session, ids, as: inv.value(.`as`))
        let shape = findingShape.showing(also: ["status", "license"])
        if adopted.count == 1 { inv.emitChanged(adopted[0].0, as: shape) } else { inv.emitChanged(list: adopted.map(\.0), as: shape) }
        for (f, l) in adopted {
            if f.kind == .review {
                inv.note(
                    "Accepted finding #\(f.id): charge #\(f.chargeID.map(String.init) ?? "?")"
                        + (l.map { " pays for \($0.name)." } ?? " matches no license."))
            } else if let l, l.usageBilled, f.kind != .priceChange {
                inv.note(
                    "Adopted finding #\(f.id) into license \(l.name) (\(l.monthly.display) a month): \(l.vendor) bills by usage,"
                        + " so the license has no seats and is never counted idle or reclaimable.")
            } else if let l {
                inv.note("Adopted finding #\(f.id) into license \(l.name) (\(l.monthly.display) a month).")
            }
        }
    }

    static func ignore(_ inv: Call<IgnoreOption>) throws {
        let why = inv.value(.message)!  // required
        let closed = try Findings.ignore(inv.session, try inv.arguments.map { try Invocation.id($0, of: "finding") }, why: why)
        let shape = findingShape.showing(also: ["status", "note"])
        if closed.count == 1 { inv.emitChanged(closed[0], as: shape) } else { inv.emitChanged(list: closed, as: shape) }
        for f in closed { inv.note("Ignored finding #\(f.id) (\(f.kind.rawValue)): \(why).") }
    }

    /// How owatch reads one message: headers, part tree, decoded texts and what it extracts.
    static func inspect(_ inv: Call<InspectOption>) throws {
        if ScanSources.isStatementFile(inv.argument(0)) { return try inspectStatement(inv) }
        if inv.value(.map) != nil { throw OWError.usage("--map applies to statement files only") }
        let (message, receipt) = try Inspection.message(inv.session, path: inv.argument(0))
        var types: [String] = []
        var texts: [String] = []
        message.root.walk { p in
            types.append(p.contentType)
            if p.children.isEmpty, p.contentType.hasPrefix("text/"), let t = p.text { texts.append(t) }
            if let t = p.pdfText { texts.append(t) }
        }
        inv.emit(InspectedMessage(message: message, receipt: receipt, types: types, texts: texts), as: inspectedShape)
    }
}

/// `owatch scan`: its manual page.
let scanNoun = Noun(
    name: "scan", summary: "find shadow IT in receipts and card statements",
    description: """
        owatch scan reads invoice and receipt emails from mbox files (mboxo and mboxrd), Maildir folders and .eml files, and card or bank statement CSV, and records each payment to a known vendor as a charge.
        A charge is matched to a license of its vendor (in any currency: converted at the day's rate for the comparison), to an approved purchase, or to nothing (an unmanaged finding with a monthly estimate).
        Prices are compared like for like: the contract's price for the period the charge covers (a yearly invoice against twelve months of a monthly contract), per seat when the charge names its seats or is a whole number of seat prices, and prorated or partial-period charges not at all. A new price is read only from a charge for the contract's own period: the one its document states, else the cadence of the vendor's earlier charges at that amount (about a month apart: monthly); a charge with no period of its own that is under half of a contract billed less often than monthly (a 14.99 line against a 149.90 yearly plan) is an add-on or prorated charge, not a new price; only a difference beyond config price_change.tolerance (default 1%) is a price_change finding, one open per license and new price (a later charge at that price refreshes it), whose amount is the whole contract at the new price per the license's period: scan adopt sets the contract to it, and the forecast follows.
        The same charge paid twice is a duplicate finding; renewals within 30 days and licenses with idle seats are findings too, as are seats held by people gone (orphaned_seat), seats unused past config usage.inactive (inactive_seat) and more people using a license than it pays for (true_up, from usage import), refreshed by user sync, usage import, every license change and the cron scan.
        Vendors are recognised by the sender's domain through the catalog (owatch vendor list), including mail sent by payment processors on a vendor's behalf.
        Invoices attached as PDF are read too, as a person sees them: objects found by scanning the file (incremental updates, broken or missing xref tables) and inside object streams, the page tree with inherited resources, fonts through their ToUnicode maps (Type0/Identity-H, codes of 1–4 bytes) or their encodings (WinAnsi, MacRoman, Standard, PDFDoc, /Differences glyph names), Form XObjects, and text laid out into lines by position; all bounded by the message's budget (inflated bytes, time, objects, nesting).
        E-invoices are read from their XML, which wins over the words of the same document: a PDF carrying an EN 16931 invoice (Factur-X, ZUGFeRD 1 and 2: UN/CEFACT CII in its embedded or associated files) and an XML invoice attached to a mail or given on its own (XRechnung, Peppol BIS Billing 3.0: UBL Invoice and CreditNote, or CII) give the seller and its VAT id, the invoice number, issue date, currency, amount due (else the total with VAT), billing period and line count; a credit note (type 381, or a UBL CreditNote) is negative. HTML receipts with schema.org markup (JSON-LD or microdata: Invoice or Order, totalPaymentDue, price, priceCurrency, provider/seller/merchant) are read from it. scan inspect says read_as structured and shows what the words said beside it (text_amount); the charge's description says "read structured". The seller's name alone never picks a catalog vendor: the sender, or the billing domain the document prints, still does.
        Encrypted files that open without a password (the standard handler: RC4, AES-128 and AES-256, as invoices that may be read but not edited are) are decrypted; one that needs a password, and a Type0 font without a ToUnicode map, give no text.
        Fake bold (the same glyphs drawn again a hair's breadth away) is read once.
        A receipt a colleague forwarded (Fwd:, WG:, TR: …) is the original sender's, read from the forwarded block's From, date and subject lines; a forward that names no original sender is not a charge.
        But that block is only the forwarder's word: its charge keeps the forwarder's address (forwarded_by, in charge show), and a forwarded credit note or refund, or a forward over config scan.forward_review_above (default 500 in the base currency: config base_currency, else the ledger's; compared at the day's rate, and one with no rate waits too), moves no total: it waits as a review finding that holds the charge. scan adopt records it as a charge, matched as the scan would have; scan ignore drops it.
        Not sure is an answer: every charge read from a document keeps how it was read (read_as: structured, arithmetic when the labelled total is net plus tax, labelled, slip for a payment slip, fallback; statement and manual for the others) and a confidence from the reader's own signals (structured 1, arithmetic 0.95, slip 0.9, labelled 0.8; the XML and the words disagreeing 0.55 at most (the XML wins under the default threshold); two totals under the same label 0.45 at most and fallback 0.3, so those wait under the default threshold; a currency assumed 0.2 less). A bill with no labelled total (titled an invoice or receipt, with its number, date or due date, and no offer, order or marketing) is read as fallback: its largest amount, the next ones as candidates. A receipt from a sender the catalog does not know gets the same check: under the threshold it waits for review, and accepting it makes its unknown_vendor finding. A charge under config scan.review_below (default 0.5) waits as a review finding with the amounts it could be; scan review lists them, scan review N --accept [AMOUNT CURRENCY] records one (the amount given, read as manual, or the one read first), scan review N --reject -m WHY drops it.
        A document with no sender (scan inspect invoice.pdf) names its own vendor by the billing domain it prints (a shared parent domain only with the vendor named), its date by its invoice-date label, and its currency by a label such as Währung: GBP when it has one.
        An amount's currency is the one written with it, else its line's, the document's or the sender's country's (billing@hetzner.de: EUR); when none says, it is the ledger's currency and the charge and its finding carry currency_assumed (scan inspect says why).
        Card and bank statements are CSV (`,` `;` or tab; UTF-8, UTF-16 with or without a byte-order mark, else the charset --map charset=NAME names, e.g. shift_jis, gb18030, euc-kr, windows-1251, iso-8859-2, else the locale's legacy charset (ja → Shift_JIS, ru → Windows-1251, pl/cs → Windows-1250 …), else Windows-1252), OFX/QFX (SGML v1 or XML v2), ISO 20022 CAMT.053 XML or SWIFT MT940 (.sta; its details line as free text, SEPA keys /NAME/…/REMI/… or German ?20 subfields), the last three recognised by their content whatever the file is called. A CSV's header is the first line that names a date column and an amount (or debit/credit) column: lines before it (card number, balance, period, as DKB, Sparkasse, ING and comdirect write them) are a preamble, whose IBAN or masked card number is kept as the lines' account and whose period is said by scan inspect. Columns are found by their names in English, German, French, Dutch and Spanish; --map names them when they are not: date, value_date, description, payee, amount, debit, credit, currency, foreign_amount, foreign_currency, account and direction take a column of the header, sign=spend-positive or sign=spend-negative says how a single amount column signs spend (else a column saying debit or credit on every line, in step with the signs, decides; else the lines vote: each for its sign being spend's, one saying money came in (refund, deposit, "thank you") the other way, one naming a catalog vendor three times, a tie negative), dateformat=DD.MM.YYYY how days are written (else YYYY-MM-DD, YYYY/MM/DD, YYYYMMDD, DD.MM.YY(YY), 12-Dec-2019, and D/M/Y or M/D/Y told apart by the values), charset=NAME the charset the export is written in. An unknown key is a usage error (exit 64), a column the header does not have bad data (exit 65).
        scan eval LABELS.tsv measures the reading on an office's own documents before it is trusted: a tab-separated table with the columns kind (charge, or lookalike for a document that is not one), file (beside the table, or in --dir), vendor, amount, currency, date (YYYY-MM-DD), invoice_no and an optional note, lines starting with # being comments; each document is read as scan inspect reads it, and each field (charge: the document is one; vendor; amount with its currency, an assumed currency counting as wrong; date; invoice_no) is counted right, wrong (read but not as labelled, or read from a look-alike) or missed (labelled but not read right), with precision and recall; the accepted row counts amount with its currency again on what a scan takes without review (confidence at least config scan.review_below), and held and held_right say on each row how many readings a scan would hold for review and how many of those were right; --misses lists the fields that were not right, a held reading marked so. A document counts as read when owatch gave it an amount, took it as a charge or named an unknown issuer.
        scan inspect FILE on a statement lists every row as the scan reads it (date, description, payee, amount with spend positive and money in negative, currency, account, and the catalog vendor it pays, if any).
        Newsletters, trial reminders, failed payments and security notices are not charges.
        A message is recognised by its Message-ID (or content hash), so rescanning reads nothing twice; an mbox that grew is read from where the last scan ended.
        A statement line is recognised by what it is, not by the file it came in: the account (when the export names one), the day, the amount and currency, the description (in lower case, spaces collapsed) and its number among identical lines of that day. Overlapping exports (the last 90 days, exported every week), renamed copies and a second source path add only the lines that are new, and scan says how many were known already (statement_lines_known); two genuine identical payments on one day stay two.
        A statement line and a receipt for the same payment are one charge, whichever is read first and in whatever currencies (within charges.match_window days and the day's rate, give or take 3%). A refund line pays back the latest earlier charge of its vendor with that amount, in another currency at the day's rate: it is recorded in that charge's currency, nets out of that vendor where the charge counts (never below zero unmanaged), and resolves the duplicate finding of the charge it pays back.
        A processor's line names the merchant it collected for (PAYPAL *, PADDLE.NET*, STRIPE*, FS *, 2CO.COM*, VERIFONE*, SQ *, GOOGLE *, LSQ*, GUMROAD* …): the merchant is the vendor, never the processor; one the catalog does not know is a charge with no vendor and an unknown_vendor finding named after it (scan adopt makes it a vendor with a license, and its charges that license's). Square's merchants are shops: only the detector below names them.
        Card lines of merchants the catalog does not know are kept, and a merchant charged on a regular cadence — monthly or yearly, each charge within a few days of its calendar schedule, at a stable amount or a stable amount per seat, the run being most of the merchant's lines — is an unknown_vendor finding with its cadence, run-rate and the lines that show it. Groceries, taxis, hotels, restaurants, fuel and travel never are.
        One scan runs at a time per ledger (a lock beside it); a second exits 75 unless --wait.
        With no paths, every registered source is scanned: that is the cron job, quiet unless something is new.
        Malformed messages are skipped with a counted warning.
        The post-scan hook receives the new findings.
        """
)

/// `owatch scan …`: its commands, in help order.
let scanCommands: [Command] = [
    Command(
        noun: "scan", verb: nil, summary: "read receipts and statements; find charges, shadow IT, price changes and duplicates",
        arguments: [Argument(name: "PATH", optional: true, variadic: true, file: .inputTree)],
        options: ScanCommand.ScanOption.self,
        access: .roles([.admin, .scanner]),
        examples: [
            "owatch scan                       # every registered source: the cron job",
            "owatch scan ~/Mail/receipts.mbox --dry-run", "owatch scan statement.csv --map date=Booked,amount=Amount",
            "*/30 * * * * owatch --token /etc/owatch/scanner.token scan --fail-on-findings",
        ],
        output: ScanCommand.runShape.docs + ScanCommand.findingShape.docs, run: ScanCommand.run),
    Command(
        noun: "scan", verb: "source", summary: "remember, list or forget the sources `owatch scan` reads",
        arguments: [Argument(name: "ACTION", choices: ["add", "list", "remove"]), Argument(name: "PATH", optional: true)],
        options: ScanCommand.SourceOption.self,
        access: .roles(adminOnly),
        examples: ["owatch scan source add ~/Mail/receipts.mbox", "owatch scan source add ~/Maildir/billing", "owatch scan source list"],
        output: ScanCommand.sourceShape.docs, run: ScanCommand.source),
    Command(
        noun: "scan", verb: "findings", summary: "list what scans found (open ones unless --all)",
        options: ScanCommand.FindingsOption.self,
        access: .roles(adminOnly),
        examples: ["owatch scan findings", "owatch scan findings --kind unmanaged --json | jq '[.[].monthly_minor] | add'"],
        output: ScanCommand.findingShape.docs, run: ScanCommand.findings),
    Command(
        noun: "scan", verb: "adopt",
        summary: "turn a finding into inventory: an unmanaged vendor becomes a license, a forward held for review a charge",
        arguments: [Argument(name: "ID", variadic: true)],
        options: ScanCommand.AdoptOption.self,
        access: .roles(adminOnly),
        examples: ["owatch scan adopt 7", "owatch scan adopt 7 --as 'Notion Team'", "owatch scan adopt 7 9 12 --yes"],
        output: ScanCommand.findingShape.docs, run: ScanCommand.adopt),
    Command(
        noun: "scan", verb: "ignore", summary: "close a finding, saying why",
        arguments: [Argument(name: "ID", variadic: true)],
        options: ScanCommand.IgnoreOption.self,
        access: .roles(adminOnly),
        examples: ["owatch scan ignore 8 -m 'personal purchase, reimbursed'", "owatch scan ignore 8 11 -m 'test charges'"],
        output: ScanCommand.findingShape.docs, run: ScanCommand.ignore),
    Command(
        noun: "scan", verb: "review",
        summary: "list the charges owatch was not sure of (or held back), or settle one: --accept records it, --reject drops it",
        arguments: [
            Argument(name: "ID", optional: true), Argument(name: "AMOUNT", optional: true), Argument(name: "CURRENCY", optional: true),
        ],
        options: ScanReviewCommand.ReviewOption.self,
        access: .roles(adminOnly),
        examples: [
            "owatch scan review", "owatch scan review 7 --accept", "owatch scan review 7 --accept 129.00 EUR",
            "owatch scan review 8 --reject -m 'not ours'",
        ],
        output: ScanReviewCommand.waitingShape.docs + ScanCommand.findingShape.docs, run: ScanReviewCommand.run),
    Command(
        noun: "scan", verb: "inspect",
        summary: "show how owatch reads one email, PDF or statement: what it extracts, or every row of a statement",
        arguments: [Argument(name: "FILE", file: .input)],
        options: ScanCommand.InspectOption.self,
        access: .roles([.admin, .scanner]),
        examples: [
            "owatch scan inspect receipt.eml", "owatch scan inspect receipt.eml --json | jq .texts", "owatch scan inspect card.csv",
            "owatch scan inspect dkb.csv --map date=Belegdatum",
        ],
        output: ScanCommand.inspectedShape.docs + ScanCommand.statementRowShape.docs, run: ScanCommand.inspect),
    Command(
        noun: "scan", verb: "eval",
        summary: "measure how owatch reads documents a person has labelled: precision and recall per field",
        arguments: [Argument(name: "LABELS", file: .input)],
        options: ScanEvalCommand.EvalOption.self,
        access: .roles([.admin, .scanner]),
        examples: [
            "owatch scan eval labels.tsv", "owatch scan eval labels.tsv --dir invoices/2026 --json",
            "owatch scan eval labels.tsv --misses",
        ],
        output: ScanEvalCommand.scoreShape.docs + ScanEvalCommand.missShape.docs, run: ScanEvalCommand.run),
]

extension ScanCommand {
    enum ScanOption: String, OptionKeys {
        case map
        case dryRun = "dry-run"
        case wait
        case failOnFindings = "fail-on-findings"
        case failOn = "fail-on"

        var spec: Option {
            switch self {
            case .map:
                Option(
                    value: "KEYS",
                    "statement columns and conventions, KEY=VALUE pairs: date, value_date, description, payee, amount, debit, credit, currency, "
                        + "foreign_amount, foreign_currency, account, direction (=COLUMN, named as its header says), "
                        + "sign=spend-positive|spend-negative, dateformat=DD.MM.YYYY (DD, MM, YYYY or YY; e.g. MM/DD/YY, YYYYMMDD), charset=NAME"
                )
            case .dryRun: Option("read and report, but write nothing")
            case .wait: Option("wait for a running scan instead of exiting 75")
            case .failOnFindings:
                Option(
                    "exit 1 when new shadow-IT findings appear (unmanaged, unknown_vendor, price_change, duplicate, review)"
                )
            case .failOn:
                Option(value: "WHICH", "with all: exit 1 on any new finding, idle seats and renewals too", choices: ["shadow", "all"])
            }
        }
    }

    enum SourceOption: String, OptionKeys {
        case map

        var spec: Option {
            switch self {
            case .map: Option(value: "KEYS", "statement columns and conventions (with add), as scan --map takes them")
            }
        }
    }

    enum FindingsOption: String, OptionKeys {
        case all, kind, status

        var spec: Option {
            switch self {
            case .all: Option("include adopted, ignored and resolved findings")
            case .kind: Option(value: "KIND", "only this kind", choices: FindingKind.allCases.map(\.rawValue))
            case .status: Option(value: "STATUS", "only this status", choices: FindingStatus.allCases.map(\.rawValue))
            }
        }
    }

    enum AdoptOption: String, OptionKeys, Confirming {
        case `as`, yes

        var spec: Option {
            switch self {
            case .`as`: Option(value: "LICENSE", "attach to this existing license of the same vendor instead")
            case .yes: Option(short: "y", "do not ask before adopting several (asked only on a terminal)")
            }
        }
    }

    enum IgnoreOption: String, OptionKeys {
        case message

        var spec: Option {
            switch self {
            case .message:
                Option(
                    short: "m", value: "WHY", "why it is not a problem (required)",
                    required: .message("say why: owatch scan ignore ID… -m WHY"))
            }
        }
    }

    enum InspectOption: String, OptionKeys {
        case map

        var spec: Option {
            switch self {
            case .map: Option(value: "KEYS", "statement columns and conventions, as scan --map takes them")
            }
        }
    }
}

extension ScanReviewCommand {
    enum ReviewOption: String, OptionKeys {
        case accept, reject, message

        var spec: Option {
            switch self {
            case .accept: Option("record the charge: at AMOUNT CURRENCY when given, else the amount read")
            case .reject: Option("drop the charge, saying why with -m")
            case .message: Option(short: "m", value: "WHY", "why it is rejected (required with --reject)")
            }
        }
    }
}

extension ScanEvalCommand {
    enum EvalOption: String, OptionKeys {
        case dir, misses

        var spec: Option {
            switch self {
            case .dir: Option(value: "DIR", "the folder the labelled documents are in (default: beside LABELS)", file: .inputTree)
            case .misses: Option("list each field read wrong or not read, instead of the scores")
            }
        }
    }
}
