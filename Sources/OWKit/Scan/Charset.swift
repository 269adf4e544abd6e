import FoundationEssentials

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
            return latin1(data)
        case "iso-8859-15", "latin9", "latin-9", "iso8859-15":
            return latin9(data)
        case "iso-8859-2", "latin2", "latin-2", "iso8859-2":
            return table(data, latin2High) ?? lossy(data)
        case "windows-1250", "cp1250":
            return table(data, cp1250High) ?? lossy(data)
        case "windows-1252", "cp1252":
            return table(data, cp1252High) ?? lossy(data)
        case "shift_jis", "shift-jis", "sjis", "x-sjis", "cp932", "windows-31j":
            // In JIS X 0201 the byte 0x5C is the yen sign; Japanese mail writes amounts as "\2,125".
            return yenBeforeDigits(shiftJIS(data) ?? lossy(data))
        case "iso-2022-jp", "csiso2022jp":
            return iso2022JP(data) ?? lossy(data)
        case "euc-jp":
            // Foundation on Linux never decoded EUC-JP (every input gave nil): kept as it was.
            return lossy(data)
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

    static func latin1(_ data: Data) -> String {
        var s = String.UnicodeScalarView()
        for b in data { s.append(Unicode.Scalar(b)) }
        return String(s)
    }

    /// ASCII below 0x80, `high` above; nil when a byte is not defined (as Foundation gave).
    static func table(_ data: Data, _ high: [UInt16]) -> String? {
        var s = String.UnicodeScalarView()
        for b in data {
            if b < 0x80 {
                s.append(Unicode.Scalar(b))
            } else {
                let v = high[Int(b) - 0x80]
                guard v != 0, let scalar = Unicode.Scalar(v) else { return nil }
                s.append(scalar)
            }
        }
        return String(s)
    }

    /// Windows-31J byte pairs (lead << 8 | trail) to code points, 0 where undefined.
    static let shiftJISTable: [UInt16] = {
        var t = [UInt16](repeating: 0, count: 1 << 16)
        let hex = Array(shiftJISPairs.utf8)
        func nibble(_ c: UInt8) -> Int { Int(c <= 57 ? c - 48 : c - 55) }
        var i = 0
        while i + 8 <= hex.count {
            var v = [Int](repeating: 0, count: 8)
            for k in 0..<8 { v[k] = nibble(hex[i + k]) }
            let key = v[0] << 12 | v[1] << 8 | v[2] << 4 | v[3]
            t[key] = UInt16(v[4] << 12 | v[5] << 8 | v[6] << 4 | v[7])
            i += 8
        }
        return t
    }()

    /// Shift_JIS as Windows-31J: ASCII, half-width katakana at 0xA1…0xDF, pairs by table; nil on
    /// any byte or pair that is not defined, or a lead byte at the end.
    static func shiftJIS(_ data: Data) -> String? {
        let b = [UInt8](data)
        // ICU's table (IBM-943) rotates three controls; an all-ASCII input never reached it.
        let rotate = b.contains { $0 >= 0x80 }
        var s = String.UnicodeScalarView()
        var i = 0
        while i < b.count {
            let c = b[i]
            if c < 0x80 {
                let r: UInt8 = !rotate ? c : c == 0x1A ? 0x1C : c == 0x1C ? 0x7F : c == 0x7F ? 0x1A : c
                s.append(Unicode.Scalar(r))
                i += 1
            } else if (0xA1...0xDF).contains(c) {
                s.append(Unicode.Scalar(0xFF61 + UInt32(c) - 0xA1)!)
                i += 1
            } else {
                guard i + 1 < b.count else { return nil }
                let v = shiftJISTable[Int(c) << 8 | Int(b[i + 1])]
                guard v != 0, let scalar = Unicode.Scalar(v) else { return nil }
                s.append(scalar)
                i += 2
            }
        }
        return String(s)
    }

    /// ISO-2022-JP: ASCII, JIS X 0201 Roman, JIS X 0208 (by the Shift_JIS table) and half-width
    /// katakana, switched by escape sequences; a line break goes back to ASCII (from
    /// the double-byte set and katakana). Nil on anything
    /// else, and on an escape sequence right after another, as ICU gave.
    static func iso2022JP(_ data: Data) -> String? {
        enum Mode { case ascii, roman, jis0208, kana }
        let b = [UInt8](data)
        var s = String.UnicodeScalarView()
        var mode = Mode.ascii
        var emptySegment = false  // an escape sequence right after another is an error (ICU)
        var i = 0
        while i < b.count {
            let c = b[i]
            if c == 0x1B {
                guard !emptySegment else { return nil }
                let rest = b[(i + 1)...]
                if rest.starts(with: [0x28, 0x42]) {
                    mode = .ascii
                } else if rest.starts(with: [0x28, 0x4A]) {
                    mode = .roman
                } else if rest.starts(with: [0x24, 0x40]) || rest.starts(with: [0x24, 0x42]) {
                    mode = .jis0208
                } else if rest.starts(with: [0x28, 0x49]) {
                    mode = .kana
                } else {
                    return nil
                }
                i += 3
                emptySegment = true
                continue
            }
            emptySegment = false
            if c == 0x0A || c == 0x0D {
                s.append(Unicode.Scalar(c))
                if mode != .roman { mode = .ascii }  // ICU keeps JIS X 0201 Roman across lines
                i += 1
                continue
            }
            switch mode {
            case .ascii, .roman:
                guard c < 0x80, c != 0x0E, c != 0x0F else { return nil }
                s.append(mode == .roman && c == 0x5C ? "\u{A5}" : mode == .roman && c == 0x7E ? "\u{203E}" : Unicode.Scalar(c))
                i += 1
            case .kana:
                guard (0x21...0x5F).contains(c) else { return nil }
                s.append(Unicode.Scalar(0xFF61 + UInt32(c) - 0x21)!)
                i += 1
            case .jis0208:
                guard i + 1 < b.count, (0x21...0x7E).contains(c), (0x21...0x7E).contains(b[i + 1]) else { return nil }
                let j1 = Int(c)
                let j2 = Int(b[i + 1])
                let s1 = ((j1 + 1) >> 1) + (j1 <= 0x5E ? 0x70 : 0xB0)
                var s2 = j1 & 1 == 1 ? j2 + 0x1F : j2 + 0x7E
                if j1 & 1 == 1 && s2 >= 0x7F { s2 += 1 }
                let v = shiftJISTable[s1 << 8 | s2]
                guard v != 0, let scalar = Unicode.Scalar(v) else { return nil }
                s.append(scalar)
                i += 2
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
