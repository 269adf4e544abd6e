import OWChannel
import OWCore
import OWIdentity
import OWOffice
import OWReports

/// What `owatch __complete` offers from the ledger: names and ids a person may see and type.
/// Whatever the role may not read is not offered (an employee gets the catalog's license names
/// and their own requests, never the people list).
public enum CompletionValues {
    public enum Kind: Sendable { case license, user, request, finding, token }

    public static func values(_ kind: Kind, session: Session) throws -> [String] {
        let db = session.db
        let admin = session.actor.role == .admin
        switch kind {
        case .license:
            return try Licenses.catalog(db).map(\.name)
        case .user:
            guard admin else { return [] }
            return try db.query("SELECT name FROM users WHERE status = 'active' ORDER BY name").map { try $0.text("name") }
        case .request:
            var f = Requests.Filter()
            f.all = admin
            f.status = .pending
            return try Requests.list(session, f).map { String($0.id) }
        case .finding:
            guard admin else { return [] }
            return try Findings.list(db, includeClosed: false, kind: nil).map { String($0.id) }
        case .token:
            guard admin else { return [] }
            return try db.query(
                """
                SELECT t.jti FROM tokens t LEFT JOIN revoked_tokens r ON r.jti = t.jti WHERE r.jti IS NULL ORDER BY t.rowid DESC LIMIT 200
                """
            ).map { try $0.text("jti") }
        }
    }
}
