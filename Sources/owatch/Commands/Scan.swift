import Foundation
import OWCLI
import OWKit

enum ScanCommand {
    static func findingRecord(_ f: Finding) -> Record {
        Record([
            ("id", .int(f.id)), ("kind", .text(f.kind.rawValue)), ("status", .text(f.status.rawValue)), ("vendor", .text(f.vendor)),
            ("license", .text(f.license)),
            ("amount", .money(f.amount)), ("monthly", .money(f.monthly)), ("summary", .text(f.summary)), ("created_at", .text(f.createdAt)),
            ("note", .text(f.note)), ("charge_id", .int(f.chargeID)), ("currency_assumed", .bool(f.currencyAssumed)),
        ])
    }
    static let findingColumns = [
        "id", "kind", "status", "vendor", "license", "amount", "amount_minor", "currency", "monthly", "monthly_minor", "summary",
        "created_at", "note", "charge_id", "currency_assumed",
    ]
    static let findingTable = ["id", "kind", "vendor", "amount", "monthly", "summary"]

    /// `owatch scan [PATH…]`: the cron job. Quiet unless something is new.
    static func run(_ inv: Invocation) throws {
        var o = ScanOptions()
        o.paths = inv.arguments
        o.map = inv.value("map")
        o.dryRun = inv.flag("dry-run")
        o.wait = inv.flag("wait")
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
            runRecord(result, dryRun: o.dryRun, showFindings: showFindings),
            inTable: {
                saysWhatItDid = result.isNews
                if showFindings && !result.findings.isEmpty {
                    inv.emit(result.findings.map(findingRecord), columns: findingColumns, tableColumns: findingTable)
                }
            })
        if saysWhatItDid {
            inv.note(
                "Scanned \(result.sources) source(s): \(result.messages) new item(s), \(result.charges) charge(s), \(result.findings.count) new finding(s)"
                    + (result.skipped > 0 ? ", \(result.skipped) skipped" : "") + (o.dryRun ? " (dry run: nothing written)" : "") + ".")
        }
        if !result.badLines.isEmpty {
            var error = OWError.badData(
                "\(result.badLines.count) statement line(s) hold amounts too large to be true; the rest was scanned",
                hint: "correct the line(s) in the statement; they are not read again until then")
            error.details = result.badLines
            throw error
        }
        // Cron fails on shadow IT; inventory housekeeping (idle seats, renewals) only with --fail-on all.
        let failOn = inv.value("fail-on")
        if inv.flag("fail-on-findings") || failOn != nil {
            let counted = failOn == "all" ? result.findings : result.findings.filter { Scanner.shadowKinds.contains($0.kind) }
            if !counted.isEmpty { throw SilentExit(code: 1) }
        }
    }

    static func source(_ inv: Invocation) throws {
        let s = inv.session
        switch inv.argument(0) {
        case "add":
            guard inv.arguments.count == 2 else { throw OWError.usage("owatch scan source add PATH [--map …]") }
            let src = try Scanner.addSource(s, path: inv.argument(1), map: inv.value("map"))
            inv.note("Added \(src.kind) source \(src.path). `owatch scan` (from cron) now reads it.")
        case "remove":
            guard inv.arguments.count == 2 else { throw OWError.usage("owatch scan source remove PATH") }
            try Scanner.removeSource(s, path: inv.argument(1))
            inv.note("Removed source \(inv.argument(1)); what it found stays in the ledger.")
        default:
            guard inv.arguments.count == 1 else { throw OWError.usage("owatch scan source list") }
            inv.emit(
                try Scanner.sources(s.db).map {
                    Record([
                        ("id", .int($0.id)), ("kind", .text($0.kind.rawValue)), ("path", .text($0.path)), ("map", .text($0.map)),
                        ("last_scan", .text($0.lastScan)),
                        ("skipped", .int($0.skippedItems)),
                    ])
                }, columns: ["id", "kind", "path", "map", "last_scan", "skipped"])
        }
    }

    /// What a scan did, for programs; the findings only for those who may read them.
    static func runRecord(_ result: ScanResult, dryRun: Bool, showFindings: Bool) -> Record {
        var fields: [(String, Value)] = [
            ("sources", .int(Int64(result.sources))), ("messages", .int(Int64(result.messages))),
            ("already_seen", .int(Int64(result.alreadySeen))), ("charges", .int(Int64(result.charges))),
            ("not_charges", .int(Int64(result.notCharges))), ("skipped", .int(Int64(result.skipped))),
            ("new_findings", .int(Int64(result.findings.count))), ("dry_run", .bool(dryRun)),
        ]
        if showFindings {
            fields.append(("findings", .json(.array(result.findings.map { Exporter.jsonObject(findingRecord($0)) }))))
        }
        return Record(fields)
    }

    static func findings(_ inv: Invocation) throws {
        let status: FindingStatus? = inv.choice("status")
        let list = try Findings.list(inv.session.db, includeClosed: inv.flag("all"), kind: inv.choice("kind"), status: status)
        let closedToo = inv.flag("all") || (status.map { $0 != .open } ?? false)
        inv.emit(list.map(findingRecord), columns: findingColumns, tableColumns: findingTable + (closedToo ? ["status", "note"] : []))
    }

    /// Several ids are adopted in one transaction (all or none); more than one asks first on a terminal.
    static func adopt(_ inv: Invocation) throws {
        let ids = try inv.arguments.map { try Invocation.id($0, of: "finding") }
        if ids.count > 1 { try inv.confirm("Adopt \(ids.count) findings into the inventory?") }
        let adopted = try Findings.adopt(inv.session, ids, as: inv.value("as"))
        let records = adopted.map { findingRecord($0.0) }
        if records.count == 1 {
            inv.emitChanged(records[0], tableColumns: findingTable + ["status", "license"])
        } else {
            inv.emit(records, columns: findingColumns, tableColumns: findingTable + ["status", "license"])
        }
        for (f, l) in adopted { inv.note("Adopted finding #\(f.id) into license \(l.name) (\(l.monthly.display) a month).") }
    }

    static func ignore(_ inv: Invocation) throws {
        guard let why = inv.value("message") else { throw OWError.usage("say why: owatch scan ignore ID… -m WHY") }
        let closed = try Findings.ignore(inv.session, try inv.arguments.map { try Invocation.id($0, of: "finding") }, why: why)
        if closed.count == 1 {
            inv.emitChanged(findingRecord(closed[0]), tableColumns: findingTable + ["status", "note"])
        } else {
            inv.emit(closed.map(findingRecord), columns: findingColumns, tableColumns: findingTable + ["status", "note"])
        }
    }

    /// How owatch reads one message: headers, part tree, decoded texts and what it extracts.
    static func inspect(_ inv: Invocation) throws {
        let (message, receipt) = try Scanner.inspect(inv.session, path: inv.argument(0))
        var types: [String] = []
        var texts: [String] = []
        message.root.walk { p in
            types.append(p.contentType)
            if p.children.isEmpty, p.contentType.hasPrefix("text/"), let t = p.text { texts.append(t) }
            if let t = p.pdfText { texts.append(t) }
        }
        inv.emit(
            Record([
                ("subject", .text(message.subject)), ("from", .text(message.from)), ("date", .text(message.date)),
                ("message_id", .text(message.messageID)), ("parts", .list(types)), ("texts", .list(texts)),
                ("vendor", .text(receipt.vendor?.name)),
                ("unknown_vendor", .text(receipt.unknownSender.map { "\($0.name) (\($0.domain))" })),
                ("charge_date", .text(receipt.date.map(Time.day))), ("amount", .money(receipt.amount)),
                ("currency_assumed", .bool(receipt.currencyAssumed != nil)),
                ("currency_note", .text(receipt.currencyAssumed)), ("invoice_no", .text(receipt.invoiceNo)),
                ("period", .text(receipt.period?.description)), ("trial_ends", .text(receipt.trialEnds)),
                ("is_charge", .bool(receipt.isCharge)), ("not_a_charge", .text(receipt.notACharge)),
            ]))
    }
}

