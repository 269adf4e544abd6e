import FoundationEssentials
import OWCore
import OWIdentity
import OWOffice

/// One month of projected spend in one currency.
public struct ForecastRow: Sendable {
    public let month: Month
    public let licenses: Money  // charges the contracts will make this month
    public let unmanaged: Money  // the unmanaged run-rate of open findings
    public let total: Money  // both, summed with a check
    public let charges: Int  // how many contract charges fall in the month
    /// Of `licenses`, what can still be avoided: renewals whose cancel-by date is today or later.
    public let cancellable: Money
    /// The first of those cancel-by dates: the next day to decide by.
    public let cancelBy: Date?
    /// The total before rounding (monthly equivalents are fractions): totals add these and round once.
    public let totalExact: Exact
}

/// A projection, not a percentage: every license's charges placed on the dates its period and
/// renewal date give (a yearly renewal is a spike in its month), stopped by cancellations, at
/// the contract's price (a price change counts once adopted: `scan adopt` updates the
/// contract), plus the monthly unmanaged run-rate.
public enum Forecast {
    public static func compute(_ db: Database, from: Month, months: Int, today: Date) throws -> [ForecastRow] {
        guard (1...120).contains(months) else { throw OWError.usage("--months must be between 1 and 120") }
        let to = from.adding(months - 1)
        var licenses: [Month: [Currency: Exact]] = [:]
        var counts: [Month: [Currency: Int]] = [:]
        var cancellable: [Month: [Currency: Int64]] = [:]
        var cancelBy: [Month: [Currency: Date]] = [:]
        let start = Time.startOfDay(today)
        for l in try Licenses.list(db) where l.period.isRecurring {
            let end = l.endsOn.flatMap(Time.parseDay)
            if l.anchor == nil {
                // No renewal date: the monthly equivalent, every month the contract runs.
                for month in Month.range(from, min(to, end.map(Month.init) ?? to)) {
                    // Exact: a month of several licenses is rounded once, as burn's contracted cost is.
                    licenses[month, default: [:]][l.currency, default: .zero] += Exact(l.monthlyExact)
                }
                continue
            }
            for day in chargeDays(of: l, from: from, to: to) {
                if let end, day > end { break }
                licenses[Month(day), default: [:]][l.currency, default: .zero] += Exact(minor: l.cost.minor)
                counts[Month(day), default: [:]][l.currency, default: 0] += 1
                if let last = l.terms?.cancelBy(day), last >= start {
                    try cancellable[Month(day), default: [:]][l.currency, default: 0].addChecked(l.cost.minor)
                    cancelBy[Month(day), default: [:]][l.currency] = min(last, cancelBy[Month(day)]?[l.currency] ?? last)
                }
            }
        }
        let runRate = Dictionary(uniqueKeysWithValues: try Findings.unmanagedRunRate(db).map { ($0.currency, $0.minor) })
        let currencies = Set(licenses.values.flatMap(\.keys)).union(runRate.keys).sorted { $0.code < $1.code }
        return try Month.range(from, to).flatMap { month in
            try currencies.compactMap { c -> ForecastRow? in
                let contract = licenses[month]?[c] ?? .zero
                let unmanaged = runRate[c] ?? 0
                guard contract.nano != 0 || unmanaged != 0 else { return nil }
                let total = contract + Exact(minor: unmanaged)
                _ = try Money.sum(contract.rounded, unmanaged)  // within what owatch adds up
                return ForecastRow(
                    month: month, licenses: Money(minor: contract.rounded, currency: c), unmanaged: Money(minor: unmanaged, currency: c),
                    total: Money(minor: total.rounded, currency: c), charges: counts[month]?[c] ?? 0,
                    cancellable: Money(minor: cancellable[month]?[c] ?? 0, currency: c), cancelBy: cancelBy[month]?[c], totalExact: total)
            }
        }
    }

    /// The days a recurring license with a renewal date charges, from the first day of `from`
    /// to the last of `to`: its renewal series.
    static func chargeDays(of l: License, from: Month, to: Month) -> [Date] {
        guard l.period.isRecurring, let anchor = l.anchor.flatMap(Time.parseDay) else { return [] }
        let start = from.firstDay
        let stop = to.lastDay
        var out: [Date] = []
        var day = l.period.next(from: anchor, onOrAfter: start)
        var k = 0
        while day <= stop && k < 10_000 {
            out.append(day)
            k += 1
            day = l.period.next(from: anchor, onOrAfter: day.addingTimeInterval(86_400))
        }
        return out
    }
}
