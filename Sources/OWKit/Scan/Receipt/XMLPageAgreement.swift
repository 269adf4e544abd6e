import FoundationEssentials
import OWBase

/// Whether an e-invoice's XML and the words of the same message (the PDF's page, the mail's body)
/// describe one invoice (issue 32). They do when the page states the XML's invoice number, or
/// (numbering no other invoice) prints one of the XML's monetary totals: then the XML wins, being
/// the invoice in law. Otherwise they are two documents (a demo PDF carrying sample XML), and
/// nothing settles which one is the charge: it waits for review with both readings.
package struct XMLPageAgreement: Sendable {
    /// True when the page plainly describes another document than the XML.
    var anotherDocument: Bool
    /// Why, in words, for `scan inspect` and the review finding.
    package var why: String

    /// An invoice number this short is any line's quantity: stating it says nothing.
    static let shortestNumber = 3

    /// Nil when there is nothing to settle: the page read no total, or the same one as the XML.
    /// The invoice number is the document's identity, so it is looked at first: the page stating
    /// the XML's makes one invoice; the page's own number being another makes two, whatever
    /// totals they share (sample XML about the same goods). Then a total in common makes one.
    package static func of(_ e: EInvoice, page: Money?, pageNumber: String?, pageText: () -> String) -> XMLPageAgreement? {
        guard let page, let xml = e.amount, page != xml else { return nil }
        let number = e.number?.trimmed(.whitespacesAndNewlines) ?? ""
        let own = pageNumber?.trimmed(.whitespacesAndNewlines)
        if !number.isEmpty, own?.equalsIgnoringCase(number) == true || (number.count >= shortestNumber && states(pageText(), number)) {
            return XMLPageAgreement(anotherDocument: false, why: "same invoice: the page states the XML's invoice number \(number)")
        }
        if let own, !own.isEmpty, !number.isEmpty {
            return XMLPageAgreement(anotherDocument: true, why: "another document: the page is invoice \(own), the XML invoice \(number)")
        }
        for (term, value) in e.totals.sorted(by: { $0.key > $1.key }) {
            // A zero (nothing prepaid) is on every page.
            guard let minor = EInvoice.minorUnits(value, exponent: page.currency.exponent), minor != 0,
                minor.magnitude == page.minor.magnitude
            else { continue }
            return XMLPageAgreement(anotherDocument: false, why: "same invoice: the page's total \(page.display) is the XML's \(term)")
        }
        let numbered = number.isEmpty ? "" : " and does not state its invoice number \(number)"
        return XMLPageAgreement(
            anotherDocument: true, why: "another document: the page's total \(page.display) is none of the XML's totals\(numbered)")
    }

    /// `text` holds `token` (ASCII case aside) with no letter or digit either side.
    static func states(_ text: String, _ token: String) -> Bool {
        let hay = Array(text.utf8)
        let needle = Array(token.utf8).map(lower)
        guard !needle.isEmpty, hay.count >= needle.count else { return false }
        func word(_ b: UInt8) -> Bool { b >= 0x80 || (b >= 0x30 && b <= 0x39) || (lower(b) >= 0x61 && lower(b) <= 0x7A) }
        var i = 0
        while i + needle.count <= hay.count {
            if lower(hay[i]) == needle[0], hay[i..<(i + needle.count)].lazy.map(lower).elementsEqual(needle),
                i == 0 || !word(hay[i - 1]), i + needle.count == hay.count || !word(hay[i + needle.count])
            {
                return true
            }
            i += 1
        }
        return false
    }

    private static func lower(_ b: UInt8) -> UInt8 { b >= 0x41 && b <= 0x5A ? b + 32 : b }
}