/// `owatch scan`: its manual page.
let scanNoun = Noun(
    name: "scan", summary: "find shadow IT in receipts and card statements",
    description:
        "owatch scan reads invoice and receipt emails from mbox files (mboxo and mboxrd), Maildir folders and .eml files, and card or bank statement CSV, and records each payment to a known vendor as a charge. A charge is matched to a license of its vendor (in any currency: converted at the day's rate for the comparison), to an approved purchase, or to nothing (an unmanaged finding with a monthly estimate). Prices are compared like for like: the contract's price for the period the charge covers (a yearly invoice against twelve months of a monthly contract), per seat when the charge names its seats or is a whole number of seat prices, and prorated or partial-period charges not at all; only a difference beyond config price_change.tolerance (default 1%) is a price_change finding, one open per license and new price (a later charge at that price refreshes it), whose amount is the whole contract at the new price per the license's period: scan adopt sets the contract to it, and the forecast follows. The same charge paid twice is a duplicate finding; renewals within 30 days and licenses with idle seats are findings too, as are seats held by people gone (orphaned_seat), seats unused past config usage.inactive (inactive_seat) and more people using a license than it pays for (true_up, from usage import), refreshed by user sync, usage import, every license change and the cron scan. Vendors are recognised by the sender's domain through the catalog (owatch vendor list), including mail sent by payment processors on a vendor's behalf. Invoices attached as PDF are read too, as a person sees them: objects found by scanning the file (incremental updates, broken or missing xref tables) and inside object streams, the page tree with inherited resources, fonts through their ToUnicode maps (Type0/Identity-H, codes of 1–4 bytes) or their encodings (WinAnsi, MacRoman, Standard, PDFDoc, /Differences glyph names), Form XObjects, and text laid out into lines by position; all bounded by the message's budget (inflated bytes, time, objects, nesting). Encrypted files that open without a password (the standard handler: RC4, AES-128 and AES-256, as invoices that may be read but not edited are) are decrypted; one that needs a password, and a Type0 font without a ToUnicode map, give no text. Fake bold (the same glyphs drawn again a hair's breadth away) is read once. A receipt a colleague forwarded (Fwd:, WG:, TR: …) is the original sender's, read from the forwarded block's From, date and subject lines; a forward that names no original sender is not a charge. A document with no sender (scan inspect invoice.pdf) names its own vendor by the billing domain it prints (a shared parent domain only with the vendor named), its date by its invoice-date label, and its currency by a label such as Währung: GBP when it has one. An amount's currency is the one written with it, else its line's, the document's or the sender's country's (billing@hetzner.de: EUR); when none says, it is the ledger's currency and the charge and its finding carry currency_assumed (scan inspect says why). Newsletters, trial reminders, failed payments and security notices are not charges. A message is recognised by its Message-ID (or content hash), so rescanning reads nothing twice; an mbox that grew is read from where the last scan ended. One scan runs at a time per ledger (a lock beside it); a second exits 75 unless --wait. With no paths, every registered source is scanned: that is the cron job, quiet unless something is new. Malformed messages are skipped with a counted warning. The post-scan hook receives the new findings.",
    jsonKeys: [
        ("id", "finding id"), ("kind", FindingKind.allCases.map(\.rawValue).joined(separator: ", ")),
        ("status", "open, adopted, ignored or resolved"),
        ("vendor", "vendor name"), ("license", "the license concerned"), ("amount", "the amount charged"),
        ("monthly", "monthly estimate or cost"),
        ("summary", "what was found"), ("created_at", "RFC 3339"), ("note", "why it was ignored, or what resolved it"),
        ("charge_id", "the charge it is about (see owatch charge show), or null"),
        (
            "currency_assumed",
            "true when the document named no currency (nor did its sender's country): the amount is in the ledger's currency, assumed; scan inspect says why"
        ),
        (
            "sources, messages, already_seen, charges, not_charges, skipped, new_findings, dry_run, findings",
            "scan: what the run read and recorded, and the new findings"
        ),
        ("path, map, last_scan", "source list: the source, its statement column map, when it was last scanned"),
        ("subject, from, date, message_id, parts, texts", "inspect: the message's headers, MIME types and decoded texts"),
        (
            "charge_date",
            "inspect: the day the charge is dated, YYYY-MM-DD: the mail's Date, or for a document on its own (a PDF) the date it is issued on"
        ),
        (
            "unknown_vendor, invoice_no, period, trial_ends, is_charge, not_a_charge, currency_note",
            "inspect: what the receipt reader extracted, and why it is not a charge or its currency was assumed"
        ),
    ])

