import FoundationEssentials

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
    /// The three in the base currency (nil: no rate), when one is set.
    public var inBase: [Money?]?
    public var rateDay: String?
}

public enum Burn {
    /// Seats nobody holds, and charges that belong to no person, when grouping by person.
    public static let idleSeats = "(idle seats)"
    public static let notPerPerson = "(not per person)"

    private struct Key: Hashable {
        let month: Month
        let group: String?
        let currency: Currency
    }
    private struct Sums {
        var contracted = Rational.zero
        var observed: Int64 = 0
        var unmanaged: Int64 = 0
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
        try db.forEach(
            """
            SELECT s.month, v.name AS vendor, v.category, s.currency, sum(s.observed_minor) AS observed, sum(s.unmanaged_minor) AS unmanaged
            FROM spend_monthly s JOIN vendors v ON v.id = s.vendor_id
            WHERE s.month BETWEEN ? AND ? GROUP BY s.month, s.vendor_id, s.currency
            """, arguments: [from.description, to.description]
        ) { row in
            guard let month = Month(day: Substring(try row.text("month"))) else { return }
            let currency = Currency.stored(try row.text("currency"), cache: &currencies)
            let key = Key(
                month: month, group: chargeGroup(by, vendor: try row.text("vendor"), category: try row.text("category")), currency: currency
            )
            try sums[key, default: Sums()].observed.addChecked(row.integer("observed"))
            try sums[key, default: Sums()].unmanaged.addChecked(row.integer("unmanaged"))
        }
        var rows: [BurnRow] = sums.compactMap { key, s in
            let contracted = s.contracted.rounded
            guard contracted != 0 || s.observed != 0 || s.unmanaged != 0 else { return nil }
            return BurnRow(
                month: key.month, group: key.group, contracted: Money(minor: contracted, currency: key.currency),
                observed: Money(minor: s.observed, currency: key.currency), unmanaged: Money(minor: s.unmanaged, currency: key.currency))
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
    /// each at the rate of their own day (summed per day, never charge by charge).
    private static func convert(_ rows: inout [BurnRow], _ db: Database, from: Month, to: Month, by: BurnGrouping, base: BaseConverter)
        throws
    {
        struct Day {
            var observed: Int64 = 0
            var unmanaged: Int64 = 0
            var missing = false
            var rateDay: String?
        }
        var converted: [Key: Day] = [:]
        var currencies: [String: Currency] = [:]
        try db.forEach(
            """
            SELECT c.charged_on, v.name AS vendor, v.category, c.currency, sum(c.amount_minor) AS observed,
                   sum(CASE WHEN c.license_id IS NULL AND c.expected_id IS NULL THEN c.amount_minor ELSE 0 END) AS unmanaged
            FROM charges c JOIN vendors v ON v.id = c.vendor_id
            WHERE c.charged_on BETWEEN ? AND ? AND c.currency != ? GROUP BY c.charged_on, c.vendor_id, c.currency
            """, arguments: [Time.day(from.firstDay), Time.day(to.lastDay), base.currency.code]
        ) { row in
            let day = try row.text("charged_on")
            guard let month = Month(day: Substring(day)) else { return }
            let currency = Currency.stored(try row.text("currency"), cache: &currencies)
            let key = Key(
                month: month, group: chargeGroup(by, vendor: try row.text("vendor"), category: try row.text("category")), currency: currency
            )
            var d = converted[key] ?? Day()
            for (minor, isObserved) in [(try row.integer("observed"), true), (try row.integer("unmanaged"), false)]
            where minor != 0 || isObserved {
                guard let c = try base.convert(Money(minor: minor, currency: currency), on: day) else {
                    d.missing = true
                    continue
                }
                if isObserved { try d.observed.addChecked(c.money.minor) } else { try d.unmanaged.addChecked(c.money.minor) }
                if let r = c.rateDay { d.rateDay = max(d.rateDay ?? r, r) }
            }
            converted[key] = d
        }
        for i in rows.indices {
            let r = rows[i]
            let day = base.day(for: r.month)
            guard let contracted = try base.convert(r.contracted, on: day) else {
                rows[i].inBase = [nil, nil, nil]
                continue
            }
            if r.contracted.currency == base.currency {
                rows[i].inBase = [contracted.money, r.observed, r.unmanaged]
                continue
            }
            let d = converted[Key(month: r.month, group: r.group, currency: r.contracted.currency)] ?? Day()
            guard !d.missing else {
                rows[i].inBase = [nil, nil, nil]
                continue
            }
            rows[i].inBase = [
                contracted.money, Money(minor: d.observed, currency: base.currency), Money(minor: d.unmanaged, currency: base.currency),
            ]
            rows[i].rateDay = [contracted.rateDay, d.rateDay].compactMap { $0 }.max()
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
                if divisor == 0 {
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
                        sums[Key(month: month, group: share.group, currency: l.currency), default: Sums()].contracted += amount * share.part
                    }
                }
            }
        }
    }

    /// Totals in the base currency over converted rows: contracted, observed, unmanaged (what
    /// had no rate stays apart in each).
    public static func baseTotals(_ rows: [BurnRow], in currency: Currency) throws -> [BaseTotal] {
        var totals = [BaseTotal](repeating: BaseTotal(currency), count: 3)
        for r in rows {
            let converted = r.inBase ?? [nil, nil, nil]
            for (i, m) in [r.contracted, r.observed, r.unmanaged].enumerated() { try totals[i].add(converted[i], original: m) }
        }
        return totals
    }

    /// Totals per currency over the rows: contracted, observed, unmanaged.
    public static func totals(_ rows: [BurnRow]) throws -> [(contracted: Money, observed: Money, unmanaged: Money)] {
        var t: [Currency: (Int64, Int64, Int64)] = [:]
        for r in rows {
            let c = r.contracted.currency
            let old = t[c] ?? (0, 0, 0)
            t[c] = (
                try Money.sum(old.0, r.contracted.minor), try Money.sum(old.1, r.observed.minor), try Money.sum(old.2, r.unmanaged.minor)
            )
        }
        return t.sorted { $0.key.code < $1.key.code }.map {
            (
                Money(minor: $0.value.0, currency: $0.key), Money(minor: $0.value.1, currency: $0.key),
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
