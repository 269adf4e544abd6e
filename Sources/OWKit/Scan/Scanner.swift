import Foundation

/// A place owatch reads receipts from.
public struct ScanSource: Sendable {
    public let id: Int64
    public let kind: String
    public let path: String
    public let map: String?
    public let registered: Bool
    public let lastScan: String?

    init(row: Row) {
        id = row.int("id"); kind = row.string("kind"); path = row.string("path"); map = row.optionalString("map")
        registered = row.int("registered") != 0; lastScan = row.optionalString("last_scan")
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
    public var messages = 0          // messages read this time (not counting already-seen ones)
    public var alreadySeen = 0
    public var charges = 0
    public var notCharges = 0
    public var skipped = 0           // malformed messages or lines
    public var warnings: [String] = []
    public var findings: [Finding] = []
    public var hookWarnings: [String] = []
    public var isNews: Bool { charges > 0 || !findings.isEmpty || skipped > 0 }
}

public enum Scanner {
    // MARK: Sources

    static func detectKind(_ path: String) throws -> String {
        var isDir: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDir) else { throw OWError(.missingInput, "no such file or directory: \(path)") }
        if isDir.boolValue {
            return FileManager.default.fileExists(atPath: path + "/cur") || FileManager.default.fileExists(atPath: path + "/new") ? "maildir" : "eml"
        }
        let lower = path.lowercased()
        if lower.hasSuffix(".csv") || lower.hasSuffix(".tsv") { return "statement" }
        if lower.hasSuffix(".eml") { return "eml" }
        return "mbox"
    }

    static func absolute(_ path: String) -> String { URL(fileURLWithPath: path).standardizedFileURL.path }

    public static func addSource(_ session: Session, path: String, map: String?) throws -> ScanSource {
        let kind = try detectKind(path)
        if map != nil && kind != "statement" { throw OWError.usage("--map applies to statement CSV files only") }
        if let map { try StatementReader.validateMap(map) }
        return try session.write {
            let abs = absolute(path)
            if let existing = try session.db.one("SELECT * FROM scan_sources WHERE path = ?", abs) {
                guard existing.int("registered") == 0 else { throw OWError.refused("\(abs) is already a source") }
                try session.db.run("UPDATE scan_sources SET registered = 1, map = COALESCE(?, map) WHERE path = ?", map, abs)
            } else {
                try session.db.run("INSERT INTO scan_sources(kind, path, map, registered, added_at) VALUES (?,?,?,1,?)", kind, abs, map, Time.rfc3339(session.now))
            }
            try session.audit("scan.source.add", "source:\(abs)", .obj([("kind", .string(kind))]))
            return ScanSource(row: try session.db.one("SELECT * FROM scan_sources WHERE path = ?", abs)!)
        }
    }

    public static func sources(_ db: Database) throws -> [ScanSource] {
        try db.query("SELECT * FROM scan_sources WHERE registered = 1 ORDER BY id").map(ScanSource.init)
    }

    public static func removeSource(_ session: Session, path: String) throws {
        try session.write {
            let abs = absolute(path)
            try session.db.run("UPDATE scan_sources SET registered = 0 WHERE (path = ? OR path = ? OR CAST(id AS TEXT) = ?) AND registered = 1", abs, path, path)
            guard session.db.changes == 1 else { throw OWError.notFound("source \(path)", hint: "see `owatch scan source list`") }
            try session.audit("scan.source.remove", "source:\(abs)")
        }
    }

    /// What the scan would make of one message (for `scan inspect`).
    public static func readReceipt(_ session: Session, _ message: MailMessage) throws -> Receipt {
        ReceiptReader.read(message, index: try VendorIndex(session.db), defaultCurrency: try Currency.parse(session.ledger.currency))
    }

    // MARK: Running

