import FoundationEssentials
import OWCore
import OWIdentity
import OWOffice

/// The one declaration of a forecast month's output, beside its type: `report forecast` rows and
/// the manual's OUTPUT come from it.
extension ForecastRow {
    public static let shape = Shape<ForecastRow>(
        [
            Field("month", "YYYY-MM", kind: .date) { .text($0.month.description) },
            .money("licenses", "forecast: contract charges in the month") { $0.licenses },
            .money("unmanaged", "charges matching no license or approved purchase") { $0.unmanaged },
            .money("total", "forecast: licenses plus unmanaged run-rate") { $0.total },
            Field("charges", "forecast: contract charges falling in the month") { .int(Int64($0.charges)) },
            .money("cancellable", "of the contract charges, those whose cancel-by date is still ahead") { $0.cancellable },
            Field("cancel_by", "the first of those cancel-by dates: the next day to decide by", kind: .date) {
                .text($0.cancelBy.map(Time.day))
            },
        ], converts: true)
}
