import FoundationEssentials

/// What a ledger's SQL runs on: a SQLite file or a PostgreSQL database (issue 35). `Database`
/// keeps the one call-site API (`run`, `query`, `one`, `scalar`, `forEach`, `write`, `read`,
/// `insertRows`) over either; the SQL given is SQLite's, and a backend that speaks another
/// dialect translates it (`PostgresDialect`).
package protocol LedgerStorage: AnyObject {
    /// Runs SQL text that may hold several statements and takes no parameters.
    func execute(_ sql: String) throws
    /// Runs one statement with bound arguments, calling `each` for every row.
    func run(_ sql: String, _ args: [any SQLiteValue], each: (Row) throws -> Void) throws
    /// One multi-row INSERT of `values` (rows of `width`), as `insertRows` builds it; returns the rows inserted.
    func insert(_ sql: String, values: ArraySlice<SQLValue>) throws -> Int
    var lastInsertRowID: Int64 { get }
    var changes: Int { get }
    var totalChanges: Int64 { get }
    var isInTransaction: Bool { get }
    /// Starts a write transaction that holds the ledger's write lock (writers take turns).
    func beginWrite() throws
    /// Starts a transaction reading one consistent snapshot.
    func beginRead() throws
    func commit() throws
    func rollback()
    /// Whether `error` ended a write that may succeed when run again (a serialization failure or
    /// a deadlock on PostgreSQL; SQLite's single writer never needs it).
    func mayRetry(_ error: Error) -> Bool
    /// The most bound parameters one statement may carry.
    var maxParameters: Int { get }
}
