import CSQLite
import FoundationEssentials

/// A prepared statement. Reset and rebound for each use, so hot loops (import, scan)
/// compile their SQL once.
public final class SQLiteStatement {
    package let handle: OpaquePointer
    package unowned let db: SQLiteStorage
    /// The SQL, for errors: "SQLite error (step) in UPDATE users SET …" says where.
    package let sql: String
    /// The result's column names, indexed on the first row of the first run and kept: a statement's
    /// columns stay what it was prepared with (named anew for every run, they were a tenth of a
    /// scan's charge lookup).
    private var columns: ResultColumns?

    package init(storage db: SQLiteStorage, sql: String) throws {
        var stmt: OpaquePointer?
        let rc = sqlite3_prepare_v3(db.handle, sql, -1, UInt32(SQLITE_PREPARE_PERSISTENT), &stmt, nil)
        guard rc == SQLITE_OK, let stmt else { throw db.error(rc, context: "prepare", sql: sql) }
        self.handle = stmt
        self.db = db
        self.sql = sql
    }

    deinit { sqlite3_finalize(handle) }

    func bind(_ args: [any SQLiteValue]) throws {
        try bind(values: args.lazy.map(\.sqlValue))
    }

    /// Binds values in order to ?1, ?2, …; bulk inserts pass `SQLValue`s (no existential per value).
    func bind<C: Collection<SQLValue>>(values: C) throws {
        sqlite3_reset(handle)
        sqlite3_clear_bindings(handle)
        var idx: Int32 = 1
        for value in values {
            let rc: Int32
            switch value {
            case .null: rc = sqlite3_bind_null(handle, idx)
            case .int(let v): rc = sqlite3_bind_int64(handle, idx, v)
            case .real(let v): rc = sqlite3_bind_double(handle, idx, v)
            case .text(let v): rc = sqlite3_bind_text(handle, idx, v, -1, owatch_sqlite_transient())
            case .blob(let v):
                rc = v.withUnsafeBytes { sqlite3_bind_blob(handle, idx, $0.baseAddress, Int32($0.count), owatch_sqlite_transient()) }
            }
            guard rc == SQLITE_OK else { throw db.error(rc, context: "bind", sql: sql) }
            idx += 1
        }
    }

    /// Runs to completion, calling `each` for every row.
    package func run(_ args: [any SQLiteValue], each: (Row) throws -> Void = { _ in }) throws {
        try bind(args)
        defer { sqlite3_reset(handle) }
        // One buffer for every row's values: a row the body keeps gets its own (copy on write).
        var values: [SQLValue] = []
        while true {
            let rc = sqlite3_step(handle)
            if rc == SQLITE_DONE { return }
            guard rc == SQLITE_ROW else { throw db.error(rc, context: "step", sql: sql) }
            let n = sqlite3_column_count(handle)
            if columns?.names.count != Int(n) {
                columns = ResultColumns((0..<n).map { String(cString: sqlite3_column_name(handle, $0)) })
            }
            values.removeAll(keepingCapacity: true)
            values.reserveCapacity(Int(n))
            for i in 0..<n {
                switch sqlite3_column_type(handle, i) {
                case SQLITE_INTEGER: values.append(.int(sqlite3_column_int64(handle, i)))
                case SQLITE_FLOAT: values.append(.real(sqlite3_column_double(handle, i)))
                case SQLITE_TEXT: values.append(.text(String(cString: sqlite3_column_text(handle, i))))
                case SQLITE_BLOB:
                    let count = Int(sqlite3_column_bytes(handle, i))
                    if let p = sqlite3_column_blob(handle, i), count > 0 {
                        values.append(.blob(Array(UnsafeRawBufferPointer(start: p, count: count))))
                    } else {
                        values.append(.blob([]))
                    }
                default: values.append(.null)
                }
            }
            try each(Row(shared: columns!, values: values))
        }
    }
}
