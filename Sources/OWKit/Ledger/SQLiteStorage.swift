import CSQLite
import FoundationEssentials

/// A ledger in a SQLite file. Thin over the sqlite3 C API, in the manner of GRDB: statements
/// with typed bindings, compiled once and cached, and a write = BEGIN IMMEDIATE … COMMIT.
package final class SQLiteStorage: LedgerStorage {
    package let handle: OpaquePointer
    package let path: String
    private var cache: [String: SQLiteStatement] = [:]

    /// - busyTimeout: milliseconds SQLite's busy handler waits for a lock before we report exit 75.
    package init(path: String, create: Bool, busyTimeout: Int32) throws {
        var db: OpaquePointer?
        var flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX
        if create { flags |= SQLITE_OPEN_CREATE }
        let rc = sqlite3_open_v2(path, &db, flags, nil)
        guard rc == SQLITE_OK, let db else {
            let msg = db.map { String(cString: sqlite3_errmsg($0)) } ?? "out of memory"
            sqlite3_close(db)
            throw OWError(.io, "cannot open ledger \(path): \(msg)")
        }
        self.handle = db
        self.path = path
        sqlite3_extended_result_codes(db, 1)
        sqlite3_busy_timeout(db, busyTimeout)
        // synchronous=FULL: a committed approval survives power loss (SPEC §3).
        try execute("PRAGMA foreign_keys=ON; PRAGMA synchronous=FULL;")
    }

    deinit {
        cache.removeAll()
        sqlite3_close_v2(handle)
    }

    package func error(_ rc: Int32, context: String, sql: String? = nil) -> OWError {
        let msg = String(cString: sqlite3_errmsg(handle))
        // A money total the ledger's triggers refused (LedgerTotals), or a sum SQLite could not
        // compute: bad data, said plainly, never "SQLite error".
        if rc & 0xFF == SQLITE_CONSTRAINT, let refused = LedgerTotals.error(forSQLiteMessage: msg) { return refused }
        if rc & 0xFF == SQLITE_ERROR && msg == "integer overflow" { return LedgerErrors.overflow }
        switch rc & 0xFF {
        case SQLITE_BUSY, SQLITE_LOCKED: return LedgerErrors.busy
        case SQLITE_CONSTRAINT:
            return OWError(.refused, "the ledger refused the change: \(msg)")
        case SQLITE_CORRUPT, SQLITE_NOTADB:
            return OWError(
                .badData, "the ledger \(path) is damaged or not an owatch ledger: \(msg)", remedy: .checkOrRestoreLedger)
        case SQLITE_READONLY, SQLITE_CANTOPEN, SQLITE_PERM:
            return OWError(.notPermitted, "cannot write the ledger \(path): \(msg)")
        case SQLITE_FULL, SQLITE_IOERR:
            return OWError(.io, "I/O error on the ledger \(path): \(msg)")
        default:
            return OWError(.io, "SQLite error (\(context))\(LedgerErrors.excerpt(sql)): \(msg)")
        }
    }

    package func execute(_ sql: String) throws {
        var errmsg: UnsafeMutablePointer<CChar>?
        let rc = sqlite3_exec(handle, sql, nil, nil, &errmsg)
        if let errmsg { sqlite3_free(errmsg) }
        guard rc == SQLITE_OK else { throw error(rc, context: "exec", sql: sql) }
    }

    package func statement(_ sql: String) throws -> SQLiteStatement {
        if let s = cache[sql] { return s }
        let s = try SQLiteStatement(storage: self, sql: sql)
        cache[sql] = s
        return s
    }

    package func run(_ sql: String, _ args: [any SQLiteValue], each: (Row) throws -> Void) throws {
        try statement(sql).run(args, each: each)
    }

    package func insert(_ sql: String, values: ArraySlice<SQLValue>) throws -> Int {
        let statement = try statement(sql)
        try statement.bind(values: values)
        defer { sqlite3_reset(statement.handle) }
        let rc = sqlite3_step(statement.handle)
        guard rc == SQLITE_DONE else { throw error(rc, context: "step", sql: statement.sql) }
        return changes
    }

    package var maxParameters: Int { 500 }  // far below SQLite's limit of 32,766 variables
    package var lastInsertRowID: Int64 { sqlite3_last_insert_rowid(handle) }
    package var changes: Int { Int(sqlite3_changes(handle)) }
    package var totalChanges: Int64 { sqlite3_total_changes64(handle) }
    package var isInTransaction: Bool { sqlite3_get_autocommit(handle) == 0 }

    /// Taking the write lock up front means a concurrent writer waits in the busy handler instead
    /// of failing later with SQLITE_BUSY_SNAPSHOT (sqlite.org/lang_transaction.html).
    package func beginWrite() throws { try execute("BEGIN IMMEDIATE") }
    package func beginRead() throws { try execute("BEGIN DEFERRED") }
    package func commit() throws { try execute("COMMIT") }
    /// "If certain kinds of errors occur within a transaction, the transaction may or may not be
    /// rolled back automatically" — so ask SQLite whether one is still open.
    package func rollback() { if isInTransaction { try? execute("ROLLBACK") } }
    package func mayRetry(_ error: Error) -> Bool { false }

    func setBusyTimeout(milliseconds: Int32) { sqlite3_busy_timeout(handle, milliseconds) }

    /// Copies the whole database to `destination` with SQLite's online backup API:
    /// a consistent copy even while other processes write.
    package func backup(to destination: String) throws {
        var dest: OpaquePointer?
        guard sqlite3_open_v2(destination, &dest, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nil) == SQLITE_OK, let dest else {
            sqlite3_close(dest)
            throw OWError(.io, "cannot create \(destination)")
        }
        defer { sqlite3_close(dest) }
        guard let b = sqlite3_backup_init(dest, "main", handle, "main") else {
            throw OWError(.io, "backup failed: \(String(cString: sqlite3_errmsg(dest)))")
        }
        var rc: Int32
        repeat {
            rc = sqlite3_backup_step(b, -1)
            if rc == SQLITE_BUSY || rc == SQLITE_LOCKED { sqlite3_sleep(50) }
        } while rc == SQLITE_OK || rc == SQLITE_BUSY || rc == SQLITE_LOCKED
        sqlite3_backup_finish(b)
        guard rc == SQLITE_DONE else { throw OWError(.io, "backup failed: \(String(cString: sqlite3_errmsg(dest)))") }
    }
}

/// Errors both backends report alike.
package enum LedgerErrors {
    package static let busy = OWError(
        .busy, "the ledger is busy (another owatch is writing)", remedy: .waitLonger)

    package static let overflow = OWError(
        .badData, "a total in the ledger is too large to add up (more than 92 quadrillion minor units)", remedy: .checkTotals)

    /// The statement, on one line and short: enough to find it in the source.
    static func excerpt(_ sql: String?) -> String {
        sql.map { " in " + $0.split(whereSeparator: { $0 == " " || $0 == "\n" }).joined(separator: " ").prefix(120) } ?? ""
    }
}
