import FoundationEssentials
import Glibc
import OWChannel
import OWCore
import OWIdentity
import OWOffice
import OWReports

/// A new SQLite file: built as `FILE.partial-PID` (schema, then every row in one transaction,
/// checked before it commits), renamed into place only when the check passed.
enum SQLiteTarget {
    static func copy(_ source: Ledger, plan: CopyPlan, to path: String, expect: Migration.Expected) throws -> Migration.Result {
        let absolute = Migration.absolute(path)
        guard !FileManager.default.fileExists(atPath: absolute) else {
            throw OWError.refused("\(absolute) exists; owatch migrate copies only into a new file", hint: "name a file that does not exist")
        }
        let dir = Path.deletingLastComponent(absolute)
        guard FileManager.default.fileExists(atPath: dir) else { throw OWError(.missingInput, "no directory \(dir)") }
        let tmp = absolute + ".partial-\(getpid())"
        func removeTemporary() { for suffix in ["", "-wal", "-shm", "-journal"] { unlink(tmp + suffix) } }
        removeTemporary()
        do {
            let result = try fill(tmp, from: source, plan: plan, expect: expect, display: absolute)
            guard rename(tmp, absolute) == 0 else {
                throw OWError(.io, "cannot rename into \(absolute): \(String(cString: strerror(errno)))")
            }
            return result
        } catch {
            removeTemporary()
            throw error
        }
    }

    /// The copy's connection lives only here, so it is closed (its WAL folded in) before the rename.
    private static func fill(_ tmp: String, from source: Ledger, plan: CopyPlan, expect: Migration.Expected, display: String) throws
        -> Migration.Result
    {
        let db = try Database(path: tmp, create: true)
        _ = chmod(tmp, 0o600)
        try Ledger.migrate(db, services: .office)
        // Triggers keep derived tables (the monthly totals, reminders) as rows change; those tables
        // are copied as they are, so the triggers are off while rows arrive and restored after.
        let triggers = try db.query("SELECT name, sql FROM sqlite_master WHERE type = 'trigger' ORDER BY rowid").map {
            (try $0.text("name"), try $0.text("sql"))
        }
        try db.storage.beginWrite()
        do {
            try db.execute("PRAGMA defer_foreign_keys = ON")
            for (name, _) in triggers { try db.execute("DROP TRIGGER \(Migration.quoted(name))") }
            let rows = try Migration.copyRows(plan, from: source.db, to: db)
            for (_, sql) in triggers { try db.execute(sql) }
            let result = try Migration.targetCheck(db, expect: expect, rows: rows, tables: plan.tables.count, display: display)
            try db.storage.commit()
            try db.execute("PRAGMA journal_mode=WAL")  // as `owatch init` makes a ledger
            return result
        } catch {
            db.storage.rollback()
            throw error
        }
    }
}

/// An empty PostgreSQL database: the schema and every row in one transaction, checked before it
/// commits, so a failure leaves the database as empty as it was.
enum PostgresTarget {
    static func copy(_ source: Ledger, plan: CopyPlan, to url: String, expect: Migration.Expected) throws -> Migration.Result {
        let db = try Database(postgres: url)
        try PostgresSchema.requireEmpty(db, doing: "owatch migrate copies only into an empty database", option: "--to")
        guard let pg = db.postgres else { preconditionFailure("a PostgreSQL URL opened another backend") }
        try pg.exec("BEGIN ISOLATION LEVEL SERIALIZABLE")
        do {
            try PostgresSchema.createObjects(on: db, services: .office)
            // Triggers keep derived tables as rows change; those tables are copied as they are.
            for table in plan.tables { try pg.exec("ALTER TABLE \(Migration.quoted(table.name)) DISABLE TRIGGER USER") }
            let rows = try Migration.copyRows(plan, from: source.db, to: db)
            for table in plan.tables {
                try pg.exec("ALTER TABLE \(Migration.quoted(table.name)) ENABLE TRIGGER USER")
                if let id = table.identity {
                    // New rows continue after the copied ids.
                    try pg.exec("SELECT setval(pg_get_serial_sequence('\(table.name)', '\(id)'), (SELECT max(\(id)) FROM \(table.name)))")
                }
            }
            let result = try Migration.targetCheck(db, expect: expect, rows: rows, tables: plan.tables.count, display: db.path)
            try pg.exec("COMMIT")
            return result
        } catch {
            try? pg.exec("ROLLBACK")
            throw error
        }
    }
}
