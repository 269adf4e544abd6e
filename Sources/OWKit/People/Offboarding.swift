import FoundationEssentials
import OWCore
import OWIdentity

/// Offboarding frees seats and sums what they saved: work on licenses, so it sits above
/// identity (issue 30), as an extension of `Users`.
extension Users {
    /// Offboards a person: deactivates them, revokes every token they were issued and frees
    /// their seats, all in one transaction. The saving is what their seats cost per month.
    public static func offboard(_ session: Session, name: String) throws -> Offboarding {
        try session.write {
            let user = try get(session.db, name)
            guard user.isActive else { throw OWError.refused("user '\(user.name)' was already offboarded on \(user.offboardedAt ?? "?")") }
            return try offboard(session, [user])[0]
        }
    }

    /// Offboards active people in one transaction (user offboard, user sync): the shared piece.
    /// `held` is what they hold when the caller has already read it.
    package static func offboard(_ session: Session, _ users: [User], held: [Int64: [License]]? = nil) throws -> [Offboarding] {
        try session.write {
            try session.deferringStaleFindings {
                let db = session.db
                let leaving = Set(users.map(\.id))
                if users.contains(where: { $0.role == .admin }) {
                    let staying =
                        try db.scalar("SELECT count(*) FROM users WHERE role = 'admin' AND status = 'active'")
                        - Int64(users.filter { $0.role == .admin }.count)
                    if staying <= 0, let last = users.first(where: { $0.role == .admin && leaving.contains($0.id) }) {
                        try ensureAnotherAdmin(db, besides: last)
                    }
                }
                let stamp = Time.rfc3339(session.now)
                let freed = try Licenses.freeSeats(session, users: users, held: held)
                return try users.map { user in
                    try db.run("UPDATE users SET status = 'offboarded', offboarded_at = ? WHERE id = ?", stamp, user.id)
                    try db.run(
                        """
                        INSERT OR IGNORE INTO revoked_tokens(jti, revoked_at, revoked_by)
                        SELECT jti, ?, ? FROM tokens WHERE user_id = ?
                        """, stamp, session.actor.name, user.id)
                    let revoked = db.changes
                    let held = freed[user.id] ?? []
                    // A freed seat of a site license saves nothing; one of a counted license can be dropped at renewal.
                    let saving = Licenses.seatCostByCurrency(held.filter { !$0.isUnlimited })
                    try session.audit(
                        "user.offboard", "user:\(user.name)",
                        .obj([
                            ("revoked_tokens", .int(revoked)),
                            ("freed_seats", .array(held.map { .string($0.name) })),
                            ("monthly_saving", .array(saving.map { .string($0.display) })),
                        ]))
                    return Offboarding(
                        user: try get(db, user.name), revokedTokens: revoked, freedSeats: held.map(\.name), monthlySaving: saving)
                }
            }
        }
    }
}
