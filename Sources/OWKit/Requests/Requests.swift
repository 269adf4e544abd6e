import FoundationEssentials
import OWCore
import OWIdentity
import OWOffice

/// What a request asks for (the `requests.kind` column).
public enum RequestKind: String, Sendable, CaseIterable {
    case software
    case leave
    case purchase
}

/// Where a request stands (the `requests.status` column): pending until an admin decides, or the requester cancels.
public enum RequestStatus: String, Sendable, CaseIterable {
    case pending
    /// Above config approval.second_above, approved by one admin and waiting for a second.
    case awaitingSecond = "awaiting_second"
    case approved
    case rejected
    case cancelled
}

/// A request: software, leave or a purchase, and what became of it.
public struct Request: Sendable {
    public let id: Int64
    public let kind: RequestKind
    public let requester: String
    public let requesterDept: String?
    public let status: RequestStatus
    public let summary: String
    public let payload: JSON
    public let reason: String?
    public let cost: Money?
    public let leaveFrom: String?
    public let leaveTo: String?
    public let leaveType: Leave.Kind?
    public let leaveHalfDays: Int64?
    public let license: String?
    public let createdAt: String
    public let decidedAt: String?
    public let decidedBy: String?
    public let note: String?
    /// Above config approval.second_above: the admin who approved first, and when.
    public let firstApprovedBy: String?
    public let firstApprovedAt: String?
}

extension Request: FetchableRow {
    public static let selection = """
        r.id, r.kind, u.name, u.dept, \(statusSQL), r.summary, r.payload, r.reason, r.cost_minor, r.currency, r.leave_from,
        r.leave_to, r.leave_type, r.leave_halfdays, l.name, r.created_at, r.decided_at, d.name, r.note, f.name, r.first_approved_at
        """

    /// The status a request shows: a pending one with a first approval is awaiting its second.
    static let statusSQL = "CASE WHEN r.status = 'pending' AND r.first_approved_by IS NOT NULL THEN 'awaiting_second' ELSE r.status END"

    /// The requests with their requester, decider and license: `selectSQL + " WHERE …"`.
    package static let selectSQL = """
        SELECT \(selection)
        FROM requests r JOIN users u ON u.id = r.requester_id
        LEFT JOIN users d ON d.id = r.decided_by LEFT JOIN licenses l ON l.id = r.license_id
        LEFT JOIN users f ON f.id = r.first_approved_by
        """

    public init(row: Row) throws {
        id = try row.integer(0)
        kind = try row.value(1, as: RequestKind.self)
        requester = try row.text(2)
        requesterDept = try row.optionalText(3)
        status = try row.value(4, as: RequestStatus.self)
        summary = try row.text(5)
        // Written by owatch as JSON; unreadable text (an outside edit) reads as no details rather than failing every list.
        payload = (try? JSON.parse(try row.text(6))) ?? .object([])
        reason = try row.optionalText(7)
        let minor = try row.optionalInteger(8)
        let currency = try row.optionalText(9).flatMap { try? Currency.parse($0) }
        cost = minor.flatMap { m in currency.map { Money(minor: m, currency: $0) } }
        leaveFrom = try row.optionalText(10)
        leaveTo = try row.optionalText(11)
        leaveType = try row.optionalValue(12, as: Leave.Kind.self)
        leaveHalfDays = try row.optionalInteger(13)
        license = try row.optionalText(14)
        createdAt = try row.text(15)
        decidedAt = try row.optionalText(16)
        decidedBy = try row.optionalText(17)
        note = try row.optionalText(18)
        firstApprovedBy = try row.optionalText(19)
        firstApprovedAt = try row.optionalText(20)
    }
}

/// What a request operation did, and the hook warnings it raised after committing.
public struct RequestOutcome: Sendable {
    public let request: Request
    public let warnings: [String]
    public var remainingLeave: Leave.Balance?
    /// An approved software request: what the seat cost.
    public var seat: Approvals.SeatCost?
    /// An approval given with --over-budget: the budgets it went over.
    public var overBudget: [BudgetImpact] = []
}

