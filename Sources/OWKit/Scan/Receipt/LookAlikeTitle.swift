import FoundationEssentials
import OWBase

/// Free text that names itself another document than a bill (issue 32): a quote, a proforma
/// invoice, a purchase order, a delivery note or a payment reminder prints totals, and makes no
/// charge. The names are the UNTDID 1001 document names (310 offer/quotation, 325 proforma
/// invoice, 220 order, 270 delivery note) as each EU language titles such documents, plus the
/// reminder. A reminder is no charge either: it asks again for an invoice already sent, which is
/// the charge (taking both would count it twice); dunning fees come with the next invoice.
package enum LookAlikeTitle {
    /// What the document is, and its titles (lower case) per language.
    static let titles: [(kind: String, words: [String])] = [
        (
            "proforma invoice",
            ["proforma", "pro forma", "pro-forma", "fattura proforma", "factura proforma", "facture proforma"]
        ),
        (
            "quote",
            [
                "quotation", "quote", "estimate", "angebot", "kostenvoranschlag", "devis", "offre de prix", "presupuesto", "cotización",
                "preventivo", "offerta", "orçamento", "offerte", "offert", "tilbud", "tarjous", "oferta", "cenová nabídka", "nabídka",
                "árajánlat", "ajánlat",
            ]
        ),
        ("purchase order", ["purchase order", "bon de commande", "orden de compra", "ordine di acquisto", "inkooporder", "bestellschein"]),
        (
            "order response",
            [
                "order acknowledgement", "order acknowledgment", "auftragsbestätigung", "accusé de réception de commande",
                "confirmación de pedido", "conferma d'ordine", "orderbevestiging", "ordrebekræftelse", "orderbekräftelse",
                "ordrebekreftelse", "tilausvahvistus", "potwierdzenie zamówienia", "potvrzení objednávky",
            ]
        ),
        (
            "delivery note",
            [
                "delivery note", "packing slip", "despatch advice", "dispatch note", "lieferschein", "bon de livraison", "albarán",
                "documento di trasporto", "pakbon", "følgeseddel", "följesedel", "dodací list",
            ]
        ),
        (
            "payment reminder",
            [
                "payment reminder", "reminder", "overdue", "past due", "zahlungserinnerung", "mahnung", "relance", "rappel de paiement",
                "recordatorio de pago", "sollecito di pagamento", "sollecito", "betalingsherinnering", "aanmaning", "betalingspåminnelse",
                "påminnelse", "rykker", "betalingspåmindelse", "maksumuistutus", "upomínka", "wezwanie do zapłaty", "fizetési felszólítás",
                "lembrete de pagamento",
            ]
        ),
    ]

    /// Titles of a bill: a heading naming the invoice (BT-1), a receipt or a credit note comes before any look-alike's.
    static let billTitles = InvoiceTerms.invoice + ["receipt", "credit note", "gutschrift", "quittung", "reçu", "recibo", "kvitto"]

    /// Every title, to rule a subject out with one byte search before looking for words.
    static let titleNeedles = NeedleSet(titles.flatMap(\.words))

    /// The look-alike a mail's subject names anywhere as a word ("Reminder: invoice 12 is overdue").
    /// `folded` is the subject lower-cased (`LowerText(subject)`): most subjects hold no title at all.
    package static func inSubject(_ subject: String, folded: LowerText) -> (kind: String, word: String)? {
        guard folded.contains(any: titleNeedles) else { return nil }
        let lower = String(decoding: folded.bytes, as: UTF8.self)
        for (kind, words) in titles {
            for word in words where hasWord(lower, word, atStart: false) { return (kind, word) }
        }
        return nil
    }

    /// The look-alike a document's heading names: the first of its top lines that starts with a
    /// look-alike's title, unless a line naming a bill comes first ("Rechnung … gemäß Angebot 12").
    package static func inHeading(_ text: String) -> (kind: String, word: String)? {
        var seen = 0
        for raw in text.split(separator: "\n", omittingEmptySubsequences: true) {
            let line = raw.replacingAll("\u{A0}", with: " ").trimmed(.whitespaces).lowercased()
            guard !line.isEmpty else { continue }
            seen += 1
            if seen > 15 { break }
            if line.count <= 80 {
                for (kind, words) in titles {
                    for word in words where hasWord(line, word, atStart: true) { return (kind, word) }
                }
            }
            if billTitles.contains(where: { hasWord(line, $0, atStart: false) }) { return nil }
        }
        return nil
    }

    /// An order confirmation that says the bill comes later ("you will receive an invoice") is no
    /// charge: the invoice is. Its words per language; only looked for when the subject or the
    /// head of the text speaks of an order.
    static let orderNeedles = NeedleSet([
        "order", "bestellung", "commande", "pedido", "ordine", "bestelling", "ordre", "beställning", "tilaus", "zamówienie",
        "objednávk",
    ])
    /// Phrases announcing the invoice, never "will be charged" or "billed monthly" (a receipt says those of the next period).
    static let billedLaterNeedles = Needles.of([
        "you will receive an invoice", "you will receive your invoice", "invoice will follow", "invoice to follow",
        "invoice will be sent", "rechnung folgt", "rechnung erhalten sie", "erhalten sie eine rechnung", "erhalten sie ihre rechnung",
        "vous recevrez votre facture", "vous recevrez une facture", "recibirá la factura", "recibirá su factura", "riceverà la fattura",
        "u ontvangt de factuur", "ontvangt u een factuur", "du får en faktura", "du vil modtage en faktura", "otrzymasz fakturę",
        "obdržíte fakturu",
    ])

    /// The order confirmation that says its bill comes later, when `subject` or the head of `text` speaks of an order.
    package static func billedLater(subject: LowerText, text: String) -> (kind: String, word: String)? {
        let head = LowerText(String(text.prefix(4000)))
        guard subject.contains(any: orderNeedles) || head.contains(any: orderNeedles),
            let phrase = billedLaterNeedles.first(where: { head.find($0) != nil })
        else { return nil }
        return ("order confirmation, billed later", String(decoding: phrase, as: UTF8.self))
    }

    /// Why it makes no charge, for `scan inspect`.
    package static func why(_ hit: (kind: String, word: String), in place: String) -> String {
        let tail =
            hit.kind == "payment reminder"
            ? "it asks again for an invoice already sent, and that invoice is the charge"
            : hit.kind.hasSuffix("billed later") ? "the invoice it announces is the charge" : "not an invoice: no charge"
        return "its \(place) says \(hit.kind) (\"\(hit.word)\"): \(tail)"
    }

    /// `word` in `line` between non-letters (at its start only, when `atStart`).
    static func hasWord(_ line: String, _ word: String, atStart: Bool) -> Bool {
        var from = line.startIndex
        while let r = line.utf8Range(of: word, from: from) {
            let before = r.lowerBound == line.startIndex ? nil : line[..<r.lowerBound].last
            let after = r.upperBound == line.endIndex ? nil : line[r.upperBound...].first
            if atStart && before != nil { return false }
            if !(before?.isLetter ?? false) && !(after?.isLetter ?? false) { return true }
            from = line.index(after: r.lowerBound)
        }
        return false
    }
}

extension ReceiptReader {
    /// What a vendor's subject says the mail is when it is no charge (a failed payment, a trial,
    /// marketing). A marketing word yields to a look-alike's title ("Ihr Angebot A-17" is a quote,
    /// while "Angebot" is also German for a special offer), so the title check says what it is.
    static func notChargeSubject(_ lower: LowerText, _ subject: String) -> ([UInt8], String)? {
        guard let hit = notChargeNeedles.first(where: { lower.contains($0.0) }) else { return nil }
        if hit.1 == "marketing", LookAlikeTitle.inSubject(subject, folded: lower) != nil { return nil }
        return hit
    }
}
