import FoundationEssentials
import OWCore
import OWIdentity
import OWOffice

/// What a budget covers: the whole office, one department, one category or one vendor.
public enum BudgetScope: String, CaseIterable, Sendable {
    case org, dept, category, vendor

    /// The burn grouping whose groups this scope's budgets are.
    package var grouping: BurnGrouping {
        switch self {
        case .org: return .month
        case .dept: return .dept
        case .category: return .category
        case .vendor: return .vendor
        }
    }
}

/// A monthly budget, in effect from its month until a later one of the same scope and name.
public struct Budget: Sendable {
    public let id: Int64
    public let scope: BudgetScope
    /// The department, category or vendor; "" for the org.
    public let name: String
    public let from: Month
    public let amount: Money

    /// `org`, `dept sales`, `vendor Slack`.
    public var label: String { scope == .org ? "org" : "\(scope.rawValue) \(name)" }
}

/// One budget in one month, in the base currency: the budget, the burn report's contracted cost
/// and observed charges of what it covers, the unmanaged part of those charges, the purchases
/// approved that month, and what remains (budget − contracted − purchases − unmanaged: a charge
/// for a managed license or an approved purchase is not unmanaged, so it is counted once).
/// Each amount is what converts; what has no rate is listed apart (`noRate`), and then what
/// remains is unknown (nil). The budget is nil when it has no rate itself.
public struct BudgetLine: Sendable {
    public let month: Month
    public let budget: Budget
    public let amount: Money?
    public let contracted: Money?
    public let observed: Money?
    public let unmanaged: Money?
    public let purchases: Money?
    /// What counts against the budget (contracted, unmanaged, purchases) and has no rate, per currency: "21.00 USD".
    public var noRate: [Money] = []
    public var remaining: Money? {
        guard noRate.isEmpty, let a = amount, let c = contracted, let u = unmanaged, let p = purchases else { return nil }
        return Money(minor: a.minor - c.minor - u.minor - p.minor, currency: a.currency)
    }
}

/// Where a request falls against one budget this month: what remains now and after approving.
public struct BudgetImpact: Sendable {
    public let budget: Budget
    public let cost: Money
    public let remaining: Money?
    public var after: Money? { remaining.map { Money(minor: $0.minor - cost.minor, currency: $0.currency) } }
    /// Approving spends something and leaves the budget below zero: a free seat spends nothing, so it
    /// is never over, even in a month already over budget.
    public var isOver: Bool { cost.minor > 0 && (after?.minor ?? 0) < 0 }
    public var description: String {
        "\(budget.label): " + (after.map { "\($0.display) left after \(cost.display) this month" } ?? "no rate to compare")
    }
}

public enum Budgets {
    /// The currency budgets are reported in: config base_currency, else the ledger's.
    public static func converter(_ ledger: Ledger, today: Date) throws -> BaseConverter {
        if let b = try BaseConverter.configured(ledger, today: today) { return b }
        return BaseConverter(currency: try Currency.parse(ledger.currency), rates: ExchangeRates(ledger.db), today: Time.day(today))
    }

    /// `AMOUNT/month` (or AMOUNT): the base currency unless it names one.
    public static func parseAmount(_ ledger: Ledger, _ text: String) throws -> Money {
        var t = text.trimmed(.whitespaces)
        for suffix in ["/month", "/mo", "/m"] where t.lowercased().hasSuffix(suffix) {
            t = String(t.dropLast(suffix.count)).trimmed(.whitespaces)
            break
        }
        let base = try Currency.parse(try Config.get(ledger, "base_currency") ?? ledger.currency)
        guard let m = try? MoneyParser.parse(t, defaultCurrency: base) as Money, m.minor >= 0 else {
            throw OWError.usage("'\(text.prefix(40))' is not an amount per month, such as 500/month or '1200 USD/month'")
        }
        return m
    }

    /// The canonical name a scope's budget is kept under: a known vendor's name, a department or
    /// category as written (matched without case).
    static func canonicalName(_ db: Database, _ scope: BudgetScope, _ name: String?) throws -> String {
        let n = (name ?? "").trimmed(.whitespaces)
        switch scope {
        case .org: return ""
        case .vendor:
            guard let v = try Vendors.resolve(db, n) else {
                throw OWError.notFound("vendor '\(n)'", hint: "see `owatch vendor list`, or add it with `owatch vendor add`")
            }
            return v.name
        case .dept, .category:
            guard !n.isEmpty else { throw OWError.usage("--\(scope.rawValue) needs a name") }
            return n
        }
    }

