import FoundationEssentials

/// The one declaration of an exchange rate's output, beside its type: `--json` rows, tables and the
/// manual's OUTPUT come from it.
extension ExchangeRate {
    public static let shape = Shape<ExchangeRate>(
        [
            Field("from", "currency converted from", kind: .code) { .text($0.from) },
            Field("to", "currency converted to", kind: .code) { .text($0.to) },
            Field("day", "YYYY-MM-DD the rate is for", kind: .date) { .text($0.day) },
            Field("rate", "1 from = rate to", kind: .number) { .json(.number($0.rate)) },
            Field("source", "manual, the file imported, or ECB (built in)") { .text($0.source) },
        ], keep: ["to", "day", "rate"])
}
