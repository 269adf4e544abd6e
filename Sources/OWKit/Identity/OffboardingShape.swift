import FoundationEssentials
import OWCore

/// The one declaration of an offboarding's output, beside its type: `user offboard` rows (the
/// user's keys and what was revoked and freed) and the manual's OUTPUT come from it.
extension Users.Offboarding {
    public static let shape = User.shape.pulledBack { (o: Users.Offboarding) in o.user }.adding([
        Field("revoked_tokens", "user offboard: tokens revoked") { .int(Int64($0.revokedTokens)) },
        Field("freed_seats", "user offboard: licenses a seat was freed of") { .list($0.freedSeats) },
        Field("monthly_saving", "user offboard: what the freed seats cost a month, per currency") {
            .list($0.monthlySaving.map(\.display))
        },
    ])
}