    @discardableResult
    public static func set(_ session: Session, scope: BudgetScope, name: String?, amount: String, from: Month?) throws -> Budget {
        let money = try parseAmount(session.ledger, amount)
        let key = try canonicalName(session.db, scope, name)
        let month = from ?? Month(session.now)
        return try session.write {
            let existing = try list(session.db).first { $0.scope == scope && same($0.name, key) && $0.from == month }
            if let existing {
                try session.db.run(
                    "UPDATE budgets SET amount_minor = ?, currency = ? WHERE id = ?", money.minor, money.currency.code, existing.id)
            } else {
                try session.db.run(
                    "INSERT INTO budgets(scope, name, from_month, amount_minor, currency, created_at) VALUES (?,?,?,?,?,?)",
                    scope.rawValue, key, month.description, money.minor, money.currency.code, Time.rfc3339(session.now))
            }
            try session.audit(
                "budget.set", "budget:\(scope.rawValue):\(key)",
                .obj([
                    ("scope", .string(scope.rawValue)), ("name", .string(key)), ("from", .string(month.description)),
                    ("amount", .number(money.decimal)), ("currency", .string(money.currency.code)),
                ]))
            return try list(session.db).first { $0.scope == scope && same($0.name, key) && $0.from == month }!
        }
    }

    /// Removes a scope's budgets (only the one from `from` when given); the number removed.
    public static func remove(_ session: Session, scope: BudgetScope, name: String?, from: Month?) throws -> Int {
        let n = (name ?? "").trimmed(.whitespaces)
        return try session.write {
            let doomed = try list(session.db).filter {
                $0.scope == scope && (scope == .org || same($0.name, n) || same($0.name, (try? canonicalName(session.db, scope, n)) ?? n))
                    && (from == nil || $0.from == from)
            }
            guard !doomed.isEmpty else {
                throw OWError.notFound(
                    "a budget for \(scope == .org ? "the org" : "\(scope.rawValue) '\(n)'")", hint: "see `owatch budget list`")
            }
            for b in doomed {
                try session.db.run("DELETE FROM budgets WHERE id = ?", b.id)
                try session.audit(
                    "budget.remove", "budget:\(scope.rawValue):\(b.name)",
                    .obj([
                        ("from", .string(b.from.description)), ("amount", .number(b.amount.decimal)),
                        ("currency", .string(b.amount.currency.code)),
                    ]))
            }
            return doomed.count
        }
    }

    public static func list(_ db: Database) throws -> [Budget] {
        var currencies: [String: Currency] = [:]
        return try db.query("SELECT id, scope, name, from_month, amount_minor, currency FROM budgets ORDER BY scope, name, from_month")
            .compactMap {
                row in
                guard let scope = BudgetScope(rawValue: try row.text(1)), let from = Month(day: Substring(try row.text(3))) else {
                    return nil
                }
                return Budget(
                    id: try row.integer(0), scope: scope, name: try row.text(2), from: from,
                    amount: Money(minor: try row.integer(4), currency: Currency.stored(try row.text(5), cache: &currencies)))
            }
    }

    /// The budgets in effect in a month: of each scope and name, the latest from that month or before.
    static func inEffect(_ budgets: [Budget], in month: Month) -> [Budget] {
        var latest: [String: Budget] = [:]
        for b in budgets where b.from <= month {
            let key = "\(b.scope.rawValue)\u{0}\(b.name.lowercased())"
            if let old = latest[key], old.from > b.from { continue }
            latest[key] = b
        }
        return latest.values.sorted { ($0.scope.rawValue, $0.name.lowercased()) < ($1.scope.rawValue, $1.name.lowercased()) }
    }

    static func same(_ a: String, _ b: String) -> Bool { a.lowercased() == b.lowercased() }