public enum Requests {
    public static func find(_ db: Database, _ id: Int64) throws -> Request? {
        try db.fetchOne(Request.self, Request.selectSQL + " WHERE r.id = ?", id)
    }

    /// A request the actor may see: their own, or any for an admin. Others' are "not found".
    public static func visible(_ session: Session, _ id: Int64) throws -> Request {
        guard let r = try find(session.db, id),
            session.actor.role == .admin || r.requester.equalsIgnoringCase(session.actor.name)
        else {
            throw OWError.notFound("request #\(id)")
        }
        return r
    }

    public struct Filter: Sendable {
        public var all = false
        public var status: RequestStatus?
        public var kind: RequestKind?
        public var user: String?
        public init() {}
    }

    public static func list(_ session: Session, _ f: Filter) throws -> [Request] {
        var user = f.user
        if session.actor.role != .admin {
            if f.all || (user.map { !$0.equalsIgnoringCase(session.actor.name) } ?? false) {
                throw OWError.notPermitted(
                    "\(session.actor.name) is \(session.actor.role.rawValue); only admins see other people's requests")
            }
            user = session.actor.name
        } else if !f.all && user == nil {
            user = session.actor.name
        }
        return try session.db.fetchAll(
            Request.self,
            Request.selectSQL + """
                 WHERE (?1 IS NULL OR u.name = ?1) AND (?2 IS NULL OR \(Request.statusSQL) = ?2) AND (?3 IS NULL OR r.kind = ?3)
                 ORDER BY r.id
                """, user, f.status?.rawValue, f.kind?.rawValue)
    }

    // MARK: New requests

    /// What a software request's payload holds: written by `request new software`, read when it
    /// is approved — one type for both sides, not a dictionary read by key.
    package struct SoftwarePayload {
        package var name: String
        package var vendor: String?
        package var plan: String?
        package var seats: Int64
        package var price: Money?
        package var period: String?

        package var json: JSON {
            .obj([
                ("name", .string(name)), ("vendor", vendor.map(JSON.string) ?? .null), ("plan", plan.map(JSON.string) ?? .null),
                ("seats", .int(seats)), ("cost", price.map { .number($0.decimal) } ?? .null),
                ("currency", price.map { .string($0.currency.code) } ?? .null), ("period", period.map(JSON.string) ?? .null),
            ])
        }
    }

    public struct SoftwareAsk: Sendable {
        public var name: String
        public var vendor: String?
        public var plan: String?
        public var seats: Int64 = 1
        public var cost: Money?
        public var period: Period?
        public var reason: String?
        public init(name: String) { self.name = name }
    }

    public static func newSoftware(_ session: Session, _ ask: SoftwareAsk) throws -> RequestOutcome {
        try LicenseDraft.validateName(ask.name)
        guard ask.seats > 0, ask.seats <= 10_000 else { throw OWError.usage("--seats must be from 1 to 10000") }
        let (money, period) = (ask.cost, ask.period)
        if let m = money, m.minor < 0 { throw OWError.usage("a cost cannot be negative") }
        if money != nil && period == nil { throw OWError.usage("--cost needs --period (monthly, yearly, …)") }
        let payload = SoftwarePayload(
            name: ask.name, vendor: ask.vendor, plan: ask.plan, seats: ask.seats, price: money, period: period?.description
        ).json
        let summary = "software: \(ask.name)" + (ask.seats > 1 ? " × \(ask.seats)" : "")
        return try insert(session, kind: "software", summary: summary, payload: payload, reason: ask.reason, cost: money)
    }

