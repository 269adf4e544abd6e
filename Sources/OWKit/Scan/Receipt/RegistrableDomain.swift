import FoundationEssentials
import OWBase

/// The domain a company registered (`mail.billing.acme.co.uk` → `acme.co.uk`): one label under
/// its public suffix. The Public Suffix List is read from Debian's `publicsuffix` package when
/// it is installed; otherwise the common two-level suffixes below stand in for it.
package enum RegistrableDomain {
    static let listPath = "/usr/share/publicsuffix/public_suffix_list.dat"

    /// Suffix rules (`co.uk`, `*.ck`, `!www.ck`), from the list or the fallback.
    package static let rules: (exact: Set<String>, wildcard: Set<String>, exception: Set<String>) = {
        var exact = Set<String>()
        var wildcard = Set<String>()
        var exception = Set<String>()
        if let data = FileManager.default.contents(atPath: listPath), data.count < 16 << 20 {
            for raw in String(decoding: data, as: UTF8.self).split(separator: "\n") {
                let line = raw.split(separator: " ").first.map(String.init) ?? ""
                if line.isEmpty || line.hasPrefix("//") { continue }
                if line.hasPrefix("!") {
                    exception.insert(String(line.dropFirst()).lowercased())
                } else if line.hasPrefix("*.") {
                    wildcard.insert(String(line.dropFirst(2)).lowercased())
                } else {
                    exact.insert(line.lowercased())
                }
            }
        }
        if exact.isEmpty {
            exact = [
                "co.uk", "org.uk", "ac.uk", "gov.uk", "com.au", "net.au", "org.au", "co.nz", "co.jp", "ne.jp", "or.jp", "com.br",
                "co.in", "net.in", "co.za", "com.mx", "com.ar", "com.tr", "com.cn", "com.hk", "com.sg", "co.kr", "com.tw", "co.il",
            ]
        }
        return (exact, wildcard, exception)
    }()

    package static func of(_ host: String) -> String {
        let labels = host.lowercased().split(separator: ".").map(String.init)
        guard labels.count > 2 else { return labels.joined(separator: ".") }
        // The longest public suffix that matches; the registrable domain is one more label.
        for start in 0..<(labels.count - 1) {
            let candidate = labels[start...].joined(separator: ".")
            if rules.exception.contains(candidate) { return candidate }
            let parent = labels[(start + 1)...].joined(separator: ".")
            if rules.exact.contains(candidate) || rules.wildcard.contains(parent) {
                return start > 0 ? labels[(start - 1)...].joined(separator: ".") : candidate
            }
        }
        return labels.suffix(2).joined(separator: ".")
    }
}

/// The currency of the country a sender's address belongs to, by its country-code top-level
/// domain (`hetzner.de` → EUR, `ovh.co.uk` → GBP): what a receipt that writes only "Total 19,00"
/// is paid in. Generic domains (`.com`, `.io`) say nothing.
package enum CountryCurrency {
    static let byTLD: [String: String] = {
        var map: [String: String] = [:]
        for tld in ["at", "be", "cy", "de", "ee", "es", "fi", "fr", "gr", "hr", "ie", "it", "lt", "lu", "lv", "mt", "nl", "pt", "si", "sk"]
        {
            map[tld] = "EUR"
        }
        let others = [
            "uk": "GBP", "ch": "CHF", "li": "CHF", "pl": "PLN", "se": "SEK", "no": "NOK", "dk": "DKK", "cz": "CZK", "hu": "HUF",
            "ro": "RON", "bg": "BGN", "is": "ISK", "jp": "JPY", "in": "INR", "au": "AUD", "ca": "CAD", "nz": "NZD", "sg": "SGD",
            "hk": "HKD", "br": "BRL", "mx": "MXN", "za": "ZAR", "cn": "CNY", "kr": "KRW", "tr": "TRY", "il": "ILS", "tw": "TWD",
        ]
        map.merge(others) { a, _ in a }
        return map
    }()

    package static func of(_ host: String) -> Currency? {
        guard let tld = host.lowercased().split(separator: ".").last, let code = byTLD[String(tld)] else { return nil }
        return try? Currency.parse(code)
    }
}
