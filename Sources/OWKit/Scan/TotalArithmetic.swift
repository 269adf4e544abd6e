import FoundationEssentials

/// Checks a document's total by its arithmetic: gross over net (TTC over HT, brutto over netto,
/// incl. over excl. VAT), and of the labelled candidates the one equal to a net amount plus a tax
/// amount the document prints, or to the sum of the lines above it (with their taxes or without),
/// whatever its label's rank.
struct TotalArithmetic {
    /// Words of a net amount on a line (as whole words); `gross` words override them.
    static let net: Set<String> = [
        "excl", "exkl", "excluding", "exclusive", "exclusief", "excluded", "netto", "ht", "zzgl",
        "subtotal", "zwischensumme", "subtotaal", "subtotale", "delsumma", "välisumma", "mezisoučet",
    ]
    static let gross: Set<String> = ["incl", "inkl", "including", "inclusive", "inclusief", "included", "brutto", "ttc", "gross"]
    static let tax: Set<String> = ["vat", "tax", "mwst", "ust", "tva", "iva", "btw", "moms", "dph", "alv", "gst", "mva", "vsk", "pdv"]

    /// Words of a line that takes off what the lines above add up to.
    static let deduction: Set<String> = [
        "discount", "rabatt", "nachlass", "remise", "descuento", "sconto", "korting", "rabat", "alennus", "sleva", "coupon", "promo",
    ]

    private(set) var nets: [Money] = []
    private(set) var taxes: [Money] = []
    /// The lines with an amount and no label of a total, net or tax (items, shipping, discounts), in order.
    private(set) var items: [Money] = []

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

    /// Remembers an item line's amount (its last): a discount's is taken off.
    mutating func noteItem(_ l: LowerText, line: ArraySlice<UInt8>, currency: Currency) {
        // Only a line with a decimal amount or a currency mark is parsed (most lines with digits are dates and numbers).
        guard Self.mayHoldAmount(line),
            let m = ReceiptReader.amounts(in: String(decoding: line, as: UTF8.self), defaultCurrency: currency).last?.money,
            m.minor != 0
        else { return }
        let off = m.minor > 0 && !Self.words(l).isDisjoint(with: Self.deduction)
        items.append(off ? Money(minor: -m.minor, currency: m.currency) : m)
    }

    /// A digit, a decimal mark and a digit, or a byte of a currency sign.
    static func mayHoldAmount(_ line: ArraySlice<UInt8>) -> Bool {
        var prev2: UInt8 = 0
        var prev: UInt8 = 0
        for b in line {
            if b == 36 || b >= 0xC2 { return true }
            if b >= 48 && b <= 57 && (prev == 46 || prev == 44) && prev2 >= 48 && prev2 <= 57 { return true }
            (prev2, prev) = (prev, b)
        }
        return false
    }

    /// Whether `m` is the sum of two or more item lines above it, alone or with the taxes printed.
    func isSumOfLines(_ m: Money) -> Bool {
        guard items.count >= 2, items.allSatisfy({ $0.currency == m.currency }) else { return false }
        let sum = items.reduce(0) { $0 + $1.minor }
        if sum == m.minor { return true }
        let tax = taxes.filter { $0.currency == m.currency }.reduce(0) { $0 + $1.minor }
        return tax != 0 && sum + tax == m.minor
    }

    /// Whether `m` is one of the nets plus one of the taxes (at most 64 of each are compared).
    func isNetPlusTax(_ m: Money) -> Bool {
        for n in nets.suffix(64) where n.currency == m.currency {
            for t in taxes.suffix(64) where t.currency == m.currency && n.minor + t.minor == m.minor { return true }
        }
        return false
    }
}
