import FoundationEssentials
import OWCore
import OWOffice
import OWReaders

/// A charge as observed, before it is matched: what a receipt or a statement line says was paid
/// (the `Receipt` stage's output turned into what the matcher is given, `ScanItem.of`), or a
/// payment entered by hand.
package struct ObservedCharge {
    package let key: String
    package let origin: String
    package let vendor: Vendor
    package let amount: Money
    package let on: Date
    package let invoiceNo: String?
    package let period: Period?
    package let description: String
    /// The seats a receipt says it is for, and whether it covers a partial period.
    package var seats: Int64? = nil
    var prorated = false
    /// The document named no currency: the amount is in the ledger's, assumed.
    package var currencyAssumed = false
    /// Read from a forwarded message: who forwarded it.
    package var forwardedBy: String? = nil
    /// How it was read and how sure the reader was (nil: a statement line or an entry, read as such, 1).
    package var readAs: String? = nil
    package var confidence: Double? = nil
    /// The amounts a document could mean (the one read first), and why the reader is not sure.
    package var candidates: [Money] = []
    var doubt: String? = nil

    package var method: String { readAs ?? (origin == "statement" ? "statement" : "manual") }
    var sureness: Double { confidence ?? 1 }
}

extension ObservedCharge {
    /// The charge a message's receipt observed, keyed by the message: nil when the receipt is no
    /// charge or names no vendor or amount. A message with no date is dated `now`.
    static func of(_ receipt: Receipt, key: String, subject: String, now: Date) -> ObservedCharge? {
        guard receipt.isCharge, let vendor = receipt.vendor, let amount = receipt.amount else { return nil }
        return ObservedCharge(
            key: key, origin: "mail", vendor: vendor, amount: amount, on: receipt.date ?? now,
            invoiceNo: receipt.invoiceNo, period: receipt.period,
            description: receipt.readAs == "structured" ? "\(subject) (read structured)" : subject,
            seats: receipt.seats, prorated: receipt.prorated, currencyAssumed: receipt.currencyAssumed != nil,
            forwardedBy: receipt.forwardedBy, readAs: receipt.method, confidence: receipt.confidence, candidates: receipt.candidates,
            doubt: receipt.doubt)
    }
}
