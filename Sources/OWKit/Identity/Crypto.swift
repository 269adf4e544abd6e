import CCrypto
import FoundationEssentials

/// SHA-256 and randomness from OpenSSL's libcrypto; owatch never hand-rolls cryptography.
public enum Crypto {
    public static func sha256(_ bytes: [UInt8]) -> [UInt8] {
        var digest = [UInt8](repeating: 0, count: 32)
        var len: UInt32 = 0
        let ok = bytes.withUnsafeBytes { EVP_Digest($0.baseAddress, $0.count, &digest, &len, EVP_sha256(), nil) }
        precondition(ok == 1 && len == 32, "EVP_Digest(SHA-256) failed")
        return digest
    }

    /// SHA-256 of many small inputs, one after another (the state digest hashes every row a
    /// write changes): the algorithm is fetched once and the context reused, where a one-shot
    /// `EVP_Digest` looks SHA-256 up and allocates a context each time — more than hashing a row costs.
    package final class SHA256 {
        private let md: OpaquePointer
        private let context: OpaquePointer

        package init() {
            guard let md = EVP_MD_fetch(nil, "SHA256", nil), let context = EVP_MD_CTX_new() else {
                preconditionFailure("OpenSSL has no SHA-256: " + Crypto.lastError())
            }
            self.md = md
            self.context = context
        }

        deinit {
            EVP_MD_CTX_free(context)
            EVP_MD_free(md)
        }

        /// The digest's first 16 bytes as two big-endian words.
        package func prefix128(_ bytes: UnsafeRawBufferPointer) -> (UInt64, UInt64) {
            var digest = (UInt64(0), UInt64(0), UInt64(0), UInt64(0))
            var len: UInt32 = 0
            let ok = withUnsafeMutableBytes(of: &digest) { out in
                EVP_DigestInit_ex2(context, md, nil) == 1 && EVP_DigestUpdate(context, bytes.baseAddress, bytes.count) == 1
                    && EVP_DigestFinal_ex(context, out.baseAddress!.assumingMemoryBound(to: UInt8.self), &len) == 1
            }
            precondition(ok && len == 32, "SHA-256 failed: " + Crypto.lastError())
            return (UInt64(bigEndian: digest.0), UInt64(bigEndian: digest.1))
        }
    }

    /// A digest by OpenSSL's name for it ("MD5", "SHA256", "SHA384", "SHA512"); nil when
    /// this OpenSSL lacks it.
    package static func digest(_ name: String, _ bytes: [UInt8]) -> [UInt8]? {
        guard let md = EVP_MD_fetch(nil, name, nil) else { return nil }
        defer { EVP_MD_free(md) }
        var out = [UInt8](repeating: 0, count: Int(EVP_MAX_MD_SIZE))
        var len: UInt32 = 0
        let ok = bytes.withUnsafeBytes { EVP_Digest($0.baseAddress, $0.count, &out, &len, md, nil) }
        return ok == 1 ? Array(out.prefix(Int(len))) : nil
    }

    /// A symmetric cipher by OpenSSL's name ("AES-128-CBC", "AES-256-CBC", "RC4"), encrypting
    /// or decrypting; nil when the key or data do not fit or this OpenSSL lacks the cipher.
    /// RC4, which old PDFs are encrypted with, lives in OpenSSL 3's legacy provider.
    package static func cipher(_ name: String, key: [UInt8], iv: [UInt8]? = nil, _ data: [UInt8], encrypt: Bool, padding: Bool) -> [UInt8]?
    {
        if name == "RC4" { _ = legacyProviders }
        guard let cipher = EVP_CIPHER_fetch(nil, name, nil), let context = EVP_CIPHER_CTX_new() else { return nil }
        defer {
            EVP_CIPHER_CTX_free(context)
            EVP_CIPHER_free(cipher)
        }
        guard EVP_CipherInit_ex2(context, cipher, nil, nil, encrypt ? 1 : 0, nil) == 1,
            EVP_CIPHER_CTX_set_key_length(context, Int32(key.count)) == 1,
            EVP_CipherInit_ex2(context, nil, key, iv, encrypt ? 1 : 0, nil) == 1
        else { return nil }
        EVP_CIPHER_CTX_set_padding(context, padding ? 1 : 0)
        var out = [UInt8](repeating: 0, count: data.count + 32)
        var written: Int32 = 0
        var final: Int32 = 0
        guard EVP_CipherUpdate(context, &out, &written, data, Int32(data.count)) == 1 else { return nil }
        let ok = out.withUnsafeMutableBufferPointer { EVP_CipherFinal_ex(context, $0.baseAddress! + Int(written), &final) }
        guard ok == 1 else { return nil }
        return Array(out.prefix(Int(written + final)))
    }

