import FoundationEssentials
import OWBase

/// What a structured business document declares itself to be, by its root element, the
/// namespace that names its vocabulary and its document type code (UNTDID 1001), never by the
/// words it prints (issue 32). Only an invoice or a credit note is a bill: a UBL `Order`,
/// `DespatchAdvice`, `Quotation` or `Reminder`, an Order-X `SCRIPTOrder`, a UN/CEFACT
/// `CrossIndustryDespatchAdvice` or a proforma invoice (325) carry totals too, and make no charge.
package struct DeclaredDocument: Sendable, Equatable {
    package enum Kind: Sendable, Equatable { case invoice, creditNote, notABill }

    /// "UBL", "CII" (UN/CEFACT, Factur-X, ZUGFeRD, Order-X).
    package let vocabulary: String
    /// The root element's local name (`Invoice`, `Order`, `SCRIPTOrder`).
    package let root: String
    package let typeCode: String?
    package let kind: Kind

    /// What `scan inspect` shows: "UBL Order", "CII CrossIndustryInvoice type 325".
    package var name: String { "\(vocabulary) \(root)" + (typeCode.map { " type \($0)" } ?? "") }

    /// Why it makes no charge; nil for a bill.
    package var notABill: String? {
        guard kind == .notABill else { return nil }
        let meaning =
            typeCode.flatMap { Self.notBillCodes[$0] }.map { " (\($0))" }
            ?? (typeCode != nil && Self.invoiceRoots.contains(root) ? " (a type UNTDID 1001 gives no invoice or credit note)" : "")
        return "the document declares itself \(name)\(meaning), not an invoice or credit note: no charge"
    }

    /// The roots whose type code says what they are: CII invoices (and ZUGFeRD 1's), UBL invoices and credit notes.
    static let invoiceRoots: Set<String> = ["CrossIndustryInvoice", "CrossIndustryDocument", "Invoice", "CreditNote"]
    static let ublNamespace = "urn:oasis:names:specification:ubl:schema:xsd:"
    static let ciiNamespaces = ["urn:un:unece:uncefact:data:", "urn:ferd:"]
    /// Business documents of the two vocabularies that are not bills, for files that omit the namespace.
    static let notBillRoots: Set<String> = [
        "Order", "OrderResponse", "OrderResponseSimple", "OrderChange", "OrderCancellation", "OrderAgreement", "DespatchAdvice",
        "ReceiptAdvice", "Catalogue", "CatalogueRequest", "Quotation", "RequestForQuotation", "ApplicationResponse", "Reminder",
        "Statement", "RemittanceAdvice", "SCRIPTOrder", "SCRIPTOrderResponse", "SCRIPTOrderChange",
    ]

    /// The codes EN 16931 allows for the invoice type (BT-3, a subset of UNTDID 1001) that ask the
    /// buyer to pay: the standard lists only documents that bill (invoices, debit notes, corrected,
    /// partial, prepayment, self-billed — the buyer writes it for what it owes —, factored, freight,
    /// construction: FeRD's "Baurechnung" is 204, a payment valuation), so all of them are bills but
    /// the proforma invoice (325), sent before the sale for nothing owed yet.
    static let invoiceCodes: Set<String> = [
        "71", "80", "82", "84", "102", "130", "202", "203", "204", "211", "218", "219", "295", "326", "331", "380", "382", "383", "384",
        "385", "386", "387", "388", "389", "390", "393", "394", "395", "456", "458", "527", "553", "575", "623", "633", "751", "780",
        "817", "870", "875", "876", "877", "935",
    ]
    /// The list's codes that give money back: credit notes of every kind and the reversal of a debit.
    static let creditCodes: Set<String> = ["81", "83", "261", "262", "296", "308", "381", "396", "420", "457", "532"]
    /// Codes that are no bill, with their UNTDID 1001 names: the proforma, and the types of the
    /// documents an invoice's header is mistaken for; any code outside EN 16931's list is none either.
    static let notBillCodes = [
        "325": "a proforma invoice, sent before the sale", "220": "an order", "221": "a blanket order", "226": "a call-off order",
        "227": "a consignment order", "230": "an order change", "231": "an order response", "310": "an offer or quotation",
        "351": "a despatch advice", "270": "a delivery note", "632": "a goods receipt",
    ]

    /// The declaration of an XML document of the UBL or UN/CEFACT vocabularies; nil for any other
    /// XML (a bank statement, a feed) or no XML. The type code is looked for in the first 64 KB.
    package static func of(_ bytes: [UInt8]) -> DeclaredDocument? {
        guard let (root, namespace) = rootElement(bytes) else { return nil }
        let vocabulary: String
        // An `Invoice` of any namespace is read as UBL, as before vocabularies were told apart.
        if namespace.hasPrefix(ublNamespace) || root == "Invoice" || root == "CreditNote" {
            vocabulary = "UBL"
        } else if ciiNamespaces.contains(where: namespace.hasPrefix) || root.hasPrefix("CrossIndustry") || root.hasPrefix("SCRIPT") {
            vocabulary = "CII"
        } else if namespace.isEmpty && notBillRoots.contains(root) {
            vocabulary = "UBL"
        } else {
            return nil
        }
        // A UN/CEFACT document's header states its type whatever its root (Order-X: 220, an order).
        let code = typeCode(bytes, vocabulary: vocabulary == "CII" || invoiceRoots.contains(root) ? vocabulary : "")
        guard invoiceRoots.contains(root) else {
            return DeclaredDocument(vocabulary: vocabulary, root: root, typeCode: code, kind: .notABill)
        }
        let kind: Kind
        if root == "CreditNote" {
            kind = .creditNote
        } else if let code {
            kind = creditCodes.contains(code) ? .creditNote : invoiceCodes.contains(code) ? .invoice : .notABill
        } else {
            kind = .invoice  // an invoice that states no type (ZUGFeRD 1 samples) is one
        }
        return DeclaredDocument(vocabulary: vocabulary, root: root, typeCode: code, kind: kind)
    }

    /// The root element's local name and the namespace its prefix (or the default) is bound to there.
    static func rootElement(_ bytes: [UInt8]) -> (String, String)? {
        let head = Array(bytes.prefix(EInvoice.headBytes))
        guard let name = EInvoice.rootName(head), let at = EInvoice.rootStart(head) else { return nil }
        var end = at
        while end < head.count, head[end] != UInt8(ascii: ">") { end += 1 }
        let tag = String(decoding: head[at..<end], as: UTF8.self)
        let qualified = tag.dropFirst().prefix { !$0.isWhitespace && $0 != "/" && $0 != ">" }
        let prefix = qualified.contains(":") ? String(qualified.prefix { $0 != ":" }) : ""
        let attribute = prefix.isEmpty ? "xmlns=" : "xmlns:\(prefix)="
        guard let range = tag.utf8Range(of: attribute) else { return (name, "") }
        let rest = tag[range.upperBound...]
        guard let quote = rest.first, quote == "\"" || quote == "'" else { return (name, "") }
        return (name, String(rest.dropFirst().prefix { $0 != quote }))
    }

    /// The document type code: CII's `ExchangedDocument/TypeCode` (ZUGFeRD 1: `HeaderExchangedDocument`),
    /// UBL's `InvoiceTypeCode` or `CreditNoteTypeCode`; the first one, in the first 64 KB.
    static func typeCode(_ bytes: [UInt8], vocabulary: String) -> String? {
        let text = String(decoding: bytes.prefix(EInvoice.headBytes), as: UTF8.self)
        let elements = vocabulary == "UBL" ? ["InvoiceTypeCode", "CreditNoteTypeCode"] : vocabulary == "CII" ? ["TypeCode"] : []
        for element in elements {
            var from = text.startIndex
            while let open = text.utf8Range(of: element, from: from) {
                from = open.upperBound
                // `<ram:TypeCode>` or `<TypeCode listID="…">`, not `<ram:InvoiceTypeCode>` nor `<TypeCodeX>`.
                let before = text[..<open.lowerBound].last
                guard before == "<" || before == ":", let close = text[open.upperBound...].firstIndex(of: ">"),
                    text[open.upperBound..<close].first.map({ $0 == " " || $0 == "\t" || $0 == "\n" }) ?? true
                else { continue }
                let value = text[text.index(after: close)...].prefix { $0 != "<" }.trimmed(.whitespacesAndNewlines)
                if !value.isEmpty, value.count <= 6, value.allSatisfy({ $0.isASCII && $0.isNumber }) { return value }
            }
        }
        return nil
    }
}
