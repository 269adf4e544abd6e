import FoundationEssentials
import OWBase

/// The merchant a payment processor's mail is for: Stripe, Paddle, PayPal … send receipts on a
/// vendor's behalf, naming it in the display name ("Brightwave Analytics <invoice+statements@stripe.com>"),
/// the subject ("Your receipt from Brightwave Analytics #1234-5678") or a labelled line of the body
/// ("Merchant: Brightwave Analytics"). The processor itself is never the merchant.
package enum ProcessorMerchant {
    /// Hosts that send receipts for other companies (a sender's host or any parent of it).
    static let hosts: Set<String> = [
        "stripe.com", "paypal.com", "paddle.com", "paddle.net", "fastspring.com", "chargebee.com", "recurly.com", "2checkout.com",
        "braintreepayments.com", "braintree.com", "lemonsqueezy.com", "gumroad.com", "intuit.com", "apple.com", "google.com",
    ]

    /// Names that are the processor or a mailbox, not a merchant (lower case, whole name).
    static let notMerchants: Set<String> = [
        "stripe", "paddle", "paddle.com", "paypal", "fastspring", "chargebee", "recurly", "2checkout", "braintree", "lemon squeezy",
        "lemonsqueezy", "gumroad", "intuit", "quickbooks", "apple", "app store", "apple store", "itunes", "google", "google play",
        "google payments", "google pay", "billing", "receipts", "receipt", "invoices", "invoice", "payments", "payment", "support",
        "no-reply", "noreply", "team", "notifications", "service", "customer service", "accounts", "sales", "orders",
        "order", "purchase", "subscription", "plan", "monthly", "annual", "yearly", "latest", "new", "recent", "upcoming", "account",
    ]

    /// A processor's own name as a word of a display name ("Stripe Support", "PayPal Billing").
    static let brands: Set<String> = [
        "stripe", "paddle", "paypal", "fastspring", "chargebee", "recurly", "2checkout", "braintree", "gumroad", "lemonsqueezy",
    ]

    /// "Your receipt from X #12", "Payment to X", "Votre reçu de X": the words that come before a merchant's name.
    package static let before = [
        "receipt from ", "invoice from ", "payment to ", "payment from ", "purchase from ", "order from ", "order with ",
        "subscription to ", "receipt for ", "you paid ", "you sent a payment to ", "quittung von ", "rechnung von ", "zahlung an ",
        "reçu de ", "facture de ", "paiement à ", "recibo de ", "factura de ", "pago a ", "ricevuta da ", "pagamento a ",
        "kwitantie van ", "betaling aan ",
    ]
    /// "Your X receipt": the words a merchant's name sits between.
    static let around: [(String, [String])] = [
        ("your ", [" receipt", " invoice", " subscription", " payment", " order"]),
        ("ihre ", [" quittung", " rechnung"]),
    ]
    /// Labelled body lines naming the merchant.
    package static let labels = [
        "merchant:", "seller:", "vendor:", "sold by:", "sold by ", "händler:", "verkäufer:", "marchand :", "vendeur :",
    ]

    /// The merchant's name, or nil when the mail names none but the processor.
    static func named(displayName: String, subject: String, body: String) -> String? {
        if let name = clean(displayName) { return name }
        let lower = subject.lowercased()
        for word in before {
            guard let at = lower.utf8Range(of: word) else { continue }
            if let name = clean(String(subject[at.upperBound...])) { return name }
        }
        for (start, ends) in around {
            guard let s = lower.utf8Range(of: start) else { continue }
            for end in ends {
                guard let e = lower.utf8Range(of: end, from: s.upperBound) else { continue }
                if let name = clean(String(subject[s.upperBound..<e.lowerBound])) { return name }
            }
        }
        for line in body.split(separator: "\n").prefix(80) {
            let l = line.lowercased().trimmed(.whitespaces)
            guard let label = labels.first(where: { l.hasPrefix($0) }) else { continue }
            if let name = clean(String(line.trimmed(.whitespaces).dropFirst(label.count))) { return name }
        }
        return nil
    }

    /// A name cut at what follows it ("#1234", "(…)", " - ", " for "), without "via Stripe" and quotes;
    /// nil when it is empty, too long, a number or the processor's.
    package static func clean(_ raw: String) -> String? {
        var name = raw
        for stop in [" #", "#", " (", " [", " - ", " – ", " | ", ",", " for ", " on ", " via ", " über ", " par ", " por ", ".", "!", ":"] {
            if let r = name.lowercased().utf8Range(of: stop), r.lowerBound > name.startIndex {
                name = String(name[..<r.lowerBound])
            }
        }
        name = name.trimmed(ScalarSet(charactersIn: " \t\"'`“”«»<>"))
        let lower = name.lowercased()
        let alnum = name.filter { $0.isLetter || $0.isNumber }
        guard alnum.count >= 2, name.count <= 60, !name.includes("@"), name.first.map({ !$0.isNumber }) ?? false,
            !notMerchants.contains(lower), name.split(separator: " ").count <= 6,
            lower.split(separator: " ").allSatisfy({ !brands.contains(String($0)) })
        else { return nil }
        return name
    }

    /// The key an unknown merchant's findings are grouped by, as statement lines group theirs
    /// (`merchant=brightwaveanalytics`): its mail and its card lines are one finding.
    static func findingDomain(_ name: String) -> String {
        "merchant=" + name.lowercased().filter { $0.isLetter || $0.isNumber }
    }

    /// Whether an address may end with one of `suffixes` (lower case): an ASCII address's lower-cased
    /// copy is compared (one short copy: the suffixes' generic byte-by-byte tests were a tenth of a debug
    /// scan's reading); an address with other letters is always a maybe (the Kelvin sign is a k lower-cased).
    static func endsWithAny<S: Sequence<String>>(_ address: String, _ suffixes: S) -> Bool {
        guard address.utf8.allSatisfy({ $0 < 0x80 }) else { return true }
        // ASCII against lower-case ASCII suffixes: bytes, ignoring case, say what a lower-cased copy's
        // `hasSuffix` (characters) did, at a fraction of its cost on every message (issue 32, scan speed).
        return suffixes.contains { address.hasSuffixIgnoringASCIICase($0) }
    }

    /// The processor host a sender's address belongs to (`invoice+statements@stripe.com` → `stripe.com`).
    package static func processor(ofSender address: String) -> String? {
        // Most senders are no processor: told by the address's end, without a lower-cased copy
        // (an address with non-ASCII letters is lower-cased: the Kelvin sign is a k then).
        guard endsWithAny(address, hosts), let at = address.lastIndex(of: "@")
        else { return nil }
        var host = String(address[address.index(after: at)...]).lowercased()
        while host.includes(".") {
            if hosts.contains(host) { return host }
            host = String(host[host.index(after: host.firstIndex(of: ".")!)...])
        }
        return nil
    }
}

