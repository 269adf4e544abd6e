import FoundationEssentials
import OWBase

/// One part of a MIME message (RFC 2045/2046): its headers, and either child parts or a
/// decoded body. Text leaves carry their text decoded from the part's charset.
public struct MIMEPart: Sendable {
    public var headers: [(name: String, value: String)] = []
    public var contentType = "text/plain"
    public var params: [String: String] = [:]
    public var children: [MIMEPart] = []
    public var body: [UInt8] = []
    public var text: String?
    /// Text read out of a PDF attachment (invoices often arrive as one); nil otherwise.
    public var pdfText: String?
    /// A PDF attachment with pages but no text layer (a scan): nothing to read but the image.
    public var pdfWithoutText = false

    /// An e-invoice read from this part's XML (an attached XRechnung) or from the XML a PDF embeds.
    public var eInvoice: EInvoice?
    /// What this part's XML (or the XML a PDF embeds) declares itself, bill or not (an order makes no charge).
    package var declared: DeclaredDocument?

    /// XML by its type or by its name (an XRechnung sent as a generic binary).
    var isXML: Bool {
        contentType == "application/xml" || contentType == "text/xml" || contentType.hasSuffix("+xml")
            || ((params["name"] ?? filename ?? "").lowercased().hasSuffix(".xml") && !contentType.hasPrefix("multipart/"))
    }

    /// A PDF by its type, or by its name when sent as a generic binary.
    var isPDF: Bool {
        contentType == "application/pdf"
            || (contentType == "application/octet-stream" && (params["name"] ?? filename ?? "").lowercased().hasSuffix(".pdf"))
    }

    var filename: String? {
        guard let d = header("Content-Disposition") else { return nil }
        return MIME.contentType(d, defaultType: "attachment").1["filename"]
    }

    public func header(_ name: String) -> String? {
        headers.first { $0.name.equalsIgnoringASCIICase(name) }?.value
    }

    public var isAttachment: Bool {
        (header("Content-Disposition") ?? "").lowercased().hasPrefix("attachment")
    }

    /// Depth-first, like Python's `Message.walk()`.
    public func walk(_ visit: (MIMEPart) -> Void) {
        visit(self)
        for c in children { c.walk(visit) }
    }
}

/// A parsed email message.
public struct MailMessage: Sendable {
    public let root: MIMEPart
    public var subject: String { root.header("Subject") ?? "" }
    /// The From header, its addresses formatted the usual way (comments dropped, quotes where needed).
    public var from: String {
        let raw = root.header("From") ?? ""
        let boxes = MailHeader.mailboxes(raw)
        return boxes.isEmpty ? raw : MailHeader.format(boxes)
    }
    /// The Date header normalised to RFC 5322 form; as written when it cannot be read.
    public var date: String? { root.header("Date").map { MailHeader.date($0).map(MailHeader.format) ?? $0 } }
    public var sentAt: Date? { root.header("Date").flatMap(MailHeader.date)?.date }
    public var messageID: String? {
        root.header("Message-ID").map { $0.trimmedBlanks }.flatMap { $0.isEmpty ? nil : $0 }
    }

    /// The sender's address, lower-cased: what the vendor catalog's domains are matched against.
    public var fromAddress: String? {
        let raw = root.header("From") ?? ""
        return MailHeader.firstAddress(raw)?.lowercased()
            ?? raw.split(separator: " ").first { $0.includes("@") }.map { String($0).lowercased() }
    }

    /// The first e-invoice any part carries (an XML attachment, or the XML inside a PDF).
    public var eInvoice: EInvoice? {
        var found: EInvoice?
        root.walk { p in if found == nil { found = p.eInvoice } }
        return found
    }

    /// A structured document some part declares that is no bill (an order, a despatch advice), when no part carries an e-invoice.
    package var declaredNotABill: DeclaredDocument? {
        guard eInvoice == nil else { return nil }
        var found: DeclaredDocument?
        root.walk { p in if found == nil, p.declared?.kind == .notABill { found = p.declared } }
        return found
    }

    /// The PDF attachments that are scans (no text layer), by file name ("a PDF" when unnamed).
    public var pdfsWithoutText: [String] {
        var names: [String] = []
        root.walk { p in if p.pdfWithoutText { names.append(p.filename ?? p.params["name"] ?? "a PDF") } }
        return names
    }
}

/// Our own MIME reader: header unfolding, RFC 2047 encoded words, RFC 2231 parameters,
/// nested multiparts, base64 and quoted-printable, charsets. Linear in the message size
/// at each nesting level; hostile input gives an error or a best effort, never a crash.
public enum MIME {
    public static let maxDepth = 40

