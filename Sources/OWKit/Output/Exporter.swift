/// Renders records in the four output formats of SPEC §5.
public struct Exporter: Sendable {
    public var format: OutputFormat
    public var color: Bool
    /// Terminal width for truncation with "…"; nil when stdout is not a terminal.
    public var width: Int?
    /// Table columns the user chose (`--columns`); `allColumns` (`--wide`) shows every one.
    public var chosenColumns: [String]?
    public var allColumns = false
    /// Whether stdout is a terminal. There the machine formats never send data's control
    /// characters raw either: CSV cells show them as table cells do (SafeText), JSON escapes DEL,
    /// the C1 controls and the bidi overrides as `\u` escapes too (it always escapes C0). To a
    /// pipe or a file both stay byte-exact.
    public var terminal = false

    public init(format: OutputFormat, color: Bool = false, width: Int? = nil) {
        self.format = format
        self.color = color
        self.width = width
    }

    /// A list of rows: a table, a JSON array, JSON lines, or CSV with a header row.
    /// `tableColumns` picks the columns a table shows (the machine formats always carry all);
    /// `fit` says how they give way on a narrow terminal.
    public func list(_ records: [Record], emptyColumns: [String] = [], tableColumns: [String]? = nil, fit: TableFit? = nil) -> String {
        switch format {
        case .json, .jsonl, .csv: return String(decoding: listBytes(records, emptyColumns: emptyColumns), as: UTF8.self)
        case .table:
            guard let cols = chosenColumns ?? (allColumns ? nil : tableColumns) else {
                return table(records, emptyColumns: emptyColumns, fit: fit)
            }
            let picked = records.map { r in Record(cols.compactMap { c in r[c].map { (c, $0) } }) }
            return table(picked, emptyColumns: cols, fit: fit)
        }
    }

    /// Writes a list row by row as the rows are made: JSON, JSON lines and CSV go out in chunks
    /// of about 64 KB, so memory stays small whatever the row count (on this kind of virtual
    /// machine, touching fresh memory cost more than formatting). Tables need every row first
    /// (column widths), so they are kept until `finish`.
    public struct ListWriter {
        package let exporter: Exporter
        package let emptyColumns: [String]
        package let tableColumns: [String]?
        package let fit: TableFit?
        package let sink: ([UInt8]) -> Void
        package let unknownColumn: ((String, [String]) -> Void)?
        package var out: [UInt8] = []
        package var count = 0
        package var kept: [Record] = []
        package var keys = KeyCache()

        public init(
            _ exporter: Exporter, emptyColumns: [String] = [], tableColumns: [String]? = nil, fit: TableFit? = nil,
            sink: @escaping ([UInt8]) -> Void, unknownColumn: ((String, [String]) -> Void)? = nil
        ) {
            self.exporter = exporter
            self.emptyColumns = emptyColumns
            self.tableColumns = tableColumns
            self.fit = fit
            self.sink = sink
            self.unknownColumn = unknownColumn
            out.reserveCapacity(72 * 1024)
        }

        public mutating func add(_ r: Record) {
            switch exporter.format {
            case .table:
                kept.append(r)
                return
            case .json:
                out.append(count == 0 ? UInt8(ascii: "[") : UInt8(ascii: ","))
                out.append(10)
                Exporter.writeJSON(r, to: &out, keys: &keys)
            case .jsonl:
                Exporter.writeJSON(r, to: &out, keys: &keys)
                out.append(10)
            case .csv:
                if count == 0 { Exporter.writeCSVRow(Exporter.flatKeys(r), to: &out) }
                Exporter.writeCSV(r, to: &out, visible: exporter.terminal)
            }
            count += 1
            if out.count >= 64 * 1024 { flush() }
        }

        /// Hands what is written so far to the sink (whole rows only, so no character is split).
        package mutating func flush() {
            sink(exporter.terminal && exporter.format != .csv && exporter.format != .table ? Exporter.terminalJSON(out) : out)
            out.removeAll(keepingCapacity: true)
        }

        public mutating func finish() {
            switch exporter.format {
            case .table:
                // A chosen column the list does not have: nothing is shown, and the caller is told.
                let known = kept.first.map { $0.fields.map(\.key) } ?? emptyColumns
                if let chosen = exporter.chosenColumns, !known.isEmpty, let bad = chosen.first(where: { !known.contains($0) }) {
                    unknownColumn?(bad, known)
                    return
                }
                out = Array(exporter.list(kept, emptyColumns: emptyColumns, tableColumns: tableColumns, fit: fit).utf8)
            case .json: out.append(contentsOf: count == 0 ? Array("[]\n".utf8) : [10, UInt8(ascii: "]"), 10])
            case .jsonl: break
            case .csv: if count == 0 { Exporter.writeCSVRow(emptyColumns, to: &out) }
            }
            flush()
        }
    }

