import FoundationEssentials
import OWBase

/// A merchant a card line pays that the catalog does not know: its name as people write it
/// ("Quillpad"), the key its lines are grouped by ("quillpad"), and the processor that collected
/// for it, if any.
package struct UnknownMerchant: Sendable, Equatable {
    package let name: String
    package let key: String
    package let processor: String?
    /// Collected by a processor that sells for software vendors online: a charge and a finding at
    /// once. Square's merchants are shops and cafés: only the recurring-charge detector names them.
    package var online = false
}

/// Whom a statement line pays: a catalog vendor, or a merchant nobody registered.
package enum StatementPayee {
    case vendor(Vendor)
    case merchant(UnknownMerchant)

    /// The payee of a line's description; nil for a transfer or a processor's own line (`PAYPAL
    /// INST XFER`) and for everyday one-off spend (groceries, taxis, hotels), which is never shadow IT.
    package static func of(_ description: String, _ index: VendorIndex) -> StatementPayee? {
        let whole = index.vendor(namedIn: description) ?? vendorByDomainWord(description, index)
        if let p = PaymentProcessor.split(description) {
            // The merchant it names, known or not; a processor's line naming the processor again pays nobody.
            if let m = index.vendor(namedIn: p.merchant) ?? vendorByDomainWord(p.merchant, index), !isProcessor(m) { return .vendor(m) }
            if let whole, !isProcessor(whole) { return .vendor(whole) }
            guard var m = UnknownMerchant.named(p.merchant, processor: p.name) else { return nil }
            m.online = p.name != "Square"
            return .merchant(m)
        }
        if let whole { return isProcessor(whole) ? nil : .vendor(whole) }
        return UnknownMerchant.named(description, processor: nil).map(StatementPayee.merchant)
    }

    /// A catalog entry that is a payment processor (PayPal, Paddle, Stripe …): it is never the
    /// vendor a line pays. Google and Apple sell their own software too, so they are vendors.
    static func isProcessor(_ v: Vendor) -> Bool {
        v.domains.contains(where: { VendorIndex.processors.contains($0.lowercased()) })
            && v.domains.allSatisfy({ $0 != "google.com" && $0 != "apple.com" })
    }

    /// Card descriptors often carry the domain: "ZOOM.US 888-799-9666". A parent company's shared
    /// domain names no vendor by itself ("AMAZON.COM*MK1234" is the shop, not AWS), as in mail.
    static func vendorByDomainWord(_ desc: String, _ index: VendorIndex) -> Vendor? {
        for word in desc.lowercased().split(whereSeparator: { $0 == " " || $0 == "*" || $0 == "/" }) where word.includes(".") {
            if !VendorIndex.sharedDomains.contains(String(word)), let v = index.byDomain[String(word)]?.first { return v }
        }
        return nil
    }
}

/// Processors and app stores whose card descriptors name the merchant they collect for after a
/// star: `PAYPAL *QUILLPAD`, `PADDLE.NET* LEDGERLINE`, `SQ *BLUE BOTTLE`, `FS *SKETCH`, `2CO.COM*`,
/// `GOOGLE *APPNAME`, `LSQ*`, `GUMROAD*`.
package enum PaymentProcessor {
    /// Descriptor prefixes (upper case, before the star) and the processor's name.
    static let prefixes: [(String, String)] = [
        ("PAYPAL", "PayPal"), ("PP", "PayPal"), ("PADDLE.NET", "Paddle"), ("PADDLE", "Paddle"), ("STRIPE", "Stripe"),
        ("FS", "FastSpring"), ("FASTSPRING", "FastSpring"), ("2CO.COM", "2Checkout"), ("2CO", "2Checkout"),
        ("VERIFONE", "Verifone"), ("AVANGATE", "2Checkout"), ("SQ", "Square"), ("SQU", "Square"), ("GOOGLE", "Google Play"),
        ("GOOGLE PLAY", "Google Play"), ("APPLE.COM/BILL", "Apple"), ("LEMONSQUEEZY", "Lemon Squeezy"),
        ("LEMON SQUEEZY", "Lemon Squeezy"), ("LSQ", "Lemon Squeezy"), ("GUMROAD", "Gumroad"), ("GUM.CO", "Gumroad"),
        ("PAYPRO", "PayPro Global"), ("DRI", "Digital River"), ("CKO", "Checkout.com"), ("CHARGEBEE", "Chargebee"),
    ]

    /// The processor and the merchant text after its star, or nil when the line is no processor's.
    package static func split(_ description: String) -> (name: String, merchant: String)? {
        let upper = description.uppercased().trimmed(.whitespaces)
        guard let star = upper.firstIndex(of: "*") else { return nil }
        let head = upper[..<star].trimmed(.whitespaces)
        guard let hit = prefixes.first(where: { $0.0 == head }) else { return nil }
        let merchant = String(description.trimmed(.whitespaces)[description.trimmed(.whitespaces).index(after: star)...])
            .trimmed(.whitespaces)
        return merchant.isEmpty ? nil : (hit.1, merchant)
    }
}

