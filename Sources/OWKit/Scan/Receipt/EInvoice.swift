import FoundationEssentials
import OWBase

/// An EN 16931 invoice read from its XML: UN/CEFACT CII (Factur-X, ZUGFeRD 1 and 2, XRechnung
/// CII) or UBL 2 (XRechnung UBL, Peppol BIS Billing 3.0 `Invoice` and `CreditNote`). What the
/// XML says is exact, so it wins over anything read from the words of the same document.
public struct EInvoice: Sendable, Equatable {
    /// "CII" or "UBL".
    public var syntax = ""
    public var sellerName: String?
    public var sellerVAT: String?
    public var number: String?
    /// YYYY-MM-DD.
    public var issueDate: String?
    public var currency: String?
    /// The amount due (else the total with VAT) as written, decimal; credit notes carry a minus.
    public var total: String?
    public var periodStart: String?
    public var periodEnd: String?
    public var lines = 0
    /// The document-level monetary totals by EN 16931 business term (BT-106 line total, BT-109 net,
    /// BT-110 tax, BT-112 with VAT, BT-113 prepaid, BT-115 due), as written: what a page showing the
    /// same invoice prints one of.
    public var totals: [String: String] = [:]
    public var typeCode: String?
    public var isCredit = false

    /// The XML size read at most: an invoice is kilobytes; a larger "invoice" is not read.
    package static let maxBytes = 4 << 20

    /// The total as money in its currency, nil when either is missing or unknown.
    public var amount: Money? {
        guard let code = currency, let c = try? Currency.parse(code), let total, let minor = Self.minorUnits(total, exponent: c.exponent)
        else { return nil }
        return Money(minor: minor, currency: c)
    }

    public var period: String? {
        guard let periodStart, let periodEnd else { return nil }
        return "\(periodStart)..\(periodEnd)"
    }

    /// Reads `bytes` as an e-invoice; nil when it is not one (another XML, not XML at all, or a
    /// document that declares itself no bill: an order, a proforma invoice).
    public static func read(_ bytes: [UInt8]) -> EInvoice? {
        guard bytes.count <= maxBytes, let declared = DeclaredDocument.of(bytes), declared.kind != .notABill else { return nil }
        return read(bytes, declared)
    }

    /// Reads the fields of a document `declared` an invoice or credit note.
    package static func read(_ bytes: [UInt8], _ declared: DeclaredDocument) -> EInvoice? {
        guard bytes.count <= maxBytes, declared.kind != .notABill else { return nil }
        let text = String(decoding: bytes, as: UTF8.self)
        var reader: EInvoiceFields
        switch declared.root {
        case "CrossIndustryInvoice", "CrossIndustryDocument": reader = CIIFields()
        case "Invoice", "CreditNote": reader = UBLFields(credit: declared.root == "CreditNote")
        default: return nil
        }
        do {
            try reader.read(text)
        } catch {
            return nil
        }
        var e = reader.result
        guard e.total != nil || e.number != nil else { return nil }
        e.isCredit = e.isCredit || declared.kind == .creditNote
        if e.isCredit, let t = e.total, !t.hasPrefix("-"), t.contains(where: { $0 != "0" && $0 != "." }) { e.total = "-" + t }
        return e
    }

    /// How far the root element is looked for: past the XML declaration and the licence comments some samples start with.
    package static let headBytes = 64 << 10

    /// The local name of the first element, looked for in the first `headBytes` only.
    static func rootName(_ bytes: [UInt8]) -> String? {
        let head = Array(bytes.prefix(headBytes))
        guard let at = rootStart(head) else { return nil }
        var j = at + 1
        while j < head.count, !PDFParser.isWhite(head[j]), head[j] != UInt8(ascii: ">"), head[j] != UInt8(ascii: "/") { j += 1 }
        return Markup.localName(head[(at + 1)..<j])
    }

    /// Where the first element's start tag begins in `head`: past the XML declaration, comments and a DOCTYPE.
    static func rootStart(_ head: [UInt8]) -> Int? {
        var i = 0
        while i + 1 < head.count {
            guard head[i] == UInt8(ascii: "<") else {
                i += 1
                continue
            }
            if Markup.starts(head, i, "<!--") {
                guard let end = Markup.find(head, from: i + 4, "-->") else { return nil }
                i = end + 3
            } else if head[i + 1] == UInt8(ascii: "?") || head[i + 1] == UInt8(ascii: "!") {
                i += 2
            } else {
                return i
            }
        }
        return nil
    }

    /// A decimal as XML writes it ("1234.5", "-0.50", "100.0000") in minor units, rounded half
    /// away from zero past the currency's exponent; nil when it is not such a number.
    static func minorUnits(_ text: String, exponent: Int) -> Int64? {
        var s = Substring(text.trimmed(.whitespacesAndNewlines))
        let negative = s.hasPrefix("-")
        if negative || s.hasPrefix("+") { s = s.dropFirst() }
        let parts = s.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count <= 2, let whole = parts.first, !whole.isEmpty || parts.count == 2, whole.count <= 15,
            parts.allSatisfy({ $0.allSatisfy { $0.isASCII && $0.isNumber } })
        else { return nil }
        let fraction = parts.count == 2 ? Array(parts[1]) : []
        var value = Int64(whole) ?? 0
        for k in 0..<exponent { value = value * 10 + Int64(k < fraction.count ? Int(String(fraction[k]))! : 0) }
        if fraction.count > exponent, let next = Int(String(fraction[exponent])), next >= 5 { value += 1 }
        return negative ? -value : value
    }
}

/// Collects the fields of one syntax from the element path the scanner is at.
package protocol EInvoiceFields {
    var result: EInvoice { get }
    mutating func open(_ path: [String], _ attributes: [String: String])
    mutating func text(_ path: [String], _ attributes: [String: String], _ value: String)
}

extension EInvoiceFields {
    package mutating func read(_ xml: String) throws {
        var path: [String] = []
        var attributes: [[String: String]] = []
        try Markup.scan(xml) { event in
            switch event {
            case .open(let name, let a):
                path.append(name)
                attributes.append(a)
                open(path, a)
            case .close(let name):
                if let at = path.lastIndex(of: name) {
                    path.removeSubrange(at...)
                    attributes.removeSubrange(at...)
                }
            case .text(let t):
                text(path, attributes.last ?? [:], t.removingByte(13))  // XML reads CRLF as LF
            }
        }
    }
}

extension Array where Element == String {
    /// The path ends with `names` (the innermost element last).
    func ends(_ names: String...) -> Bool { count >= names.count && self[(count - names.count)...].elementsEqual(names) }
}
