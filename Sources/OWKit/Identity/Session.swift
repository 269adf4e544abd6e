import Foundation

/// An open ledger plus the verified person acting on it. Every OWKit operation that
/// changes state takes a Session, so the audit log always knows who did it.
public final class Session {
    public let ledger: Ledger
    public let actor: Actor
    public let claims: Claims?
    public let paths: Paths
    public let now: Date

    public var db: Database { ledger.db }

    init(ledger: Ledger, actor: Actor, claims: Claims?, paths: Paths, now: Date) {
        self.ledger = ledger
        self.actor = actor
        self.claims = claims
        self.paths = paths
        self.now = now
    }

    /// Opens the ledger and verifies the token file: the set-up every command but
    /// `init`, `help` and `completion` goes through.
    public static func authenticate(paths: Paths, now: Date = Date()) throws -> Session {
        let ledger = try Ledger.open(path: paths.ledger)
        let text: String
        do {
            text = try readToken(paths.token)
        } catch let e as OWError where e.kind == .missingInput {
            throw OWError.notPermitted("no token at \(paths.token)", hint: "ask an admin for one (`owatch user token NAME`), then `owatch login FILE`; or pass --token PATH")
        }
        let claims = try Token.verify(text, ledger: ledger, now: now)
        return Session(ledger: ledger, actor: Actor(name: claims.subject, role: claims.role), claims: claims, paths: paths, now: now)
    }

    /// Reads a token file; an oversized or non-regular one is a rejected token (exit 77), not bad data.
    static func readToken(_ path: String) throws -> String {
        do {
            return try FileSystem.readSecret(path, what: "token file", maxBytes: Token.maxLength * 2)
        } catch let e as OWError where e.kind == .badData {
            throw Token.reject(e.message)
        }
    }

    /// Refuses when the actor's role is not among `roles`.
    public func require(_ roles: Set<Role>, for command: String) throws {
        guard roles.contains(actor.role) else {
            let needed = Role.allCases.filter(roles.contains).map(\.rawValue).joined(separator: " or ")
            throw OWError.notPermitted("\(actor.name) is \(actor.role.rawValue); `owatch \(command)` needs \(needed)")
        }
    }

    public func write<T>(_ body: () throws -> T) throws -> T { try ledger.db.write(body) }

    /// Appends an audit event as this session's actor; call inside `write`.
    public func audit(_ action: String, _ object: String, _ details: JSON = .object([])) throws {
        try AuditLog.append(ledger.db, actor: actor, action: action, object: object, details: details, now: now)
    }
}

/// Creating a ledger and installing tokens: the steps before there is a session.
public enum Setup {
    /// `owatch init`: a new ledger, issuer key, first admin and that admin's token file.
    public static func initialize(paths: Paths, org: String, admin: String, currency: String, now: Date = Date()) throws -> (Ledger, IssuedToken) {
        let org = org.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !org.isEmpty, org.count <= 200 else { throw OWError.usage("--org needs the organisation's name") }
        try Users.validateName(admin)
        let code = try Currency.parse(currency).code
        // Check every path before creating anything, so a refusal leaves nothing behind.
        if FileSystem.exists(paths.ledger) {
            throw OWError.refused("a ledger already exists at \(paths.ledger)", hint: "owatch init never touches an existing ledger; choose another --ledger path")
        }
        if FileSystem.exists(paths.issuerKey) {
            throw OWError.refused("an issuer key already exists at \(paths.issuerKey); owatch never overwrites a key",
                                  hint: "pass --key PATH (or OWATCH_KEY) to keep this ledger's key elsewhere")
        }
        if FileSystem.exists(paths.token) {
            throw OWError.refused("a token already exists at \(paths.token)", hint: "pass --token PATH for the new admin's token, or `owatch logout` first")
        }
        let key = try Issuer.createKey(at: paths.issuerKey)
        do {
            let ledger = try Ledger.create(path: paths.ledger, org: org, currency: code, now: now)
            let actor = Actor(name: admin, role: .admin)
            let token: IssuedToken = try ledger.db.write {
                try Issuer.register(key.publicKey, in: ledger.db, now: now)
                let user = try Users.insert(ledger.db, name: admin, role: .admin, dept: nil, email: nil, now: now)
                try AuditLog.append(ledger.db, actor: actor, action: "ledger.init", object: "ledger:\(ledger.id)",
                                    details: .obj([("org", .string(org)), ("currency", .string(code)), ("kid", .string(key.publicKey.keyID))]), now: now)
                let token = try Users.mintToken(ledger.db, ledger: ledger, key: key, user: user, ttl: try Config.tokenTTL(ledger), now: now)
                try AuditLog.append(ledger.db, actor: actor, action: "token.issue", object: "user:\(admin)",
                                    details: .obj([("jti", .string(token.claims.id)), ("exp", .int(token.claims.expires))]), now: now)
                return token
            }
            try FileSystem.writeAtomically(paths.token, contents: token.text + "\n")
            return (ledger, token)
        } catch {
            // Leave nothing half-made behind.
            for p in [paths.ledger, paths.ledger + "-wal", paths.ledger + "-shm", paths.issuerKey] { unlink(p) }
            throw error
        }
    }

    /// `owatch login FILE`: verifies a token against the ledger, then installs it at the token path.
    public static func login(paths: Paths, file: String, now: Date = Date()) throws -> Claims {
        let text = try Session.readToken(file)
        let ledger = try Ledger.open(path: paths.ledger)
        let claims = try Token.verify(text, ledger: ledger, now: now)
        let token = text.trimmingCharacters(in: .whitespacesAndNewlines)
        try FileSystem.writeAtomically(paths.token, contents: token + "\n")
        return claims
    }

    /// `owatch logout`: removes the token file. Returns false when there was none.
    public static func logout(paths: Paths) throws -> Bool {
        guard FileSystem.exists(paths.token) else { return false }
        guard unlink(paths.token) == 0 else { throw OWError(.io, "cannot remove \(paths.token): \(String(cString: strerror(errno)))") }
        return true
    }
}
