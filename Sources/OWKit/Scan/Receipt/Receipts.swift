import FoundationEssentials
import OWCore
import OWIdentity

/// The vendor catalog indexed for recognising mail and statement lines.
package struct VendorIndex {
    let byDomain: [String: [Vendor]]
    /// Lower-cased names and aliases as UTF-8, longest first.
    package let names: [(needle: [UInt8], vendor: Vendor, isAlias: Bool)]
    let byID: [Int64: Vendor]

    /// Senders that bill on a vendor's behalf: the vendor is named in the display name, subject or body.
    static var processors: Set<String> { ProcessorMerchant.hosts }

    /// Parent companies' domains their software bills from alongside everything else they send:
    /// mail from them is a vendor's only when it names the vendor.
    static let sharedDomains: Set<String> = ["amazon.com", "google.com", "microsoft.com", "apple.com"]

    package init(_ db: Database) throws {
        var byDomain: [String: [Vendor]] = [:]
        var names: [([UInt8], Vendor, Bool)] = []
        var byID: [Int64: Vendor] = [:]
        for v in try Vendors.list(db) {
            byID[v.id] = v
            for d in v.domains { byDomain[d.lowercased(), default: []].append(v) }
            names.append((Array(v.name.lowercased().utf8), v, false))
            for a in v.aliases where a.count >= 3 { names.append((Array(a.lowercased().utf8), v, true)) }
        }
        self.byDomain = byDomain
        self.names = names.sorted { $0.0.count > $1.0.count }
        self.byID = byID
    }

    /// Vendors whose billing domain is the sender's domain or a parent of it.
    package func vendors(forSender address: String) -> (vendors: [Vendor], domain: String?) {
        guard let at = address.lastIndex(of: "@") else { return ([], nil) }
        var domain = String(address[address.index(after: at)...]).lowercased()
        while domain.includes(".") {
            if let v = byDomain[domain] { return (v, domain) }
            domain = String(domain[domain.index(after: domain.firstIndex(of: ".")!)...])
        }
        return ([], nil)
    }

    /// The vendor mail or a document from `domain` is from: the domain's only vendor, or, when
    /// it is a parent company's shared domain (AWS and Amazon retail both mail from amazon.com) or
    /// several vendors bill from it, the one `text` names — never the domain's alone.
    package func vendor(among candidates: [Vendor], domain: String, namedIn text: @autoclosure () -> String) -> Vendor? {
        if VendorIndex.sharedDomains.contains(domain) || candidates.count > 1 { return vendor(namedIn: text(), among: candidates) }
        return candidates.first
    }

    /// The first catalog vendor named in `text` as a whole word (longest names first); by its
    /// name alone unless `aliases` (an alias such as Vercel's "Zeit" is a word in prose).
    package func vendor(namedIn text: String, among: [Vendor]? = nil, aliases: Bool = true, excluding: [Vendor] = []) -> Vendor? {
        let lower = LowerText(text)
        // A byte that may continue a word: ASCII letters and digits, and anything non-ASCII
        // (the bytes of é, の, …); "Slack," and "(Zoom)" match, "Slacker" does not.
        func wordByte(_ b: UInt8) -> Bool { b >= 0x80 || (b >= 48 && b <= 57) || (b | 0x20 >= 97 && b | 0x20 <= 122) }
        for (needle, v, isAlias) in names
        where (aliases || !isAlias) && (among.map({ $0.contains { $0.id == v.id } }) ?? true)
            && !excluding.contains(where: { $0.id == v.id })
        {
            var from = 0
            while let at = lower.find(needle, from: from) {
                let end = at + needle.count
                let before = at == 0 ? nil : lower.bytes[at - 1]
                let after = end == lower.bytes.count ? nil : lower.bytes[end]
                if !(before.map(wordByte) ?? false) && !(after.map { $0 >= 0x80 || ($0 | 0x20 >= 97 && $0 | 0x20 <= 122) } ?? false) {
                    return v
                }
                from = at + 1
            }
        }
        return nil
    }
}

