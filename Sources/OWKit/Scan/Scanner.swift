import FoundationEssentials
import Glibc
import OWCore
import OWIdentity

/// What a scan source is (the `scan_sources.kind` column).
public enum SourceKind: String, Sendable, CaseIterable, StoredAsText {
    case mbox
    case maildir
    /// A directory of .eml files, or one.
    case eml
    /// A card or bank statement CSV.
    case statement
}

/// A place owatch reads receipts from.
public struct ScanSource: Sendable {
    public let id: Int64
    public let kind: SourceKind
    public let path: String
    public let map: String?
    public let registered: Bool
    public let lastScan: String?
    /// Messages and lines passed over (malformed, too large, too slow), never read again.
    public let skippedItems: Int64
}

extension ScanSource: FetchableRow {
    /// `SELECT \(selection) FROM scan_sources s …`; a seventh column, when selected, counts what
    /// was passed over (only the list of sources pays for counting it).
    public static let selection = "s.id, s.kind, s.path, s.map, s.registered, s.last_scan"
    static let skippedCount = "(SELECT count(*) FROM seen_items i WHERE i.source_id = s.id AND i.skipped IS NOT NULL)"

    public init(row: Row) throws {
        id = try row.integer(0)
        kind = try row.value(1, as: SourceKind.self)
        path = try row.text(2)
        map = try row.optionalText(3)
        registered = try row.integer(4) != 0
        lastScan = try row.optionalText(5)
        skippedItems = row.values.count > 6 ? try row.integer(6) : 0
    }
}

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
    // MARK: Sources

    /// What the path is, checked with the `--map` given for it (statements only).
    static func detectKind(_ path: String, map: String?) throws -> SourceKind {
        let kind = try kindOfPath(path)
        if let map {
            guard kind == .statement else { throw OWError.usage("--map applies to statement CSV files only") }
            try StatementReader.validateMap(map)
        }
        return kind
    }

    private static func kindOfPath(_ path: String) throws -> SourceKind {
        var isDir = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDir) else {
            throw OWError(.missingInput, "no such file or directory: \(path)")
        }
        if isDir {
            return FileManager.default.fileExists(atPath: path + "/cur") || FileManager.default.fileExists(atPath: path + "/new")
                ? .maildir : .eml
        }
        let lower = path.lowercased()
        // An e-invoice (XRechnung, Peppol UBL), or another UBL or UN/CEFACT business document (an
        // order: no charge), is one document, read like a message; other XML is a statement.
        if lower.hasSuffix(".xml"), let head = InputFile(path: path)?.read(upTo: EInvoice.headBytes), DeclaredDocument.of(head) != nil {
            return .eml
        }
        if [".csv", ".tsv", ".ofx", ".qfx", ".xml"].contains(where: lower.hasSuffix) { return .statement }
        if lower.hasSuffix(".eml") { return .eml }
        return isStatement(path) ? .statement : .mbox
    }

    /// Whether `scan` reads the file as a card or bank statement (CSV, OFX, CAMT.053).
    public static func isStatementFile(_ path: String) -> Bool { (try? kindOfPath(path)) == .statement }

    /// An OFX or CAMT.053 statement, whatever its name: told by its first bytes.
    static func isStatement(_ path: String) -> Bool {
        guard let head = InputFile(path: path)?.read(upTo: 4096) else { return false }
        return StatementXML.kind(String(decoding: head, as: UTF8.self)) != nil
    }

    /// A statement's text, in the charset its bytes, its `--map charset=` or the locale say (`StatementCharset`).
    static func statementText(_ bytes: [UInt8], name: String, map: String?) throws -> String {
        try StatementCharset.text(bytes, name: name, charset: StatementMap(map).charset, environment: ProcessInfo.processInfo.environment)
            .text
    }

    /// Every row of one statement file as the scan reads it, with the vendor each pays (for
    /// `scan inspect`).
    public static func inspectStatement(_ session: Session, path: String, map: String?) throws -> (
        StatementFile, [(StatementRow, Vendor?)]
    ) {
        let bytes: [UInt8]
        switch MailFiles.read(path, maxBytes: maxStatementBytes) {
        case .unreadable:
            throw OWError(
                FileSystem.exists(path) ? .io : .missingInput, FileSystem.exists(path) ? "cannot read \(path)" : "no file \(path)")
        case .tooLarge(let size): throw OWError.badData("\(path) is \(size) bytes, larger than a statement may be")
        case .bytes(let b): bytes = b
        }
        let file = try StatementReader.rows(
            statementText(bytes, name: path, map: map), map: map, defaultCurrency: try Currency.parse(session.ledger.currency),
            sourceKey: "inspect")
        let index = try VendorIndex(session.db)
        return (file, file.rows.map { ($0, StatementReader.vendor(of: $0, index)) })
    }

    package static func absolute(_ path: String) -> String { URL(fileURLWithPath: path).standardizedFileURL.path }

    public static func addSource(_ session: Session, path: String, map: String?) throws -> ScanSource {
        let kind = try detectKind(path, map: map)
        return try session.write {
            let abs = absolute(path)
            if let existing = try session.db.one("SELECT registered FROM scan_sources WHERE path = ?", abs) {
                guard try existing.integer("registered") == 0 else { throw OWError.refused("\(abs) is already a source") }
                try session.db.run("UPDATE scan_sources SET registered = 1, map = COALESCE(?, map) WHERE path = ?", map, abs)
            } else {
                try session.db.run(
                    "INSERT INTO scan_sources(kind, path, map, registered, added_at) VALUES (?,?,?,1,?)", kind, abs, map,
                    Time.rfc3339(session.now))
            }
            try session.audit("scan.source.add", "source:\(abs)", .obj([("kind", .string(kind.rawValue))]))
            return try session.db.fetchOne(ScanSource.self, "SELECT \(ScanSource.selection) FROM scan_sources s WHERE s.path = ?", abs)!
        }
    }

    public static func sources(_ db: Database) throws -> [ScanSource] {
        try db.fetchAll(
            ScanSource.self,
            "SELECT \(ScanSource.selection), \(ScanSource.skippedCount) FROM scan_sources s WHERE s.registered = 1 ORDER BY s.id")
    }

    public static func removeSource(_ session: Session, path: String) throws {
        try session.write {
            let abs = absolute(path)
            try session.db.run(
                "UPDATE scan_sources SET registered = 0 WHERE (path = ? OR path = ? OR CAST(id AS TEXT) = ?) AND registered = 1", abs, path,
                path)
            guard session.db.changes == 1 else { throw OWError.notFound("source \(path)", hint: "see `owatch scan source list`") }
            try session.audit("scan.source.remove", "source:\(abs)")
        }
    }

    /// What the scan would make of one message file (for `scan inspect`), read within the
    /// same limits as a scan.
    public static func inspect(_ session: Session, path: String) throws -> (MailMessage, Receipt) {
        let limits = try ScanLimits.configured(session.ledger)
        let bytes: [UInt8]
        switch MailFiles.read(path, maxBytes: limits.maxMessageBytes) {
        case .unreadable:
            throw OWError(
                FileSystem.exists(path) ? .io : .missingInput, FileSystem.exists(path) ? "cannot read \(path)" : "no file \(path)")
        case .tooLarge(let size): throw OWError.badData("\(path) is not read: \(tooLarge(size, limits))")
        case .bytes(let b): bytes = b
        }
        let budget = MessageBudget(limits)
        do {
            // A PDF on its own (an invoice saved from a portal) is read as a message carrying it.
            let message =
                PDFText.isPDF(bytes)
                ? try MIME.parse(pdfMessage(bytes, name: Path.lastComponent(path)), budget: budget)
                : try MIME.parse(documentMessage(bytes, name: Path.lastComponent(path)) ?? bytes, budget: budget)
            // Text without headers is read as a body (as Python's email does); empty or binary is no message.
            if message.root.headers.isEmpty && (bytes.isEmpty || looksBinary(bytes)) {
                throw OWError.badData(
                    "\(path) is not an email message (\(bytes.isEmpty ? "it is empty" : "it is binary"))",
                    hint: "scan inspect reads one message: a .eml file, or one message cut from a mailbox")
            }
            var receipt = try ReceiptReader.read(
                message, index: try VendorIndex(session.db), defaultCurrency: try Currency.parse(session.ledger.currency),
                budget: budget)
            receipt.noteUnreadPDFs(message)
            return (message, receipt)
        } catch let over as OverBudget {
            throw OWError.badData("\(path): the message \(over.reason)")
        }
    }

    /// A message with no sender whose one part is the PDF, for `scan inspect invoice.pdf`.
    static func pdfMessage(_ pdf: [UInt8], name: String, type: String = "application/pdf") -> [UInt8] {
        let safe = String(name.unicodeScalars.filter { $0.isASCII && $0.value >= 32 && $0 != "\"" && $0 != "\\" }.map(Character.init))
        let header =
            "Subject: \(safe)\r\nMIME-Version: 1.0\r\nContent-Type: \(type); name=\"\(safe)\"\r\nContent-Transfer-Encoding: base64\r\n\r\n"
        return Array(header.utf8) + Array(Data(pdf).base64EncodedString(options: .lineLength76Characters).utf8) + [13, 10]
    }

    /// An e-invoice XML file on its own (an XRechnung, a Peppol UBL invoice), or another business
    /// document of the same vocabularies (an order, a despatch advice), as a message carrying it;
    /// nil for anything else.
    static func xmlMessage(_ bytes: [UInt8], name: String) -> [UInt8]? {
        let head = documentHead(bytes, within: 8)
        guard head.first == UInt8(ascii: "<"), DeclaredDocument.of(bytes) != nil else { return nil }
        return pdfMessage(bytes, name: name, type: "application/xml")
    }

    /// NUL bytes, or mostly control bytes, in the first 4 KB: not text, so not a message.
    static func looksBinary(_ bytes: [UInt8]) -> Bool {
        let head = bytes.prefix(4096)
        if head.contains(0) { return true }
        let control = head.filter { $0 < 0x20 && $0 != 0x09 && $0 != 0x0A && $0 != 0x0D }.count
        return control * 10 > head.count
    }

    /// What `scan --fail-on-findings` counts: spend nobody registered or expected.
    public static let shadowKinds: Set<FindingKind> = [.unmanaged, .unknownVendor, .priceChange, .duplicate, .review]

    /// Findings describe the inventory (license names, prices, renewal dates): admins read them;
    /// the scanner role, which runs from cron, sees only how many there were.
    public static func mayReadFindings(_ session: Session) -> Bool { session.actor.role == .admin }

    // MARK: Running

    /// Why a message a scan died on is skipped from then on (the `seen_items.skipped` it is remembered with).
    public static let stoppedReason = "owatch stopped while reading this message"

    /// Remembers each message a dead scan was reading as skipped, with an `unreadable` finding for
    /// the admin, in one transaction.
    static func recordStopped(_ dead: [ReadingJournal.Entry], _ session: Session, result: inout ScanResult) throws {
        try session.write {
            let db = session.db
            var found: [Int64] = []
            for entry in dead {
                guard let source = try db.one("SELECT path FROM scan_sources WHERE id = ?", entry.sourceID) else { continue }
                try db.run(
                    "INSERT OR IGNORE INTO seen_items(key, source_id, seen_at, skipped) VALUES (?,?,?,?)", entry.key, entry.sourceID,
                    Time.rfc3339(session.now), stoppedReason)
                result.skipped += 1
                result.warnings.append("\(entry.place): skipped: \(stoppedReason)\(entry.crashed ? " (it crashed)" : "")")
                let how =
                    entry.crashed
                    ? "it crashed" : "the process was killed after reading it for \(Int(entry.seconds)) s, past the time a message may take"
                if let id = try Findings.record(
                    db, kind: .unreadable, key: "unreadable:\(entry.sourceID):\(entry.key)", vendor: nil, licenseID: nil, chargeID: nil,
                    amount: nil, monthly: nil,
                    summary: "\(entry.place): \(stoppedReason) (\(how)); it is skipped from now on and any charge in it is not counted. "
                        + "Keep the message for a bug report; `owatch scan inspect` reads one message alone",
                    now: session.now)
                {
                    found.append(id)
                    result.findings.append(try Findings.get(db, id))
                }
                try session.audit(
                    "scan.stopped", "source:\(try source.text("path"))",
                    .obj([("item", .string(entry.key)), ("crashed", .bool(entry.crashed)), ("findings", .array(found.map { .int($0) }))]))
            }
        }
    }

    /// One scan at a time, per ledger: an advisory lock beside it.
    static func lock(_ ledger: Ledger, wait: Bool) throws -> Int32 {
        let path = ledger.besidePath(".scan.lock")
        let fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw OWError(.io, "cannot open \(path): \(String(cString: strerror(errno)))") }
        if flock(fd, LOCK_EX | (wait ? 0 : LOCK_NB)) != 0 {
            close(fd)
            throw OWError(.busy, "another scan of this ledger is running", hint: "retry later, or pass --wait to wait for it")
        }
        return fd
    }

    package struct DryRun: Error { let result: ScanResult }

    /// Reads and parses outside any transaction, and writes what it read in short transactions
    /// (a batch of items, or half a second of reading, at a time): other commands never wait
    /// for a slow message, and a scan that is killed keeps what it wrote, including where in an
    /// mbox it got to. A dry run collects everything, then writes it in one transaction and
    /// rolls that back.
    public static func run(_ session: Session, _ options: ScanOptions, progress: ((String) -> Void)? = nil) throws -> ScanResult {
        let fd = try lock(session.ledger, wait: options.wait)
        defer {
            flock(fd, LOCK_UN)
            close(fd)
        }
        let targets = try options.paths.isEmpty ? registeredTargets(session) : namedTargets(session, options)
        // A scan that died while reading (a crash in a reader, a kill) left the messages it was on:
        // they are skipped from now on, said, and raised as findings, before anything is read.
        let limits = try ScanLimits.configured(session.ledger)
        let journal = try ReadingJournal(ledger: session.ledger)
        let dead = journal.leftover(limit: limits.secondsPerMessage)
        var result = ScanResult()
        if !options.dryRun {
            if !dead.isEmpty { try recordStopped(dead, session, result: &result) }
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
            var batch = Batch(source: source, postgres: session.db.isPostgres)
            try read(source, context, result: &result) { item, mboxEnd, result in
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
                    var batch = Batch(source: source)
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

    static func registeredTargets(_ session: Session) throws -> [ScanSource] {
        let targets = try sources(session.db)
        if targets.isEmpty {
            throw OWError.refused(
                "no sources to scan", hint: "add one with `owatch scan source add PATH`, or name files: owatch scan PATH…")
        }
        return targets
    }

    /// Files named on the command line become unregistered sources, so a rescan of the same
    /// file reads only what is new.
    static func namedTargets(_ session: Session, _ options: ScanOptions) throws -> [ScanSource] {
        try options.paths.map { p in
            let kind = try detectKind(p, map: options.map)
            return try session.write {
                try session.db.run(
                    "INSERT OR IGNORE INTO scan_sources(kind, path, map, registered, added_at) VALUES (?,?,?,0,?)",
                    kind, absolute(p), options.map, Time.rfc3339(session.now))
                if let map = options.map { try session.db.run("UPDATE scan_sources SET map = ? WHERE path = ?", map, absolute(p)) }
                return try session.db.fetchOne(
                    ScanSource.self, "SELECT \(ScanSource.selection) FROM scan_sources s WHERE s.path = ?", absolute(p))!
            }
        }
    }

    /// What a scan reads with: the ledger, the catalog, the limits, and where progress goes.
    package struct ScanContext {
        package let session: Session
        package let index: VendorIndex
        package let currency: Currency
        let limits: ScanLimits
        package let progress: ((String) -> Void)?
        let snapshot: ReadSnapshot
        /// Where the scan marks the messages it is reading.
        package let journal: ReadingJournal
        /// A dry run's messages a dead scan stopped on (a real scan remembers them in seen_items first).
        let stoppedOn: Set<String>
        /// Whether the ledger remembers statement lines by migration 18's rewrite of old keys: only
        /// then does a line need its second lookup (most ledgers never had one).
        let legacyStatementKeys: Bool

        var reading: MailReading { MailReading(index: index, currency: currency, limits: limits, journal: journal) }

        package func seen(_ key: String) throws -> Bool {
            try snapshot.open()
            return try session.db.one("SELECT 1 AS x FROM seen_items WHERE key = ?", key) != nil
        }
    }

    /// Reading between two batch writes happens in one read transaction: a lookup outside one
    /// starts and ends its own (the WAL read lock, each time), which was a tenth of a first scan.
    /// Closed before every write, which needs its own BEGIN IMMEDIATE; at most a batch (half a
    /// second of reading) long, so it never holds a checkpoint back for long.
    package final class ReadSnapshot {
        private let db: Database
        private var isOpen = false
        package init(_ db: Database) { self.db = db }

        package func open() throws {
            guard !isOpen, !db.isInTransaction else { return }
            try db.execute("BEGIN DEFERRED")
            isOpen = true
        }

        package func close() {
            guard isOpen else { return }
            isOpen = false
            if db.isInTransaction { try? db.execute("COMMIT") }
        }
    }

    /// Items read but not yet written, and (for an mbox) the offset just past the last one.
    package struct Batch {
        package let source: ScanSource
        package var items: [ScanItem] = []
        var mboxEnd: Int?
        var startedAt = MessageBudget.now()
        /// Merchants nobody registered with new card lines: the recurring-charge detector looks at them when the source is done.
        var merchants = Set<String>()

        /// Items per write: on PostgreSQL each statement is a round trip, so a batch of 1,000 held
        /// the write lock for seconds (a writer with a 3 s busy timeout got exit 75); 100 hold it
        /// about as long as SQLite's 1,000.
        var maxItems = 1000
        static let maxNanoseconds: UInt64 = 500_000_000
        /// How long one write transaction of a batch may go on before it commits and another takes
        /// the rest: a writer waiting for the lock (3 s at the least) gets in between.
        static let maxWriteNanoseconds: UInt64 = 1_000_000_000
        /// Items marked seen (`SeenItems.mark`) and written between two looks at the clock.
        static let itemsPerStep = 50

        package init(source: ScanSource, postgres: Bool = false) {
            self.source = source
            if postgres { maxItems = 100 }
        }

        var isFull: Bool { items.count >= maxItems || MessageBudget.now() - startedAt > Batch.maxNanoseconds }

        /// Writes the items with the source's progress, in transactions of at most about a second
        /// each (at load on PostgreSQL, 100 items' round trips held the write lock past a writer's
        /// 3 s wait); joins the dry run's transaction when there is one. A scan killed between two
        /// of them kept the first: its items are seen, the mbox offset is the old one, and the next
        /// scan passes over them.
        package mutating func write(_ context: ScanContext, result: inout ScanResult, finished: Bool = false) throws {
            var rest = items[...]
            if !rest.isEmpty || mboxEnd != nil || finished {
                repeat {
                    // The transaction's work on copies, kept once it commits: a retried one starts over.
                    (result, merchants, rest) = try context.session.write {
                        try writeSome(rest, context, result: result, merchants: merchants, finished: finished)
                    }
                } while !rest.isEmpty
            }
            items = []
            mboxEnd = nil
            startedAt = MessageBudget.now()
        }

        /// One transaction: items, a few at a time, until they are all written or it has run
        /// `maxWriteNanoseconds`; with the last of them, the source's progress. Returns what is left.
        private func writeSome(
            _ items: ArraySlice<ScanItem>, _ context: ScanContext, result: ScanResult, merchants: Set<String>, finished: Bool
        ) throws -> (ScanResult, Set<String>, ArraySlice<ScanItem>) {
            let session = context.session
            let started = MessageBudget.now()
            var (result, merchants, rest) = (result, merchants, items)
            var matcher = try Matcher(session: session, index: context.index)
            let (chargesBefore, skippedBefore) = (result.charges, result.skipped)
            let seenAt = Time.rfc3339(session.now)
            var written = 0
            while !rest.isEmpty && (written == 0 || MessageBudget.now() - started < Batch.maxWriteNanoseconds) {
                let part = Array(rest.prefix(Batch.itemsPerStep))
                let fresh = try SeenItems.mark(part, sourceID: source.id, at: seenAt, session.db)
                for (item, isNew) in zip(part, fresh) { try Scanner.apply(item, isNew: isNew, matcher: &matcher, result: &result) }
                for case .merchantLine(let l) in part.map(\.outcome) { merchants.insert(l.merchant.key) }
                rest = rest.dropFirst(part.count)
                written += part.count
            }
            if rest.isEmpty {
                if finished { try matcher.detectSubscriptions(merchants) }
                if let end = mboxEnd {
                    try session.db.run(
                        "UPDATE scan_sources SET read_offset = ?, read_check = ? WHERE id = ?",
                        end, MboxReader.check(path: source.path, offset: end), source.id)
                }
                if finished {
                    try session.db.run("UPDATE scan_sources SET last_scan = ? WHERE id = ?", Time.rfc3339(session.now), source.id)
                }
            }
            let found = try matcher.newFindings()
            result.findings += found
            // What the scan wrote goes into the audit chain (its rows into the state digest).
            if AuditLog.hasUnrecordedChanges(session.db) {
                try session.audit(
                    "scan.write", "source:\(source.path)",
                    .obj([
                        ("charges", .int(Int64(result.charges - chargesBefore))), ("items", .int(Int64(written))),
                        ("skipped", .int(Int64(result.skipped - skippedBefore))), ("findings", .array(found.map { .int($0.id) })),
                    ]))
            }
            return (result, merchants, rest)
        }
    }

    /// Writes one item `SeenItems.mark` marked seen: records its charge, unless it was seen
    /// before (`isNew` false), or what else it was.
    static func apply(_ item: ScanItem, isNew: Bool, matcher: inout Matcher, result: inout ScanResult) throws {
        let db = matcher.session.db
        guard let key = item.key else { return }
        guard isNew else {
            result.alreadySeen += 1
            return
        }
        switch item.outcome {
        case .charge(let charge):
            do {
                switch try matcher.record(charge) {
                case .new: result.charges += 1
                case .seen: result.alreadySeen += 1
                case .held: break  // a review finding, among the run's findings
                }
            } catch  where LedgerTotals.isChargesOverflow(error) {
                // Refused by the ledger's bound on its total (the statement was undone, the batch
                // goes on): bad data, named like an amount too large to be true, and not read again.
                let why = (error as? OWError)?.message ?? "\(error)"
                try db.run("UPDATE seen_items SET skipped = ? WHERE key = ?", why, key)
                result.skipped += 1
                result.badLines.append(
                    "\(item.place ?? "\(charge.vendor.name) \(charge.amount.display) (\(String(charge.description.prefix(60))))"): \(why)")
            }
        case .notACharge(let fromVendor):
            if fromVendor { result.notCharges += 1 }
        case .unknownVendor(let spend):
            try matcher.recordUnknown(spend)
        case .merchantLine(let line):
            if try matcher.recordMerchantLine(line) == .new { result.charges += 1 }
        case .trial(let vendor, let ends, let subject):
            result.notCharges += 1  // not a charge yet
            try matcher.recordTrial(vendor, ends: ends, subject: subject)
        case .unread(let unread, let vendor, let subject):
            try matcher.recordUnread(unread, vendor: vendor, subject: subject, key: key)
        case .skipped:
            break
        }
    }

    package static func read(
        _ source: ScanSource, _ context: ScanContext, result: inout ScanResult,
        emit: (ScanItem, _ mboxEnd: Int?, inout ScanResult) throws -> Void
    ) throws {
        let name = Path.lastComponent(source.path)
        switch source.kind {
        case .mbox: try readMbox(source, context, name: name, result: &result, emit: emit)
        case .maildir, .eml: try readMailFiles(source, context, result: &result, emit: emit)
        default: try readStatement(source, context, name: name, result: &result, emit: emit)
        }
    }

    /// What reading a message needs besides its bytes; a worker thread reads with it (never the ledger).
    package struct MailReading: Sendable {
        package let index: VendorIndex
        package let currency: Currency
        let limits: ScanLimits
        package let journal: ReadingJournal
    }

    /// Messages are read this many at a time on every core (or fewer, up to `chunkBytes` of
    /// mail), then written in their order: memory stays that of one chunk.
    static let chunkMessages = 64
    static let chunkBytes = 16 << 20

    static func readMbox(
        _ source: ScanSource, _ context: ScanContext, name: String, result: inout ScanResult,
        emit: (ScanItem, _ mboxEnd: Int?, inout ScanResult) throws -> Void
    ) throws {
        guard let size = InputFile.size(source.path) else {
            throw OWError(.missingInput, "cannot read \(source.path)")
        }
        let row = try context.session.db.one("SELECT read_offset, read_check FROM scan_sources WHERE id = ?", source.id)!
        var offset = Int(try row.integer("read_offset"))
        // Grown: read from the old end, if what was read is unchanged. Otherwise read it all again
        // (seen messages are recognised and skipped).
        if try offset > size || (offset > 0 && MboxReader.check(path: source.path, offset: offset) != row.optionalText("read_check")) {
            offset = 0
        }
        guard offset < size else { return }
        let reader = try MboxReader(path: source.path, offset: offset, maxMessageBytes: context.limits.maxMessageBytes)
        let reading = context.reading
        // Messages a dead scan stopped on: known by their place in the mbox, before they are read.
        let stopped = try context.stoppedOn.union(
            context.session.db.query("SELECT key FROM seen_items WHERE source_id = ? AND key LIKE 'stopped:%'", source.id).map {
                try $0.text("key")
            })
        var n = 0
        let sourceID = source.id
        try Pipeline<MboxChunk>.run(ahead: 4) { put in
            var reader = reader
            var chunk: [(MboxEntry, place: String)] = []
            var bytes = 0
            var more = true
            var count = 0
            while more {
                if let entry = reader.next() {
                    count += 1
                    let start: Int
                    switch entry {
                    case .message(let mail, let s, _):
                        bytes += mail.bytes.count
                        start = s
                    case .oversized(let s, _, _): start = s
                    }
                    chunk.append((entry, "\(name) message \(count) (byte \(start))"))
                    if chunk.count < chunkMessages && bytes < chunkBytes { continue }
                } else {
                    more = false
                }
                let entries = Array(chunk.enumerated()).concurrentMap { slot, item in
                    ReadEntry(item.0, reading, slot: slot, sourceID: sourceID, place: item.place, stopped: stopped)
                }
                let read = MboxChunk(entries: entries, junkBytes: more ? 0 : reader.junkBytes)
                guard put(read) else { return }
                chunk.removeAll(keepingCapacity: true)
                bytes = 0
            }
        } consume: { chunk in
            for entry in chunk.entries {
                n += 1
                switch entry {
                case .message(let read, let start, let end):
                    try emit(
                        try item(read, place: "\(name) message \(n) (byte \(start))", fileKey: nil, context, result: &result), end, &result)
                case .oversized(let start, let size, let end):
                    result.messages += 1
                    try emit(
                        skip(
                            "oversize:\(source.id):\(start):\(size)", "\(name) message \(n) (byte \(start))",
                            tooLarge(size, context.limits), result: &result), end, &result)
                case .stopped(let key, let start, let end):
                    result.messages += 1
                    // Remembered as skipped when the dead scan was found (a dry run has it in memory only).
                    if try context.seen(key) {
                        result.alreadySeen += 1
                        try emit(ScanItem(key: nil, fileKey: nil, outcome: .notACharge(fromVendor: false)), end, &result)
                    } else {
                        try emit(skip(key, "\(name) message \(n) (byte \(start))", stoppedReason, result: &result), end, &result)
                    }
                }
            }
            if chunk.junkBytes > 0 { result.warnings.append("\(name): skipped \(chunk.junkBytes) bytes that were not mail") }
        }
    }

    /// An mbox entry as the reading thread hands it over: read (its bytes are not kept), or too
    /// large to read.
    package enum ReadEntry: Sendable {
        case message(ReadMail, start: Int, end: Int)
        case oversized(start: Int, size: Int, end: Int)
        /// A message a dead scan stopped on: not read again.
        case stopped(key: String, start: Int, end: Int)

        /// Reads the entry in journal slot `slot` (its place in the chunk).
        package init(_ entry: MboxEntry, _ reading: MailReading, slot: Int, sourceID: Int64, place: String, stopped: Set<String>) {
            switch entry {
            case .message(let mail, let start, let end):
                let key = Scanner.stoppedKey(sourceID: sourceID, start: start, size: mail.bytes.count)
                if stopped.contains(key) {
                    self = .stopped(key: key, start: start, end: end)
                } else {
                    self = .message(
                        reading.journal.reading(slot: slot, sourceID: sourceID, key: key, place: place) { readMail(mail.bytes, reading) },
                        start: start, end: end)
                }
            case .oversized(let start, let size, let end): self = .oversized(start: start, size: size, end: end)
            }
        }
    }

    /// An mbox message's key for the journal and, once it stopped a scan, for seen_items: its
    /// place and size (known before it is read; a rewritten mbox reads every message again).
    static func stoppedKey(sourceID: Int64, start: Int, size: Int) -> String { "stopped:\(sourceID):\(start):\(size)" }

    /// Entries read together; the last chunk of an mbox says how many bytes in it were not mail.
    package struct MboxChunk: Sendable {
        package let entries: [ReadEntry]
        let junkBytes: Int
    }

    static func readMailFiles(
        _ source: ScanSource, _ context: ScanContext, result: inout ScanResult,
        emit: (ScanItem, _ mboxEnd: Int?, inout ScanResult) throws -> Void
    ) throws {
        let files = source.kind == .maildir ? try MailFiles.maildir(source.path) : try MailFiles.eml(source.path)
        // A file a dead scan stopped on is in seen_items already (or, in a dry run, in stoppedOn).
        let unseen = try files.filter { try !context.seen($0.key) && !context.stoppedOn.contains($0.key) }
        result.alreadySeen += files.count - unseen.count
        let reading = context.reading
        let sourceID = source.id
        try Pipeline<[ReadFile]>.run(ahead: 4) { put in
            for start in stride(from: 0, to: unseen.count, by: chunkMessages) {
                let chunk = Array(unseen[start..<min(unseen.count, start + chunkMessages)].enumerated())
                guard
                    put(
                        chunk.concurrentMap { slot, file in
                            ReadFile(path: file.path, key: file.key, reading, slot: slot, sourceID: sourceID)
                        })
                else { return }
            }
        } consume: { chunk in
            for file in chunk {
                switch file.contents {
                case .unreadable:
                    result.skipped += 1
                    result.warnings.append("\(file.path): unreadable")
                case .tooLarge(let size):
                    result.messages += 1
                    try emit(skip(file.key, file.path, tooLarge(size, context.limits), result: &result), nil, &result)
                case .read(let read):
                    try emit(try item(read, place: file.path, fileKey: file.key, context, result: &result), nil, &result)
                }
            }
        }
    }

    /// A message file as the reading thread hands it over.
    package struct ReadFile: Sendable {
        package enum Contents: Sendable {
            case read(ReadMail)
            case tooLarge(Int)
            case unreadable
        }

        package let path: String
        package let key: String
        package let contents: Contents

        package init(path: String, key: String, _ reading: MailReading, slot: Int, sourceID: Int64) {
            self.path = path
            self.key = key
            switch MailFiles.read(path, maxBytes: reading.limits.maxMessageBytes) {
            case .unreadable: contents = .unreadable
            case .tooLarge(let size): contents = .tooLarge(size)
            case .bytes(let bytes):
                contents = .read(
                    reading.journal.reading(slot: slot, sourceID: sourceID, key: key, place: path) { readMail(bytes, reading) })
            }
        }
    }

    static func tooLarge(_ size: Int, _ limits: ScanLimits) -> String {
        "\(size) bytes, larger than scan.max_message_size (\(limits.maxMessageBytes))"
    }

    /// A skipped item: counted, warned about, and remembered under `key`.
    package static func skip(_ key: String, _ place: String, _ why: String, result: inout ScanResult) -> ScanItem {
        result.skipped += 1
        result.warnings.append("\(place): skipped: \(why)")
        return ScanItem(key: key, fileKey: nil, outcome: .skipped(why))
    }

    /// What a worker made of one message's bytes, within the message's budget.
    package enum ReadMail: Sendable {
        /// Not readable as mail: remembered under the hash of its bytes.
        case unreadable(key: String, why: String)
        /// Parsed: the key that recognises it, its subject, and its receipt or why reading
        /// that ran over the budget.
        case parsed(key: String, subject: String, receipt: Result<Receipt, OverBudget>)
        /// An error that ends the scan, thrown again in the message's turn.
        case failed(any Error)
    }

    /// Parses one message and reads its receipt; touches nothing shared, so it runs on any core.
    static func readMail(_ bytes: [UInt8], _ reading: MailReading) -> ReadMail {
        #if DEBUG
            TestFault.reading(bytes)
        #endif
        let budget = MessageBudget(reading.limits)
        let contentKey = { "sha256:" + Crypto.hex(Crypto.sha256(bytes)) }
        let message: MailMessage
        do {
            message = try MIME.parse(
                xmlMessage(bytes, name: "e-invoice.xml") ?? htmlMessage(bytes, name: "document.html") ?? bytes, budget: budget)
        } catch let over as OverBudget {
            return .unreadable(key: contentKey(), why: over.reason)
        } catch let e as OWError {
            return .unreadable(key: contentKey(), why: e.message)
        } catch {
            return .failed(error)
        }
        guard !message.root.headers.isEmpty else { return .unreadable(key: contentKey(), why: "not an email message") }
        let key = message.messageID.map { "mid:" + $0 } ?? contentKey()
        do {
            var receipt = try ReceiptReader.read(message, index: reading.index, defaultCurrency: reading.currency, budget: budget)
            receipt.noteUnreadPDFs(message)
            return .parsed(key: key, subject: message.subject, receipt: .success(receipt))
        } catch let over as OverBudget {
            return .parsed(key: key, subject: message.subject, receipt: .failure(over))
        } catch {
            return .failed(error)
        }
    }

    /// The item a read message comes to, in its turn: counted, or skipped with its reason (only
    /// its file, if any, when a message skipped before is seen again).
    package static func item(_ read: ReadMail, place: String, fileKey: String?, _ context: ScanContext, result: inout ScanResult) throws
        -> ScanItem
    {
        result.messages += 1
        if result.messages % 500 == 0 { context.progress?("\(place.split(separator: " ").first ?? ""): \(result.messages) messages") }
        let key: String
        let subject: String
        let receipt: Receipt
        switch read {
        case .failed(let error): throw error
        case .unreadable(let contentKey, let why): return withFile(skip(contentKey, place, why, result: &result), fileKey)
        case .parsed(let k, _, .failure(let over)):
            // Remembered as skipped when first read: a rescan does not warn again.
            if try context.seen(k) {
                result.alreadySeen += 1
                return ScanItem(key: nil, fileKey: fileKey, outcome: .notACharge(fromVendor: false))
            }
            return withFile(skip(k, place, over.reason, result: &result), fileKey)
        case .parsed(let k, let s, .success(let r)):
            // Whether it was seen before, writing its key tells (`apply`): no lookup per message here.
            (key, subject, receipt) = (k, s, r)
        }
        if let sender = receipt.unknownSender, let amount = receipt.amount, amount.minor > 0 {
            let spend = UnknownSpend(
                name: sender.name, domain: sender.domain, amount: amount, period: receipt.period,
                on: receipt.date ?? context.session.now, subject: subject,
                currencyAssumed: receipt.currencyAssumed != nil, via: receipt.paidThrough, key: key, readAs: receipt.method,
                confidence: receipt.confidence, candidates: receipt.candidates, doubt: receipt.doubt)
            return ScanItem(key: key, fileKey: fileKey, outcome: .unknownVendor(spend))
        }
        if let vendor = receipt.vendor, let ends = receipt.trialEnds {
            return ScanItem(key: key, fileKey: fileKey, outcome: .trial(vendor, ends: ends, subject: subject))
        }
        if let unread = receipt.unreadPDFs {
            return ScanItem(key: key, fileKey: fileKey, outcome: .unread(unread, receipt.vendor, subject: subject))
        }
        guard receipt.isCharge, let vendor = receipt.vendor, let amount = receipt.amount else {
            return ScanItem(key: key, fileKey: fileKey, outcome: .notACharge(fromVendor: receipt.vendor != nil))
        }
        let charge = Matcher.Charge(
            key: key, origin: "mail", vendor: vendor, amount: amount, on: receipt.date ?? context.session.now,
            invoiceNo: receipt.invoiceNo, period: receipt.period,
            description: receipt.readAs == "structured" ? "\(subject) (read structured)" : subject,
            seats: receipt.seats, prorated: receipt.prorated, currencyAssumed: receipt.currencyAssumed != nil,
            forwardedBy: receipt.forwardedBy, readAs: receipt.method, confidence: receipt.confidence, candidates: receipt.candidates,
            doubt: receipt.doubt)
        return ScanItem(key: key, fileKey: fileKey, outcome: .charge(charge))
    }

    static func withFile(_ item: ScanItem, _ fileKey: String?) -> ScanItem {
        ScanItem(key: item.key, fileKey: fileKey, outcome: item.outcome)
    }

    /// The largest statement read: a year of a busy card is well under a megabyte.
    static let maxStatementBytes = 32 << 20

    static func readStatement(
        _ source: ScanSource, _ context: ScanContext, name: String, result: inout ScanResult,
        emit: (ScanItem, _ mboxEnd: Int?, inout ScanResult) throws -> Void
    ) throws {
        let bytes: [UInt8]
        switch MailFiles.read(source.path, maxBytes: maxStatementBytes) {
        case .unreadable: throw OWError(.missingInput, "cannot read \(source.path)")
        case .tooLarge(let size):
            result.skipped += 1
            result.warnings.append(
                "\(name): skipped: \(size) bytes, larger than the \(maxStatementBytes >> 20) MB a statement may be; split it")
            return
        case .bytes(let b): bytes = b
        }
        // A statement that stopped a scan is known by its bytes' hash, and skipped whole.
        let key = "stopped:\(source.id):sha256:\(Crypto.hex(Crypto.sha256(bytes)))"
        if try context.seen(key) { return }  // counted and said when the dead scan was found
        if context.stoppedOn.contains(key) {
            result.skipped += 1
            result.warnings.append("\(name): skipped: \(stoppedReason)")
            return
        }
        let statement = try context.journal.reading(slot: 0, sourceID: source.id, key: key, place: name) {
            #if DEBUG
                TestFault.reading(bytes)
            #endif
            return try StatementReader.read(
                try statementText(bytes, name: name, map: source.map), map: source.map, index: context.index,
                defaultCurrency: context.currency)
        }
        result.skipped += statement.skipped
        if statement.skipped > 0 { result.warnings.append("\(name): skipped \(statement.skipped) unreadable line(s)") }
        for bad in statement.badLines {
            if try context.seen(bad.key) { continue }
            result.badLines.append("\(name) line \(bad.line): \(bad.why)")
            try emit(skip(bad.key, "\(name) line \(bad.line)", bad.why, result: &result), nil, &result)
        }
        // Oldest first, and a day's spend before its money back: banks often list newest first, and
        // a refund is linked to the charge it pays back only once that charge is there.
        let inOrder = statement.lines.enumerated().sorted {
            ($0.element.date, $0.element.amount.minor < 0 ? 1 : 0, $0.offset) < (
                $1.element.date, $1.element.amount.minor < 0 ? 1 : 0, $1.offset
            )
        }.map(\.element)
        for l in inOrder {
            // Known by its identity, from whichever file (or by the key a ledger from before identities kept).
            if try context.seen(l.key) || (context.legacyStatementKeys && StatementIdentity.legacy(of: l.key).map(context.seen) == true) {
                result.alreadySeen += 1
                result.statementLinesKnown += 1
                continue
            }
            result.messages += 1
            let outcome: ScanItem.Outcome
            switch l.payee {
            case .vendor(let vendor):
                outcome = .charge(
                    Matcher.Charge(
                        key: l.key, origin: "statement", vendor: vendor, amount: l.amount, on: l.date, invoiceNo: nil, period: nil,
                        description: l.description))
            case .merchant(let merchant):
                outcome = .merchantLine(
                    MerchantLine(key: l.key, merchant: merchant, on: l.date, amount: l.amount, description: l.description))
            }
            try emit(ScanItem(key: l.key, fileKey: nil, outcome: outcome, place: "\(name) line \(l.line)"), nil, &result)
        }
    }
}

/// One message or statement line as read, before anything is written: the keys that recognise
/// it on a later scan, and what it came to.
package struct ScanItem {
    package enum Outcome {
        case charge(Matcher.Charge)
        /// A card line paying a merchant the catalog does not know.
        case merchantLine(MerchantLine)
        case notACharge(fromVendor: Bool)
        /// A subscription's receipt from a sender the catalog does not know.
        case unknownVendor(UnknownSpend)
        /// A vendor's trial that turns paid on a day.
        case trial(Vendor, ends: String, subject: String)
        /// A message whose document is a scan with no text layer: a person reads it.
        case unread(UnreadPDFs, Vendor?, subject: String)
        /// Malformed or over its budget: remembered with the reason, never read again.
        case skipped(String)
    }

    package let key: String?
    let fileKey: String?
    package let outcome: Outcome
    /// Where it was read, for an error about it ("card.csv line 12"); nil for a message.
    package var place: String? = nil
}
