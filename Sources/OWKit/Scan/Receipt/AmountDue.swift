import FoundationEssentials
import OWBase

/// What is due after a total, when lines below it take something off (issue 32): an order's sum,
/// then a voucher, a gift card or store credit redeemed, then a final total that is the sum less
/// them ("Summe 16,98 · Gutschein -0,85 · Geschenkgutschein -16,13 · Gesamtsumme 0,00"). That net +
/// tax makes the sum says nothing about what was paid; the final total does, when the lines between
/// add up to it exactly. A final total of zero: nothing was charged.
enum AmountDue {
    /// Words of a line that pays part of a total by other means than the charge (found inside words:
    /// "Geschenkgutschein"); a line with a minus sign takes off whatever its words.
    static let deductionNeedles = NeedleSet(
        TotalArithmetic.deduction.sorted() + [
            "gift card", "giftcard", "gift certificate", "geschenkkarte", "carte cadeau", "tarjeta regalo", "store credit",
            "account credit", "guthaben", "avoir utilisé",
        ])

    /// Why a document whose final total is zero is no charge.
    static let nothingDue = "nothing is due: vouchers, gift cards or credit cover the total"

    /// How many lines below the total are looked at: a total's deductions sit right under it.
    static let window = 16

    /// The labelled total below line `index` (whose amount is `total`) that equals `total` plus the
    /// taxes and less the deductions printed between them, at least one deduction not zero; nil when a line between adds
    /// something, names another currency, or no such total follows. `isTotal` says whether a line
    /// holds a total's label.
    static func after(
        _ total: Money, at index: Int, lines: [ArraySlice<UInt8>], currency: Currency, isTotal: (LowerText) -> Bool
    ) -> Money? {
        var running = total.minor
        var deducted = false
        var labelAbove = false
        let below = lines.dropFirst(index + 1).prefix(window)
        for (at, line) in zip(below.indices, below) {
            // A line without a digit holds no amount: whether it is a total's label matters only when an amount
            // follows (and only then is it folded: most are a receipt's prose).
            guard hasDigit(line) else {
                labelAbove = at + 1 < lines.count && hasDigit(lines[at + 1]) && isTotal(LowerText(utf8: line))
                continue
            }
            let l = LowerText(utf8: line)
            let labelled = isTotal(l)
            guard let m = ReceiptReader.amounts(in: String(decoding: line, as: UTF8.self), defaultCurrency: currency).last?.money
            else {
                labelAbove = labelled
                continue
            }
            defer { labelAbove = false }
            guard m.currency == total.currency else { return nil }
            if (labelled || labelAbove) && deducted && m.minor == running { return m }
            if m.minor == 0 { continue }
            // A tax added under a total before tax ("Total before tax · Estimated tax · Gift card · Grand Total").
            if m.minor > 0, TotalArithmetic.kind(l) == .tax, !l.contains(any: deductionNeedles) {
                running += m.minor
                continue
            }
            guard m.minor < 0 || l.contains(any: deductionNeedles) else { return nil }
            running -= abs(m.minor)
            deducted = true
        }
        return nil
    }

    static func isDigit(_ b: UInt8) -> Bool { b >= 48 && b <= 57 }

    /// Whether a line holds an ASCII digit, on its bytes through a pointer: `contains(where:)` ran a
    /// closure through a generic iterator per byte in debug builds, over every line of every receipt.
    static func hasDigit(_ line: ArraySlice<UInt8>) -> Bool {
        line.withUnsafeBufferPointer { p in
            guard let base = p.baseAddress else { return false }
            var i = 0
            while i < p.count {
                if base[i] >= 48 && base[i] <= 57 { return true }
                i += 1
            }
            return false
        }
    }
}
