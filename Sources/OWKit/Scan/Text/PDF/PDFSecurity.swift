import FoundationEssentials
import OWBase

/// The standard security handler (ISO 32000-2, 7.6.4) for the empty user password: how invoices
/// that may be opened by anyone but not edited are encrypted. With it, a stream's bytes are
/// decrypted before its filters run; strings inside content streams are never encrypted, so
/// text needs nothing more. A document that needs a real password gives no text.
package struct PDFSecurity {
    package enum Method { case rc4, aes128, aes256, identity }

    package let method: Method
    /// The file's key (R2–R4: from the password, the owner entry, the permissions and the id;
    /// R5–R6: unwrapped from /UE).
    package let key: [UInt8]

    /// Algorithm 2's padding of a password to 32 bytes.
    static let padding: [UInt8] = [
        0x28, 0xBF, 0x4E, 0x5E, 0x4E, 0x75, 0x8A, 0x41, 0x64, 0x00, 0x4E, 0x56, 0xFF, 0xFA, 0x01, 0x08,
        0x2E, 0x2E, 0x00, 0xB6, 0xD0, 0x68, 0x3E, 0x80, 0x2F, 0x0C, 0xA9, 0xFE, 0x64, 0x53, 0x69, 0x7A,
    ]

    /// nil when the dictionary is not the standard handler's, or names a revision or method
    /// this reader does not know.
    package init?(_ d: [String: PDFObject], id: [UInt8], resolve: (PDFObject?) -> PDFObject?) {
        guard resolve(d["Filter"])?.name == "Standard", case .string(let o)? = resolve(d["O"]), case .string(let u)? = resolve(d["U"]),
            let v = resolve(d["V"])?.number.flatMap(Int.init(checked:)), let r = resolve(d["R"])?.number.flatMap(Int.init(checked:))
        else { return nil }
        // The method streams are encrypted with: V1–V2 RC4, V4–V5 a named crypt filter.
        switch v {
        case 1, 2: method = .rc4
        case 4, 5:
            let name = resolve(d["StmF"])?.name ?? "Identity"
            if name == "Identity" {
                method = .identity
            } else {
                switch resolve(resolve(d["CF"])?.dict?[name])?.dict?["CFM"].flatMap(resolve)?.name {
                case "V2"?: method = .rc4
                case "AESV2"?: method = .aes128
                case "AESV3"?: method = .aes256
                case "None"?: method = .identity
                default: return nil
                }
            }
        default: return nil
        }
        if r >= 5 {
            guard case .string(let ue)? = resolve(d["UE"]), u.count >= 48, ue.count >= 32 else { return nil }
            let salt = Array(u[40..<48])
            guard let intermediate = r == 5 ? Crypto.digest("SHA256", salt) : PDFSecurity.hardenedHash(salt: salt),
                let key = Crypto.cipher(
                    "AES-256-CBC", key: Array(intermediate.prefix(32)), iv: [UInt8](repeating: 0, count: 16),
                    Array(ue.prefix(32)), encrypt: false, padding: false)
            else { return nil }
            self.key = key
        } else {
            // /P is 32 bits of flags, written signed or unsigned; anything wider is no permission
            // set this handler could have made, so the document does not open.
            guard o.count >= 32, let wide = Int64(checked: resolve(d["P"])?.number ?? 0), wide >= Int64(Int32.min),
                wide <= Int64(UInt32.max)
            else { return nil }
            let p = Int32(truncatingIfNeeded: wide)
            var input = PDFSecurity.padding + Array(o.prefix(32))
            withUnsafeBytes(of: p.littleEndian) { input += $0 }
            input += id
            if r >= 4, case .bool(false)? = resolve(d["EncryptMetadata"]) { input += [0xFF, 0xFF, 0xFF, 0xFF] }
            let length = r == 2 ? 5 : min(16, max(5, (resolve(d["Length"])?.number.flatMap(Int.init(checked:)) ?? 40) / 8))
            guard var hash = Crypto.digest("MD5", input) else { return nil }
            if r >= 3 {
                for _ in 0..<50 {
                    guard let h = Crypto.digest("MD5", Array(hash.prefix(length))) else { return nil }
                    hash = h
                }
            }
            key = Array(hash.prefix(length))
        }
    }

    /// Algorithm 2.B (revision 6) for the empty password: SHA-256, then rounds of AES-128 and
    /// SHA-256/384/512 until the last byte says stop.
    static func hardenedHash(salt: [UInt8]) -> [UInt8]? {
        guard var k = Crypto.digest("SHA256", salt) else { return nil }
        var round = 0
        while true {
            let k1 = [[UInt8]](repeating: k, count: 64).flatMap { $0 }
            guard let e = Crypto.cipher("AES-128-CBC", key: Array(k.prefix(16)), iv: Array(k[16..<32]), k1, encrypt: true, padding: false)
            else { return nil }
            let mod = e.prefix(16).reduce(0) { ($0 + Int($1)) % 3 }
            guard let next = Crypto.digest(mod == 0 ? "SHA256" : mod == 1 ? "SHA384" : "SHA512", e) else { return nil }
            k = next
            round += 1
            if round >= 64, let last = e.last, Int(last) <= round - 32 { break }
        }
        return Array(k.prefix(32))
    }

    /// A stream of object `num` (generation `gen`) decrypted; nil when it does not decrypt.
    func decrypt(_ data: [UInt8], num: Int, gen: Int) -> [UInt8]? {
        switch method {
        case .identity: return data
        case .aes256: return PDFSecurity.aes("AES-256-CBC", key: key, data)
        case .rc4, .aes128:
            var input =
                key + [UInt8(num & 0xFF), UInt8((num >> 8) & 0xFF), UInt8((num >> 16) & 0xFF), UInt8(gen & 0xFF), UInt8((gen >> 8) & 0xFF)]
            if method == .aes128 { input += Array("sAlT".utf8) }
            guard let hash = Crypto.digest("MD5", input) else { return nil }
            let objectKey = Array(hash.prefix(min(key.count + 5, 16)))
            return method == .rc4
                ? Crypto.cipher("RC4", key: objectKey, data, encrypt: false, padding: false)
                : PDFSecurity.aes("AES-128-CBC", key: objectKey, data)
        }
    }

    /// AES-CBC with the first 16 bytes as the initialisation vector and PKCS#7 padding.
    private static func aes(_ name: String, key: [UInt8], _ data: [UInt8]) -> [UInt8]? {
        guard data.count >= 32, data.count % 16 == 0 else { return data.count == 16 ? [] : nil }
        return Crypto.cipher(name, key: key, iv: Array(data.prefix(16)), Array(data.dropFirst(16)), encrypt: false, padding: true)
    }
}
