import FoundationEssentials
import Glibc

/// A ledger in a PostgreSQL database, through libpq (loaded when first needed). The SQL it is
/// given is SQLite's; `PostgresDialect` translates each statement once per connection.
///
/// Writers take turns as on SQLite: a write takes a session advisory lock (waiting up to the busy
/// timeout, then exit 75), then runs SERIALIZABLE; the lock keeps the audit chain's head in order,
/// SERIALIZABLE keeps a writer that is not owatch from slipping between its reads and writes.
package final class PostgresStorage: LedgerStorage {
    let pq: LibPQ
    let connection: OpaquePointer
    package let location: String
    let secretsToHide: [String]
    var busyTimeout: Int32 {
        didSet { try? exec("SET lock_timeout = \(Int(busyTimeout))") }
    }
    package var cache: [String: PostgresDialect.Translation] = [:]
    var prepared = PostgresPrepared()
    var dialect = PostgresDialect()
    package var lastInsertRowID: Int64 = 0
    package var changes = 0
    package var totalChanges: Int64 = 0
    private var holdsLock = false
    /// Why this connection never writes (a hot standby, or a read-only connection for reports), or nil.
    var readOnly: String?
    /// The savepoint the last write inside the transaction ran under (`run`).
    enum Savepoint { case none, clean, used }
    var savepoint = Savepoint.none
    /// Whether the last error thrown may pass if the write runs again (40001, 40P01).
    var lastErrorRetryable = false
    /// The advisory lock all owatch writers of a database take: "owatch" in ASCII.
    static let writeLock: Int64 = 0x6f_7761_7463_68

    package init(url: String, busyTimeout: Int32) throws {
        let pq = try LibPQ.shared()
        self.pq = pq
        location = LedgerLocation.redact(url)
        secretsToHide = PostgresStorage.passwords(in: url)
        let conn = pq.connectdb(url)
        guard let conn, pq.status(conn) == LibPQ.connectionOK else {
            let why = conn.flatMap { pq.errorMessage($0) }.map { String(cString: $0) } ?? "out of memory"
            pq.finish(conn)
            let location = LedgerLocation.redact(url)
            let secretsToHide = PostgresStorage.passwords(in: url)
            throw OWError(
                .unavailable,
                "cannot connect to the PostgreSQL ledger \(location): \(PostgresStorage.hide(secretsToHide, in: why).trimmed())",
                hint: "check the URL, that the server runs, and libpq's settings (~/.pgpass, PGSERVICE, sslmode)")
        }
        self.connection = conn
        self.busyTimeout = busyTimeout
        // Plain values, as owatch reads them: UTC times, ISO dates, floats that round-trip.
        try exec(
            "SET client_min_messages = warning; SET TimeZone = 'UTC'; SET DateStyle = 'ISO'; SET extra_float_digits = 3; "
                + "SET lock_timeout = \(Int(busyTimeout))")
        try loadSchemaFacts()
        try run("SELECT pg_is_in_recovery() AS standby", []) { row in
            if try row.integer("standby") == 1 { readOnly = "the PostgreSQL ledger \(location) is a hot standby (read-only)" }
        }
    }

    /// Every transaction of this connection reads only (`ledger.read_url`: reports on a replica).
    func makeReadOnly(_ why: String) throws {
        try exec("SET default_transaction_read_only = on")
        if readOnly == nil { readOnly = why }
    }

    deinit { pq.finish(connection) }

    /// Primary keys and identity columns, for `INSERT OR REPLACE` and `lastInsertRowID`.
    func loadSchemaFacts() throws {
        var keys: [String: [String]] = [:]
        var identity: Set<String> = []
        try run(
            """
            SELECT c.relname AS t, a.attname AS col, i.indisprimary AS pk, a.attidentity <> '' AS ident
            FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace
            LEFT JOIN pg_index i ON i.indrelid = c.oid AND i.indisprimary AND a.attnum = ANY(i.indkey)
            WHERE n.nspname = current_schema() AND c.relkind = 'r' AND a.attnum > 0 AND NOT a.attisdropped
            ORDER BY c.relname, a.attnum
            """, []
        ) { row in
            let table = try row.text("t")
            if try row.optionalInteger("pk") == 1 { keys[table, default: []].append(try row.text("col")) }
            if try row.integer("ident") == 1, try row.text("col") == "id" { identity.insert(table) }
        }
        dialect = PostgresDialect(primaryKey: { keys[$0] ?? [] }, hasIdentity: { identity.contains($0) })
        cache.removeAll()
        forgetPrepared()
    }

    /// The columns of each of `tables` the database holds, in their order (as `pragma_table_info`
    /// gives them), in one query where a query per table was a round trip each.
    package func columns(of tables: [String]) throws -> [(table: String, names: [String])] {
        var found: [String: [String]] = [:]
        try run(
            """
            SELECT c.relname AS t, CAST(a.attname AS text) AS col FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid
            WHERE c.relnamespace = current_schema()::regnamespace AND c.relkind = 'r' AND c.relname = ANY(string_to_array(?, ','))
              AND a.attnum > 0 AND NOT a.attisdropped AND a.attname <> 'rowid'
            ORDER BY c.relname, a.attnum
            """, [tables.joined(separator: ",")]
        ) { row in found[try row.text("t"), default: []].append(try row.text("col")) }
        return tables.compactMap { t in found[t].map { (t, $0) } }
    }

    /// The passwords a URL carries (user info or `password=`), to hide them in libpq's messages.
    static func passwords(in url: String) -> [String] {
        let redacted = LedgerLocation.redact(url)
        guard redacted != url else { return [] }
        var found: [String] = []
        var a = Array(url)
        var b = Array(redacted)
        while !a.isEmpty, !b.isEmpty, a.first == b.first {
            a.removeFirst()
            b.removeFirst()
        }
        while !a.isEmpty, !b.isEmpty, a.last == b.last {
            a.removeLast()
            b.removeLast()
        }
        if !a.isEmpty { found.append(String(a)) }
        return found
    }

    package static func hide(_ secrets: [String], in text: String) -> String {
        secrets.reduce(text) { $1.isEmpty ? $0 : $0.replacingAll($1, with: "***") }
    }

    package var maxParameters: Int { 2000 }
    package var isInTransaction: Bool { pq.transactionStatus(connection) != LibPQ.transactionIdle }

    /// SQLite's transaction statements, as code outside `Database` writes them (a scan's
    /// snapshot), mean the same here; other text runs as it is.
    package func execute(_ sql: String) throws {
        switch sql.uppercased() {
        case "BEGIN", "BEGIN DEFERRED": try beginRead()
        case "BEGIN IMMEDIATE", "BEGIN EXCLUSIVE": try beginWrite()
        case "COMMIT", "END": try commit()
        case "ROLLBACK": rollback()
        default:
            // SQLite text, possibly several statements (a TEMP table made, filled and used).
            for statement in PostgresSchema.split(SQLToken.tokenize(sql)) where statement.contains(where: { $0.kind != .space }) {
                let text = SQLToken.join(statement)
                let isTable =
                    statement.first(where: { $0.kind != .space })?.is("CREATE") == true && statement.contains(where: { $0.is("TABLE") })
                try exec(dialect.translate(isTable ? PostgresSchema.table(text) : text).sql)
            }
        }
    }

    package func exec(_ sql: String) throws {
        // A transaction begins or ends (here or in code that runs its own, `migrate --to`): no savepoint yet.
        if sql.hasPrefix("BEGIN") || sql == "COMMIT" || sql == "ROLLBACK" { savepoint = .none }
        let result = pq.exec(connection, sql)
        defer { pq.clear(result) }
        try check(result, sql: sql)
    }

    package func run(_ sql: String, _ args: [any SQLiteValue], each: (Row) throws -> Void) throws {
        try run(sql, values: args.map(\.sqlValue), each: each)
    }

    package func insert(_ sql: String, values: ArraySlice<SQLValue>) throws -> Int {
        try run(sql, values: Array(values)) { _ in }
        return changes
    }

    package func beginWrite() throws {
        if let readOnly {
            throw OWError.notPermitted(
                "\(readOnly): owatch writes only on the primary",
                hint: "run commands that change the ledger with --ledger naming the primary; reports and lists can run here")
        }
        try exec("SELECT pg_advisory_lock(\(PostgresStorage.writeLock))")
        holdsLock = true
        do {
            try exec("BEGIN ISOLATION LEVEL SERIALIZABLE")
        } catch {
            releaseLock()
            throw error
        }
    }

    package func beginRead() throws { try exec("BEGIN ISOLATION LEVEL REPEATABLE READ") }

    package func commit() throws {
        defer { if !isInTransaction { releaseLock() } }
        try exec("COMMIT")
    }

    package func rollback() {
        if isInTransaction { try? exec("ROLLBACK") }
        releaseLock()
    }

    private func releaseLock() {
        guard holdsLock else { return }
        holdsLock = false
        try? exec("SELECT pg_advisory_unlock(\(PostgresStorage.writeLock))")
    }

    package func mayRetry(_ error: Error) -> Bool { lastErrorRetryable }
}
