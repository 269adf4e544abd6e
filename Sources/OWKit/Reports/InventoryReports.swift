import FoundationEssentials
import OWCore
import OWIdentity
import OWOffice
import OWRequests

/// Paid seats against held seats, per license, with what the idle ones cost a month.
public struct UtilizationRow: Sendable {
    public let license: License
    public let idle: Int64
    public let idleMonthly: Money
    /// What the idle seats cost a month before rounding: totals add these and round once.
    public let idleExact: Exact
    public var usedPercent: Int? {
        guard let seats = license.seats, seats > 0 else { return nil }
        return Int((license.assigned * 100) / seats)
    }
}

/// Open unmanaged spend per vendor: what shadow IT costs and since when.
public struct ShadowRow: Sendable {
    public let vendor: String
    public let category: String
    public let charges: Int64
    public let observed: Money
    public let monthly: Money
    public let firstSeen: String
    public let lastSeen: String
}

/// One person's leave in a year, in half-days.
public struct LeaveRow: Sendable {
    public let user: String
    public let dept: String?
    public let balance: Leave.Balance
    public let sick: Int
    public let unpaid: Int
}

public enum InventoryReports {
    /// Active licenses with a seat limit, most idle cost first; site licenses have no idle seats.
    public static func utilization(_ db: Database, today: Date) throws -> [UtilizationRow] {
        var f = LicenseFilter()
        f.includeCancelled = false
        return try Licenses.list(db, filter: f, today: today).map { l in
            // A usage-billed license has no seats to be idle.
            let idle = l.usageBilled ? 0 : l.freeSeats ?? 0
            let exact = Exact(l.seatMonthlyExact * idle)
            return UtilizationRow(license: l, idle: idle, idleMonthly: Money(minor: exact.rounded, currency: l.currency), idleExact: exact)
        }.sorted { ($1.idleMonthly.minor, $0.license.name) < ($0.idleMonthly.minor, $1.license.name) }
    }

    /// What dropping every idle seat would save a month, per currency (added exactly, rounded once).
    public static func possibleSaving(_ rows: [UtilizationRow]) throws -> [Money] {
        var sums: [Currency: Exact] = [:]
        for r in rows { sums[r.idleMonthly.currency, default: .zero] += r.idleExact }
        return sums.sorted { $0.key.code < $1.key.code }.map { Money(minor: $0.value.rounded, currency: $0.key) }
    }

    /// Amounts of one day in the base currency, each converted exactly, added, rounded once:
    /// the idle seats' cost (one amount per license) and the unmanaged run-rate (one per finding)
    /// in the summary, utilization, shadow and the dashboard alike.
    public static func inBase(_ amounts: [Exact], currencies: [Currency], base: BaseConverter, on day: String) throws -> BaseTotal {
        var total = BaseTotal(base.currency)
        for (amount, currency) in zip(amounts, currencies) {
            try total.add(exact: try base.convertExact(amount, from: currency, on: day)?.0, original: amount, in: currency)
        }
        return total
    }

    /// Vendors with open unmanaged findings, biggest monthly run-rate first.
    public static func shadow(_ db: Database) throws -> [ShadowRow] {
        // One row per open finding, that is per vendor and currency: its charges in that currency only.
        // Grouped by v.id too (one vendor per finding): PostgreSQL selects v.name only when its key is grouped.
        try db.query(
            """
            SELECT v.name AS vendor, v.category, f.currency, f.monthly_minor, count(c.id) AS charges,
                   coalesce(sum(c.amount_minor), 0) AS observed, min(c.charged_on) AS first_seen, max(c.charged_on) AS last_seen
            FROM findings f JOIN vendors v ON v.id = f.vendor_id
            LEFT JOIN charges c ON c.vendor_id = f.vendor_id AND c.currency = f.currency AND c.license_id IS NULL AND c.expected_id IS NULL
            WHERE f.kind = 'unmanaged' AND f.status = 'open'
            GROUP BY f.id, v.id
            ORDER BY f.monthly_minor DESC, v.name
            """
        ).compactMap { row in
            guard let c = try? Currency.parse(row.text("currency")) else { return nil }
            return ShadowRow(
                vendor: try row.text("vendor"), category: try row.text("category"), charges: try row.integer("charges"),
                observed: Money(minor: try row.integer("observed"), currency: c),
                monthly: Money(minor: try row.optionalInteger("monthly_minor") ?? 0, currency: c),
                firstSeen: try row.optionalText("first_seen") ?? "", lastSeen: try row.optionalText("last_seen") ?? "")
        }
    }

    /// Leave per person in `year`: vacation taken, pending and remaining, sick and unpaid days.
    /// Employees see their own row only.
    public static func leave(_ session: Session, year: Int) throws -> [LeaveRow] {
        let people =
            session.actor.role == .admin
            ? try Users.list(session.db, includeOffboarded: false).filter { $0.role != .scanner }
            : [try Users.get(session.db, session.actor.name)]
        let holidays = try Config.holidays(session.ledger)
        var other: [String: (sick: Int, unpaid: Int)] = [:]
        try session.db.forEach(
            """
            SELECT u.name, r.leave_type, r.leave_from, r.leave_to, r.leave_halfdays FROM requests r JOIN users u ON u.id = r.requester_id
            WHERE r.kind = 'leave' AND r.status = 'approved' AND r.leave_type IN ('sick','unpaid') AND r.leave_from <= ? AND r.leave_to >= ?
            """, arguments: ["\(year)-12-31", "\(year)-01-01"]
        ) { row in
            guard let from = Time.parseDay(try row.text("leave_from")), let to = Time.parseDay(try row.text("leave_to")) else { return }
            let halves =
                try row.integer("leave_halfdays") == 1 ? 1 : (Leave.workingHalfDays(from: from, to: to, holidays: holidays)[year] ?? 0)
            let key = try row.text("name").lowercased()
            var v = other[key] ?? (0, 0)
            if try row.value("leave_type", as: Leave.Kind.self) == .sick { v.sick += halves } else { v.unpaid += halves }
            other[key] = v
        }
        return try people.map { u in
            LeaveRow(
                user: u.name, dept: u.dept,
                balance: try Leave.balance(session.ledger, user: u, year: year, today: Time.startOfDay(session.now)),
                sick: other[u.name.lowercased()]?.sick ?? 0, unpaid: other[u.name.lowercased()]?.unpaid ?? 0)
        }
    }
}
