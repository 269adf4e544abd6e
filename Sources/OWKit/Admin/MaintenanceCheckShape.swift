import FoundationEssentials
import OWChannel
import OWCore
import OWIdentity
import OWOffice
import OWReports

/// The one declaration of a doctor check's output, beside its type: `--json` rows, tables and the
/// manual's OUTPUT come from it.
extension Maintenance.Check {
    public static let shape = Shape<Maintenance.Check>(
        [
            Field("check", "what was checked") { .text($0.name) },
            Field("status", "ok, warn or fail", kind: .code) { .text($0.status.rawValue) },
            Field("detail", "what was found", kind: .text) { .text($0.detail) },
        ], keep: ["status", "detail"])
}
