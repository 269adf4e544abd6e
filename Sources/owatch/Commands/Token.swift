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

    static func revoke(_ inv: Invocation) throws {
        try Users.revokeToken(inv.session, jti: inv.argument(0))
        inv.note("Revoked token \(inv.argument(0)).")
    }
}
