import FoundationEssentials

/// Column names of a result, indexed once per statement run and shared by its rows.
public final class ResultColumns: Sendable {
    public let names: [String]
    package let index: [String: Int]
    package init(_ names: [String]) {
        self.names = names
        var index: [String: Int] = [:]
        for (i, n) in names.enumerated() where index[n] == nil { index[n] = i }
        self.index = index
    }
}

/// How a column of a row is named: by its name, or, in loops over thousands of rows, by its
/// position in the SELECT (an `Int`, or an enum of the positions) so no name is hashed per value.
public protocol ColumnKey {
    func position(in columns: ResultColumns) -> Int?
}

extension String: ColumnKey {
    public func position(in columns: ResultColumns) -> Int? { columns.index[self] }
}

extension Int: ColumnKey {
    public func position(in columns: ResultColumns) -> Int? { self < columns.names.count ? self : nil }
}

extension ColumnKey where Self: RawRepresentable, RawValue == Int {
    public func position(in columns: ResultColumns) -> Int? { rawValue.position(in: columns) }
}

/// One result row; columns by name or position.
public struct Row: Sendable {
    let shared: ResultColumns
    public let values: [SQLValue]

    public var columns: [String] { shared.names }

    /// Whether the SELECT had a column of this name.
    public func has(_ name: String) -> Bool { shared.index[name] != nil }

    public subscript<K: ColumnKey>(_ key: K) -> SQLValue {
        guard let i = key.position(in: shared) else { preconditionFailure("no column \(key)") }
        return values[i]
    }
}

/// Strict reads, by name or position: a NULL or wrongly typed column is an error naming the
/// column, never a silent "" or 0.
extension Row {
    private func mismatch(_ i: Int, _ expected: String) -> OWError {
        OWError(.badData, "the ledger's \(columns[i]) column holds \(values[i].typeName) where \(expected) belongs", remedy: .checkLedger)
    }

    private func position<K: ColumnKey>(_ key: K) -> Int {
        guard let i = key.position(in: shared) else { preconditionFailure("no column \(key)") }
        return i
    }

    public func text<K: ColumnKey>(_ key: K) throws -> String {
        let i = position(key)
        guard case .text(let s) = values[i] else { throw mismatch(i, "text") }
        return s
    }

    public func optionalText<K: ColumnKey>(_ key: K) throws -> String? {
        let i = position(key)
        switch values[i] {
        case .null: return nil
        case .text(let s): return s
        default: throw mismatch(i, "text or NULL")
        }
    }

    public func integer<K: ColumnKey>(_ key: K) throws -> Int64 {
        let i = position(key)
        guard case .int(let n) = values[i] else { throw mismatch(i, "an integer") }
        return n
    }

    public func optionalInteger<K: ColumnKey>(_ key: K) throws -> Int64? {
        let i = position(key)
        switch values[i] {
        case .null: return nil
        case .int(let n): return n
        default: throw mismatch(i, "an integer or NULL")
        }
    }

    public func bytes<K: ColumnKey>(_ key: K) throws -> [UInt8] {
        let i = position(key)
        guard case .blob(let b) = values[i] else { throw mismatch(i, "a blob") }
        return b
    }

    /// A `String`-backed enum's case: text naming no case is an error too.
    public func value<K: ColumnKey, T: RawRepresentable>(_ key: K, as: T.Type) throws -> T where T.RawValue == String {
        guard let v = T(rawValue: try text(key)) else { throw mismatch(position(key), "one of \(T.self)'s values") }
        return v
    }

    public func optionalValue<K: ColumnKey, T: RawRepresentable>(_ key: K, as: T.Type) throws -> T? where T.RawValue == String {
        guard let text = try optionalText(key) else { return nil }
        guard let v = T(rawValue: text) else { throw mismatch(position(key), "one of \(T.self)'s values or NULL") }
        return v
    }
}

extension SQLValue {
    var typeName: String {
        switch self {
        case .null: "NULL"
        case .int: "an integer"
        case .real: "a real number"
        case .text: "text"
        case .blob: "a blob"
        }
    }
}

/// A type read from the rows of one explicit SELECT, column by column in its order (GRDB's
/// `FetchableRecord`, in small): `SELECT \(T.selection) FROM …`, never `SELECT *`.
public protocol FetchableRow {
    /// The columns `init(row:)` reads, in the order it reads them.
    static var selection: String { get }
    init(row: Row) throws
}

extension Database {
    /// Every row of `sql`, which selects `T.selection`.
    public func fetchAll<T: FetchableRow>(_: T.Type, _ sql: String, _ args: any SQLiteValue...) throws -> [T] {
        var out: [T] = []
        try storage.run(sql, args) { out.append(try T(row: $0)) }
        return out
    }

    public func fetchOne<T: FetchableRow>(_: T.Type, _ sql: String, _ args: any SQLiteValue...) throws -> T? {
        var first: T?
        try storage.run(sql, args) { if first == nil { first = try T(row: $0) } }
        return first
    }
}

/// Lenient reads, for the audit chain only: `audit verify` must report a value tampered into
/// another type as an altered event, not stop at it. Everything else reads strictly (above).
extension Row {
    public func lenientText<K: ColumnKey>(_ key: K) -> String {
        switch self[key] {
        case .text(let s): return s
        case .int(let i): return String(i)
        case .real(let d): return String(d)
        case .blob(let b): return String(decoding: b, as: UTF8.self)
        case .null: return ""
        }
    }

    public func lenientOptionalText<K: ColumnKey>(_ key: K) -> String? {
        if case .null = self[key] { return nil }
        return lenientText(key)
    }

    public func lenientInteger<K: ColumnKey>(_ key: K) -> Int64 {
        switch self[key] {
        case .int(let i): return i
        case .real(let d): return Int64(exactly: d.rounded(.towardZero)) ?? 0  // never a trap past 64 bits
        case .text(let s): return Int64(s) ?? 0
        default: return 0
        }
    }

    public func lenientOptionalInteger<K: ColumnKey>(_ key: K) -> Int64? {
        if case .null = self[key] { return nil }
        return lenientInteger(key)
    }

    public func lenientBytes<K: ColumnKey>(_ key: K) -> [UInt8] {
        switch self[key] {
        case .blob(let b): return b
        case .text(let s): return Array(s.utf8)
        default: return []
        }
    }
}