    /// Reads a message within `budget` (time, inflated PDF bytes, decoded text); past it,
    /// `OverBudget` is thrown.
    package static func parse(_ bytes: [UInt8], budget: MessageBudget) throws -> MailMessage {
        MailMessage(root: try part(bytes[...], depth: 0, defaultType: "text/plain", budget: budget))
    }

    /// Reads a message with the standard limits; one past them is bad data.
    public static func parse(_ bytes: [UInt8]) throws -> MailMessage {
        do {
            return try parse(bytes, budget: .standard())
        } catch let over as OverBudget {
            throw OWError.badData("the message \(over.reason)")
        }
    }

    // MARK: Structure

    package static func part(_ bytes: ArraySlice<UInt8>, depth: Int, defaultType: String, budget: MessageBudget) throws -> MIMEPart {
        guard depth <= maxDepth else { throw OWError.badData("MIME parts nested deeper than \(maxDepth)") }
        try budget.checkTime()
        var p = MIMEPart()
        let (headers, bodyStart) = splitHeaders(bytes)
        p.headers = headers
        let body = bytes[bodyStart...]
        let (type, params) = contentType(p.header("Content-Type"), defaultType: defaultType)
        p.contentType = type
        p.params = params
        if type.hasPrefix("multipart/") {
            if let boundary = params["boundary"], !boundary.isEmpty {
                let childDefault = type == "multipart/digest" ? "message/rfc822" : "text/plain"
                for slice in splitMultipart(body, boundary: Array(boundary.utf8)) {
                    p.children.append(try part(slice, depth: depth + 1, defaultType: childDefault, budget: budget))
                }
                return p
            }
            // A multipart with no boundary cannot be split: it stays one leaf, readable as text.
            p.body = Array(body)
            p.text = Charset.decode(budget.spendText(p.body), charset: params["charset"])
            return p
        }
        let cte = (p.header("Content-Transfer-Encoding") ?? "7bit").trimmedBlanks.lowercased()
        // Only text and embedded messages are ever read; images and other binary parts keep
        // their transfer encoding (decoding megabytes of base64 nobody reads was a tenth of a scan).
        let isPDF = p.isPDF
        p.body = type.hasPrefix("text/") || type.hasPrefix("message/") || isPDF ? decodeTransfer(body, encoding: cte) : Array(body)
        if isPDF { (p.pdfText, p.pdfWithoutText, p.eInvoice, p.declared) = try PDFText.readAll(p.body, budget: budget) }
        if p.isXML {
            if !type.hasPrefix("text/") { p.body = decodeTransfer(body, encoding: cte) }
            p.declared = p.body.count <= EInvoice.maxBytes ? DeclaredDocument.of(p.body) : nil
            p.eInvoice = p.declared.flatMap { EInvoice.read(p.body, $0) }
        }
        if type == "message/delivery-status" {
            // RFC 3464: blocks of header fields separated by blank lines, each read as headers only.
            for block in splitBlocks(p.body[...]) {
                var b = MIMEPart()
                b.headers = splitHeaders(block).0
                b.text = ""
                p.children.append(b)
            }
            return p
        }
        if type.hasPrefix("message/") {
            p.children.append(try part(p.body[...], depth: depth + 1, defaultType: "text/plain", budget: budget))
            return p
        }
        if type.hasPrefix("text/") { p.text = Charset.decode(budget.spendText(p.body), charset: params["charset"]) }
        return p
    }

    /// Splits the header block from the body at the first empty line; unfolds continuation
    /// lines (RFC 5322 §2.2.3) and decodes encoded words (RFC 2047).
    package static func splitHeaders(_ bytes: ArraySlice<UInt8>) -> ([(name: String, value: String)], Int) {
        var headers: [(name: String, value: String)] = []
        var i = bytes.startIndex
        let end = bytes.endIndex
        var current: (name: String, raw: [UInt8])?
        func finish() {
            if let c = current { headers.append((c.name, decodeHeader(unfold(c.raw)))) }
            current = nil
        }
        var first = true
        while i < end {
            var lineEnd = i
            while lineEnd < end, bytes[lineEnd] != 0x0A { lineEnd += 1 }
            let next = lineEnd < end ? lineEnd + 1 : end
            var contentEnd = lineEnd
            if contentEnd > i, bytes[contentEnd - 1] == 0x0D { contentEnd -= 1 }
            if contentEnd == i {
                finish()
                return (headers, next)
            }  // the empty line
            let line = bytes[i..<contentEnd]
            if line.first == 0x20 || line.first == 0x09 {
                current?.raw.append(contentsOf: [0x0A])
                current?.raw.append(contentsOf: line)
            } else if first, line.starts(with: Array("From ".utf8)) {
                // An mbox "From " line before the headers: not a header.
            } else if let colon = line.firstIndex(of: UInt8(ascii: ":")),
                colon > line.startIndex, line[line.startIndex..<colon].allSatisfy({ $0 > 32 && $0 < 127 })
            {
                finish()
                let name = String(decoding: line[line.startIndex..<colon], as: UTF8.self)
                var vStart = colon + 1
                while vStart < line.endIndex, line[vStart] == 0x20 || line[vStart] == 0x09 { vStart += 1 }
                current = (name, Array(line[vStart...]))
            } else {
                // Not a header line: the headers end here and this line starts the body (a defect Python tolerates too).
                finish()
                return (headers, i)
            }
            first = false
            i = next
        }
        finish()
        return (headers, end)
    }

