import FoundationEssentials
import Glibc
// The base below the ledger (text, time, money values) comes with the core: a layer imports OWCore alone.
@_exported import OWBase

/// The one SQLite file holding an office's state (SPEC §3).
public final class Ledger {
    public let db: Database
    public let path: String
    public let id: String
    public let org: String
    public let currency: String

    private init(db: Database, path: String) throws {
        self.db = db
        self.path = path
        var meta: [String: String] = [:]
        for row in try db.query("SELECT key, value FROM meta") { meta[try row.text("key")] = try row.text("value") }
        guard let id = meta["ledger_id"], let org = meta["org"] else {
            throw OWError.badData("\(path) is not an owatch ledger (no ledger id)")
        }
        self.id = id
        self.org = org
        self.currency = meta["currency"] ?? "EUR"
    }

    /// A ledger over a connection already open (a copy being checked inside its transaction).
    package static func wrapping(_ db: Database) throws -> Ledger { try Ledger(db: db, path: db.path) }

    /// Opens an existing ledger, migrating it forward if it is older than this owatch.
    public static func open(path: String, readOnly: Bool = false, services: LedgerServices) throws -> Ledger {
        if case .postgres(let url) = LedgerLocation(path) { return try openPostgres(url: url, readOnly: readOnly, services: services) }
        let path = LedgerLocation(path).filePath ?? path
        guard FileManager.default.fileExists(atPath: path) else {
            throw OWError(
                .missingInput, "no ledger at \(path)",
                hint: "create one with `owatch init --org NAME --admin USER`, or point --ledger / OWATCH_LEDGER at yours")
        }
        let db = try Database(path: path)
        try migrate(db, services: services)
        services.attach(db)
        let ledger = try Ledger(db: db, path: path)
        if let ms = try ledger.configValue("busy_timeout").flatMap({ Duration.parse($0) }) {
            db.setBusyTimeout(milliseconds: Int32(clamping: ms.seconds * 1000))
        }
        return ledger
    }

    /// Creates a new ledger file. Refuses to touch one that exists.
    public static func create(
        path: String, org: String, currency: String, now: Date, grants: PostgresRoles.Grants = .init(), services: LedgerServices
    ) throws -> Ledger {
        if case .postgres(let url) = LedgerLocation(path) {
            return try createPostgres(url: url, org: org, currency: currency, now: now, grants: grants, services: services)
        }
        guard grants.isEmpty else {
            throw PostgresRoles.notOnSQLite
        }
        let path = LedgerLocation(path).filePath ?? path
        let fm = FileManager.default
        guard !fm.fileExists(atPath: path) else {
            throw OWError.refused(
                "a ledger already exists at \(path)", hint: "owatch init never touches an existing ledger; choose another --ledger path")
        }
        let dir = Path.deletingLastComponent(path)
        try FileSystem.makeDirectory(dir, mode: 0o700)
        let db = try Database(path: path, create: true)
        // Private, always: the ledger belongs to the one account that runs owatch (README).
        _ = chmod(path, 0o600)
        // WAL lets readers (reports) run while cron's scan writes (sqlite.org/wal.html).
        try db.execute("PRAGMA journal_mode=WAL")
        try migrate(db, services: services)
        services.attach(db)
        try writeIdentity(db, org: org, currency: currency, now: now)
        return try Ledger(db: db, path: path)
    }

    private static func writeIdentity(_ db: Database, org: String, currency: String, now: Date) throws {
        try db.write {
            try db.run(
                "INSERT INTO meta(key, value) VALUES ('ledger_id', ?), ('org', ?), ('currency', ?), ('created_at', ?)",
                UUID().uuidString.lowercased(), org, currency, Time.rfc3339(now))
        }
    }

