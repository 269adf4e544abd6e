/// JSON and CSV share one flattening: money becomes X, X_minor and currency.
extension Exporter {
    /// A flat cell as JSON and CSV carry it: a value, or one of the three a money value becomes.
    package enum Cell {
        case value(Value)
        case decimal(Money?)
        case minor(Money?)
        case currency(Money?)
    }

    /// The money rule, in one place: every field in order, a money field as `X` (the decimal),
    /// `X_minor` and, once per row unless the row has its own or is nested in one, `currency`.
    /// Keys come as name and suffix, so the writers' key cache need not join them per row.
    static func forEachCell(_ r: Record, nested: Bool, _ body: (_ key: String, _ suffix: String, _ cell: Cell) -> Void) {
        var currencyDone = nested || r.fields.contains(where: { $0.key == "currency" })
        for f in r.fields {
            guard case .money(let m) = f.value else {
                body(f.key, "", .value(f.value))
                continue
            }
            body(f.key, "", .decimal(m))
            body(f.key, "_minor", .minor(m))
            if !currencyDone {
                body("currency", "", .currency(m))
                currencyDone = true
            }
        }
    }

    package static func flatten(_ r: Record, nested: Bool = false) -> [(String, JSON)] {
        var out: [(String, JSON)] = []
        forEachCell(r, nested: nested) { key, suffix, cell in out.append((key + suffix, json(cell))) }
        return out
    }

    package static func json(_ cell: Cell) -> JSON {
        switch cell {
        case .value(let v): return json(v)
        case .decimal(let m): return m.map { JSON.number($0.decimal) } ?? .null
        case .minor(let m): return m.map { JSON.int($0.minor) } ?? .null
        case .currency(let m): return m.map { JSON.string($0.currency.code) } ?? .null
        }
    }

    /// A value other than money (which flattens into three keys) as JSON.
    package static func json(_ v: Value) -> JSON {
        switch v {
        case .text(let s): return s.map(JSON.string) ?? .null
        case .int(let i), .intOr(let i, _): return i.map { JSON.int($0) } ?? .null
        case .bool(let b): return .bool(b)
        case .list(let l): return .array(l.map(JSON.string))
        case .json(let j): return j
        case .records(let rs): return .array(rs.map { jsonObject($0, nested: true) })
        case .money(let m): return m.map { JSON.number($0.decimal) } ?? .null
        }
    }

    /// One CSV row with the cells `flatten` gives, written straight to bytes (lists of thousands).
    /// With `visible` (stdout is a terminal), control characters in cells show as SafeText shows them.
    static func writeCSV(_ r: Record, to out: inout [UInt8], visible: Bool = false) {
        var first = true
        forEachCell(r, nested: false) { _, _, cell in
            if !first { out.append(UInt8(ascii: ",")) }
            first = false
            writeCSV(cell: cell, to: &out, visible: visible)
        }
        out.append(contentsOf: [13, 10])
    }

    /// One flat cell of a CSV row (without its separator).
    static func writeCSV(cell: Cell, to out: inout [UInt8], visible: Bool) {
        switch cell {
        case .value(.text(let s)): writeCSVCell(s ?? "", to: &out, visible: visible)
        case .value(.int(let i)), .value(.intOr(let i, _)): if let i { JSON.writeInt(i, to: &out) }
        case .value(.bool(let b)): out.append(contentsOf: b ? JSON.trueBytes : JSON.falseBytes)
        case .value(let other): writeCSVCell(csvText(json(other)), to: &out, visible: visible)
        case .decimal(let m): m?.writeDecimal(to: &out)
        case .minor(let m): if let m { JSON.writeInt(m.minor, to: &out) }
        case .currency(let m): if let m { writeCSVCell(m.currency.code, to: &out, visible: visible) }
        }
    }

    public static func jsonObject(_ r: Record, nested: Bool = false) -> JSON { .obj(flatten(r, nested: nested)) }

    /// The `"key":` bytes of a list's fields by position: every row of a list has the same keys,
    /// so each is encoded once (a key is checked against the cached one before it is reused).
    package struct KeyCache {
        package var entries: [(key: String, suffix: String, bytes: [UInt8])] = []
        /// The caches of nested rows, by the key that holds them.
        package var inner: [(key: String, cache: KeyCache)] = []

        mutating func withInner(_ key: String, _ body: (inout KeyCache) -> Void) {
            if let i = inner.firstIndex(where: { $0.key == key }) { return body(&inner[i].cache) }
            var fresh = KeyCache()
            body(&fresh)
            inner.append((key, fresh))
        }

        package mutating func write(_ key: String, suffix: String, at index: Int, to out: inout [UInt8]) {
            // The suffix too: a row that leaves a field out puts `cost` where the row before had `cost_minor`.
            if index < entries.count, entries[index].key == key, entries[index].suffix == suffix {
                out.append(contentsOf: entries[index].bytes)
                return
            }
            let bytes = Array("\"\(key)\(suffix)\":".utf8)  // snake_case ASCII (SPEC §5): never escaped
            if index == entries.count {
                entries.append((key, suffix, bytes))
            } else if index < entries.count {
                entries[index] = (key, suffix, bytes)
            }
            out.append(contentsOf: bytes)
        }
    }

