import FoundationEssentials
import OWCore
import OWIdentity
import OWOffice

/// Admins decide requests. Approving software provisions the seat in the same transaction.
public enum Approvals {
    /// One line of the approval queue.
    public struct QueueEntry: Sendable {
        public let request: Request
        public let ageDays: Int
        public let balance: Leave.Balance?  // leave: the requester's vacation balance
        public let awayInDept: [String]  // leave: others in the department away then
        public let deptSize: Int
        /// Software: what approving will cost (nil for other kinds).
        public var seat: SeatCost? = nil
        /// Software and purchases: the budgets this month it falls in, tightest first.
        public var budgets: [BudgetImpact] = []
        public var deptMostlyAway: Bool { deptSize >= 2 && (awayInDept.count + 1) * 2 > deptSize }
    }

    /// What approving a software request costs: nothing for a seat already held or free, the
    /// current price per seat for a new seat, the request's price for a new license.
    public enum SeatCost: Sendable {
        case held(license: String)
        case free(license: String)
        case newSeat(license: String, price: Money, period: Period)
        case newLicense(name: String, price: Money?, period: String)

        public var description: String {
            switch self {
            case .held(let l): return "nothing: already holds a seat of \(l)"
            case .free(let l): return "nothing: a free seat of \(l)"
            case .newSeat(let l, let price, let period): return "a new seat of \(l): \(price.display) \(period.description)"
            case .newLicense(let n, let price, let period):
                return "a new license \(n): " + (price.map { "\($0.display) \(period)" } ?? "no price given")
            }
        }

        public var buysASeat: Bool {
            switch self {
            case .held, .free: return false
            case .newSeat, .newLicense: return true
            }
        }
    }

    /// The license a software request names: by name, or as the one active license of its vendor and plan.
    package static func license(for r: Request, _ session: Session) throws -> License? {
        let db = session.db
        let p = Requests.SoftwarePayload(r, ledgerCurrency: session.ledger.currency)
        let plan = p.plan
        if let l = try Licenses.find(db, p.name) { return l }
        guard let vendor = try Vendors.resolve(db, p.vendor ?? p.name) else { return nil }
        var f = LicenseFilter()
        f.vendor = vendor.name
        f.includeCancelled = false
        let candidates = try Licenses.list(db, filter: f, today: session.now).filter {
            plan == nil || $0.plan?.equalsIgnoringCase(plan!) == true
        }
        return candidates.count == 1 ? candidates[0] : nil
    }

    public static func seatCost(_ session: Session, _ r: Request) throws -> SeatCost {
        guard let l = try license(for: r, session) else {
            let p = Requests.SoftwarePayload(r, ledgerCurrency: session.ledger.currency)
            return .newLicense(name: p.name, price: p.price, period: p.period ?? "monthly")
        }
        if l.holders.contains(where: { $0.equalsIgnoringCase(r.requester) }) { return .held(license: l.name) }
        if l.isUnlimited || (l.freeSeats ?? 0) > 0 { return .free(license: l.name) }
        return .newSeat(license: l.name, price: try Licenses.currentSeatPrice(session.db, l, seats: 1), period: l.period)
    }

