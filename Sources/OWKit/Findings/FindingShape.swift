import FoundationEssentials
import OWCore
import OWIdentity

/// The one declaration of a finding's output, beside its type: `scan findings` rows, a scan's
/// `--json` findings and the payload hooks (post-scan) and notifications receive come from it.
extension Finding {
    /// A finding as `--json` rows, tables, the manual's OUTPUT, `scan --json` and hook and
    /// notification payloads (`event`) show it.
    public static let shape = Shape<Finding>(
        [
            Field("id", "finding id") { .int($0.id) },
            Field("kind", FindingKind.allCases.map(\.rawValue).joined(separator: ", "), kind: .code) { .text($0.kind.rawValue) },
            Field("status", "open, adopted, ignored or resolved", kind: .code) { .text($0.status.rawValue) },
            Field("vendor", "vendor name") { .text($0.vendor) },
            Field("license", "the license concerned") { .text($0.license) },
            .money("amount", "the amount charged") { $0.amount },
            .money("monthly", "monthly estimate or cost") { $0.monthly },
            Field("summary", "what was found", kind: .text) { .text($0.summary) },
            Field("created_at", "RFC 3339", kind: .date) { .text($0.createdAt) },
            Field("note", "why it was ignored, or what resolved it", kind: .text) { .text($0.note) },
            Field("charge_id", "the charge it is about (see owatch charge show), or null") { .int($0.chargeID) },
            Field(
                "currency_assumed",
                "true when the document named no currency (nor did its sender's country): the amount is in the ledger's currency, assumed; scan inspect says why"
            ) { .bool($0.currencyAssumed) },
        ], table: ["id", "kind", "vendor", "amount", "monthly", "summary"], keep: ["amount", "monthly", "summary"], dropFirst: ["vendor"])

    /// What hooks and notifications receive: the `--json` row's keys, in its order. Its `currency`
    /// is the monthly estimate's when there is no amount, as hooks always had it (the row's
    /// money rule takes it from `amount` only).
    package var event: JSON {
        let currency = (amount ?? monthly).map { JSON.string($0.currency.code) } ?? .null
        return .obj(Exporter.flatten(Finding.shape.record(self)).map { $0.0 == "currency" ? ($0.0, currency) : $0 })
    }
}
