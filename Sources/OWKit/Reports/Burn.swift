import FoundationEssentials
import OWCore
import OWIdentity
import OWOffice

/// What `report burn` groups a month's spend by.
public enum BurnGrouping: String, CaseIterable, Sendable {
    case month, vendor, category, dept, user
}

/// One month of spend for one group and currency: the contracted cost of managed licenses
/// (monthly equivalents; a one-off purchase in its month), the charges observed by scans, and
/// the part of those that matches no license or approved purchase.
public struct BurnRow: Sendable {
    public let month: Month
    public let group: String?
    public let contracted: Money
    public let observed: Money
    public let unmanaged: Money
    /// The contracted cost before rounding: totals add these and round once.
    public let contractedExact: Exact
    /// The three in the base currency when one is set, each nil when a rate was missing for part of it.
    public var inBase: [Money?]? {
        baseExact.map { exact in (0..<3).map { leftOut[$0].nano == 0 ? Money(minor: exact[$0].rounded, currency: baseCurrency!) : nil } }
    }
    /// The three in the base currency, exact, and what of each (in the row's currency) had no rate.
    public var baseExact: [Exact]?
    public var leftOut: [Exact] = [.zero, .zero, .zero]
    var baseCurrency: Currency?
    public var rateDay: String?

    /// Adds figure `i` (0 contracted, 1 observed, 2 unmanaged) to a base total: its converted
    /// part exactly, what had no rate apart.
    public func add(_ i: Int, to total: inout BaseTotal) throws {
        let original = [contracted, observed, unmanaged][i]
        let whole = i == 0 ? contractedExact : Exact(minor: original.minor)
        if let exact = baseExact?[i] { try total.add(exact: exact, original: .zero, in: original.currency) }
        try total.add(exact: nil, original: baseExact == nil ? whole : leftOut[i], in: original.currency)
    }
}

public enum Burn {
    /// Seats nobody holds, and charges that belong to no person, when grouping by person.
    public static let idleSeats = "(idle seats)"
    public static let notPerPerson = "(not per person)"

    private struct Key: Hashable {
        package let month: Month
        package let group: String?
        package let currency: Currency
    }
    private struct Sums {
        package var contracted = Exact.zero
        package var observed: Int64 = 0
        package var unmanaged: Int64 = 0
        /// Charges were seen (a charge and its refund net to zero here, but not always in the base currency).
        var charged = false
    }

    /// Spend from `from` to `to` (months, inclusive). Observed and unmanaged spend come from the
    /// `spend_monthly` aggregate (months × vendors rows, never the charges themselves);
    /// contracted cost from the licenses' purchase lines.
    public static func compute(_ db: Database, from: Month, to: Month, by: BurnGrouping, base: BaseConverter? = nil) throws -> [BurnRow] {
        guard from <= to else { throw OWError.usage("--from \(from) is after --to \(to)") }
        guard to.index - from.index < 1200 else { throw OWError.usage("a burn report covers at most 100 years") }
        var sums: [Key: Sums] = [:]
        try addContracted(db, from: from, to: to, by: by, into: &sums)
        var currencies: [String: Currency] = [:]
        // Grouped by v.id (= s.vendor_id): the key PostgreSQL needs before v.name and v.category may be selected.
        try db.forEach(
            """
            SELECT s.month, v.name AS vendor, v.category, s.currency, sum(s.observed_minor) AS observed, sum(s.unmanaged_minor) AS unmanaged
            FROM spend_monthly s JOIN vendors v ON v.id = s.vendor_id
            WHERE s.month BETWEEN ? AND ? GROUP BY s.month, v.id, s.currency
            """, arguments: [from.description, to.description]
        ) { row in
            guard let month = Month(day: Substring(try row.text("month"))) else { return }
            let currency = Currency.stored(try row.text("currency"), cache: &currencies)
            let key = Key(
                month: month, group: chargeGroup(by, vendor: try row.text("vendor"), category: try row.text("category")), currency: currency
            )
            try sums[key, default: Sums()].observed.addChecked(row.integer("observed"))
            try sums[key, default: Sums()].unmanaged.addChecked(row.integer("unmanaged"))
            sums[key, default: Sums()].charged = true
        }
        var rows: [BurnRow] = sums.compactMap { key, s in
            guard s.contracted.nano != 0 || s.charged else { return nil }
            return BurnRow(
                month: key.month, group: key.group, contracted: Money(minor: s.contracted.rounded, currency: key.currency),
                observed: Money(minor: s.observed, currency: key.currency), unmanaged: Money(minor: s.unmanaged, currency: key.currency),
                contractedExact: s.contracted)
        }.sorted { ($0.month, $0.group ?? "", $0.contracted.currency.code) < ($1.month, $1.group ?? "", $1.contracted.currency.code) }
        if let base { try convert(&rows, db, from: from, to: to, by: by, base: base) }
        return rows
    }

