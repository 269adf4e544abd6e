import FoundationEssentials
import OWCore

/// The claims owatch puts in a token (SPEC §2).
public struct Claims: Sendable {
    public let issuer: String  // iss: ledger id
    public let subject: String  // sub: user name
    public let role: Role
    public let issuedAt: Int64  // iat
    public let notBefore: Int64  // nbf
    public let expires: Int64  // exp
    public let id: String  // jti

    /// When the token stops working, as RFC 3339 (what every command that issues one prints).
    public var expiresAt: String { Time.rfc3339(Date(timeIntervalSince1970: Double(expires))) }

    public var json: JSON {
        .obj([
            ("iss", .string(issuer)), ("sub", .string(subject)), ("role", .string(role.rawValue)),
            ("iat", .int(issuedAt)), ("nbf", .int(notBefore)), ("exp", .int(expires)), ("jti", .string(id)),
        ])
    }
}

/// Compact JWS (RFC 7515) signing and verification with Ed25519.
public enum Token {
    /// Tokens are small; anything larger is rejected before any parsing.
    static let maxLength = 8 * 1024
    /// The fully-specified algorithm name (RFC 9864); "EdDSA" with an Ed25519 key is accepted too.
    public static let algorithm = "Ed25519"
    static let acceptedAlgorithms: Set<String> = ["Ed25519", "EdDSA"]
    /// Clock skew allowed for `nbf` and `exp`.
    static let leeway: Int64 = 60

    public static func sign(_ claims: Claims, with key: SigningKey) -> String {
        let header = JSON.obj([("alg", .string(algorithm)), ("typ", .string("JWT")), ("kid", .string(key.publicKey.keyID))])
        let input = Base64URL.encode(Array(header.encoded().utf8)) + "." + Base64URL.encode(Array(claims.json.encoded().utf8))
        return input + "." + Base64URL.encode(key.sign(Array(input.utf8)))
    }

    /// Three base64url segments on one line: the shape of a compact JWS, before any check.
    static func looksLikeToken(_ text: String) -> Bool {
        let t = text.trimmed(.whitespacesAndNewlines)
        let parts = t.split(separator: ".", omittingEmptySubsequences: false)
        return parts.count == 3
            && t.utf8.allSatisfy { $0 == 46 || $0 == 45 || $0 == 95 || ($0 >= 48 && $0 <= 57) || ($0 | 0x20 >= 97 && $0 | 0x20 <= 122) }
    }

    package static func reject(_ why: String) -> OWError {
        OWError(
            .notPermitted, "token rejected: \(why)",
            hints: [
                "ask an admin for a new token (`owatch user token NAME`), then `owatch login FILE`",
                "holding the issuer key, mint one yourself: `owatch user token NAME --key PATH --out FILE`",
            ])
    }

    /// A JOSE header or claims set: a JSON object, shallow, with no duplicate members.
    static func parseObject(_ bytes: [UInt8], _ what: String) throws -> JSON {
        let value: JSON
        do {
            value = try JSON.parse(bytes, maxDepth: 4)
        } catch let e as OWError {
            throw reject("the \(what) are not valid JSON (\(e.message.replacingAll("invalid JSON ", with: "")))")
        }
        guard value.members != nil else { throw reject("the \(what) are not a JSON object") }
        return value
    }

    /// NumericDate claims (RFC 7519 §2); owatch requires whole seconds.
    static func timeClaim(_ claims: JSON, _ name: String) throws -> Int64 {
        guard let value = claims[name] else { throw reject("no \(name) claim") }
        guard let seconds = value.intValue else { throw reject("\(name) must be a whole number of seconds") }
        return seconds
    }

    /// Checks a token against the ledger, in the order RFC 8725 recommends: the algorithm and key
    /// are fixed by us, never chosen by the token. Every failure names the check that failed.
    public static func verify(_ text: String, ledger: Ledger, now: Date = Date()) throws -> Claims {
        try verified(text, ledger: ledger, now: now).claims
    }

    /// `verify`, also naming the issuer key that signed the token (what `standing` checks again).
    static func verified(_ text: String, ledger: Ledger, now: Date = Date()) throws -> (claims: Claims, kid: String) {
        let token = try decode(text)
        try issuerStanding(token.kid, in: ledger.db)
        guard let issuer = try ledger.db.one("SELECT public_key FROM issuers WHERE kid = ?", token.kid) else {
            throw reject("kid \"\(token.kid.prefix(64))\" names no issuer of this ledger")
        }
        let publicKey = try PublicKey(raw: issuer.bytes("public_key"))
        guard publicKey.verify(signature: token.signature, message: token.signingInput) else {
            throw reject("the signature does not verify")
        }
        let claims = try unverifiedClaims(token.payload, issuer: ledger.id, now: now)
        let name = try standing(subject: claims.subject, role: claims.role, issuedAt: claims.issuedAt, id: claims.id, in: ledger.db)
        return (
            Claims(
                issuer: claims.issuer, subject: name, role: claims.role, issuedAt: claims.issuedAt, notBefore: claims.notBefore,
                expires: claims.expires, id: claims.id), token.kid
        )
    }

    /// A token's parts, read and checked as far as they can be without the ledger: its shape, its
    /// header (algorithm, no embedded key, a kid) and its payload as a JSON object. Every reject
    /// here is a message; nothing in the text can make it trap.
    package struct Decoded {
        package let kid: String
        package let payload: JSON
        package let signature: [UInt8]
        let signingInput: [UInt8]
    }

