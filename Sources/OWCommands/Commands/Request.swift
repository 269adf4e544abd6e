import FoundationEssentials
import OWCLI
import OWKit

enum RequestCommand {
    static func report(_ inv: Invocation, _ outcome: RequestOutcome) {
        for w in outcome.warnings { inv.warn(w) }
    }

    /// `request new KIND …`: software, leave or purchase. The options that apply depend on the kind.
    static func new(_ inv: Call<NewOption>) throws {
        let s = inv.session
        let kind = inv.argument(0)
        let outcome: RequestOutcome
        switch kind {
        case "software":
            guard inv.arguments.count == 2 else { throw OWError.usage("name the software: owatch request new software NAME") }
            var ask = Requests.SoftwareAsk(name: inv.argument(1))
            ask.vendor = inv.value(.vendor)
            ask.plan = inv.value(.plan)
            ask.cost = try inv.money(.cost)
            ask.period = try inv.period(.period)
            ask.reason = inv.value(.reason)
            if let n = try inv.integer(.seats) { ask.seats = Int64(n) }
            try refuse(inv, [.from, .to, .type, .halfDay, .note, .force], for: kind)
            outcome = try Requests.newSoftware(s, ask)
        case "leave":
            guard inv.arguments.count == 1 else {
                throw OWError.usage("leave takes no name: owatch request new leave --from DATE --to DATE")
            }
            guard let from = try inv.day(.from) else { throw OWError.usage("leave needs --from DATE") }
            var ask = Requests.LeaveAsk(from: from, to: try inv.day(.to) ?? from)
            if let t = inv.value(.type) {
                guard let k = Leave.Kind(rawValue: t) else { throw OWError.usage("--type must be vacation, sick or unpaid") }
                ask.type = k
            }
            ask.halfDay = inv.flag(.halfDay)
            ask.note = inv.value(.note) ?? inv.value(.reason)
            ask.force = inv.flag(.force)
            try refuse(inv, [.vendor, .plan, .seats, .cost, .period], for: kind)
            outcome = try Requests.newLeave(s, ask)
        default:  // purchase
            guard inv.arguments.count == 2 else { throw OWError.usage("name the item: owatch request new purchase ITEM --cost AMOUNT") }
            guard let cost = try inv.money(.cost) else { throw OWError.usage("a purchase needs --cost AMOUNT") }
            try refuse(inv, [.vendor, .plan, .seats, .period, .from, .to, .type, .halfDay, .force], for: kind)
            outcome = try Requests.newPurchase(s, item: inv.argument(1), cost: cost, reason: inv.value(.reason))
        }
        inv.emitChanged(outcome.request, as: Request.shape)
        var message = "Request #\(outcome.request.id) (\(outcome.request.summary)) is waiting for an admin."
        if let b = outcome.remainingLeave {
            message +=
                " Vacation left in \(b.year): \(Leave.days(b.remaining)) of \(Leave.days(b.allowance)) day(s), counting pending requests."
        }
        inv.note(message)
        report(inv, outcome)
    }

    static func refuse(_ inv: Call<NewOption>, _ options: [NewOption], for kind: String) throws {
        if let o = options.first(where: { inv.flag($0) }) { throw OWError.usage("--\(o.rawValue) does not apply to a \(kind) request") }
    }

    static func list(_ inv: Call<ListOption>) throws {
        var f = Requests.Filter()
        f.all = inv.flag(.all)
        f.status = inv.choice(.status)
        f.kind = inv.choice(.kind)
        f.user = inv.value(.user)
        inv.emit(try Requests.list(inv.session, f), as: Request.shape)
    }

    static func show(_ inv: Invocation) throws {
        inv.emit(try Requests.visible(inv.session, try Invocation.id(inv.argument(0), of: "request")), as: Request.shape)
    }

    static func cancel(_ inv: Invocation) throws {
        let outcome = try Requests.cancel(inv.session, try Invocation.id(inv.argument(0), of: "request"))
        inv.emitChanged(outcome.request, as: Request.shape)
        inv.note("Cancelled request #\(outcome.request.id).")
    }
}

