import FoundationEssentials
import OWCore
import OWIdentity

/// The one declaration of a license's change's output, beside its type: `--json` rows, tables and the
/// manual's OUTPUT come from it.
extension LicenseChange {
    public static let shape = Shape<LicenseChange>(
        [
            Field("seq", "history: the audit event's sequence number") { .int($0.seq) },
            Field("time", "history: when (RFC 3339 UTC)", kind: .date) { .text($0.time) },
            Field("actor", "history: who") { .text($0.actor) },
            Field("action", "history: license.add, license.edit, license.grow, license.decide, …", kind: .code) { .text($0.action) },
            Field("what", "history: what changed (price, seats, terms, holders, decision), as key value pairs", kind: .text) {
                .text($0.what)
            },
        ], keep: ["time", "action", "what"], dropFirst: ["seq", "actor"])
}
