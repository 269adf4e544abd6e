import FoundationEssentials
import OWCore
import OWIdentity

/// The one declaration of a delivery attempt's output, beside its type: `--json` rows, tables and the
/// manual's OUTPUT come from it.
extension DeliveryAttempt {
    public static let shape = Shape<DeliveryAttempt>(
        [
            OutboxItem.shape.field("id").pulledBack(\.item), OutboxItem.shape.field("event").pulledBack(\.item),
            OutboxItem.shape.field("subject").pulledBack(\.item), OutboxItem.shape.field("channel").pulledBack(\.item),
            Field("outcome", "delivered, retrying (tried again later), failed (no tries left) or stale (not sent)", kind: .code) {
                .text($0.outcome.rawValue)
            },
            Field("http_status", "the HTTP status received (null: none)", kind: .number) { .int($0.http.map(Int64.init)) },
            Field("error", "why it failed", kind: .text) { .text($0.error) },
        ], keep: ["id", "outcome"])
}
