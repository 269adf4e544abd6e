import FoundationEssentials
import OWCore
import OWIdentity

/// The one declaration of a vendor's output, beside its type: `--json` rows, tables and the
/// manual's OUTPUT come from it.
extension Vendor {
    public static let shape = Shape<Vendor>(
        [
            Field("name", "vendor name") { .text($0.name) },
            Field("category", "category") { .text($0.category) },
            Field("domains", "billing sender domains", kind: .text) { .list($0.domains) },
            Field("aliases", "other names", kind: .text) { .list($0.aliases) },
            Field("source", "builtin or local", kind: .code) { .text($0.source) },
            Field("billing", "seats, or usage for a catalog vendor billed by usage (its adopted licenses have no seats)", kind: .code) {
                .text($0.usageBilled ? "usage" : "seats")
            },
        ], dropFirst: ["aliases", "source", "billing"])
}
