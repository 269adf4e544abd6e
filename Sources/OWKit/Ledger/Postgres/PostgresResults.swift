import FoundationEssentials

/// Running translated statements and reading their results as SQLite's values.
extension PostgresStorage {
    // Type OIDs (pg_type.dat) of the values owatch binds and reads.
    private static let bool: UInt32 = 16, bytea: UInt32 = 17, int8: UInt32 = 20, int2: UInt32 = 21, int4: UInt32 = 23
    private static let text: UInt32 = 25, oid: UInt32 = 26, float4: UInt32 = 700, float8: UInt32 = 701, numeric: UInt32 = 1700

    func translation(_ sql: String) -> PostgresDialect.Translation {
        if let t = cache[sql] { return t }
        let t = dialect.translate(sql)
        cache[sql] = t
        return t
    }

    /// A failed statement aborts a PostgreSQL transaction, where SQLite's goes on: code that
    /// catches a refused write (a money total past its bound) and carries on needs the statement
    /// undone alone. So a write inside a transaction runs under a savepoint of its own. The
    /// savepoint is released only when the next write sets its own, in the same round trip
    /// (a scan writes thousands of rows: three round trips per write cost more than the writes).
    package func run(_ sql: String, values: [SQLValue], each: (Row) throws -> Void) throws {
        let t = translation(sql)
        guard t.writes, isInTransaction else { return try run(t, values: values, each: each) }
        var before: [String] = []
        switch savepoint {
        case .none: before = ["SAVEPOINT owatch_statement"]
        case .used: before = ["RELEASE SAVEPOINT owatch_statement", "SAVEPOINT owatch_statement"]
        case .clean: break  // rolled back to: it marks this point still
        }
        if pq.pipeline == nil, !before.isEmpty {
            try exec(before.joined(separator: "; "))
            before = []
        }
        savepoint = .clean
        do {
            try run(t, values: values, before: before, each: each)
            savepoint = .used
        } catch {
            // ROLLBACK TO keeps the savepoint: the next write starts from it.
            if (try? exec("ROLLBACK TO SAVEPOINT owatch_statement")) == nil { savepoint = .none }
            throw error
        }
    }

    /// PostgreSQL's own SQL with no parameters, untranslated and outside a savepoint (owatch's
    /// bookkeeping in TEMP tables: `PostgresStateRows`).
    package func runNative(_ sql: String, each: (Row) throws -> Void) throws {
        try run(PostgresDialect.Translation(sql: sql), values: [], each: each)
    }

    /// `before`: statements without parameters (the savepoint) sent ahead in the same round trip.
    private func run(_ t: PostgresDialect.Translation, values: [SQLValue], before: [String] = [], each: (Row) throws -> Void) throws {
        var types: [UInt32] = []
        var texts: [[CChar]?] = []
        var lengths: [Int32] = []
        var formats: [Int32] = []
        for p in t.parameters {
            let value = p.argument < values.count ? values[p.argument] : .null
            var type: UInt32 = p.textual ? PostgresStorage.text : 0
            var bytes: [CChar]? = nil
            var format: Int32 = 0
            switch value {
            case .null: break
            case .int(let v):
                type = PostgresStorage.int8
                bytes = Array(String(v).utf8CString)
            case .real(let v):
                type = PostgresStorage.float8
                bytes = Array("\(v)".utf8CString)
            case .text(let s): bytes = Array(s.utf8CString)
            case .blob(let b):
                type = PostgresStorage.bytea
                bytes = b.map { CChar(bitPattern: $0) }
                format = 1
            }
            types.append(type)
            lengths.append(Int32(bytes.map { format == 1 ? $0.count : $0.count - 1 } ?? 0))
            texts.append(bytes)
            formats.append(format)
        }
        let key = PostgresPrepared.Key(sql: t.sql, types: types)
        var before = before
        if !before.isEmpty, prepared.names[key] == nil, prepared.ranOnce.contains(key) {
            // Prepared only once the write's savepoint is set: a failed prepare aborts the
            // transaction, and rolling back to the savepoint must undo this statement alone.
            try exec(before.joined(separator: "; "))
            before = []
        }
        let name = preparedName(key)
        let result = try withPointers(texts) { pointers in
            if let pipeline = pq.pipeline, !before.isEmpty {
                return try pipelined(pipeline, before, t.sql, name, types, pointers, lengths, formats)
            }
            if let name { return pq.execPrepared(connection, name, Int32(types.count), pointers, lengths, formats, 0) }
            return pq.execParams(connection, t.sql, Int32(types.count), types, pointers, lengths, formats, 0)
        }
        defer { pq.clear(result) }
        try check(result, sql: t.sql)
        ranSuccessfully(key)
        let affected = pq.cmdTuples(result).map { Int(String(cString: $0)) ?? 0 } ?? 0
        changes = affected
        if t.writes { totalChanges += Int64(affected) }
        let rows = pq.ntuples(result)
        let fields = pq.nfields(result)
        guard rows > 0, fields > 0 else { return }
        if t.returnsID {
            if let v = pq.getvalue(result, rows - 1, 0), let id = Int64(String(cString: v)) { lastInsertRowID = id }
            return
        }
        let columns = ResultColumns((0..<fields).map { pq.fname(result, $0).map { String(cString: $0) } ?? "?" })
        let types2 = (0..<fields).map { pq.ftype(result, $0) }
        for r in 0..<rows {
            var row: [SQLValue] = []
            row.reserveCapacity(Int(fields))
            for f in 0..<fields {
                if pq.getisnull(result, r, f) != 0 {
                    row.append(.null)
                    continue
                }
                let raw = pq.getvalue(result, r, f).map { String(cString: $0) } ?? ""
                row.append(PostgresStorage.value(raw, type: types2[Int(f)]))
            }
            try each(Row(shared: columns, values: row))
        }
    }

