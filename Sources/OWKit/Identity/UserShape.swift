import FoundationEssentials
import OWCore

/// The one declaration of a person's output, beside its type: `--json` rows, tables and the
/// manual's OUTPUT come from it.
extension User {
    public static let shape = Shape<User>(
        [
            Field("name", "user name") { .text($0.name) },
            Field("role", "admin, employee or scanner", kind: .code) { .text($0.role.rawValue) },
            Field("dept", "department or null") { .text($0.dept) },
            Field("email", "email or null") { .text($0.email) },
            Field("status", "active or offboarded", kind: .code) { .text($0.status.rawValue) },
            Field("created_at", "RFC 3339 time", kind: .date) { .text($0.createdAt) },
            Field("offboarded_at", "RFC 3339 time or null", kind: .date) { .text($0.offboardedAt) },
            Field("full_name", "the person's full name or null") { .text($0.fullName) },
            Field("guest", "a guest of the office (user sync --include-guests): no leave allowance", kind: .code) { .bool($0.isGuest) },
            Field("directory_id", "the directory's id for the person (entra:…, google:…, okta:…, scim:…) or null", kind: .code) {
                .text($0.directoryID)
            },
        ], table: ["name", "role", "dept", "email", "status", "created_at", "offboarded_at", "full_name"], keep: ["name", "role"],
        dropFirst: ["offboarded_at", "created_at", "full_name", "dept", "email"])
}
