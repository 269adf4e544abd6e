import FoundationEssentials
import OWCore
import OWIdentity

/// A person as `user show` shows them: their tokens still good and the licenses they hold a seat
/// of. Above identity (it reads licenses), as offboarding is.
public struct UserDetail: Sendable {
    public let user: User
    public let activeTokens: Int
    public let licenses: [License]

    /// The person `name` as of `now`: tokens neither revoked nor expired then, and their seats.
    public static func load(_ db: Database, name: String, now: Date) throws -> UserDetail {
        let user = try Users.get(db, name)
        let tokens = try Users.tokens(db, user: user.name)
        let at = Time.rfc3339(now)
        var held = LicenseFilter()
        held.holder = user.name
        return UserDetail(
            user: user, activeTokens: tokens.filter { $0.revokedAt == nil && $0.expiresAt > at }.count,
            licenses: try Licenses.list(db, filter: held))
    }
}

/// The one declaration of a person's detail output, beside its type: `user show` rows (the user's
/// keys and what they hold) and the manual's OUTPUT come from it.
extension UserDetail {
    public static let shape = User.shape.pulledBack { (d: UserDetail) in d.user }.adding([
        Field("active_tokens", "user show: tokens neither expired nor revoked") { .int(Int64($0.activeTokens)) },
        Field("licenses", "user show: licenses they hold a seat of") { .list($0.licenses.map(\.name)) },
        Field("monthly_cost", "user show: what their seats cost a month, per currency") {
            .list(Licenses.seatCostByCurrency($0.licenses).map(\.display))
        },
    ])
}
