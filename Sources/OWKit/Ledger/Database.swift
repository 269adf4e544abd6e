import CSQLite
import FoundationEssentials

/// Told about write transactions, for state kept beside them (the audit chain's state digest):
/// before the first `BEGIN` of a write, and when one commits or rolls back.
protocol TransactionObserver: AnyObject {
    func willBeginWrite() throws
    func willCommit()
    func didRollback()
}

/// A connection to the ledger. Thin over the sqlite3 C API, in the manner of GRDB:
/// statements with typed bindings, and `write` = BEGIN IMMEDIATE … COMMIT.
public final class Database {
    let handle: OpaquePointer
    public let path: String
    private var cache: [String: Statement] = [:]
    var observer: TransactionObserver?
    /// Run first inside every outermost write transaction, once its lock is held: the session
    /// checks again that whoever acts may still act (`Session.reauthorize`). A check made before
    /// the lock can be overtaken by a write that commits while this one waits for it.
    var authorizer: (() throws -> Void)?
    /// How many `write` calls are running on this connection (nested ones join the outermost).
    private var writeDepth = 0

    /// Opens (or with `create`, creates) a database file.
    /// - busyTimeout: milliseconds SQLite's busy handler waits for a lock before we report exit 75.
    public init(path: String, create: Bool = false, busyTimeout: Int32 = 5000) throws {
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

    public func setBusyTimeout(milliseconds: Int32) { sqlite3_busy_timeout(handle, milliseconds) }

    /// Room for the page cache. A bulk write (an import of 100,000 licenses) given more keeps its
    /// pages in memory instead of spilling them to the WAL mid-transaction; others keep SQLite's 2 MB.
    func setCacheSize(mebibytes: Int) throws { try execute("PRAGMA cache_size=-\(mebibytes * 1024)") }

    func error(_ rc: Int32, context: String, sql: String? = nil) -> OWError {
        let msg = String(cString: sqlite3_errmsg(handle))
        // A money total the ledger's triggers refused (LedgerTotals), or a sum SQLite could not
        // compute: bad data, said plainly, never "SQLite error".
        if rc & 0xFF == SQLITE_CONSTRAINT, let refused = LedgerTotals.error(forSQLiteMessage: msg) { return refused }
        if rc & 0xFF == SQLITE_ERROR && msg == "integer overflow" {
            return OWError(
                .badData, "a total in the ledger is too large to add up (more than 92 quadrillion minor units)",
                hint: "run `owatch doctor`; remove the charges that should not be there (`owatch charge remove ID`)")
        }
        switch rc & 0xFF {
        case SQLITE_BUSY, SQLITE_LOCKED:
            return OWError(
                .busy, "the ledger is busy (another owatch is writing)",
                hint: "retry in a moment; the wait is set by `owatch config set busy_timeout 10s`")
        case SQLITE_CONSTRAINT:
            return OWError(.refused, "the ledger refused the change: \(msg)")
        case SQLITE_CORRUPT, SQLITE_NOTADB:
            return OWError(
                .badData, "the ledger \(path) is damaged or not an owatch ledger: \(msg)",
                hint: "run `owatch doctor`, or restore from `owatch backup`")
        case SQLITE_READONLY, SQLITE_CANTOPEN, SQLITE_PERM:
            return OWError(.notPermitted, "cannot write the ledger \(path): \(msg)")
        case SQLITE_FULL, SQLITE_IOERR:
            return OWError(.io, "I/O error on the ledger \(path): \(msg)")
        default:
            // The statement, on one line and short: enough to find it in the source.
            let statement =
                sql.map { " in " + $0.split(whereSeparator: { $0 == " " || $0 == "\n" }).joined(separator: " ").prefix(120) } ?? ""
            return OWError(.io, "SQLite error (\(context))\(statement): \(msg)")
        }
    }

    /// Runs SQL text that may hold several statements and takes no parameters (schema, pragmas).
    public func execute(_ sql: String) throws {
        var errmsg: UnsafeMutablePointer<CChar>?
        let rc = sqlite3_exec(handle, sql, nil, nil, &errmsg)
        if let errmsg { sqlite3_free(errmsg) }
        guard rc == SQLITE_OK else { throw error(rc, context: "exec", sql: sql) }
    }

    func statement(_ sql: String) throws -> Statement {
        if let s = cache[sql] { return s }
        let s = try Statement(db: self, sql: sql)
        cache[sql] = s
        return s
    }

    /// Runs one statement with bound arguments.
    public func run(_ sql: String, _ args: any SQLiteValue...) throws {
        try statement(sql).run(args)
    }

    public func run(_ sql: String, arguments: [any SQLiteValue]) throws {
        try statement(sql).run(arguments)
    }

    public func query(_ sql: String, _ args: any SQLiteValue...) throws -> [Row] {
        try query(sql, arguments: args)
    }

    public func query(_ sql: String, arguments: [any SQLiteValue]) throws -> [Row] {
        var rows: [Row] = []
        try statement(sql).run(arguments) { rows.append($0) }
        return rows
    }

    /// Streams rows without collecting them.
    public func forEach(_ sql: String, arguments: [any SQLiteValue] = [], _ body: (Row) throws -> Void) throws {
        try statement(sql).run(arguments, each: body)
    }

    public func one(_ sql: String, _ args: any SQLiteValue...) throws -> Row? {
        var first: Row?
        try statement(sql).run(args) { if first == nil { first = $0 } }
        return first
    }

    public func scalar(_ sql: String, _ args: any SQLiteValue...) throws -> Int64 {
        var value: Int64 = 0
        try statement(sql).run(args) { value = try $0.integer($0.columns[0]) }
        return value
    }

    /// Inserts rows of `width` values each (`values` holds them one after another), many rows per
    /// statement: `INSERT INTO <into> VALUES (…),(…)… <tail>`. A statement per row costs more than
    /// the row in a bulk write (an import of 100,000 licenses). Returns the number of rows inserted.
    @discardableResult
    func insertRows(into: String, width: Int, values: [SQLValue], tail: String = "") throws -> Int {
        precondition(width > 0 && values.count % width == 0)
        let perStatement = max(1, 500 / width)  // far below SQLite's limit of 32,766 variables
        let row = "(" + Array(repeating: "?", count: width).joined(separator: ",") + ")"
        func sql(rows: Int) -> String {
            "INSERT INTO \(into) VALUES " + Array(repeating: row, count: rows).joined(separator: ",") + " " + tail
        }
        let full = sql(rows: perStatement)  // every statement but the last
        var inserted = 0
        var start = 0
        while start < values.count {
            let rows = min(perStatement, (values.count - start) / width)
            let statement = try statement(rows == perStatement ? full : sql(rows: rows))
            try statement.bind(values: values[start..<start + rows * width])
            defer { sqlite3_reset(statement.handle) }
            let rc = sqlite3_step(statement.handle)
            guard rc == SQLITE_DONE else { throw error(rc, context: "step", sql: statement.sql) }
            inserted += changes
            start += rows * width
        }
        return inserted
    }

    public var lastInsertRowID: Int64 { sqlite3_last_insert_rowid(handle) }
    public var changes: Int { Int(sqlite3_changes(handle)) }
    /// Rows changed since the connection opened (to tell whether a step wrote anything).
    public var totalChanges: Int64 { sqlite3_total_changes64(handle) }
    public var isInTransaction: Bool { sqlite3_get_autocommit(handle) == 0 }

    /// Runs `body` in `BEGIN IMMEDIATE … COMMIT`. Taking the write lock up front means
    /// a concurrent writer waits in the busy handler instead of failing later with
    /// SQLITE_BUSY_SNAPSHOT (sqlite.org/lang_transaction.html). Any thrown error rolls back.
    ///
    /// A `write` inside another joins it: an approval that creates a license, grows it and assigns
    /// a seat is one transaction, and an error anywhere rolls all of it back.
    public func write<T>(_ body: () throws -> T) throws -> T {
        if isInTransaction {
            // Inside one of our writes the authority was checked when it began. Inside a read
            // transaction begun elsewhere (a scan's snapshot) check it now: a commit after that
            // snapshot makes the first write fail (SQLITE_BUSY_SNAPSHOT), so a stale check never acts.
            if writeDepth == 0 { try authorizer?() }
            writeDepth += 1
            defer { writeDepth -= 1 }
            return try body()
        }
        try observer?.willBeginWrite()
        try execute("BEGIN IMMEDIATE")
        writeDepth = 1
        defer { writeDepth = 0 }
        do {
            try authorizer?()
            let result = try body()
            observer?.willCommit()
            try execute("COMMIT")
            return result
        } catch {
            // "If certain kinds of errors occur within a transaction, the transaction may or may
            // not be rolled back automatically" — so ask SQLite whether one is still open.
            if isInTransaction { try? execute("ROLLBACK") }
            observer?.didRollback()
            throw error
        }
    }

    /// A consistent snapshot for multi-statement reads.
    public func read<T>(_ body: () throws -> T) throws -> T {
        try execute("BEGIN DEFERRED")
        defer { if isInTransaction { try? execute("COMMIT") } }
        return try body()
    }

    /// Copies the whole database to `destination` with SQLite's online backup API:
    /// a consistent copy even while other processes write.
    public func backup(to destination: String) throws {
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
