import FoundationEssentials
import OWCore
import OWIdentity
import OWOffice

/// The one declaration of a budget's month's output, beside its type: `--json` rows, tables and the
/// manual's OUTPUT come from it.
extension BudgetLine {
    public static let shape = Shape<BudgetLine>(
        [
            Field("month", "YYYY-MM", kind: .date) { .text($0.month.description) },
            Field("scope", "org, dept, category or vendor", kind: .code) { .text($0.budget.scope.rawValue) },
            Field("name", "the department, category or vendor (empty for the org)") { .text($0.budget.name) },
            .money("budget", "the month's budget, in the base currency (null: no rate)") { $0.amount },
            .money("contracted", "contract cost in the month, as report burn counts it; what has no rate is in no_rate") {
                $0.contracted
            },
            .money("observed", "charges seen in the month, as report burn counts them; charges belong to no department") {
                $0.observed
            },
            .money("unmanaged", "the part of those charges matching no license or approved purchase") { $0.unmanaged },
            .money("purchases", "purchase requests approved in the month (their later charges are not unmanaged)") { $0.purchases },
            .money("remaining", "budget − contracted − purchases − unmanaged (negative: over budget; null: a rate is missing)") {
                $0.remaining
            },
            Field("no_rate", "what counts against the budget and has no rate to the base currency, kept apart: 21.00 USD") {
                .text($0.noRate.map(\.display).joined(separator: " + "))
            },
        ], keep: ["name", "budget", "remaining"], dropFirst: ["no_rate", "scope", "unmanaged", "observed", "purchases"])
}
