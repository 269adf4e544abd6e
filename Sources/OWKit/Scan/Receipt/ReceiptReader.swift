import FoundationEssentials
import OWBase

/// Reads receipts and invoices: who was paid, how much, when, for what period.
package enum ReceiptReader {
    /// Subjects of mail from vendors that is not a charge, in the languages the example mail uses.
    package static let notCharges: [(String, String)] = [
        ("payment failed", "failed payment"), ("failed payment", "failed payment"), ("payment was declined", "failed payment"),
        ("declined", "failed payment"), ("unsuccessful", "failed payment"), ("could not be processed", "failed payment"),
        ("problem with your payment", "failed payment"), ("update your payment", "failed payment"), ("fehlgeschlagen", "failed payment"),
        ("échec", "failed payment"), ("échoué", "failed payment"), ("rechazado", "failed payment"),
        ("trial", "trial notice"), ("testphase", "trial notice"), ("période d'essai", "trial notice"), ("prueba gratuita", "trial notice"),
        ("sign-in", "security notice"), ("sign in", "security notice"), ("new login", "security notice"), ("password", "security notice"),
        ("security alert", "security notice"), ("verify your", "security notice"), ("anmeldung", "security notice"),
        ("newsletter", "marketing"), ("webinar", "marketing"), ("% off", "marketing"), ("what's new", "marketing"),
        ("new features", "marketing"),
        ("introducing", "marketing"), ("black friday", "marketing"), ("special offer", "marketing"), ("upgrade now", "marketing"),
        ("tips", "marketing"), ("angebot", "marketing"), ("nouveautés", "marketing"), ("invite you", "marketing"),
        ("don't miss", "marketing"),
    ]

    static let receiptWords =
        [
            "receipt", "invoice", "payment received", "payment confirmation", "your payment", "charged", "billing statement",
            "order confirmation", "thank you for your payment", "rechnung", "quittung", "zahlungsbestätigung", "beleg",
            "facture", "reçu", "paiement", "factura", "recibo", "ricevuta", "fattura", "領収書", "請求書", "お支払い", "kvitto", "faktura",
        ] + InvoiceTerms.invoice + InvoiceTerms.payment + InvoiceTerms.orderTotal

    /// Labels of the amount that was paid, best first; line items, tax and subtotals never win.
    /// Words of a credit note or a refund receipt, in the subject or the head of the text.
    static let creditNeedles = NeedleSet([
        "refund", "credit note", "credit memo", "gutschrift", "erstattung", "avoir", "remboursement",
        "nota de crédito", "reembolso", "rimborso", "nota di credito", "返金", "creditnota", "kreditnota",
    ])
    static let proratedNeedles = NeedleSet([
        "prorated", "proration", "pro rata", "pro-rata", "partial period", "remaining time", "unused time",
        "anteilig", "au prorata", "prorrateo",
    ])

    /// Labels of the amount that was paid, best first; line items, tax and subtotals never win.
    static let totalLabels =
        [
            // A payment slip's amount (a Swiss QR-bill's "Währung Betrag" over the amount) is what is to be paid.
            "währung betrag", "currency amount", "monnaie montant", "valuta importo", "amount refunded", "refund total", "total refunded",
            "amount paid", "payment amount", "invoice amount",
            "total amount due", "balance due", "amount due", "total due", "grand total", "total to pay", "amount to pay", "bruttosumme",
            "bruttobetrag",
            "summe brutto", "gesamtbetrag brutto", "rechnungsbetrag brutto", "zahlbetrag", "net à payer", "net a payer",
            "somme à payer", "montant prélevé", "montant à payer", "total à payer", "zu zahlender betrag", "zu zahlen",
            "endbetrag", "te betalen", "totaalbedrag", "factuur totaal", "totaal", "do zapłaty", "należność", "razem",
            "att betala", "totalt att betala", "at betale", "å betale", "maksettava", "yhteensä", "valor total",
            "total a pagar", "importe a pagar", "totale da pagare", "totale fattura",
        ] + InvoiceTerms.amountDue + [
            "ご請求金額", "合計金額", "총액", "合计", "总计", "amount:",
            "total paid", "amount charged", "charged", "paid", "total due", "amount due", "grand total",
            "gesamtbetrag", "rechnungsbetrag", "bezahlter betrag", "montant payé", "montant total", "total ttc", "importe total",
            "total pagado", "totale", "importo", "ご請求金額", "お支払い金額", "合計", "solde à payer", "brutto", "summe", "celkem", "gesamt", "total",
            "betrag",
            "montant", "importe",
        ]
    static let totalNeedleSet = NeedleSet(totalLabels.enumerated().filter { i, l in !totalLabels.prefix(i).contains(l) }.map(\.element))
    static let totalNeedles = totalNeedleSet.needles
    static let notTotalNeedles = Needles.of(notTotal)
    static let receiptNeedles = NeedleSet(receiptWords)
    static let notChargeNeedles = notCharges.map { (Array($0.0.utf8), $0.1) }
    static let notTotal = [
        "subtotal", "sub-total", "sub total", "subtotaal", "subtotale", "delsumma", "välisumma", "exclusief", "excl. btw",
        "excl. vat", "ex. btw", "total ht", "montant ht", "netto", "zwischensumme", "sous-total", "tax", "vat", "mwst", "ust", "tva", "iva",
        "discount", "rabatt", "credit", "balance", "previous", "消費税", "小計",
    ]

    /// Each step below is linear in the text read (at most `analysedBytes`); the budget's clock
    /// is looked at between them.
    /// The receipt a message is: read from its words, then from its structured data when it carries any.
    package static func read(_ message: MailMessage, index: VendorIndex, defaultCurrency: Currency, budget: MessageBudget) throws -> Receipt
    {
        var r = try readText(message, index: index, defaultCurrency: defaultCurrency, budget: budget)
        if let e = message.eInvoice {
            structured(&r, e) { message.subject + "\n" + message.readableText }
        } else if let d = message.declaredNotABill {
            declaredNotABill(&r, d)
        } else if let m = SchemaOrgReceipt.of(message) {
            structured(&r, m)
        }
        return r
    }

    package static func readText(_ message: MailMessage, index: VendorIndex, defaultCurrency: Currency, budget: MessageBudget) throws
        -> Receipt
    {
        var r = Receipt()
        // Vendor: the sender's domain; processors (`paidThrough`) and shared domains name the vendor in the text.
        // Mail from anyone else (most of an inbox) is dismissed before its text is read.
        // The From header is parsed once (every message has one): for the sender, or for a
        // forwarded receipt the original's.
        guard let from = message.fromAddress else {
            return try document(message, index: index, defaultCurrency: defaultCurrency, budget: budget)
        }
        let envelope = Envelope.of(message, from: from)
        let address = envelope.address
        r.forwardedBy = envelope.forwardedBy
        let (candidates, domain) = index.vendors(forSender: address)
        let viaProcessor = domain.map { VendorIndex.processors.contains($0) } ?? false
        let subject = envelope.subject
        let lowerSubject = LowerText(subject)
        if let store = AppStoreReceipt.store(ofSender: address, subject: lowerSubject) {
            return try appStore(store, message, envelope, r, index: index, defaultCurrency: defaultCurrency, budget: budget)
        }
        if let processor = ProcessorMerchant.processor(ofSender: address), !VendorIndex.sharedDomains.contains(processor),
            candidates.isEmpty || viaProcessor
        {
            return try paidThrough(
                processor, message, envelope, r, own: candidates, index: index, defaultCurrency: defaultCurrency, budget: budget)
        }
        if candidates.isEmpty && !viaProcessor {
            return try fromStranger(
                message, envelope, r, domain: domain, subject: lowerSubject, defaultCurrency: defaultCurrency, budget: budget)
        }
        // Mail from a vendor that is plainly not a charge (newsletters, trials) is dismissed too.
        if candidates.count == 1 && !viaProcessor, let hit = notChargeSubject(lowerSubject, subject) {
            r.vendor = candidates[0]
            r.notACharge = hit.1
            // A trial that ends on a date turns paid then: worth knowing before the first charge.
            if hit.1 == "trial notice" {
                r.trialEnds = trialEnd(in: subject + "\n" + String(Self.head(of: message.readableText).prefix(8_000)))
            }
            return r
        }
        r.date = envelope.sentAt
        // Receipts say what matters near the top; a 50 MB attachment is not read to the end.
        let text = Self.head(of: message.readableText)
        try budget.checkTime()
        if let d = domain {
            // The head is put together only when the domain alone does not say the vendor.
            r.vendor = index.vendor(among: candidates, domain: d, namedIn: subject + "\n" + leading(text, 4000))
            if r.vendor == nil, VendorIndex.sharedDomains.contains(d) {
                r.notACharge = "mail from \(d), which several companies' mail comes from, naming none of its software vendors"
                return r
            }
        }
        if r.vendor == nil {
            r.notACharge = "sender is not a known vendor"
            return r
        }
        if let hit = notChargeSubject(lowerSubject, subject) {
            r.notACharge = hit.1
            return r
        }
        if let hit = LookAlikeTitle.inSubject(subject, folded: lowerSubject), message.eInvoice == nil {
            (r.declared, r.notACharge) = (hit.kind, LookAlikeTitle.why(hit, in: "subject"))
            return r
        }
        try readCharge(
            &r, text: text, subject: subject, lowerSubject: lowerSubject, sender: Self.host(address),
            defaultCurrency: defaultCurrency, budget: budget, xml: message.eInvoice != nil)
        return r
    }

    /// Mail from a sender no vendor of the catalog has. The long tail: a receipt from a sender
    /// nobody registered may be shadow IT. Only mail whose subject says receipt or invoice has its
    /// text read (most of an inbox does not).
    static func fromStranger(
        _ message: MailMessage, _ envelope: Envelope, _ receipt: Receipt, domain: String?, subject lowerSubject: LowerText,
        defaultCurrency: Currency, budget: MessageBudget
    ) throws -> Receipt {
        var r = receipt
        let address = envelope.address
        r.notACharge = "sender is not a known vendor"
        // A colleague's forward that does not say who sent the original is not their company's subscription.
        if envelope.hidesOriginal {
            r.notACharge = "a forward that does not name the original sender"
            return r
        }
        // The subject first: the host is a walk over the address's characters, for every stranger's message.
        guard domain == nil, lowerSubject.contains(any: receiptNeedles), !lowerSubject.contains(any: notChargeSubjectNeedles),
            let host = Self.host(address)
        else { return r }
        let display = envelope.displayName.trimmed(.whitespaces)
        let registrable = RegistrableDomain.of(host)
        let named = (display.isEmpty || display.contains("@") ? registrable : String(display.prefix(80)), registrable)
        return try unknownSubscription(
            message, envelope, r, named: named, host: host, subject: lowerSubject, defaultCurrency: defaultCurrency, budget: budget)
    }

    /// The charge a receipt's text states: its total (negative for a credit note or refund), seats,
    /// invoice number and period; `notACharge` says why when it states none. `sender` is the host
    /// whose country may say the currency; `xml`: the message carries an e-invoice.
    static func readCharge(
        _ r: inout Receipt, text: String, subject: String, lowerSubject: LowerText, sender: String?, defaultCurrency: Currency,
        budget: MessageBudget, xml: Bool = false
    ) throws {
        // A message carrying an e-invoice is a bill by what its XML declares: what its words lacked (receipt
        // wording, a labelled total) or said (an invoice announced) does not make it none; the XML's fields come after.
        defer { if xml { (r.notACharge, r.declared) = (nil, nil) } }
        let lowerText = LowerText(text)
        guard lowerSubject.contains(any: receiptNeedles) || lowerText.contains(any: receiptNeedles) else {
            r.notACharge = "no receipt or invoice wording"
            return
        }
        if let hit = LookAlikeTitle.billedLater(subject: lowerSubject, text: text) {
            (r.declared, r.notACharge) = (hit.kind, LookAlikeTitle.why(hit, in: "text"))
            return
        }
        let found =
            total(in: text, sender: sender, defaultCurrency: defaultCurrency)
            ?? fallback(text, lowerSubject: lowerSubject, sender: sender, defaultCurrency: defaultCurrency)
        r.amount = found?.money
        r.currencyAssumed = found?.currencyAssumed
        r.currencyImplied = found?.currencyImplied
        r.how = found?.how ?? r.how
        r.rivals = found?.rivals ?? []
        if r.amount == nil { r.notACharge = "no labelled total" }
        if r.amount?.minor == 0 {
            (r.amount, r.how) = (nil, "labelled")
            r.notACharge = AmountDue.nothingDue
        }
        // A credit note or refund receipt pays money back: a negative charge.
        if let m = r.amount,
            m.minor < 0 || lowerSubject.contains(any: creditNeedles) || LowerText(leading(text, 400)).contains(any: creditNeedles)
        {
            r.amount = Money(minor: m.minor < 0 ? m.minor : -m.minor, currency: m.currency)
        }
        r.seats = seats(in: lowerText)
        r.prorated = lowerText.contains(any: proratedNeedles) || lowerSubject.contains(any: proratedNeedles)
        try budget.checkTime()
        r.invoiceNo = invoiceNumber(in: text + "\n" + subject)
        try budget.checkTime()
        r.period = period(in: lowerText) ?? period(in: lowerSubject)
    }

    static let analysedBytes = 256 * 1024

    /// The host of an address (`billing@hetzner.de` → `hetzner.de`).
    package static func host(_ address: String) -> String? {
        address.lastIndex(of: "@").map { String(address[address.index(after: $0)...]).lowercased() }
    }

    /// The first `n` characters of `text`: the text itself when it has no more bytes than that (no
    /// copy, no walk over its characters; most receipts are short).
    static func leading(_ text: String, _ n: Int) -> String { text.utf8.count <= n ? text : String(text.prefix(n)) }

    package static func head(of text: String) -> String {
        text.utf8.count <= analysedBytes ? text : String(decoding: text.utf8.prefix(analysedBytes), as: UTF8.self)
    }
}
