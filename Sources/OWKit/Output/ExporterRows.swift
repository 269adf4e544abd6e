/// A list's rows written straight from their subjects: each field's value goes to the bytes as it
/// is made, with no `Record` in between (10,000 licenses in `license list --json`: no array of
/// 40 keyed values per row to build, retain and free). The bytes are those of `add(Record)`.
extension Exporter.ListWriter {
    /// Adds a row of `shape`: written at once in the machine formats, kept as a record for a table.
    @inlinable
    public mutating func add<T>(_ subject: T, as shape: Shape<T>) {
        guard startRow(fields: shape.fields.count, declared: shape.declared) else { return add(shape.record(subject)) }
        for (i, value) in shape.values.enumerated() {
            if let v = value(subject) { addCell(field: i, v) }
        }
        endRow()
    }

    /// Opens a row written from its subject; false when it must go through a record instead: a
    /// table, a CSV list's first row (its header lists the keys that row has), and a shape with a
    /// `currency` key of its own (the money rule then depends on whether the row has that key).
    @usableFromInline
    package mutating func startRow(fields: Int, declared: @autoclosure () -> [(key: String, isMoney: Bool)]) -> Bool {
        if exporter.format == .table || (exporter.format == .csv && count == 0) { return false }
        if rowKeys.count != fields { rowKeys = Exporter.RowKeys(declared()) }
        guard !rowKeys.ownCurrency else { return false }
        row = Exporter.RowState()
        switch exporter.format {
        case .json:
            out.append(count == 0 ? UInt8(ascii: "[") : UInt8(ascii: ","))
            out.append(10)
            out.append(UInt8(ascii: "{"))
        case .jsonl: out.append(UInt8(ascii: "{"))
        case .csv, .table: break
        }
        return true
    }

    /// One field's value: money as its three cells (`Exporter.forEachCell`'s rule), else one.
    /// The keys are read in place (no copy of the key table per cell).
    @usableFromInline
    package mutating func addCell(field i: Int, _ value: Value) {
        guard case .money(let m) = value else {
            separate(i, minor: false)
            if exporter.format == .csv { return Exporter.writeCSV(cell: .value(value), to: &out, visible: exporter.terminal) }
            guard let nested = Exporter.writeJSON(value: value, to: &out) else { return }
            return Exporter.writeJSON(nested: nested, to: &out, keys: &keys, under: rowKeys.names[i])
        }
        let csv = exporter.format == .csv
        separate(i, minor: false)
        if csv { m?.writeDecimal(to: &out) } else { _ = Exporter.writeJSON(value: value, to: &out) }
        separate(i, minor: true)
        if let m { JSON.writeInt(m.minor, to: &out) } else if !csv { out.append(contentsOf: JSON.nullBytes) }
        if !row.currencyDone {
            separate(nil, minor: false)
            if csv {
                if let m { Exporter.writeCSVCell(m.currency.code, to: &out, visible: exporter.terminal) }
            } else if let m {
                JSON.writeString(m.currency.code, to: &out)
            } else {
                out.append(contentsOf: JSON.nullBytes)
            }
            row.currencyDone = true
        }
    }

    /// The comma before a cell and, in JSON, its key: field `i`'s (or its `_minor` one's), or
    /// with no field the row's `currency`.
    private mutating func separate(_ i: Int?, minor: Bool) {
        if row.cells > 0 { out.append(UInt8(ascii: ",")) }
        row.cells += 1
        guard exporter.format != .csv else { return }
        guard let i else { return out.append(contentsOf: Exporter.RowKeys.currency) }
        if minor { out.append(contentsOf: rowKeys.minor[i]) } else { out.append(contentsOf: rowKeys.plain[i]) }
    }

    @usableFromInline
    package mutating func endRow() {
        switch exporter.format {
        case .json: out.append(UInt8(ascii: "}"))
        case .jsonl: out.append(contentsOf: [UInt8(ascii: "}"), 10])
        case .csv: out.append(contentsOf: [13, 10])
        case .table: break
        }
        count += 1
        if out.count >= 64 * 1024 { flush() }
    }
}

extension Exporter {
    /// A shape's keys as a list writes them, encoded once per list: `"key":` and, for money,
    /// `"key_minor":` (snake_case ASCII, SPEC §5: never escaped).
    package struct RowKeys {
        let names: [String]
        let plain: [[UInt8]]
        let minor: [[UInt8]]
        /// The shape has a `currency` key itself, so rows do not get one from their money.
        let ownCurrency: Bool
        static let currency = Array("\"currency\":".utf8)

        var count: Int { names.count }

        init(_ declared: [(key: String, isMoney: Bool)]) {
            names = declared.map(\.key)
            plain = declared.map { Array("\"\($0.key)\":".utf8) }
            minor = declared.map { $0.isMoney ? Array("\"\($0.key)_minor\":".utf8) : [] }
            ownCurrency = names.contains("currency")
        }
    }

    /// The row `add(_:as:)` is writing: how many cells so far, and whether its `currency` is out.
    package struct RowState {
        var cells = 0
        var currencyDone = false
    }
}
