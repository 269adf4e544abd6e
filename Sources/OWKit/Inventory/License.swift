import FoundationEssentials
import OWCore
import OWIdentity

/// One order of seats on a license, at its own price.
public struct PurchaseLine: Sendable {
    public let seats: Int64?  // nil: unlimited
    public let cost: Money  // per billing period, whole line
    public let orderRef: String?
    public let purchasedOn: String
}

/// Whether a contract still runs (the `licenses.status` column): cancelled ones end on `ends_on`.
public enum LicenseStatus: String, Sendable, CaseIterable {
    case active
    case cancelled
}

/// A software license as the office sees it: a contract with a vendor, its seats and their holders.
public struct License: Sendable {
    public let id: Int64
    public let name: String
    public let vendor: String
    public let plan: String?
    public let category: String
    public let owner: String?
    public let period: Period
    public let currency: Currency
    public let perSeat: Bool
    /// nil for a site license (unlimited seats).
    public let seats: Int64?
    public let assigned: Int64
    /// Cost per billing period, all purchase lines together.
    public let cost: Money
    /// The orders of seats, oldest first; `seats` and `cost` are their sums.
    public let lines: [PurchaseLine]
    /// Who holds a seat, by name, sorted case-insensitively; `assigned` is their count.
    public let holders: [String]
    public let anchor: String?
    public let status: LicenseStatus
    public let endsOn: String?
    public let notes: String?
    public let createdAt: String
    /// Contract terms (notice, renewal mode, term end, minimum term, lead times), if any were set.
    public let terms: ContractTerms?
    /// Billed by usage (a cloud or API account): no seats, never idle or reclaimable.
    public let usageBilled: Bool

    public var isUnlimited: Bool { seats == nil }
    public var freeSeats: Int64? { seats.map { max(0, $0 - assigned) } }
    public var isActive: Bool { status == .active }

    /// Exact monthly equivalent in minor units.
    public var monthlyExact: Rational { Rational(cost.minor, 1) * period.chargesPerMonth }
    public var monthly: Money { Money(minor: monthlyExact.rounded, currency: currency) }

    /// What one held seat costs per month: the monthly cost over the seats paid for
    /// (over the holders for a site license).
    public var seatMonthlyExact: Rational {
        let divisor = seats ?? assigned
        guard divisor > 0 else { return .zero }
        return monthlyExact * Rational(1, divisor)
    }

    /// The next renewal on or after `day`: the anchor rolled forward by whole periods;
    /// nil for one-off purchases and for contracts that end first.
    public func nextRenewal(onOrAfter day: Date) -> Date? {
        License.nextRenewal(period: period, anchor: anchor, endsOn: endsOn, terms: terms, onOrAfter: day)
    }

    /// The cancel-by date of the next renewal on or after `day` (it may lie before `day`: missed).
    public func cancelBy(onOrAfter day: Date) -> Date? {
        guard let terms else { return nil }  // most licenses: no renewal to work out for nothing
        return nextRenewal(onOrAfter: day).flatMap { terms.cancelBy($0) }
    }

    /// The day a contract that does not renew by itself ends, if that is on or after `day`.
    public func termEnd(onOrAfter day: Date) -> Date? {
        License.termEnd(anchor: anchor, terms: terms, onOrAfter: day)
    }

    package static func termEnd(anchor: String?, terms: ContractTerms?, onOrAfter day: Date) -> Date? {
        guard let terms, !terms.autoRenew, let end = terms.firstDate(anchor: anchor), end >= day else { return nil }
        return end
    }

    /// With contract terms the schedule starts at the end of the minimum term (or of the fixed
    /// term) and rolls by the `then` cycle; a contract that does not renew by itself has none.
    /// Tacit renewals never stop: the date is computed in a few steps however far ahead `day` is.
    package static func nextRenewal(period: Period, anchor: String?, endsOn: String?, terms: ContractTerms? = nil, onOrAfter day: Date)
        -> Date?
    {
        let next: Date
        if let terms {
            guard terms.autoRenew, let first = terms.firstDate(anchor: anchor) else { return nil }
            let cycle = terms.cycle(period)
            if first >= day {
                next = first
            } else {
                guard cycle.isRecurring else { return nil }
                next = cycle.next(from: first, onOrAfter: day)
            }
        } else {
            guard period.isRecurring, let anchorText = anchor, let anchorDate = Time.parseDay(anchorText) else { return nil }
            next = period.next(from: anchorDate, onOrAfter: day)
        }
        if let end = endsOn.flatMap(Time.parseDay), next > end { return nil }
        return next
    }

