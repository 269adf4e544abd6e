import FoundationEssentials
import OWCore
import OWIdentity

/// The one declaration of an outbox item's output, beside its type: `--json` rows, tables and the
/// manual's OUTPUT come from it.
extension OutboxItem {
    public static let shape = Shape<OutboxItem>(
        [
            Field("id", "outbox item id", kind: .number) { .int($0.id) },
            Field("event", "renewal, cancel-by, finding, request, approval, rejection or digest", kind: .code) { .text($0.event) },
            Field("subject", "what it is about: license:ID, request:ID, finding:ID or week") { .text($0.subject) },
            Field("day", "the day of its key: the renewal, cancel-by date, event day or the week's Monday", kind: .date) { .text($0.day) },
            Field("lead", "a reminder's lead time (empty for other events)", kind: .code) { .text($0.lead) },
            Field("channel", "the channel it goes to") { .text($0.channel) },
            Field("status", "pending, delivering, delivered, failed, or stale (its reminder no longer applies)", kind: .code) {
                .text($0.status.rawValue)
            },
            Field("attempts", "tries so far", kind: .number) { .int($0.attempts) },
            Field("next_at", "RFC 3339: when it is tried next, if pending", kind: .date) { .text($0.nextAt) },
            Field("http_status", "the last HTTP status received (null: none)", kind: .number) { .int($0.httpStatus) },
            Field("error", "why the last try failed", kind: .text) { .text($0.lastError) },
            Field("created_at", "RFC 3339: when it was queued", kind: .date) { .text($0.createdAt) },
            Field("delivered_at", "RFC 3339: when the receiver accepted it", kind: .date) { .text($0.deliveredAt) },
        ], table: ["id", "event", "subject", "day", "lead", "channel", "status", "attempts", "error"], keep: ["id", "status"],
        dropFirst: ["lead", "day", "attempts"])
}
