import FoundationEssentials
import OWCore

/// The one declaration of an audit event's output, beside its type: `--json` rows, tables and the
/// manual's OUTPUT come from it.
extension AuditEvent {
    public static let shape = Shape<AuditEvent>(
        [
            Field("seq", "position in the chain") { .int($0.seq) },
            Field("time", "RFC 3339", kind: .date) { .text($0.time) },
            Field("actor", "user name") { .text($0.actor) },
            Field("role", "actor's role", kind: .code) { .text($0.role) },
            Field("action", "e.g. user.add") { .text($0.action) },
            Field("object", "what was changed") { .text($0.object) },
            Field("details", "JSON object", kind: .text) { .json((try? JSON.parse($0.details)) ?? .string($0.details)) },
            Field("hash", "hex SHA-256") { .text($0.hash) },
        ], keep: ["time", "action"], dropFirst: ["hash", "role"])
}
