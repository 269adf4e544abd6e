import FoundationEssentials
import OWBase

/// MIME's transfer encodings: base64 and quoted-printable, decoded.
extension MIME {
    static func decodeTransfer(_ body: ArraySlice<UInt8>, encoding: String) -> [UInt8] {
        switch encoding {
        case "base64": return base64(Array(body))
        case "quoted-printable": return quotedPrintable(Array(body), header: false)
        default: return Array(body)
        }
    }

    static let base64Table: [Int8] = {
        var t = [Int8](repeating: -1, count: 256)
        for (i, c) in "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8.enumerated() { t[Int(c)] = Int8(i) }
        return t
    }()

    /// Lenient base64, as mail needs: characters outside the alphabet are skipped, a missing
    /// final pad is tolerated, decoding stops at the first `=`.
    package static func base64(_ input: [UInt8]) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(input.count * 3 / 4)
        var acc: UInt32 = 0
        var bits = 0
        for c in input {
            if c == UInt8(ascii: "=") { break }
            let v = base64Table[Int(c)]
            if v < 0 { continue }
            acc = (acc << 6) | UInt32(v)
            bits += 6
            if bits >= 8 {
                bits -= 8
                out.append(UInt8((acc >> UInt32(bits)) & 0xFF))
            }
        }
        return out
    }

    /// Quoted-printable (RFC 2045 §6.7); in headers (RFC 2047 Q) `_` is a space.
    package static func quotedPrintable(_ input: [UInt8], header: Bool) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(input.count)
        func hex(_ b: UInt8) -> UInt8? {
            switch b {
            case 0x30...0x39: return b - 0x30
            case 0x41...0x46: return b - 0x41 + 10
            case 0x61...0x66: return b - 0x61 + 10
            default: return nil
            }
        }
        var i = 0
        while i < input.count {
            let c = input[i]
            if c == UInt8(ascii: "=") {
                if i + 2 < input.count, let hi = hex(input[i + 1]), let lo = hex(input[i + 2]) {
                    out.append(hi << 4 | lo)
                    i += 3
                    continue
                }
                // A soft line break, possibly with trailing spaces; or a stray "=", kept as written.
                var j = i + 1
                while j < input.count, input[j] == 0x20 || input[j] == 0x09 { j += 1 }
                if j < input.count, input[j] == 0x0A {
                    i = j + 1
                    continue
                }
                if j + 1 < input.count, input[j] == 0x0D, input[j + 1] == 0x0A {
                    i = j + 2
                    continue
                }
                if j == input.count && j > i + 1 {
                    i = j
                    continue
                }
                out.append(c)
                i += 1
                continue
            }
            out.append(header && c == UInt8(ascii: "_") ? 0x20 : c)
            i += 1
        }
        return out
    }
}