/// `owatch scan …`: its commands, in help order.
let scanCommands: [Command] = [
    Command(
        noun: "scan", verb: nil, summary: "read receipts and statements; find charges, shadow IT, price changes and duplicates",
        arguments: [Argument(name: "PATH", optional: true, variadic: true, file: .inputTree)],
        options: [
            Option("map", value: "COLUMNS", "statement columns, e.g. date=Booked,description=Payee,amount=Amount"),
            Option("dry-run", "read and report, but write nothing"),
            Option("wait", "wait for a running scan instead of exiting 75"),
            Option("fail-on-findings", "exit 1 when new shadow-IT findings appear (unmanaged, price_change, duplicate)"),
            Option(
                "fail-on", value: "WHICH", "with all: exit 1 on any new finding, idle seats and renewals too", choices: ["shadow", "all"]),
        ],
        access: .roles([.admin, .scanner]),
        examples: [
            "owatch scan                       # every registered source: the cron job",
            "owatch scan ~/Mail/receipts.mbox --dry-run", "owatch scan statement.csv --map date=Booked,amount=Amount",
            "*/30 * * * * owatch --token /etc/owatch/scanner.token scan --fail-on-findings",
        ],
        run: ScanCommand.run),
    Command(
        noun: "scan", verb: "source", summary: "remember, list or forget the sources `owatch scan` reads",
        arguments: [Argument(name: "ACTION", choices: ["add", "list", "remove"]), Argument(name: "PATH", optional: true)],
        options: [Option("map", value: "COLUMNS", "statement column mapping (with add)")],
        access: .roles(adminOnly),
        examples: ["owatch scan source add ~/Mail/receipts.mbox", "owatch scan source add ~/Maildir/billing", "owatch scan source list"],
        run: ScanCommand.source),
    Command(
        noun: "scan", verb: "findings", summary: "list what scans found (open ones unless --all)",
        options: [
            Option("all", "include adopted, ignored and resolved findings"),
            Option("kind", value: "KIND", "only this kind", choices: FindingKind.allCases.map(\.rawValue)),
            Option("status", value: "STATUS", "only this status", choices: FindingStatus.allCases.map(\.rawValue)),
        ],
        access: .roles(adminOnly),
        examples: ["owatch scan findings", "owatch scan findings --kind unmanaged --json | jq '[.[].monthly_minor] | add'"],
        run: ScanCommand.findings),
    Command(
        noun: "scan", verb: "adopt", summary: "turn a finding into inventory: an unmanaged vendor becomes a license",
        arguments: [Argument(name: "ID", variadic: true)],
        options: [
            Option("as", value: "LICENSE", "attach to this existing license of the same vendor instead"),
            Option("yes", short: "y", "do not ask before adopting several (asked only on a terminal)"),
        ],
        access: .roles(adminOnly),
        examples: ["owatch scan adopt 7", "owatch scan adopt 7 --as 'Notion Team'", "owatch scan adopt 7 9 12 --yes"],
        run: ScanCommand.adopt),
    Command(
        noun: "scan", verb: "ignore", summary: "close a finding, saying why",
        arguments: [Argument(name: "ID", variadic: true)],
        options: [Option("message", short: "m", value: "WHY", "why it is not a problem (required)")],
        access: .roles(adminOnly),
        examples: ["owatch scan ignore 8 -m 'personal purchase, reimbursed'", "owatch scan ignore 8 11 -m 'test charges'"],
        run: ScanCommand.ignore),
    Command(
        noun: "scan", verb: "inspect",
        summary: "show how owatch reads one email (or a PDF on its own): headers, parts, text and what it extracts",
        arguments: [Argument(name: "FILE", file: .input)], access: .roles([.admin, .scanner]),
        examples: ["owatch scan inspect receipt.eml", "owatch scan inspect receipt.eml --json | jq .texts"], run: ScanCommand.inspect),
]
