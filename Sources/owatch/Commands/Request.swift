import Foundation
import OWKit

enum RequestCommand {
    static let columns = ["id", "kind", "status", "requester", "summary", "cost", "cost_minor", "currency", "reason", "leave_from", "leave_to",
                          "leave_type", "days", "license", "created_at", "decided_at", "decided_by", "note"]
    static let tableColumns = ["id", "kind", "status", "requester", "summary", "cost", "created_at", "decided_by"]

    static func record(_ r: Request) -> Record {
        Record([("id", .int(r.id)), ("kind", .text(r.kind)), ("status", .text(r.status)), ("requester", .text(r.requester)),
                ("summary", .text(r.summary)), ("cost", .money(r.cost)), ("reason", .text(r.reason)), ("leave_from", .text(r.leaveFrom)),
                ("leave_to", .text(r.leaveTo)), ("leave_type", .text(r.leaveType)), ("days", r.leaveHalfDays.map { .json(.number(Leave.days(Int($0)))) } ?? .text(nil)),
                ("license", .text(r.license)), ("created_at", .text(r.createdAt)), ("decided_at", .text(r.decidedAt)),
                ("decided_by", .text(r.decidedBy)), ("note", .text(r.note))])
    }

    static func report(_ inv: Invocation, _ outcome: RequestOutcome) {
        for w in outcome.warnings { inv.warn(w) }
    }

    /// `request new KIND …`: software, leave or purchase. The options that apply depend on the kind.
    static func new(_ inv: Invocation) throws {
        let s = inv.session
        let kind = inv.argument(0)
        let outcome: RequestOutcome
        switch kind {
        case "software":
            guard inv.arguments.count == 2 else { throw OWError.usage("name the software: owatch request new software NAME") }
            var ask = Requests.SoftwareAsk(name: inv.argument(1))
            ask.vendor = inv.value("vendor"); ask.plan = inv.value("plan"); ask.cost = inv.value("cost"); ask.period = inv.value("period")
            ask.reason = inv.value("reason")
            if let n = try inv.integer("seats", range: 1...10_000) { ask.seats = Int64(n) }
            try refuse(inv, ["from", "to", "type", "half-day", "note", "force"], for: kind)
            outcome = try Requests.newSoftware(s, ask)
        case "leave":
            guard inv.arguments.count == 1 else { throw OWError.usage("leave takes no name: owatch request new leave --from DATE --to DATE") }
            guard let from = inv.value("from") else { throw OWError.usage("leave needs --from DATE") }
            var ask = Requests.LeaveAsk(from: from, to: inv.value("to") ?? from)
            if let t = inv.value("type") {
                guard let k = Leave.Kind(rawValue: t) else { throw OWError.usage("--type must be vacation, sick or unpaid") }
                ask.type = k
            }
            ask.halfDay = inv.flag("half-day"); ask.note = inv.value("note") ?? inv.value("reason"); ask.force = inv.flag("force")
            try refuse(inv, ["vendor", "plan", "seats", "cost", "period"], for: kind)
            outcome = try Requests.newLeave(s, ask)
        default:  // purchase
            guard inv.arguments.count == 2 else { throw OWError.usage("name the item: owatch request new purchase ITEM --cost AMOUNT") }
            guard let cost = inv.value("cost") else { throw OWError.usage("a purchase needs --cost AMOUNT") }
            try refuse(inv, ["vendor", "plan", "seats", "period", "from", "to", "type", "half-day", "force"], for: kind)
            outcome = try Requests.newPurchase(s, item: inv.argument(1), cost: cost, reason: inv.value("reason"))
        }
        inv.emitChanged(record(outcome.request), tableColumns: tableColumns)
        var message = "Request #\(outcome.request.id) (\(outcome.request.summary)) is waiting for an admin."
        if let b = outcome.remainingLeave {
            message += " Vacation left in \(b.year): \(Leave.days(b.remaining)) of \(Leave.days(b.allowance)) day(s), counting pending requests."
        }
        inv.note(message)
        report(inv, outcome)
    }

