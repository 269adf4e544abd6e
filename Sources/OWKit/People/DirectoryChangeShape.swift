import FoundationEssentials
import OWCore
import OWIdentity

/// The one declaration of a directory sync change's output, beside its type: `--json` rows, tables and the
/// manual's OUTPUT come from it.
extension DirectorySync.Change {
    public static let shape = Shape<DirectorySync.Change>(
        [
            Field("change", "user sync: add, email, dept, name, guest, offboard, missing, kept, ambiguous or offer", kind: .code) {
                .text($0.kind.rawValue)
            },
            Field("user", "user name") { .text($0.user) },
            Field("email", "email or null") { .text($0.email) },
            Field("what", "user sync: what changes", kind: .text) { .text($0.what) },
        ], keep: ["user", "what"])
}
