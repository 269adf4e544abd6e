// The static probe (bench/probe/Package.swift): `probe LEDGER TOKEN` reads the issuer's public key
// from the ledger (SQLite), verifies the token's Ed25519 signature (libcrypto), decodes its claims
// (a JSON object, with FoundationEssentials' JSONDecoder) and looks the user up. It prints the
// subject and role; exit 1 when anything fails.
import CProbe
import FoundationEssentials
import Glibc

struct Claims: Decodable {
    let sub: String
    let role: String
    let exp: Int64
}

func base64URL(_ s: Substring) -> [UInt8]? {
    var t = String(s).replacing("-", with: "+").replacing("_", with: "/")
    while t.utf8.count % 4 != 0 { t += "=" }
    return Data(base64Encoded: t).map { Array($0) }
}

func fail(_ why: String) -> Never {
    let line = "probe: \(why)\n"
    _ = write(2, line, line.utf8.count)
    exit(1)
}

func column(_ stmt: OpaquePointer?, _ i: Int32) -> [UInt8] {
    let n = Int(sqlite3_column_bytes(stmt, i))
    guard n > 0, let p = sqlite3_column_blob(stmt, i) else { return [] }
    return Array(UnsafeRawBufferPointer(start: p, count: n))
}

func query(_ db: OpaquePointer?, _ sql: String, _ value: String) -> [UInt8]? {
    var stmt: OpaquePointer?
    guard sqlite3_prepare_v2(db, sql, -1, &stmt, nil) == SQLITE_OK else { fail("prepare: \(sql)") }
    defer { sqlite3_finalize(stmt) }
    sqlite3_bind_text(stmt, 1, value, -1, unsafeBitCast(-1, to: sqlite3_destructor_type.self))
    return sqlite3_step(stmt) == SQLITE_ROW ? column(stmt, 0) : nil
}

let args = CommandLine.arguments
guard args.count == 3 else { fail("usage: probe LEDGER TOKEN") }
guard let text = try? String(contentsOfFile: args[2], encoding: .utf8) else { fail("cannot read \(args[2])") }
let parts = text.split(separator: ".")
guard parts.count == 3, let header = base64URL(parts[0]), let payload = base64URL(parts[1]),
    let signature = base64URL(parts[2].prefix { !$0.isWhitespace })
else { fail("not a token") }

struct Header: Decodable { let kid: String }
guard let kid = try? JSONDecoder().decode(Header.self, from: Data(header)).kid else { fail("bad header") }

var db: OpaquePointer?
guard sqlite3_open_v2(args[1], &db, SQLITE_OPEN_READONLY, nil) == SQLITE_OK else { fail("cannot open \(args[1])") }
guard let key = query(db, "SELECT public_key FROM issuers WHERE kid = ?", kid), key.count == 32 else { fail("no issuer") }

let pkey = key.withUnsafeBufferPointer { EVP_PKEY_new_raw_public_key(EVP_PKEY_ED25519, nil, $0.baseAddress, 32) }
let ctx = EVP_MD_CTX_new()
let message = Array(parts[0].utf8) + [UInt8(ascii: ".")] + Array(parts[1].utf8)
guard EVP_DigestVerifyInit(ctx, nil, nil, nil, pkey) == 1,
    EVP_DigestVerify(ctx, signature, signature.count, message, message.count) == 1
else { fail("the signature does not verify") }
EVP_MD_CTX_free(ctx)
EVP_PKEY_free(pkey)

guard let claims = try? JSONDecoder().decode(Claims.self, from: Data(payload)) else { fail("bad claims") }
guard let role = query(db, "SELECT role FROM users WHERE name = ?", claims.sub) else { fail("no user \(claims.sub)") }
sqlite3_close(db)
print("\(claims.sub) \(String(decoding: role, as: UTF8.self))")
