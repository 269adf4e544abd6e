import OWKit

enum TokenCommand {
    /// JWKs are JSON whatever --format says: other JOSE tools read them.
    static func jwk(_ inv: Invocation) throws {
        let keys = try Issuer.publicKeys(inv.session.ledger)
        if inv.flag("set") {
            inv.term.out(JSON.obj([("keys", .array(keys.map(\.jwk)))]).encodedPretty() + "\n")
        } else {
            guard let key = keys.last else { throw OWError.notFound("active issuer key") }
            inv.term.out(key.jwk.encodedPretty() + "\n")
        }
    }

    static func list(_ inv: Invocation) throws {
        let tokens = try Users.tokens(inv.session.db, user: inv.value("user"))
        inv.emit(tokens.map {
            Record([("jti", .text($0.jti)), ("user", .text($0.user)), ("role", .text($0.role)), ("issued_at", .text($0.issuedAt)),
                    ("expires_at", .text($0.expiresAt)), ("revoked_at", .text($0.revokedAt))])
        }, columns: ["jti", "user", "role", "issued_at", "expires_at", "revoked_at"])
    }

    /// Replaces the token file in use (or writes --out) with a fresh token; the old one is revoked.
    static func renew(_ inv: Invocation) throws {
        let target = inv.value("out") ?? inv.paths.token
        if inv.value("out") != nil, FileSystem.exists(target) {
            throw OWError.refused("\(target) exists; owatch does not overwrite token files", hint: "choose another --out path")
        }
        let token = try Users.renewToken(inv.session, ttl: try inv.duration("expires"))
        try FileSystem.writeAtomically(target, contents: token.text + "\n")
        let expires = UserCommand.expiry(token)
        inv.emit(Record([("user", .text(token.claims.subject)), ("role", .text(token.claims.role.rawValue)), ("jti", .text(token.claims.id)),
                         ("expires_at", .text(expires)), ("token_file", .text(target))]))
        inv.note("Renewed: \(target) now holds a token valid until \(expires); the old one is revoked.")
    }

    static func revoke(_ inv: Invocation) throws {
        try Users.revokeToken(inv.session, jti: inv.argument(0))
        inv.note("Revoked token \(inv.argument(0)).")
    }
}
