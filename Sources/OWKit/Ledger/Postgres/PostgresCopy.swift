import FoundationEssentials
import Glibc

/// `COPY … FROM STDIN` (text format), for `owatch migrate` into PostgreSQL: a million charges as
/// one stream instead of thousands of parameterised INSERTs, each parsed and planned on the
/// server. The copy functions are resolved from the libpq already loaded for the connection.
package final class PostgresCopyIn {
    private typealias PutData = @convention(c) (OpaquePointer?, UnsafePointer<CChar>?, Int32) -> Int32
    private typealias PutEnd = @convention(c) (OpaquePointer?, UnsafePointer<CChar>?) -> Int32
    private typealias GetResult = @convention(c) (OpaquePointer?) -> OpaquePointer?
    private static let copyInStatus: Int32 = 4  // PGRES_COPY_IN

    private let storage: PostgresStorage
    private let putData: PutData
    private let putEnd: PutEnd
    private let getResult: GetResult
    private var buffer: [UInt8] = []
    private let sql: String
    package private(set) var rows = 0

    /// Starts `COPY table(columns) FROM STDIN`; rows follow with `add`, then `finish`.
    package init(_ storage: PostgresStorage, table: String, columns: [String]) throws {
        guard let handle = dlopen(LibPQ.libraryName, RTLD_NOW | RTLD_NOLOAD), let put = dlsym(handle, "PQputCopyData"),
            let end = dlsym(handle, "PQputCopyEnd"), let get = dlsym(handle, "PQgetResult")
        else {
            throw OWError(.unavailable, "this libpq has no COPY functions", hint: "install the Debian package libpq5")
        }
        self.storage = storage
        putData = unsafeBitCast(put, to: PutData.self)
        putEnd = unsafeBitCast(end, to: PutEnd.self)
        getResult = unsafeBitCast(get, to: GetResult.self)
        sql = "COPY \(table)(\(columns.joined(separator: ", "))) FROM STDIN"
        let result = storage.pq.exec(storage.connection, sql)
        defer { storage.pq.clear(result) }
        guard storage.pq.resultStatus(result) == PostgresCopyIn.copyInStatus else {
            try storage.check(result, sql: sql)
            throw OWError(.io, "PostgreSQL did not start the copy into \(table)")
        }
        buffer.reserveCapacity(1 << 17)
    }

    /// One row, in COPY's text format: tab-separated, `\N` for NULL, backslash escapes.
    package func add(_ values: ArraySlice<SQLValue>) throws {
        var first = true
        for value in values {
            if !first { buffer.append(9) }
            first = false
            switch value {
            case .null: buffer += [92, 78]  // \N
            case .int(let i): buffer += String(i).utf8
            case .real(let d): buffer += "\(d)".utf8
            case .text(let s): escape(s.utf8)
            case .blob(let b):
                buffer += [92, 92, 120]  // \\x: bytea's hex form, its backslash escaped for COPY
                for byte in b { buffer += PostgresCopyIn.hex(byte) }
            }
        }
        buffer.append(10)
        rows += 1
        if buffer.count >= 1 << 16 { try flush() }
    }

    /// Ends the stream and reads the server's verdict (a constraint refused is thrown here).
    package func finish() throws {
        try flush()
        guard putEnd(storage.connection, nil) == 1 else { throw lost() }
        var failure: Error? = nil
        while let result = getResult(storage.connection) {
            defer { storage.pq.clear(result) }
            if failure == nil {
                do { try storage.check(result, sql: sql) } catch { failure = error }
            }
        }
        if let failure { throw failure }
    }

    private func flush() throws {
        guard !buffer.isEmpty else { return }
        let ok = buffer.withUnsafeBufferPointer { bytes in
            bytes.withMemoryRebound(to: CChar.self) { putData(storage.connection, $0.baseAddress, Int32($0.count)) }
        }
        guard ok == 1 else { throw lost() }
        buffer.removeAll(keepingCapacity: true)
    }

    private func lost() -> OWError {
        let why = storage.pq.errorMessage(storage.connection).map { String(cString: $0) } ?? ""
        return OWError(
            .unavailable,
            "lost the connection to the PostgreSQL ledger \(storage.location): \(PostgresStorage.hide(storage.secretsToHide, in: why).trimmed())"
        )
    }

    private func escape(_ text: String.UTF8View) {
        for byte in text {
            switch byte {
            case 92: buffer += [92, 92]
            case 9: buffer += [92, 116]
            case 10: buffer += [92, 110]
            case 13: buffer += [92, 114]
            default: buffer.append(byte)
            }
        }
    }

    private static let digits = Array("0123456789abcdef".utf8)
    private static func hex(_ byte: UInt8) -> [UInt8] { [digits[Int(byte >> 4)], digits[Int(byte & 15)]] }
}
