import Foundation
import OWKit

enum ScanCommand {
    static func findingRecord(_ f: Finding) -> Record {
        Record([("id", .int(f.id)), ("kind", .text(f.kind)), ("status", .text(f.status)), ("vendor", .text(f.vendor)), ("license", .text(f.license)),
                ("amount", .money(f.amount)), ("monthly", .money(f.monthly)), ("summary", .text(f.summary)), ("created_at", .text(f.createdAt)),
                ("note", .text(f.note)), ("charge_id", .int(f.chargeID)), ("currency_assumed", .bool(f.currencyAssumed))])
    }
    static let findingColumns = ["id", "kind", "status", "vendor", "license", "amount", "amount_minor", "currency", "monthly", "monthly_minor", "summary",
                                 "created_at", "note", "charge_id", "currency_assumed"]
    static let findingTable = ["id", "kind", "vendor", "amount", "monthly", "summary"]

    /// `owatch scan [PATH…]`: the cron job. Quiet unless something is new.
    static func run(_ inv: Invocation) throws {
        var o = ScanOptions()
        o.paths = inv.arguments
        o.map = inv.value("map"); o.dryRun = inv.flag("dry-run"); o.wait = inv.flag("wait")
        let showProgress = inv.term.stderrIsTTY && !inv.quiet
        var lastDraw = Date.distantPast
        let result = try Scanner.run(inv.session, o, progress: showProgress ? { text in
            if Date().timeIntervalSince(lastDraw) > 0.1 { inv.term.progress(text); lastDraw = Date() }
        } : nil)
        if showProgress { inv.term.progress(nil) }
        for w in result.warnings.prefix(20) { inv.warn(w) }
        if result.warnings.count > 20 { inv.warn("… and \(result.warnings.count - 20) more") }
        for w in result.hookWarnings { inv.warn(w) }
        // Findings name licenses, prices and renewal dates: for admins. A scanner sees counts.
        let showFindings = Scanner.mayReadFindings(inv.session)
        if result.isNews || inv.exporter.format != .table {
            if inv.exporter.format == .table {
                if showFindings && !result.findings.isEmpty {
                    inv.emit(result.findings.map(findingRecord), columns: findingColumns, tableColumns: findingTable)
                }
            } else {
                var fields: [(String, Value)] = [("sources", .int(Int64(result.sources))), ("messages", .int(Int64(result.messages))),
                                                 ("already_seen", .int(Int64(result.alreadySeen))), ("charges", .int(Int64(result.charges))),
                                                 ("not_charges", .int(Int64(result.notCharges))), ("skipped", .int(Int64(result.skipped))),
                                                 ("new_findings", .int(Int64(result.findings.count))), ("dry_run", .bool(o.dryRun))]
                if showFindings { fields.append(("findings", .json(.array(result.findings.map { Exporter.jsonObject(findingRecord($0)) })))) }
                inv.emit(Record(fields))
            }
            inv.note("Scanned \(result.sources) source(s): \(result.messages) new item(s), \(result.charges) charge(s), \(result.findings.count) new finding(s)"
                     + (result.skipped > 0 ? ", \(result.skipped) skipped" : "") + (o.dryRun ? " (dry run: nothing written)" : "") + ".")
        }
        if !result.badLines.isEmpty {
            var error = OWError.badData("\(result.badLines.count) statement line(s) hold amounts too large to be true; the rest was scanned",
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
            inv.emit(try Scanner.sources(s.db).map {
                Record([("id", .int($0.id)), ("kind", .text($0.kind)), ("path", .text($0.path)), ("map", .text($0.map)), ("last_scan", .text($0.lastScan)),
                        ("skipped", .int($0.skippedItems))])
            }, columns: ["id", "kind", "path", "map", "last_scan", "skipped"])
        }
    }

    static func findings(_ inv: Invocation) throws {
        let status = inv.value("status")
        let list = try Findings.list(inv.session.db, includeClosed: inv.flag("all"), kind: inv.value("kind"), status: status)
        let closedToo = inv.flag("all") || (status.map { $0 != "open" } ?? false)
        inv.emit(list.map(findingRecord), columns: findingColumns, tableColumns: findingTable + (closedToo ? ["status", "note"] : []))
    }

    static func findingID(_ text: String) throws -> Int64 {
        guard let id = Int64(text.hasPrefix("#") ? String(text.dropFirst()) : text), id > 0 else { throw OWError.usage("'\(text)' is not a finding id") }
        return id
    }

    /// Several ids are adopted in one transaction (all or none); more than one asks first on a terminal.
    static func adopt(_ inv: Invocation) throws {
        let ids = try inv.arguments.map(findingID)
        if ids.count > 1 { try inv.confirm("Adopt \(ids.count) findings into the inventory?") }
        let adopted = try Findings.adopt(inv.session, ids, as: inv.value("as"))
        let records = adopted.map { findingRecord($0.0) }
        if records.count == 1 { inv.emitChanged(records[0], tableColumns: findingTable + ["status", "license"]) } else {
            inv.emit(records, columns: findingColumns, tableColumns: findingTable + ["status", "license"])
        }
        for (f, l) in adopted { inv.note("Adopted finding #\(f.id) into license \(l.name) (\(l.monthly.display) a month).") }
    }

    static func ignore(_ inv: Invocation) throws {
        guard let why = inv.value("message") else { throw OWError.usage("say why: owatch scan ignore ID… -m WHY") }
        let closed = try Findings.ignore(inv.session, try inv.arguments.map(findingID), why: why)
        if closed.count == 1 { inv.emitChanged(findingRecord(closed[0]), tableColumns: findingTable + ["status", "note"]) } else {
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
        inv.emit(Record([("subject", .text(message.subject)), ("from", .text(message.from)), ("date", .text(message.date)),
                         ("message_id", .text(message.messageID)), ("parts", .list(types)), ("texts", .list(texts)),
                         ("vendor", .text(receipt.vendor?.name)), ("unknown_vendor", .text(receipt.unknownSender.map { "\($0.name) (\($0.domain))" })),
                         ("amount", .money(receipt.amount)), ("currency_assumed", .bool(receipt.currencyAssumed != nil)),
                         ("currency_note", .text(receipt.currencyAssumed)), ("invoice_no", .text(receipt.invoiceNo)),
                         ("period", .text(receipt.period?.description)), ("trial_ends", .text(receipt.trialEnds)),
                         ("is_charge", .bool(receipt.isCharge)), ("not_a_charge", .text(receipt.notACharge))]))
    }
}
