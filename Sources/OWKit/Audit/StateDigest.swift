import CSQLite
import FoundationEssentials
import OWCore

/// A digest of the rows the audit chain describes, recorded in every event, so a direct edit of
/// the ledger (`sqlite3 ledger.db "UPDATE charges …"`) that leaves the events alone is found:
/// `audit verify --state` and `doctor` recompute the digest from the tables and compare it with
/// the one the last event recorded.
///
/// The digest is a set hash: the XOR of a 128-bit SHA-256 prefix of every row (table name and
/// every column, typed), so it is updated per changed row instead of recomputed per write.
/// owatch's own connection keeps it with TEMP triggers, which other connections neither see nor
/// fire: a write made with another tool changes the tables but not the digest the next event
/// records. Bookkeeping tables (what a scan has seen, the monthly aggregate `doctor` checks on
/// its own, renewal reminders already sent, the notification outbox, the events themselves) are not described.
/// On PostgreSQL the changed rows are kept by `PostgresStateRows`, hashed here the same way.
package final class StateDigest: TransactionObserver {
    package static let tables = [
        "config", "users", "issuers", "tokens", "revoked_tokens", "vendors", "licenses", "purchases", "seats",
        "requests", "expected_spend", "charges", "charge_sources", "findings", "rates", "usage", "budgets",
        // Where notifications go: a webhook URL edited behind owatch would send them elsewhere.
        // The outbox is bookkeeping (delivery changes it with no event of its own).
        "notify_channels",
    ]

    /// The rows changed in the current transaction, folded in as they change.
    private(set) var delta = Digest()
    private unowned let db: Database
    private var installed = false

    package struct Digest: Equatable {
        package var a: UInt64 = 0
        package var b: UInt64 = 0

        package mutating func toggle(_ other: Digest) {
            a ^= other.a
            b ^= other.b
        }

        var isZero: Bool { a == 0 && b == 0 }
        package var hex: String { String(cFormat: "%016llx%016llx", a, b) }

        package init() {}

        package init?(hex: String) {
            let bytes = Array(hex.utf8)
            guard bytes.count == 32, let a = UInt64(String(decoding: bytes[0..<16], as: UTF8.self), radix: 16),
                let b = UInt64(String(decoding: bytes[16...], as: UTF8.self), radix: 16)
            else { return nil }
            self.a = a
            self.b = b
        }

        /// One row: SHA-256 over the table name and each value with its type, first 128 bits.
        package static func row(_ table: String, _ values: [SQLValue], with hasher: Crypto.SHA256) -> Digest {
            var bytes = Array(table.utf8) + [0]
            for v in values { encode(v, into: &bytes) }
            return of(bytes, with: hasher)
        }

        package static func of(_ encoded: [UInt8], with hasher: Crypto.SHA256) -> Digest {
            var d = Digest()
            (d.a, d.b) = encoded.withUnsafeBytes { hasher.prefix128($0) }
            return d
        }

        static func encode(_ v: SQLValue, into bytes: inout [UInt8]) {
            func length(_ n: Int) { withUnsafeBytes(of: UInt32(n).bigEndian) { bytes += $0 } }
            switch v {
            case .null: bytes.append(0)
            case .int(let i):
                bytes.append(1)
                withUnsafeBytes(of: i.bigEndian) { bytes += $0 }
            case .real(let d):
                bytes.append(2)
                withUnsafeBytes(of: d.bitPattern.bigEndian) { bytes += $0 }
            case .text(let s):
                bytes.append(3)
                length(s.utf8.count)
                bytes += s.utf8
            case .blob(let b):
                bytes.append(4)
                length(b.count)
                bytes += b
            }
        }
    }

    package init(db: Database) { self.db = db }

    /// Keeps the digest of `db` from its first write on (read-only commands pay nothing).
    package static func attach(to db: Database) {
        db.observer = StateDigest(db: db)
    }

    /// The audit chain's head as this connection's transaction last wrote it: the next event
    /// reads it here instead of from the table. Forgotten when a write begins (another process
    /// may have appended since) or rolls back.
    package struct Head {
        package let seq: Int64
        package let hash: String
        package let state: Digest?
    }
    package var head: Head?

    /// On PostgreSQL: the rows its triggers copied for this session (nil where they could not be
    /// set up, e.g. a role that may not create them: every event then recomputes the digest).
    private var postgresRows: PostgresStateRows?

    /// Whether this connection keeps the digest per changed row (else events recompute it).
    var tracksRows: Bool { installed && (!db.isPostgres || postgresRows != nil) }

    package func willBeginWrite() throws {
        head = nil
        guard !installed else { return }
        if db.isPostgres {
            postgresRows = try? PostgresStateRows(db)
        } else {
            try StateDigest.install(self, on: db)
        }
        installed = true
    }

    /// A write that changed described rows must record an event (its digest) before it commits;
    /// one that did not would make the next `audit verify --state` report a direct edit. The
    /// debug build stops there so tests find such a write; a release build carries the change
    /// into the next event this process writes.
    package func willCommit() {
        assert(!hasPendingRows, "a write changed audited tables without an audit event")
    }

    /// Whether rows changed since the last event (on PostgreSQL: whether its TEMP tables hold any).
    var hasPendingRows: Bool {
        guard let postgresRows else { return !delta.isZero }
        return !delta.isZero || (try? postgresRows.touched().isEmpty) != true
    }

    package func didRollback() {
        delta = Digest()
        head = nil
    }

    /// Registers `owatch_row(table, values…)` and the TEMP triggers that call it on every insert,
    /// update and delete of a described table.
    private static func install(_ digest: StateDigest, on db: Database) throws {
        let context = Unmanaged.passUnretained(digest).toOpaque()
        let rc = sqlite3_create_function_v2(
            db.handle, "owatch_row", -1, SQLITE_UTF8, context,
            { ctx, argc, argv in
                guard let ctx, let argv, argc > 0 else { return }
                let digest = Unmanaged<StateDigest>.fromOpaque(sqlite3_user_data(ctx)).takeUnretainedValue()
                digest.delta.toggle(digest.rowDigest(argv, count: Int(argc)))
                sqlite3_result_null(ctx)
            }, nil, nil, nil)
        guard rc == SQLITE_OK else { throw db.sqlite!.error(rc, context: "registering owatch_row") }
        var sql = ""
        for table in tables {
            let columns = try db.query("SELECT name FROM pragma_table_info(?)", table).map { try $0.text("name") }
            guard !columns.isEmpty else { continue }
            func call(_ row: String) -> String {
                "SELECT owatch_row('\(table)', " + columns.map { "\(row).\"\($0)\"" }.joined(separator: ", ") + ");"
            }
            sql += """
                CREATE TEMP TRIGGER IF NOT EXISTS owatch_state_\(table)_i AFTER INSERT ON main.\(table) BEGIN \(call("NEW")) END;
                CREATE TEMP TRIGGER IF NOT EXISTS owatch_state_\(table)_d AFTER DELETE ON main.\(table) BEGIN \(call("OLD")) END;
                CREATE TEMP TRIGGER IF NOT EXISTS owatch_state_\(table)_u AFTER UPDATE ON main.\(table) BEGIN \(call("OLD")) \(call("NEW")) END;

                """
        }
        try db.execute(sql)
    }

    /// Reused between rows: the encoding is written straight from SQLite's values, the same bytes
    /// `Digest.row` writes from a `SELECT` (the table name is the first argument), into one buffer
    /// that only grows (a sync of 10,000 people hashes 20,000 rows; appends to an Array cost more
    /// than the hashing).
    private var buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 1024, alignment: 8)
    private let hasher = Crypto.SHA256()

    deinit { buffer.deallocate() }

    private func rowDigest(_ argv: UnsafeMutablePointer<OpaquePointer?>, count: Int) -> Digest {
        // The size first: a type byte per value, 8 bytes per number, a length and the bytes per text or blob.
        var size = 0
        for i in 0..<count {
            switch sqlite3_value_type(argv[i]) {
            case SQLITE_INTEGER, SQLITE_FLOAT: size += 9
            case SQLITE_TEXT, SQLITE_BLOB: size += 5 + Int(sqlite3_value_bytes(argv[i]))
            default: size += 1
            }
        }
        if size > buffer.count {
            buffer.deallocate()
            buffer = .allocate(byteCount: max(size, buffer.count * 2), alignment: 8)
        }
        let out = buffer
        var at = 0
        func put(_ byte: UInt8) {
            out[at] = byte
            at += 1
        }
        func put<T: FixedWidthInteger>(bigEndian n: T) {
            out.storeBytes(of: n.bigEndian, toByteOffset: at, as: T.self)
            at += MemoryLayout<T>.size
        }
        func put(_ p: UnsafeRawPointer?, _ n: Int) {
            if let p, n > 0 { (out.baseAddress! + at).copyMemory(from: p, byteCount: n) }
            at += n
        }
        for i in 0..<count {
            let v = argv[i]
            let type = sqlite3_value_type(v)
            if i == 0 {
                // The table's name, then a 0 byte.
                put(UnsafeRawPointer(sqlite3_value_text(v)), Int(sqlite3_value_bytes(v)))
                put(0)
                continue
            }
            switch type {
            case SQLITE_INTEGER:
                put(1)
                put(bigEndian: sqlite3_value_int64(v))
            case SQLITE_FLOAT:
                put(2)
                put(bigEndian: sqlite3_value_double(v).bitPattern)
            case SQLITE_TEXT, SQLITE_BLOB:
                let p = type == SQLITE_TEXT ? UnsafeRawPointer(sqlite3_value_text(v)) : sqlite3_value_blob(v)
                let n = Int(sqlite3_value_bytes(v))
                put(type == SQLITE_TEXT ? 3 : 4)
                put(bigEndian: UInt32(n))
                put(p, n)
            default:
                put(0)
            }
        }
        var d = Digest()
        (d.a, d.b) = hasher.prefix128(UnsafeRawBufferPointer(rebasing: out[0..<at]))
        return d
    }

    /// Takes the rows changed since the last call (the last event).
    func takeDelta() throws -> Digest {
        if let postgresRows { delta.toggle(try postgresRows.take()) }
        defer { delta = Digest() }
        return delta
    }

    /// The digest of every described row, read from the tables.
    package static func recompute(_ db: Database) throws -> Digest {
        var d = Digest()
        let hasher = Crypto.SHA256()
        for table in tables {
            let columns = try db.query("SELECT name FROM pragma_table_info(?)", table).map { try $0.text("name") }
            guard !columns.isEmpty else { continue }
            // Streamed: a million charges held in libpq's result cost 400 MB on PostgreSQL.
            try db.stream("SELECT " + columns.map { "\"\($0)\"" }.joined(separator: ", ") + " FROM main.\(table)") { row in
                d.toggle(Digest.row(table, row.values, with: hasher))
            }
        }
        return d
    }
}
