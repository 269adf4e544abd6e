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
    /// `windows1252` decodes the rest (the charset tables are the scan's: passed in, issue 30).
    public static func text(_ bytes: [UInt8], file: String, windows1252: (ArraySlice<UInt8>) -> String) throws
        -> (text: String, encoding: String)
    {
        var body = bytes[...]
        if body.starts(with: [0xEF, 0xBB, 0xBF]) { body = body.dropFirst(3) }
        if let utf8 = String(validating: body, as: UTF8.self) { return (utf8, "UTF-8") }
        let undefined: Set<UInt8> = [0x81, 0x8D, 0x8F, 0x90, 0x9D]
        guard !body.contains(where: undefined.contains), !body.contains(0) else {
            throw OWError.badData("\(file) is neither UTF-8 nor Windows-1252 text", hint: "save it as CSV UTF-8 from your spreadsheet")
        }
        return (windows1252(body), "Windows-1252")
    }

    public static func trim(_ s: String) -> String {
        guard let f = s.utf8.first, let l = s.utf8.last, f == 32 || f == 9 || l == 32 || l == 9 else { return s }
        return String(s.drop(while: { $0 == " " || $0 == "\t" }).reversed().drop(while: { $0 == " " || $0 == "\t" }).reversed())
    }

    /// One record (RFC 4180): a line, or more when a quoted field holds line breaks; `line` is where
    /// it starts.
    public struct Line: Sendable {
        public let line: Int
        public let fields: [String]
    }

    public static func parse(_ text: String, delimiter: UInt8 = UInt8(ascii: ",")) throws -> [Line] {
        var records: [Line] = []
        try forEachRecord(text, delimiter: delimiter) { records.append($0) }
        return records
    }

    /// The records one at a time, as they are read: a file of 100,000 rows is never held as records.
    public static func forEachRecord(_ text: String, delimiter: UInt8 = UInt8(ascii: ","), _ body: (Line) throws -> Void) throws {
        var text = text
        text.makeContiguousUTF8()
        try text.utf8.withContiguousStorageIfAvailable { try forEachRecord(bytes: $0, delimiter: delimiter, body) }!
    }

    /// Over the text's own bytes: an unquoted field (nearly all of them) becomes a `String` from its
    /// slice at once; only a quoted field is copied byte by byte, to undo its doubled quotes.
    private static func forEachRecord(bytes all: UnsafeBufferPointer<UInt8>, delimiter: UInt8, _ body: (Line) throws -> Void) throws {
        let quote = UInt8(ascii: "\"")
        let cr = UInt8(ascii: "\r")
        let lf = UInt8(ascii: "\n")
        var bytes = all[...]
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes = bytes.dropFirst(3) }
        let end = bytes.endIndex
        var fields: [String] = []
        var line = 1
        var i = bytes.startIndex
        while i < end {
            let recordLine = line
            // One record: fields up to an unquoted CR, LF or the end.
            while true {
                if bytes[i] == quote {
                    var field: [UInt8] = []
                    i += 1
                    while true {
                        guard i < end else { throw OWError.badData("line \(recordLine): a quoted field is never closed") }
                        let c = bytes[i]
                        if c == quote {
                            if i + 1 < end, bytes[i + 1] == quote {
                                field.append(quote)
                                i += 2
                                continue
                            }
                            i += 1
                            break
                        }
                        if c == lf { line += 1 }
                        field.append(c)
                        i += 1
                    }
                    // After a closing quote only a separator or the end of the record may follow.
                    if i < end, bytes[i] != delimiter, bytes[i] != cr, bytes[i] != lf {
                        throw OWError.badData("line \(line): text after a closing quote")
                    }
                    fields.append(String(decoding: field, as: UTF8.self))
                } else {
                    let start = i
                    while i < end {
                        let c = bytes[i]
                        if c == delimiter || c == cr || c == lf { break }
                        // A quote inside an unquoted field is a character of it (12" monitor), as Python's
                        // csv and spreadsheets read it: real bank exports (Rabobank's) write such fields.
                        i += 1
                    }
                    fields.append(String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<i]), as: UTF8.self))
                }
                if i < end, bytes[i] == delimiter {
                    i += 1
                    if i == end { fields.append("") }
                    if i < end { continue }
                }
                break
            }
            // The record's end: CRLF, CR or LF (or the end of the text).
            if i < end {
                if bytes[i] == cr, i + 1 < end, bytes[i + 1] == lf { i += 1 }
                i += 1
                line += 1
            }
            // A blank line is no record.
            if !(fields.count == 1 && fields[0].isEmpty) { try body(Line(line: recordLine, fields: fields)) }
            fields.removeAll(keepingCapacity: true)
        }
    }
}
