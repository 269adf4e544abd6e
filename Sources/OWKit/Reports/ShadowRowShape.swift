import FoundationEssentials
import OWCore
import OWIdentity
import OWOffice

/// The one declaration of an unmanaged vendor's output, beside its type: `report shadow` rows and
/// the manual's OUTPUT come from it.
extension ShadowRow {
    public static let shape = Shape<ShadowRow>(
        [
            Field("vendor", "vendor name") { .text($0.vendor) },
            Field("category", "shadow: the vendor's category") { .text($0.category) },
            Field("charges", "shadow: charges seen") { .int($0.charges) },
            .money("observed", "charges seen by scans") { $0.observed },
            .money("monthly", "shadow: the unmanaged run-rate per vendor") { $0.monthly },
            Field("first_seen", "shadow: the first charge's day", kind: .date) { .text($0.firstSeen) },
            Field("last_seen", "shadow: the last charge's day", kind: .date) { .text($0.lastSeen) },
        ], keep: ["monthly", "last_seen"], dropFirst: ["category", "first_seen", "charges"], converts: true)
}
