import OWCLI
import OWKit

enum ApproveCommand {
    static func run(_ inv: Call<ApproveOption>) throws {
        let s = inv.session
        if inv.arguments.isEmpty {
            guard !inv.flag(.reject) else { throw OWError.usage("name the request(s) to reject: owatch approve --reject ID -m REASON") }
            return try queue(inv)
        }
        let ids = try inv.arguments.map { try Invocation.id($0, of: "request") }
        let decision: Approvals.Ruling =
            inv.flag(.reject)
            ? .reject(reason: inv.value(.message) ?? "")
            : .approve(
                note: inv.value(.message), force: inv.flag(.force), noGrow: inv.flag(.noGrow), overBudget: inv.flag(.overBudget))
        let batch = try Approvals.decide(s, ids, decision) { result in
            switch result {
            case .success(let outcome): tell(inv, outcome)
            case .failure(let e): inv.term.report(e)
            }
        }
        inv.emitChanged(list: batch.decided.map(\.request), as: Request.shape)
        if batch.exitCode != 0 { throw SilentExit(code: batch.exitCode) }
    }

    /// The messages for one decided request.
    static func tell(_ inv: Invocation, _ outcome: RequestOutcome) {
        let r = outcome.request
        if r.status == .awaitingSecond {
            inv.note("Approved #\(r.id) (\(r.summary)) first; it is above approval.second_above and waits for a second admin.")
        }
        for b in outcome.overBudget { inv.warn("#\(r.id) goes over budget: \(b.description).") }
        guard r.status != .awaitingSecond else { return }
        inv.note(
            r.status == .approved
                ? "Approved #\(r.id) (\(r.summary))" + (r.license.map { "; \(r.requester) holds a seat of \($0)" } ?? "") + "."
                : "Rejected #\(r.id) (\(r.summary)).")
        RequestCommand.report(inv, outcome)
        if let seat = outcome.seat { inv.note("Cost: \(seat.description).") }
    }

    /// The pending queue. A failure to read it is an error with its exit code, not a warning.
    static func queue(_ inv: Invocation) throws {
        let entries = try Approvals.queue(inv.session)
        inv.emitUnlessEmptyTable(entries, as: queueShape)
        if entries.isEmpty { inv.note("Nothing waits for approval.") }
    }
}
extension ApproveCommand {
    static let queueShape = Approvals.QueueEntry.shape
}

/// Ends the process with a code after output and messages were already written.
struct SilentExit: Error { let code: Int32 }

/// `owatch approve`: its manual page.
let approveNoun = Noun(
    name: "approve", summary: "decide requests",
    description: """
        With no ids, shows the pending queue oldest first: age in days, requester, what, cost, and for leave the requester's remaining vacation and who else in the department is away then, with a warning when more than half of the department would be away.
        With ids, approves them (or rejects them with --reject, which needs -m REASON).
        No one decides their own request; a request already decided is refused with who decided it.
        Software and purchase requests show the tightest budget (owatch-budget(1)) they fall in this month and what it would have left; approving one that takes a budget below zero is refused unless --over-budget, and the audit event then lists the budgets gone over.
        With config approval.second_above AMOUNT, a software or purchase request costing more needs two different admins: the first approval moves it to awaiting_second (audit event request.approve_first) and the second, by another admin, provisions it; the same admin twice is refused, the requester never decides, and either admin may reject it at either stage.
        Approving a software request is one transaction: the license is found by name (or as the one active license of the vendor and plan) or created from the request, a seat is bought if none is free, it is assigned to the requester, and the request is marked approved with its audit events; if any step fails nothing changes.
        The post-approve and post-reject hooks run after the decision is committed, with the event as JSON on standard input and OWATCH_EVENT set: the request's keys under OUTPUT in the same order, with event first and the request's details as asked last; a hook that fails or runs longer than 10 seconds only causes a warning.
        """
)

/// `owatch approve …`: its commands, in help order.
let approveCommands: [Command] = [
    Command(
        noun: "approve", verb: nil, summary: "show the approval queue, or approve or reject requests",
        arguments: [Argument(name: "ID", optional: true, variadic: true)],
        options: ApproveCommand.ApproveOption.self,
        access: .roles(adminOnly),
        examples: [
            "owatch approve", "owatch approve 12 13 -m 'enjoy'", "owatch approve --reject 14 -m 'we have a team plan already'",
            "owatch approve 15 --over-budget -m 'needed for the launch'", "owatch config set approval.second_above 1000",
        ],
        output: ApproveCommand.queueShape.docs + Request.shape.docs,
        run: ApproveCommand.run)
]

extension ApproveCommand {
    enum ApproveOption: String, OptionKeys {
        case message, reject, force
        case noGrow = "no-grow"
        case overBudget = "over-budget"

        var spec: Option {
            switch self {
            case .message: Option(short: "m", value: "NOTE", "a note with the decision; required to reject")
            case .reject: Option("reject instead of approve")
            case .force: Option("approve leave beyond the balance")
            case .noGrow: Option("approve software only onto a seat that is free (never buy one)")
            case .overBudget: Option("approve even though a budget this month would go below zero (the audit event records it)")
            }
        }
    }
}
