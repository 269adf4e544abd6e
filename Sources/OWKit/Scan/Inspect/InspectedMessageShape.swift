import FoundationEssentials
import OWCore
import OWIdentity
import OWOffice
import OWReaders

/// `scan inspect`: a message as owatch reads it.
public struct InspectedMessage: Sendable {
    public let message: MailMessage
    public let receipt: Receipt
    public let types: [String]
    public let texts: [String]

    public init(message: MailMessage, receipt: Receipt, types: [String], texts: [String]) {
        self.message = message
        self.receipt = receipt
        self.types = types
        self.texts = texts
    }
}

/// The one declaration of a message's output as `scan inspect` reads it, beside its type:
/// `scan inspect FILE` rows and the manual's OUTPUT come from it.
extension InspectedMessage {
    public static let shape = Shape<InspectedMessage>([
        Field("subject", "inspect: the message's Subject") { .text($0.message.subject) },
        Field("from", "inspect: its From") { .text($0.message.from) },
        Field("date", "inspect: its Date", kind: .date) { .text($0.message.date) },
        Field("message_id", "inspect: its Message-ID") { .text($0.message.messageID) },
        Field("parts", "inspect: the MIME types of its parts") { .list($0.types) },
        Field("texts", "inspect: the decoded texts (text parts and PDF attachments)") { .list($0.texts) },
        Field("vendor", "vendor name") { .text($0.receipt.vendor?.name) },
        Field("unknown_vendor", "inspect: a sender the catalog does not know, with its domain") {
            let via = $0.receipt.paidThrough.map { "paid through \($0)" }
            return .text($0.receipt.unknownSender.map { "\($0.name) (\(via ?? $0.domain))" })
        },
        Field(
            "charge_date",
            "inspect: the day the charge is dated, YYYY-MM-DD: the mail's Date, or for a document on its own (a PDF) the date it is issued on"
        ) { .text($0.receipt.date.map(Time.day)) },
        .money("amount", "the amount charged") { $0.receipt.amount },
        Field("currency_assumed", Finding.shape.field("currency_assumed").doc) { .bool($0.receipt.currencyAssumed != nil) },
        Field("currency_note", "inspect: why the currency was assumed, or implied by the tax regime (a VAT id's country)") {
            .text($0.receipt.currencyAssumed ?? $0.receipt.currencyImplied)
        },
        Field("invoice_no", "inspect: the invoice number") { .text($0.receipt.invoiceNo) },
        Field("period", "inspect: the billing period it names") { .text($0.receipt.period?.description) },
        Field("trial_ends", "inspect: a trial's last day", kind: .date) { .text($0.receipt.trialEnds) },
        Field("no_text_layer", "inspect: PDF attachments with no text layer (scanned images) that a person has to read") {
            .list($0.message.pdfsWithoutText)
        },
        Field("is_charge", "inspect: true when it is a charge") { .bool($0.receipt.isCharge) },
        Field("not_a_charge", "inspect: why it is not a charge") { .text($0.receipt.notACharge) },
        Field(
            "declared",
            "inspect: what the document declares itself when that makes it no bill: its XML's vocabulary, root element and type code (UBL Order, CII CrossIndustryInvoice type 325) or its title (quote, payment reminder)"
        ) { .text($0.receipt.declared) },
        Field("forwarded_by", Charge.shape.field("forwarded_by").doc) { .text($0.receipt.forwardedBy) },
        Field("read_as", "inspect: structured (an e-invoice's XML or schema.org markup, which wins) or text") { .text($0.receipt.readAs) },
        Field("how_read", "inspect: how the amount was read: structured, arithmetic (net + tax agree), labelled or slip", kind: .code) {
            .text($0.receipt.amount == nil ? nil : $0.receipt.method)
        },
        Field("confidence", "inspect: how sure the reader is of the amount, 0 to 1 (under scan.review_below it waits for review)") {
            .json($0.receipt.amount == nil ? .null : .number(String($0.receipt.confidence)))
        },
        Field("candidates", "inspect: the amounts the document could mean, the one read first") {
            .list($0.receipt.candidates.map(\.display))
        },
        .money("text_amount", "inspect: the amount the words said, when structured data overrode them") {
            $0.receipt.textReading?.amount
        },
        Field("text_date", "inspect: the day the words said, when structured data overrode them", kind: .date) {
            .text($0.receipt.textReading?.date.map(Time.day))
        },
        Field("text_invoice_no", "inspect: the invoice number the words said, when structured data overrode them") {
            .text($0.receipt.textReading?.invoiceNo)
        },
        Field("text_currency_assumed", "inspect: whether the words' amount had its currency assumed") {
            .bool($0.receipt.textReading?.currencyAssumed ?? false)
        },
        Field(
            "text_agreement",
            "inspect: when the XML's total and the words' differ, whether they describe the same invoice (a total or the invoice number in common: the XML wins) or another document (held for review), and why"
        ) { .text($0.receipt.textReading?.agreement) },
        Field("einvoice", "inspect: the e-invoice's syntax (CII: Factur-X, ZUGFeRD, XRechnung CII; UBL: XRechnung UBL, Peppol BIS)") {
            .text($0.receipt.eInvoice?.syntax)
        },
        Field("seller", "inspect: the e-invoice's seller") { .text($0.receipt.eInvoice?.sellerName) },
        Field("seller_vat", "inspect: the seller's VAT id") { .text($0.receipt.eInvoice?.sellerVAT) },
        Field("issue_date", "inspect: the e-invoice's issue date", kind: .date) { .text($0.receipt.eInvoice?.issueDate) },
        Field("type_code", "inspect: the e-invoice's type code (380 invoice, 381 credit note)") { .text($0.receipt.eInvoice?.typeCode) },
        Field("billing_period", "inspect: the e-invoice's billing period, START..END") { .text($0.receipt.eInvoice?.period) },
        Field("lines", "inspect: the e-invoice's line count", kind: .number) { .int($0.receipt.eInvoice.map { Int64($0.lines) }) },
    ])
}