    /// Reads a row of `selectSQL` with the license's purchase lines and holders.
    /// `parsed` caches period and currency texts across a list.
    package init(row: Row, lines: [PurchaseLine], holders: [String], parsed: inout [String: Period], currencies: inout [String: Currency])
        throws
    {
        typealias C = SelectColumn
        id = try row.integer(C.id)
        name = try row.text(C.name)
        vendor = try row.text(C.vendor)
        plan = try row.optionalText(C.plan)
        category = try row.text(C.category)
        owner = try row.optionalText(C.owner)
        period = Period.stored(try row.text(C.period), cache: &parsed)
        currency = Currency.stored(try row.text(C.currency), cache: &currencies)
        perSeat = try row.integer(C.perSeat) != 0
        anchor = try row.optionalText(C.renewsOn)
        status = LicenseStatus(rawValue: try row.text(C.status)) ?? .active
        endsOn = try row.optionalText(C.endsOn)
        notes = try row.optionalText(C.notes)
        createdAt = try row.text(C.createdAt)
        terms = try ContractTerms.read(row, at: C.notice.rawValue, present: try row.optionalInteger(C.hasTerms) != nil)
        usageBilled = try row.optionalText(C.billing) == "usage"
        self.lines = lines
        self.holders = holders
        // Any unlimited line makes the license unlimited (so does having no line at all).
        var total: Int64? = lines.isEmpty ? nil : 0
        var minor: Int64 = 0
        for line in lines {
            total = try line.seats.flatMap { s in try total.map { try Money.sum($0, s) } }
            // The ledger's purchase lines together stay within LedgerTotals.cap; checked all the same.
            try minor.addChecked(line.cost.minor)
        }
        seats = total
        assigned = Int64(holders.count)
        cost = Money(minor: minor, currency: currency)
    }

    /// The license columns every license view reads; purchase lines and seats are read beside
    /// it (one query each for a whole list), which is cheaper than aggregating them in SQL.
    package static let selectSQL = """
        SELECT l.id, l.name, v.name AS vendor, l.plan, COALESCE(l.category, v.category) AS category, u.name AS owner,
               l.period, l.currency, l.per_seat, l.renews_on, l.status, l.ends_on, l.notes, l.created_at,
               t.license_id, t.notice, t.send_by, t.auto_renew, t.term_end, t.minimum_term, t.term_start, t.then_period, t.leads, l.billing
        FROM licenses l
        JOIN vendors v ON v.id = l.vendor_id
        LEFT JOIN users u ON u.id = l.owner_id
        LEFT JOIN license_terms t ON t.license_id = l.id
        """

    /// `selectSQL`'s columns by position (lists read them for thousands of rows).
    package enum SelectColumn: Int, ColumnKey {
        case id, name, vendor, plan, category, owner, period, currency, perSeat, renewsOn, status, endsOn, notes, createdAt
        case hasTerms, notice, sendBy, autoRenew, termEnd, minimumTerm, termStart, then, leads, billing
    }
}

/// What a new license is made of, validated once for `license add`, `license import`
/// and (later) approvals that create licenses.
public struct LicenseDraft: Sendable {
    /// A purchase line beyond the first (from an export): seats, the line's whole price, order and day.
    public struct Line: Sendable {
        public var seats: Int64?
        public var cost: Money
        public var order: String?
        public var date: Date?
    }

    public var name: String
    public var vendor: String
    public var plan: String?
    public var seats: Int64?  // nil: unlimited
    /// The price per period, for the pack or (with `perSeat`) per seat.
    public var price: Money
    public var perSeat: Bool = false
    /// The price is already the first line's total (a JSON export), not a per-seat price.
    public var costIsLineTotal = false
    public var period: Period = .monthly
    /// The license's currency when it is said apart from the price (`--currency`): the two must agree.
    public var currency: Currency?
    public var renewsOn: Date?
    public var owner: String?
    public var category: String?
    public var notes: String?
    public var orderRef: String?
    public var purchasedOn: Date?
    public var assigned: [String] = []
    public var extraLines: [Line] = []
    /// From an export (`license list`): a cancelled license keeps its status and last day.
    public var status: LicenseStatus?
    public var endsOn: Date?
    /// Contract terms (`--notice`, `--auto-renew`, `--term-end`, `--minimum-term`, `--lead`).
    public var terms: ContractTerms?
    /// Billed by usage (`--usage-billed`, or adopted from a usage-billed vendor): no seats.
    public var usageBilled = false