    static func unfold(_ raw: [UInt8]) -> String {
        let text = String(decoding: raw, as: UTF8.self)
        return text.removingByte(10)
    }

    /// RFC 2047 encoded words: `=?charset?B|Q?text?=`. Whitespace between two adjacent
    /// encoded words is dropped; anything malformed is left as written.
    /// One pass over the bytes: where each encoded text ends (the next `?=`) is known from a
    /// table built backwards, so no search restarts (a header of `=?a?b` repeated was quadratic).
    public static func decodeHeader(_ value: String) -> String {
        guard value.includes("=?") else { return value }
        let b = Array(value.utf8)
        let n = b.count
        let question = UInt8(ascii: "?")
        let equals = UInt8(ascii: "=")
        // ahead[i]: the first index >= i where "?=" starts, and the first blank, or n.
        var ahead = [(close: Int, blank: Int)](repeating: (n, n), count: n + 1)
        var i = n - 1
        while i >= 0 {
            let close = i + 1 < n && b[i] == question && b[i + 1] == equals ? i : ahead[i + 1].close
            ahead[i] = (close, b[i] == 0x20 ? i : ahead[i + 1].blank)
            i -= 1
        }
        var out: [UInt8] = []
        out.reserveCapacity(n)
        var plainStart = 0  // start of the text not yet copied
        var lastEncodedEnd = -1  // where the last decoded word ended, for adjacent words
        i = 0
        while i + 1 < n {
            guard b[i] == equals, b[i + 1] == question, let word = encodedWord(b, at: i, ahead: ahead) else {
                i += 1
                continue
            }
            let between = b[plainStart..<i]
            let adjacent = lastEncodedEnd == plainStart && between.allSatisfy { $0 == 0x20 || $0 == 0x09 }
            if !adjacent { out += between }
            out += Array(word.text.utf8)
            i = word.end
            plainStart = i
            lastEncodedEnd = i
        }
        out += b[plainStart...]
        return String(decoding: out, as: UTF8.self)
    }

    /// The encoded word starting at `start` (`=?`), decoded, and the index just past its `?=`.
    /// The charset runs to the next `?`, so the work per candidate is bounded by the distance
    /// to the next `?`, which is never shared between two candidates; the text is copied only
    /// when it decodes, and the scan then resumes past it.
    private static func encodedWord(_ b: [UInt8], at start: Int, ahead: [(close: Int, blank: Int)]) -> (text: String, end: Int)? {
        let n = b.count
        var q1 = start + 2
        while q1 < n, b[q1] != UInt8(ascii: "?") {
            if b[q1] <= 0x20 { return nil }  // no blanks or controls in a charset
            q1 += 1
        }
        guard q1 > start + 2, q1 + 2 < n, b[q1 + 2] == UInt8(ascii: "?") else { return nil }
        let enc = b[q1 + 1] | 0x20
        guard enc == UInt8(ascii: "b") || enc == UInt8(ascii: "q") else { return nil }
        let payloadStart = q1 + 3
        let (close, blank) = ahead[payloadStart]
        guard close < n, blank > close else { return nil }  // no "?=", or a space in the text
        let payload = Array(b[payloadStart..<close])
        let charset = String(decoding: b[(start + 2)..<q1], as: UTF8.self)
        let bytes = enc == UInt8(ascii: "b") ? base64(payload) : quotedPrintable(payload, header: true)
        return (Charset.decode(bytes, charset: charset), close + 2)
    }

