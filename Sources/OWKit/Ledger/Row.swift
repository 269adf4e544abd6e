import Foundation

/// Column names of a result, indexed once per statement run and shared by its rows.
public final class Columns: Sendable {
    public let names: [String]
    let index: [String: Int]
    init(_ names: [String]) {
        self.names = names
        var index: [String: Int] = [:]
        for (i, n) in names.enumerated() where index[n] == nil { index[n] = i }
        self.index = index
    }
}

/// How a column of a row is named: by its name, or, in loops over thousands of rows, by its
/// position in the SELECT (an `Int`, or an enum of the positions) so no name is hashed per value.
public protocol ColumnKey {
    func position(in columns: Columns) -> Int?
}

extension String: ColumnKey {
    public func position(in columns: Columns) -> Int? { columns.index[self] }
}

extension Int: ColumnKey {
    public func position(in columns: Columns) -> Int? { self < columns.names.count ? self : nil }
}

extension ColumnKey where Self: RawRepresentable, RawValue == Int {
    public func position(in columns: Columns) -> Int? { rawValue.position(in: columns) }
}

/// One result row; columns by name or position.
public struct Row: Sendable {
    let shared: Columns
    public let values: [SQLValue]

    public var columns: [String] { shared.names }

    /// Whether the SELECT had a column of this name.
    public func has(_ name: String) -> Bool { shared.index[name] != nil }

    public subscript<K: ColumnKey>(_ key: K) -> SQLValue {
        guard let i = key.position(in: shared) else { preconditionFailure("no column \(key)") }
        return values[i]
    }

    public func string<K: ColumnKey>(_ key: K) -> String {
        switch self[key] {
        case .text(let s): return s
        case .int(let i): return String(i)
        case .real(let d): return String(d)
        case .blob(let b): return String(decoding: b, as: UTF8.self)
        case .null: return ""
        }
    }

    public func optionalString<K: ColumnKey>(_ key: K) -> String? {
        if case .null = self[key] { return nil }
        return string(key)
    }

    public func int<K: ColumnKey>(_ key: K) -> Int64 {
        switch self[key] {
        case .int(let i): return i
        case .real(let d): return Int64(exactly: d.rounded(.towardZero)) ?? 0  // never a trap past 64 bits
        case .text(let s): return Int64(s) ?? 0
        default: return 0
        }
    }

    public func optionalInt<K: ColumnKey>(_ key: K) -> Int64? {
        if case .null = self[key] { return nil }
        return int(key)
    }

    public func blob<K: ColumnKey>(_ key: K) -> [UInt8] {
        switch self[key] {
        case .blob(let b): return b
        case .text(let s): return Array(s.utf8)
        default: return []
        }
    }
}
