import FoundationEssentials
import OWCore
import OWIdentity

/// The one declaration of a charge waiting for review's output, beside its type: `scan review`
/// rows and the manual's OUTPUT come from it.
extension WaitingReview {
    public static let shape = Shape<WaitingReview>(
        [
            Field("id", "review: finding id") { .int($0.finding.id) },
            Field("vendor", "review: vendor name") { .text($0.finding.vendor) },
            .money("amount", "review: the amount read") { $0.finding.amount },
            Field("candidates", "review: the amounts the document could mean, the one read first") {
                .list($0.candidates.map(\.display))
            },
            Field("read_as", "review: structured, arithmetic, labelled, slip, statement or manual", kind: .code) { .text($0.readAs) },
            Field("confidence", "review: how sure the reader was, 0 to 1", kind: .number) {
                .json($0.confidence.map { JSON.number($0) } ?? .null)
            },
            Field("why", "review: why it waits", kind: .text) { .text($0.why) },
        ], table: ["id", "vendor", "candidates", "why"], keep: ["candidates", "why"])
}
