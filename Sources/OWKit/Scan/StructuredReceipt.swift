import FoundationEssentials

/// Structured data overriding a receipt read from words: the e-invoice's XML or the mail's
/// schema.org markup says the amount, number, date and seller exactly.
extension ReceiptReader {
    static func structured(_ r: inout Receipt, _ e: EInvoice, index: VendorIndex) {
        r.eInvoice = e
        apply(
            &r, amount: e.amount, number: e.number, date: e.issueDate, seller: e.sellerName, index: index,
            period: period(from: e.periodStart, to: e.periodEnd))
    }

    static func structured(_ r: inout Receipt, _ m: SchemaOrgReceipt, index: VendorIndex) {
        guard m.amount != nil else { return }
        r.structuredMarkup = true
        apply(&r, amount: m.amount, number: m.number, date: m.date, seller: m.seller, index: index, period: nil)
    }

    private static func apply(
        _ r: inout Receipt, amount: Money?, number: String?, date: String?, seller: String?, index: VendorIndex, period: Period?
    ) {
        r.textReading = TextReading(amount: r.amount, date: r.date, invoiceNo: r.invoiceNo)
        if let amount {
            r.amount = amount
            r.currencyAssumed = nil
        }
        r.invoiceNo = number ?? r.invoiceNo
        r.date = date.flatMap { Time.parseDay(String($0.prefix(10))) } ?? r.date
        if r.period == nil { r.period = period }
        guard r.vendor == nil, let seller = seller?.trimmed(.whitespacesAndNewlines), !seller.isEmpty else { return }
        // The seller the document names is the vendor, known to the catalog or not: it is an invoice either way.
        if let v = index.vendor(namedIn: seller) {
            r.vendor = v
            r.unknownSender = nil
        } else {
            r.unknownSender = (seller, r.unknownSender?.domain ?? seller.lowercased())
        }
        if r.notACharge != nil && r.trialEnds == nil { r.notACharge = nil }
    }

    /// A billing period of about a month or a year, as the cadence it is; nil otherwise.
    static func period(from start: String?, to end: String?) -> Period? {
        guard let a = start.flatMap(Time.parseDay), let b = end.flatMap(Time.parseDay) else { return nil }
        let days = Int((b.timeIntervalSince(a) / 86_400).rounded()) + 1
        if (27...32).contains(days) { return .monthly }
        if (360...367).contains(days) { return .yearly }
        return nil
    }
}