    static func writeCSVRow(_ cells: [String], to out: inout [UInt8]) {
        for (i, c) in cells.enumerated() {
            if i > 0 { out.append(UInt8(ascii: ",")) }
            writeCSVCell(c, to: &out, visible: false)
        }
        out.append(contentsOf: [13, 10])
    }

    /// The same output as UTF-8 bytes, in one buffer (the machine formats through `ListWriter`).
    public func listBytes(_ records: [Record], emptyColumns: [String] = [], tableColumns: [String]? = nil) -> [UInt8] {
        guard format != .table else { return Array(list(records, emptyColumns: emptyColumns, tableColumns: tableColumns).utf8) }
        var out: [UInt8] = []
        var w = ListWriter(self, emptyColumns: emptyColumns) { out.append(contentsOf: $0) }
        for r in records { w.add(r) }
        w.finish()
        return out
    }

    /// One thing in a machine format as the bytes to write (the terminal rule applied, byte-exact
    /// otherwise); a table as its text, which the caller shows with visible escapes.
    public func singleBytes(_ record: Record) -> [UInt8] {
        switch format {
        case .table: return Array(single(record).utf8)
        case .csv: return listBytes([record])
        case .json, .jsonl:
            let text = Array(
                ((format == .json ? Exporter.jsonObject(record).encodedPretty() : Exporter.jsonObject(record).encoded()) + "\n").utf8)
            return terminal ? Exporter.terminalJSON(text) : text
        }
    }

    /// One thing shown on its own (`show`, `whoami`): a key/value table, one JSON object,
    /// one JSON line, or a one-row CSV.
    public func single(_ record: Record) -> String {
        switch format {
        case .json: return Exporter.jsonObject(record).encodedPretty() + "\n"
        case .jsonl: return Exporter.jsonObject(record).encoded() + "\n"
        case .csv: return String(decoding: singleBytes(record), as: UTF8.self)
        case .table:
            let keyWidth = record.fields.map { $0.key.count }.max() ?? 0
            var out = ""
            for f in record.fields {
                let label = f.key.replacingAll("_", with: " ")
                let padded = label + String(repeating: " ", count: keyWidth - label.count)
                out += (color ? "\u{1B}[1m\(padded)\u{1B}[0m" : padded) + "  " + Exporter.tableCell(f.value) + "\n"
            }
            return out
        }
    }

    // MARK: Table

    package func table(_ records: [Record], emptyColumns: [String], fit: TableFit? = nil) -> String {
        let keys = records.first.map { $0.fields.map(\.key) } ?? emptyColumns
        guard !keys.isEmpty else { return "" }
        var header = keys.map { $0.uppercased() }
        var numeric = keys.indices.map { i in records.first.map { i < $0.fields.count && Exporter.isNumeric($0.fields[i].value) } ?? false }
        // A row that leaves out a field (a Field whose value is nil) is read by key, not by position.
        var rows = records.map { r in
            r.fields.count == keys.count && zip(r.fields, keys).allSatisfy { $0.key == $1 }
                ? r.fields.map { Exporter.tableCell($0.value) } : keys.map { k in r[k].map(Exporter.tableCell) ?? "" }
        }
        // Each cell measured once: widths, cuts and padding all read these.
        var lengths = rows.map { $0.map(Exporter.length) }
        var widths = header.map(\.count)
        for row in lengths { for (i, n) in row.enumerated() where i < widths.count { widths[i] = max(widths[i], n) } }
        // On a terminal too narrow (not with --wide): the table fits (TableFit): columns go, words
        // are cut with "…"; amounts, numbers and dates are shown whole or not at all.
        if let width, !allColumns, widths.reduce(0, +) + 2 * (widths.count - 1) > width {
            let kinds = keys.indices.map { i in numeric[i] ? ColumnKind.number : fit?.kinds[keys[i]] ?? .label }
            let empty = Set(
                keys.indices.filter { i in !rows.isEmpty && rows.allSatisfy { i >= $0.count || $0[i] == "-" || $0[i].isEmpty } })
            let (shown, fitted) = (fit ?? TableFit()).layout(
                keys: keys, kinds: kinds, natural: widths, header: header.map(\.count), empty: empty, width: width,
                mayDrop: chosenColumns == nil)
            func keep<T>(_ xs: [T]) -> [T] { shown.compactMap { $0 < xs.count ? xs[$0] : nil } }
            header = keep(header)
            widths = keep(fitted)
            rows = rows.map(keep)
            lengths = lengths.map(keep)
            numeric = keep(numeric)
            for r in rows.indices {
                for i in rows[r].indices where lengths[r][i] > widths[i] {
                    rows[r][i] = String(rows[r][i].prefix(widths[i] - 1)) + "…"
                    lengths[r][i] = widths[i]
                }
            }
            for i in header.indices where header[i].count > widths[i] { header[i] = String(header[i].prefix(widths[i] - 1)) + "…" }
        }
        // Written straight into one string: a sync's diff can be 30,000 lines.
        var out = ""
        func line(_ cells: [String], _ cellLengths: [Int]) {
            for (i, c) in cells.enumerated() {
                if i > 0 { out += "  " }
                let pad = max(0, widths[i] - cellLengths[i])
                if numeric[i] {
                    out += String(repeating: " ", count: pad) + c
                } else {
                    out += c
                    if i < cells.count - 1 { out += String(repeating: " ", count: pad) }
                }
            }
        }
        if color { out += "\u{1B}[1m" }
        line(header, header.map(\.count))
        out += color ? "\u{1B}[0m\n" : "\n"
        for (row, rowLengths) in zip(rows, lengths) {
            line(row, rowLengths)
            out += "\n"
        }
        return out
    }

