import FoundationEssentials
import Glibc
import OWCore

/// An open ledger plus the verified person acting on it. Every OWKit operation that
/// changes state takes a Session, so the audit log always knows who did it.
public final class Session {
    public let ledger: Ledger
    public let actor: Actor
    /// The token acted with (nil for the issuer key); `token renew` moves the session to the new one.
    public private(set) var claims: Claims?
    public let paths: Paths
    public let now: Date
    /// The issuer key that signed the token, or that stands in for one.
    private var keyID: String

    public var db: Database { ledger.db }

    package init(ledger: Ledger, actor: Actor, claims: Claims?, keyID: String, paths: Paths, now: Date) {
        self.ledger = ledger
        self.actor = actor
        self.claims = claims
        self.keyID = keyID
        self.paths = paths
        self.now = now
        // Structural, not per command: every write transaction on this ledger starts by checking
        // again, under the write lock, that this session may still act.
        ledger.db.authorizer = { [weak self] in try self?.reauthorize() }
    }

    /// What `authenticate` (or `asIssuer`) checked against the ledger, checked again inside the
    /// write transaction about to act on it: a `token revoke`, `user offboard` or `user role` that
    /// committed while this command was verified and waiting for the lock wins. The token's
    /// signature and dates cannot have changed, so they are not checked again.
    func reauthorize() throws {
        try Token.issuerStanding(keyID, in: db)
        if let claims {
            _ = try Token.standing(subject: claims.subject, role: claims.role, issuedAt: claims.issuedAt, id: claims.id, in: db)
        }
    }

    /// The session acts with `token` from now on (its own token renewed; call inside `write`).
    package func adopt(_ token: IssuedToken, signedBy kid: String) {
        claims = token.claims
        keyID = kid
    }

    /// Opens the ledger and verifies the token file: the set-up every command but
    /// `init`, `help` and `completion` goes through.
    public static func authenticate(paths: Paths, services: LedgerServices, now: Date = Date()) throws -> Session {
        let ledger = try Ledger.open(path: paths.ledger, readOnly: paths.readOnly, services: services)
        let text: String
        do {
            text = try readToken(paths.token)
        } catch let e as OWError where e.kind == .missingInput {
            throw OWError.notPermitted(
                "no token at \(paths.token)",
                hint: "ask an admin for one (`owatch user token NAME`), then `owatch login FILE`; or pass --token PATH")
        }
        let (claims, kid) = try Token.verified(text, ledger: ledger, now: now)
        return Session(
            ledger: ledger, actor: Actor(name: claims.subject, role: claims.role), claims: claims, keyID: kid, paths: paths, now: now)
    }

    /// The issuer key standing in for an admin's token: whoever holds the ledger's private key is
    /// the root of trust and can always mint a token (an office whose only admin's token expired
    /// is not locked out). Refused unless the key's public half is an unrevoked issuer of this
    /// ledger; its events are recorded as the actor `issuer`.
    public static func asIssuer(paths: Paths, services: LedgerServices, now: Date = Date()) throws -> Session {
        let ledger = try Ledger.open(path: paths.ledger, services: services)
        let key = try Issuer.loadKey(paths.issuerKey, for: ledger)
        return Session(
            ledger: ledger, actor: Actor(name: "issuer", role: .admin), claims: nil, keyID: key.publicKey.keyID, paths: paths, now: now)
    }

