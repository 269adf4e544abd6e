import CZlib
import FoundationEssentials
import OWBase

/// Text of the simple PDFs invoices are: content streams (raw or FlateDecode) read for the
/// strings their text operators show (`Tj`, `TJ`, `'`, `"`), one line per text line. Fonts with
/// custom encodings (CID fonts without a standard encoding) come out as whatever bytes they
/// hold; such PDFs are common enough that this stays a best effort. Hostile input is bounded:
/// at most `maxStreams` streams, and the message's budget of inflated bytes and time shared by
/// all its PDFs (120 small PDFs in one message once inflated 8 MB each), never a crash.
package enum PDFText {
    static let maxStreams = 2_000

    /// `%PDF-` at the start, or within the first 1,024 bytes after junk some producers write
    /// before it (a Ghostscript banner): readers accept those, so a person opens such an invoice.
    package static func isPDF(_ bytes: [UInt8]) -> Bool {
        bytes.starts(with: header) || LowerText(lowered: Array(bytes.prefix(1024))).find(header) != nil
    }
    private static let header = Array("%PDF-".utf8)

    /// The text, or nil when this is not a PDF or nothing readable was found.
    package static func text(_ pdf: [UInt8], budget: MessageBudget) throws -> String? { try read(pdf, budget: budget).text }

    /// The text, and whether the file is a PDF with pages but no text layer at all (a scan: an
    /// image of the page): a person has to read that one. An encrypted file is not such a scan.
    package static func read(_ pdf: [UInt8], budget: MessageBudget) throws -> (text: String?, noTextLayer: Bool) {
        let r = try readAll(pdf, budget: budget)
        return (r.text, r.noTextLayer)
    }

    /// The text, whether it has no text layer, the e-invoice embedded in it (Factur-X, ZUGFeRD) and
    /// what its embedded XML declares itself (an Order-X order is no bill).
    static func readAll(_ pdf: [UInt8], budget: MessageBudget) throws -> (
        text: String?, noTextLayer: Bool, eInvoice: EInvoice?, declared: DeclaredDocument?
    ) {
        guard isPDF(pdf) else { return (nil, false, nil, nil) }
        // Through the document's pages and fonts first; the stream scan is the fallback for
        // files whose structure gives no text (and cannot decrypt: an encrypted file has no fallback).
        let doc = PDFDocument(pdf, budget: budget)
        if doc.needsPassword { return (nil, false, nil, nil) }
        let (eInvoice, declared) = doc.structuredDocument()
        if let text = try layoutText(doc) { return (text, false, eInvoice, declared) }
        if doc.security != nil { return (nil, false, eInvoice, declared) }
        let text = try scanStreams(doc)
        return (text, text == nil && !doc.pages().isEmpty, eInvoice, declared)
    }

    /// The fallback: every content-looking stream in the file, read for the strings it shows.
    static func scanStreams(_ doc: PDFDocument) throws -> String? {
        let pdf = doc.data
        let budget = doc.budget
        let haystack = LowerText(lowered: pdf)  // keywords are lower-case ASCII already
        var streams = 0
        var from = 0
        var out = ""
        let streamWord = Array("stream".utf8)
        let endWord = Array("endstream".utf8)
        while streams < maxStreams, let at = haystack.find(streamWord, from: from) {
            from = at + streamWord.count
            // "endstream" also contains "stream"; a stream keyword follows ">>" and an EOL.
            if at >= 3 && pdf[(at - 3)..<at].elementsEqual("end".utf8) { continue }
            var start = from
            if start < pdf.count && pdf[start] == 13 { start += 1 }
            guard start < pdf.count && pdf[start] == 10 else { continue }
            start += 1
            guard let end = haystack.find(endWord, from: start) else { break }
            streams += 1
            try budget.checkTime()
            let dictionary = String(decoding: pdf[max(0, at - 400)..<at], as: UTF8.self)
            let dictStart = dictionary.utf8.indices.last { dictionary.utf8[$0...].starts(with: "<<".utf8) } ?? dictionary.startIndex
            let dict = dictionary[dictStart...]
            from = end + endWord.count
            if dict.includes("/Image") || dict.includes("/XRef") || dict.includes("/Font") || dict.includes("/Metadata") { continue }
            // The filters and their parameters as the dictionary before the keyword names them;
            // a filter that carries no text (an image codec) skips the stream.
            var window = Array(pdf[max(0, at - 400)..<at])
            let obj = Array("obj".utf8)
            if let o = (0...max(0, window.count - 3)).last(where: { window[$0...].starts(with: obj) }) {
                window = Array(window[(o + 3)...])
            }
            func entry(_ key: String) -> PDFObject? {
                let needle = Array(key.utf8)
                guard let k = (0...max(0, window.count - needle.count)).last(where: { window[$0...].starts(with: needle) }) else {
                    return nil
                }
                var p = PDFParser(window, at: k + needle.count)
                return p.value()
            }
            let filter = entry("/Filter")
            guard
                let data = filter == nil
                    ? Array(pdf[start..<end]) : doc.decode(Array(pdf[start..<end]), filter: filter, parms: entry("/DecodeParms"))
            else { continue }
            let text = showText(data)
            if !text.isEmpty { out += text + "\n" }
        }
        return out.isEmpty ? nil : out
    }

    /// zlib inflate of at most `limit` bytes (a bomb stops there; what came out is kept).
    static func inflate(_ input: [UInt8], limit: Int) -> [UInt8]? {
        var stream = z_stream()
        guard owatch_inflate_init(&stream, 15) == Z_OK else { return nil }
        defer { inflateEnd(&stream) }
        var out: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 64 * 1024)
        var input = input
        return input.withUnsafeMutableBufferPointer { inBuf -> [UInt8]? in
            stream.next_in = inBuf.baseAddress
            stream.avail_in = uInt(inBuf.count)
            while out.count < limit {
                let status: Int32 = chunk.withUnsafeMutableBufferPointer { c in
                    stream.next_out = c.baseAddress
                    stream.avail_out = uInt(c.count)
                    return CZlib.inflate(&stream, Z_NO_FLUSH)
                }
                let produced = chunk.count - Int(stream.avail_out)
                out.append(contentsOf: chunk[0..<min(produced, limit - out.count)])
                if status == Z_STREAM_END { break }
                if status != Z_OK { return out.isEmpty ? nil : out }  // corrupt: keep what inflated
                if produced == 0 && stream.avail_in == 0 { break }
            }
            return out
        }
    }

    /// The strings a content stream shows, a line per text line.
    package static func showText(_ s: [UInt8]) -> String {
        var lines: [String] = []
        var line: [UInt8] = []
        var operands: [[UInt8]] = []  // strings since the last operator
        var numbers: [Double] = []  // numbers since the last operator
        var inArray = false
        var i = 0
        func endLine() {
            if !line.isEmpty {
                lines.append(Charset.decode(line, charset: "windows-1252"))
                line = []
            }
        }
        func isNumberByte(_ b: UInt8) -> Bool {
            (48...57).contains(b) || b == UInt8(ascii: ".") || b == UInt8(ascii: "-") || b == UInt8(ascii: "+")
        }
        while i < s.count {
            let c = s[i]
            switch c {
            case UInt8(ascii: "("):
                let (str, next) = literal(s, from: i)
                operands.append(str)
                i = next
            case UInt8(ascii: "<") where i + 1 < s.count && s[i + 1] != UInt8(ascii: "<"):
                let (str, next) = hex(s, from: i)
                operands.append(str)
                i = next
            case UInt8(ascii: "["):
                inArray = true
                i += 1
            case UInt8(ascii: "]"):
                inArray = false
                i += 1
            case _ where isNumberByte(c):
                var j = i + 1
                while j < s.count && isNumberByte(s[j]) { j += 1 }
                let v = Double(String(decoding: s[i..<j], as: UTF8.self)) ?? 0
                // Inside TJ, a big negative adjustment is a gap between words.
                if inArray { if v <= -200 { operands.append([32]) } } else { numbers.append(v) }
                i = j
            case UInt8(ascii: "%"):
                while i < s.count && s[i] != 10 && s[i] != 13 { i += 1 }
            case 65...90, 97...122, UInt8(ascii: "'"), UInt8(ascii: "\""), UInt8(ascii: "*"):
                var j = i
                while j < s.count
                    && (65...90 ~= s[j] || 97...122 ~= s[j] || s[j] == UInt8(ascii: "*") || s[j] == UInt8(ascii: "'")
                        || s[j] == UInt8(ascii: "\""))
                { j += 1 }
                let op = String(decoding: s[i..<j], as: UTF8.self)
                switch op {
                case "Tj", "TJ": for o in operands { line += o }
                case "'", "\"":
                    endLine()
                    for o in operands { line += o }
                // A move along the same baseline continues the line (a column of a table row).
                case "Td", "TD":
                    if numbers.count >= 2 && numbers[numbers.count - 1] == 0 && !line.isEmpty { line.append(32) } else { endLine() }
                case "T*", "Tm", "ET": endLine()
                default: break
                }
                operands.removeAll(keepingCapacity: true)
                numbers.removeAll(keepingCapacity: true)
                i = j
            default:
                i += 1
            }
        }
        endLine()
        return lines.map { $0.trimmedBlanks }.filter { !$0.isEmpty }.joined(separator: "\n")
    }

    /// A literal string `( … )` with nesting and escapes; returns it and the index after it.
    static func literal(_ s: [UInt8], from start: Int) -> ([UInt8], Int) {
        var out: [UInt8] = []
        var depth = 0
        var i = start
        while i < s.count {
            let c = s[i]
            if c == UInt8(ascii: "\\"), i + 1 < s.count {
                let n = s[i + 1]
                switch n {
                case UInt8(ascii: "n"):
                    out.append(10)
                    i += 2
                case UInt8(ascii: "r"):
                    out.append(13)
                    i += 2
                case UInt8(ascii: "t"):
                    out.append(9)
                    i += 2
                case UInt8(ascii: "b"):
                    out.append(8)
                    i += 2  // backspace and form feed are bytes too (a CID font's code 0x0008)
                case UInt8(ascii: "f"):
                    out.append(12)
                    i += 2
                case 48...55:
                    var v = 0
                    var j = i + 1
                    while j < s.count && j < i + 4 && (48...55).contains(s[j]) {
                        v = v * 8 + Int(s[j] - 48)
                        j += 1
                    }
                    out.append(UInt8(truncatingIfNeeded: v))
                    i = j
                case 10: i += 2
                case 13: i += (i + 2 < s.count && s[i + 2] == 10) ? 3 : 2
                default:
                    out.append(n)
                    i += 2
                }
                continue
            }
            if c == UInt8(ascii: "(") {
                depth += 1
                if depth > 1 { out.append(c) }
            } else if c == UInt8(ascii: ")") {
                depth -= 1
                if depth == 0 { return (out, i + 1) }
                out.append(c)
            } else {
                out.append(c)
            }
            i += 1
        }
        return (out, i)
    }

    /// A hex string `< … >`; returns its bytes and the index after it.
    package static func hex(_ s: [UInt8], from start: Int) -> ([UInt8], Int) {
        var out: [UInt8] = []
        var pending: UInt8? = nil
        var i = start + 1
        func value(_ c: UInt8) -> UInt8? {
            switch c {
            case 48...57: return c - 48
            case 65...70: return c - 55
            case 97...102: return c - 87
            default: return nil
            }
        }
        while i < s.count && s[i] != UInt8(ascii: ">") {
            if let v = value(s[i]) {
                if let p = pending {
                    out.append(p << 4 | v)
                    pending = nil
                } else {
                    pending = v
                }
            }
            i += 1
        }
        if let p = pending { out.append(p << 4) }
        return (out, min(i + 1, s.count))
    }
}
