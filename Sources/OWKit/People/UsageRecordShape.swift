import FoundationEssentials
import OWCore
import OWIdentity

/// The one declaration of a seat's usage's output, beside its type: `--json` rows, tables and the
/// manual's OUTPUT come from it.
extension UsageRecord {
    public static let shape = Shape<UsageRecord>(
        [
            Field("license", "license name") { .text($0.license) },
            Field("user", "seat holder") { .text($0.user) },
            Field("last_active", "YYYY-MM-DD, or null for never", kind: .date) { .text($0.lastActive) },
            Field("source", "the export's format", kind: .code) { .text($0.source) },
            Field("imported_at", "RFC 3339", kind: .date) { .text($0.importedAt) },
        ], keep: ["user", "last_active"], dropFirst: ["imported_at", "source"])
}
