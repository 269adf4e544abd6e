import FoundationEssentials
import OWCore
import OWIdentity
import OWOffice
import OWRequests

/// One screen of what needs attention: this month's burn, the next renewals, idle seats,
/// open findings and pending requests.
public struct Summary: Sendable {
    public let month: Month
    public let burn: [(contracted: Money, observed: Money, unmanaged: Money)]
    public let renewals: [(license: License, date: Date)]
    /// Seats per license, held and idle (the dashboard lists the idle ones).
    public let utilization: [UtilizationRow]
    public let openFindings: [(kind: String, count: Int64)]
    public let unmanagedMonthly: [Money]
    public let pendingRequests: [(kind: String, count: Int64)]

    /// Charges held as review findings (not sure of the amount, or held back): `scan review` lists them.
    public var waitingReview: Int64 { openFindings.first { $0.kind == FindingKind.review.rawValue }?.count ?? 0 }
    public var idleSeats: Int64 { utilization.reduce(0) { $0 + $1.idle } }
    /// What the idle seats cost a month, per currency.
    public let idleMonthly: [Money]
    /// With a base currency: this month's burn (contracted, observed, unmanaged), the idle
    /// seats' and the unmanaged run-rate's monthly cost, each as one total.
    public var inBase: (burn: [BaseTotal], idle: BaseTotal, unmanaged: BaseTotal)?
    /// What those totals leave out for want of a rate: each amount with its day, never a whole currency.
    public var withoutRate: [(amount: Money, day: String)] = []
    /// What giving back orphaned and inactive seats would save a month, per currency (idle seats are `idleMonthly`).
    public var reclaimableMonthly: [Money] = []
    /// Licenses whose usage data is too old to call a seat inactive on (they are not counted in `reclaimableMonthly`).
    public var staleUsage: [SeatFindings.StaleUsage] = []
    /// Renewals within 90 days (or cancel-by dates within 90 days, or passed) with no decision recorded.
    public var undecided: [PendingDecision] = []

    public static func compute(_ db: Database, today: Date, base: BaseConverter? = nil) throws -> Summary {
        let month = Month(today)
        var findings: [(String, Int64)] = []
        try db.forEach("SELECT kind, count(*) AS n FROM findings WHERE status = 'open' GROUP BY kind ORDER BY kind") {
            findings.append((try $0.text("kind"), try $0.integer("n")))
        }
        var pending: [(String, Int64)] = []
        try db.forEach("SELECT kind, count(*) AS n FROM requests WHERE status = 'pending' GROUP BY kind ORDER BY kind") {
            pending.append((try $0.text("kind"), try $0.integer("n")))
        }
        let utilization = try InventoryReports.utilization(db, today: today)
        let burn = try Burn.compute(db, from: month, to: month, by: .month, base: base)
        var summary = Summary(
            month: month, burn: try Burn.totals(burn),
            renewals: Array(try Licenses.renewals(db, within: Duration(count: 60, unit: .day), today: today).prefix(5)),
            utilization: utilization, openFindings: findings, unmanagedMonthly: try Findings.unmanagedRunRate(db), pendingRequests: pending,
            idleMonthly: try InventoryReports.possibleSaving(utilization).filter { $0.minor > 0 })
        var reclaim: [Currency: Int64] = [:]
        for r in try SeatFindings.reclaimable(db, today: today, idle: false) {
            try reclaim[r.monthly.currency, default: 0].addChecked(r.monthly.minor)
        }
        summary.staleUsage = try SeatFindings.staleUsage(db, today: today)
        summary.undecided = try Licenses.undecided(db, within: Duration(count: 90, unit: .day), today: today)
        summary.reclaimableMonthly = reclaim.sorted { $0.key.code < $1.key.code }.map { Money(minor: $0.value, currency: $0.key) }
        if let base {
            // The same atoms as utilization (one per license) and shadow (one per finding).
            let shadow = try InventoryReports.shadow(db)
            summary.inBase = (
                try Burn.baseTotals(burn, in: base.currency),
                try InventoryReports.inBase(
                    utilization.map(\.idleExact), currencies: utilization.map(\.license.currency), base: base, on: Time.day(today)),
                try InventoryReports.inBase(
                    shadow.map { Exact(minor: $0.monthly.minor) }, currencies: shadow.map(\.monthly.currency), base: base,
                    on: Time.day(today))
            )
            summary.withoutRate = base.leftOutEntries
        }
        return summary
    }
}

/// An employee's own summary (`report summary` and `report html` run by an employee): the seats
/// they hold, their requests and their leave this year. Nothing about anyone else, and no prices
/// beyond their own requests'.
public struct PersonalSummary: Sendable {
    public let user: String
    public let month: Month
    public let seats: [License]
    public let requests: [Request]
    public let leave: LeaveRow?

    public static func compute(_ session: Session, today: Date) throws -> PersonalSummary {
        var held = LicenseFilter()
        held.holder = session.actor.name
        let seats = try Licenses.list(session.db, filter: try Licenses.visible(session, held), today: today)
        var own = Requests.Filter()
        own.user = session.actor.name
        let requests = try Requests.list(session, own).sorted { $0.id > $1.id }
        let year = Time.civilFromDays(Time.split(today).days).year
        let leave = try InventoryReports.leave(session, year: year).first {
            $0.user.equalsIgnoringCase(session.actor.name)
        }
        return PersonalSummary(user: session.actor.name, month: Month(today), seats: seats, requests: requests, leave: leave)
    }
}
