import FoundationEssentials
import OWBase

/// The vendor catalog indexed for recognising mail and statement lines.
package struct VendorIndex {
    let byDomain: [String: [Vendor]]
    /// Lower-cased names and aliases as UTF-8, longest first, each with the set of its bytes: a text
    /// lacking one of them cannot name it, so most of the catalog is ruled out per line without a search.
    let names: [(needle: [UInt8], mask: ByteMask, vendor: Vendor, isAlias: Bool)]
    let byID: [Int64: Vendor]

    /// Senders that bill on a vendor's behalf: the vendor is named in the display name, subject or body.
    static var processors: Set<String> { ProcessorMerchant.hosts }

    /// Parent companies' domains their software bills from alongside everything else they send:
    /// mail from them is a vendor's only when it names the vendor.
    static let sharedDomains: Set<String> = ["amazon.com", "google.com", "microsoft.com", "apple.com"]

    /// The index of these vendors (the ledger's: `VendorIndex(db)`).
    package init(_ vendors: [Vendor]) {
        var byDomain: [String: [Vendor]] = [:]
        var names: [(needle: [UInt8], mask: ByteMask, vendor: Vendor, isAlias: Bool)] = []
        var byID: [Int64: Vendor] = [:]
        for v in vendors {
            byID[v.id] = v
            for d in v.domains { byDomain[d.lowercased(), default: []].append(v) }
            func add(_ name: String, isAlias: Bool) {
                let needle = Array(name.lowercased().utf8)
                names.append((needle, ByteMask(needle), v, isAlias))
            }
            add(v.name, isAlias: false)
            for a in v.aliases where a.count >= 3 { add(a, isAlias: true) }
        }
        self.byDomain = byDomain
        self.names = names.sorted { $0.needle.count > $1.needle.count }
        self.byID = byID
    }

    /// Vendors whose billing domain is the sender's domain or a parent of it.
    package func vendors(forSender address: String) -> (vendors: [Vendor], domain: String?) {
        guard let at = address.lastIndex(of: "@") else { return ([], nil) }
        var domain = String(address[address.index(after: at)...]).lowercased()
        while domain.includes(".") {
            if let v = byDomain[domain] { return (v, domain) }
            domain = String(domain[domain.index(after: domain.firstIndex(of: ".")!)...])
        }
        return ([], nil)
    }

    /// The vendor mail or a document from `domain` is from: the domain's only vendor, or, when
    /// it is a parent company's shared domain (AWS and Amazon retail both mail from amazon.com) or
    /// several vendors bill from it, the one `text` names — never the domain's alone.
    package func vendor(among candidates: [Vendor], domain: String, namedIn text: @autoclosure () -> String) -> Vendor? {
        if VendorIndex.sharedDomains.contains(domain) || candidates.count > 1 { return vendor(namedIn: text(), among: candidates) }
        return candidates.first
    }

    /// The first catalog vendor named in `text` as a whole word (longest names first); by its
    /// name alone unless `aliases` (an alias such as Vercel's "Zeit" is a word in prose).
    package func vendor(namedIn text: String, among: [Vendor]? = nil, aliases: Bool = true, excluding: [Vendor] = []) -> Vendor? {
        let lower = LowerText(text)
        // A byte that may continue a word: ASCII letters and digits, and anything non-ASCII
        // (the bytes of é, の, …); "Slack," and "(Zoom)" match, "Slacker" does not.
        func wordByte(_ b: UInt8) -> Bool { b >= 0x80 || (b >= 48 && b <= 57) || (b | 0x20 >= 97 && b | 0x20 <= 122) }
        let present = ByteMask(lower.bytes)
        // By index: a `for (needle, v, isAlias) in names` copied each entry (its vendor's strings and arrays, retained and
        // released) for every name and line, 15 % of a statement's scan.
        for i in names.indices where present.covers(names[i].mask) && (aliases || !names[i].isAlias) {
            let id = names[i].vendor.id
            guard among.map({ $0.contains { $0.id == id } }) ?? true, !excluding.contains(where: { $0.id == id }) else { continue }
            let needle = names[i].needle
            var from = 0
            while let at = lower.find(needle, from: from) {
                let end = at + needle.count
                let before = at == 0 ? nil : lower.bytes[at - 1]
                let after = end == lower.bytes.count ? nil : lower.bytes[end]
                if !(before.map(wordByte) ?? false) && !(after.map { $0 >= 0x80 || ($0 | 0x20 >= 97 && $0 | 0x20 <= 122) } ?? false) {
                    return names[i].vendor
                }
                from = at + 1
            }
        }
        return nil
    }
}
