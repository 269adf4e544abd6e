import FoundationEssentials
import OWBase

/// The currency a document's tax regime implies when no symbol or code names one: a VAT id's
/// country prefix first (the EU's VIES prefixes, Switzerland's CHE UID, GB, NO), each checked
/// against its country's format and only beside a tax-id label; else a tax's name with a word only
/// one country's invoices print beside it (GST with an ABN, TVA with a SIRET). Conservative: ids or
/// words that imply different currencies (a German seller's and a Swiss customer's) imply none.
package enum TaxRegime {
    /// VAT id formats after the country prefix (spaces, dots and hyphens removed), and the currency.
    package static let ids: [String: (pattern: String, code: String)] = [
        "AT": ("U\\d{8}", "EUR"), "BE": ("[01]\\d{9}", "EUR"), "BG": ("\\d{9,10}", "BGN"), "CY": ("\\d{8}[A-Z]", "EUR"),
        "CZ": ("\\d{8,10}", "CZK"), "DE": ("\\d{9}", "EUR"), "DK": ("\\d{8}", "DKK"), "EE": ("\\d{9}", "EUR"),
        "EL": ("\\d{9}", "EUR"), "ES": ("[A-Z0-9]\\d{7}[A-Z0-9]", "EUR"), "FI": ("\\d{8}", "EUR"), "FR": ("[A-Z0-9]{2}\\d{9}", "EUR"),
        "HR": ("\\d{11}", "EUR"), "HU": ("\\d{8}", "HUF"), "IE": ("\\d[A-Z0-9+*]\\d{5}[A-Z]{1,2}", "EUR"), "IT": ("\\d{11}", "EUR"),
        "LT": ("\\d{9}|\\d{12}", "EUR"), "LU": ("\\d{8}", "EUR"), "LV": ("\\d{11}", "EUR"), "MT": ("\\d{8}", "EUR"),
        "NL": ("\\d{9}B\\d{2}", "EUR"), "PL": ("\\d{10}", "PLN"), "PT": ("\\d{9}", "EUR"), "RO": ("\\d{2,10}", "RON"),
        "SE": ("\\d{10}01", "SEK"), "SI": ("\\d{8}", "EUR"), "SK": ("\\d{10}", "EUR"), "GB": ("\\d{9}|\\d{12}", "GBP"),
        "XI": ("\\d{9}|\\d{12}", "GBP"), "NO": ("\\d{9}(?:MVA)?", "NOK"), "CHE": ("\\d{9}(?:MWST|TVA|IVA)?", "CHF"),
    ]
    nonisolated(unsafe) static let expressions = ids.mapValues { (try! Regex("(?:\($0.pattern))"), $0.code) }

    /// Labels one of which a VAT id's line (or the line above) prints.
    static let idLabels = NeedleSet([
        "vat", "ust", "mwst", "tva", "iva", "btw", "moms", "mva", "uid", "tax", "steuer", "partita", "nif", "cif", "nip", "dič", "dic",
        "alv", "tunnus", "cvr", "org", "vies", "pvn", "kmkr", "pdv", "dph", "ddv", "áfa", "afa", "cui", "αφμ",
    ])

    /// A tax's name, words that place it in one country, and that country's currency (whole words, lower case).
    static let regimes: [(tax: [String], with: [String], code: String)] = [
        (["hst", "gst/hst"], [], "CAD"),
        (["gst"], ["abn"], "AUD"),
        (["mva"], ["org.nr", "org. nr", "orgnr", "org nr", "foretaksregisteret", "norge", "norway"], "NOK"),
        (["moms"], ["cvr", "cvr-nr", "danmark", "denmark"], "DKK"),
        (["moms"], ["momsreg.nr", "momsregistreringsnummer", "organisationsnummer", "sverige", "sweden"], "SEK"),
        (
            ["mwst", "ust", "umsatzsteuer", "mehrwertsteuer"],
            ["deutschland", "germany", "österreich", "austria", "ust-idnr", "steuernummer"], "EUR"
        ),
        (["mwst", "mehrwertsteuer"], ["schweiz", "switzerland", "suisse", "svizzera"], "CHF"),
        (["tva", "ttc"], ["siret", "siren", "rcs", "intracommunautaire", "france"], "EUR"),
        (["btw"], [], "EUR"),
        (["iva"], ["nif", "cif", "nipc", "partita iva", "p.iva", "p. iva", "codice fiscale", "españa", "italia", "portugal"], "EUR"),
    ]

    /// The one currency the document's tax regime implies, with why; nil when none or several.
    package static func currency(in text: String) -> (currency: Currency, why: String)? {
        let head = ReceiptReader.leading(text, 20_000)
        let lines = head.split(separator: "\n", omittingEmptySubsequences: false)
        var byID = Set<String>()
        var example = ""
        for (i, line) in lines.enumerated() {
            let labelled =
                LowerText(String(line)).contains(any: idLabels) || (i > 0 && LowerText(String(lines[i - 1])).contains(any: idLabels))
            guard labelled else { continue }
            for (id, code) in vatIDs(in: line) {
                byID.insert(code)
                example = id
            }
        }
        if !byID.isEmpty {
            guard byID.count == 1, let code = byID.first, let c = try? Currency.parse(code) else { return nil }
            return (c, "implied by the VAT id \(example)")
        }
        let lower = LowerText(head)
        var implied: [String: String] = [:]
        for (taxes, with, code) in regimes {
            guard let tax = taxes.first(where: { lower.hasWord(Array($0.utf8)) }) else { continue }
            if with.isEmpty {
                implied[code] = tax
            } else if let word = with.first(where: { lower.hasWord(Array($0.utf8)) }) {
                implied[code] = "\(tax) with \(word)"
            }
        }
        guard implied.count == 1, let (code, why) = implied.first, let c = try? Currency.parse(code) else { return nil }
        return (c, "implied by the tax regime (\(why))")
    }

    /// The VAT ids a line prints that match their country's format: (the id, its currency).
    static func vatIDs(in line: Substring) -> [(String, String)] {
        let s = Array(line.utf8)
        func upper(_ b: UInt8) -> Bool { b >= 65 && b <= 90 }
        func alnum(_ b: UInt8) -> Bool { upper(b) || (b >= 48 && b <= 57) || (b >= 97 && b <= 122) }
        var out: [(String, String)] = []
        var i = 0
        while i + 2 < s.count {
            defer { i += 1 }
            guard upper(s[i]), upper(s[i + 1]), i == 0 || !alnum(s[i - 1]) else { continue }
            let three = i + 2 < s.count && upper(s[i + 2]) && String(decoding: s[i..<i + 3], as: UTF8.self) == "CHE"
            let prefix = String(decoding: s[i..<i + (three ? 3 : 2)], as: UTF8.self)
            guard let (expression, code) = expressions[prefix] else { continue }
            // The id's groups: capitals and digits, parted by single spaces, dots or hyphens.
            var groups: [String] = []
            var j = i + prefix.utf8.count
            if j < s.count, s[j] == 32 || s[j] == 45 { j += 1 }
            while j < s.count, groups.count < 8 {
                var e = j
                while e < s.count, upper(s[e]) || (s[e] >= 48 && s[e] <= 57) { e += 1 }
                guard e > j else { break }
                groups.append(String(decoding: s[j..<e], as: UTF8.self))
                guard e + 1 < s.count, s[e] == 32 || s[e] == 46 || s[e] == 45, alnum(s[e + 1]) else { break }
                j = e + 1
            }
            // The longest run of whole groups that is a well-formed id (the words after it are not part of it).
            for n in stride(from: groups.count, through: 1, by: -1) {
                let body = groups.prefix(n).joined()
                if (try? expression.wholeMatch(in: body)) != nil {
                    out.append((prefix + body, code))
                    break
                }
            }
        }
        return out
    }
}
