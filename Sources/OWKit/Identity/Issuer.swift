import FoundationEssentials
import OWCore

/// The ledger's token issuer: an Ed25519 key pair whose private half lives in a 0600 file
/// and whose public half (with its RFC 7638 key id) lives in the ledger.
public enum Issuer {
    public static func createKey(at path: String) throws -> SigningKey {
        guard !FileSystem.exists(path) else {
            throw OWError.refused(
                "an issuer key already exists at \(path); owatch never overwrites a key",
                hint: "pass --key PATH (or OWATCH_KEY) to keep this ledger's key elsewhere")
        }
        let key = try SigningKey.generate()
        try FileSystem.makeDirectory(Path.deletingLastComponent(path), mode: 0o700)
        try FileSystem.writeAtomically(path, contents: key.pem, mode: 0o600)
        return key
    }

    /// Loads the issuer key and checks it belongs to this ledger and is not revoked.
    public static func loadKey(_ path: String, for ledger: Ledger) throws -> SigningKey {
        let pem: String
        do {
            pem = try FileSystem.readSecret(path, what: "issuer key")
        } catch let e as OWError where e.kind == .missingInput {
            throw OWError(
                .missingInput, "no issuer key at \(path); signing tokens and seals needs it",
                hint: "run this on the machine where `owatch init` wrote the key, or pass --key PATH")
        }
        let key = try SigningKey(pem: pem)
        let kid = key.publicKey.keyID
        guard let row = try ledger.db.one("SELECT revoked_at FROM issuers WHERE kid = ?", kid) else {
            throw OWError.notPermitted(
                "the issuer key at \(path) does not belong to this ledger", hint: "pass the right key with --key PATH")
        }
        guard try row.optionalText("revoked_at") == nil else { throw OWError.notPermitted("the issuer key at \(path) was revoked") }
        return key
    }

    static func register(_ key: PublicKey, in db: Database, now: Date) throws {
        try db.run("INSERT INTO issuers(kid, public_key, created_at) VALUES (?,?,?)", key.keyID, key.raw, Time.rfc3339(now))
    }

    /// The public keys of the ledger's unrevoked issuers, as JWKs.
    public static func publicKeys(_ ledger: Ledger) throws -> [PublicKey] {
        try ledger.db.query("SELECT public_key FROM issuers WHERE revoked_at IS NULL ORDER BY created_at").map {
            try PublicKey(raw: $0.bytes("public_key"))
        }
    }
}
