import FoundationEssentials
import OWCore
import OWIdentity

/// The one declaration of a purchase line's output, beside its type: `--json` rows, tables and the
/// manual's OUTPUT come from it.
extension PurchaseLine {
    public static let shape = Shape<PurchaseLine>([
        Field("seats", "seats bought") { .int($0.seats) },
        .money("cost", "their price per period") { $0.cost },
        Field("order", "order reference") { .text($0.orderRef) },
        Field("purchased_on", "YYYY-MM-DD", kind: .date) { .text($0.purchasedOn) },
    ])
}