    /// The group a charge falls in: charges belong to no person.
    static func chargeGroup(_ by: BurnGrouping, vendor: String, category: String) -> String? {
        switch by {
        case .month: return nil
        case .vendor: return vendor
        case .category: return category
        case .dept, .user: return notPerPerson
        }
    }

    /// Each row in the base currency: its contract cost at the rate of the month, its charges
    /// each day's at the rate of that day (summed per day and vendor), all exact (`Exact`).
    private static func convert(_ rows: inout [BurnRow], _ db: Database, from: Month, to: Month, by: BurnGrouping, base: BaseConverter)
        throws
    {
        struct Day {
            package var observed = Exact.zero
            package var unmanaged = Exact.zero
            var leftOut: [Int64] = [0, 0]
            package var rateDay: String?
        }
        var converted: [Key: Day] = [:]
        var currencies: [String: Currency] = [:]
        try db.forEach(
            """
            SELECT c.charged_on, v.name AS vendor, v.category, c.currency, sum(c.amount_minor) AS observed,
                   sum(CASE WHEN c.license_id IS NULL AND c.expected_id IS NULL THEN c.amount_minor ELSE 0 END) AS unmanaged
            FROM charges c JOIN vendors v ON v.id = c.vendor_id
            WHERE c.charged_on BETWEEN ? AND ? AND c.currency != ? GROUP BY c.charged_on, v.id, c.currency
            """, arguments: [Time.day(from.firstDay), Time.day(to.lastDay), base.currency.code]
        ) { row in
            let day = try row.text("charged_on")
            guard let month = Month(day: Substring(day)) else { return }
            let currency = Currency.stored(try row.text("currency"), cache: &currencies)
            let key = Key(
                month: month, group: chargeGroup(by, vendor: try row.text("vendor"), category: try row.text("category")), currency: currency
            )
            var d = converted[key] ?? Day()
            for (i, minor) in [try row.integer("observed"), try row.integer("unmanaged")].enumerated() {
                // The unmanaged part is within the observed amount: a missing rate is remembered once.
                guard let c = try base.convertExact(Exact(minor: minor), from: currency, on: day, remember: i == 0) else {
                    try d.leftOut[i].addChecked(minor)
                    continue
                }
                if i == 0 { d.observed += c.0 } else { d.unmanaged += c.0 }
                if let r = c.rateDay { d.rateDay = max(d.rateDay ?? r, r) }
            }
            converted[key] = d
        }
        for i in rows.indices {
            let r = rows[i]
            rows[i].baseCurrency = base.currency
            let contracted = try base.convertExact(r.contractedExact, from: r.contracted.currency, on: base.day(for: r.month))
            if r.contracted.currency == base.currency {
                rows[i].baseExact = [r.contractedExact, Exact(minor: r.observed.minor), Exact(minor: r.unmanaged.minor)]
                continue
            }
            let d = converted[Key(month: r.month, group: r.group, currency: r.contracted.currency)] ?? Day()
            rows[i].baseExact = [contracted?.0 ?? .zero, d.observed, d.unmanaged]
            rows[i].leftOut = [contracted == nil ? r.contractedExact : .zero, Exact(minor: d.leftOut[0]), Exact(minor: d.leftOut[1])]
            rows[i].rateDay = [contracted?.rateDay, d.rateDay].compactMap { $0 }.max()
        }
    }