    /// The same object as `jsonObject`, written straight to bytes: list output of thousands
    /// of rows builds no intermediate JSON values.
    static func writeJSON(_ r: Record, to out: inout [UInt8], keys: inout KeyCache, nested: Bool = false) {
        out.append(UInt8(ascii: "{"))
        var slot = 0
        forEachCell(r, nested: nested) { key, suffix, cell in
            if slot > 0 { out.append(UInt8(ascii: ",")) }
            keys.write(key, suffix: suffix, at: slot, to: &out)
            slot += 1
            writeJSON(cell: cell, key: key, to: &out, keys: &keys)
        }
        out.append(UInt8(ascii: "}"))
    }

    /// One flat cell's JSON value (after its key); `keys` keeps the keys of the rows nested under `key`.
    static func writeJSON(cell: Cell, key: String, to out: inout [UInt8], keys: inout KeyCache) {
        switch cell {
        case .value(let v):
            guard let nested = writeJSON(value: v, to: &out) else { return }
            writeJSON(nested: nested, to: &out, keys: &keys, under: key)
        case .decimal(let m): if let m { m.writeDecimal(to: &out) } else { out.append(contentsOf: JSON.nullBytes) }
        case .minor(let m): if let m { JSON.writeInt(m.minor, to: &out) } else { out.append(contentsOf: JSON.nullBytes) }
        case .currency(let m): if let m { JSON.writeString(m.currency.code, to: &out) } else { out.append(contentsOf: JSON.nullBytes) }
        }
    }

    /// A value's JSON (money as its decimal); nested rows are left to the caller, which has
    /// their key cache: they are returned, unwritten.
    static func writeJSON(value: Value, to out: inout [UInt8]) -> [Record]? {
        switch value {
        case .text(let s): if let s { JSON.writeString(s, to: &out) } else { out.append(contentsOf: JSON.nullBytes) }
        case .int(let i), .intOr(let i, _): if let i { JSON.writeInt(i, to: &out) } else { out.append(contentsOf: JSON.nullBytes) }
        case .bool(let b): out.append(contentsOf: b ? JSON.trueBytes : JSON.falseBytes)
        case .list(let l):
            out.append(UInt8(ascii: "["))
            for (i, item) in l.enumerated() {
                if i > 0 { out.append(UInt8(ascii: ",")) }
                JSON.writeString(item, to: &out)
            }
            out.append(UInt8(ascii: "]"))
        case .json(let j): j.write(to: &out)
        case .records(let rs): return rs
        case .money(let m): if let m { m.writeDecimal(to: &out) } else { out.append(contentsOf: JSON.nullBytes) }
        }
        return nil
    }

    /// Nested rows (a license's purchase lines) as a JSON array, their keys cached under `key`.
    static func writeJSON(nested rs: [Record], to out: inout [UInt8], keys: inout KeyCache, under key: String) {
        out.append(UInt8(ascii: "["))
        keys.withInner(key) { inner in
            for (i, nestedRecord) in rs.enumerated() {
                if i > 0 { out.append(UInt8(ascii: ",")) }
                writeJSON(nestedRecord, to: &out, keys: &inner, nested: true)
            }
        }
        out.append(UInt8(ascii: "]"))
    }

    /// The flat keys of declared fields (a shape's), by the same rule as the rows.
    static func flatKeys(_ declared: [(key: String, isMoney: Bool)]) -> [String] {
        flatKeys(Record(fields: declared.map { (key: $0.key, value: $0.isMoney ? Value.money(nil) : .text(nil)) }))
    }

    static func flatKeys(_ r: Record) -> [String] {
        var keys: [String] = []
        forEachCell(r, nested: false) { key, suffix, _ in keys.append(key + suffix) }
        return keys
    }

    /// A cell's text: lists joined by `;`, objects as JSON.
    static func csvText(_ v: JSON) -> String {
        switch v {
        case .null: return ""
        case .string(let s): return s
        case .number(let n): return n
        case .bool(let b): return b ? "true" : "false"
        case .array(let items): return items.map { $0.stringValue ?? $0.encoded() }.joined(separator: ";")
        case .object: return v.encoded()
        }
    }

    /// RFC 4180 quoting. Cells that a spreadsheet would run as a formula are prefixed with
    /// a quote (OWASP "CSV injection"): mail subjects and vendor names are hostile input.
    static func csvCell(_ s: String) -> String {
        var out: [UInt8] = []
        writeCSVCell(s, to: &out, visible: false)
        return String(decoding: out, as: UTF8.self)
    }

    /// One CSV cell onto `out`, on bytes (this runs for every cell of every row). With `visible`
    /// (a terminal), its control characters are shown as visible escapes first, as a table's are.
    package static func writeCSVCell(_ text: String, to out: inout [UInt8], visible: Bool) {
        let s = visible ? SafeText.visible(text) : text
        let b = s.utf8
        var guardQuote = false
        if let first = b.first {
            switch first {
            case UInt8(ascii: "="), UInt8(ascii: "+"), UInt8(ascii: "@"), 9, 13: guardQuote = true
            case UInt8(ascii: "-"): guardQuote = Double(s) == nil
            default: break
            }
        }
        let quote = b.contains { $0 == UInt8(ascii: ",") || $0 == UInt8(ascii: "\"") || $0 == 10 || $0 == 13 }
        if quote { out.append(UInt8(ascii: "\"")) }
        if guardQuote { out.append(UInt8(ascii: "'")) }
        if quote {
            for c in b {
                out.append(c)
                if c == UInt8(ascii: "\"") { out.append(c) }
            }
            out.append(UInt8(ascii: "\""))
        } else {
            out.append(contentsOf: b)
        }
    }
}