    public static func newPurchase(_ session: Session, item: String, cost money: Money, reason: String?) throws -> RequestOutcome {
        let trimmed = item.trimmed(.whitespaces)
        guard !trimmed.isEmpty, trimmed.count <= 200 else { throw OWError.usage("name the item to buy (1-200 characters)") }
        guard money.minor > 0 else { throw OWError.usage("a purchase costs more than nothing") }
        let payload = JSON.obj([("item", .string(trimmed)), ("cost", .number(money.decimal)), ("currency", .string(money.currency.code))])
        return try insert(session, kind: "purchase", summary: "purchase: \(trimmed)", payload: payload, reason: reason, cost: money)
    }

    public struct LeaveAsk: Sendable {
        public var from: Date
        public var to: Date
        public var type: Leave.Kind = .vacation
        public var halfDay = false
        public var note: String?
        public var force = false
        public init(from: Date, to: Date) {
            self.from = from
            self.to = to
        }
    }

    /// Leave: refuses overlaps with the person's own pending or approved leave, and vacation
    /// beyond the balance (unless an admin forces it), naming the dates.
    public static func newLeave(_ session: Session, _ ask: LeaveAsk) throws -> RequestOutcome {
        let (from, to) = (ask.from, ask.to)
        let (fromDay, toDay) = (Time.day(from), Time.day(to))
        guard from <= to else { throw OWError.usage("--to \(toDay) is before --from \(fromDay)") }
        guard Time.daysBetween(from, to) < 366 else { throw OWError.usage("one leave request covers at most a year") }
        if ask.halfDay && from != to { throw OWError.usage("a half day is one day: --from and --to must be the same date") }
        if ask.force && session.actor.role != .admin { throw OWError.notPermitted("only an admin may --force leave beyond the balance") }
        let user = try Users.get(session.db, session.actor.name)
        let holidays = try Config.holidays(session.ledger)
        let perYear = Leave.workingHalfDays(from: from, to: to, holidays: holidays)
        let halves = ask.halfDay ? 1 : perYear.values.reduce(0, +)
        guard halves > 0 else { throw OWError.refused("\(fromDay) to \(toDay) has no working days (weekends and holidays only)") }
        let payload = JSON.obj([
            ("from", .string(fromDay)), ("to", .string(toDay)), ("type", .string(ask.type.rawValue)),
            ("half_day", .bool(ask.halfDay)), ("days", .number(Leave.days(halves))),
        ])
        let summary =
            "leave (\(ask.type.rawValue)): \(fromDay)" + (fromDay == toDay ? "" : " to \(toDay)") + ", \(Leave.days(halves)) day(s)"
        return try session.write {
            if let clash = try session.db.one(
                """
                SELECT id, leave_from, leave_to, status FROM requests
                WHERE kind = 'leave' AND requester_id = ? AND status IN ('pending','approved') AND leave_from <= ? AND leave_to >= ?
                ORDER BY leave_from LIMIT 1
                """, user.id, toDay, fromDay)
            {
                throw OWError.refused(
                    "\(fromDay) to \(toDay) overlaps your \(try clash.text("status")) leave #\(try clash.integer("id")) from \(try clash.text("leave_from")) to \(try clash.text("leave_to"))"
                )
            }
            if ask.type == .vacation {
                for (year, need) in perYear.sorted(by: { $0.key < $1.key }) {
                    let b = try Leave.balance(session.ledger, user: user, year: year)
                    let asked = ask.halfDay ? 1 : need
                    if asked > b.remaining && !ask.force {
                        throw OWError.refused(
                            "\(fromDay) to \(toDay) needs \(Leave.days(asked)) day(s) of \(year)'s vacation but \(user.name) has \(Leave.days(b.remaining)) left",
                            hint: "an admin can approve beyond the balance with --force")
                    }
                }
            }
            var outcome = try insert(
                session, kind: "leave", summary: summary, payload: payload, reason: ask.note, cost: nil,
                leave: (fromDay, toDay, ask.type.rawValue, Int64(halves)), runHooks: false)
            outcome.remainingLeave = try Leave.balance(session.ledger, user: user, year: Time.civilFromDays(Time.split(from).days).year)
            return outcome
        }.afterCommit(session)
    }

