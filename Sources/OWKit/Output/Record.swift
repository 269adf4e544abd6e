/// One value in an output row.
public enum Value: Sendable {
    case text(String?)
    case int(Int64?)
    /// A number that may be absent for a reason: JSON null, shown as the label in tables (`unlimited`).
    case intOr(Int64?, String)
    case bool(Bool)
    case money(Money?)
    case list([String])
    case json(JSON)
    /// Nested rows (a license's purchase lines): an array of objects. Money in them has no
    /// `currency` key of its own; the enclosing row's applies.
    case records([Record])
}

/// One row of output: ordered, snake_case keys. Commands build records; `Exporter`
/// turns them into table, JSON, JSONL or CSV, so every command has every format.
public struct Record: Sendable {
    public var fields: [(key: String, value: Value)]

    public init(_ fields: [(String, Value)]) { self.fields = fields.map { (key: $0.0, value: $0.1) } }
    public init(fields: [(key: String, value: Value)]) { self.fields = fields }

    public subscript(key: String) -> Value? { fields.first(where: { $0.key == key })?.value }
}

public enum OutputFormat: String, CaseIterable, Sendable {
    case table, json, jsonl, csv
}
