import FoundationEssentials
import OWCore
import OWIdentity
import OWOffice
import OWRequests

/// What the reports add up for the lines and charts under their tables: totals and month
/// series, worked out here so the front end only formats them (issue 30: no arithmetic in the
/// front end).

/// One month's amount in a chart's series, in minor units of the series' currency.
public struct MonthAmount: Sendable, Equatable {
    public let month: Month
    public let minor: Int64
}

/// `report burn`'s totals: over the range, in the base currency when one is set (with the spend
/// per month: contracts plus what is paid outside them), and per currency.
public struct BurnTotals: Sendable {
    public struct InBase: Sendable {
        /// contracted, observed, unmanaged, each added exactly and rounded once.
        public let totals: [BaseTotal]
        public let perMonth: [MonthAmount]
    }

    public struct InCurrency: Sendable {
        public let contracted: Money
        public let observed: Money
        public let unmanaged: Money
        public let perMonth: [MonthAmount]
    }

    public let base: InBase?
    public let perCurrency: [InCurrency]
}

extension Burn {
    /// The totals and series of burn rows over `from`…`to`; `base`: the base currency when the rows were converted.
    public static func totals(_ rows: [BurnRow], from: Month, to: Month, base: Currency?) throws -> BurnTotals {
        let months = Month.range(from, to)
        var inBase: BurnTotals.InBase?
        if let base {
            var perMonth: [Month: BaseTotal] = [:]
            for r in rows {
                try r.add(0, to: &perMonth[r.month, default: BaseTotal(base)])
                try r.add(2, to: &perMonth[r.month, default: BaseTotal(base)])
            }
            inBase = BurnTotals.InBase(
                totals: try baseTotals(rows, in: base), perMonth: months.map { MonthAmount(month: $0, minor: perMonth[$0]?.minor ?? 0) })
        }
        let perCurrency = try totals(rows).map { t in
            let perMonth = try months.map { m in
                MonthAmount(
                    month: m,
                    minor: try rows.filter { $0.month == m && $0.contracted.currency == t.contracted.currency }
                        .checkedSum { try Money.sum($0.contracted.minor, $0.unmanaged.minor) })
            }
            return BurnTotals.InCurrency(contracted: t.contracted, observed: t.observed, unmanaged: t.unmanaged, perMonth: perMonth)
        }
        return BurnTotals(base: inBase, perCurrency: perCurrency)
    }
}

/// `report forecast`'s totals: the months ahead in the base currency (what had no rate apart),
/// and per currency the whole and each month.
public struct ForecastTotals: Sendable {
    public struct InBase: Sendable {
        public let sum: BaseTotal
        public let perMonth: [MonthAmount]
    }

    public struct InCurrency: Sendable {
        public let whole: Money
        /// Every month of the range (0 where nothing falls), for the sparkline.
        public let perMonth: [MonthAmount]
        /// The currency's own rows, for the bars.
        public let rows: [ForecastRow]
    }

    public let base: InBase?
    public let perCurrency: [InCurrency]
}

extension Forecast {
    /// The totals of forecast rows over `months` months from `from`; months to come convert at today's rate.
    public static func totals(_ rows: [ForecastRow], from: Month, months: Int, base: BaseConverter?) throws -> ForecastTotals {
        let all = Month.range(from, from.adding(months - 1))
        var inBase: ForecastTotals.InBase?
        if let base {
            var perMonth: [Month: BaseTotal] = [:]
            for r in rows {
                try perMonth[r.month, default: BaseTotal(base.currency)].add(
                    exact: try base.convertExact(r.totalExact, from: r.total.currency, on: base.day(for: r.month))?.0,
                    original: r.totalExact, in: r.total.currency)
            }
            var sum = BaseTotal(base.currency)
            for m in all {
                for (code, minor) in perMonth[m]?.apart ?? [:] { try sum.add(nil, original: Money(minor: minor, currency: code)) }
            }
            for m in all { try sum.add(exact: perMonth[m]?.exact ?? .zero, original: .zero, in: base.currency) }
            inBase = ForecastTotals.InBase(sum: sum, perMonth: all.map { MonthAmount(month: $0, minor: perMonth[$0]?.minor ?? 0) })
        }
        let perCurrency = Set(rows.map(\.total.currency)).sorted(by: { $0.code < $1.code }).map { currency in
            let mine = rows.filter { $0.total.currency == currency }
            return ForecastTotals.InCurrency(
                whole: Money(minor: mine.reduce(Exact.zero) { $0 + $1.totalExact }.rounded, currency: currency),
                perMonth: all.map { m in MonthAmount(month: m, minor: mine.first { $0.month == m }?.total.minor ?? 0) }, rows: mine)
        }
        return ForecastTotals(base: inBase, perCurrency: perCurrency)
    }
}

extension InventoryReports {
    /// Amounts of one day in the base currency, summed by the one rule (each converted exactly,
    /// rounded once; what has no rate apart); nil when no base is set, nothing is left, or all is
    /// in the base currency already (the line would say nothing new).
    public static func baseTotal(_ amounts: [Exact], currencies: [Currency], base: BaseConverter?, on day: String) throws -> BaseTotal? {
        let kept = zip(amounts, currencies).filter { $0.0.nano != 0 }
        guard let base, !kept.isEmpty, Set(kept.map(\.1)) != [base.currency] else { return nil }
        return try inBase(kept.map(\.0), currencies: kept.map(\.1), base: base, on: day)
    }

    public static func baseTotal(_ amounts: [Money], base: BaseConverter?, on day: String) throws -> BaseTotal? {
        try baseTotal(amounts.map { Exact(minor: $0.minor) }, currencies: amounts.map(\.currency), base: base, on: day)
    }

    /// `report shadow`: the unmanaged run-rate per currency, and each currency's rows (biggest first, as read).
    public static func shadowTotals(_ rows: [ShadowRow]) throws -> [(total: Money, rows: [ShadowRow])] {
        try Set(rows.map(\.monthly.currency)).sorted(by: { $0.code < $1.code }).map { currency in
            let mine = rows.filter { $0.monthly.currency == currency }
            return (Money(minor: try mine.checkedSum(\.monthly.minor), currency: currency), mine)
        }
    }
}

extension Licenses {
    /// What the renewals to come charge, per currency (by code): each contract's price per period.
    public static func renewalSums(_ due: [(license: License, date: Date)]) throws -> [Money] {
        var sums: [Currency: Int64] = [:]
        for (l, _) in due { try sums[l.currency, default: 0].addChecked(l.cost.minor) }
        return sums.sorted { $0.key.code < $1.key.code }.map { Money(minor: $0.value, currency: $0.key) }
    }
}

extension SeatFindings {
    /// What reclaiming the rows would save, per currency (by code): monthly and yearly.
    public static func reclaimTotals(_ rows: [ReclaimRow]) throws -> [(monthly: Money, yearly: Money)] {
        var sums: [Currency: (Int64, Int64)] = [:]
        for r in rows {
            let old = sums[r.monthly.currency] ?? (0, 0)
            sums[r.monthly.currency] = (try Money.sum(old.0, r.monthly.minor), try Money.sum(old.1, r.yearly.minor))
        }
        return sums.sorted { $0.key.code < $1.key.code }.map {
            (Money(minor: $0.value.0, currency: $0.key), Money(minor: $0.value.1, currency: $0.key))
        }
    }
}