    /// A warning when the token expires within 14 days, given at most once a day per token.
    public func expiryWarning() throws -> String? {
        guard let claims else { return nil }
        let left = claims.expires - Time.epochSeconds(now)
        guard left < 14 * 86_400 else { return nil }
        let key = "token.warned:\(claims.id)"
        let today = Time.day(now)
        if try db.one("SELECT 1 AS x FROM meta WHERE key = ? AND value = ?", key, today) != nil { return nil }
        // On a replica the warning is given without noting it (it may come again that day).
        if !db.isReadOnly {
            try write {
                try db.run("INSERT INTO meta(key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value", key, today)
            }
        }
        // To the nearest day: a 90-day token read 80 days (and a few seconds) after it was issued
        // has 10 days left, not 9.
        let days = left < 86_400 ? 0 : (left + 43_200) / 86_400
        return
            "your token expires in \(days == 0 ? "less than a day" : "\(days) day(s)") (\(Time.rfc3339(Date(timeIntervalSince1970: Double(claims.expires))))); "
            + "renew it with `owatch token renew`"
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

    /// While set, license changes leave stale findings for the end of a bulk change (a sync
    /// offboarding hundreds of people refreshes them once, not once per freed seat).
    package var staleFindingsDeferred = false

    /// Set by a deferred body that found the seat findings current (`SeatFindings.areCurrent`)
    /// and knows whose seats or standing it changed: the refresh at its end looks at theirs only.
    package var seatFindingsChangedFor: Set<Int64>?

    /// Appends an audit event as this session's actor; call inside `write`.
    public func audit(_ action: String, _ object: String, _ details: JSON = .object([])) throws {
        try AuditLog.append(ledger.db, actor: actor, action: action, object: object, details: details, now: now)
    }
}

/// Creating a ledger and installing tokens: the steps before there is a session.
public enum Setup {
    /// `owatch init`: a new ledger, issuer key, first admin and that admin's token file.
    public static func initialize(
        paths: Paths, org: String, admin: String, email: String? = nil, fullName: String? = nil, currency: Currency,
        services: LedgerServices, now: Date = Date(), grants: PostgresRoles.Grants = .init()
    ) throws -> (Ledger, IssuedToken) {
        let org = org.trimmed(.whitespacesAndNewlines)
        guard !org.isEmpty, org.count <= 200 else { throw OWError.usage("--org needs the organisation's name") }
        try Users.validateName(admin)
        // The admin's address and name, so the first directory sync finds them (issue 33).
        let email = email?.trimmed(.whitespaces).lowercased()
        if let email { try Users.validateEmail(email) }
        if let fullName { try Users.validateFullName(fullName) }
        let code = currency.code
        // Check every path before creating anything, so a refusal leaves nothing behind.
        if !grants.isEmpty, LedgerLocation(paths.ledger).filePath != nil {
            throw PostgresRoles.notOnSQLite
        }
        if FileSystem.exists(paths.ledger) {
            throw OWError.refused(
                "a ledger already exists at \(paths.ledger)",
                hint: "owatch init never touches an existing ledger; choose another --ledger path")
        }
        if FileSystem.exists(paths.issuerKey) {
            throw OWError.refused(
                "an issuer key already exists at \(paths.issuerKey); owatch never overwrites a key",
                hint: "pass --key PATH (or OWATCH_KEY) to keep this ledger's key elsewhere")
        }
        if FileSystem.exists(paths.token) {
            throw OWError.refused(
                "a token already exists at \(paths.token)", hint: "pass --token PATH for the new admin's token, or `owatch logout` first")
        }
        let key = try Issuer.createKey(at: paths.issuerKey)
        do {
            let ledger = try Ledger.create(path: paths.ledger, org: org, currency: code, now: now, grants: grants, services: services)
            let actor = Actor(name: admin, role: .admin)
            let token: IssuedToken = try ledger.db.write {
                try Issuer.register(key.publicKey, in: ledger.db, now: now)
                let user = try Users.insert(ledger.db, name: admin, role: .admin, dept: nil, email: email, fullName: fullName, now: now)
                try AuditLog.append(
                    ledger.db, actor: actor, action: "ledger.init", object: "ledger:\(ledger.id)",
                    details: .obj([("org", .string(org)), ("currency", .string(code)), ("kid", .string(key.publicKey.keyID))]), now: now)
                if !grants.isEmpty {
                    try AuditLog.append(
                        ledger.db, actor: actor, action: "ledger.grant", object: "ledger:\(ledger.id)", details: grants.details, now: now)
                }
                let token = try Users.mintToken(
                    ledger.db, ledger: ledger, key: key, user: user, ttl: try Users.tokenLifetime(ledger), now: now)
                try AuditLog.append(
                    ledger.db, actor: actor, action: "token.issue", object: "user:\(admin)",
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

    /// `owatch login FILE` (or `-`, with the text given): verifies the token against the ledger,
    /// then installs it at the token path, 0600. The content is checked before the file's mode, so
    /// `login /etc/passwd` says it is not a token; a token in a file others can read (pasted from
    /// chat into a 0644 file) is refused, as ssh refuses such a key, with `chmod 600` for that file.
    ///
    /// When the token path holds a valid admin token and the new one is not an admin token for the
    /// same person, `replacing` is asked first (installed, new): it throws to keep the admin token,
    /// so one `login bob.token` cannot lock the office's admin out.
    public static func login(
        paths: Paths, file: String, text given: String? = nil, services: LedgerServices, now: Date = Date(),
        replacing: (_ installed: Claims, _ new: Claims) throws -> Void = { _, _ in }
    ) throws -> Claims {
        let text: String
        var exposed: String?
        if let given {
            text = given
        } else {
            var st = stat()
            guard stat(file, &st) == 0 else { throw OWError(.missingInput, "no token file at \(file)") }
            guard (st.st_mode & S_IFMT) == S_IFREG, st.st_size <= off_t(Token.maxLength * 2),
                let data = FileManager.default.contents(atPath: file)
            else {
                throw Token.reject("\(file) is not a token file")
            }
            text = String(decoding: data, as: UTF8.self)
            if st.st_mode & 0o077 != 0 { exposed = String(cFormat: "%04o", Int(st.st_mode & 0o7777)) }
        }
        let ledger = try Ledger.open(path: paths.ledger, services: services)
        let claims: Claims
        do {
            claims = try Token.verify(text, ledger: ledger, now: now)
        } catch let e as OWError where given == nil && e.kind == .notPermitted && !Token.looksLikeToken(text) {
            throw Token.reject("\(file) does not hold a token")
        }
        if let exposed {
            throw OWError(
                .notPermitted, "\(file) holds a valid token for \(claims.subject) but others can read it (mode \(exposed))",
                hint: "chmod 600 \(ShellWord.quoted(file)), then run `owatch login \(ShellWord.quoted(file))` again")
        }
        if let installed = try? FileSystem.readSecret(paths.token, what: "token", maxBytes: Token.maxLength * 2),
            let current = try? Token.verify(installed, ledger: ledger, now: now), current.role == .admin,
            claims.role != .admin || claims.subject != current.subject
        {
            try replacing(current, claims)
        }
        let token = text.trimmed(.whitespacesAndNewlines)
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