    /// A cell's length in characters; by its bytes when it is ASCII, as nearly every cell is.
    package static func length(_ s: String) -> Int {
        s.utf8.allSatisfy { $0 < 0x80 } ? s.utf8.count : s.count
    }

    static func isNumeric(_ v: Value) -> Bool {
        switch v {
        case .int, .intOr, .money: return true
        default: return false
        }
    }

    /// A value as a table shows it: one line, control characters made visible (SafeText).
    static func tableCell(_ v: Value) -> String {
        SafeText.visible(rawTableCell(v))
    }

    static func rawTableCell(_ v: Value) -> String {
        switch v {
        case .text(let s):
            guard let s else { return "-" }
            return s.utf8.contains(UInt8(ascii: "\n")) ? String(s.map { $0 == "\n" ? " " : $0 }) : s
        case .int(let i): return i.map(String.init) ?? "-"
        case .intOr(let i, let label): return i.map(String.init) ?? label
        case .bool(let b): return b ? "yes" : "no"
        case .money(let m): return m?.display ?? "-"
        case .list(let l): return l.isEmpty ? "-" : l.joined(separator: ", ")
        case .json(let j): return j.encoded()
        case .records(let rs):
            // For people: "seats 3, cost 26.25 EUR, purchased on 2026-11-25; seats 2, …" (empty fields left out).
            guard !rs.isEmpty else { return "-" }
            return rs.map { r in
                r.fields.compactMap { f in
                    let cell = tableCell(f.value)
                    return cell == "-" ? nil : f.key.replacingAll("_", with: " ") + " " + cell
                }.joined(separator: ", ")
            }.joined(separator: "; ")
        }
    }