    /// A value as PostgreSQL's text output writes it → the value SQLite would hold.
    package static func value(_ raw: String, type: UInt32) -> SQLValue {
        switch type {
        case int8, int2, int4, oid: return Int64(raw).map(SQLValue.int) ?? .text(raw)
        case float4, float8: return Double(raw).map(SQLValue.real) ?? .text(raw)
        case numeric: return Int64(raw).map(SQLValue.int) ?? Double(raw).map(SQLValue.real) ?? .text(raw)
        case bool: return .int(raw == "t" ? 1 : 0)
        case bytea: return .blob(hexBytes(raw))
        default: return .text(raw)
        }
    }

    /// `\x0a1b…` → bytes.
    static func hexBytes(_ raw: String) -> [UInt8] {
        let digits = Array(raw.utf8.dropFirst(2))
        func nibble(_ c: UInt8) -> UInt8 { c <= 57 ? c - 48 : (c | 0x20) - 87 }
        return stride(from: 0, to: digits.count - 1, by: 2).map { nibble(digits[$0]) << 4 | nibble(digits[$0 + 1]) }
    }

    private func withPointers<R>(_ values: [[CChar]?], _ body: ([UnsafePointer<CChar>?]) throws -> R) rethrows -> R {
        var buffers: [UnsafeMutablePointer<CChar>?] = []
        defer { for b in buffers { b?.deallocate() } }
        for v in values {
            guard let v else {
                buffers.append(nil)
                continue
            }
            let p = UnsafeMutablePointer<CChar>.allocate(capacity: max(v.count, 1))
            p.initialize(from: v, count: v.count)
            buffers.append(p)
        }
        return try body(buffers.map { $0.map { UnsafePointer($0) } })
    }

    /// Throws the error a failed statement reports, as owatch's errors (SPEC §5).
    package func check(_ result: OpaquePointer?, sql: String) throws {
        let status = pq.resultStatus(result)
        if result != nil, status == LibPQ.commandOK || status == LibPQ.tuplesOK {
            return
        }
        let state = pq.resultErrorField(result, LibPQ.diagSQLState).map { String(cString: $0) } ?? ""
        // In pipeline mode the connection's message may already be cleared by the results after
        // the failed one; the failed result keeps its own primary message.
        var raw = pq.errorMessage(connection).map { String(cString: $0) } ?? ""
        if raw.trimmed().isEmpty { raw = pq.resultErrorField(result, LibPQ.diagMessagePrimary).map { String(cString: $0) } ?? "" }
        let message = PostgresStorage.hide(secretsToHide, in: raw).trimmed()
        lastErrorRetryable = state == "40001" || state == "40P01"
        throw PostgresStorage.error(state: state, message: message, sql: sql, location: location)
    }

    package static func error(state: String, message: String, sql: String, location: String) -> OWError {
        if let refused = LedgerTotals.error(forSQLiteMessage: message) { return refused }
        switch state {
        case "40001", "40P01":
            return OWError(
                .busy, "the ledger is busy (another writer changed the same rows; retried)",
                hint: "retry in a moment")
        case "55P03": return LedgerErrors.busy
        case "22003": return LedgerErrors.overflow
        case "25006": return OWError.notPermitted("the PostgreSQL ledger \(location) is read-only here: \(message)")
        case "42501": return OWError(.notPermitted, "the PostgreSQL ledger \(location) refused: \(message)")
        default: break
        }
        if state.hasPrefix("23") || state == "P0001" { return OWError(.refused, "the ledger refused the change: \(message)") }
        if state.hasPrefix("08") || state.isEmpty {
            return OWError(.unavailable, "lost the connection to the PostgreSQL ledger \(location): \(message)")
        }
        return OWError(.io, "PostgreSQL error (\(state))\(LedgerErrors.excerpt(sql)): \(message)")
    }
}