    /// Loading any provider stops OpenSSL loading the default one by itself: both, once.
    private static let legacyProviders: Bool = {
        OSSL_PROVIDER_load(nil, "default") != nil && OSSL_PROVIDER_load(nil, "legacy") != nil
    }()

    public static func sha256Hex(_ text: String) -> String { hex(sha256(Array(text.utf8))) }

    public static func randomBytes(_ count: Int) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: count)
        precondition(RAND_bytes(&out, Int32(count)) == 1, "RAND_bytes failed")
        return out
    }

    public static func hex(_ bytes: [UInt8]) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var out = [UInt8]()
        out.reserveCapacity(bytes.count * 2)
        for b in bytes {
            out.append(digits[Int(b >> 4)])
            out.append(digits[Int(b & 15)])
        }
        return String(decoding: out, as: UTF8.self)
    }

    package static func lastError() -> String {
        let code = ERR_get_error()
        guard code != 0 else { return "unknown OpenSSL error" }
        var buf = [CChar](repeating: 0, count: 256)
        ERR_error_string_n(code, &buf, buf.count)
        return String(decoding: buf.prefix(while: { $0 != 0 }).map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}

/// An Ed25519 public key (RFC 8032), as the ledger stores it: 32 raw bytes.
public struct PublicKey: Equatable, Sendable {
    public let raw: [UInt8]

    public init(raw: [UInt8]) throws {
        guard raw.count == 32 else { throw OWError.badData("an Ed25519 public key is 32 bytes, got \(raw.count)") }
        self.raw = raw
    }

    /// Verifies an Ed25519 signature. Any malformed input is simply `false`.
    public func verify(signature: [UInt8], message: [UInt8]) -> Bool {
        guard signature.count == 64,
            let pkey = raw.withUnsafeBufferPointer({ EVP_PKEY_new_raw_public_key(EVP_PKEY_ED25519, nil, $0.baseAddress, 32) })
        else { return false }
        defer { EVP_PKEY_free(pkey) }
        guard let ctx = EVP_MD_CTX_new() else { return false }
        defer { EVP_MD_CTX_free(ctx) }
        guard EVP_DigestVerifyInit(ctx, nil, nil, nil, pkey) == 1 else { return false }
        let rc = signature.withUnsafeBufferPointer { sig in
            message.withUnsafeBufferPointer { msg in
                EVP_DigestVerify(ctx, sig.baseAddress, sig.count, msg.baseAddress, msg.count)
            }
        }
        ERR_clear_error()
        return rc == 1
    }

    /// The JWK (RFC 8037 §2) with owatch's key id.
    public var jwk: JSON {
        .obj([
            ("kty", .string("OKP")), ("crv", .string("Ed25519")), ("x", .string(Base64URL.encode(raw))),
            ("kid", .string(keyID)), ("alg", .string("Ed25519")), ("use", .string("sig")),
        ])
    }

    /// The RFC 7638 JWK thumbprint: SHA-256 over the required members in lexicographic order.
    public var keyID: String {
        let canonical = "{\"crv\":\"Ed25519\",\"kty\":\"OKP\",\"x\":\"\(Base64URL.encode(raw))\"}"
        return Base64URL.encode(Crypto.sha256(Array(canonical.utf8)))
    }
}

/// An Ed25519 private key, kept in a PKCS#8 PEM file that `openssl pkey` reads.
public final class SigningKey {
    private let pkey: OpaquePointer

    private init(pkey: OpaquePointer) { self.pkey = pkey }
    deinit { EVP_PKEY_free(pkey) }

    public static func generate() throws -> SigningKey {
        guard let ctx = EVP_PKEY_CTX_new_id(EVP_PKEY_ED25519, nil) else {
            throw OWError(.io, "cannot create key context: \(Crypto.lastError())")
        }
        defer { EVP_PKEY_CTX_free(ctx) }
        var pkey: OpaquePointer?
        guard EVP_PKEY_keygen_init(ctx) == 1, EVP_PKEY_keygen(ctx, &pkey) == 1, let pkey else {
            throw OWError(.io, "Ed25519 key generation failed: \(Crypto.lastError())")
        }
        return SigningKey(pkey: pkey)
    }

    public convenience init(pem: String) throws {
        guard let bio = BIO_new(BIO_s_mem()) else { throw OWError(.io, "out of memory") }
        defer { BIO_free(bio) }
        let bytes = Array(pem.utf8)
        _ = bytes.withUnsafeBufferPointer { BIO_write(bio, $0.baseAddress, Int32($0.count)) }
        guard let key = PEM_read_bio_PrivateKey(bio, nil, nil, nil) else {
            ERR_clear_error()
            throw OWError.badData("the issuer key is not a PEM private key")
        }
        guard EVP_PKEY_get_base_id(key) == EVP_PKEY_ED25519 else {
            EVP_PKEY_free(key)
            throw OWError.badData("the issuer key is not an Ed25519 key")
        }
        self.init(pkey: key)
    }

    /// PKCS#8 PEM ("-----BEGIN PRIVATE KEY-----"), unencrypted: the file mode protects it, as with ssh.
    public var pem: String {
        guard let bio = BIO_new(BIO_s_mem()) else { preconditionFailure("out of memory") }
        defer { BIO_free(bio) }
        precondition(PEM_write_bio_PrivateKey(bio, pkey, nil, nil, 0, nil, nil) == 1, "PEM encoding failed")
        var ptr: UnsafeMutablePointer<CChar>?
        let len = owatch_bio_mem_data(bio, &ptr)
        return String(decoding: UnsafeRawBufferPointer(start: ptr, count: Int(len)), as: UTF8.self)
    }

    public var publicKey: PublicKey {
        var raw = [UInt8](repeating: 0, count: 32)
        var len = 32
        precondition(EVP_PKEY_get_raw_public_key(pkey, &raw, &len) == 1 && len == 32)
        return try! PublicKey(raw: raw)
    }

    public func sign(_ message: [UInt8]) -> [UInt8] {
        guard let ctx = EVP_MD_CTX_new() else { preconditionFailure("out of memory") }
        defer { EVP_MD_CTX_free(ctx) }
        precondition(EVP_DigestSignInit(ctx, nil, nil, nil, pkey) == 1)
        var sig = [UInt8](repeating: 0, count: 64)
        var len = 64
        let rc = message.withUnsafeBufferPointer { EVP_DigestSign(ctx, &sig, &len, $0.baseAddress, $0.count) }
        precondition(rc == 1 && len == 64, "Ed25519 signing failed")
        return sig
    }
}

/// base64url without padding (RFC 4648 §5, as JWS requires in RFC 7515 §2).
public enum Base64URL {
    public static func encode(_ bytes: [UInt8]) -> String {
        Data(bytes).base64EncodedString()
            .replacingAll("+", with: "-")
            .replacingAll("/", with: "_")
            .replacingAll("=", with: "")
    }

    /// Strict decoding: only the URL-safe alphabet, no padding, no stray bits;
    /// returns nil for anything else, so one encoding maps to one byte string.
    public static func decode(_ text: Substring) -> [UInt8]? {
        guard text.count % 4 != 1 else { return nil }
        for c in text.utf8 {
            switch c {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "_"):
                continue
            default: return nil
            }
        }
        var b64 = text.replacingAll("-", with: "+").replacingAll("_", with: "/")
        b64 += String(repeating: "=", count: (4 - b64.count % 4) % 4)
        guard let data = Data(base64Encoded: b64) else { return nil }
        let bytes = [UInt8](data)
        guard encode(bytes) == text else { return nil }
        return bytes
    }
}