    /// `type/subtype; name=value; name="quoted"` with RFC 2231 extended and continued parameters.
    package static func contentType(_ header: String?, defaultType: String) -> (String, [String: String]) {
        guard let header, !header.trimmedBlanks.isEmpty else { return (defaultType, [:]) }
        var parts = splitParams(header)
        let type = parts.removeFirst().trimmedBlanks.lowercased()
        var params: [String: String] = [:]
        var continued: [String: [(Int, String, Bool)]] = [:]
        for p in parts {
            guard let eq = p.firstIndex(of: "=") else { continue }
            var name = p[..<eq].trimmedBlanks.lowercased()
            var value = p[p.index(after: eq)...].trimmedBlanks
            if value.hasPrefix("\""), value.hasSuffix("\""), value.count >= 2 {
                value = String(value.dropFirst().dropLast()).replacingAll("\\\"", with: "\"").replacingAll("\\\\", with: "\\")
            }
            var extended = false
            if name.hasSuffix("*") {
                extended = true
                name.removeLast()
            }
            if let star = name.lastIndex(of: "*"), let n = Int(name[name.index(after: star)...]) {
                continued[String(name[..<star]), default: []].append((n, value, extended))
                continue
            }
            params[name] = extended ? decode2231(value, first: true) : value
        }
        for (name, pieces) in continued {
            params[name] = pieces.sorted { $0.0 < $1.0 }.enumerated().map { i, piece in
                piece.2 ? decode2231(piece.1, first: i == 0) : piece.1
            }.joined()
        }
        guard type.includes("/"), !type.includes(" ") else { return (defaultType == "message/rfc822" ? defaultType : "text/plain", params) }
        return (type, params)
    }

    static func splitParams(_ s: String) -> [String] {
        var out: [String] = []
        var cur = ""
        var quoted = false
        var escaped = false
        for ch in s {
            if escaped {
                cur.append(ch)
                escaped = false
                continue
            }
            if ch == "\\" && quoted {
                cur.append(ch)
                escaped = true
                continue
            }
            if ch == "\"" { quoted.toggle() }
            if ch == ";" && !quoted {
                out.append(cur)
                cur = ""
                continue
            }
            cur.append(ch)
        }
        out.append(cur)
        return out
    }

    /// `utf-8'en'%E2%82%AC` → "€".
    static func decode2231(_ value: String, first: Bool) -> String {
        var charset: String? = nil
        var encoded = Substring(value)
        if first {
            let pieces = value.split(separator: "'", maxSplits: 2, omittingEmptySubsequences: false)
            if pieces.count == 3 {
                charset = String(pieces[0])
                encoded = pieces[2]
            }
        }
        return Charset.decode(encoded.percentDecodedBytes, charset: charset ?? "utf-8")
    }

    /// Blocks separated by blank lines.
    static func splitBlocks(_ body: ArraySlice<UInt8>) -> [ArraySlice<UInt8>] {
        var blocks: [ArraySlice<UInt8>] = []
        var start: Int? = nil
        var i = body.startIndex
        while i < body.endIndex {
            var lineEnd = i
            while lineEnd < body.endIndex, body[lineEnd] != 0x0A { lineEnd += 1 }
            let blank = body[i..<lineEnd].allSatisfy { $0 == 0x0D || $0 == 0x20 || $0 == 0x09 }
            if blank {
                if let s = start {
                    blocks.append(body[s..<i])
                    start = nil
                }
            } else if start == nil {
                start = i
            }
            i = lineEnd < body.endIndex ? lineEnd + 1 : body.endIndex
        }
        if let s = start { blocks.append(body[s..<body.endIndex]) }
        return blocks
    }

    /// The parts between `--boundary` delimiter lines (RFC 2046 §5.1.1). A delimiter must be the
    /// whole line (trailing whitespace allowed), so a boundary that is a prefix of another
    /// never splits the wrong part. A missing close delimiter ends the last part at the end.
    static func splitMultipart(_ body: ArraySlice<UInt8>, boundary: [UInt8]) -> [ArraySlice<UInt8>] {
        let delimiter = [UInt8(ascii: "-"), UInt8(ascii: "-")] + boundary
        var parts: [ArraySlice<UInt8>] = []
        var partStart: Int? = nil
        var i = body.startIndex
        let end = body.endIndex
        while i < end {
            var lineEnd = i
            while lineEnd < end, body[lineEnd] != 0x0A { lineEnd += 1 }
            let next = lineEnd < end ? lineEnd + 1 : end
            if lineEnd - i >= delimiter.count, body[i] == 0x2D, body[i..<(i + delimiter.count)].elementsEqual(delimiter) {
                var tail = i + delimiter.count
                var closing = false
                if tail + 2 <= lineEnd, body[tail] == 0x2D, body[tail + 1] == 0x2D {
                    closing = true
                    tail += 2
                }
                let rest = body[tail..<lineEnd]
                if rest.allSatisfy({ $0 == 0x20 || $0 == 0x09 || $0 == 0x0D }) {
                    if let s = partStart, s < i {
                        // The line break before the delimiter belongs to the delimiter.
                        // Nothing at all between two delimiters is no part (as Python reads it).
                        var e = i
                        if e > s, body[e - 1] == 0x0A {
                            e -= 1
                            if e > s, body[e - 1] == 0x0D { e -= 1 }
                        }
                        parts.append(body[s..<e])
                    }
                    if closing { return parts }
                    partStart = next
                }
            }
            i = next
        }
        if let s = partStart { parts.append(body[s..<end]) }
        return parts
    }
}
