import FoundationEssentials
import OWCLI
import OWKit

/// `owatch budget`: monthly budgets per department, category, vendor or the whole office, and
/// `report budget`, which sets them against the burn report's spend.
enum BudgetCommand {
    static let shape = Budget.shape

    static let reportShape = BudgetLine.shape

    /// The one scope option given: --org, --dept D, --category C or --vendor V.
    static func scope<K: BudgetScopeOptions>(_ inv: Call<K>) throws -> (BudgetScope, String?) {
        var given: [(BudgetScope, String?)] = []
        if inv.flag(.org) { given.append((.org, nil)) }
        for (s, key) in [(BudgetScope.dept, K.dept), (.category, .category), (.vendor, .vendor)] {
            if let v = inv.value(key) { given.append((s, v)) }
        }
        guard given.count == 1 else { throw OWError.usage("give exactly one of --org, --dept D, --category C or --vendor V") }
        return given[0]
    }

    static func set(_ inv: Call<SetOption>) throws {
        let (scope, name) = try scope(inv)
        let b = try Budgets.set(inv.session, scope: scope, name: name, amount: inv.argument(0), from: try inv.month(.from))
        inv.emitChanged(b, as: shape)
        inv.note("Budget for \(b.label): \(b.amount.display) a month from \(b.from).")
    }

    static func list(_ inv: Invocation) throws {
        let budgets = try Budgets.list(inv.session.db)
        inv.emit(budgets, as: shape)
        if budgets.isEmpty { inv.note("No budgets; set one with `owatch budget set --org 5000/month`.") }
    }

    static func remove(_ inv: Call<RemoveOption>) throws {
        let (scope, name) = try scope(inv)
        let n = try Budgets.remove(inv.session, scope: scope, name: name, from: try inv.month(.from))
        inv.note("Removed \(n) budget(s) for \(scope == .org ? "the org" : "\(scope.rawValue) \(name ?? "")").")
    }
}

extension ReportCommand {
    static func budget(_ inv: Call<BudgetOption>) throws {
        let s = inv.session
        let to = try inv.month(.to) ?? Month(s.now)
        let from = try inv.month(.from) ?? to
        let base = try Budgets.converter(s.ledger, today: s.now)
        let lines = try Budgets.report(s, from: from, to: to, base: base)
        inv.emit(lines, as: BudgetCommand.reportShape)
        for w in base.warnings { inv.warn(w) }
        if lines.isEmpty { inv.note("No budgets in effect from \(from) to \(to); set one with `owatch budget set`.") }
        let over = lines.filter { ($0.remaining?.minor ?? 0) < 0 }
        if !over.isEmpty {
            inv.note(
                "Over budget: "
                    + over.map {
                        "\($0.budget.label) in \($0.month) by \(Money(minor: -$0.remaining!.minor, currency: base.currency).display)"
                    }.joined(separator: "; ") + ".")
        }
    }
}

/// The options that say which budget (`budget set` and `remove`): one of --org, --dept, --category, --vendor.
protocol BudgetScopeOptions: OptionKeys {
    static var org: Self { get }
    static var dept: Self { get }
    static var category: Self { get }
    static var vendor: Self { get }
}

extension BudgetCommand {
    /// The scope options' declaration, shared by `set` and `remove`.
    static func scopeSpec<K: BudgetScopeOptions>(_ key: K) -> Option? {
        switch key {
        case .org: Option("the whole office")
        case .dept: Option(value: "DEPT", "one department (its people's seats)")
        case .category: Option(value: "CATEGORY", "one vendor category")
        case .vendor: Option(value: "VENDOR", "one vendor")
        default: nil
        }
    }

    enum SetOption: String, BudgetScopeOptions {
        case org, dept, category, vendor, from

        var spec: Option {
            scopeSpec(self) ?? Option(value: "MONTH", "first month it is in effect, YYYY-MM (default: this month)", kind: .month)
        }
    }

    enum RemoveOption: String, BudgetScopeOptions {
        case org, dept, category, vendor, from

        var spec: Option { scopeSpec(self) ?? Option(value: "MONTH", "only the budget starting that month", kind: .month) }
    }
}

/// `owatch budget`: its manual page.
let budgetNoun = Noun(
    name: "budget", summary: "monthly budgets per department, category, vendor or the office",
    description: """
        A budget is an amount per month for the whole office (--org), one department (--dept), one vendor category (--category) or one vendor (--vendor), in effect from a month (--from, default this month) until a later budget of the same scope and name.
        The amount is in the base currency (config base_currency, else the ledger's) unless it names its own; budget set on the same scope, name and month replaces the amount.
        report budget sets each budget, month by month, against what report burn counts for what it covers, converted to the base currency as report burn converts: contracted (contract costs; a department's share is its people's seats), observed (charges seen; charges belong to no department) unmanaged (charges matching no license or approved purchase) and purchases (purchase requests approved in the month); remaining is budget − contracted − purchases − unmanaged, so a charge for a managed license or an approved purchase is not counted twice.
        The approval queue (owatch approve) shows for each software and purchase request the tightest budget it falls in this month and what would remain after approving it (software: the monthly cost of the seat or license it buys; a purchase: its cost); approving a request that would take any budget below zero is refused unless --over-budget is given, and the audit event records the budgets it went over.
        """
)

/// `owatch budget …`: its commands, in help order.
let budgetCommands: [Command] = [
    Command(
        noun: "budget", verb: "set", summary: "set a monthly budget for the org, a department, a category or a vendor",
        arguments: [Argument(name: "AMOUNT/month")],
        options: BudgetCommand.SetOption.self,
        access: .roles(adminOnly),
        examples: [
            "owatch budget set --org 5000/month", "owatch budget set --dept sales 800/month --from 2027-01",
            "owatch budget set --vendor Slack '120 USD/month'",
        ],
        output: BudgetCommand.shape.docs, run: BudgetCommand.set),
    Command(
        noun: "budget", verb: "list", summary: "the budgets, each with the month it starts", access: .roles(adminOnly),
        examples: ["owatch budget list", "owatch budget list --json"], output: BudgetCommand.shape.docs, run: BudgetCommand.list),
    Command(
        noun: "budget", verb: "remove", summary: "remove a budget (every month of it, or the one from --from)",
        options: BudgetCommand.RemoveOption.self,
        access: .roles(adminOnly), examples: ["owatch budget remove --dept sales", "owatch budget remove --org --from 2027-01"],
        run: BudgetCommand.remove),
]
