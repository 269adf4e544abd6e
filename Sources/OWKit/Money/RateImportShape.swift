import FoundationEssentials

/// The one declaration of a rate import's output, beside its type: `rate import` rows and the
/// manual's OUTPUT come from it.
extension Rates.ImportOutcome {
    public static let shape = Shape<Rates.ImportOutcome>([
        Field("format", "the file's format: ecb or plain") { .text($0.format) },
        Field("rates", "rates read") { .int(Int64($0.rates)) },
        Field("changed", "rates new or changed") { .int(Int64($0.changed)) },
        Field("days", "days the rates are for") { .int(Int64($0.days)) },
        Field("skipped_currencies", "currencies owatch does not know, skipped") { .list($0.skippedCurrencies) },
    ])
}
