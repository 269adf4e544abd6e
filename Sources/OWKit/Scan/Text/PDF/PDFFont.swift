import FoundationEssentials
import OWBase

/// How a font's codes become text and how wide its glyphs are: a `/ToUnicode` CMap when there
/// is one (codes of 1–4 bytes, ranges, arrays, several characters per code), else the simple
/// font's `/Encoding` (WinAnsi, MacRoman, Standard, PDFDoc, `/Differences` with glyph names).
/// A Type0 font without a ToUnicode map cannot be read as text and yields nothing.
package struct PDFFont {
    /// Code byte lengths the CMap's codespace ranges allow (1 for simple fonts, 2 for Identity-H).
    var codeLengths: [Int] = [1]
    /// The CMap's codespace ranges, byte by byte (`<00> <80>`, `<8140> <9FFC>`): which lengths a code has.
    var codespace: [(lo: [UInt8], hi: [UInt8])] = []
    var toUnicode: [UInt32: String] = [:]
    var simple: [String]? = nil  // 256 entries for a simple font without ToUnicode
    var isType0 = false
    var vertical = false
    /// Glyph widths in 1/1000 em, by code; `defaultWidth` for the rest.
    var widths: [UInt32: Double] = [:]
    var defaultWidth: Double = 500

    /// An empty font (the fuzz harness reads a ToUnicode map into one).
    package init() {}

    static func load(_ doc: PDFDocument, _ object: PDFObject?) -> PDFFont {
        var f = PDFFont()
        guard let d = doc.dict(object) else {
            f.simple = PDFEncodings.winAnsi
            return f
        }
        let subtype = doc.resolve(d["Subtype"])?.name ?? ""
        f.isType0 = subtype == "Type0"
        if f.isType0 {
            f.codeLengths = [2]
            let encoding = doc.resolve(d["Encoding"])?.name ?? ""
            f.vertical = encoding.hasSuffix("-V")
            if let descendant = doc.resolve(d["DescendantFonts"])?.array?.first, let dd = doc.dict(descendant) {
                f.defaultWidth = doc.resolve(dd["DW"])?.number ?? 1000
                f.readCIDWidths(doc, doc.resolve(dd["W"])?.array ?? [])
            }
        } else {
            // A simple font's codes are bytes: a first code outside them names no glyph.
            let first = doc.resolve(d["FirstChar"])?.number.flatMap(UInt32.init(checked:)).flatMap { $0 < 256 ? $0 : nil } ?? 0
            for (i, w) in (doc.resolve(d["Widths"])?.array ?? []).prefix(256).enumerated() {
                if let v = doc.resolve(w)?.number { f.widths[first + UInt32(i)] = v }
            }
            if let missing = doc.dict(d["FontDescriptor"])?["MissingWidth"]?.number, missing > 0 { f.defaultWidth = missing }
            f.simple = PDFEncodings.simpleEncoding(doc, d["Encoding"], baseFont: doc.resolve(d["BaseFont"])?.name ?? "")
        }
        if let cmap = doc.decoded(d["ToUnicode"]) { f.readToUnicode(cmap) }
        return f
    }

    /// `/W [c [w1 w2 …] c1 c2 w …]` of a CIDFont.
    mutating func readCIDWidths(_ doc: PDFDocument, _ w: [PDFObject]) {
        var i = 0
        var entries = 0
        while i < w.count, entries < 100_000 {
            // A CID is a code of at most four bytes: a number outside that (negative, huge, NaN) starts no entry.
            guard let c = doc.resolve(w[i])?.number.flatMap(UInt32.init(checked:)) else {
                i += 1
                continue
            }
            if i + 1 < w.count, let list = doc.resolve(w[i + 1])?.array {
                for (k, v) in list.enumerated() {
                    guard let step = UInt32(exactly: k), case (let code, false) = c.addingReportingOverflow(step) else { break }
                    if let n = doc.resolve(v)?.number { widths[code] = n }
                }
                entries += list.count
                i += 2
            } else if i + 2 < w.count, let last = doc.resolve(w[i + 1])?.number.flatMap(UInt32.init(checked:)),
                let width = doc.resolve(w[i + 2])?.number, last >= c, last - c < 65_536
            {
                for code in c...last { widths[code] = width }
                entries += Int(last - c) + 1
                i += 3
            } else {
                i += 1
            }
        }
    }

    /// A ToUnicode CMap: `begincodespacerange`, `beginbfchar`, `beginbfrange` (incrementing or with an array).
    package mutating func readToUnicode(_ cmap: [UInt8]) {
        var p = PDFParser(cmap)
        var pending: [PDFObject] = []
        var lengths = Set<Int>()
        var entries = 0
        while p.pos < cmap.count, entries < 200_000 {
            p.skipBlanks()
            guard p.pos < cmap.count else { break }
            let before = p.pos
            guard let v = p.value() else {
                if p.pos == before { p.pos += 1 }
                continue
            }
            guard case .name(let w) = v, w.hasPrefix("#") else {
                pending.append(v)
                continue
            }
            switch w {
            case "#endcodespacerange":
                var k = 0
                while k + 1 < pending.count {
                    if case .string(let lo) = pending[k], case .string(let hi) = pending[k + 1], (1...4).contains(lo.count),
                        lo.count == hi.count
                    {
                        codespace.append((lo, hi))
                        lengths.insert(lo.count)
                    }
                    k += 2
                }
            case "#endbfchar":
                var k = 0
                while k + 1 < pending.count {
                    if case .string(let src) = pending[k], case .string(let dst) = pending[k + 1], (1...4).contains(src.count) {
                        toUnicode[PDFFont.code(src)] = PDFFont.utf16(dst)
                        lengths.insert(src.count)
                        entries += 1
                    }
                    k += 2
                }
            case "#endbfrange":
                var k = 0
                while k + 2 < pending.count {
                    defer { k += 3 }
                    guard case .string(let lo) = pending[k], case .string(let hi) = pending[k + 1], (1...4).contains(lo.count) else {
                        continue
                    }
                    let a = PDFFont.code(lo)
                    let b = PDFFont.code(hi)
                    guard b >= a, b - a < 65_536 else { continue }
                    lengths.insert(lo.count)
                    switch pending[k + 2] {
                    case .string(let dst):
                        // Incrementing: the last UTF-16 unit grows with the code.
                        var units = PDFFont.units(dst)
                        for code in a...b {
                            toUnicode[code] = String(decoding: units, as: UTF16.self)
                            if let last = units.last { units[units.count - 1] = last &+ 1 }
                            entries += 1
                        }
                    case .array(let list):
                        for (i, item) in list.enumerated() where UInt32(i) <= b - a {
                            if case .string(let dst) = item {
                                toUnicode[a + UInt32(i)] = PDFFont.utf16(dst)
                                entries += 1
                            }
                        }
                    default: break
                    }
                }
            default: break
            }
            if w.hasPrefix("#end") || w.hasPrefix("#begin") { pending.removeAll(keepingCapacity: true) }
        }
        if !lengths.isEmpty { codeLengths = lengths.sorted() }
    }

    package static func code(_ bytes: [UInt8]) -> UInt32 { bytes.reduce(0) { $0 << 8 | UInt32($1) } }
    static func units(_ bytes: [UInt8]) -> [UInt16] {
        stride(from: 0, to: bytes.count - 1, by: 2).map { UInt16(bytes[$0]) << 8 | UInt16(bytes[$0 + 1]) }
    }
    static func utf16(_ bytes: [UInt8]) -> String {
        if bytes.count == 1 { return String(UnicodeScalar(bytes[0])) }
        return String(decoding: units(bytes), as: UTF16.self)
    }

    /// Splits a shown string into codes: the shortest codespace length that has a mapping, else the font's usual length.
    /// Splits a shown string into codes: by the codespace ranges when the CMap has them (the
    /// length whose range holds the bytes), else the font's one code length.
    package func codes(_ s: [UInt8]) -> [UInt32] {
        if codeLengths == [1] { return s.map(UInt32.init) }
        var out: [UInt32] = []
        var i = 0
        let fixed = codespace.isEmpty ? (codeLengths.last ?? 1) : nil
        while i < s.count {
            var n = fixed ?? 0
            if fixed == nil {
                for range in codespace where i + range.lo.count <= s.count {
                    let bytes = s[i..<(i + range.lo.count)]
                    if zip(bytes, zip(range.lo, range.hi)).allSatisfy({ $0 >= $1.0 && $0 <= $1.1 }) {
                        n = range.lo.count
                        break
                    }
                }
                if n == 0 { n = min(codeLengths.first ?? 1, s.count - i) }
            }
            n = min(n, s.count - i)
            out.append(PDFFont.code(Array(s[i..<(i + n)])))
            i += n
        }
        return out
    }

    package func text(_ code: UInt32) -> String {
        if let t = toUnicode[code] { return t }
        if let simple, code < 256 { return simple[Int(code)] }
        return ""  // a CID with no map: nothing a person could read
    }

    package func width(_ code: UInt32) -> Double { widths[code] ?? defaultWidth }
}

