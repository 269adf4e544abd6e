import FoundationEssentials
import OWBase

/// Bytes to text by MIME charset name. Unknown charsets fall back to UTF-8 with replacement
/// characters, so hostile mail always yields some text and never an error. Legacy charsets
/// decode by owatch's own tables (LegacyCharsets), as Python's codecs do; their names are the
/// WHATWG Encoding Standard's labels (and Python's spellings of them).
package enum Charset {
    package static func decode(_ bytes: some Collection<UInt8>, charset: String?) -> String {
        let label =
            (charset ?? "us-ascii").lowercased().trimmed(.whitespaces)
            .split(separator: "*").first.map(String.init) ?? "us-ascii"  // RFC 2231 language suffix
        switch encoding(label) {
        case "latin1"?: return latin1(bytes)
        // In JIS X 0201 the byte 0x5C is the yen sign; Japanese mail writes amounts as "\2,125".
        case let name? where name == "shift_jis" || name == "euc-jp": return yenBeforeDigits(LegacyCharsets.multiByte(bytes, name))
        case let name? where multiByte.contains(name): return LegacyCharsets.multiByte(bytes, name)
        case "iso-2022-jp"?: return yenBeforeDigits(iso2022JP(Array(bytes)))
        case "utf-16"?: return String(data: Data(bytes), encoding: .utf16) ?? lossy(bytes)
        case "utf-16le"?: return String(data: Data(bytes), encoding: .utf16LittleEndian) ?? lossy(bytes)
        case "utf-16be"?: return String(data: Data(bytes), encoding: .utf16BigEndian) ?? lossy(bytes)
        case let name? where name != "utf-8": return LegacyCharsets.singleByte(bytes, name)
        default: return lossy(bytes)
        }
    }

    static let multiByte: Set<String> = ["euc-jp", "gb18030", "big5", "euc-kr"]

    /// The encoding a label names (nil: unknown, read as UTF-8). US-ASCII is read as UTF-8, as
    /// mislabelled UTF-8 mail needs; ISO-8859-1 stays Latin-1 (WHATWG reads it as Windows-1252,
    /// Python as Latin-1: the differential reference is Python).
    package static func encoding(_ label: String) -> String? {
        if let name = labels[label] { return name }
        // iso-8859-N, iso8859-N, iso_8859-N, iso8859_N, iso88591N; windows-125N, cp125N, x-cp125N.
        var l = label.replacingAll("_", with: "-")
        for prefix in ["iso-8859-", "iso8859-"] where l.hasPrefix(prefix) { l = "iso-8859-" + l.dropFirst(prefix.count) }
        if l.hasPrefix("iso8859"), let n = Int(l.dropFirst(7)) { l = "iso-8859-\(n)" }
        if l.hasPrefix("iso-8859-"), let n = Int(l.dropFirst(9).prefix { $0 != ":" }) {
            return n == 1 ? "latin1" : CharsetTables.index["iso-8859-\(n).high"] != nil ? "iso-8859-\(n)" : nil
        }
        for prefix in ["windows-", "cp", "x-cp"] where l.hasPrefix(prefix) {
            if let n = Int(l.dropFirst(prefix.count)), CharsetTables.index["windows-\(n).high"] != nil { return "windows-\(n)" }
        }
        return nil
    }

    package static let labels: [String: String] = {
        var m: [String: String] = [:]
        let groups: [String: [String]] = [
            "utf-8": ["utf-8", "utf8", "unicode-1-1-utf-8", "unicode11utf8", "unicode20utf8", "x-unicode20utf8", "us-ascii", "ascii", ""],
            "latin1": ["latin1", "latin-1", "l1", "cp819", "ibm819", "csisolatin1", "iso-ir-100", "iso88591", "iso_8859-1:1987"],
            "iso-8859-2": ["csisolatin2", "iso-ir-101", "l2", "latin2", "latin-2"],
            "iso-8859-3": ["csisolatin3", "iso-ir-109", "l3", "latin3"],
            "iso-8859-4": ["csisolatin4", "iso-ir-110", "l4", "latin4"],
            "iso-8859-5": ["csisolatincyrillic", "cyrillic", "iso-ir-144"],
            "iso-8859-6": [
                "arabic", "asmo-708", "csiso88596e", "csiso88596i", "csisolatinarabic", "ecma-114", "iso-8859-6-e", "iso-8859-6-i",
                "iso-ir-127",
            ],
            "iso-8859-7": ["csisolatingreek", "ecma-118", "elot_928", "greek", "greek8", "iso-ir-126", "sun_eu_greek"],
            "iso-8859-8": [
                "csiso88598e", "csisolatinhebrew", "hebrew", "iso-8859-8-e", "iso-ir-138", "visual", "csiso88598i", "iso-8859-8-i",
                "logical",
            ],
            "iso-8859-9": ["csisolatin5", "iso-ir-148", "l5", "latin5"],
            "iso-8859-10": ["csisolatin6", "iso-ir-157", "l6", "latin6"],
            "iso-8859-15": ["csisolatin9", "l9", "latin9", "latin-9"],
            "iso-8859-16": ["latin10", "l10"],
            "windows-874": ["dos-874", "tis-620", "cp874"],
            "koi8-r": ["cskoi8r", "koi", "koi8", "koi8-r", "koi8_r"],
            "koi8-u": ["koi8-ru", "koi8-u", "koi8_u"],
            "ibm866": ["866", "cp866", "csibm866", "ibm866"],
            "macintosh": ["csmacintosh", "mac", "macintosh", "x-mac-roman", "mac_roman"],
            "x-mac-cyrillic": ["x-mac-cyrillic", "x-mac-ukrainian", "mac_cyrillic"],
            "shift_jis": ["csshiftjis", "ms932", "ms_kanji", "shift-jis", "shift_jis", "sjis", "windows-31j", "x-sjis", "cp932"],
            "euc-jp": ["cseucpkdfmtjapanese", "euc-jp", "x-euc-jp", "eucjp", "euc_jp"],
            "iso-2022-jp": ["csiso2022jp", "iso-2022-jp", "iso2022_jp"],
            "gb18030": [
                "chinese", "csgb2312", "csiso58gb231280", "gb2312", "gb_2312", "gb_2312-80", "gbk", "iso-ir-58", "x-gbk", "gb18030",
                "cp936",
                "euc-cn",
            ],
            "big5": ["big5", "big5-hkscs", "cn-big5", "csbig5", "x-x-big5", "cp950", "big5hkscs"],
            "euc-kr": [
                "cseuckr", "csksc56011987", "euc-kr", "iso-ir-149", "korean", "ks_c_5601-1987", "ks_c_5601-1989", "ksc5601", "ksc_5601",
                "windows-949", "cp949", "uhc", "euc_kr", "euckr",
            ],
            "utf-16": ["utf-16", "utf16"],
            "utf-16le": ["utf-16le", "csunicode", "iso-10646-ucs-2", "ucs-2", "unicode", "unicodefeff"],
            "utf-16be": ["utf-16be", "unicodefffe"],
        ]
        for (name, aliases) in groups { for a in aliases { m[a] = name } }
        return m
    }()

    static func lossy(_ bytes: some Collection<UInt8>) -> String { String(decoding: Array(bytes), as: UTF8.self) }

    static func latin1(_ bytes: some Collection<UInt8>) -> String {
        var s = String.UnicodeScalarView()
        for b in bytes { s.append(Unicode.Scalar(b)) }
        return String(s)
    }

    /// ISO-2022-JP: ASCII, JIS X 0201 Roman, JIS X 0208 (by the EUC-JP table) and half-width
    /// katakana, switched by escape sequences; a line break goes back to ASCII (from the
    /// double-byte set and katakana), as mail writers expect. Anything else is U+FFFD.
    static func iso2022JP(_ b: [UInt8]) -> String {
        enum Mode { case ascii, roman, jis0208, kana }
        let jis = CharsetTables.table("euc-jp.pair")
        var s = String.UnicodeScalarView()
        var mode = Mode.ascii
        var i = 0
        while i < b.count {
            let c = b[i]
            if c == 0x1B {
                let rest = b[(i + 1)...]
                let modes: [([UInt8], Mode)] = [
                    ([0x28, 0x42], .ascii), ([0x28, 0x4A], .roman), ([0x24, 0x40], .jis0208), ([0x24, 0x42], .jis0208),
                    ([0x28, 0x49], .kana),
                ]
                if let m = modes.first(where: { rest.starts(with: $0.0) }) {
                    mode = m.1
                    i += 3
                } else {
                    s.append(LegacyCharsets.replacement)
                    i += 1
                }
                continue
            }
            if c == 0x0A || c == 0x0D {
                s.append(Unicode.Scalar(c))
                if mode != .roman { mode = .ascii }  // JIS X 0201 Roman stays across lines
                i += 1
                continue
            }
            switch mode {
            case .ascii, .roman:
                let roman = mode == .roman
                s.append(
                    c >= 0x80
                        ? LegacyCharsets.replacement : roman && c == 0x5C ? "\u{A5}" : roman && c == 0x7E ? "\u{203E}" : Unicode.Scalar(c))
                i += 1
            case .kana:
                s.append((0x21...0x5F).contains(c) ? Unicode.Scalar(0xFF61 + UInt32(c) - 0x21)! : LegacyCharsets.replacement)
                i += 1
            case .jis0208:
                if i + 1 < b.count, (0x21...0x7E).contains(c), (0x21...0x7E).contains(b[i + 1]),
                    let v = LegacyCharsets.pair(jis, c | 0x80, b[i + 1] | 0x80)
                {
                    s.append(v)
                    i += 2
                } else {
                    s.append(LegacyCharsets.replacement)
                    i += 1
                }
            }
        }
        return String(s)
    }

    /// In JIS X 0201 the byte 0x5C is the yen sign: a backslash before a digit becomes "¥"
    /// (the expression `\\(?=\d)`).
    static func yenBeforeDigits(_ text: String) -> String {
        guard text.utf8.contains(0x5C) else { return text }
        let scalars = Array(text.unicodeScalars)
        var out = String.UnicodeScalarView()
        for (i, c) in scalars.enumerated() {
            let digitNext = i + 1 < scalars.count && scalars[i + 1].properties.generalCategory == .decimalNumber
            out.append(c == "\\" && digitNext ? "\u{A5}" : c)
        }
        return String(out)
    }
}
