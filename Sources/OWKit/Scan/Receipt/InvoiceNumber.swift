import FoundationEssentials
import OWBase

/// The number a document is filed under.
extension ReceiptReader {
    static let invoiceWords = Needles.of(
        [
            "invoice", "receipt", "rechnung", "gutschrift", "facture", "avoir", "factura", "fattura", "fatura", "factuur", "faktura",
            "lasku", "credit note", "n° de", "nº de", "numéro de", "número de", "order", "transaction", "請求書",
        ] + orderWords)
    /// An order's label in the languages of the invoice words ("Bestellnummer", "Bestelnummer", "Commande n°",
    /// "Número de pedido", "Ordine n."): an order page or confirmation is filed under its order number.
    static let orderWords = ["bestell", "bestel", "commande", "pedido", "ordine"]
    /// Labels that name an order or a payment rather than the invoice: used only when no invoice number is found.
    static let weakInvoiceWords = Needles.of(["order", "transaction", "receipt"] + orderWords)

    /// How much of a line after an invoice word, and of the next line, the expression sees:
    /// a number sits right after its label; reading further made a long line quadratic.
    static let invoiceWindow = 120
    /// At most this many labels are tried in one text (a line of `order ` × 20,000 is junk).
    static let maxInvoiceLabels = 200

    /// An invoice's number after its label, in the languages receipts come in: `Invoice no.`,
    /// `Rechnungsnr.`, `N° de facture`, `Factuurnummer`, `Faktura nr`, `Laskun numero`, `請求書番号`
    /// (`InvoiceNumberScanner` reads them).
    static func invoiceNumber(in text: String) -> String? {
        let bytes = Array(text.utf8)
        let lower = LowerText(asciiFolding: bytes[...])
        var fallback: String?
        for (tried, at) in invoiceLabels(in: lower).enumerated() {
            if tried >= maxInvoiceLabels { return fallback }
            // An order or transaction number stands in only when no invoice number follows.
            let weak = weakInvoiceWords.contains { lower.bytes[at...].starts(with: $0) }
            let window = invoiceWindow(bytes, at: at)
            // A number is kept only with a digit in it: a window of ASCII with none is not scanned.
            guard window.utf8.contains(where: { $0 >= 0x80 || ($0 >= 48 && $0 <= 57) }) else { continue }
            let scanner = InvoiceNumberScanner(window)
            for m in scanner.matches() {
                var v = String(String.UnicodeScalarView(scanner.s[m.number]))
                while v.hasSuffix(".") { v.removeLast() }
                // A date after "Date de facture" is not the invoice's number.
                guard v.contains(where: \.isNumber), !isDateShaped(v) else { continue }
                if weak {
                    fallback = fallback ?? v
                    continue
                }
                return v
            }
        }
        return fallback
    }

    /// Where a line names an invoice, in the order they are written: the number is looked for only
    /// there (with the next line, where it may sit). Invoice words are ASCII or caseless, so ASCII
    /// folding finds them at the original offsets.
    static func invoiceLabels(in lower: LowerText) -> [Int] {
        var starts: [Int] = []
        for needle in invoiceWords {
            var from = 0
            while let at = lower.find(needle, from: from) {
                starts.append(at)
                from = at + needle.count
            }
        }
        return starts.sorted()
    }

    /// From the label at `at` to the end of its line, and the next line, each at most `invoiceWindow` bytes.
    static func invoiceWindow(_ bytes: [UInt8], at: Int) -> String {
        func lineEnd(from i: Int) -> Int { bytes[i...].firstIndex(of: 10) ?? bytes.count }
        let end = lineEnd(from: at)
        var window = String(decoding: bytes[at..<min(end, at + invoiceWindow)], as: UTF8.self)
        if end < bytes.count {
            window += "\n" + String(decoding: bytes[(end + 1)..<min(lineEnd(from: end + 1), end + 1 + invoiceWindow)], as: UTF8.self)
        }
        return window
    }

    static func isDateShaped(_ v: String) -> Bool {
        let parts = v.split(whereSeparator: { $0 == "/" || $0 == "-" }).map(\.count)
        guard parts.count == 3, v.allSatisfy({ $0.isNumber || $0 == "/" || $0 == "-" }) else { return false }
        return (parts[0] <= 2 && parts[1] <= 2 && (parts[2] == 2 || parts[2] == 4)) || (parts[0] == 4 && parts[1] <= 2 && parts[2] <= 2)
    }
}
