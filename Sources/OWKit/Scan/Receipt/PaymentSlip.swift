import FoundationEssentials
import OWBase

/// The amount a payment slip states, machine-readable: an EPC QR code's payload ("GiroCode",
/// EPC069-12: `BCD`, version, charset, `SCT`, BIC, name, IBAN, `EUR123.45`, …) or a Swiss QR-bill's
/// (Swiss Payment Standards, Implementation Guidelines QR-bill: `SPC`, `0200`, `1`, IBAN, the
/// creditor's 7 lines, 7 empty ultimate-creditor lines, amount, currency, …), when a document
/// carries the payload as text. What a slip says is to be paid wins over every label.
package enum PaymentSlip {
    /// Lines looked at after a payload's header: both formats are short.
    static let maxLines = 32

    package static func amount(in text: String) -> Money? {
        // Most documents carry no payload: two byte searches, not a split into lines.
        guard text.includes("BCD") || text.includes("SPC") else { return nil }
        let bytes = Array(text.utf8.prefix(ReceiptReader.analysedBytes))
        let lines = bytes.split(separator: 10, omittingEmptySubsequences: false).map {
            String(decoding: $0, as: UTF8.self).trimmed(.whitespaces)
        }
        for (i, line) in lines.enumerated() where line == "BCD" || line == "SPC" {
            let payload = Array(lines[i..<min(lines.count, i + maxLines)])
            if let money = line == "BCD" ? epc(payload) : swiss(payload) { return money }
        }
        return nil
    }

    /// EPC069-12: line 2 the version (001/002), line 4 `SCT`, line 8 the amount as `EUR` and a decimal number.
    static func epc(_ p: [String]) -> Money? {
        guard p.count >= 8, p[1] == "001" || p[1] == "002", p[3] == "SCT", p[7].hasPrefix("EUR") else { return nil }
        return money(String(p[7].dropFirst(3)), "EUR")
    }

    /// QR-bill: `0200`, coding type `1`, then the amount (may be empty: the payer writes it) and
    /// the currency (CHF or EUR) after the IBAN and 14 address lines.
    static func swiss(_ p: [String]) -> Money? {
        guard p.count >= 20, p[1] == "0200", p[2] == "1", p[19] == "CHF" || p[19] == "EUR" else { return nil }
        return money(p[18], p[19])
    }

    /// A positive amount with at most two decimals, digits and one point only.
    package static func money(_ amount: String, _ code: String) -> Money? {
        let parts = amount.split(separator: ".", omittingEmptySubsequences: false)
        guard (1...2).contains(parts.count), parts.allSatisfy({ $0.allSatisfy(\.isASCII) && $0.allSatisfy(\.isNumber) }),
            !parts[0].isEmpty, parts[0].count <= 9, parts.count == 1 || (1...2).contains(parts[1].count),
            let currency = try? Currency.parse(code),
            let money = try? MoneyParser.parse("\(code) \(amount)", defaultCurrency: currency) as Money,
            money.minor > 0
        else { return nil }
        return money
    }
}