    /// A ledger in a PostgreSQL database (issue 35). Its schema is created whole at the current
    /// version; one written by another owatch version is refused, never migrated (not yet).
    private static func openPostgres(url: String, readOnly: Bool, services: LedgerServices) throws -> Ledger {
        let db = try Database(postgres: url)
        if readOnly { try db.postgres?.makeReadOnly("\(db.path) is opened for reading only (ledger.read_url)") }
        let known = try db.scalar(
            // pg_class, not information_schema.tables: that view costs milliseconds per command.
            "SELECT count(*) FROM pg_class WHERE relnamespace = current_schema()::regnamespace AND relname = 'owatch_schema' AND relkind = 'r'"
        )
        guard known == 1 else {
            throw OWError(
                .missingInput, "no ledger: the PostgreSQL database \(db.path) holds no owatch ledger",
                hint: "create one with `owatch init --ledger URL --org NAME --admin USER` in an empty database")
        }
        let version = Int(try db.scalar("PRAGMA user_version"))
        guard version == Schema.currentVersion else {
            // Worded as for a file where the cases are the same (a newer owatch wrote it).
            let newer = version > Schema.currentVersion ? " was written by a newer owatch and" : ""
            throw OWError.refused(
                "the PostgreSQL ledger \(db.path)\(newer) has schema \(version); this owatch reads schema \(Schema.currentVersion) there",
                hint: version > Schema.currentVersion
                    ? "upgrade owatch; the ledger was not changed" : "migrating a PostgreSQL ledger is not supported yet")
        }
        services.attach(db)
        let ledger = try Ledger(db: db, path: db.path)
        if let ms = try ledger.configValue("busy_timeout").flatMap({ Duration.parse($0) }) {
            db.setBusyTimeout(milliseconds: Int32(clamping: ms.seconds * 1000))
        }
        return ledger
    }

    private static func createPostgres(
        url: String, org: String, currency: String, now: Date, grants: PostgresRoles.Grants, services: LedgerServices
    ) throws -> Ledger {
        let db = try Database(postgres: url)
        try PostgresSchema.create(on: db, grants: grants, services: services)
        // The folder of what is kept beside the ledger on this host (hooks, the scan lock), as for a file.
        try FileSystem.makeDirectory(Paths.dataDirectory(), mode: 0o700)
        services.attach(db)
        try writeIdentity(db, org: org, currency: currency, now: now)
        return try Ledger(db: db, path: db.path)
    }

    package static func migrate(_ db: Database, services: LedgerServices) throws {
        let version = Int(try db.scalar("PRAGMA user_version"))
        if version > Schema.currentVersion {
            throw OWError.refused(
                "this ledger was written by a newer owatch (schema \(version); this owatch knows up to \(Schema.currentVersion))",
                hint: "upgrade owatch; the ledger was not changed")
        }
        guard version < Schema.currentVersion else { return }
        // A ledger whose events record state digests: whether they held before the migration.
        let heldBefore = try services.stateHolds(db)
        var migrated = false
        for step in version..<Schema.currentVersion {
            try db.write {
                // Re-check inside the write lock: a concurrent owatch may have migrated already.
                guard Int(try db.scalar("PRAGMA user_version")) == step else { return }
                try SchemaSeed.$current.withValue(services.seed) { try Schema.migrations[step](db) }
                try db.execute("PRAGMA user_version = \(step + 1)")  // integer from our own table, not input
                migrated = true
            }
        }
        if migrated, let heldBefore {
            try db.write { try services.rebase(db, version, Schema.currentVersion, heldBefore, Date()) }
        }
    }

    /// The folder of the files kept beside the ledger (hooks, the dashboard's privacy): a SQLite
    /// file's folder; for a PostgreSQL ledger, this account's data folder.
    public var localDirectory: String {
        db.isPostgres ? Paths.dataDirectory() : Path.deletingLastComponent(path)
    }

    /// A file kept beside the ledger (`.scan.lock`, `.scan.reading`): beside a SQLite file; for a
    /// PostgreSQL ledger, in this account's data folder, named by the ledger's id (one scan at a
    /// time per host; several hosts scanning one server ledger need a lock in the server: not yet).
    public func besidePath(_ suffix: String) -> String {
        guard db.isPostgres else { return path + suffix }
        try? FileSystem.makeDirectory(Paths.dataDirectory(), mode: 0o700)
        return Paths.dataDirectory() + "/ledger-" + id + suffix
    }

    public var schemaVersion: Int { (try? Int(db.scalar("PRAGMA user_version"))) ?? 0 }

    // MARK: Configuration values stored in the ledger

    public func configValue(_ key: String) throws -> String? {
        try db.one("SELECT value FROM config WHERE key = ?", key)?.text("value")
    }

    public func configValues() throws -> [(String, String)] {
        try db.query("SELECT key, value FROM config ORDER BY key").map { (try $0.text("key"), try $0.text("value")) }
    }
}