extension UnknownMerchant {
    /// Words of everyday one-off spend: a line naming one is never a subscription nobody registered.
    static let oneOffWords: Set<String> = [
        "rewe", "aldi", "lidl", "edeka", "netto", "penny", "kaufland", "carrefour", "tesco", "sainsbury", "migros", "coop",
        "albert", "heijn", "grocery", "groceries", "supermarket", "market", "markt", "bakery", "bäckerei", "backerei", "baeckerei", "cafe",
        "café", "coffee",
        "starbucks", "restaurant", "pizza", "sushi", "burger", "bar", "pub", "bistro", "kitchen", "taxi", "uber", "lyft",
        "bolt", "freenow", "cab", "hotel", "hotels", "airbnb", "booking", "hostel", "inn", "marriott", "hilton", "ibis",
        "fuel", "shell", "aral", "esso", "total", "bp", "tankstelle", "parking", "parken", "db", "bahn", "sncf", "ryanair",
        "lufthansa", "easyjet", "airlines", "airline", "rail", "train", "ticket", "tickets", "pharmacy", "apotheke", "ikea",
        "mediamarkt", "saturn", "deliveroo", "lieferando", "wolt", "doordash", "mcdonald's", "mcdonalds", "kiosk", "atm", "bargeld",
    ]

    /// Words of billing, not of the merchant's name ("QUANTLY ANNUAL" is Quantly).
    static let billingWords: Set<String> = [
        "annual", "yearly", "monthly", "subscription", "subscr", "renewal", "membership", "payment", "recurring", "abo", "abonnement",
    ]

    /// Domain endings dropped from a merchant's name ("QUILLPAD.IO" is Quillpad).
    static let domainEndings = [".com", ".io", ".net", ".app", ".co", ".org", ".dev", ".ai", ".de", ".eu", ".so"]

    /// The merchant a descriptor names: its words up to the first that is a number, a reference
    /// or a place code, at most three, title-cased. Nil for one-off spend and for a line naming nothing.
    static func named(_ text: String, processor: String?) -> UnknownMerchant? {
        var words: [String] = []
        for raw in text.split(whereSeparator: { $0 == " " || $0 == "*" || $0 == "," || $0 == "/" }) {
            var w = raw.lowercased().trimmingScalars(ScalarSet { !($0.properties.isAlphabetic || ("0"..."9").contains($0)) })
            if w.isEmpty { continue }
            if oneOffWords.contains(w) { return nil }
            if billingWords.contains(w) { continue }
            let digits = w.filter(\.isNumber).count
            if digits >= 3 || (digits > 0 && digits * 2 >= w.count) || words.count == 3 { break }
            if let end = domainEndings.first(where: { w.hasSuffix($0) && w.count > $0.count }) { w = String(w.dropLast(end.count)) }
            words.append(w)
            if raw.contains(".") && words.count == 1 && w.allSatisfy({ $0.isLetter || $0.isNumber }) { break }  // "NETFLIX.COM AMSTERDAM"
        }
        // A trailing two-letter place code ("… CA", "… IE") is not the merchant's name.
        if words.count > 1, let last = words.last, last.count == 2 { words.removeLast() }
        let key = words.joined().filter { $0.isLetter || $0.isNumber }
        guard key.count >= 2 else { return nil }
        let name = words.map { $0.prefix(1).uppercased() + $0.dropFirst() }.joined(separator: " ")
        return UnknownMerchant(name: name, key: key, processor: processor)
    }
}
