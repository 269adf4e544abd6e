import FoundationEssentials
import OWBase

/// Checks a document's total by its arithmetic: gross over net (TTC over HT, brutto over netto,
/// incl. over excl. VAT), and of the labelled candidates the one equal to a net amount plus a tax
/// amount the document prints, or to the sum of the lines above it (with their taxes or without),
/// whatever its label's rank.
package struct TotalArithmetic {
    /// Words of a net amount on a line (as whole words); `gross` words override them.
    static let net: Set<String> = [
        "excl", "exkl", "excluding", "exclusive", "exclusief", "excluded", "netto", "ht", "zzgl",
        "subtotal", "zwischensumme", "subtotaal", "subtotale", "delsumma", "välisumma", "mezisoučet",
    ]
    static let gross: Set<String> = ["incl", "inkl", "including", "inclusive", "inclusief", "included", "brutto", "ttc", "gross"]
    package static let tax: Set<String> = [
        "vat", "tax", "mwst", "ust", "tva", "iva", "btw", "moms", "dph", "alv", "gst", "mva", "vsk", "pdv",
    ]

    /// A total before tax is a net amount whatever total-word it starts with ("Total before tax",
    /// "Total avant taxes", "Summe vor Steuern"): never the amount paid.
    static let beforeTax = NeedleSet([
        "before tax", "pre-tax", "pretax", "avant taxes", "avant impôts", "hors taxes", "vor steuern", "ohne mwst", "antes de impuestos",
        "sin iva", "prima delle imposte", "senza iva", "voor belasting", "exkl. moms",
    ])

    /// Words of a line that takes off what the lines above add up to.
    static let deduction: Set<String> = [
        "discount", "rabatt", "nachlass", "remise", "descuento", "sconto", "korting", "rabat", "alennus", "sleva", "coupon", "promo",
        "voucher", "gutschein",
    ]

    /// A document's net, tax and item lines, kept as bytes and parsed only when a labelled candidate
    /// is checked against them, and then only as far as the check needs (the amount expression
    /// is the costliest step of a receipt's reading; most receipts never need their nets parsed).
    private var pendingNets: [ArraySlice<UInt8>] = []
    private var pendingTaxes: [ArraySlice<UInt8>] = []
    private var pendingItems: [ArraySlice<UInt8>] = []
    private var parsedNets: [Money] = []
    private var parsedTaxes: [Money] = []
    /// The lines with an amount and no label of a total, net or tax (items, shipping, discounts), in order.
    private var parsedItems: [Money] = []
    package let currency: Currency

    package init(currency: Currency) { self.currency = currency }

    /// The lower-cased line's words: runs of ASCII letters and digits and of non-ASCII bytes.
    package static func words(_ l: LowerText) -> Set<String> {
        var out = Set<String>()
        for w in l.bytes.split(whereSeparator: { !($0 >= 0x80 || ($0 >= 48 && $0 <= 57) || ($0 >= 97 && $0 <= 122)) }) {
            out.insert(String(decoding: w, as: UTF8.self))
        }
        return out
    }

    package enum Kind { case net, tax, other }

    /// Gross words win over net words, net over tax; looked up word by word, no set built (this
    /// runs on every line with a digit).
    package static func kind(_ l: LowerText) -> Kind {
        var (isNet, isTax) = (false, false)
        for w in l.bytes.split(whereSeparator: { !($0 >= 0x80 || ($0 >= 48 && $0 <= 57) || ($0 >= 97 && $0 <= 122)) }) {
            let word = String(decoding: w, as: UTF8.self)
            if gross.contains(word) { return .other }
            isNet = isNet || net.contains(word)
            isTax = isTax || tax.contains(word)
        }
        return isNet ? .net : isTax ? .tax : .other
    }

    /// Whether `total` equals net + tax or the sum of the lines above it.
    package mutating func proves(_ total: Money) -> Bool { isNetPlusTax(total) || isSumOfLines(total) }

    /// Remembers a net or tax line (its last amount counts, when positive). A line of ASCII with
    /// no digit but 0 states no positive amount: it is not kept.
    package mutating func note(_ kind: Kind, line: ArraySlice<UInt8>) {
        guard kind != .other, Self.mayBeNonZero(line) else { return }
        if kind == .net { pendingNets.append(line) } else { pendingTaxes.append(line) }
    }

    /// Remembers an item line (its last amount counts: a discount's is taken off).
    mutating func noteItem(line: ArraySlice<UInt8>) {
        // Only a line with a decimal amount or a currency mark is parsed (most lines with digits are dates and numbers).
        guard Self.mayHoldAmount(line), Self.mayBeNonZero(line) else { return }
        pendingItems.append(line)
    }

    /// A byte that is not ASCII (a digit of another script, a currency sign) or a digit 1–9.
    static func mayBeNonZero(_ line: ArraySlice<UInt8>) -> Bool { line.contains { $0 >= 0x80 || ($0 >= 49 && $0 <= 57) } }

    func lastAmount(_ line: ArraySlice<UInt8>) -> Money? {
        ReceiptReader.amounts(in: String(decoding: line, as: UTF8.self), defaultCurrency: currency).last?.money
    }

    var nets: [Money] {
        mutating get {
            for line in pendingNets { if let m = lastAmount(line), m.minor > 0 { parsedNets.append(m) } }
            pendingNets = []
            return parsedNets
        }
    }

    var taxes: [Money] {
        mutating get {
            for line in pendingTaxes { if let m = lastAmount(line), m.minor > 0 { parsedTaxes.append(m) } }
            pendingTaxes = []
            return parsedTaxes
        }
    }

    package var items: [Money] {
        mutating get {
            for line in pendingItems {
                guard let m = lastAmount(line), m.minor != 0 else { continue }
                let off = m.minor > 0 && !Self.words(LowerText(utf8: line)).isDisjoint(with: Self.deduction)
                parsedItems.append(off ? Money(minor: -m.minor, currency: m.currency) : m)
            }
            pendingItems = []
            return parsedItems
        }
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
    mutating func isSumOfLines(_ m: Money) -> Bool {
        guard pendingItems.count + parsedItems.count >= 2 else { return false }
        let items = self.items
        guard items.count >= 2, items.allSatisfy({ $0.currency == m.currency }) else { return false }
        let sum = items.reduce(0) { $0 + $1.minor }
        if sum == m.minor { return true }
        let tax = taxes.filter { $0.currency == m.currency }.reduce(0) { $0 + $1.minor }
        return tax != 0 && sum + tax == m.minor
    }

    /// Whether `m` is one of the nets plus one of the taxes (at most 64 of each are compared).
    mutating func isNetPlusTax(_ m: Money) -> Bool {
        // Taxes first: a document whose taxes are all zero (or none) needs no net parsed.
        let taxes = self.taxes
        guard taxes.contains(where: { $0.currency == m.currency }) else { return false }
        for n in nets.suffix(64) where n.currency == m.currency {
            for t in taxes.suffix(64) where t.currency == m.currency && n.minor + t.minor == m.minor { return true }
        }
        return false
    }
}