    package static func decode(_ text: String) throws -> Decoded {
        let token = text.trimmed(.whitespacesAndNewlines)
        guard !token.isEmpty else { throw reject("the token is empty") }
        guard token.utf8.count <= maxLength else { throw reject("the token is too large (\(token.utf8.count) bytes)") }
        let parts = token.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 3 else { throw reject("a JWS has 3 dot-separated segments, this has \(parts.count)") }
        guard let headerBytes = Base64URL.decode(parts[0]) else { throw reject("the header is not base64url") }
        guard let payloadBytes = Base64URL.decode(parts[1]) else { throw reject("the payload is not base64url") }
        guard let signature = Base64URL.decode(parts[2]) else { throw reject("the signature is not base64url") }

        let header = try parseObject(headerBytes, "header fields")
        guard let alg = header["alg"]?.stringValue else { throw reject("the header names no alg") }
        guard acceptedAlgorithms.contains(alg) else { throw reject("alg \"\(alg)\" is not allowed (only Ed25519)") }
        if header["crit"] != nil { throw reject("the header has a crit parameter, which owatch does not support") }
        // Keys come only from the ledger: a token must not carry or point at its own key.
        for embedded in ["jwk", "jku", "x5u", "x5c"] where header[embedded] != nil {
            throw reject("the header carries a key (\(embedded)); keys come only from the ledger")
        }
        if let typ = header["typ"], typ.stringValue?.uppercased() != "JWT" { throw reject("typ must be JWT") }
        guard let kid = header["kid"]?.stringValue else { throw reject("the header names no kid") }
        let signingInput = Array(parts[0].utf8) + [UInt8(ascii: ".")] + Array(parts[1].utf8)
        return Decoded(kid: kid, payload: try parseObject(payloadBytes, "claims"), signature: signature, signingInput: signingInput)
    }

    /// The claims of a payload, checked for presence, type and time (not yet against the ledger:
    /// `verify` does that once the signature holds), `iss` against `issuer` when one is given.
    package static func unverifiedClaims(_ payload: JSON, issuer: String?, now: Date) throws -> Claims {
        guard let iss = payload["iss"]?.stringValue else { throw reject("no iss claim") }
        if let issuer { guard iss == issuer else { throw reject("iss names another ledger") } }
        guard let sub = payload["sub"]?.stringValue, !sub.isEmpty else { throw reject("no sub claim") }
        guard let roleText = payload["role"]?.stringValue else { throw reject("no role claim") }
        guard let role = Role(rawValue: roleText) else { throw reject("unknown role \"\(roleText.prefix(32))\"") }
        let exp = try timeClaim(payload, "exp")
        let nbf = try timeClaim(payload, "nbf")
        let iat = try timeClaim(payload, "iat")
        guard let jti = payload["jti"]?.stringValue, jti.utf8.count >= 16 else { throw reject("no jti claim of at least 128 bits") }
        // The ledger's lookups bind text as C strings: "bob\u0000x" would be looked up as bob.
        guard ![iss, sub, jti].contains(where: { $0.utf8.contains(0) }) else { throw reject("a claim holds a NUL byte") }
        let t = Time.epochSeconds(now)
        guard t <= exp.addingReportingOverflow(leeway).partialValue else {
            throw reject("the token expired at \(Time.rfc3339(Date(timeIntervalSince1970: Double(exp))))")
        }
        guard t >= nbf.subtractingReportingOverflow(leeway).partialValue else {
            throw reject("the token is not valid before \(Time.rfc3339(Date(timeIntervalSince1970: Double(nbf))))")
        }
        return Claims(issuer: iss, subject: sub, role: role, issuedAt: iat, notBefore: nbf, expires: exp, id: jti)
    }

    /// What a token's authority rests on in the ledger, as opposed to its signature and dates: the
    /// user exists and is active, holds the token's role, the token is not older than their last
    /// role change and was not revoked. Checked when the token is verified and again inside every
    /// write transaction (`Session.reauthorize`), since any of it can change in between. Returns
    /// the user's name as the ledger spells it.
    static func standing(subject sub: String, role: Role, issuedAt iat: Int64, id jti: String, in db: Database) throws -> String {
        guard let user = try db.one("SELECT name, role, status, tokens_after FROM users WHERE name = ?", sub) else {
            throw reject("user \"\(sub.prefix(64))\" does not exist in this ledger")
        }
        guard try user.value("status", as: UserStatus.self) == .active else { throw reject("user \(try user.text("name")) was offboarded") }
        guard try user.value("role", as: Role.self) == role else {
            throw reject("the token says role \(role.rawValue) but \(try user.text("name")) is now \(try user.text("role"))")
        }
        // A role change voids older tokens, also when the role later changes back.
        if let after = try user.optionalInteger("tokens_after"), iat < after {
            throw reject("the token was issued before \(try user.text("name"))'s role changed; ask an admin for a new one")
        }
        if try db.one("SELECT 1 AS x FROM revoked_tokens WHERE jti = ?", jti) != nil {
            throw reject("the token \(jti) was revoked")
        }
        return try user.text("name")
    }

    /// The issuer key `kid` is still one of the ledger's unrevoked issuers.
    static func issuerStanding(_ kid: String, in db: Database) throws {
        guard let issuer = try db.one("SELECT revoked_at FROM issuers WHERE kid = ?", kid) else {
            throw reject("kid \"\(kid.prefix(64))\" names no issuer of this ledger")
        }
        guard try issuer.optionalText("revoked_at") == nil else { throw reject("the issuer key \(kid) was revoked") }
    }
}