/// `owatch request`: its manual page.
let requestNoun = Noun(
    name: "request", summary: "ask for software, leave or purchases",
    description: """
        Employees and admins ask; admins decide with owatch approve.
        A request is pending until it is approved, rejected or cancelled by its requester, and nothing else.
        Software requests name the software and optionally its vendor, plan, seats and price.
        Leave counts working days, Monday to Friday minus the holidays in config leave.holidays; half days are allowed; vacation draws on a yearly allowance (config leave.allowance, or leave.allowance.NAME for one person) together with pending requests, and a request beyond the balance or overlapping the person's own pending or approved leave is refused with the dates named.
        Sick and unpaid leave do not draw on the allowance.
        An approved purchase is recorded as expected spend.
        The post-request hook runs after a request is made, with the request's keys under OUTPUT as JSON on standard input (event first, details last).
        """
)

/// `owatch request …`: its commands, in help order.
let requestCommands: [Command] = [
    Command(
        noun: "request", verb: "new", summary: "ask for software, leave or a purchase",
        arguments: [Argument(name: "KIND", choices: RequestKind.allCases.map(\.rawValue)), Argument(name: "NAME", optional: true)],
        options: RequestCommand.NewOption.self,
        access: .roles([.admin, .employee]),
        examples: [
            "owatch request new software Figma --plan Professional --cost 15 --period monthly --reason 'design reviews'",
            "owatch request new leave --from 2026-12-21 --to 2026-12-31",
            "owatch request new leave --from 2026-12-04 --half-day --type sick",
            "owatch request new purchase 'USB-C dock' --cost 189.00 --reason 'new desk'",
        ],
        output: Request.shape.docs, run: RequestCommand.new),
    Command(
        noun: "request", verb: "list", summary: "list requests (your own; admins: --all)",
        options: RequestCommand.ListOption.self,
        access: .roles([.admin, .employee]),
        examples: ["owatch request list", "owatch request list --all --status pending --json | jq length"],
        output: Request.shape.docs, run: RequestCommand.list),
    Command(
        noun: "request", verb: "show", summary: "show one request", arguments: [Argument(name: "ID")],
        access: .roles([.admin, .employee]), examples: ["owatch request show 12"], output: Request.shape.docs,
        run: RequestCommand.show),
    Command(
        noun: "request", verb: "cancel", summary: "withdraw your pending request", arguments: [Argument(name: "ID")],
        access: .roles([.admin, .employee]), examples: ["owatch request cancel 12"], output: Request.shape.docs,
        run: RequestCommand.cancel),
]

extension RequestCommand {
    enum NewOption: String, OptionKeys {
        case vendor, plan, seats, cost, period, reason, from, to, type
        case halfDay = "half-day"
        case note, force

        var spec: Option {
            switch self {
            case .vendor: Option(value: "VENDOR", "software: the vendor, if not the name")
            case .plan: Option(value: "PLAN", "software: plan or edition")
            case .seats: Option(value: "N", "software: seats wanted (default 1)", kind: .integer(1...10_000))
            case .cost: Option(value: "AMOUNT", "software: price per period (with --period); purchase: the price (required)", kind: .amount)
            case .period: Option(value: "PERIOD", "software: billing period of --cost", kind: .period)
            case .reason: Option(value: "TEXT", "why it is needed")
            case .from: Option(value: "DATE", "leave: first day (required)", kind: .day)
            case .to: Option(value: "DATE", "leave: last day (default: --from)", kind: .day)
            case .type:
                Option(value: "TYPE", "leave: vacation, sick or unpaid (default vacation)", choices: ["vacation", "sick", "unpaid"])
            case .halfDay: Option("leave: half a day (--from and --to the same)")
            case .note: Option(value: "TEXT", "leave: a note for the approver")
            case .force: Option("leave: allow going beyond the balance (admins only)")
            }
        }
    }

    enum ListOption: String, OptionKeys {
        case all, status, kind, user

        var spec: Option {
            switch self {
            case .all: Option("everyone's requests (admins)")
            case .status: Option(value: "STATUS", "only this status", choices: RequestStatus.allCases.map(\.rawValue))
            case .kind: Option(value: "KIND", "only this kind", choices: RequestKind.allCases.map(\.rawValue))
            case .user: Option(value: "USER", "only this person's requests (admins)")
            }
        }
    }
}
