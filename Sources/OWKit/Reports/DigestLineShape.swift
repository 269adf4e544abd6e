import FoundationEssentials
import OWCore
import OWIdentity
import OWOffice

/// The one declaration of a digest line's output, beside its type: `report digest` rows and the
/// manual's OUTPUT come from it.
extension DigestLine {
    public static let shape = Shape<DigestLine>(
        [
            Field("section", "renewal, decision, finding, request or reclaimable", kind: .code) { .text($0.section.rawValue) },
            Field("subject", "the license, finding or request (with its person)") { .text($0.subject) },
            Field("date", "the renewal, cancel-by, finding, request or last-active day", kind: .date) { .text($0.date) },
            Field("detail", "what it is", kind: .text) { .text($0.detail) },
            .money("amount", "the license's cost per period, the finding's or request's amount, or the seats' monthly cost") {
                $0.amount
            },
        ], keep: ["section", "subject"])
}
