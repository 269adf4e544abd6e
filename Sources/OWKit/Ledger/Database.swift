import CSQLite
import FoundationEssentials
import Glibc

/// Told about write transactions, for state kept beside them (the audit chain's state digest):
/// before the first `BEGIN` of a write, and when one commits or rolls back.
package protocol TransactionObserver: AnyObject {
    func willBeginWrite() throws
    func willCommit()
    func didRollback()
}

/// A connection to the ledger, over either backend (`LedgerStorage`): statements with typed
/// bindings, and `write` = one transaction holding the ledger's write lock.
public final class Database {
    package let storage: any LedgerStorage
    /// The ledger's location as messages show it (a URL's password redacted).
    public let path: String
    package var observer: TransactionObserver?
    /// Run first inside every outermost write transaction, once its lock is held: the session
    /// checks again that whoever acts may still act (`Session.reauthorize`). A check made before
    /// the lock can be overtaken by a write that commits while this one waits for it.
    package var authorizer: (() throws -> Void)?
    /// How many `write` calls are running on this connection (nested ones join the outermost).
    private var writeDepth = 0

    /// Opens (or with `create`, creates) a SQLite database file.
    /// - busyTimeout: milliseconds SQLite's busy handler waits for a lock before we report exit 75.
    public init(path: String, create: Bool = false, busyTimeout: Int32 = 5000) throws {
        self.storage = try SQLiteStorage(path: path, create: create, busyTimeout: busyTimeout)
        self.path = path
    }

    /// Connects to a PostgreSQL database (libpq is loaded now, not before).
    package init(postgres url: String, busyTimeout: Int32 = 5000) throws {
        self.storage = try PostgresStorage(url: url, busyTimeout: busyTimeout)
        self.path = LedgerLocation.redact(url)
    }

    package var sqlite: SQLiteStorage? { storage as? SQLiteStorage }
    package var postgres: PostgresStorage? { storage as? PostgresStorage }
    public var isPostgres: Bool { postgres != nil }
    /// A connection that never writes: a hot standby, or one opened for reports (`ledger.read_url`).
    public var isReadOnly: Bool { postgres?.readOnly != nil }

    /// The sqlite3 handle, for what only SQLite has (functions defined in Swift, the backup API).
    package var handle: OpaquePointer {
        guard let sqlite else { preconditionFailure("a SQLite-only feature was used on a PostgreSQL ledger") }
        return sqlite.handle
    }

    public func setBusyTimeout(milliseconds: Int32) {
        sqlite?.setBusyTimeout(milliseconds: milliseconds)
        postgres?.busyTimeout = milliseconds
    }

    /// Room for the page cache. A bulk write (an import of 100,000 licenses) given more keeps its
    /// pages in memory instead of spilling them to the WAL mid-transaction; others keep SQLite's 2 MB.
    package func setCacheSize(mebibytes: Int) throws {
        if sqlite != nil { try execute("PRAGMA cache_size=-\(mebibytes * 1024)") }
    }

    /// Runs SQL text that may hold several statements and takes no parameters (schema, pragmas).
    public func execute(_ sql: String) throws { try storage.execute(sql) }

    /// Runs one statement with bound arguments.
    public func run(_ sql: String, _ args: any SQLiteValue...) throws {
        try storage.run(sql, args) { _ in }
    }

    public func run(_ sql: String, arguments: [any SQLiteValue]) throws {
        try storage.run(sql, arguments) { _ in }
    }

    public func query(_ sql: String, _ args: any SQLiteValue...) throws -> [Row] {
        try query(sql, arguments: args)
    }

    public func query(_ sql: String, arguments: [any SQLiteValue]) throws -> [Row] {
        var rows: [Row] = []
        try storage.run(sql, arguments) { rows.append($0) }
        return rows
    }

    /// Streams rows without collecting them.
    public func forEach(_ sql: String, arguments: [any SQLiteValue] = [], _ body: (Row) throws -> Void) throws {
        try storage.run(sql, arguments, each: body)
    }

