import FoundationEssentials

/// Checks a document's total by its arithmetic: gross over net (TTC over HT, brutto over netto,
/// incl. over excl. VAT), and of the labelled candidates the one equal to a net amount plus a tax
/// amount the document prints, whatever its label's rank.
struct TotalArithmetic {
    /// Words of a net amount on a line (as whole words); `gross` words override them.
    static let net: Set<String> = [
        "excl", "exkl", "excluding", "exclusive", "exclusief", "excluded", "netto", "ht", "zzgl",
        "subtotal", "zwischensumme", "subtotaal", "subtotale", "delsumma", "välisumma", "mezisoučet",
    ]
    static let gross: Set<String> = ["incl", "inkl", "including", "inclusive", "inclusief", "included", "brutto", "ttc", "gross"]
    static let tax: Set<String> = ["vat", "tax", "mwst", "ust", "tva", "iva", "btw", "moms", "dph", "alv", "gst", "mva", "vsk", "pdv"]

    private(set) var nets: [Money] = []
    private(set) var taxes: [Money] = []

    /// The lower-cased line's words: runs of ASCII letters and digits and of non-ASCII bytes.
    static func words(_ l: LowerText) -> Set<String> {
        var out = Set<String>()
        for w in l.bytes.split(whereSeparator: { !($0 >= 0x80 || ($0 >= 48 && $0 <= 57) || ($0 >= 97 && $0 <= 122)) }) {
            out.insert(String(decoding: w, as: UTF8.self))
        }
        return out
    }

    enum Kind { case net, tax, other }

    static func kind(_ l: LowerText) -> Kind {
        let w = words(l)
        if !w.isDisjoint(with: gross) { return .other }
        if !w.isDisjoint(with: net) { return .net }
        return w.isDisjoint(with: tax) ? .other : .tax
    }

    /// Remembers a net or tax line's amount (its last).
    mutating func note(_ kind: Kind, line: String, currency: Currency) {
        guard kind != .other, let m = ReceiptReader.amounts(in: line, defaultCurrency: currency).last?.money, m.minor > 0 else { return }
        if kind == .net { nets.append(m) } else { taxes.append(m) }
    }

    /// Whether `m` is one of the nets plus one of the taxes (at most 64 of each are compared).
    func isNetPlusTax(_ m: Money) -> Bool {
        for n in nets.suffix(64) where n.currency == m.currency {
            for t in taxes.suffix(64) where t.currency == m.currency && n.minor + t.minor == m.minor { return true }
        }
        return false
    }
}
