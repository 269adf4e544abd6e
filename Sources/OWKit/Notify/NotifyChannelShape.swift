import FoundationEssentials
import OWCore
import OWIdentity

/// The one declaration of a notification channel's output, beside its type: `--json` rows, tables and the
/// manual's OUTPUT come from it.
extension NotifyChannel {
    public static let shape = Shape<NotifyChannel>(
        [
            Field("name", "the channel's name") { .text($0.name) },
            Field("kind", "slack, teams, ntfy, webhook or email", kind: .code) { .text($0.kind.rawValue) },
            Field("target", "where it goes: a webhook URL masked to its scheme and host (never printed whole), or the address") {
                .text($0.masked)
            },
            Field("events", "the events it is sent") { .list($0.events.map(\.rawValue)) },
            Field("created_at", "RFC 3339", kind: .date) { .text($0.createdAt) },
        ], keep: ["name", "kind"])
}
