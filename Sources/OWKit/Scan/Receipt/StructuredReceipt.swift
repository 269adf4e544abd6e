import FoundationEssentials
import OWBase

/// Structured data overriding a receipt read from words: the e-invoice's XML or the mail's
/// schema.org markup says the amount, number, date and seller exactly.
extension ReceiptReader {
    /// `page`: the message's words (subject and text), looked at only when the totals differ.
    static func structured(_ r: inout Receipt, _ e: EInvoice, page: () -> String) {
        r.eInvoice = e
        let agreement = XMLPageAgreement.of(e, page: r.amount, pageNumber: r.invoiceNo, pageText: page)
        apply(&r, amount: e.amount, number: e.number, date: e.issueDate, period: period(from: e.periodStart, to: e.periodEnd))
        r.textReading?.agreement = agreement?.why
        r.textReading?.anotherDocument = agreement?.anotherDocument ?? false
    }

    /// A document whose XML declares it no bill (an order, a despatch advice, a proforma invoice):
    /// no charge, whatever total its words print; `scan inspect` shows what the words said.
    static func declaredNotABill(_ r: inout Receipt, _ d: DeclaredDocument) {
        r.declared = d.name
        r.textReading = TextReading(amount: r.amount, date: r.date, invoiceNo: r.invoiceNo, currencyAssumed: r.currencyAssumed != nil)
        (r.amount, r.rivals, r.unknownSender, r.currencyAssumed, r.currencyImplied) = (nil, [], nil, nil, nil)
        r.notACharge = d.notABill
    }

    static func structured(_ r: inout Receipt, _ m: SchemaOrgReceipt) {
        guard m.amount != nil else { return }
        r.structuredMarkup = true
        apply(&r, amount: m.amount, number: m.number, date: m.date, period: nil)
        // An unknown sender's receipt (a processor's, often) is named after the seller its markup names.
        if let sender = r.unknownSender, let seller = m.seller?.trimmed(.whitespacesAndNewlines), !seller.isEmpty {
            r.unknownSender = (seller, sender.domain)
        }
    }

    private static func apply(_ r: inout Receipt, amount: Money?, number: String?, date: String?, period: Period?) {
        r.textReading = TextReading(amount: r.amount, date: r.date, invoiceNo: r.invoiceNo, currencyAssumed: r.currencyAssumed != nil)
        if let amount {
            r.amount = amount
            r.currencyAssumed = nil
        }
        r.invoiceNo = number ?? r.invoiceNo
        r.date = date.flatMap { Time.parseDay(String($0.prefix(10))) } ?? r.date
        if r.period == nil { r.period = period }
        // The seller's name alone never picks a catalog vendor ("Azure Interior" is not Microsoft Azure):
        // who sent it, or the billing domain the document prints, still does.
    }

    /// A billing period of about a month or a year, as the cadence it is; nil otherwise.
    package static func period(from start: String?, to end: String?) -> Period? {
        guard let a = start.flatMap(Time.parseDay), let b = end.flatMap(Time.parseDay) else { return nil }
        let days = Int((b.timeIntervalSince(a) / 86_400).rounded()) + 1
        if (27...32).contains(days) { return .monthly }
        if (360...367).contains(days) { return .yearly }
        return nil
    }
}