extension ReceiptReader {
    /// Mail from a payment processor: the merchant it names is the vendor (a catalog vendor, else
    /// an unknown one); only mail naming no merchant is the processor's own bill (`own`).
    package static func paidThrough(
        _ processor: String, _ message: MailMessage, _ envelope: Envelope, _ r: Receipt, own: [Vendor], index: VendorIndex,
        defaultCurrency: Currency, budget: MessageBudget
    ) throws -> Receipt {
        var r = r
        let subject = envelope.subject
        let lowerSubject = LowerText(subject)
        guard let text = try textUnlessDismissed(&r, message, envelope, subject: lowerSubject, budget: budget) else { return r }
        let top = subject + "\n" + String(text.prefix(4000))
        let merchant = ProcessorMerchant.named(displayName: envelope.displayName, subject: subject, body: String(text.prefix(8000)))
        if let merchant {
            r.vendor = index.vendor(namedIn: merchant, excluding: own)
            if r.vendor == nil {
                guard lowerSubject.contains(any: receiptNeedles) || LowerText(String(text.prefix(4000))).contains(any: receiptNeedles)
                else {
                    r.notACharge = "\(merchant) (through \(processor)) is not a known vendor, and no receipt or invoice wording"
                    return r
                }
                r.paidThrough = processor
                return try unknownSubscription(
                    message, envelope, r, named: (merchant, ProcessorMerchant.findingDomain(merchant)), host: processor,
                    subject: lowerSubject, defaultCurrency: defaultCurrency, budget: budget)
            }
        } else {
            r.vendor = index.vendor(namedIn: top, excluding: own) ?? own.first
        }
        guard r.vendor != nil else {
            r.notACharge = "mail from \(processor), a payment processor, naming no merchant"
            return r
        }
        try readCharge(
            &r, text: text, subject: subject, lowerSubject: lowerSubject, sender: nil, defaultCurrency: defaultCurrency, budget: budget)
        return r
    }
}
