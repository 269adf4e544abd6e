import FoundationEssentials
import OWCore
import OWIdentity
import OWOffice

/// The one declaration of an approval queue entry's output, beside its type: `approve` (no ids)
/// rows and the manual's OUTPUT come from it; the request's own keys are `Request.shape`'s.
extension Approvals.QueueEntry {
    public static let shape: Shape<Approvals.QueueEntry> = {
        let request = { (key: String) in Request.shape.field(key).pulledBack { (e: Approvals.QueueEntry) in e.request } }
        return Shape(
            [
                request("id"),
                Field("age_days", "queue: days waiting") { .int(Int64($0.ageDays)) },
                request("requester"), request("kind"), request("summary"), request("cost"),
                Field("vacation_left", "queue, leave: remaining vacation days", kind: .number) {
                    .text($0.balance.map { Leave.days($0.remaining) })
                },
                Field("away_in_dept", "queue, leave: others in the department away then", kind: .text) { .list($0.awayInDept) },
                Field("warning", "queue: e.g. more than half the department away", kind: .text) { e in
                    .text(e.deptMostlyAway ? "more than half of \(e.request.requesterDept ?? "the department") would be away" : nil)
                },
                request("reason"),
                request("status"), request("first_approved_by"),
                Field("budget", "queue, software and purchases: the tightest budget this month it falls in", kind: .text) {
                    .text($0.budgets.first?.budget.label)
                },
                .money("budget_left", "queue: what that budget would have left this month after approving (negative: over budget)") {
                    $0.budgets.first?.after
                },
                Field("if_approved", "queue, software: the seat approving provisions (which license, or none free)", kind: .text) {
                    .text($0.seat?.description)
                },
            ], keep: ["summary", "cost"], dropFirst: ["away_in_dept", "age_days", "reason", "first_approved_by", "status", "budget"])
    }()
}