    static func refuse(_ inv: Invocation, _ options: [String], for kind: String) throws {
        if let o = options.first(where: { inv.flag($0) }) { throw OWError.usage("--\(o) does not apply to a \(kind) request") }
    }

    static func list(_ inv: Invocation) throws {
        var f = Requests.Filter()
        f.all = inv.flag("all"); f.status = inv.value("status"); f.kind = inv.value("kind"); f.user = inv.value("user")
        inv.emit(try Requests.list(inv.session, f).map(record), columns: columns, tableColumns: tableColumns)
    }

    static func show(_ inv: Invocation) throws {
        inv.emit(record(try Requests.visible(inv.session, try Requests.parseID(inv.argument(0)))))
    }

    static func cancel(_ inv: Invocation) throws {
        let outcome = try Requests.cancel(inv.session, try Requests.parseID(inv.argument(0)))
        inv.emitChanged(record(outcome.request), tableColumns: tableColumns)
        inv.note("Cancelled request #\(outcome.request.id).")
    }
}

enum ApproveCommand {
    static func run(_ inv: Invocation) throws {
        let s = inv.session
        if inv.arguments.isEmpty {
            guard !inv.flag("reject") else { throw OWError.usage("name the request(s) to reject: owatch approve --reject ID -m REASON") }
            return queue(inv)
        }
        let ids = try inv.arguments.map(Requests.parseID)
        let note = inv.value("message")
        if inv.flag("reject"), (note ?? "").trimmed(.whitespaces).isEmpty {
            throw OWError.usage("rejecting needs a reason: -m REASON")
        }
        var firstError: OWError?
        var decided: [Record] = []
        // Each request is decided in its own transaction: one refusal does not undo the others.
        for id in ids {
            do {
                let outcome = inv.flag("reject") ? try Approvals.reject(s, id, reason: note!)
                    : try Approvals.approve(s, id, note: note, force: inv.flag("force"), noGrow: inv.flag("no-grow"))
                decided.append(RequestCommand.record(outcome.request))
                let r = outcome.request
                inv.note(r.status == "approved" ? "Approved #\(r.id) (\(r.summary))" + (r.license.map { "; \(r.requester) holds a seat of \($0)" } ?? "") + "."
                                                : "Rejected #\(r.id) (\(r.summary)).")
                RequestCommand.report(inv, outcome)
                if let seat = outcome.seat { inv.note("Cost: \(seat.description).") }
            } catch let e as OWError {
                inv.term.report(e)
                firstError = firstError ?? e
            }
        }
        if !decided.isEmpty || inv.exporter.format != .table {
            inv.emit(decided, columns: RequestCommand.columns, tableColumns: RequestCommand.tableColumns)
        }
        if let firstError { throw SilentExit(code: firstError.exitCode) }
    }

    static func queue(_ inv: Invocation) {
        do {
            let entries = try Approvals.queue(inv.session)
            inv.emit(entries.map { e in
                var warning: String? = nil
                if e.deptMostlyAway { warning = "more than half of \(e.request.requesterDept ?? "the department") would be away" }
                return Record([("id", .int(e.request.id)), ("age_days", .int(Int64(e.ageDays))), ("requester", .text(e.request.requester)),
                               ("kind", .text(e.request.kind)), ("summary", .text(e.request.summary)), ("cost", .money(e.request.cost)),
                               ("vacation_left", .text(e.balance.map { Leave.days($0.remaining) })), ("away_in_dept", .list(e.awayInDept)),
                               ("warning", .text(warning)), ("reason", .text(e.request.reason)), ("if_approved", .text(e.seat?.description))])
            }, columns: ["id", "age_days", "requester", "kind", "summary", "cost", "cost_minor", "currency", "vacation_left", "away_in_dept", "warning", "reason",
                         "if_approved"])
            if entries.isEmpty { inv.note("Nothing waits for approval.") }
        } catch {
            inv.warn("\(error)")
        }
    }
}

/// Ends the process with a code after output and messages were already written.
struct SilentExit: Error { let code: Int32 }
