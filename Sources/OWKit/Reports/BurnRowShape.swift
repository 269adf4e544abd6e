import FoundationEssentials
import OWCore
import OWIdentity
import OWOffice

/// The one declaration of a burn row's output, beside its type: `report burn` rows (one shape per
/// `--by`) and the manual's OUTPUT come from it.
extension BurnRow {
    /// A burn row: its month, its group (with --by), and the month's three amounts.
    public static func shape(_ by: BurnGrouping) -> Shape<BurnRow> {
        Shape(
            [Field("month", "YYYY-MM", kind: .date) { .text($0.month.description) }]
                + (by == .month ? [] : [Field(by.rawValue, "burn --by \(by.rawValue): the group") { .text($0.group) }]) + [
                    .money("contracted", "contract cost (monthly equivalent)") { $0.contracted },
                    .money("observed", "charges seen by scans") { $0.observed },
                    .money("unmanaged", "charges matching no license or approved purchase") { $0.unmanaged },
                ], converts: true)
    }
}
