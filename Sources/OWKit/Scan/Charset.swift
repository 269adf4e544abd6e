import Foundation

/// Bytes to text by MIME charset name. Unknown or undecodable charsets fall back to UTF-8
/// with replacement characters, so hostile mail always yields some text and never an error.
enum Charset {
    static func decode(_ bytes: some Collection<UInt8>, charset: String?) -> String {
        let name =
            (charset ?? "us-ascii").lowercased().trimmed(.whitespaces)
            .split(separator: "*").first.map(String.init) ?? "us-ascii"  // RFC 2231 language suffix
        let data = Data(bytes)
        switch name {
        case "utf-8", "utf8", "us-ascii", "ascii", "":
            return String(decoding: data, as: UTF8.self)
        case "iso-8859-1", "latin1", "latin-1", "iso8859-1", "l1":
            return String(data: data, encoding: .isoLatin1) ?? lossy(data)
        case "iso-8859-15", "latin9", "latin-9", "iso8859-15":
            return latin9(data)
        case "iso-8859-2", "latin2", "latin-2", "iso8859-2":
            return String(data: data, encoding: .isoLatin2) ?? lossy(data)
        case "windows-1250", "cp1250":
            return String(data: data, encoding: .windowsCP1250) ?? lossy(data)
        case "windows-1252", "cp1252":
            return String(data: data, encoding: .windowsCP1252) ?? lossy(data)
        case "shift_jis", "shift-jis", "sjis", "x-sjis", "cp932", "windows-31j":
            // In JIS X 0201 the byte 0x5C is the yen sign; Japanese mail writes amounts as "\2,125".
            return (String(data: data, encoding: .shiftJIS) ?? lossy(data))
                .replacingOccurrences(of: #"\\(?=\d)"#, with: "¥", options: .regularExpression)
        case "iso-2022-jp", "csiso2022jp":
            return String(data: data, encoding: .iso2022JP) ?? lossy(data)
        case "euc-jp":
            return String(data: data, encoding: .japaneseEUC) ?? lossy(data)
        case "utf-16":
            return String(data: data, encoding: .utf16) ?? lossy(data)
        default:
            return lossy(data)
        }
    }

    static func lossy(_ data: Data) -> String { String(decoding: data, as: UTF8.self) }

    /// ISO-8859-15 is Latin-1 with eight code points changed (the euro sign among them).
    static func latin9(_ data: Data) -> String {
        let changed: [UInt8: UInt32] = [
            0xA4: 0x20AC, 0xA6: 0x160, 0xA8: 0x161, 0xB4: 0x17D, 0xB8: 0x17E, 0xBC: 0x152, 0xBD: 0x153, 0xBE: 0x178,
        ]
        var s = String.UnicodeScalarView()
        for b in data { s.append(Unicode.Scalar(changed[b] ?? UInt32(b))!) }
        return String(s)
    }
}
