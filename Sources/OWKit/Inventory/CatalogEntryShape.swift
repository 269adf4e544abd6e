import FoundationEssentials
import OWCore
import OWIdentity

/// The one declaration of a catalog entry's output, beside its type: `--json` rows, tables and the
/// manual's OUTPUT come from it.
extension Licenses.CatalogEntry {
    public static let shape = Shape<Licenses.CatalogEntry>([
        Field("name", "license name") { .text($0.name) },
        Field("vendor", "vendor name") { .text($0.vendor) },
        Field("category", "category") { .text($0.category) },
        Field("seat_free", "with --catalog: whether a seat is free") { .bool($0.seatFree) },
    ])
}