    /// Pending requests, oldest first, with what an approver needs to decide.
    public static func queue(_ session: Session) throws -> [QueueEntry] {
        let pending = try session.db.fetchAll(Request.self, Request.selectSQL + " WHERE r.status = 'pending' ORDER BY r.id")
        return try pending.map { r in
            let created = Time.parseRFC3339(r.createdAt) ?? session.now
            var balance: Leave.Balance?
            var away: [String] = []
            var deptSize = 0
            if r.kind == .leave, let from = r.leaveFrom, let to = r.leaveTo {
                let user = try Users.get(session.db, r.requester)
                if let d = Time.parseDay(from) {
                    balance = try Leave.balance(session.ledger, user: user, year: Time.civilFromDays(Time.split(d).days).year)
                }
                if let dept = user.dept {
                    deptSize = Int(
                        try session.db.scalar("SELECT count(*) FROM users WHERE dept = ? COLLATE NOCASE AND status = 'active'", dept))
                    away = try session.db.query(
                        """
                        SELECT DISTINCT u.name FROM requests q JOIN users u ON u.id = q.requester_id
                        WHERE q.kind = 'leave' AND q.status IN ('approved','pending') AND u.dept = ? COLLATE NOCASE AND u.id != ?
                          AND q.leave_from <= ? AND q.leave_to >= ? ORDER BY u.name
                        """, dept, user.id, to, from
                    ).map { try $0.text("name") }
                }
            }
            var entry = QueueEntry(
                request: r, ageDays: max(0, Time.daysBetween(created, session.now)), balance: balance, awayInDept: away,
                deptSize: deptSize)
            if r.kind == .software { entry.seat = try seatCost(session, r) }
            entry.budgets = try Budgets.impact(session, r)
            return entry
        }
    }

    static func pendingForDecision(_ session: Session, _ id: Int64) throws -> Request {
        guard let r = try Requests.find(session.db, id) else { throw OWError.notFound("request #\(id)", hint: "see `owatch approve`") }
        guard r.status == .pending || r.status == .awaitingSecond else {
            let by = r.decidedBy.map { " by \($0)" } ?? ""
            throw OWError.refused("request #\(id) was already \(r.status.rawValue)\(by)\(r.decidedAt.map { " at \($0)" } ?? "")")
        }
        guard !r.requester.equalsIgnoringCase(session.actor.name) else {
            throw OWError.refused("request #\(id) is your own; another admin must decide it")
        }
        return r
    }

    /// Approves one request. For software: finds the license (by name, or the one active license
    /// of the vendor and plan) or creates it from the request, buys a seat if none is free, and
    /// assigns it, all in one transaction with the decision and its audit events.
    /// `noGrow`: a software request is approved only onto a seat that is free already.
    /// Above config approval.second_above a request needs two different admins: the first
    /// approval records who gave it and the request waits as `awaiting_second`; the second
    /// provisions. A request over a budget this month needs `overBudget`, and its audit event says so.
    /// What one `approve ID…` (or `--reject`) decided: each request in its own transaction, so one
    /// refusal does not undo the others; the command fails with the first refusal's exit code.
    public struct Batch: Sendable {
        public var decided: [RequestOutcome] = []
        public var refused: [(id: Int64, error: OWError)] = []
        /// SPEC §5: 0 when every request was decided, else the first refusal's code.
        public var exitCode: Int32 { refused.first?.error.exitCode ?? 0 }
    }

    /// Approve or reject (not `Decision`: that is a renewal's keep/cancel/renegotiate).
    public enum Ruling: Sendable {
        case approve(note: String?, force: Bool, noGrow: Bool, overBudget: Bool)
        case reject(reason: String)
    }

    /// Decides several requests, in order; `each` sees every outcome as it is made (for messages).
    public static func decide(
        _ session: Session, _ ids: [Int64], _ decision: Ruling, each: (Result<RequestOutcome, OWError>) -> Void = { _ in }
    ) throws -> Batch {
        if case .reject(let reason) = decision, reason.trimmed(.whitespacesAndNewlines).isEmpty {
            throw OWError.usage("rejecting needs a reason: -m REASON")
        }
        var batch = Batch()
        for id in ids {
            do {
                let outcome: RequestOutcome
                switch decision {
                case .approve(let note, let force, let noGrow, let overBudget):
                    outcome = try approve(session, id, note: note, force: force, noGrow: noGrow, overBudget: overBudget)
                case .reject(let reason): outcome = try reject(session, id, reason: reason)
                }
                batch.decided.append(outcome)
                each(.success(outcome))
            } catch let e as OWError {
                batch.refused.append((id, e))
                each(.failure(e))
            }
        }
        return batch
    }

