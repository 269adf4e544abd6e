import OWCLI
import OWKit

enum TokenCommand {
    /// JWKs are JSON whatever --format says: other JOSE tools read them.
    static func jwk(_ inv: Call<JwkOption>) throws {
        let keys = try Issuer.publicKeys(inv.session.ledger)
        if inv.flag(.set) {
            inv.term.out(JSON.obj([("keys", .array(keys.map(\.jwk)))]).encodedPretty() + "\n")
        } else {
            guard let key = keys.last else { throw OWError.notFound("active issuer key") }
            inv.term.out(key.jwk.encodedPretty() + "\n")
        }
    }

    static let shape = Users.TokenRecord.shape

    /// `token renew`: the new token, as `user token --all` writes one.
    static let renewedShape = UserCommand.tokenFilesShape

    static func list(_ inv: Call<ListOption>) throws {
        let tokens = try Users.tokens(inv.session.db, user: inv.value(.user))
        inv.emit(tokens, as: shape)
    }

    /// Replaces the token file in use (or writes --out) with a fresh token; the old one is revoked.
    static func renew(_ inv: Call<RenewOption>) throws {
        let target = inv.value(.out) ?? inv.paths.token
        try Invocation.refuseExistingTokenFile(inv.value(.out), option: "out")
        let token = try Users.renewToken(inv.session, ttl: try inv.duration(.expires))
        try FileSystem.writeAtomically(target, contents: token.text + "\n")
        let expires = token.claims.expiresAt
        inv.emit(UserCommand.Issued(token: token, file: target), as: renewedShape)
        inv.note("Renewed: \(target) now holds a token valid until \(expires); the old one is revoked.")
    }

    static func revoke(_ inv: Invocation) throws {
        try Users.revokeToken(inv.session, jti: inv.argument(0))
        inv.note("Revoked token \(inv.argument(0)).")
    }
}

/// `owatch token`: its manual page.
let tokenNoun = Noun(
    name: "token", summary: "inspect and revoke tokens",
    description: """
        Tokens are compact JWS JSON Web Tokens signed with Ed25519 (header alg Ed25519, RFC 9864; EdDSA is accepted too).
        Claims: iss (ledger id), sub (user), role, iat, nbf, exp, jti.
        On every command owatch checks: the algorithm; no crit header and no embedded key; kid names an unrevoked issuer of this ledger; the signature; iss; nbf and exp with 60 seconds of leeway; jti not revoked; the user exists and is active; and the token's role is the user's current role.
        Any failure exits 77 naming the check.
        A token within 14 days of expiry warns on standard error once a day; token renew exchanges a valid token for a fresh one (same person and role, a new jti; the old one is revoked) where the issuer key is.
        Tokens live config token.lifetime (default 90d); --expires may ask for less, and only an admin (or the issuer key) for more, which the token.issue or token.renew event records as lifetime and beyond_lifetime.
        Whether the token is revoked, its person active and still in its role is checked again inside every write transaction, under the ledger's write lock: a revocation that commits while a command waits for the lock stops that command (77).
        """
)

/// `owatch token …`: its commands, in help order.
let tokenCommands: [Command] = [
    Command(
        noun: "token", verb: "jwk", summary: "print the issuer's public key as a JWK, for other JOSE tools",
        options: TokenCommand.JwkOption.self,
        access: .roles(everyone),
        examples: ["owatch token jwk > issuer.jwk"], run: TokenCommand.jwk),
    Command(
        noun: "token", verb: "list", summary: "list issued tokens (ids and expiry, never the tokens themselves)",
        options: TokenCommand.ListOption.self,
        access: .roles(adminOnly), examples: ["owatch token list --user bob"], output: TokenCommand.shape.docs, run: TokenCommand.list),
    Command(
        noun: "token", verb: "renew", summary: "exchange your valid token for a fresh one (same role; the old one is revoked)",
        options: TokenCommand.RenewOption.self,
        access: .roles(everyone), examples: ["owatch token renew", "owatch --token /etc/owatch/scanner.token token renew"],
        output: TokenCommand.renewedShape.docs, run: TokenCommand.renew),
    Command(
        noun: "token", verb: "revoke", summary: "revoke a token by its id (jti)", arguments: [Argument(name: "JTI")],
        access: .roles(adminOnly), examples: ["owatch token revoke 3q2-7wZ4cS0x1Yb9lZ0m1Q"], run: TokenCommand.revoke),
]

extension TokenCommand {
    enum JwkOption: String, OptionKeys {
        case set

        var spec: Option {
            switch self {
            case .set: Option("print a JWK Set ({\"keys\": [...]}) of every active issuer key")
            }
        }
    }

    enum ListOption: String, OptionKeys {
        case user

        var spec: Option {
            switch self {
            case .user: Option(value: "USER", "only this person's tokens")
            }
        }
    }

    enum RenewOption: String, OptionKeys {
        case out, expires

        var spec: Option {
            switch self {
            case .out:
                Option(short: "o", value: "FILE", "write the new token to FILE (0600) instead of replacing your token file", file: .output)
            case .expires:
                Option(value: "DURATION", "token lifetime (default and, but for admins, most: config token.lifetime)", kind: .duration)
            }
        }
    }
}
