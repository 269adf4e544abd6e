import FoundationEssentials
import OWBase

/// The total a document asks to be paid: its labels, candidates and arithmetic.
extension ReceiptReader {
    /// A document's total, and why its currency is the ledger's when nothing in it said one.
    package struct Total {
        package let money: Money
        package let currencyAssumed: String?
        var how = "labelled"
        var rivals: [Money] = []
        /// Why the currency is the one the tax regime implies, when nothing named one.
        package var currencyImplied: String?
    }

    /// The best-labelled amount: the highest-ranked label wins; among equals, the last one
    /// (totals come after line items). The amount sits after the label on its line or on the next.
    /// An amount with no currency of its own takes its line's, else the document's, else the
    /// sender's country's (`sender` is the sender's host), else the tax regime's (`TaxRegime`), else the ledger's — then
    /// said to be assumed.
    package static func total(in text: String, sender: String? = nil, defaultCurrency ledgerCurrency: Currency) -> Total? {
        if let slip = PaymentSlip.amount(in: text) { return Total(money: slip, currencyAssumed: nil, how: "slip") }
        // The head folded once for both searches (this runs on every receipt).
        let head = Array(leading(text, 20_000).utf8)
        let folded = LowerText(asciiFolding: head[...])
        var documentCurrency =
            declaredCurrency(head, folded: folded) ?? namedCurrency(folded: folded) ?? sender.flatMap(CountryCurrency.of)
        // Only when no symbol or code says otherwise: the currency the tax regime implies.
        let implied = documentCurrency == nil && currenciesNamed(folded: folded).isEmpty ? TaxRegime.currency(in: text) : nil
        documentCurrency = documentCurrency ?? implied?.currency
        let defaultCurrency = documentCurrency ?? ledgerCurrency
        let lines = trimmedLines(of: text)
        let label = totalLabel
        var best: (rank: Int, money: Money, assumed: Bool, bare: Bool)?
        var seen: [(rank: Int, money: Money)] = []
        var checked: (rank: Int, money: Money, assumed: Bool, bare: Bool)?
        var (bestLine, checkedLine) = (0, 0)
        var arithmetic = TotalArithmetic(currency: defaultCurrency)
        // An amount is digits on the label's line or the next: lines of prose around them (most
        // of a receipt) are not searched for the ~90 labels at all.
        let hasDigits = lines.map(AmountDue.hasDigit)
        for (i, line) in lines.enumerated() {
            guard hasDigits[i] || (i + 1 < lines.count && hasDigits[i + 1]) else { continue }
            let l = LowerText(utf8: line)
            let kind = hasDigits[i] ? TotalArithmetic.kind(l) : .other
            arithmetic.note(kind, line: line)
            let labelled = kind == .net ? nil : label(l)
            if kind == .other && labelled == nil && hasDigits[i] { arithmetic.noteItem(line: line) }
            guard kind != .net, let (rank, at) = labelled else { continue }
            let before = LowerText(lowered: Array(l.bytes[..<at]))
            if notTotalNeedles.contains(where: { before.contains($0) || l.hasPrefix($0) }) { continue }
            // A gift card's or voucher's amount pays part of a total; it is none ("Gift Card Amount: -$23.31").
            if l.contains(any: AmountDue.deductionNeedles) { continue }
            // The amount after the label on its line (offsets hold when lower-casing kept the length).
            let labelEnd = at + totalNeedles[rank].count
            let after =
                l.bytes.count == line.count
                ? String(decoding: line.dropFirst(labelEnd), as: UTF8.self) : String(decoding: line, as: UTF8.self)
            let named = namedCurrency(String(decoding: line, as: UTF8.self))
            let lineCurrency = named ?? defaultCurrency
            let found =
                amounts(in: after, defaultCurrency: lineCurrency).last
                ?? (i + 1 < lines.count && label(LowerText(utf8: lines[i + 1])) == nil
                    ? amounts(in: String(decoding: lines[i + 1], as: UTF8.self), defaultCurrency: lineCurrency).first : nil)
            // A credit note's total is negative; a zero is a line of nothing (no surcharges).
            guard let found, found.money.minor != 0 else { continue }
            let order = rankBeforeTax(l, rank)
            let candidate = (
                order, found.money, !found.ownCurrency && named == nil && documentCurrency == nil, !found.ownCurrency && named == nil
            )
            if best == nil || order <= best!.rank { (best, bestLine) = (candidate, i) }
            seen.append((order, found.money))
            if order == rank, arithmetic.proves(found.money), checked == nil || rank <= checked!.rank {
                (checked, checkedLine) = (candidate, i)
            }
        }
        if let c = checked, let b = best, !refundLabelled(b.rank) { (best, bestLine) = (c, checkedLine) }
        guard var best else { return nil }
        // Vouchers or gift cards below it that leave a smaller total (zero: nothing was charged) say what is due.
        if let due = AmountDue.after(best.money, at: bestLine, lines: lines, currency: defaultCurrency, isTotal: isTotalLine) {
            best.money = due
            checked = best
        }
        // Two totals under the same label that say different things, with nothing to settle them: not sure.
        var rivals: [Money] = []
        if checked == nil {
            for s in seen where s.rank == best.rank && s.money != best.money && !rivals.contains(s.money) { rivals.append(s.money) }
        }
        return Total(
            money: best.money,
            currencyAssumed: best.assumed
                ? "no currency in the document or its sender's address; the ledger's (\(ledgerCurrency.code)) was assumed" : nil,
            how: checked.map { $0.money == best.money } == true ? "arithmetic" : "labelled", rivals: rivals,
            currencyImplied: best.bare ? implied?.why : nil)
    }

    /// The text's lines trimmed of blanks, as bytes; only lines holding a label are decoded and parsed.
    static func trimmedLines(of text: String) -> [ArraySlice<UInt8>] {
        var lines: [ArraySlice<UInt8>] = []
        let bytes = Array(text.utf8)
        for raw in bytes.split(separator: 10) {
            var line = raw
            while let f = line.first, f == 32 || f == 9 || f == 13 { line = line.dropFirst() }
            while let l = line.last, l == 32 || l == 9 || l == 13 { line = line.dropLast() }
            if !line.isEmpty { lines.append(line) }
        }
        return lines
    }

    /// The best-ranked total label on a line, and where it starts.
    static func totalLabel(_ l: LowerText) -> (rank: Int, at: Int)? {
        // Only labels whose every byte the line holds are searched for (most of the ~130 are not).
        l.first(of: totalNeedleSet).map { (rank: $0.index, at: $0.at) }
    }

    /// Whether a line holds a total's label that no subtotal or tax word comes before.
    static func isTotalLine(_ l: LowerText) -> Bool {
        guard let at = totalLabel(l)?.at else { return false }
        let before = LowerText(lowered: Array(l.bytes[..<at]))
        return !notTotalNeedles.contains { before.contains($0) || l.hasPrefix($0) }
    }

    /// A total before tax ("Total before tax", "avant taxes") ranks after every other label: it is taken
    /// only when no other total is labelled, and never proven by arithmetic (its lines add up to it).
    static func rankBeforeTax(_ l: LowerText, _ rank: Int) -> Int { l.contains(any: TotalArithmetic.beforeTax) ? totalNeedles.count : rank }

    /// Whether a candidate's label is a refund's (a rank past the labels is a total before tax): the
    /// candidate equal to net + tax or to the sum of the lines wins over better-ranked labels, except a refund's.
    static func refundLabelled(_ rank: Int) -> Bool { rank < totalNeedles.count && totalNeedles[rank].contains(Array("refund".utf8)) }
}