    public static func approve(
        _ session: Session, _ id: Int64, note: String?, force: Bool = false, noGrow: Bool = false, overBudget: Bool = false
    ) throws -> RequestOutcome {
        var cost: SeatCost?
        var over: [BudgetImpact] = []
        let decided: Request = try session.write {
            let r = try pendingForDecision(session, id)
            if r.status == .awaitingSecond, let first = r.firstApprovedBy, first.lowercased() == session.actor.name.lowercased() {
                throw OWError.refused(
                    "you approved request #\(id) first; it needs a second, different admin",
                    hint: "another admin runs `owatch approve \(id)`")
            }
            over = try Budgets.impact(session, r).filter(\.isOver)
            if !over.isEmpty && !overBudget {
                throw OWError.refused(
                    "approving #\(id) would go over budget: " + over.map(\.description).joined(separator: "; "),
                    hint: "approve anyway with --over-budget (the audit event records it)")
            }
            let overJSON: JSON =
                over.isEmpty
                ? .null
                : .array(
                    over.map { b in
                        .obj([
                            ("budget", .string(b.budget.label)), ("cost", .number(b.cost.decimal)),
                            ("remaining_after", b.after.map { .number($0.decimal) } ?? .null),
                            ("currency", .string(b.cost.currency.code)),
                        ])
                    })
            if r.status == .pending, try needsSecond(session, r) {
                try session.db.run(
                    "UPDATE requests SET first_approved_by = ?, first_approved_at = ? WHERE id = ? AND status = 'pending' AND first_approved_by IS NULL",
                    try Users.get(session.db, session.actor.name).id, Time.rfc3339(session.now), id)
                guard session.db.changes == 1 else { throw OWError.refused("request #\(id) changed while being approved; try again") }
                try session.audit(
                    "request.approve_first", "request:\(id)",
                    .obj([("kind", .string(r.kind.rawValue)), ("note", note.map(JSON.string) ?? .null), ("over_budget", overJSON)]))
                return try Requests.find(session.db, id)!
            }
            var licenseID: Int64?
            switch r.kind {
            case .software:
                let seat = try seatCost(session, r)
                if noGrow && seat.buysASeat {
                    throw OWError.refused("approving #\(id) would buy \(seat.description); --no-grow approves only onto a free seat")
                }
                cost = seat
                licenseID = try provision(session, r)
            case .leave: try recheckLeave(session, r, force: force)
            case .purchase: try expectSpend(session, r)
            }
            let me = try Users.get(session.db, session.actor.name)
            try session.db.run(
                """
                UPDATE requests SET status = 'approved', decided_at = ?, decided_by = ?, note = ?, license_id = COALESCE(?, license_id)
                WHERE id = ? AND status = 'pending'
                """, Time.rfc3339(session.now), me.id, note, licenseID, id)
            guard session.db.changes == 1 else { throw OWError.refused("request #\(id) changed while being approved; try again") }
            try session.audit(
                "request.approve", "request:\(id)",
                .obj([
                    ("kind", .string(r.kind.rawValue)), ("note", note.map(JSON.string) ?? .null),
                    ("license_id", licenseID.map { JSON.int($0) } ?? .null), ("over_budget", overJSON),
                    ("first_approved_by", r.firstApprovedBy.map(JSON.string) ?? .null),
                ]))
            let approved = try Requests.find(session.db, id)!
            try Outbox.emit(
                session.db, now: session.now, event: .approval, subject: "request:\(id)", day: Time.day(session.now),
                payload: approved.event)
            return approved
        }
        var outcome = RequestOutcome(request: decided, warnings: []).afterCommit(session)
        outcome.seat = cost
        outcome.overBudget = over
        return outcome
    }

