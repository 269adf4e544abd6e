import FoundationEssentials
import OWBase

/// The text of a card or bank statement export, whatever charset its bank wrote it in: a
/// byte-order mark says (UTF-8, UTF-16), else `--map charset=NAME` (Shift_JIS from a Japanese
/// bank, GB18030, EUC-KR, Windows-1250/1251, ISO-8859-2 …), else valid UTF-8 is UTF-8, else
/// UTF-16 without a mark when every other byte of its ASCII is zero, else the locale's legacy
/// charset (LC_ALL, LC_CTYPE, LANG: `ja_JP` → Shift_JIS, `ru_RU` → Windows-1251, …), else
/// Windows-1252 as spreadsheets write it (bytes it leaves undefined refused, as before).
package enum StatementCharset {
    /// The charset a statement's text is decoded from, and the text.
    package static func text(_ bytes: [UInt8], name: String, charset: String?, environment: [String: String]) throws -> (
        text: String, charset: String
    ) {
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { return (Charset.decode(bytes.dropFirst(3), charset: "utf-8"), "utf-8") }
        if bytes.starts(with: [0xFF, 0xFE]) { return (Charset.decode(bytes.dropFirst(2), charset: "utf-16le"), "utf-16le") }
        if bytes.starts(with: [0xFE, 0xFF]) { return (Charset.decode(bytes.dropFirst(2), charset: "utf-16be"), "utf-16be") }
        if let charset { return (Charset.decode(bytes, charset: charset), charset) }
        if let utf8 = String(validating: bytes, as: UTF8.self) { return (utf8, "utf-8") }
        if let utf16 = unmarkedUTF16(bytes) { return (Charset.decode(bytes, charset: utf16), utf16) }
        if let local = localeCharset(environment), local != "windows-1252" { return (Charset.decode(bytes, charset: local), local) }
        do {
            return (try CSV.text(bytes, file: name).text, "windows-1252")
        } catch {
            // An MT940's tags, dates and amounts are ASCII: one in a code page neither UTF-8 nor Windows-1252 is
            // (a Hungarian bank's CP852) is still read, its accented letters as Latin-1 shows them.
            let latin1 = Charset.decode(bytes, charset: "iso-8859-1")
            if StatementMT940.looksLike(latin1.prefix(4096)) { return (latin1, "iso-8859-1") }
            throw error
        }
    }

    /// UTF-16 written without a byte-order mark: in its first 512 pairs, the zero bytes all on one side.
    static func unmarkedUTF16(_ bytes: [UInt8]) -> String? {
        let head = bytes.prefix(1024)
        guard head.count >= 8, head.count % 2 == 0 else { return nil }
        var zeroEven = 0
        var zeroOdd = 0
        for (i, b) in head.enumerated() where b == 0 { if i % 2 == 0 { zeroEven += 1 } else { zeroOdd += 1 } }
        let pairs = head.count / 2
        if zeroOdd * 2 >= pairs && zeroEven == 0 { return "utf-16le" }
        if zeroEven * 2 >= pairs && zeroOdd == 0 { return "utf-16be" }
        return nil
    }

    /// Languages whose banks' exports come in one legacy charset, by the locale's language (and territory).
    static let byLanguage: [String: String] = [
        "ja": "shift_jis", "zh_cn": "gb18030", "zh_sg": "gb18030", "zh_tw": "big5", "zh_hk": "big5", "ko": "euc-kr",
        "ru": "windows-1251", "uk": "windows-1251", "be": "windows-1251", "bg": "windows-1251", "sr": "windows-1251",
        "mk": "windows-1251", "pl": "windows-1250", "cs": "windows-1250", "sk": "windows-1250", "hu": "windows-1250",
        "sl": "windows-1250", "hr": "windows-1250", "ro": "windows-1250", "el": "windows-1253", "tr": "windows-1254",
    ]

    /// The legacy charset the first locale variable set names (`ja_JP.SJIS`), or its language's.
    static func localeCharset(_ environment: [String: String]) -> String? {
        guard let locale = ["LC_ALL", "LC_CTYPE", "LANG"].lazy.compactMap({ environment[$0] }).first(where: { !$0.isEmpty }) else {
            return nil
        }
        let lower = locale.lowercased()
        let parts = lower.split(separator: ".", maxSplits: 1)
        if parts.count == 2 {
            let label = String(parts[1].prefix { $0 != "@" })
            if let named = Charset.encoding(label), named != "utf-8" { return named }
        }
        let territory = String(parts.first ?? "")
        let language = String(territory.prefix { $0 != "_" })
        return byLanguage[territory] ?? byLanguage[language]
    }
}