    public func one(_ sql: String, _ args: any SQLiteValue...) throws -> Row? {
        var first: Row?
        try storage.run(sql, args) { if first == nil { first = $0 } }
        return first
    }

    public func scalar(_ sql: String, _ args: any SQLiteValue...) throws -> Int64 {
        var value: Int64 = 0
        try storage.run(sql, args) { value = try $0.integer($0.columns[0]) }
        return value
    }

    /// Inserts rows of `width` values each (`values` holds them one after another), many rows per
    /// statement: `INSERT INTO <into> VALUES (…),(…)… <tail>`. A statement per row costs more than
    /// the row in a bulk write (an import of 100,000 licenses). Returns the number of rows inserted.
    @discardableResult
    package func insertRows(into: String, width: Int, values: [SQLValue], tail: String = "") throws -> Int {
        precondition(width > 0 && values.count % width == 0)
        let perStatement = max(1, storage.maxParameters / width)
        let row = "(" + Array(repeating: "?", count: width).joined(separator: ",") + ")"
        func sql(rows: Int) -> String {
            "INSERT INTO \(into) VALUES " + Array(repeating: row, count: rows).joined(separator: ",") + " " + tail
        }
        // Every statement but the last is full; put together only when there is one (on SQLite a
        // full statement is 8,191 rows of four: a scan's batch of a few hundred built it for nothing).
        var full: String?
        var inserted = 0
        var start = 0
        while start < values.count {
            let rows = min(perStatement, (values.count - start) / width)
            let text = rows == perStatement ? full ?? sql(rows: rows) : sql(rows: rows)
            if rows == perStatement { full = text }
            inserted += try storage.insert(text, values: values[start..<start + rows * width])
            start += rows * width
        }
        return inserted
    }

    public var lastInsertRowID: Int64 { storage.lastInsertRowID }
    public var changes: Int { storage.changes }
    /// Rows changed since the connection opened (to tell whether a step wrote anything).
    public var totalChanges: Int64 { storage.totalChanges }
    public var isInTransaction: Bool { storage.isInTransaction }

    /// Runs `body` in one write transaction holding the ledger's write lock (SQLite: BEGIN
    /// IMMEDIATE; PostgreSQL: an advisory lock, then SERIALIZABLE). Any thrown error rolls back;
    /// a serialization failure or deadlock is run again after a pause (PostgreSQL only).
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
        var attempt = 0
        while true {
            do {
                return try writeOnce(body)
            } catch  where storage.mayRetry(error) && attempt < 8 {
                attempt += 1
                // Backoff with jitter: 10, 20, 40 … ms, so retrying writers do not collide again.
                let ms = (10 << min(attempt, 6)) + Int.random(in: 0..<10)
                usleep(useconds_t(ms * 1000))
            }
        }
    }

    private func writeOnce<T>(_ body: () throws -> T) throws -> T {
        try observer?.willBeginWrite()
        try storage.beginWrite()
        writeDepth = 1
        defer { writeDepth = 0 }
        do {
            try authorizer?()
            let result = try body()
            observer?.willCommit()
            try storage.commit()
            return result
        } catch {
            storage.rollback()
            observer?.didRollback()
            throw error
        }
    }

    /// A consistent snapshot for multi-statement reads.
    public func read<T>(_ body: () throws -> T) throws -> T {
        // Inside a transaction already (a copy checked before it commits): read what it sees.
        if isInTransaction { return try body() }
        try storage.beginRead()
        defer { if isInTransaction { try? storage.commit() } }
        return try body()
    }

    /// Copies the whole database to `destination` with SQLite's online backup API:
    /// a consistent copy even while other processes write.
    public func backup(to destination: String) throws {
        guard let sqlite else {
            throw OWError(.refused, "owatch backup copies a SQLite ledger; back up a PostgreSQL ledger with pg_dump")
        }
        try sqlite.backup(to: destination)
    }
}