    /// A license billed by usage has no seats (and no per-seat price).
    package mutating func billedByUsage(_ usage: Bool) {
        guard usage else { return }
        usageBilled = true
        seats = nil
        perSeat = false
    }

    public init(name: String, vendor: String, seats: Int64?, price: Money) {
        self.name = name
        self.vendor = vendor
        self.seats = seats
        self.price = price
    }

    /// Parses a seat count: a positive whole number or `unlimited`.
    public static func parseSeats(_ text: String) throws -> Int64? {
        if let n = Int64(text), n > 0, n <= 1_000_000 { return n }  // the usual case, checked without copying
        let t = text.trimmed(.whitespaces).lowercased()
        if t == "unlimited" || t == "site" { return nil }
        guard let n = Int64(t) else { throw OWError.usage("seats must be a whole number or 'unlimited', not '\(text.prefix(20))'") }
        guard n > 0 else { throw OWError.usage("seats must be at least 1, not \(n)") }
        guard n <= 1_000_000 else { throw OWError.usage("seats must be at most 1000000") }
        return n
    }

    package static func validateName(_ name: String) throws {
        let n = CSV.trim(name)
        // Printable ASCII (the usual name) is checked byte by byte; anything else by characters.
        let printableASCII = n.utf8.allSatisfy { (0x20..<0x7F).contains($0) }
        let length = printableASCII ? n.utf8.count : n.count
        let oneLine = printableASCII || !n.contains(where: { $0.isNewline })
        guard !n.isEmpty, n.utf8.count <= 800, length <= 200, oneLine else {
            throw OWError.usage("a license name is 1-200 characters on one line")
        }
        guard Int64(n) == nil else { throw OWError.usage("a license name cannot be a number (numbers address licenses by id)") }
    }

    /// The rules a draft's typed values must keep together: its name, one currency, a price
    /// that is not negative, seats for a per-seat price, no renewal for a one-off purchase.
    func resolved() throws -> Resolved {
        try LicenseDraft.validateName(name)
        // A currency written in the cost ("$10") decides, unless --currency says otherwise.
        let currency = self.currency ?? price.currency
        guard price.currency == currency else {
            throw OWError.usage("the cost is in \(price.currency.code) but the license is in \(currency.code)")
        }
        guard price.minor >= 0 else { throw OWError.usage("a cost cannot be negative") }
        if perSeat && seats == nil { throw OWError.usage("a per-seat price needs a seat count, not unlimited") }
        if usageBilled && (seats != nil || perSeat) {
            throw OWError.usage("a usage-billed license has no seats: drop --seats and --per-seat")
        }
        if renewsOn != nil && !period.isRecurring { throw OWError.usage("a one-off purchase does not renew; drop the renewal date") }
        try terms?.validate(period: period)
        if endsOn != nil, status != .cancelled {
            throw OWError.usage("ends_on is the last day of a cancelled license; status is not cancelled")
        }
        let base = perSeat && !costIsLineTotal ? try multiply(price, seats!) : price
        var lines = [(seats, base, orderRef, purchasedOn)]
        for extra in extraLines {
            guard extra.cost.currency == currency, extra.cost.minor >= 0 else {
                throw OWError.usage("purchase line cost \(extra.cost.display) must be a non-negative \(currency.code) amount")
            }
            lines.append((extra.seats, extra.cost, extra.order, extra.date))
        }
        return Resolved(draft: self, currency: currency, lines: lines)
    }

    package struct Resolved {
        let draft: LicenseDraft
        package let currency: Currency
        package let lines: [(Int64?, Money, String?, Date?)]
        package var period: Period { draft.period }
    }
}

func multiply(_ m: Money, _ n: Int64) throws -> Money {
    let (v, overflow) = m.minor.multipliedReportingOverflow(by: n)
    guard !overflow else { throw OWError.usage("that cost is too large") }
    return Money(minor: v, currency: m.currency)
}