    package static func insert(
        _ session: Session, kind: String, summary: String, payload: JSON, reason: String?, cost: Money?,
        leave: (String, String, String, Int64)? = nil, runHooks: Bool = true
    ) throws -> RequestOutcome {
        if let reason, reason.count > 2000 { throw OWError.usage("keep the reason under 2000 characters") }
        let request: Request = try session.write {
            let user = try Users.get(session.db, session.actor.name)
            try session.db.run(
                """
                INSERT INTO requests(kind, requester_id, summary, payload, reason, cost_minor, currency, leave_from, leave_to, leave_type, leave_halfdays, created_at)
                VALUES (?,?,?,?,?,?,?,?,?,?,?,?)
                """, kind, user.id, summary, payload.encoded(), reason, cost?.minor, cost?.currency.code,
                leave?.0, leave?.1, leave?.2, leave?.3, Time.rfc3339(session.now))
            let id = session.db.lastInsertRowID
            try session.audit("request.new", "request:\(id)", .obj([("kind", .string(kind)), ("summary", .string(summary))]))
            let request = try find(session.db, id)!
            try Outbox.emit(
                session.db, now: session.now, event: .request, subject: "request:\(id)", day: Time.day(session.now), payload: request.event)
            return request
        }
        let outcome = RequestOutcome(request: request, warnings: [])
        return runHooks ? outcome.afterCommit(session) : outcome
    }

    /// The requester withdraws a pending request.
    public static func cancel(_ session: Session, _ id: Int64) throws -> RequestOutcome {
        try session.write {
            let r = try visible(session, id)
            guard r.requester.equalsIgnoringCase(session.actor.name) else {
                throw OWError.notPermitted(
                    "request #\(id) is \(r.requester)'s; only the requester can cancel it",
                    hint: "an admin rejects it instead: owatch approve --reject \(id) -m REASON")
            }
            guard r.status == .pending || r.status == .awaitingSecond else {
                throw OWError.refused("request #\(id) is already \(r.status.rawValue)")
            }
            try session.db.run(
                "UPDATE requests SET status = 'cancelled', decided_at = ? WHERE id = ? AND status = 'pending'", Time.rfc3339(session.now),
                id)
            try session.audit("request.cancel", "request:\(id)")
            return RequestOutcome(request: try find(session.db, id)!, warnings: [])
        }
    }
}

extension RequestOutcome {
    /// Runs the hook for the request's new state, after its transaction committed.
    func afterCommit(_ session: Session) -> RequestOutcome {
        let event: String
        switch request.status {
        case .pending: event = "post-request"
        case .approved: event = "post-approve"
        case .rejected: event = "post-reject"
        case .cancelled, .awaitingSecond: return self
        }
        var payload = request.event
        if case .object(var members) = payload {
            members.insert(JSON.Member("event", .string(event)), at: 0)
            payload = .object(members)
        }
        var copy = self
        let outcome = Hooks.run(event, payload: payload, ledger: session.ledger)
        copy = RequestOutcome(request: request, warnings: warnings + [outcome.warning].compactMap { $0 }, remainingLeave: remainingLeave)
        return copy
    }
}

extension Requests.SoftwarePayload {
    /// A stored request's; `summary` names the license when the payload does not (requests
    /// written before names were kept), the ledger's currency prices a cost without one.
    package init(_ request: Request, ledgerCurrency: String) {
        let p = request.payload
        name = p["name"]?.stringValue ?? request.summary
        vendor = p["vendor"]?.stringValue
        plan = p["plan"]?.stringValue
        seats = p["seats"]?.intValue ?? 1
        period = p["period"]?.stringValue
        if case .number(let n)? = p["cost"], let currency = try? Currency.parse(p["currency"]?.stringValue ?? ledgerCurrency) {
            price = try? MoneyParser.parse(n, defaultCurrency: currency) as Money
        }
    }
}