/// What a message says about a payment.
public struct Receipt: Sendable {
    public var vendor: Vendor?
    public var amount: Money?
    public var invoiceNo: String?
    public var period: Period?
    /// The seats the charge is for, when it says ("3 seats", "Quantity: 3").
    public var seats: Int64?
    /// A partial-period charge ("prorated"): not comparable with the contract's price.
    public var prorated = false
    public var date: Date?
    /// A trial notice's end date (YYYY-MM-DD): the day the subscription turns paid.
    public var trialEnds: String?
    /// A subscription billed by a sender the catalog does not know: who, by name and registrable domain.
    public var unknownSender: (name: String, domain: String)?
    /// The processor that sent an unknown merchant's receipt (`stripe.com`): its finding says so.
    public var paidThrough: String?
    /// Set when nothing in the document (nor its sender's country) said the currency: why the
    /// amount's currency is the ledger's.
    public var currencyAssumed: String?
    /// Set when no symbol or code said the currency and the tax regime implied it (a VAT id's country): why.
    public var currencyImplied: String?
    /// Why the message is not a charge; nil when it is one.
    public var notACharge: String?
    /// What the document declares itself when that makes it no bill: its XML's vocabulary, root
    /// and type ("UBL Order", "CII CrossIndustryInvoice type 325"), or its title ("quote", "payment reminder").
    public var declared: String?
    /// Read from a forwarded block: the address that forwarded the message. Its charge is
    /// marked so, and a credit note or a large one waits for review (config scan.forward_review_above).
    public var forwardedBy: String?
    /// PDF attachments with no text layer (scans) when no amount was read: a person reads them (a review finding).
    public var unreadPDFs: UnreadPDFs?
    /// The e-invoice the message carries (Factur-X/ZUGFeRD in a PDF, or XML): what was read from it wins.
    public var eInvoice: EInvoice?
    /// What the words of the same message said, kept when an e-invoice overrode them (`scan inspect` shows both).
    public var textReading: TextReading?
    /// How the amount was read: "structured" (an e-invoice's XML or schema.org markup) or "text".
    public var readAs: String { eInvoice != nil || structuredMarkup ? "structured" : "text" }
    /// Read from schema.org markup (JSON-LD or microdata) in an HTML receipt.
    public var structuredMarkup = false
    /// How the words gave the total: "labelled", "arithmetic" (net + tax agreed), "slip" (a payment slip) or
    /// "fallback" (a bill's largest unlabelled amount: it waits for review).
    public var how = "labelled"
    /// Other amounts under a label as good as the total's, when nothing settled which is right.
    public var rivals: [Money] = []
    public var isCharge: Bool { notACharge == nil && vendor != nil && amount != nil }
}

