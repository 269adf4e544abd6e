import FoundationEssentials
import OWBase

/// Trials, one-off purchases and the subscription wording of a sender the catalog does not know.
extension ReceiptReader {
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

    static let notChargeSubjectNeedles = NeedleSet(["payment failed", "failed payment", "declined", "trial", "newsletter", "webinar"])
    /// One-off purchases, not subscriptions: retail, shipping, rides, travel.
    static let oneOffNeedles = NeedleSet([
        "your order", "order confirmation", "shipped", "shipping", "delivery", "delivered", "tracking number",
        "your ride", "your trip", "trip with", "hotel", "booking", "reservation", "flight", "boarding",
        "bestellung", "commande", "pedido", "versand", "livraison", "fahrkarte", "train ticket", "billet de train",
    ])
    /// What a subscription's receipt says.
    static let subscriptionNeedles = NeedleSet(
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
        if let hit = LookAlikeTitle.inSubject(envelope.subject, folded: subject) {
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
}
