import FoundationEssentials
import OWCore

/// Tokens: how long they live, minting, renewing, revoking and listing them.
extension Users {
    /// How long a token asked for by `session` lives: `token.lifetime` unless `requested` says
    /// otherwise. Only an admin (or the issuer key) may go past `token.lifetime`, and such an
    /// override is returned as audit details for the event that issues the token; anyone may
    /// ask for less.
    static func lifetime(_ session: Session, requested: Duration?) throws -> (ttl: Duration, audit: [(String, JSON)]) {
        let configured = try tokenLifetime(session.ledger)
        guard let requested else { return (configured, []) }
        guard requested.added(to: session.now) > configured.added(to: session.now) else { return (requested, []) }
        guard session.actor.role == .admin else {
            throw OWError.notPermitted(
                "a token lasts at most token.lifetime (\(configured)); only an admin may ask for longer than that (--expires \(requested))",
                hint: "leave out --expires, or ask for \(configured) or less")
        }
        return (requested, [("lifetime", .string(requested.description)), ("beyond_lifetime", .string(configured.description))])
    }

    /// Signs a new token for a user. Must run inside a write transaction.
    static func mintToken(_ db: Database, ledger: Ledger, key: SigningKey, user: User, ttl: Duration, now: Date) throws -> IssuedToken {
        guard user.isActive else { throw OWError.refused("user '\(user.name)' was offboarded; no token can be issued") }
        let iat = Time.epochSeconds(now)
        let exp = Time.epochSeconds(ttl.added(to: now))
        guard exp > iat else { throw OWError.usage("a token must live longer than 0 seconds") }
        let claims = Claims(
            issuer: ledger.id, subject: user.name, role: user.role, issuedAt: iat, notBefore: iat,
            expires: exp, id: newTokenID())
        try db.run(
            "INSERT INTO tokens(jti, user_id, role, issued_at, expires_at) VALUES (?,?,?,?,?)",
            claims.id, user.id, user.role.rawValue, Time.rfc3339(now), Time.rfc3339(Date(timeIntervalSince1970: Double(exp))))
        return IssuedToken(text: Token.sign(claims, with: key), claims: claims)
    }

    /// 128 random bits, base64url; never starting with "-", which the command line would take
    /// for an option (`owatch token revoke -30Zp…` failed one time in 64).
    static func newTokenID() -> String {
        while true {
            let id = Base64URL.encode(Crypto.randomBytes(16))
            if !id.hasPrefix("-") { return id }
        }
    }

    public static func issueToken(_ session: Session, name: String, ttl: Duration?) throws -> IssuedToken {
        let key = try Issuer.loadKey(session.paths.issuerKey, for: session.ledger)
        let (lifetime, override) = try self.lifetime(session, requested: ttl)
        return try session.write {
            let user = try get(session.db, name)
            let token = try mintToken(session.db, ledger: session.ledger, key: key, user: user, ttl: lifetime, now: session.now)
            try session.audit(
                "token.issue", "user:\(user.name)",
                .obj([("jti", .string(token.claims.id)), ("exp", .int(token.claims.expires))] + override))
            return token
        }
    }

    /// New tokens for every active person (of one role, if given), in one transaction: the way
    /// back after tokens expired across the office. The caller writes the files.
    public static func issueTokens(_ session: Session, role: Role?, ttl: Duration?) throws -> [IssuedToken] {
        let key = try Issuer.loadKey(session.paths.issuerKey, for: session.ledger)
        let (lifetime, override) = try self.lifetime(session, requested: ttl)
        return try session.write {
            try list(session.db, includeOffboarded: false, role: role).map { user in
                let token = try mintToken(session.db, ledger: session.ledger, key: key, user: user, ttl: lifetime, now: session.now)
                try session.audit(
                    "token.issue", "user:\(user.name)",
                    .obj([("jti", .string(token.claims.id)), ("exp", .int(token.claims.expires))] + override))
                return token
            }
        }
    }

