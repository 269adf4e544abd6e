import FoundationEssentials

extension PostgresRoles {
    /// `owatch grant`: applies `grants` to the session's ledger and records them, in one transaction.
    public static func grant(_ grants: Grants, session: Session) throws {
        guard session.db.isPostgres else { throw notOnSQLite }
        try session.write {
            try apply(grants, on: session.db)
            try session.audit("ledger.grant", "ledger:\(session.ledger.id)", grants.details)
        }
    }
}
