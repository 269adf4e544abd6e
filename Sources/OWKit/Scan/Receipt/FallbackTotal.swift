import FoundationEssentials
import OWBase

/// The `fallback` reading (issue 32, "not sure is an answer"): a bill with no labelled total is not
/// nothing. Its largest unlabelled amount is offered, with the next ones as candidates, at a
/// confidence under the default scan.review_below, so it waits in the review queue and never
/// becomes a charge on its own. Only a document that reads as a bill gets one: newsletters, price
/// lists, orders and reports with prices give nothing.
extension ReceiptReader {
    /// Words that title a bill, looked for in the subject and the document's first lines.
    static let billTitleNeedles = NeedleSet([
        "invoice", "receipt", "rechnung", "quittung", "facture", "factura", "fattura", "fatura", "factuur", "faktura", "kvitto",
        "lasku", "reçu", "recibo", "ricevuta", "your bill", "tax invoice", "領収書", "請求書",
    ])
    /// What a bill states besides its amounts: its number, its date, what is due or paid.
    static let billDetailNeedles = NeedleSet(
        [
            "invoice no", "invoice number", "invoice #", "invoice date", "rechnungsnummer", "rechnungsdatum", "rechnung nr",
            "numéro de facture", "n° de facture", "date de facture", "factuurnummer", "factuurdatum", "número de factura",
            "numero fattura", "fakturanummer", "receipt number", "receipt #", "date paid", "payment date", "due date", "fälligkeit",
            "échéance", "vencimiento", "scadenza", "vervaldatum", "paid on", "bezahlt am", "payé le",
        ] + InvoiceTerms.issueDate)
    /// Documents that print prices without billing anyone: offers, orders, price lists, marketing.
    static let notBillNeedles = NeedleSet([
        "purchase order", "bestellung", "bon de commande", "quotation", "quote", "devis", "offerte", "estimate",
        "price list", "preisliste", "tarifs", "catalog", "unsubscribe", "abmelden", "se désabonner", "newsletter", "webinar",
        "% off", "special offer", "pro forma", "proforma",
    ])

    /// Whether a text with no labelled total still reads as a bill: titled as one (its subject or
    /// its first lines), with a bill's details (number, date, due), and nothing saying it is an
    /// offer, an order or marketing.
    static func readsAsBill(_ text: String, lowerSubject: LowerText) -> Bool {
        let top = LowerText(leading(text, 1500))
        let head = LowerText(leading(text, 6000))
        guard lowerSubject.contains(any: billTitleNeedles) || top.contains(any: billTitleNeedles) else { return false }
        guard head.contains(any: billDetailNeedles) else { return false }
        return !head.contains(any: notBillNeedles) && !lowerSubject.contains(any: notBillNeedles)
            && !head.hasWord(offerWord) && !lowerSubject.hasWord(offerWord)
    }

    /// German for an offer (a quote), as a word of its own: inside a word it is part of a bill's text as
    /// often ("Angebotsnummer" on an invoice that cites the quote, "Sonderangebotspreis").
    static let offerWord = Array("angebot".utf8)

    /// The largest amount with a currency or a decimal part in the text's head (those that write
    /// their currency first), the next two as rivals; nil when it states none.
    static func fallbackTotal(in text: String, sender: String?, defaultCurrency ledgerCurrency: Currency) -> Total? {
        let head = leading(text, 20_000)
        let bytes = Array(head.utf8)
        let folded = LowerText(asciiFolding: bytes[...])
        let documentCurrency =
            declaredCurrency(bytes, folded: folded) ?? namedCurrency(folded: folded) ?? sender.flatMap(CountryCurrency.of)
        let found = amounts(in: head, defaultCurrency: documentCurrency ?? ledgerCurrency).filter { $0.money.minor > 0 }
        let own = found.filter(\.ownCurrency)
        var ranked: [Money] = []
        for m in (own.isEmpty ? found : own).map(\.money).sorted(by: { $0.minor > $1.minor }) where !ranked.contains(m) {
            ranked.append(m)
            if ranked.count == 3 { break }
        }
        guard let best = ranked.first else { return nil }
        let assumed = own.isEmpty && documentCurrency == nil
        return Total(
            money: best,
            currencyAssumed: assumed
                ? "no currency in the document or its sender's address; the ledger's (\(ledgerCurrency.code)) was assumed" : nil,
            how: "fallback", rivals: Array(ranked.dropFirst()))
    }

    /// The fallback reading of a bill with no labelled total, or nil when the text is no bill.
    static func fallback(_ text: String, lowerSubject: LowerText, sender: String?, defaultCurrency: Currency) -> Total? {
        guard readsAsBill(text, lowerSubject: lowerSubject) else { return nil }
        return fallbackTotal(in: text, sender: sender, defaultCurrency: defaultCurrency)
    }
}
