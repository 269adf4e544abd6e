import FoundationEssentials
import OWCore
import OWIdentity

/// The one declaration of a reclaimable seat's output, beside its type: `report reclaim` and
/// `license reclaim` rows and the manual's OUTPUT come from it.
extension ReclaimRow {
    public static let shape = Shape<ReclaimRow>(
        [
            Field("license", "reclaim: the license") { .text($0.license.name) },
            Field("reason", "reclaim: orphaned, inactive or idle", kind: .code) { .text($0.reason.rawValue) },
            Field("user", "reclaim: who holds the seats") { .text($0.user) },
            Field("seats", "reclaim: how many seats the row names") { .int($0.seats) },
            Field("last_active", "reclaim: the holder's last use, from usage import", kind: .date) { .text($0.lastActive) },
            Field("why", "reclaim: offboarded, suspended, not in the directory, last used …, never assigned", kind: .text) {
                .text($0.why)
            },
            .money("monthly", "reclaim: what the seats cost a month") { $0.monthly },
            .money("yearly", "reclaim: what the seats cost a year") { $0.yearly },
        ], keep: ["user", "monthly"], dropFirst: ["last_active", "yearly"])

    /// What the seat-reclaimed hook receives: the row's keys, in its order. `user` is "" for a
    /// seat nobody holds, as hooks always had it (the row says null).
    package var event: JSON {
        .obj(
            Exporter.flatten(ReclaimRow.shape.record(self)).map { key, value in
                guard key == "user", case .null = value else { return (key, value) }
                return (key, .string(""))
            })
    }
}
