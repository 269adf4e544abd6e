import FoundationEssentials
import OWCore
import OWIdentity
import OWOffice

/// The one declaration of a budget's output, beside its type: `--json` rows, tables and the
/// manual's OUTPUT come from it.
extension Budget {
    public static let shape = Shape<Budget>(
        [
            Field("scope", "org, dept, category or vendor", kind: .code) { .text($0.scope.rawValue) },
            Field("name", "the department, category or vendor (empty for the org)") { .text($0.name) },
            Field("from", "YYYY-MM: in effect from this month until a later budget of the same scope and name", kind: .date) {
                .text($0.from.description)
            },
            .money("amount", "the budget per month") { $0.amount },
        ], keep: ["name", "from", "amount"])
}
