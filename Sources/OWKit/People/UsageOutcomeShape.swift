import FoundationEssentials
import OWCore
import OWIdentity

/// The one declaration of a usage import's output, beside its type: `usage import` rows and the
/// manual's OUTPUT come from it.
extension Usage.Outcome {
    public static let shape = Shape<Usage.Outcome>([
        Field("format", "import: the export's format") { .text($0.format.rawValue) },
        Field("rows", "import: rows read") { .int(Int64($0.rows)) },
        Field("recorded", "import: seat holders recorded") { .int(Int64($0.recorded)) },
        Field("active", "import: people active within usage.inactive") { .int(Int64($0.active)) },
        Field("seats", "import: seats paid for, or unlimited") { .intOr($0.seats, "unlimited") },
        Field("not_holders", "import: in the export without a seat") { .list($0.notHolders) },
        Field("missing", "import: seat holders not in the export") { .list($0.missing) },
    ])
}
