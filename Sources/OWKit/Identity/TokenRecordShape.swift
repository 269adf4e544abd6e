import FoundationEssentials
import OWCore

/// The one declaration of a token's output, beside its type: `--json` rows, tables and the
/// manual's OUTPUT come from it.
extension Users.TokenRecord {
    public static let shape = Shape<Users.TokenRecord>(
        [
            Field("jti", "token id", kind: .code) { .text($0.jti) },
            Field("user", "user name") { .text($0.user) },
            Field("role", "role at issue", kind: .code) { .text($0.role) },
            Field("issued_at", "RFC 3339", kind: .date) { .text($0.issuedAt) },
            Field("expires_at", "RFC 3339", kind: .date) { .text($0.expiresAt) },
            Field("revoked_at", "RFC 3339 or null", kind: .date) { .text($0.revokedAt) },
        ], keep: ["user", "expires_at"], dropFirst: ["issued_at", "role"])
}