    /// One scan at a time, per ledger: an advisory lock beside it.
    static func lock(_ ledger: Ledger, wait: Bool) throws -> Int32 {
        let path = ledger.path + ".scan.lock"
        let fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw OWError(.io, "cannot open \(path): \(String(cString: strerror(errno)))") }
        if flock(fd, LOCK_EX | (wait ? 0 : LOCK_NB)) != 0 {
            close(fd)
            throw OWError(.busy, "another scan of this ledger is running", hint: "retry later, or pass --wait to wait for it")
        }
        return fd
    }

    struct DryRun: Error { let result: ScanResult }

    public static func run(_ session: Session, _ options: ScanOptions, progress: ((String) -> Void)? = nil) throws -> ScanResult {
        let fd = try lock(session.ledger, wait: options.wait)
        defer { flock(fd, LOCK_UN); close(fd) }
        var result = ScanResult()
        var targets: [ScanSource] = []
        if options.paths.isEmpty {
            targets = try sources(session.db)
            if targets.isEmpty { throw OWError.refused("no sources to scan", hint: "add one with `owatch scan source add PATH`, or name files: owatch scan PATH…") }
        } else {
            for p in options.paths {
                let kind = try detectKind(p)
                if let map = options.map {
                    guard kind == "statement" else { throw OWError.usage("--map applies to statement CSV files only") }
                    try StatementReader.validateMap(map)
                }
                try session.write {
                    try session.db.run("INSERT OR IGNORE INTO scan_sources(kind, path, map, registered, added_at) VALUES (?,?,?,0,?)",
                                       kind, absolute(p), options.map, Time.rfc3339(session.now))
                    if let map = options.map { try session.db.run("UPDATE scan_sources SET map = ? WHERE path = ?", map, absolute(p)) }
                }
                targets.append(ScanSource(row: try session.db.one("SELECT * FROM scan_sources WHERE path = ?", absolute(p))!))
            }
        }
        let index = try VendorIndex(session.db)
        let currency = try Currency.parse(session.ledger.currency)
        do {
            // A dry run does everything in one transaction and rolls it back.
            let body = {
                for source in targets {
                    try session.write {
                        var matcher = Matcher(session: session, index: index)
                        try scan(source, session: session, index: index, currency: currency, matcher: &matcher, result: &result, progress: progress)
                        result.findings += try matcher.newFindings()
                        try session.db.run("UPDATE scan_sources SET last_scan = ? WHERE id = ?", Time.rfc3339(session.now), source.id)
                    }
                    result.sources += 1
                }
                try session.write {
                    var matcher = Matcher(session: session, index: index)
                    try matcher.inventoryFindings(today: session.now)
                    result.findings += try matcher.newFindings()
                }
                if options.dryRun { throw DryRun(result: result) }
            }
            if options.dryRun { try session.write(body) } else { try body() }
        } catch let dry as DryRun {
            return dry.result
        }
        if !result.findings.isEmpty {
            let event = JSON.obj([("event", .string("post-scan")), ("findings", .array(result.findings.map(\.event))),
                                  ("charges", .int(result.charges))])
            if let w = Hooks.run("post-scan", payload: event, ledger: session.ledger).warning { result.hookWarnings.append(w) }
        }
        return result
    }

    static func scan(_ source: ScanSource, session: Session, index: VendorIndex, currency: Currency, matcher: inout Matcher,
                     result: inout ScanResult, progress: ((String) -> Void)?) throws {
        let db = session.db
        let name = (source.path as NSString).lastPathComponent
        func seen(_ key: String) throws -> Bool { try db.one("SELECT 1 AS x FROM seen_items WHERE key = ?", key) != nil }
        func markSeen(_ key: String) throws {
            try db.run("INSERT OR IGNORE INTO seen_items(key, source_id, seen_at) VALUES (?,?,?)", key, source.id, Time.rfc3339(session.now))
        }
        func handle(_ bytes: [UInt8], where place: String) throws {
            result.messages += 1
            if result.messages % 500 == 0 { progress?("\(name): \(result.messages) messages") }
            let message: MailMessage
            do {
                message = try MIME.parse(bytes)
            } catch let e as OWError {
                result.skipped += 1
                result.warnings.append("\(place): skipped: \(e.message)")
                return
            }
            guard !message.root.headers.isEmpty else {
                result.skipped += 1
                result.warnings.append("\(place): skipped: not an email message")
                return
            }
            let key = message.messageID.map { "mid:" + $0 } ?? "sha256:" + Crypto.hex(Crypto.sha256(bytes))
            if try seen(key) { result.alreadySeen += 1; return }
            try markSeen(key)
            let receipt = ReceiptReader.read(message, index: index, defaultCurrency: currency)
            guard receipt.isCharge, let vendor = receipt.vendor, let amount = receipt.amount else {
                if receipt.vendor != nil { result.notCharges += 1 }
                return
            }
            if try matcher.record(Matcher.Charge(key: key, origin: "mail", vendor: vendor, amount: amount, on: receipt.date ?? session.now,
                                                 invoiceNo: receipt.invoiceNo, period: receipt.period, description: message.subject)) {
                result.charges += 1
            } else {
                result.alreadySeen += 1
            }
        }
        switch source.kind {
        case "mbox":
            guard let size = (try? FileManager.default.attributesOfItem(atPath: source.path)[.size] as? NSNumber)?.intValue else {
                throw OWError(.missingInput, "cannot read \(source.path)")
            }
            let row = try db.one("SELECT read_offset, read_check FROM scan_sources WHERE id = ?", source.id)!
            var offset = Int(row.int("read_offset"))
            // Grown: read from the old end, if what was read is unchanged. Otherwise read it all again
            // (seen messages are recognised and skipped).
            if offset > size || (offset > 0 && MboxReader.check(path: source.path, offset: offset) != row.optionalString("read_check")) { offset = 0 }
            guard offset < size else { return }
            var reader = try MboxReader(path: source.path, offset: offset)
            var end = offset
            var n = 0
            while let (item, next) = reader.next() {
                n += 1
                try handle(item.bytes, where: "\(name) message \(n) (byte \(end))")
                end = next
            }
            if reader.junkBytes > 0 { result.warnings.append("\(name): skipped \(reader.junkBytes) bytes that were not mail") }
            try db.run("UPDATE scan_sources SET read_offset = ?, read_check = ? WHERE id = ?", end, MboxReader.check(path: source.path, offset: end), source.id)
        case "maildir", "eml":
            let files = source.kind == "maildir" ? try MailFiles.maildir(source.path) : try MailFiles.eml(source.path)
            for (path, fileKey) in files {
                if try seen(fileKey) { result.alreadySeen += 1; continue }
                guard let data = FileManager.default.contents(atPath: path) else { result.skipped += 1; result.warnings.append("\(path): unreadable"); continue }
                try handle([UInt8](data), where: path)
                try markSeen(fileKey)
            }
        default:  // statement
            guard let data = FileManager.default.contents(atPath: source.path) else { throw OWError(.missingInput, "cannot read \(source.path)") }
            let (lines, skipped) = try StatementReader.read(String(decoding: data, as: UTF8.self), map: source.map, index: index,
                                                            defaultCurrency: currency, sourceKey: String(source.id))
            result.skipped += skipped
            if skipped > 0 { result.warnings.append("\(name): skipped \(skipped) unreadable line(s)") }
            for l in lines {
                if try seen(l.key) { result.alreadySeen += 1; continue }
                try markSeen(l.key)
                result.messages += 1
                try matcher.record(Matcher.Charge(key: l.key, origin: "statement", vendor: l.vendor, amount: l.amount, on: l.date,
                                                  invoiceNo: nil, period: nil, description: l.description))
                result.charges += 1
            }
        }
    }
}
