import FoundationEssentials
import OWCore
import OWIdentity
import OWOffice
import OWReaders

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

/// The sources a scan reads (`scan source add/list/remove`, and the files named on `owatch scan`):
/// what kind each path is, and the `scan_sources` rows that remember them.
public enum ScanSources {
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
        if [".csv", ".tsv", ".ofx", ".qfx", ".xml", ".sta", ".mt940", ".940"].contains(where: lower.hasSuffix) { return .statement }
        if lower.hasSuffix(".eml") { return .eml }
        return isStatement(path) ? .statement : .mbox
    }

    /// Whether `scan` reads the file as a card or bank statement (CSV, OFX, CAMT.053, MT940).
    public static func isStatementFile(_ path: String) -> Bool { (try? kindOfPath(path)) == .statement }

    /// An OFX, CAMT.053 or MT940 statement, whatever its name: told by its first bytes.
    static func isStatement(_ path: String) -> Bool {
        guard let head = InputFile(path: path)?.read(upTo: 4096) else { return false }
        return StatementXML.kind(String(decoding: head, as: UTF8.self)) != nil
    }

    package static func absolute(_ path: String) -> String { URL(fileURLWithPath: path).standardizedFileURL.path }

    public static func add(_ session: Session, path: String, map: String?) throws -> ScanSource {
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

    public static func registered(_ db: Database) throws -> [ScanSource] {
        try db.fetchAll(
            ScanSource.self,
            "SELECT \(ScanSource.selection), \(ScanSource.skippedCount) FROM scan_sources s WHERE s.registered = 1 ORDER BY s.id")
    }

    public static func remove(_ session: Session, path: String) throws {
        try session.write {
            let abs = absolute(path)
            try session.db.run(
                "UPDATE scan_sources SET registered = 0 WHERE (path = ? OR path = ? OR CAST(id AS TEXT) = ?) AND registered = 1", abs, path,
                path)
            guard session.db.changes == 1 else { throw OWError.notFound("source \(path)", hint: "see `owatch scan source list`") }
            try session.audit("scan.source.remove", "source:\(abs)")
        }
    }

    static func registeredTargets(_ session: Session) throws -> [ScanSource] {
        let targets = try registered(session.db)
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
}