    /// Whether a request costs more than config approval.second_above (a software request
    /// without a price: what its seat would cost). An amount with no rate to compare needs two.
    static func needsSecond(_ session: Session, _ r: Request) throws -> Bool {
        guard r.kind != .leave, let limit = try Config.secondApprovalAbove(session.ledger) else { return false }
        var amount = r.cost
        if amount == nil, r.kind == .software {
            switch try seatCost(session, r) {
            case .newSeat(_, let price, _): amount = price
            case .newLicense(_, let price, _): amount = price
            case .held, .free: amount = nil
            }
        }
        guard let amount else { return false }
        let converter = BaseConverter(currency: limit.currency, rates: ExchangeRates(session.db), today: Time.day(session.now))
        guard let c = try converter.convert(amount, on: Time.day(session.now)) else { return true }
        return c.money.minor > limit.minor
    }

    public static func reject(_ session: Session, _ id: Int64, reason: String) throws -> RequestOutcome {
        let reason = reason.trimmed(.whitespacesAndNewlines)
        guard !reason.isEmpty else { throw OWError.usage("rejecting needs a reason: -m REASON") }
        let decided: Request = try session.write {
            _ = try pendingForDecision(session, id)
            let me = try Users.get(session.db, session.actor.name)
            try session.db.run(
                "UPDATE requests SET status = 'rejected', decided_at = ?, decided_by = ?, note = ? WHERE id = ? AND status = 'pending'",
                Time.rfc3339(session.now), me.id, reason, id)
            try session.audit("request.reject", "request:\(id)", .obj([("reason", .string(reason))]))
            let rejected = try Requests.find(session.db, id)!
            try Outbox.emit(
                session.db, now: session.now, event: .rejection, subject: "request:\(id)", day: Time.day(session.now),
                payload: rejected.event)
            return rejected
        }
        return RequestOutcome(request: decided, warnings: []).afterCommit(session)
    }

    static func provision(_ session: Session, _ r: Request) throws -> Int64 {
        let p = Requests.SoftwarePayload(r, ledgerCurrency: session.ledger.currency)
        var license = try license(for: r, session)
        if license == nil {
            let vendor = p.vendor ?? p.name
            let free = Money(minor: 0, currency: try Currency.parse(session.ledger.currency))
            var d = LicenseDraft(name: p.name, vendor: vendor, seats: p.seats, price: p.price ?? free)
            d.plan = p.plan
            d.period = try p.period.map(Period.parse) ?? .monthly
            d.notes = "created by approving request #\(r.id)"
            let created = try Licenses.add(session, d)
            license = created
        }
        guard let l = license else { throw OWError.refused("no license for request #\(r.id)") }
        guard l.isActive else { throw OWError.refused("license '\(l.name)' is cancelled; reactivate or add a new one before approving") }
        if !l.holders.contains(where: { $0.equalsIgnoringCase(r.requester) }) {
            _ = try Licenses.assign(session, String(l.id), users: [r.requester], grow: true)
        }
        return l.id
    }

    /// A concurrent approval may have used the balance since the request was made.
    static func recheckLeave(_ session: Session, _ r: Request, force: Bool) throws {
        guard r.leaveType == .vacation, let from = r.leaveFrom.flatMap(Time.parseDay) else { return }
        let user = try Users.get(session.db, r.requester)
        let b = try Leave.balance(session.ledger, user: user, year: Time.civilFromDays(Time.split(from).days).year)
        if b.remaining < 0 && !force {
            throw OWError.refused(
                "\(user.name) would have \(Leave.days(b.remaining)) vacation day(s) left", hint: "approve anyway with --force")
        }
    }

    /// An approved purchase becomes expected spend: a later charge for it is not shadow IT.
    static func expectSpend(_ session: Session, _ r: Request) throws {
        guard let cost = r.cost else { return }
        let item = r.payload["item"]?.stringValue ?? r.summary
        let vendor = try Vendors.resolve(session.db, item)
        try session.db.run(
            "INSERT INTO expected_spend(request_id, item, vendor_id, amount_minor, currency, approved_on) VALUES (?,?,?,?,?,?)",
            r.id, item, vendor?.id, cost.minor, cost.currency.code, Time.day(session.now))
    }
}