    /// `owatch token renew`: the session's own token exchanged for a fresh one (same person and
    /// role, a new jti); the old one is revoked in the same transaction. Signing needs the
    /// issuer key, so this runs where the key is (the admin's account or the office server).
    public static func renewToken(_ session: Session, ttl: Duration?) throws -> IssuedToken {
        guard let old = session.claims else { throw OWError.refused("there is no token to renew") }
        let key: SigningKey
        do {
            key = try Issuer.loadKey(session.paths.issuerKey, for: session.ledger)
        } catch let e as OWError where e.kind == .missingInput {
            throw OWError(
                .missingInput, "renewing a token needs the issuer key, which is not at \(session.paths.issuerKey)",
                hint: "ask an admin for a new token (`owatch user token \(old.subject)`), or pass --key PATH")
        }
        let (lifetime, override) = try self.lifetime(session, requested: ttl)
        return try session.write {
            let user = try get(session.db, old.subject)
            let token = try mintToken(session.db, ledger: session.ledger, key: key, user: user, ttl: lifetime, now: session.now)
            try session.db.run(
                "INSERT OR IGNORE INTO revoked_tokens(jti, revoked_at, revoked_by) VALUES (?,?,?)",
                old.id, Time.rfc3339(session.now), session.actor.name)
            try session.audit(
                "token.renew", "user:\(user.name)",
                .obj(
                    [
                        ("old_jti", .string(old.id)), ("jti", .string(token.claims.id)),
                        ("exp", .int(token.claims.expires)),
                    ] + override))
            // What this command writes after this is done with the new token: the old one is revoked.
            session.adopt(token, signedBy: key.publicKey.keyID)
            return token
        }
    }

    /// Adds a user and issues their first token in one transaction.
    public static func addWithToken(
        _ session: Session, name: String, role: Role, dept: String?, email: String?, fullName: String? = nil,
        ttl: Duration?
    ) throws -> (User, IssuedToken) {
        let key = try Issuer.loadKey(session.paths.issuerKey, for: session.ledger)
        let (lifetime, override) = try self.lifetime(session, requested: ttl)
        return try session.write {
            let user = try insert(session.db, name: name, role: role, dept: dept, email: email, fullName: fullName, now: session.now)
            try session.audit(
                "user.add", "user:\(user.name)", .obj([("role", .string(role.rawValue)), ("dept", dept.map(JSON.string) ?? .null)]))
            let token = try mintToken(session.db, ledger: session.ledger, key: key, user: user, ttl: lifetime, now: session.now)
            try session.audit(
                "token.issue", "user:\(user.name)",
                .obj([("jti", .string(token.claims.id)), ("exp", .int(token.claims.expires))] + override))
            return (user, token)
        }
    }

    public static func revokeToken(_ session: Session, jti: String) throws {
        guard !jti.isEmpty, jti.utf8.count <= 256 else { throw OWError.usage("invalid token id") }
        try session.write {
            if try session.db.one("SELECT 1 AS x FROM revoked_tokens WHERE jti = ?", jti) != nil {
                throw OWError.refused("token \(jti) is already revoked")
            }
            try session.db.run(
                "INSERT INTO revoked_tokens(jti, revoked_at, revoked_by) VALUES (?,?,?)", jti, Time.rfc3339(session.now), session.actor.name
            )
            try session.audit("token.revoke", "token:\(jti)")
        }
    }

    public struct TokenRecord: Sendable {
        public let jti: String, user: String, role: String, issuedAt: String, expiresAt: String, revokedAt: String?
    }

    public static func tokens(_ db: Database, user: String?) throws -> [TokenRecord] {
        try db.query(
            """
            SELECT t.jti, u.name, t.role, t.issued_at, t.expires_at, r.revoked_at
            FROM tokens t JOIN users u ON u.id = t.user_id LEFT JOIN revoked_tokens r ON r.jti = t.jti
            WHERE ?1 IS NULL OR u.name = ?1 ORDER BY t.rowid
            """, user
        ).map {
            TokenRecord(
                jti: try $0.text("jti"), user: try $0.text("name"), role: try $0.text("role"), issuedAt: try $0.text("issued_at"),
                expiresAt: try $0.text("expires_at"), revokedAt: try $0.optionalText("revoked_at"))
        }
    }
}
