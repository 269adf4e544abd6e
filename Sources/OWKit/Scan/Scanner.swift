import FoundationEssentials
import Glibc
import OWCore
import OWIdentity
import OWOffice
import OWReaders

// The scan, one stage a folder of Scan/, each stage a function from one named type to the next:
//
//   ScanSource (Sources/: `scan source add`, or a file named on `owatch scan`)
//     → its items: an mbox's `MboxEntry`, a message file's bytes, a statement's lines (`SourceReader`)
//     → `MailMessage` (Mail/: `MIME.parse`; `ReadMail.read` runs this and the next two on any core)
//     → `[TextPart]` (Text/: `MailMessage.textParts` — body, HTML, PDF — joined as `readableText`)
//     → `Receipt` (Receipt/: `ReceiptReader.read`), or a `StatementLine` (Statements/)
//     → `ObservedCharge` (Match/: `ObservedCharge.of`, inside the `ScanItem` that also says what else an item was)
//     → `Match` (Match/: `Matcher.record`: new, seen before, or held for review)
//     → `Finding` (Findings/: `Matcher.newFindings`).
//
// `Scanner.run` is the run, under the scan's lock (`ScanLock`, Run/): for each source, read → message
// → text → receipt on a reading thread and every core (`SourceReader`), then, on the run's thread and
// in the order read, observed charge → match → write, in batches (`ScanBatch`, Run/), each a short
// transaction.

public struct ScanOptions: Sendable {
    public var paths: [String] = []
    public var map: String?
    public var dryRun = false
    public var wait = false
    public init() {}
}

public struct ScanResult: Sendable {
    public var sources = 0
    public var messages = 0  // messages read this time (not counting already-seen ones)
    public var alreadySeen = 0
    /// Statement lines known already (from this export, an overlapping one, a copy or another path), passed over.
    public var statementLinesKnown = 0
    public var charges = 0
    public var notCharges = 0
    public var skipped = 0  // malformed messages or lines, and messages over their budget
    /// Statement lines with amounts past `Money.maxMinor`: bad data, named (the scan exits 65).
    public var badLines: [String] = []
    public var warnings: [String] = []
    public var findings: [Finding] = []
    public var hookWarnings: [String] = []
    public var isNews: Bool { charges > 0 || !findings.isEmpty || skipped > 0 }
}

public enum Scanner {
    /// Findings describe the inventory (license names, prices, renewal dates): admins read them;
    /// the scanner role, which runs from cron, sees only how many there were.
    public static func mayReadFindings(_ session: Session) -> Bool { session.actor.role == .admin }

    package struct DryRun: Error { let result: ScanResult }

    /// Reads and parses outside any transaction, and writes what it read in short transactions
    /// (a batch of items, or half a second of reading, at a time): other commands never wait
    /// for a slow message, and a scan that is killed keeps what it wrote, including where in an
    /// mbox it got to. A dry run collects everything, then writes it in one transaction and
    /// rolls that back.
    public static func run(_ session: Session, _ options: ScanOptions, progress: ((String) -> Void)? = nil) throws -> ScanResult {
        let fd = try ScanLock.acquire(session.ledger, wait: options.wait)
        defer {
            flock(fd, LOCK_UN)
            close(fd)
        }
        let targets = try options.paths.isEmpty ? ScanSources.registeredTargets(session) : ScanSources.namedTargets(session, options)
        // A scan that died while reading (a crash in a reader, a kill) left the messages it was on:
        // they are skipped from now on, said, and raised as findings, before anything is read.
        let limits = try ScanLimits.configured(session.ledger)
        let journal = try ReadingJournal(ledger: session.ledger)
        let dead = journal.leftover(limit: limits.secondsPerMessage)
        var result = ScanResult()
        if !options.dryRun {
            if !dead.isEmpty { try StoppedItems.record(dead, session, result: &result) }
            journal.clear()
        }
        journal.catchFatalSignals()
        journal.startHeartbeat()
        defer { journal.stopHeartbeat() }
        let context = ScanContext(
            session: session, index: try VendorIndex(session.db), currency: try Currency.parse(session.ledger.currency),
            limits: limits, progress: progress, snapshot: ReadSnapshot(session.db), journal: journal,
            stoppedOn: options.dryRun ? Set(dead.map(\.key)) : [],
            legacyStatementKeys: try session.db.one("SELECT 1 AS x FROM seen_items WHERE key GLOB 'stmt:-:*:[*]:*' LIMIT 1") != nil)
        defer { context.snapshot.close() }
        var collected: [(ScanSource, [ScanItem])] = []
        for source in targets {
            var batch = ScanBatch(source: source, postgres: session.db.isPostgres)
            try SourceReader.read(source, context, result: &result) { item, mboxEnd, result in
                batch.items.append(item)
                if let mboxEnd { batch.mboxEnd = mboxEnd }
                if !options.dryRun && batch.isFull {
                    context.snapshot.close()
                    try batch.write(context, result: &result)
                }
            }
            context.snapshot.close()
            if options.dryRun {
                collected.append((source, batch.items))
            } else {
                try batch.write(context, result: &result, finished: true)
            }
            result.sources += 1
        }
        do {
            try session.write {
                for (source, items) in collected {
                    var batch = ScanBatch(source: source)
                    batch.items = items
                    try batch.write(context, result: &result, finished: true)
                }
                var matcher = try Matcher(session: session, index: context.index)
                try matcher.inventoryFindings(today: session.now)
                let found = try matcher.newFindings()
                result.findings += found
                if AuditLog.hasUnrecordedChanges(session.db) {
                    try session.audit("scan.inventory", "ledger", .obj([("findings", .array(found.map { .int($0.id) }))]))
                }
                if options.dryRun { throw DryRun(result: result) }
            }
        } catch let dry as DryRun {
            return dry.result
        }
        if !result.findings.isEmpty {
            let event = JSON.obj([
                ("event", .string("post-scan")), ("findings", .array(result.findings.map(\.event))),
                ("charges", .int(result.charges)),
            ])
            if let w = Hooks.run("post-scan", payload: event, ledger: session.ledger).warning { result.hookWarnings.append(w) }
        }
        return result
    }
}
