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
        /// Rows written from their subject (`add(_:as:)`): the shape's keys, and the row under way.
        package var rowKeys = RowKeys([])
        package var row = RowState()

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
