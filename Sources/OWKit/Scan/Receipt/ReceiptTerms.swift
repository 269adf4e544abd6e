import FoundationEssentials
import OWBase

/// What a receipt says about its term and seats: billing period, seat count.
extension ReceiptReader {
    static let yearlyNeedles = NeedleSet([
        "annual", "yearly", "per year", "/year", "/yr", "jährlich", "jahresabo", "annuel", "anual", "12 months",
    ])
    static let quarterlyNeedles = NeedleSet(["quarterly", "per quarter", "vierteljährlich", "trimestriel"])
    static let weeklyNeedles = NeedleSet(["weekly", "per week", "/week"])
    static let monthlyNeedles = NeedleSet(["monthly", "per month", "/month", "/mo", "monatlich", "mensuel", "mensual", "mensile", "月額"])

    package static func period(in lower: LowerText) -> Period? {
        if lower.contains(any: yearlyNeedles) { return Period(count: 1, unit: .year) }
        if lower.contains(any: quarterlyNeedles) { return Period(count: 3, unit: .month) }
        if lower.contains(any: weeklyNeedles) { return Period(count: 1, unit: .week) }
        if lower.contains(any: monthlyNeedles) { return .monthly }
        return nil
    }

    package static func period(in text: String) -> Period? { period(in: LowerText(text)) }

    static let seatNeedles = Needles.of([
        "seats", "seat", "users", "user", "licenses", "licences", "license", "licence", "members", "member",
        "lizenzen", "sièges", "licencias",
    ])
    static let quantityNeedles = Needles.of(["quantity", "qty", "anzahl", "menge", "quantité", "cantidad"])

    /// "3 seats", "5 users", "Quantity: 3", "Qty 3": how many seats a charge is for (byte searches,
    /// at most the first 16 KB).
    package static func seats(in lower: LowerText) -> Int64? {
        let b = Array(lower.bytes.prefix(16_384))
        let text = LowerText(lowered: b)
        func digit(_ x: UInt8) -> Bool { x >= 48 && x <= 57 }
        func letter(_ x: UInt8) -> Bool { x >= 97 && x <= 122 }
        func number(endingBefore at: Int) -> Int64? {
            var e = at
            while e > 0 && b[e - 1] == 32 { e -= 1 }
            var s = e
            while s > 0 && digit(b[s - 1]) { s -= 1 }
            guard s < e, e - s <= 6, s == 0 || !letter(b[s - 1]) else { return nil }
            return Int64(String(decoding: b[s..<e], as: UTF8.self))
        }
        func number(startingAt at: Int) -> Int64? {
            var s = at
            while s < b.count && (b[s] == 32 || b[s] == UInt8(ascii: ":") || b[s] == UInt8(ascii: ".")) { s += 1 }
            var e = s
            while e < b.count && digit(b[e]) { e += 1 }
            guard s < e, e - s <= 6 else { return nil }
            return Int64(String(decoding: b[s..<e], as: UTF8.self))
        }
        for needle in seatNeedles {
            var from = 0
            while let at = text.find(needle, from: from) {
                from = at + needle.count
                guard at + needle.count >= b.count || !letter(b[at + needle.count]) else { continue }
                if let n = number(endingBefore: at), (1...100_000).contains(n) { return n }
            }
        }
        for needle in quantityNeedles {
            var from = 0
            while let at = text.find(needle, from: from) {
                from = at + needle.count
                if let n = number(startingAt: at + needle.count), (1...100_000).contains(n) { return n }
            }
        }
        return nil
    }
}
