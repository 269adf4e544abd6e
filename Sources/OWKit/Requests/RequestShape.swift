import FoundationEssentials
import OWCore
import OWIdentity
import OWOffice

/// The one declaration of a request's output, beside its type: `request` and `approve` rows and
/// the payload hooks and notifications receive come from it, so they cannot differ.
extension Request {
    /// A request as `--json` rows, tables, the manual's OUTPUT and hook payloads (`event`) show it.
    public static let shape = Shape<Request>(
        [
            Field("id", "request id") { .int($0.id) },
            Field("kind", "software, leave or purchase", kind: .code) { .text($0.kind.rawValue) },
            Field(
                "status", "pending, awaiting_second (approved once, above approval.second_above), approved, rejected or cancelled",
                kind: .code
            ) { .text($0.status.rawValue) },
            Field("requester", "who asked") { .text($0.requester) },
            Field("summary", "what was asked for", kind: .text) { .text($0.summary) },
            .money("cost", "price, if any") { $0.cost },
            Field("reason", "why", kind: .text) { .text($0.reason) },
            Field("leave_from", "leave: first day", kind: .date) { .text($0.leaveFrom) },
            Field("leave_to", "leave: last day", kind: .date) { .text($0.leaveTo) },
            Field("leave_type", "vacation, sick or unpaid", kind: .code) { .text($0.leaveType?.rawValue) },
            Field("days", "leave: working days", kind: .number) { r in
                r.leaveHalfDays.map { .json(.number(Leave.days(Int($0)))) } ?? .text(nil)
            },
            Field("license", "software: the license the seat came from") { .text($0.license) },
            Field("created_at", "RFC 3339", kind: .date) { .text($0.createdAt) },
            Field("decided_at", "RFC 3339", kind: .date) { .text($0.decidedAt) },
            Field("decided_by", "the admin who decided") { .text($0.decidedBy) },
            Field("note", "the decision's note or reason", kind: .text) { .text($0.note) },
            Field("first_approved_by", "above approval.second_above: the admin who approved first") { .text($0.firstApprovedBy) },
            Field("first_approved_at", "RFC 3339: when the first approval was given", kind: .date) { .text($0.firstApprovedAt) },
        ], table: ["id", "kind", "status", "requester", "summary", "cost", "created_at", "decided_by"], keep: ["summary", "cost"],
        dropFirst: ["decided_by", "created_at"])

    /// What hooks and notifications receive: the `--json` row, and the request's own details
    /// (what the requester asked for, as stored).
    public var event: JSON {
        .obj(Exporter.flatten(Request.shape.record(self)) + [("details", payload)])
    }
}
