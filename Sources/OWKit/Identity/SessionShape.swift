import FoundationEssentials
import OWCore

/// The one declaration of a session's output, beside its type: `whoami` rows and the manual's
/// OUTPUT come from it.
extension Session {
    /// The session's token claims; every command that shows one has a verified token.
    public static let shape = Shape<Session>([
        Field("user", "user name") { .text($0.claims!.subject) },
        Field("role", "role") { .text($0.claims!.role.rawValue) },
        Field("org", "organisation") { .text($0.ledger.org) },
        Field("ledger_id", "ledger UUID") { .text($0.ledger.id) },
        Field("ledger", "ledger path") { .text($0.ledger.path) },
        Field("token_id", "the token's jti") { .text($0.claims!.id) },
        Field("expires_at", "RFC 3339 time", kind: .date) { .text($0.claims!.expiresAt) },
    ])
}