/// The standard encodings of simple fonts and glyph names to Unicode (the Adobe Glyph List's
/// common part, `uniXXXX` and `uXXXX[XX]`).
package enum PDFEncodings {
    /// Windows-1252, which PDF's WinAnsiEncoding is (bytes Windows leaves undefined: nothing).
    static let winAnsi: [String] = (0..<256).map { (b: Int) -> String in
        if b < 32 { return b == 9 || b == 10 || b == 13 ? " " : "" }
        return Charset.decode([UInt8(b)], charset: "windows-1252")
    }

    /// Mac OS Roman's upper half, 0x80–0xFF (Foundation on Linux does not decode it).
    static let macRomanHigh = Array(
        "ÄÅÇÉÑÖÜáàâäãåçéèêëíìîïñóòôöõúùûü†°¢£§•¶ß®©™´¨≠ÆØ∞±≤≥¥µ∂∑∏π∫ªºΩæø¿¡¬√ƒ≈∆«»… ÀÃÕŒœ–—“”‘’÷◊ÿŸ⁄€‹›ﬁﬂ‡·‚„‰ÂÊÁËÈÍÎÏÌÓÔÒÚÛÙıˆ˜¯˘˙˚¸˝˛ˇ")
    static let macRoman: [String] = (0..<256).map { (b: Int) -> String in
        if b < 32 { return "" }
        return b < 128 ? String(UnicodeScalar(UInt8(b))) : String(macRomanHigh[b - 128])
    }

    /// StandardEncoding differs from ASCII in a few places (quotes) and above 127.
    package static let standard: [String] = (0..<256).map { (b: Int) -> String in
        switch b {
        case 0..<32: return ""
        case 0x27: return "\u{2019}"
        case 0x60: return "\u{2018}"
        case 32..<127: return String(UnicodeScalar(UInt8(b)))
        case 0xA1: return "¡"
        case 0xA2: return "¢"
        case 0xA3: return "£"
        case 0xA5: return "¥"
        case 0xA7: return "§"
        case 0xAA: return "\u{201C}"
        case 0xBA: return "\u{201D}"
        case 0xB1: return "–"
        case 0xD0: return "—"
        case 0xE1: return "Æ"
        case 0xF1: return "æ"
        case 0xE9: return "Ø"
        case 0xF9: return "ø"
        case 0xFB: return "ß"
        default: return ""
        }
    }

    /// PDFDocEncoding: Latin-1 with a few punctuation marks in 0x80–0x9F.
    static let pdfDoc: [String] = (0..<256).map { (b: Int) -> String in
        let special: [Int: String] = pdfDocSpecial
        if let s = special[b] { return s }
        return b < 32 ? "" : String(UnicodeScalar(UInt8(b)))
    }

    static let pdfDocSpecial: [Int: String] = [
        0x80: "•", 0x81: "†", 0x82: "‡", 0x83: "…", 0x84: "—", 0x85: "–", 0x86: "ƒ", 0x87: "⁄", 0x88: "‹", 0x89: "›",
        0x8A: "−", 0x8B: "‰", 0x8C: "„", 0x8D: "“", 0x8E: "”", 0x8F: "‘", 0x90: "’", 0x91: "‚", 0x92: "™",
        0x93: "ﬁ", 0x94: "ﬂ", 0x95: "Ł", 0x96: "Œ", 0x97: "Š", 0x98: "Ÿ", 0x99: "Ž", 0x9A: "ı", 0x9B: "ł",
        0x9C: "œ", 0x9D: "š", 0x9E: "ž", 0xA0: "€",
    ]

    static func named(_ name: String) -> [String]? {
        switch name {
        case "WinAnsiEncoding": return winAnsi
        case "MacRomanEncoding": return macRoman
        case "StandardEncoding": return standard
        case "PDFDocEncoding": return pdfDoc
        default: return nil
        }
    }

    static func simpleEncoding(_ doc: PDFDocument, _ encoding: PDFObject?, baseFont: String) -> [String] {
        let fallback = baseFont.contains("Symbol") || baseFont.contains("Dingbats") ? winAnsi : winAnsi
        switch doc.resolve(encoding) {
        case .name(let n)?: return named(n) ?? fallback
        case .dict(let d)?:
            var table = doc.resolve(d["BaseEncoding"])?.name.flatMap(named) ?? fallback
            var code = 0
            for item in doc.resolve(d["Differences"])?.array ?? [] {
                switch doc.resolve(item) {
                // Codes past a byte (or no number at all) name no entry of the table; kept bounded so counting on never overflows.
                case .number(let n)?: code = Int(checked: n).map { min(max($0, -1), 256) } ?? 256
                case .name(let glyph)?:
                    if (0..<256).contains(code), let u = unicode(glyph: glyph) { table[code] = u }
                    code = min(code + 1, 256)
                default: break
                }
            }
            return table
        default: return fallback
        }
    }

    /// A glyph name's text: `uni20AC`, `u1F600`, `Euro`, `eacute`, `f_f_i`, `one.sups` (suffix dropped).
    package static func unicode(glyph raw: String) -> String? {
        let name = String(raw.split(separator: ".").first ?? "")
        if name.contains("_") { return name.split(separator: "_").map { unicode(glyph: String($0)) ?? "" }.joined() }
        if name.hasPrefix("uni"), name.count >= 7 {
            let hex = Array(name.dropFirst(3))
            var out = ""
            for k in stride(from: 0, to: hex.count - 3, by: 4) {
                guard let v = UInt32(String(hex[k..<(k + 4)]), radix: 16), let s = UnicodeScalar(v) else { return nil }
                out.unicodeScalars.append(s)
            }
            return out
        }
        if name.hasPrefix("u"), (5...7).contains(name.count), let v = UInt32(name.dropFirst(), radix: 16), let s = UnicodeScalar(v) {
            return String(s)
        }
        if name.count == 1 { return name }
        return glyphList[name]
    }

    /// The part of the Adobe Glyph List invoices use: digits, punctuation, currency, accents.
    static let glyphList: [String: String] = {
        var m: [String: String] = [:]
        let pairs: [(String, String)] = [
            ("space", " "), ("exclam", "!"), ("quotedbl", "\""), ("numbersign", "#"), ("dollar", "$"), ("percent", "%"), ("ampersand", "&"),
            ("quotesingle", "'"), ("quoteright", "’"), ("quoteleft", "‘"), ("parenleft", "("), ("parenright", ")"), ("asterisk", "*"),
            ("plus", "+"),
            ("comma", ","), ("hyphen", "-"), ("minus", "−"), ("period", "."), ("slash", "/"), ("colon", ":"), ("semicolon", ";"),
            ("less", "<"),
            ("equal", "="), ("greater", ">"), ("question", "?"), ("at", "@"), ("bracketleft", "["), ("backslash", "\\"),
            ("bracketright", "]"),
            ("asciicircum", "^"), ("underscore", "_"), ("grave", "`"), ("braceleft", "{"), ("bar", "|"), ("braceright", "}"),
            ("asciitilde", "~"),
            ("zero", "0"), ("one", "1"), ("two", "2"), ("three", "3"), ("four", "4"), ("five", "5"), ("six", "6"), ("seven", "7"),
            ("eight", "8"), ("nine", "9"),
            ("Euro", "€"), ("euro", "€"), ("sterling", "£"), ("yen", "¥"), ("cent", "¢"), ("currency", "¤"), ("florin", "ƒ"),
            ("dollar.oldstyle", "$"),
            ("endash", "–"), ("emdash", "—"), ("bullet", "•"), ("ellipsis", "…"), ("quotedblleft", "“"), ("quotedblright", "”"),
            ("quotedblbase", "„"),
            ("quotesinglbase", "‚"), ("guillemotleft", "«"), ("guillemotright", "»"), ("guilsinglleft", "‹"), ("guilsinglright", "›"),
            ("degree", "°"), ("multiply", "×"), ("divide", "÷"), ("section", "§"), ("paragraph", "¶"), ("copyright", "©"),
            ("registered", "®"),
            ("trademark", "™"), ("nbspace", "\u{00A0}"), ("uni00A0", "\u{00A0}"), ("periodcentered", "·"), ("middot", "·"), ("dagger", "†"),
            ("daggerdbl", "‡"), ("perthousand", "‰"), ("fi", "ﬁ"), ("fl", "ﬂ"), ("ff", "ff"), ("ffi", "ffi"), ("ffl", "ffl"),
            ("germandbls", "ß"),
            ("AE", "Æ"), ("ae", "æ"), ("OE", "Œ"), ("oe", "œ"), ("Oslash", "Ø"), ("oslash", "ø"), ("Lslash", "Ł"), ("lslash", "ł"),
            ("dotlessi", "ı"),
            ("Eth", "Ð"), ("eth", "ð"), ("Thorn", "Þ"), ("thorn", "þ"), ("exclamdown", "¡"), ("questiondown", "¿"), ("ordfeminine", "ª"),
            ("ordmasculine", "º"), ("onehalf", "½"), ("onequarter", "¼"), ("threequarters", "¾"), ("mu", "µ"), ("plusminus", "±"),
            ("logicalnot", "¬"), ("brokenbar", "¦"), ("dieresis", "¨"), ("acute", "´"), ("cedilla", "¸"), ("macron", "¯"),
            ("circumflex", "ˆ"),
            ("tilde", "˜"), ("caron", "ˇ"), ("ring", "˚"), ("ogonek", "˛"), ("hungarumlaut", "˝"), ("breve", "˘"), ("dotaccent", "˙"),
            ("rupeeindian", "₹"), ("uni20B9", "₹"), ("won", "₩"), ("lira", "₤"), ("franc", "₣"), ("numero", "№"), ("afii61352", "№"),
        ]
        for (k, v) in pairs { m[k] = v }
        // Accented letters: the accent's name after the letter (eacute, Ccedilla, adieresis, …).
        let marks: [(String, String)] = [
            ("acute", "\u{301}"), ("grave", "\u{300}"), ("circumflex", "\u{302}"), ("dieresis", "\u{308}"),
            ("tilde", "\u{303}"), ("ring", "\u{30A}"), ("cedilla", "\u{327}"), ("caron", "\u{30C}"),
            ("ogonek", "\u{328}"), ("dotaccent", "\u{307}"), ("macron", "\u{304}"), ("breve", "\u{306}"),
            ("hungarumlaut", "\u{30B}"),
        ]
        for letter in "AaCcEeIiOoUuYyNnSsZzRrLlGgDdTtKk" {
            for (mark, combining) in marks {
                let composed = String(decoding: (String(letter) + combining)._nfcCodeUnits, as: UTF8.self)
                if composed.unicodeScalars.count == 1 { m[String(letter) + mark] = composed }
            }
        }
        return m
    }()
}
