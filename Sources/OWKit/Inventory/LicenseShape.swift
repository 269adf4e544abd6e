import FoundationEssentials
import OWCore
import OWIdentity

/// The one declaration of a license's output, beside its type: `license list`, `show`, `add` and
/// the other license rows, `license list --user`'s shares, the renewals due (`license renewals`,
/// `report renewals`) and the manual's OUTPUT come from it.
extension License {
    /// A license as shown on a day (its next renewal); `withLines`: with its purchase lines
    /// (machine formats and `show`; a list table has one line per license).
    public struct Shown: Sendable {
        public let license: License
        public let today: Date
        public var withLines = true
        /// `license show`: the decision recorded for the coming renewal.
        public var decision: Decision? = nil

        public init(license: License, today: Date, withLines: Bool = true, decision: Decision? = nil) {
            self.license = license
            self.today = today
            self.withLines = withLines
            self.decision = decision
        }
    }

    /// A renewal to come, counted from today.
    public struct Due: Sendable {
        public let license: License
        public let date: Date
        public let today: Date

        public init(license: License, date: Date, today: Date) {
            self.license = license
            self.date = date
            self.today = today
        }
    }
}

extension License.Shown {
    public static let shape = Shape<License.Shown>(
        [
            Field("id", "license id") { .int($0.license.id) },
            Field("name", "license name") { .text($0.license.name) },
            Field("vendor", "vendor name") { .text($0.license.vendor) },
            Field("plan", "plan or null") { .text($0.license.plan) },
            Field("category", "category") { .text($0.license.category) },
            Field("seats", "seats paid for, or null when unlimited") { .intOr($0.license.seats, "unlimited") },
            Field("unlimited", "true for a site license") { .bool($0.license.isUnlimited) },
            Field("assigned", "seats held") { .int($0.license.assigned) },
            Field("free", "idle seats, or null when unlimited") { .intOr($0.license.freeSeats, "-") },
            .money("cost", "price per period, all purchase lines") { $0.license.cost },
            Field("period", "billing period", kind: .code) { .text($0.license.period.description) },
            Field("per_seat", "priced per seat") { .bool($0.license.perSeat) },
            Field("billing", "seats, or usage for a license billed by usage (no seats, never idle)", kind: .code) {
                .text($0.license.usageBilled ? "usage" : "seats")
            },
            .money("monthly", "exact monthly equivalent, rounded") { $0.license.monthly },
            Field("renews_on", "next renewal date or null", kind: .date) { s in
                .text(s.license.nextRenewal(onOrAfter: Time.startOfDay(s.today)).map(Time.day))
            },
            Field("cancel_by", "last day to give notice before the next renewal (renewal less notice and send-by), or null", kind: .date) {
                s in .text(s.license.cancelBy(onOrAfter: Time.startOfDay(s.today)).map(Time.day))
            },
            Field("notice", "notice period before a renewal, or null", kind: .code) { .text($0.license.terms?.notice?.description) },
            Field("send_by", "extra time allowed to send the notice (post, notary), or null", kind: .code) {
                .text($0.license.terms?.sendBy?.description)
            },
            Field("auto_renew", "true: renews by itself unless cancelled (the default); false: ends at its term end") {
                .bool($0.license.terms?.autoRenew ?? true)
            },
            Field("term_end", "end of the fixed term (or, without auto-renewal, the day it ends), or null", kind: .date) { s in
                .text(s.license.terms?.termEnd ?? s.license.termEnd(onOrAfter: Time.startOfDay(s.today)).map(Time.day))
            },
            Field("minimum_term", "minimum term from term_start, or null", kind: .code) {
                .text($0.license.terms?.minimumTerm?.description)
            },
            Field("term_start", "where the minimum term counts from, or null", kind: .date) { .text($0.license.terms?.termStart) },
            Field("then", "renewal cycle after the minimum term or term end, or null (the billing period)", kind: .code) {
                .text($0.license.terms?.then?.description)
            },
            Field("leads", "reminder lead times of this license, or null (config renewals.notify)", kind: .code) {
                .text($0.license.terms?.leads.map(ContractTerms.leadsText))
            },
            Field("decision", "show: keep, cancel or renegotiate, as decided for the coming renewal, or null", kind: .code) {
                .text($0.decision?.decision.rawValue)
            },
            Field("owner", "contract owner or null") { .text($0.license.owner) },
            Field("status", "active or cancelled", kind: .code) { .text($0.license.status.rawValue) },
            Field("ends_on", "last day of a cancelled contract", kind: .date) { .text($0.license.endsOn) },
            Field("notes", "notes", kind: .text) { .text($0.license.notes) },
            Field("assigned_to", "seat holders", kind: .text) { .list($0.license.holders) },
            Field("lines", "purchase lines: seats, cost, order, purchased_on (JSON formats)") { s in
                s.withLines ? .records(s.license.lines.map(PurchaseLine.shape.record)) : nil
            },
        ], table: ["id", "name", "vendor", "seats", "assigned", "cost", "period", "monthly", "renews_on", "cancel_by", "status"],
        keep: ["name", "monthly", "renews_on"], dropFirst: ["cost", "period", "vendor", "assigned", "cancel_by"])

    /// `license list --user`: each license with that person's monthly cost share.
    public static let shareShape = shape.adding(
        [
            .money("share", "with --user: that person's monthly cost share") {
                Money(minor: $0.license.seatMonthlyExact.rounded, currency: $0.license.currency)
            }
        ], table: ["id", "name", "vendor", "monthly", "assigned", "share", "renews_on"], keep: ["name", "share", "renews_on"],
        dropFirst: ["vendor", "assigned", "monthly"])
}

extension License.Due {
    public static let shape = Shape<License.Due>(
        [
            Field("renews_on", "next renewal date or null", kind: .date) { .text(Time.day($0.date)) },
            Field("cancel_by", "last day to give notice before the renewal, or null", kind: .date) {
                .text($0.license.terms?.cancelBy($0.date).map(Time.day))
            },
            Field("days", "renewals: days until it renews") { .int(Int64(Time.daysBetween(Time.startOfDay($0.today), $0.date))) },
            Field("id", "license id") { .int($0.license.id) },
            Field("name", "license name") { .text($0.license.name) },
            Field("vendor", "vendor name") { .text($0.license.vendor) },
            .money("amount", "renewals: what the renewal charges (the contract's price per period)") { $0.license.cost },
            Field("period", "billing period", kind: .code) { .text($0.license.period.description) },
            Field("seats", "seats paid for, or null when unlimited") { .intOr($0.license.seats, "unlimited") },
            Field("assigned", "seats held") { .int($0.license.assigned) },
            Field("owner", "contract owner or null") { .text($0.license.owner) },
        ], keep: ["name", "amount"], dropFirst: ["owner", "assigned", "seats", "vendor", "days", "id", "period", "cancel_by"],
        converts: true)
}
