import Foundation

/// The domain a company registered (`mail.billing.acme.co.uk` → `acme.co.uk`): one label under
/// its public suffix. The Public Suffix List is read from Debian's `publicsuffix` package when
/// it is installed; otherwise the common two-level suffixes below stand in for it.
enum RegistrableDomain {
    static let listPath = "/usr/share/publicsuffix/public_suffix_list.dat"

    /// Suffix rules (`co.uk`, `*.ck`, `!www.ck`), from the list or the fallback.
    static let rules: (exact: Set<String>, wildcard: Set<String>, exception: Set<String>) = {
        var exact = Set<String>(), wildcard = Set<String>(), exception = Set<String>()
        if let data = FileManager.default.contents(atPath: listPath), data.count < 16 << 20 {
            for raw in String(decoding: data, as: UTF8.self).split(separator: "\n") {
                let line = raw.split(separator: " ").first.map(String.init) ?? ""
                if line.isEmpty || line.hasPrefix("//") { continue }
                if line.hasPrefix("!") { exception.insert(String(line.dropFirst()).lowercased()) }
                else if line.hasPrefix("*.") { wildcard.insert(String(line.dropFirst(2)).lowercased()) }
                else { exact.insert(line.lowercased()) }
            }
        }
        if exact.isEmpty {
            exact = ["co.uk", "org.uk", "ac.uk", "gov.uk", "com.au", "net.au", "org.au", "co.nz", "co.jp", "ne.jp", "or.jp", "com.br",
                     "co.in", "net.in", "co.za", "com.mx", "com.ar", "com.tr", "com.cn", "com.hk", "com.sg", "co.kr", "com.tw", "co.il"]
        }
        return (exact, wildcard, exception)
    }()

    static func of(_ host: String) -> String {
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
