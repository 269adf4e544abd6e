import FoundationEssentials
import OWBase

/// A receipt's schema.org markup (https://schema.org/Invoice, /Order) in an HTML part: JSON-LD
/// `<script type="application/ld+json">` or microdata `itemprop` attributes. Read only when the
/// HTML says schema.org, so plain mail pays one search.
package struct SchemaOrgReceipt {
    package var amount: Money?
    var seller: String?
    package var number: String?
    package var date: String?
    var dueDate: String?

    static let maxScripts = 16
    package static let types: Set<String> = ["Invoice", "Order"]

    package static func of(_ message: MailMessage) -> SchemaOrgReceipt? {
        var found: SchemaOrgReceipt?
        message.root.walk { p in
            guard found == nil, p.contentType == "text/html", let html = p.text, html.includes("schema.org") else { return }
            found = jsonLD(html) ?? microdata(html)
        }
        return found
    }

    // MARK: JSON-LD

    static func jsonLD(_ html: String) -> SchemaOrgReceipt? {
        var scripts = 0
        for tag in HTMLTags(html) where scripts < maxScripts {
            guard tag.name.equalsIgnoringCase("script"), tag.attributes["type"]?.lowercased() == "application/ld+json" else { continue }
            scripts += 1
            guard let json = try? JSON.parse(tag.following(until: "</script")), let node = node(in: json, depth: 0) else { continue }
            if let r = read(node), r.amount != nil { return r }
        }
        return nil
    }

    /// The first Invoice or Order node: the top object, an array's items, or an `@graph`.
    static func node(in json: JSON, depth: Int) -> JSON? {
        guard depth < 8 else { return nil }
        if let items = json.arrayValue ?? json["@graph"]?.arrayValue {
            return items.lazy.compactMap { node(in: $0, depth: depth + 1) }.first
        }
        let type = json["@type"].map { $0.arrayValue ?? [$0] } ?? []
        return type.contains { types.contains($0.stringValue ?? "") } ? json : nil
    }

    package static func read(_ n: JSON) -> SchemaOrgReceipt? {
        var r = SchemaOrgReceipt()
        let due = n["totalPaymentDue"]
        let price = due?["price"] ?? due?["value"] ?? n["price"] ?? n["totalPrice"]
        let currency = due?["priceCurrency"] ?? due?["currency"] ?? n["priceCurrency"]
        r.amount = money(price.flatMap(literal), currency?.stringValue)
        let party = n["provider"] ?? n["seller"] ?? n["merchant"] ?? n["broker"]
        r.seller = party?.stringValue ?? party?["name"]?.stringValue
        r.number = (n["confirmationNumber"] ?? n["orderNumber"] ?? n["identifier"] ?? n["accountId"]).flatMap(literal)
        r.dueDate = n["paymentDueDate"]?.stringValue
        r.date = n["orderDate"]?.stringValue ?? n["billingPeriod"]?.stringValue.map { String($0.prefix(10)) } ?? r.dueDate
        return r
    }

    static func literal(_ j: JSON) -> String? {
        if case .number(let n) = j { return n }
        return j.stringValue
    }

    package static func money(_ value: String?, _ code: String?) -> Money? {
        guard let value, let code, let c = try? Currency.parse(code.trimmed(.whitespaces)),
            let minor = EInvoice.minorUnits(value, exponent: c.exponent)
        else { return nil }
        return Money(minor: minor, currency: c)
    }

    // MARK: Microdata

    /// `itemprop` values in document order: the `content` attribute, else the text up to the next tag.
    static func microdata(_ html: String) -> SchemaOrgReceipt? {
        guard html.includes("schema.org/Invoice") || html.includes("schema.org/Order") else { return nil }
        var props: [(String, String)] = []
        for tag in HTMLTags(html) where props.count < 500 {
            guard let prop = tag.attributes["itemprop"] else { continue }
            let value =
                tag.attributes["content"] ?? tag.attributes["datetime"] ?? tag.following(until: "<").trimmed(.whitespacesAndNewlines)
            props.append((prop, value))
        }
        func first(_ names: String...) -> String? { props.first { names.contains($0.0) && !$0.1.isEmpty }?.1 }
        // The party's name is the first `name` after the provider/seller/merchant item begins.
        let partyAt = props.firstIndex { ["provider", "seller", "merchant"].contains($0.0) }
        let seller = partyAt.flatMap { at in props[at...].first { $0.0 == "name" && !$0.1.isEmpty }?.1 }
        var r = SchemaOrgReceipt()
        r.amount = money(first("price", "totalPrice", "value"), first("priceCurrency", "currency"))
        r.seller = seller
        r.number = first("confirmationNumber", "orderNumber", "identifier")
        r.dueDate = first("paymentDueDate")
        r.date = first("orderDate") ?? r.dueDate
        return r.amount == nil ? nil : r
    }
}

/// The start tags of HTML, each with its attributes and what follows it; bounded like Markup's tags.
package struct HTMLTags: Sequence, IteratorProtocol {
    package struct Tag {
        package let name: String
        let attributes: [String: String]
        package let rest: ArraySlice<UInt8>
        /// The bytes after the tag up to `end` (case-insensitive), at most 256 KB.
        func following(until end: String) -> String {
            let bytes = Array(rest.prefix(256 << 10))
            let lower = LowerText(lowered: bytes.map { $0 >= 65 && $0 <= 90 ? $0 + 32 : $0 })
            let stop = lower.find(Array(end.utf8)) ?? bytes.count
            return String(decoding: bytes[..<stop], as: UTF8.self)
        }
    }
    package let bytes: [UInt8]
    package var i = 0

    package init(_ html: String) { bytes = Array(html.utf8) }

    package mutating func next() -> Tag? {
        while i < bytes.count {
            guard bytes[i] == UInt8(ascii: "<"), i + 1 < bytes.count, bytes[i + 1] != UInt8(ascii: "/"), bytes[i + 1] != UInt8(ascii: "!")
            else {
                i += 1
                continue
            }
            guard let end = bytes[i...].prefix(Markup.maxTagBytes).firstIndex(of: UInt8(ascii: ">")) else {
                i += 1
                continue
            }
            let inner = bytes[(i + 1)..<(bytes[end - 1] == UInt8(ascii: "/") ? end - 1 : end)]
            i = end + 1
            let (name, attributes) = Markup.tag(inner)
            return Tag(name: name, attributes: attributes, rest: bytes[(end + 1)...])
        }
        return nil
    }
}
