import FoundationEssentials
import OWBase

/// How sure the reader is of a receipt's amount (issue 32, "not sure is an answer"): from its own
/// signals, never from what the ledger expects. Under config scan.review_below the charge waits
/// as a review finding with its candidates instead of changing totals.
extension Receipt {
    /// How the amount was read: structured (XML or markup), arithmetic (a labelled total that is
    /// net + tax), labelled (a labelled total alone), slip (a payment slip's amount).
    public var method: String { readAs == "structured" ? "structured" : how }

    /// The words' amount when structured data said another: two readings that disagree.
    var textDisagrees: Money? {
        guard readAs == "structured", let said = textReading?.amount, let amount, said != amount else { return nil }
        return said
    }

    /// 0 to 1: structured 1; a total checked by arithmetic 0.95; a payment slip 0.9; a labelled
    /// total 0.8; the XML and the words disagreeing 0.55 at most (the XML wins under the default
    /// scan.review_below: it is the invoice in law), 0.4 when they describe two documents (nothing
    /// says which is the charge, XMLPageAgreement); two totals under one label 0.45 at most and a
    /// fallback (no labelled total) 0.3, both under the default so they wait, nothing settling which
    /// is right; a currency assumed 0.2 less, implied by the tax regime 0.1 less.
    public var confidence: Double {
        var c: Double
        switch method {
        case "structured": c = 1
        case "arithmetic": c = 0.95
        case "slip": c = 0.9
        case "fallback": c = 0.3
        default: c = 0.8
        }
        if textDisagrees != nil { c = min(c, textReading?.anotherDocument == true ? 0.4 : 0.55) }
        if !rivals.isEmpty { c = min(c, 0.45) }
        if currencyAssumed != nil { c -= 0.2 }
        // Implied by the tax regime: surer than assumed, less than written.
        if currencyImplied != nil { c -= 0.1 }
        return (max(0, c) * 100).rounded() / 100
    }

    /// The amounts the document could mean, the one read first.
    public var candidates: [Money] {
        guard let amount else { return [] }
        return [amount] + [textDisagrees].compactMap { $0 } + rivals
    }

    /// Why the reader is not sure, for the review finding.
    package var doubt: String {
        if method == "fallback", let amount { return "no labelled total; \(amount.display) is the largest amount the bill prints" }
        if let said = textDisagrees, let amount {
            let why = textReading?.agreement.map { " (\($0))" } ?? ""
            return "the structured data says \(amount.display), the text \(said.display)\(why)"
        }
        if let other = rivals.first, let amount { return "two totals disagree (\(amount.display) and \(other.display))" }
        if currencyAssumed != nil { return "the document names no currency" }
        return "read as \(method)"
    }
}

/// What a scan makes of a reading, by the same rule `scan` applies (Matcher.record, recordUnknown):
/// taken without review (a charge, or an unknown vendor's finding), or held as a review finding.
public enum ReadOutcome: String, Sendable {
    case accepted, held
}

extension Receipt {
    /// The outcome of the amount read at config scan.review_below `below`, the vendor aside (an
    /// office's catalog knows its own); nil when no amount was read.
    public func outcome(reviewBelow below: Double) -> ReadOutcome? {
        guard let amount, amount.minor != 0 else { return nil }
        return confidence < below ? .held : .accepted
    }
}
