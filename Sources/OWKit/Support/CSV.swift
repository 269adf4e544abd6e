/// RFC 4180 CSV: quoted fields, doubled quotes, embedded newlines, CRLF or LF, a UTF-8 BOM.
/// Each record carries the line it started on, so errors can name it.
public enum CSV {
    /// Trims spaces and tabs around a field; most fields have none, and those return at once.
    /// The separator a spreadsheet used, from its header line: `;` (European Excel), tab, or `,`.
    public static func detectDelimiter(_ text: String) -> UInt8 {
        let firstLine = text.prefix(while: { $0 != "\n" })
        let counts: [(UInt8, Int)] = [
            (UInt8(ascii: ";"), firstLine.filter { $0 == ";" }.count), (UInt8(ascii: "\t"), firstLine.filter { $0 == "\t" }.count),
            (UInt8(ascii: ","), firstLine.filter { $0 == "," }.count),
        ]
        return counts.max { $0.1 < $1.1 }!.0
    }

    /// A spreadsheet file's text: UTF-8 (a byte-order mark dropped), or, when it is not valid
    /// UTF-8, Windows-1252 (the superset of Latin-1 that Excel writes), said in `encoding`.
    /// Bytes Windows-1252 leaves undefined mean neither: refused, never stored as "B\u{FFFD}ro".
    public static func text(_ bytes: [UInt8], file: String) throws -> (text: String, encoding: String) {
        var body = bytes[...]
        if body.starts(with: [0xEF, 0xBB, 0xBF]) { body = body.dropFirst(3) }
        if let utf8 = String(validating: body, as: UTF8.self) { return (utf8, "UTF-8") }
        let undefined: Set<UInt8> = [0x81, 0x8D, 0x8F, 0x90, 0x9D]
        guard !body.contains(where: undefined.contains), !body.contains(0) else {
            throw OWError.badData("\(file) is neither UTF-8 nor Windows-1252 text", hint: "save it as CSV UTF-8 from your spreadsheet")
        }
        return (Charset.decode(body, charset: "windows-1252"), "Windows-1252")
    }

    /// An input file the user named (`-`: standard input) as text, by `text(_:file:)`'s rules.
    public static func readText(_ path: String) throws -> (text: String, encoding: String) {
        try text(try FileSystem.readInput(path), file: path == "-" ? "standard input" : path)
    }

    public static func trim(_ s: String) -> String {
        guard let f = s.utf8.first, let l = s.utf8.last, f == 32 || f == 9 || l == 32 || l == 9 else { return s }
        return String(s.drop(while: { $0 == " " || $0 == "\t" }).reversed().drop(while: { $0 == " " || $0 == "\t" }).reversed())
    }

    public struct Record: Sendable {
        public let line: Int
        public let fields: [String]
    }

    public static func parse(_ text: String, delimiter: UInt8 = UInt8(ascii: ",")) throws -> [Record] {
        var records: [Record] = []
        try forEachRecord(text, delimiter: delimiter) { records.append($0) }
        return records
    }

    /// The records one at a time, as they are read: a file of 100,000 rows is never held as records.
    public static func forEachRecord(_ text: String, delimiter: UInt8 = UInt8(ascii: ","), _ body: (Record) throws -> Void) throws {
        var bytes = Array(text.utf8)
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes.removeFirst(3) }
        var fields: [String] = []
        var field: [UInt8] = []
        var line = 1
        var recordLine = 1
        var i = 0
        var inQuotes = false
        var wasQuoted = false
        func endField() {
            fields.append(String(decoding: field, as: UTF8.self))
            field.removeAll(keepingCapacity: true)
            wasQuoted = false
        }
        func endRecord() throws {
            endField()
            if !(fields.count == 1 && fields[0].isEmpty) { try body(Record(line: recordLine, fields: fields)) }
            fields.removeAll(keepingCapacity: true)
        }
        while i < bytes.count {
            let c = bytes[i]
            if inQuotes {
                if c == UInt8(ascii: "\"") {
                    if i + 1 < bytes.count, bytes[i + 1] == UInt8(ascii: "\"") {
                        field.append(c)
                        i += 2
                        continue
                    }
                    inQuotes = false
                    i += 1
                    // After a closing quote only a separator or the end of the record may follow.
                    if i < bytes.count, ![delimiter, UInt8(ascii: "\r"), UInt8(ascii: "\n")].contains(bytes[i]) {
                        throw OWError.badData("line \(line): text after a closing quote")
                    }
                    continue
                }
                if c == UInt8(ascii: "\n") { line += 1 }
                field.append(c)
                i += 1
                continue
            }
            switch c {
            case UInt8(ascii: "\""):
                guard field.isEmpty, !wasQuoted else { throw OWError.badData("line \(line): a quote inside an unquoted field") }
                inQuotes = true
                wasQuoted = true
            case delimiter: endField()
            case UInt8(ascii: "\r"):
                if i + 1 < bytes.count, bytes[i + 1] == UInt8(ascii: "\n") { i += 1 }
                try endRecord()
                line += 1
                recordLine = line
            case UInt8(ascii: "\n"):
                try endRecord()
                line += 1
                recordLine = line
            default: field.append(c)
            }
            i += 1
        }
        if inQuotes { throw OWError.badData("line \(recordLine): a quoted field is never closed") }
        if !field.isEmpty || !fields.isEmpty || wasQuoted { try endRecord() }
    }
}
