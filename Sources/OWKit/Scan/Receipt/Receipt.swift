import FoundationEssentials
import OWBase

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
