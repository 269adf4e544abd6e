/// One key of an output row: its name, the line its manual page says about it, and how a
/// subject gives its value. A nil value leaves the key out of that row (a license's purchase
/// lines in a table).
public struct Field<Subject>: Sendable {
    public let key: String
    public let doc: String
    /// A money field flattens into `X`, `X_minor` and `currency` (Exporter's money rule).
    public let isMoney: Bool
    /// What its table column holds, so a narrow terminal cuts words but never an amount or a
    /// date (TableFit). Numbers and amounts are whole by their values; a name is a `label`.
    public let kind: ColumnKind
    @usableFromInline package let value: @Sendable (Subject) -> Value?

    public init(_ key: String, _ doc: String, kind: ColumnKind = .label, _ value: @escaping @Sendable (Subject) -> Value?) {
        self.init(key, doc, isMoney: false, kind: kind, value)
    }

    package init(_ key: String, _ doc: String, isMoney: Bool, kind: ColumnKind, _ value: @escaping @Sendable (Subject) -> Value?) {
        self.key = key
        self.doc = doc
        self.isMoney = isMoney
        self.kind = kind
        self.value = value
    }

    public static func money(_ key: String, _ doc: String, _ value: @escaping @Sendable (Subject) -> Money?) -> Field {
        Field(key, doc, isMoney: true, kind: .money) { .money(value($0)) }
    }

    /// The same key for a larger subject that holds this one (a license with today's date).
    public func pulledBack<Whole>(_ part: @escaping @Sendable (Whole) -> Subject) -> Field<Whole> {
        let value = self.value
        return Field<Whole>(key, doc, isMoney: isMoney, kind: kind) { value(part($0)) }
    }
}

/// What a manual page says about one output key.
public struct FieldDoc: Sendable, Equatable {
    public let key: String
    public let doc: String

    public init(_ key: String, _ doc: String) {
        self.key = key
        self.doc = doc
    }
}

/// The one declaration of a record type's output: its fields in order, the columns a table
/// shows by default and how they fit a narrow terminal, and whether amounts may also be given in
/// the base currency. Records, the header of an empty list and the manual's OUTPUT section all
/// come from it.
public struct Shape<Subject>: Sendable {
    public let fields: [Field<Subject>]
    /// The columns a table shows unless `--wide` or `--columns` say otherwise; nil: every one.
    public let table: [String]?
    /// The table columns a narrow terminal never drops (the row's name, its main amount, its
    /// date; the first column always stays), and the details it drops first, in order (TableFit).
    public let keep: [String]
    public let dropFirst: [String]
    /// Whether rows may carry their amounts in the base currency too (`base`, `X_base`, …).
    public let converts: Bool
    /// Each field's value, apart: a row is made by calling these in turn, and a `Field` copied
    /// per call would retain and release its key and doc too (400,000 times for 10,000 licenses).
    @usableFromInline package let values: [@Sendable (Subject) -> Value?]

    public init(
        _ fields: [Field<Subject>], table: [String]? = nil, keep: [String] = [], dropFirst: [String] = [], converts: Bool = false
    ) {
        self.fields = fields
        self.values = fields.map(\.value)
        self.table = table
        self.keep = keep
        self.dropFirst = dropFirst
        self.converts = converts
    }

    /// How its table fits a terminal: each field's kind, what stays and what goes first.
    public var fit: TableFit {
        TableFit(kinds: Dictionary(fields.map { ($0.key, $0.kind) }, uniquingKeysWith: { a, _ in a }), keep: keep, dropFirst: dropFirst)
    }

    /// Inlinable so each command's shape is specialised for its subject: unspecialised, the generic
    /// metadata look-ups of `compactMap` took a third of `license list --json` on 10,000 licenses.
    @inlinable
    public func record(_ subject: Subject) -> Record {
        var out: [(key: String, value: Value)] = []
        out.reserveCapacity(fields.count)
        for (i, value) in values.enumerated() {
            if let v = value(subject) { out.append((key: fields[i].key, value: v)) }
        }
        return Record(fields: out)
    }

    /// The keys JSON and CSV carry, money flattened: the header of a list with no rows.
    public var columns: [String] { Exporter.flatKeys(declared) }

    /// The columns with the base-currency keys of `converts` added when a base is set.
    public func columns(base: Bool) -> [String] {
        guard base, converts else { return columns }
        let converted = BaseConverter.baseKeys(fields.filter(\.isMoney).map(\.key)).map { (key: $0, isMoney: true) }
        return Exporter.flatKeys(declared + converted) + ["base_currency", "rate_date"]
    }

    /// Each field's key and whether it is money (which flattens into three keys).
    @usableFromInline package var declared: [(key: String, isMoney: Bool)] { fields.map { (key: $0.key, isMoney: $0.isMoney) } }

    public var docs: [FieldDoc] { fields.map { FieldDoc($0.key, $0.doc) } + (converts ? Shape.baseDocs : []) }

    static var baseDocs: [FieldDoc] {
        [
            FieldDoc("base", "with config base_currency: the amounts in that currency, or null without a rate"),
            FieldDoc("base_currency", "with config base_currency: that currency"),
            FieldDoc("rate_date", "the day of the rate used"),
        ]
    }

    /// This shape with more fields after its own, and other table columns (and what of them
    /// stays and goes first on a narrow terminal).
    public func adding(_ more: [Field<Subject>], table: [String]? = nil, keep: [String]? = nil, dropFirst: [String]? = nil) -> Shape {
        Shape(
            fields + more, table: table ?? self.table, keep: keep ?? self.keep, dropFirst: dropFirst ?? self.dropFirst, converts: converts)
    }

    /// The same fields for a larger subject that holds this one (a user with their new token).
    public func pulledBack<Whole>(_ part: @escaping @Sendable (Whole) -> Subject) -> Shape<Whole> {
        Shape<Whole>(fields.map { $0.pulledBack(part) }, table: table, keep: keep, dropFirst: dropFirst, converts: converts)
    }

    /// One of its fields, to declare again in another shape (a request's kind in the approval queue).
    public func field(_ key: String) -> Field<Subject> {
        guard let f = fields.first(where: { $0.key == key }) else { preconditionFailure("no field \(key) in this shape") }
        return f
    }

    /// The other table columns for the same fields.
    public func showing(_ table: [String]?) -> Shape { Shape(fields, table: table, keep: keep, dropFirst: dropFirst, converts: converts) }

    /// Its table columns and `more` (what a change did: a closed finding's status and note).
    public func showing(also more: [String]) -> Shape { showing((table ?? fields.map(\.key)) + more) }
}