    /// Each purchase line counts from the month it was bought until the license ends; a person's
    /// share is one seat's part of the line, and seats nobody holds are grouped as idle.
    private static func addContracted(_ db: Database, from: Month, to: Month, by: BurnGrouping, into sums: inout [Key: Sums]) throws {
        let licenses = try Licenses.list(db)
        let depts =
            by == .dept
            ? Dictionary(try Users.list(db).map { ($0.name.lowercased(), $0.dept ?? "(no dept)") }, uniquingKeysWith: { a, _ in a }) : [:]
        for l in licenses {
            let end = l.endsOn.flatMap { Month(day: Substring($0)) }
            // Who a line's cost is split between: the holders and the idle seats.
            var shares: [(group: String?, part: Rational)] = []
            switch by {
            case .month: shares = [(nil, Rational(1, 1))]
            case .vendor: shares = [(l.vendor, Rational(1, 1))]
            case .category: shares = [(l.category, Rational(1, 1))]
            case .user, .dept:
                let names = l.holders
                let divisor = l.seats ?? Int64(names.count)
                if l.usageBilled {
                    // Billed by usage: no seats, so nobody's share and no idle seat either.
                    shares = [(notPerPerson, Rational(1, 1))]
                } else if divisor == 0 {
                    shares = [(idleSeats, Rational(1, 1))]
                } else {
                    var byGroup: [String: Int64] = [:]
                    for n in names { byGroup[by == .user ? n : (depts[n.lowercased()] ?? "(no dept)"), default: 0] += 1 }
                    shares = byGroup.sorted { $0.key < $1.key }.map { ($0.key, Rational($0.value, divisor)) }
                    let idle = divisor - Int64(names.count)
                    if idle > 0 { shares.append((idleSeats, Rational(idle, divisor))) }
                }
            }
            for line in l.lines {
                guard let bought = Month(day: Substring(line.purchasedOn)) else { continue }
                let first = max(from, bought)
                let last = min(to, end ?? to)
                for month in Month.range(first, last) {
                    let amount: Rational
                    if l.period.isRecurring {
                        amount = Rational(line.cost.minor, 1) * l.period.chargesPerMonth
                    } else {
                        guard month == bought else { continue }
                        amount = Rational(line.cost.minor, 1)
                    }
                    for share in shares {
                        sums[Key(month: month, group: share.group, currency: l.currency), default: Sums()].contracted += Exact(
                            amount * share.part)
                    }
                }
            }
        }
    }

    /// Totals in the base currency over converted rows: contracted, observed, unmanaged, each
    /// added exactly and rounded once (what had no rate stays apart in each).
    public static func baseTotals(_ rows: [BurnRow], in currency: Currency) throws -> [BaseTotal] {
        var totals = [BaseTotal](repeating: BaseTotal(currency), count: 3)
        for r in rows {
            for i in 0..<3 { try r.add(i, to: &totals[i]) }
        }
        return totals
    }

    /// Totals per currency over the rows: contracted (added exactly, rounded once), observed, unmanaged.
    public static func totals(_ rows: [BurnRow]) throws -> [(contracted: Money, observed: Money, unmanaged: Money)] {
        var t: [Currency: (Exact, Int64, Int64)] = [:]
        for r in rows {
            let c = r.contracted.currency
            let old = t[c] ?? (.zero, 0, 0)
            t[c] = (old.0 + r.contractedExact, try Money.sum(old.1, r.observed.minor), try Money.sum(old.2, r.unmanaged.minor))
        }
        return t.sorted { $0.key.code < $1.key.code }.map {
            (
                Money(minor: $0.value.0.rounded, currency: $0.key), Money(minor: $0.value.1, currency: $0.key),
                Money(minor: $0.value.2, currency: $0.key)
            )
        }
    }
}

/// The monthly spend aggregate checked against a recomputation from the charges:
/// `doctor` runs it, and the property test relies on it.
public enum SpendAggregate {
    public static func mismatches(_ db: Database) throws -> [String] {
        var out: [String] = []
        try db.forEach(
            """
            WITH fresh AS (
                SELECT substr(charged_on, 1, 7) AS month, vendor_id, currency, sum(amount_minor) AS observed,
                       sum(CASE WHEN license_id IS NULL AND expected_id IS NULL THEN amount_minor ELSE 0 END) AS unmanaged, count(*) AS n
                FROM charges WHERE vendor_id IS NOT NULL GROUP BY 1, 2, 3)
            SELECT coalesce(f.month, s.month) AS month, coalesce(f.vendor_id, s.vendor_id) AS vendor_id, coalesce(f.currency, s.currency) AS currency
            FROM fresh f FULL OUTER JOIN spend_monthly s ON s.month = f.month AND s.vendor_id = f.vendor_id AND s.currency = f.currency
            WHERE f.n IS NOT s.charges OR f.observed IS NOT s.observed_minor OR f.unmanaged IS NOT s.unmanaged_minor
            """
        ) { row in
            out.append("\(try row.text("month")) vendor #\(try row.integer("vendor_id")) \(try row.text("currency"))")
        }
        return out
    }
}