/// What a message's words said, beside what its structured data said.
public struct TextReading: Sendable {
    public var amount: Money?
    public var date: Date?
    public var invoiceNo: String?
    public var currencyAssumed = false
    /// When the XML's total and the words' differ: whether they describe the same invoice, and why.
    public var agreement: String?
    /// The words describe another document than the XML (neither a total nor the number in common).
    public var anotherDocument = false
}

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
        ] + InvoiceTerms.invoice + InvoiceTerms.payment

    /// Labels of the amount that was paid, best first; line items, tax and subtotals never win.
    /// Words of a credit note or a refund receipt, in the subject or the head of the text.
    static let creditNeedles = Needles.of([
        "refund", "credit note", "credit memo", "gutschrift", "erstattung", "avoir", "remboursement",
        "nota de crédito", "reembolso", "rimborso", "nota di credito", "返金", "creditnota", "kreditnota",
    ])
    static let proratedNeedles = Needles.of([
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
    static let totalNeedles = Needles.of(totalLabels.enumerated().filter { i, l in !totalLabels.prefix(i).contains(l) }.map(\.element))
    static let totalNeedleMasks = totalNeedles.map(ByteMask.init)
    static let notTotalNeedles = Needles.of(notTotal)
    static let receiptNeedles = Needles.of(receiptWords)
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
            // The long tail: a receipt from a sender nobody registered may be shadow IT. Only mail
            // whose subject says receipt or invoice has its text read (most of an inbox does not).
            r.notACharge = "sender is not a known vendor"
            // A colleague's forward that does not say who sent the original is not their company's subscription.
            if envelope.hidesOriginal {
                r.notACharge = "a forward that does not name the original sender"
                return r
            }
            guard domain == nil, let host = Self.host(address), lowerSubject.contains(any: receiptNeedles),
                !lowerSubject.contains(any: notChargeSubjectNeedles)
            else { return r }
            let display = envelope.displayName.trimmed(.whitespaces)
            let registrable = RegistrableDomain.of(host)
            let named = (display.isEmpty || display.contains("@") ? registrable : String(display.prefix(80)), registrable)
            return try unknownSubscription(
                message, envelope, r, named: named, host: host, subject: lowerSubject, defaultCurrency: defaultCurrency, budget: budget)
        }
        // Mail from a vendor that is plainly not a charge (newsletters, trials) is dismissed too.
        if candidates.count == 1 && !viaProcessor, let hit = notChargeNeedles.first(where: { lowerSubject.contains($0.0) }) {
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
        if let hit = notChargeNeedles.first(where: { lowerSubject.contains($0.0) }) {
            r.notACharge = hit.1
            return r
        }
        if let hit = LookAlikeTitle.inSubject(subject) {
            (r.declared, r.notACharge) = (hit.kind, LookAlikeTitle.why(hit, in: "subject"))
            return r
        }
        try readCharge(
            &r, text: text, subject: subject, lowerSubject: lowerSubject, sender: Self.host(address),
            defaultCurrency: defaultCurrency, budget: budget)
        return r
    }

    /// The charge a receipt's text states: its total (negative for a credit note or refund), seats,
    /// invoice number and period; `notACharge` says why when it states none. `sender` is the host
    /// whose country may say the currency.
    static func readCharge(
        _ r: inout Receipt, text: String, subject: String, lowerSubject: LowerText, sender: String?, defaultCurrency: Currency,
        budget: MessageBudget
    ) throws {
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

    static let trialEndNeedles = Needles.of([
        "ends on", "will end on", "expires on", "ends", "expires", "until", "endet am", "läuft am",
        "se termine le", "expire le", "termina el", "vence el",
    ])

    /// The date after "ends on", "expires on", "until" … in a trial notice.
    static func trialEnd(in text: String) -> String? {
        let lower = LowerText(asciiFolding: Array(text.utf8)[...])
        for needle in trialEndNeedles {
            var from = 0
            while let at = lower.find(needle, from: from) {
                from = at + needle.count
                let rest = String(decoding: Array(text.utf8)[from..<min(from + 40, text.utf8.count)], as: UTF8.self)
                let words = rest.split(whereSeparator: { $0 == " " || $0 == "\n" }).map {
                    $0.trimmed(ScalarSet(charactersIn: ".,;:!()"))
                }
                for n in stride(from: min(4, words.count), through: 1, by: -1) {
                    if let day = UsageDates.day(words.prefix(n).joined(separator: " ")) { return day }
                }
            }
        }
        return nil
    }

    static let notChargeSubjectNeedles = Needles.of(["payment failed", "failed payment", "declined", "trial", "newsletter", "webinar"])
    /// One-off purchases, not subscriptions: retail, shipping, rides, travel.
    static let oneOffNeedles = Needles.of([
        "your order", "order confirmation", "shipped", "shipping", "delivery", "delivered", "tracking number",
        "your ride", "your trip", "trip with", "hotel", "booking", "reservation", "flight", "boarding",
        "bestellung", "commande", "pedido", "versand", "livraison", "fahrkarte", "train ticket", "billet de train",
    ])
    /// What a subscription's receipt says.
    static let subscriptionNeedles = Needles.of(
        [
            "subscription", "renew", "your plan", " plan", "per month", "/month", "monthly", "annual",
            "yearly", "billed", "billing period", "seats", "membership", "abonnement", "abo ", "suscripción",
            "next payment", "next billing", "recurring",
        ] + InvoiceTerms.subscription)

    /// A receipt from a sender the catalog does not know: a subscription (it names a plan, a
    /// period, seats, a renewal) with a total, or a one-off purchase and dismissed with the reason.
    static func unknownSubscription(
        _ message: MailMessage, _ envelope: Envelope, _ r: Receipt, named: (name: String, domain: String), host: String,
        subject: LowerText, defaultCurrency: Currency, budget: MessageBudget
    ) throws -> Receipt {
        var r = r
        if let hit = LookAlikeTitle.inSubject(envelope.subject) {
            (r.declared, r.notACharge) = (hit.kind, "sender is not a known vendor, and " + LookAlikeTitle.why(hit, in: "subject"))
            return r
        }
        let text = Self.head(of: message.readableText)
        try budget.checkTime()
        let lower = LowerText(text)
        // A processor's merchants sell software online: an order through FastSpring is not a parcel.
        if r.paidThrough == nil,
            subject.contains(any: oneOffNeedles) || LowerText(leading(text, 3000)).contains(any: oneOffNeedles)
        {
            r.notACharge =
                "sender is not a known vendor, and this is a one-off purchase (an order, a delivery, a ride or travel), not a subscription"
            return r
        }
        guard subject.contains(any: subscriptionNeedles) || lower.contains(any: subscriptionNeedles) else {
            r.notACharge = "sender is not a known vendor, and nothing says subscription (a plan, a period, seats, a renewal)"
            return r
        }
        guard
            let found = total(in: text, sender: host, defaultCurrency: defaultCurrency)
                ?? fallback(text, lowerSubject: subject, sender: host, defaultCurrency: defaultCurrency)
        else {
            r.notACharge = "sender is not a known vendor, and no labelled total"
            return r
        }
        guard found.money.minor != 0 else {
            r.notACharge = "sender is not a known vendor, and \(AmountDue.nothingDue)"
            return r
        }
        r.unknownSender = named
        r.amount = found.money
        r.currencyAssumed = found.currencyAssumed
        r.currencyImplied = found.currencyImplied
        r.how = found.how
        r.rivals = found.rivals
        r.date = envelope.sentAt
        r.invoiceNo = invoiceNumber(in: text + "\n" + envelope.subject)
        r.period = period(in: lower) ?? period(in: subject)
        r.notACharge = nil
        return r
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

    /// A document's total, and why its currency is the ledger's when nothing in it said one.
    package struct Total {
        package let money: Money
        package let currencyAssumed: String?
        var how = "labelled"
        var rivals: [Money] = []
        /// Why the currency is the one the tax regime implies, when nothing named one.
        package var currencyImplied: String?
    }

    /// The best-labelled amount: the highest-ranked label wins; among equals, the last one
    /// (totals come after line items). The amount sits after the label on its line or on the next.
    /// An amount with no currency of its own takes its line's, else the document's, else the
    /// sender's country's (`sender` is the sender's host), else the tax regime's (`TaxRegime`), else the ledger's — then
    /// said to be assumed.
    package static func total(in text: String, sender: String? = nil, defaultCurrency ledgerCurrency: Currency) -> Total? {
        if let slip = PaymentSlip.amount(in: text) { return Total(money: slip, currencyAssumed: nil, how: "slip") }
        // The head folded once for both searches (this runs on every receipt).
        let head = Array(leading(text, 20_000).utf8)
        let folded = LowerText(asciiFolding: head[...])
        var documentCurrency =
            declaredCurrency(head, folded: folded) ?? namedCurrency(folded: folded) ?? sender.flatMap(CountryCurrency.of)
        // Only when no symbol or code says otherwise: the currency the tax regime implies.
        let implied = documentCurrency == nil && currenciesNamed(folded: folded).isEmpty ? TaxRegime.currency(in: text) : nil
        documentCurrency = documentCurrency ?? implied?.currency
        let defaultCurrency = documentCurrency ?? ledgerCurrency
        // Lines trimmed of blanks, as bytes; only lines holding a label are decoded and parsed.
        var lines: [ArraySlice<UInt8>] = []
        let bytes = Array(text.utf8)
        for raw in bytes.split(separator: 10) {
            var line = raw
            while let f = line.first, f == 32 || f == 9 || f == 13 { line = line.dropFirst() }
            while let l = line.last, l == 32 || l == 9 || l == 13 { line = line.dropLast() }
            if !line.isEmpty { lines.append(line) }
        }
        func label(_ l: LowerText) -> (rank: Int, at: Int)? {
            // Only labels whose every byte the line holds are searched for (most of the ~130 are not).
            let mask = ByteMask(l.bytes)
            for (rank, needle) in totalNeedles.enumerated() where mask.covers(totalNeedleMasks[rank]) {
                if let at = l.find(needle) { return (rank, at) }
            }
            return nil
        }
        var best: (rank: Int, money: Money, assumed: Bool, bare: Bool)?
        var seen: [(rank: Int, money: Money)] = []
        var checked: (rank: Int, money: Money, assumed: Bool, bare: Bool)?
        var (bestLine, checkedLine) = (0, 0)
        var arithmetic = TotalArithmetic(currency: defaultCurrency)
        // An amount is digits on the label's line or the next: lines of prose around them (most
        // of a receipt) are not searched for the ~90 labels at all.
        let hasDigits = lines.map { $0.contains { $0 >= 48 && $0 <= 57 } }
        for (i, line) in lines.enumerated() {
            guard hasDigits[i] || (i + 1 < lines.count && hasDigits[i + 1]) else { continue }
            let l = LowerText(utf8: line)
            let kind = hasDigits[i] ? TotalArithmetic.kind(l) : .other
            arithmetic.note(kind, line: line)
            let labelled = kind == .net ? nil : label(l)
            if kind == .other && labelled == nil && hasDigits[i] { arithmetic.noteItem(line: line) }
            guard kind != .net, let (rank, at) = labelled else { continue }
            let before = LowerText(lowered: Array(l.bytes[..<at]))
            if notTotalNeedles.contains(where: { before.contains($0) || l.hasPrefix($0) }) { continue }
            // A gift card's or voucher's amount pays part of a total; it is none ("Gift Card Amount: -$23.31").
            if l.contains(any: AmountDue.deductionNeedles) { continue }
            // The amount after the label on its line (offsets hold when lower-casing kept the length).
            let labelEnd = at + totalNeedles[rank].count
            let after =
                l.bytes.count == line.count
                ? String(decoding: line.dropFirst(labelEnd), as: UTF8.self) : String(decoding: line, as: UTF8.self)
            let named = namedCurrency(String(decoding: line, as: UTF8.self))
            let lineCurrency = named ?? defaultCurrency
            let found =
                amounts(in: after, defaultCurrency: lineCurrency).last
                ?? (i + 1 < lines.count && label(LowerText(utf8: lines[i + 1])) == nil
                    ? amounts(in: String(decoding: lines[i + 1], as: UTF8.self), defaultCurrency: lineCurrency).first : nil)
            // A credit note's total is negative; a zero is a line of nothing (no surcharges).
            guard let found, found.money.minor != 0 else { continue }
            let candidate = (
                rank, found.money, !found.ownCurrency && named == nil && documentCurrency == nil, !found.ownCurrency && named == nil
            )
            if best == nil || rank <= best!.rank { (best, bestLine) = (candidate, i) }
            seen.append((rank, found.money))
            if arithmetic.isNetPlusTax(found.money) || arithmetic.isSumOfLines(found.money), checked == nil || rank <= checked!.rank {
                (checked, checkedLine) = (candidate, i)
            }
        }
        // The candidate equal to net + tax wins over better-ranked labels, except a refund's.
        if let c = checked, let b = best, !totalNeedles[b.rank].contains(Array("refund".utf8)) { (best, bestLine) = (c, checkedLine) }
        guard var best else { return nil }
        // Vouchers or gift cards below it that leave a smaller total (zero: nothing was charged) say what is due.
        func isTotal(_ l: LowerText) -> Bool {
            guard let at = label(l)?.at else { return false }
            let before = LowerText(lowered: Array(l.bytes[..<at]))
            return !notTotalNeedles.contains { before.contains($0) || l.hasPrefix($0) }
        }
        if let due = AmountDue.after(best.money, at: bestLine, lines: lines, currency: defaultCurrency, isTotal: isTotal) {
            best.money = due
            checked = best
        }
        // Two totals under the same label that say different things, with nothing to settle them: not sure.
        var rivals: [Money] = []
        if checked == nil {
            for s in seen where s.rank == best.rank && s.money != best.money && !rivals.contains(s.money) { rivals.append(s.money) }
        }
        return Total(
            money: best.money,
            currencyAssumed: best.assumed
                ? "no currency in the document or its sender's address; the ledger's (\(ledgerCurrency.code)) was assumed" : nil,
            how: checked.map { $0.money == best.money } == true ? "arithmetic" : "labelled", rivals: rivals,
            currencyImplied: best.bare ? implied?.why : nil)
    }

    /// The standard library's expressions, scalar by scalar with ICU's simple word boundaries, as
    /// NSRegularExpression matched them (RegexDifferentialTests compares the two).
    /// ICU's `\w` (`\b` is spelled `(?!\#(w))` after a word character: the standard library's
    /// simple boundaries differ from ICU's).
    package static let w = #"[\p{Alphabetic}\p{M}\p{Nd}\p{Pc}\u200C\u200D]"#

    static func expression(_ pattern: String) -> Regex<AnyRegexOutput> {
        try! Regex(pattern).matchingSemantics(.unicodeScalar).wordBoundaryKind(.simple)
    }

    /// What `AmountMatcher` finds by hand (kept for RegexDifferentialTests, which compares the two).
    nonisolated(unsafe) static let amountPattern = expression(
        #"(?:(?:US\$|CA\$|A\$|AU\$|NZ\$|HK\$|S\$|R\$|Rs\.?|[A-Z]{3})\s?|[$€£¥₹￥]\s?)?-?\d[\d.,' \u00A0]*\d(?:\s?(?:[€$£¥₹]|[A-Z]{3}(?!\#(w))|円|zł|kr(?!\#(w))))?|(?:[$€£¥₹]\s?)\d+"#
    )

    /// Currency marks a document or line may carry apart from its amounts ("Total EUR", "Rs",
    /// "₹", "zł", "CHF"): the code each means.
    static let currencyMarks: [(String, String)] = [
        ("€", "EUR"), ("£", "GBP"), ("₹", "INR"), ("rs.", "INR"), ("rs ", "INR"), ("zł", "PLN"),
        ("¥", "JPY"), ("円", "JPY"), ("₩", "KRW"), ("us$", "USD"), ("$", "USD"),
    ]
    static let currencyCodes = [
        "EUR", "USD", "GBP", "CHF", "INR", "JPY", "PLN", "SEK", "NOK", "DKK", "CZK", "AUD", "CAD", "NZD", "SGD", "HKD", "BRL", "MXN", "ZAR",
        "CNY", "KRW",
    ]

    static let currencyMarkNeedles = currencyMarks.map { (Array($0.0.utf8), $0.1) }
    /// The codes by their three lower-case letters packed in an integer.
    static let currencyCodeWords = Dictionary(
        uniqueKeysWithValues: currencyCodes.map { code in (code.lowercased().utf8.reduce(UInt32(0)) { $0 << 8 | UInt32($1) }, code) })

    /// The codes' three lower-case letters as bits of a 26×26×26 table: most three-letter words of
    /// prose are ruled out without hashing them.
    static let currencyCodeBits: [UInt64] = {
        var bits = [UInt64](repeating: 0, count: 26 * 26 * 26 / 64 + 1)
        for code in currencyCodes {
            let l = Array(code.lowercased().utf8).map { Int($0) - 97 }
            let n = l[0] * 676 + l[1] * 26 + l[2]
            bits[n >> 6] |= 1 << UInt64(n & 63)
        }
        return bits
    }()

    static func mayBeCurrencyCode(_ a: UInt8, _ b: UInt8, _ c: UInt8) -> Bool {
        guard a >= 97, a <= 122, b >= 97, b <= 122, c >= 97, c <= 122 else { return false }
        let n = Int(a - 97) * 676 + Int(b - 97) * 26 + Int(c - 97)
        return currencyCodeBits[n >> 6] & (1 << UInt64(n & 63)) != 0
    }

    static let currencyLabelNeedles = Needles.of(["währung", "wahrung", "currency", "devise", "moneda", "valuta", "waluta", "moeda"])

    /// The currency a document declares ("Währung: GBP", "Currency: USD", "Devise : EURO (EUR)"):
    /// it wins over the symbols printed beside amounts in other currencies. Byte searches (this
    /// runs on every receipt); the code is the first three capitals within a few bytes of the label.
    /// `folded` is `bytes` with ASCII letters lower-cased (same offsets).
    static func declaredCurrency(_ bytes: [UInt8], folded lower: LowerText) -> Currency? {
        func upper(_ b: UInt8) -> Bool { b >= 65 && b <= 90 }
        for needle in currencyLabelNeedles {
            var from = 0
            while let at = lower.find(needle, from: from) {
                from = at + needle.count
                var i = from
                let end = min(bytes.count - 3, from + 16)
                while i <= end, bytes[i] != 10 {
                    if upper(bytes[i]), upper(bytes[i + 1]), upper(bytes[i + 2]), i + 3 == bytes.count || !upper(bytes[i + 3]),
                        i == 0 || !upper(bytes[i - 1])
                    {
                        let code = String(decoding: bytes[i..<i + 3], as: UTF8.self)
                        if currencyCodes.contains(code), let c = try? Currency.parse(code) { return c }
                    }
                    i += 1
                }
            }
        }
        return nil
    }

    /// The one currency `text` names (symbols, codes as words of their own), or nil when it names
    /// none or several. Byte searches: this runs on every receipt.
    static func namedCurrency(_ text: String) -> Currency? { namedCurrency(folded: LowerText(asciiFolding: Array(text.utf8)[...])) }

    static func namedCurrency(folded l: LowerText) -> Currency? {
        let found = currenciesNamed(folded: l)
        guard found.count == 1, let code = found.first else { return nil }
        return try? Currency.parse(code)
    }

    /// The codes of the currencies `l` names by symbol or code.
    static func currenciesNamed(folded l: LowerText) -> Set<String> {
        var found = Set<String>()
        for (mark, code) in currencyMarkNeedles where l.find(mark) != nil { found.insert(code) }
        // Codes are words of their own: every three-letter word is looked up, in one pass.
        let b = l.bytes
        func isLetter(_ c: UInt8) -> Bool { (c >= 97 && c <= 122) || (c >= 65 && c <= 90) }
        var i = 0
        while i < b.count {
            guard isLetter(b[i]) else {
                i += 1
                continue
            }
            var end = i + 1
            while end < b.count && isLetter(b[end]) { end += 1 }
            if end - i == 3, mayBeCurrencyCode(b[i], b[i + 1], b[i + 2]),
                let code = currencyCodeWords[UInt32(b[i]) << 16 | UInt32(b[i + 1]) << 8 | UInt32(b[i + 2])]
            {
                found.insert(code)
            }
            i = end
        }
        // "$" comes with every "US$"; a US$ document is still one currency.
        if found.count == 2, found.contains("USD"), l.find(Array("us$".utf8)) != nil { found = ["USD"] }
        return found
    }

    /// Every amount written in `text`, in order, and whether it wrote its own currency.
    package static func amounts(in text: String, defaultCurrency: Currency) -> [(money: Money, ownCurrency: Bool)] {
        // Every amount has a digit: ASCII text with none is not handed to the expression (digits of
        // other scripts are non-ASCII).
        guard text.utf8.contains(where: { $0 >= 0x80 || ($0 >= 48 && $0 <= 57) }) else { return [] }
        let scalars = Array(text.unicodeScalars)
        return AmountMatcher.ranges(in: scalars).compactMap { range in
            var s = String(String.UnicodeScalarView(scalars[range])).trimmed(.whitespaces)
            if s.hasSuffix("円") { s = "JPY " + s.dropLast() }
            if s.hasPrefix("Rs") { s = "INR " + s.drop(while: { $0.isLetter || $0 == "." || $0 == " " }) }
            if s.hasSuffix("zł") { s = "PLN " + s.dropLast(2) }
            if s.hasSuffix("kr") { s = "SEK " + s.dropLast(2) }
            // A word that is not a currency before the number ("VAT 681.87") is not part of the amount.
            if let first = s.first, first.isLetter, s.prefix(3).allSatisfy({ $0.isUppercase }),
                (try? Currency.parse(String(s.prefix(3)))) == nil
            {
                s = String(s.dropFirst(3)).trimmed(.whitespaces)
            }
            // A bare number is an amount only with a currency written or a decimal part.
            let hasCurrency = s.contains(where: { "$€£¥₹".contains($0) }) || s.utf8.filter({ $0 >= 65 && $0 <= 90 }).count >= 3
            let hasDecimals = hasDecimalPart(s)
            guard hasCurrency || hasDecimals else { return nil }
            guard let money = try? MoneyParser.parse(s, defaultCurrency: defaultCurrency) as Money else { return nil }
            return (money, hasCurrency)
        }
    }

    /// Ends in `.d` or `.dd` (or with a comma): a written decimal part.
    static func hasDecimalPart(_ s: String) -> Bool {
        let b = Array(s.utf8.suffix(3))
        func digit(_ x: UInt8) -> Bool { x >= 48 && x <= 57 }
        func mark(_ x: UInt8) -> Bool { x == 46 || x == 44 }
        guard let last = b.last, digit(last), b.count >= 2 else { return false }
        return mark(b[b.count - 2]) || (b.count == 3 && digit(b[1]) && mark(b[0]))
    }

    static let invoiceWords = Needles.of([
        "invoice", "receipt", "rechnung", "gutschrift", "facture", "avoir", "factura", "fattura", "fatura", "factuur", "faktura",
        "lasku", "credit note", "n° de", "nº de", "numéro de", "número de", "order", "transaction", "請求書",
    ])
    /// Labels that name an order or a payment rather than the invoice: used only when no invoice number is found.
    static let weakInvoiceWords = Needles.of(["order", "transaction", "receipt"])

    /// An invoice's number after its label, in the languages receipts come in: `Invoice no.`,
    /// `Rechnungsnr.`, `N° de facture`, `Factuurnummer`, `Faktura nr`, `Laskun numero`, `請求書番号`.
    nonisolated(unsafe) static let invoicePattern = expression(
        #"(?i)(?:(?:n°|nº|no\.?|num[ée]ro|número)\s*(?:de\s+|di\s+|da\s+)?(?:la\s+)?(?:facture|factura|fattura|fatura)|invoice|receipt|rechnung|gutschrift|facture|avoir|factura|fattura|fatura|factuur|faktura|laskun?|credit note|order|transaction|請求書)(?:\p{L}*(?:\s+\(?\p{L}+\)?){0,3}\s*\(\d{3}\))?\s*(?:(?:number|no\.?|nr\.?|n°|nº|#|id|s?nummer|s?nr\.?|número|numero|番号)\s*(?:[:#.]\s*){0,2}([A-Z0-9][A-Z0-9\-_/.]{3,}|\d{2,3}(?![\d.,]))|[:#.]?\s*([A-Z0-9][A-Z0-9\-_/.]{3,}))"#
    )

    /// How much of a line after an invoice word, and of the next line, the expression sees:
    /// a number sits right after its label; reading further made a long line quadratic.
    static let invoiceWindow = 120
    /// At most this many labels are tried in one text (a line of `order ` × 20,000 is junk).
    static let maxInvoiceLabels = 200

    static func invoiceNumber(in text: String) -> String? {
        // The expression is tried, anchored, only where a line names an invoice (with the next
        // line, where the number may sit): ICU over whole messages was a tenth of a scan.
        // Invoice words are ASCII or caseless, so ASCII folding finds them at the original offsets.
        // Found in the whole text at once, tried in the order they are written.
        let bytes = Array(text.utf8)
        let lower = LowerText(asciiFolding: bytes[...])
        var starts: [Int] = []
        for needle in invoiceWords {
            var from = 0
            while let at = lower.find(needle, from: from) {
                starts.append(at)
                from = at + needle.count
            }
        }
        func lineEnd(from i: Int) -> Int { bytes[i...].firstIndex(of: 10) ?? bytes.count }
        var fallback: String?
        for (tried, at) in starts.sorted().enumerated() {
            if tried >= maxInvoiceLabels { return fallback }
            // An order or transaction number stands in only when no invoice number follows.
            let weak = weakInvoiceWords.contains { lower.bytes[at...].starts(with: $0) }
            // From the label to the end of its line, and the next line, each at most `invoiceWindow` bytes.
            let end = lineEnd(from: at)
            var window = String(decoding: bytes[at..<min(end, at + invoiceWindow)], as: UTF8.self)
            if end < bytes.count {
                window += "\n" + String(decoding: bytes[(end + 1)..<min(lineEnd(from: end + 1), end + 1 + invoiceWindow)], as: UTF8.self)
            }
            // A number is kept only with a digit in it: a window of ASCII with none is not handed to the expression.
            guard window.utf8.contains(where: { $0 >= 0x80 || ($0 >= 48 && $0 <= 57) }) else { continue }
            for m in anchoredMatches(of: invoicePattern, in: window) {
                guard let group = m.output[1].range ?? m.output[2].range else { continue }
                var v = String(window.unicodeScalars[group])
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

    /// NSRegularExpression's `.anchored` matches: the first at the start, each next where the
    /// last ended.
    static func anchoredMatches(of pattern: Regex<AnyRegexOutput>, in text: String) -> [Regex<AnyRegexOutput>.Match] {
        var out: [Regex<AnyRegexOutput>.Match] = []
        var from = text.startIndex
        while let m = try? pattern.prefixMatch(in: text[from...]) {
            out.append(m)
            guard m.range.upperBound > from else { break }
            from = m.range.upperBound
        }
        return out
    }

    static func isDateShaped(_ v: String) -> Bool {
        let parts = v.split(whereSeparator: { $0 == "/" || $0 == "-" }).map(\.count)
        guard parts.count == 3, v.allSatisfy({ $0.isNumber || $0 == "/" || $0 == "-" }) else { return false }
        return (parts[0] <= 2 && parts[1] <= 2 && (parts[2] == 2 || parts[2] == 4)) || (parts[0] == 4 && parts[1] <= 2 && parts[2] <= 2)
    }

    static let yearlyNeedles = Needles.of([
        "annual", "yearly", "per year", "/year", "/yr", "jährlich", "jahresabo", "annuel", "anual", "12 months",
    ])
    static let quarterlyNeedles = Needles.of(["quarterly", "per quarter", "vierteljährlich", "trimestriel"])
    static let weeklyNeedles = Needles.of(["weekly", "per week", "/week"])
    static let monthlyNeedles = Needles.of(["monthly", "per month", "/month", "/mo", "monatlich", "mensuel", "mensual", "mensile", "月額"])

    package static func period(in lower: LowerText) -> Period? {
        if lower.contains(any: yearlyNeedles) { return Period(count: 1, unit: .year) }
        if lower.contains(any: quarterlyNeedles) { return Period(count: 3, unit: .month) }
        if lower.contains(any: weeklyNeedles) { return Period(count: 1, unit: .week) }
        if lower.contains(any: monthlyNeedles) { return .monthly }
        return nil
    }

    package static func period(in text: String) -> Period? { period(in: LowerText(text)) }

    static let seatNeedles = Needles.of([
        "seats", "seat", "users", "user", "licenses", "licences", "license", "licence", "members", "member",
        "lizenzen", "sièges", "licencias",
    ])
    static let quantityNeedles = Needles.of(["quantity", "qty", "anzahl", "menge", "quantité", "cantidad"])

    /// "3 seats", "5 users", "Quantity: 3", "Qty 3": how many seats a charge is for (byte searches,
    /// at most the first 16 KB).
    package static func seats(in lower: LowerText) -> Int64? {
        let b = Array(lower.bytes.prefix(16_384))
        let text = LowerText(lowered: b)
        func digit(_ x: UInt8) -> Bool { x >= 48 && x <= 57 }
        func letter(_ x: UInt8) -> Bool { x >= 97 && x <= 122 }
        func number(endingBefore at: Int) -> Int64? {
            var e = at
            while e > 0 && b[e - 1] == 32 { e -= 1 }
            var s = e
            while s > 0 && digit(b[s - 1]) { s -= 1 }
            guard s < e, e - s <= 6, s == 0 || !letter(b[s - 1]) else { return nil }
            return Int64(String(decoding: b[s..<e], as: UTF8.self))
        }
        func number(startingAt at: Int) -> Int64? {
            var s = at
            while s < b.count && (b[s] == 32 || b[s] == UInt8(ascii: ":") || b[s] == UInt8(ascii: ".")) { s += 1 }
            var e = s
            while e < b.count && digit(b[e]) { e += 1 }
            guard s < e, e - s <= 6 else { return nil }
            return Int64(String(decoding: b[s..<e], as: UTF8.self))
        }
        for needle in seatNeedles {
            var from = 0
            while let at = text.find(needle, from: from) {
                from = at + needle.count
                guard at + needle.count >= b.count || !letter(b[at + needle.count]) else { continue }
                if let n = number(endingBefore: at), (1...100_000).contains(n) { return n }
            }
        }
        for needle in quantityNeedles {
            var from = 0
            while let at = text.find(needle, from: from) {
                from = at + needle.count
                if let n = number(startingAt: at + needle.count), (1...100_000).contains(n) { return n }
            }
        }
        return nil
    }
}
