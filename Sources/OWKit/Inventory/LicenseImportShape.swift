import FoundationEssentials
import OWCore
import OWIdentity

/// The one declaration of a license import's output, beside its types: `license import` rows
/// (each change with --update, then the counts) and the manual's OUTPUT come from it.
extension LicenseImport.Change {
    public static let shape = Shape<LicenseImport.Change>([
        Field("change", "import --update: add or update", kind: .code) { .text($0.kind.rawValue) },
        Field("license", "import --update: the license") { .text($0.license) },
        Field("what", "import --update: what changes (a new license as its row was read)", kind: .text) { .text($0.what) },
    ])
}

extension LicenseImport.Outcome {
    public static let shape = Shape<LicenseImport.Outcome>([
        Field("licenses", "import: licenses imported") { .int(Int64($0.licenses)) },
        Field("seats", "import: their seats") { .int(Int64($0.seats)) },
        Field("dry_run", "import: true with --dry-run (nothing was written)") { .bool($0.dryRun) },
    ])
}