    /// Each budget in effect, month by month from `from` to `to`, against the burn report's
    /// contracted and observed spend of what it covers (one computation, Burn.compute, with its
    /// conversion to the base currency).
    public static func report(_ session: Session, from: Month, to: Month, base: BaseConverter) throws -> [BudgetLine] {
        let budgets = try list(session.db)
        guard !budgets.isEmpty else { return [] }
        // Contracted, observed, unmanaged and purchases: each converted exactly, what has no rate apart.
        let none = [BaseTotal](repeating: BaseTotal(base.currency), count: 4)
        var spend: [BudgetScope: [String: [BaseTotal]]] = [:]  // "YYYY-MM\0group" → spend
        for scope in Set(budgets.map(\.scope)) {
            var byKey: [String: [BaseTotal]] = [:]
            for r in try Burn.compute(session.db, from: from, to: to, by: scope.grouping, base: base) {
                let key = "\(r.month)\u{0}\((r.group ?? "").lowercased())"
                var s = byKey[key] ?? none
                for i in 0..<3 { try r.add(i, to: &s[i]) }
                byKey[key] = s
            }
            spend[scope] = byKey
        }
        // Approved purchases, in the month approved, each at the rate of that month.
        var currencies: [String: Currency] = [:]
        try session.db.forEach(
            """
            SELECT e.approved_on, e.amount_minor, e.currency, v.name AS vendor, v.category, u.dept
            FROM expected_spend e JOIN requests r ON r.id = e.request_id JOIN users u ON u.id = r.requester_id
            LEFT JOIN vendors v ON v.id = e.vendor_id
            WHERE e.approved_on BETWEEN ? AND ?
            """, arguments: [Time.day(from.firstDay), Time.day(to.lastDay)]
        ) { row in
            guard let month = Month(day: Substring(try row.text("approved_on"))) else { return }
            let money = Money(
                minor: try row.integer("amount_minor"), currency: Currency.stored(try row.text("currency"), cache: &currencies))
            let converted = try base.convert(money, on: base.day(for: month))
            let groups: [(BudgetScope, String?)] = [
                (.org, ""), (.dept, try row.optionalText("dept")), (.category, try row.optionalText("category")),
                (.vendor, try row.optionalText("vendor")),
            ]
            for (scope, group) in groups {
                guard let group, spend[scope] != nil else { continue }
                let key = "\(month)\u{0}\(group.lowercased())"
                try spend[scope]![key, default: none][3].add(converted?.money, original: money)
            }
        }
        var lines: [BudgetLine] = []
        for month in Month.range(from, to) {
            for b in inEffect(budgets, in: month) {
                let s = spend[b.scope]?["\(month)\u{0}\(b.name.lowercased())"] ?? none
                let amount = try base.convert(b.amount, on: base.day(for: month))?.money
                var line = BudgetLine(
                    month: month, budget: b, amount: amount, contracted: s[0].total, observed: s[1].total, unmanaged: s[2].total,
                    purchases: s[3].total)
                var apart: [Currency: Int64] = [:]
                for t in [s[0], s[2], s[3]] { for (c, minor) in t.apart { try apart[c, default: 0].addChecked(minor) } }
                line.noRate = apart.sorted { $0.key.code < $1.key.code }.map { Money(minor: $0.value, currency: $0.key) }
                lines.append(line)
            }
        }
        return lines
    }

    /// What approving a software or purchase request adds to this month's spend, in the base
    /// currency (software: the monthly cost of the seat or license it buys; a purchase: its cost),
    /// and the vendor it is spent with, when known.
    static func requestCost(_ session: Session, _ r: Request, base: BaseConverter) throws -> (cost: Money?, vendor: Vendor?)? {
        let today = Time.day(session.now)
        switch r.kind {
        case .leave: return nil
        case .purchase:
            let item = r.payload["item"]?.stringValue ?? r.summary
            let vendor = try Vendors.resolve(session.db, item)
            guard let cost = r.cost else { return (Money(minor: 0, currency: base.currency), vendor) }
            return (try base.convert(cost, on: today)?.money, vendor)
        case .software:
            let p = Requests.SoftwarePayload(r, ledgerCurrency: session.ledger.currency)
            let license = try Approvals.license(for: r, session)
            let vendor = try Vendors.resolve(session.db, license?.vendor ?? p.vendor ?? p.name)
            let monthly: Money
            switch try Approvals.seatCost(session, r) {
            case .held, .free: monthly = Money(minor: 0, currency: base.currency)
            case .newSeat(_, let price, let period):
                monthly = Money(
                    minor: period.isRecurring ? (Rational(price.minor, 1) * period.chargesPerMonth).rounded : price.minor,
                    currency: price.currency)
            case .newLicense(_, let price, let periodText):
                guard let price else { return (Money(minor: 0, currency: base.currency), vendor) }
                let period = (try? Period.parse(periodText)) ?? .monthly
                monthly = Money(
                    minor: period.isRecurring ? (Rational(price.minor, 1) * period.chargesPerMonth).rounded : price.minor,
                    currency: price.currency)
            }
            return (try base.convert(monthly, on: today)?.money, vendor)
        }
    }

    /// The budgets this month a software or purchase request falls in, tightest first, with what
    /// each would have left after approving it. Empty for leave or when no budget applies.
    public static func impact(_ session: Session, _ r: Request) throws -> [BudgetImpact] {
        let budgets = try list(session.db)
        guard !budgets.isEmpty else { return [] }
        let base = try converter(session.ledger, today: session.now)
        guard let (cost, vendor) = try requestCost(session, r, base: base) else { return [] }
        let month = Month(session.now)
        let applicable = inEffect(budgets, in: month).filter { b in
            switch b.scope {
            case .org: return true
            case .dept: return r.requesterDept.map { same($0, b.name) } ?? false
            case .category: return vendor.map { same($0.category, b.name) } ?? false
            case .vendor: return vendor.map { same($0.name, b.name) } ?? false
            }
        }
        guard !applicable.isEmpty else { return [] }
        let lines = try report(session, from: month, to: month, base: base)
        let impacts = applicable.map { b in
            let line = lines.first { $0.budget.id == b.id }
            return BudgetImpact(
                budget: b, cost: cost ?? Money(minor: 0, currency: base.currency), remaining: cost == nil ? nil : line?.remaining)
        }
        return impacts.sorted { ($0.after?.minor ?? .max) < ($1.after?.minor ?? .max) }
    }
}
