import FoundationEssentials
import OWCore
import OWIdentity

/// The one declaration of a charge's output, beside its type: `charge list` and `charge show`
/// rows, the field docs `scan inspect` shares, and the manual's OUTPUT come from it.
extension Charge {
    public static let shape = Shape<Charge>(
        [
            Field("id", "charge id") { .int($0.id) },
            Field("charged_on", "YYYY-MM-DD", kind: .date) { .text($0.chargedOn) },
            Field("vendor", "vendor name") { .text($0.vendor) },
            .money("amount", "the amount paid") { $0.amount },
            Field("license", "the license it pays for, or null") { .text($0.license) },
            Field("origin", "mail, statement or manual", kind: .code) { .text($0.origin) },
            Field("invoice_no", "invoice number or null", kind: .code) { .text($0.invoiceNo) },
            Field("period", "billing period the receipt names, or null", kind: .code) { .text($0.period) },
            Field("description", "subject, statement text or note", kind: .text) { .text($0.description) },
            Field("source", "where it was first seen, in words", kind: .text) { .text($0.source) },
            Field("refund_of", "a refund (negative amount): the charge it pays back, or null") { .int($0.refundOf) },
            Field(
                "forwarded_by",
                "read from a forwarded message: the address that forwarded it (the vendor is only that sender's word); null otherwise",
                kind: .text
            ) { .text($0.forwardedBy) },
            Field(
                "read_as", "how it was read: structured, arithmetic, labelled, slip, statement or manual; null before owatch kept it",
                kind: .code
            ) { .text($0.readAs) },
            Field("confidence", "how sure the reader was, 0 to 1; null before owatch kept it", kind: .number) {
                .json($0.confidence.map { JSON.number($0) } ?? .null)
            },
        ], table: ["id", "charged_on", "vendor", "amount", "license", "origin", "description"], keep: ["charged_on", "vendor", "amount"],
        dropFirst: ["origin", "license"], converts: true)
}

extension Charge {
    /// `charge show`: every place the payment was seen, too.
    public static let detailShape = shape.adding([
        Field("sources", "charge show: every place the payment was seen", kind: .text) { .list($0.sources) }
    ])
}
