import FoundationEssentials
import OWCore
import OWIdentity
import OWOffice
import OWRequests

/// The one declaration of the summary's output, beside its types: `report summary` for programs
/// (an admin's `Summary`, an employee's `PersonalSummary`) and the manual's OUTPUT come from it.
extension Summary {
    /// The summary for programs: its amounts as lists of {amount, amount_minor, currency}.
    public static let shape: Shape<Summary> = {
        @Sendable func list(_ m: [Money]) -> Value {
            .json(
                .array(
                    m.map {
                        .obj([("amount", .number($0.decimal)), ("amount_minor", .int($0.minor)), ("currency", .string($0.currency.code))])
                    }))
        }
        return Shape([
            Field("month", "YYYY-MM", kind: .date) { .text($0.month.description) },
            Field("burn", "summary: this month's burn per currency") { sum in
                .json(
                    .array(
                        sum.burn.map { t in
                            .obj([
                                ("currency", .string(t.contracted.currency.code)), ("contracted_minor", .int(t.contracted.minor)),
                                ("observed_minor", .int(t.observed.minor)), ("unmanaged_minor", .int(t.unmanaged.minor)),
                            ])
                        }))
            },
            Field("renewals", "summary: renewals within 30 days") { sum in
                .json(
                    .array(
                        sum.renewals.map {
                            .obj([
                                ("name", .string($0.license.name)), ("renews_on", .string(Time.day($0.date))),
                                ("amount_minor", .int($0.license.cost.minor)), ("currency", .string($0.license.currency.code)),
                            ])
                        }))
            },
            Field(
                "undecided",
                "summary: renewals (or cancel-by dates) within 90 days with no `license decide`, and cancel-by dates passed without one"
                    + " (name, renews_on, cancel_by, overdue)"
            ) { sum in
                .json(
                    .array(
                        sum.undecided.map {
                            .obj([
                                ("name", .string($0.license.name)), ("renews_on", .string(Time.day($0.date))),
                                ("cancel_by", $0.cancelBy.map { .string(Time.day($0)) } ?? .null), ("overdue", .bool($0.overdue)),
                            ])
                        }))
            },
            Field("idle_seats", "summary: seats paid for but not held") { .int($0.idleSeats) },
            Field("idle_monthly", "what the idle seats cost a month") { list($0.idleMonthly) },
            Field("open_findings", "summary: open findings by kind") { .json(.obj($0.openFindings.map { ($0.kind, JSON.int($0.count)) })) },
            Field("waiting_review", "summary: charges waiting for review (owatch scan review)") { .int($0.waitingReview) },
            Field("unmanaged_monthly", "summary: the unmanaged run-rate") { list($0.unmanagedMonthly) },
            Field("reclaimable_monthly", "summary: what orphaned and inactive seats cost a month") { list($0.reclaimableMonthly) },
            Field(
                "stale_usage",
                "summary: licenses whose last usage import is older than usage.inactive (their seats are not judged inactive)"
            ) {
                .json(
                    .array(
                        $0.staleUsage.map {
                            .obj([
                                ("license", .string($0.license)), ("imported_on", .string($0.importedOn)), ("days", .int(Int64($0.days))),
                            ])
                        }))
            },
            Field("pending_requests", "summary: pending requests by kind") {
                .json(.obj($0.pendingRequests.map { ($0.kind, JSON.int($0.count)) }))
            },
            Field("base", "summary, with config base_currency: the totals in that currency, and each amount and day without a rate") {
                s in .json(s.inBase.map { baseJSON($0, without: s.withoutRate) } ?? .null)
            },
        ])
    }()
}

extension PersonalSummary {
    /// The summary as a person reads it.
    /// An employee's summary for programs: their seats, requests and this year's leave.
    public static let shape = Shape<PersonalSummary>([
        Field("user", "summary (employee): who") { .text($0.user) },
        Field("seats", "summary (employee): the licenses you hold a seat of (name, vendor, plan, status)") { mine in
            .json(
                .array(
                    mine.seats.map {
                        .obj([
                            ("name", .string($0.name)), ("vendor", .string($0.vendor)), ("plan", $0.plan.map(JSON.string) ?? .null),
                            ("status", .string($0.status.rawValue)),
                        ])
                    }))
        },
        Field("requests", "summary (employee): your requests, newest first (id, kind, status, summary, created_at)") { mine in
            .json(
                .array(
                    mine.requests.map {
                        .obj([
                            ("id", .int($0.id)), ("kind", .string($0.kind.rawValue)), ("status", .string($0.status.rawValue)),
                            ("summary", .string($0.summary)), ("created_at", .string($0.createdAt)),
                        ])
                    }))
        },
        Field("leave", "summary (employee): this year's vacation in days (year, allowance, taken, planned, pending, remaining)") { mine in
            guard let b = mine.leave?.balance else { return .json(.null) }
            return .json(
                .obj(
                    [("year", JSON.int(Int64(b.year)))]
                        + [
                            ("allowance", b.allowance), ("taken", b.taken), ("planned", b.planned), ("pending", b.pending),
                            ("remaining", b.remaining),
                        ]
                        .map { ($0.0, JSON.number(Leave.days($0.1))) }))
        },
    ])
}

extension Summary {
    /// The summary's totals in the base currency, with what stayed apart for want of a rate.
    static func baseJSON(_ b: (burn: [BaseTotal], idle: BaseTotal, unmanaged: BaseTotal), without: [(amount: Money, day: String)]) -> JSON {
        return .obj([
            ("base_currency", .string(b.idle.currency.code)),
            ("contracted_minor", .int(b.burn[0].minor)), ("observed_minor", .int(b.burn[1].minor)),
            ("unmanaged_minor", .int(b.burn[2].minor)),
            ("idle_monthly_minor", .int(b.idle.minor)), ("unmanaged_monthly_minor", .int(b.unmanaged.minor)),
            (
                "without_rate",
                .array(
                    without.map {
                        .obj([
                            ("amount", .number($0.amount.decimal)), ("amount_minor", .int($0.amount.minor)),
                            ("currency", .string($0.amount.currency.code)), ("day", .string($0.day)),
                        ])
                    })
            ),
        ])
    }
}
