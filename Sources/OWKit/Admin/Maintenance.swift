import FoundationEssentials
import Glibc
import OWChannel
import OWCore
import OWIdentity
import OWOffice
import OWReports

/// `owatch doctor` and `owatch backup`: checking and copying a ledger.
public enum Maintenance {
    public struct Check: Sendable {
        public enum Status: String, Sendable { case ok, warn, fail }
        public let name: String
        public let status: Status
        public let detail: String
    }

    public static func doctor(_ session: Session) throws -> [Check] {
        var checks: [Check] = []
        let db = session.db
        func add(_ name: String, _ ok: Bool, _ detail: String, warnOnly: Bool = false) {
            checks.append(Check(name: name, status: ok ? .ok : (warnOnly ? .warn : .fail), detail: detail))
        }
        if db.isPostgres {
            // The server keeps its pages and references whole; doctor says which server it is and
            // whether the roles keep the audit insert-only.
            checks += try PostgresChecks.checks(db)
        } else {
            let integrity = try db.query("PRAGMA integrity_check").map { try $0.text($0.columns[0]) }
            add("integrity", integrity == ["ok"], integrity.prefix(3).joined(separator: "; "))
            let fk = try db.query("PRAGMA foreign_key_check")
            add("foreign keys", fk.isEmpty, fk.isEmpty ? "no dangling references" : "\(fk.count) dangling reference(s)")
            let mode = try db.one("PRAGMA journal_mode")?.text("journal_mode") ?? "?"
            add("journal mode", mode == "wal", mode, warnOnly: true)
        }
        let version = session.ledger.schemaVersion
        add("schema", version == Schema.currentVersion, "version \(version) of \(Schema.currentVersion)")
        if let m = FileSystem.mode(session.ledger.path) {
            add("ledger file", m & 0o002 == 0, "mode " + String(cFormat: "%04o", Int(m)) + (m & 0o002 == 0 ? "" : " (anyone can write it)"))
        }
        do {
            _ = try Issuer.loadKey(session.paths.issuerKey, for: session.ledger)
            add("issuer key", true, "\(session.paths.issuerKey) is private and belongs to this ledger")
        } catch let e as OWError {
            add("issuer key", false, e.message, warnOnly: e.kind == .missingInput)
        }
        if let m = FileSystem.mode(session.paths.token) {
            add("token file", m & 0o077 == 0, "\(session.paths.token) mode \(String(cFormat: "%04o", Int(m)))")
        }
        for problem in Hooks.unsafe(session.ledger) { add("hooks", false, problem) }
        for c in try Delivery.doctorChecks(session) { add("notifications", c.ok, c.detail, warnOnly: c.warnOnly) }
        if let served = ServedLedgers.check(environment: ProcessInfo.processInfo.environment) {
            add("server.conf", served.ok, served.detail)
        }
        let admins = try db.scalar("SELECT count(*) FROM users WHERE role = 'admin' AND status = 'active'")
        add("admins", admins > 0, "\(admins) active admin(s)")
        do {
            let drift = try SpendAggregate.mismatches(db)
            add(
                "spend aggregate", drift.isEmpty,
                drift.isEmpty ? "monthly totals match the charges" : "\(drift.count) month(s) differ, first \(drift[0])")
        } catch let e as OWError where e.kind == .badData {
            add("spend aggregate", false, e.message)  // charges written before their total was bounded
        }
        let totals = try LedgerTotals.mismatches(db)
        add(
            "money totals", totals.isEmpty,
            totals.isEmpty
                ? "charges and purchase lines within the bound owatch adds up"
                : "the kept total of \(totals.joined(separator: " and ")) differs")
        let audit = try AuditLog.verify(session.ledger)
        add("audit chain", audit.ok, audit.problem ?? "\(audit.events) events, \(audit.seals) seal(s) verified")
        if audit.ok, let state = try AuditLog.verifyState(session.ledger) {
            add("audited state", state.problem == nil, state.problem ?? "the tables match event \(state.seq)")
        }
        return checks
    }

    /// What `backup` wrote: its size, the audit events it holds, and how (nil: a SQLite copy).
    public struct Backup: Sendable {
        public let bytes: Int64
        public let events: Int64
        public let tool: String?
        public let restoreHint: String?
    }

    /// Writes a consistent copy via a temporary file, checks it, then renames it into place (0600):
    /// SQLite's online backup, or pg_dump for a PostgreSQL ledger.
    public static func backup(_ session: Session, to destination: String, overwrite: Bool) throws -> Backup {
        let fm = FileManager.default
        if fm.fileExists(atPath: destination) && !overwrite {
            throw OWError.refused("\(destination) exists", hint: "pass --force to replace it")
        }
        let absolute = URL(fileURLWithPath: destination).standardizedFileURL.path
        guard absolute != URL(fileURLWithPath: session.ledger.path).standardizedFileURL.path else {
            throw OWError.usage("the backup cannot replace the ledger itself")
        }
        let dir = Path.deletingLastComponent(absolute)
        guard fm.fileExists(atPath: dir) else { throw OWError(.missingInput, "no directory \(dir)") }
        let tmp = absolute + ".partial-\(getpid())"
        unlink(tmp)
        let fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW, 0o600)
        guard fd >= 0 else { throw OWError(.io, "cannot create \(tmp): \(String(cString: strerror(errno)))") }
        close(fd)
        do {
            let events: Int64
            if case .postgres(let url) = LedgerLocation(session.paths.ledger), session.db.isPostgres {
                events = try PostgresBackup.dump(session, url: url, into: tmp)
            } else {
                events = try copySQLite(session, into: tmp)
            }
            guard rename(tmp, absolute) == 0 else {
                throw OWError(.io, "cannot rename into \(absolute): \(String(cString: strerror(errno)))")
            }
            let size = Int64(InputFile.size(absolute) ?? 0)
            let tool = session.db.isPostgres ? PostgresBackup.format : nil
            try session.write {
                var details: [(String, JSON)] = [("events", .int(events))]
                if let tool { details.append(("format", .string(tool))) }
                try session.audit("ledger.backup", "file:\(absolute)", .obj(details))
            }
            return Backup(bytes: size, events: events, tool: tool, restoreHint: tool == nil ? nil : PostgresBackup.restoreHint)
        } catch {
            for suffix in ["", "-wal", "-shm", "-journal"] { unlink(tmp + suffix) }
            throw error
        }
    }

    /// SQLite's online backup API into `tmp`, checked; returns the events the copy holds.
    private static func copySQLite(_ session: Session, into tmp: String) throws -> Int64 {
        try session.db.backup(to: tmp)
        let copy = try Database(path: tmp)
        let ok = try copy.query("PRAGMA integrity_check").first.map { try $0.text($0.columns[0]) } == "ok"
        let events = try copy.scalar("SELECT count(*) FROM events")
        guard ok else { throw OWError(.io, "the backup copy failed its integrity check") }
        try copy.execute("PRAGMA journal_mode=DELETE")  // one self-contained file
        return events
    }
}
