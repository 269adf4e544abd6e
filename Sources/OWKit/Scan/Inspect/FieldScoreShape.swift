import FoundationEssentials
import OWCore
import OWIdentity
import OWOffice

/// The one declaration of a field score's output, beside its type: `scan eval` rows and the
/// manual's OUTPUT come from it.
extension FieldScore {
    public static let shape = Shape<FieldScore>(
        [
            Field(
                "field",
                "eval: charge (the document is one), vendor, amount (with its currency), date, invoice_no, or accepted (amount "
                    + "and currency on what a scan would take without review, the vendor aside)", kind: .code
            ) { .text($0.field) },
            Field("right", "eval: read and right", kind: .number) { .int(Int64($0.right)) },
            Field("wrong", "eval: read but wrong, or read from a look-alike", kind: .number) { .int(Int64($0.wrong)) },
            Field("missed", "eval: labelled but not read right", kind: .number) { .int(Int64($0.missed)) },
            Field("precision", "eval: right / (right + wrong), or null when nothing was read", kind: .number) { ratio($0.precision) },
            Field("recall", "eval: right / (right + missed), or null when nothing is labelled", kind: .number) { ratio($0.recall) },
            Field("held", "eval: read but held for review (confidence under scan.review_below), not taken", kind: .number) {
                .int(Int64($0.held))
            },
            Field("held_right", "eval: of those held, how many were read right", kind: .number) { .int(Int64($0.heldRight)) },
        ])

    /// A ratio as a JSON number, or null when there is none.
    static func ratio(_ r: String?) -> Value { .json(r.map { JSON.number($0) } ?? .null) }
}
