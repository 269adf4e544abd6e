import FoundationEssentials

/// A value as SQLite stores it.
public enum SQLValue: Equatable, Sendable {
    case null
    case int(Int64)
    case real(Double)
    case text(String)
    case blob([UInt8])
}

/// Anything that can be bound to a statement parameter. Binding is the only way
/// values reach SQL in owatch: no string interpolation into queries, ever.
public protocol SQLiteValue {
    var sqlValue: SQLValue { get }
}

extension Int: SQLiteValue { public var sqlValue: SQLValue { .int(Int64(self)) } }
extension Int64: SQLiteValue { public var sqlValue: SQLValue { .int(self) } }
extension Bool: SQLiteValue { public var sqlValue: SQLValue { .int(self ? 1 : 0) } }
extension Double: SQLiteValue { public var sqlValue: SQLValue { .real(self) } }
extension String: SQLiteValue { public var sqlValue: SQLValue { .text(self) } }
extension Substring: SQLiteValue { public var sqlValue: SQLValue { .text(String(self)) } }
extension Array: SQLiteValue where Element == UInt8 { public var sqlValue: SQLValue { .blob(self) } }
extension SQLValue: SQLiteValue { public var sqlValue: SQLValue { self } }
extension Optional: SQLiteValue where Wrapped: SQLiteValue {
    public var sqlValue: SQLValue { self?.sqlValue ?? .null }
}

/// A `String`-backed enum (a status, a kind) bound as its raw value.
public protocol StoredAsText: RawRepresentable, SQLiteValue where RawValue == String {}

extension StoredAsText {
    public var sqlValue: SQLValue { .text(rawValue) }
}
