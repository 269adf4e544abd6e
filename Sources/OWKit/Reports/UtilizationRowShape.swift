import FoundationEssentials
import OWCore
import OWIdentity
import OWOffice

/// The one declaration of a license's utilization output, beside its type: `report utilization`
/// rows and the manual's OUTPUT come from it.
extension UtilizationRow {
    public static let shape = Shape<UtilizationRow>(
        [
            Field("id", "license id") { .int($0.license.id) },
            Field("name", "license name") { .text($0.license.name) },
            Field("vendor", "vendor name") { .text($0.license.vendor) },
            Field("seats", "seats paid for, or null when unlimited") { .intOr($0.license.seats, "unlimited") },
            Field("assigned", "seats held") { .int($0.license.assigned) },
            Field("idle", "utilization: seats paid for but not held") { .int($0.idle) },
            Field("used_percent", "utilization: seats held as a percentage of seats paid for") { .int($0.usedPercent.map(Int64.init)) },
            .money("monthly", "utilization: the license's monthly cost") { $0.license.monthly },
            .money("idle_monthly", "what the idle seats cost a month") { $0.idleMonthly },
        ], keep: ["name", "monthly", "idle_monthly"], dropFirst: ["vendor", "assigned", "used_percent"], converts: true)
}