    // MARK: JSON and CSV share one flattening: money becomes X, X_minor and currency.

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
        out.append(contentsOf: [13, 10])
    }

    public static func jsonObject(_ r: Record, nested: Bool = false) -> JSON { .obj(flatten(r, nested: nested)) }

    /// The `"key":` bytes of a list's fields by position: every row of a list has the same keys,
    /// so each is encoded once (a key is checked against the cached one before it is reused).
    package struct KeyCache {
        package var entries: [(key: String, bytes: [UInt8])] = []
        /// The caches of nested rows, by the key that holds them.
        package var inner: [(key: String, cache: KeyCache)] = []

        mutating func withInner(_ key: String, _ body: (inout KeyCache) -> Void) {
            if let i = inner.firstIndex(where: { $0.key == key }) { return body(&inner[i].cache) }
            var fresh = KeyCache()
            body(&fresh)
            inner.append((key, fresh))
        }

        package mutating func write(_ key: String, suffix: String, at index: Int, to out: inout [UInt8]) {
            if index < entries.count, entries[index].key == key {
                out.append(contentsOf: entries[index].bytes)
                return
            }
            let bytes = Array("\"\(key)\(suffix)\":".utf8)  // snake_case ASCII (SPEC §5): never escaped
            if index == entries.count { entries.append((key, bytes)) } else if index < entries.count { entries[index] = (key, bytes) }
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
            switch cell {
            case .value(.text(let s)): if let s { JSON.writeString(s, to: &out) } else { out.append(contentsOf: JSON.nullBytes) }
            case .value(.int(let i)), .value(.intOr(let i, _)):
                if let i { JSON.writeInt(i, to: &out) } else { out.append(contentsOf: JSON.nullBytes) }
            case .value(.bool(let b)): out.append(contentsOf: b ? JSON.trueBytes : JSON.falseBytes)
            case .value(.list(let l)):
                out.append(UInt8(ascii: "["))
                for (i, item) in l.enumerated() {
                    if i > 0 { out.append(UInt8(ascii: ",")) }
                    JSON.writeString(item, to: &out)
                }
                out.append(UInt8(ascii: "]"))
            case .value(.json(let j)): j.write(to: &out)
            case .value(.records(let rs)):
                out.append(UInt8(ascii: "["))
                keys.withInner(key) { inner in
                    for (i, nestedRecord) in rs.enumerated() {
                        if i > 0 { out.append(UInt8(ascii: ",")) }
                        writeJSON(nestedRecord, to: &out, keys: &inner, nested: true)
                    }
                }
                out.append(UInt8(ascii: "]"))
            case .value(.money(let m)), .decimal(let m):
                if let m { m.writeDecimal(to: &out) } else { out.append(contentsOf: JSON.nullBytes) }
            case .minor(let m): if let m { JSON.writeInt(m.minor, to: &out) } else { out.append(contentsOf: JSON.nullBytes) }
            case .currency(let m): if let m { JSON.writeString(m.currency.code, to: &out) } else { out.append(contentsOf: JSON.nullBytes) }
            }
        }
        out.append(UInt8(ascii: "}"))
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

extension Exporter {
    /// JSON for a terminal: DEL, the C1 controls (U+0080…U+009F, CSI among them) and the bidi
    /// controls SafeText shows are written as `\u` escapes, which JSON allows for any character;
    /// the encoder escapes C0 itself. They can only occur inside strings (JSON's own syntax is
    /// ASCII), so working on the bytes is exact; a parser reads the same text back.
    static func terminalJSON(_ bytes: [UInt8]) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        var i = 0
        while i < bytes.count {
            let b = bytes[i]
            let scalar: UInt32
            let width: Int
            switch b {
            case 0x7F:
                (scalar, width) = (0x7F, 1)
            case 0xC2 where i + 1 < bytes.count && (0x80...0x9F).contains(bytes[i + 1]):
                (scalar, width) = (UInt32(bytes[i + 1]), 2)
            case 0xD8 where i + 1 < bytes.count && bytes[i + 1] == 0x9C:
                (scalar, width) = (0x061C, 2)
            case 0xE2 where i + 2 < bytes.count && (bytes[i + 1] == 0x80 || bytes[i + 1] == 0x81):
                let v = 0x2000 + (UInt32(bytes[i + 1] & 0x3F) << 6) + UInt32(bytes[i + 2] & 0x3F)
                (scalar, width) = (v, 3)
            default:
                (scalar, width) = (0, 0)
            }
            guard width > 0, let s = Unicode.Scalar(scalar), SafeText.isControl(s, newlines: true) else {
                out.append(b)
                i += 1
                continue
            }
            let hex = String(scalar, radix: 16)
            out.append(contentsOf: Array(("\\u" + String(repeating: "0", count: 4 - hex.count) + hex).utf8))
            i += width
        }
        return out
    }
}

extension JSON {
    /// Two-space indented encoding for a single object printed to a person or jq.
    public func encodedPretty(indent: String = "") -> String {
        switch self {
        case .array(let items) where !items.isEmpty:
            let inner = indent + "  "
            return "[\n" + items.map { inner + $0.encodedPretty(indent: inner) }.joined(separator: ",\n") + "\n" + indent + "]"
        case .object(let members) where !members.isEmpty:
            let inner = indent + "  "
            return "{\n"
                + members.map { m -> String in
                    inner + JSON.string(m.key).encoded() + ": " + m.value.encodedPretty(indent: inner)
                }.joined(separator: ",\n") + "\n" + indent + "}"
        default:
            return encoded()
        }
    }
}
