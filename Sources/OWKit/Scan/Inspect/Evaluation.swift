import FoundationEssentials
import OWCore
import OWIdentity
import OWOffice
import OWReaders

/// One row of a labels table (Tests/corpus/documents.tsv's format): what a person read from a
/// document by hand. A look-alike (`lookalike` or `none`) has no fields: it must not become a charge.
public struct LabelledDocument: Sendable {
    public let file: String
    public let isCharge: Bool
    public let vendor: String?
    public let amount: Money?
    public let date: String?
    public let invoiceNo: String?
}

/// One field of the evaluation and how often the reader got it right.
public struct FieldScore: Sendable {
    public let field: String
    /// Read and right, read and wrong (or read from a look-alike), and true but not read right.
    public var right = 0
    public var wrong = 0
    public var missed = 0
    /// Of what was read, how much a scan holds for review instead of taking it (confidence under
    /// scan.review_below), and how much of that was right.
    public var held = 0
    public var heldRight = 0

    /// The share of what was read that is right, and of what is true that was read right, to
    /// three places (exact integer rounding); nil when nothing was read or nothing is true.
    public var precision: String? { Self.ratio(right, right + wrong) }
    public var recall: String? { Self.ratio(right, right + missed) }

    package static func ratio(_ n: Int, _ d: Int) -> String? {
        guard d > 0 else { return nil }
        let thousandths = (n * 2000 + d) / (2 * d)
        let frac = String(thousandths % 1000)
        return "\(thousandths / 1000)." + String(repeating: "0", count: 3 - frac.count) + frac
    }
}

/// A field the reader got wrong or did not read: what the label says and what was read.
public struct EvaluationMiss: Sendable {
    public let file: String
    public let field: String
    public let expected: String
    public let read: String
}

/// `scan eval`: every labelled document read as `scan inspect` reads it, scored per field; and
/// amount+currency once more on what a scan would take without review (`accepted`: confidence at
/// least scan.review_below, the vendor aside), the issue's goal being precision >= 0.99 there.
public struct Evaluation: Sendable {
    public static let fields = ["charge", "vendor", "amount", "date", "invoice_no", "accepted"]
    public private(set) var scores = Evaluation.fields.map { FieldScore(field: $0) }
    public private(set) var misses: [EvaluationMiss] = []
    public private(set) var documents = 0

    /// The labels table `labels` (its file's name `named`, for messages); documents are found in `dir`.
    public static func run(_ session: Session, labels: String, named name: String, dir base: String) throws -> Evaluation {
        let rows = try LabelsTable.parse(labels, name: name)
        let below = try Config.reviewBelow(session.ledger)
        var result = Evaluation()
        for row in rows {
            let path = base.isEmpty ? row.file : base + "/" + row.file
            guard FileSystem.exists(path) else {
                throw OWError(.missingInput, "no file \(path)", hint: "labelled in \(labels); --dir names the folder the documents are in")
            }
            result.add(row, reading: Reading(try? Inspection.message(session, path: path).1, reviewBelow: below))
        }
        return result
    }

    /// What the reader offered for one document, in the labels' terms. A document is read as a
    /// charge (an invoice or receipt) when it gave an amount, took it as a charge or named an
    /// unknown issuer: a document on its own from a vendor outside the catalog is still read,
    /// so its fields count whatever the scan would then do with it.
    package struct Reading {
        package var charge = false
        package var values: [String: String] = [:]
        package var amount: Money?
        package var currencyAssumed = false
        /// An unknown issuer by its domain too (`unknown:free.fr`), as labels spell it.
        var unknownDomain: String?
        /// What a scan would do with it: take it, hold it for review, or neither.
        package var outcome: ReadOutcome?

        package init(_ receipt: Receipt?, reviewBelow: Double) {
            guard let r = receipt else { return }
            outcome = r.outcome(reviewBelow: reviewBelow)
            charge = r.isCharge || r.amount != nil || r.unknownSender != nil
            guard charge else { return }
            values["vendor"] = r.vendor?.name ?? r.unknownSender.map { "unknown:\($0.name)" }
            unknownDomain = r.unknownSender.map { "unknown:\($0.domain)" }
            amount = r.amount
            currencyAssumed = r.currencyAssumed != nil
            values["amount"] = r.amount.map { "\($0.decimal) \($0.currency.code)" + (currencyAssumed ? " (assumed)" : "") }
            values["date"] = r.date.map(Time.day)
            values["invoice_no"] = r.invoiceNo
        }
    }

    package mutating func add(_ doc: LabelledDocument, reading: Reading) {
        documents += 1
        let held = reading.outcome == .held
        score(
            "charge", doc, expected: doc.isCharge ? "charge" : nil, read: reading.charge ? "charge" : nil, right: doc.isCharge, held: held)
        let amountRight = doc.amount != nil && doc.amount == reading.amount && !reading.currencyAssumed
        let expectedAmount = doc.amount.map { "\($0.decimal) \($0.currency.code)" }
        score("amount", doc, expected: expectedAmount, read: reading.values["amount"], right: amountRight, held: held)
        // The same, on what is taken without review: what is held counts as not read here.
        let accepted = reading.outcome == .accepted ? reading.values["amount"] : nil
        score("accepted", doc, expected: expectedAmount, read: accepted, right: amountRight, listed: false)
        if held, let i = scores.firstIndex(where: { $0.field == "accepted" }) {
            scores[i].held += 1
            if amountRight { scores[i].heldRight += 1 }
        }
        let vendorRead = reading.values["vendor"]
        let vendorRight = doc.vendor != nil && (vendorRead == doc.vendor || doc.vendor == reading.unknownDomain)
        score("vendor", doc, expected: doc.vendor, read: vendorRead, right: vendorRight, held: held)
        for (field, expected) in [("date", doc.date), ("invoice_no", doc.invoiceNo)] {
            let read = reading.values[field]
            score(field, doc, expected: expected, read: read, right: expected != nil && read == expected, held: held)
        }
    }

    /// Read and right is right; read otherwise is wrong; true and not read right is missed. A miss
    /// is listed (`listed`) with what was read, marked when a scan holds the reading for review.
    private mutating func score(
        _ field: String, _ doc: LabelledDocument, expected: String?, read: String?, right: Bool, held: Bool = false, listed: Bool = true
    ) {
        guard let i = scores.firstIndex(where: { $0.field == field }), expected != nil || read != nil else { return }
        let isRight = read != nil && right
        if isRight {
            scores[i].right += 1
        } else if read != nil {
            scores[i].wrong += 1
        }
        if expected != nil && !isRight { scores[i].missed += 1 }
        if held && read != nil {
            scores[i].held += 1
            if isRight { scores[i].heldRight += 1 }
        }
        guard !isRight, listed else { return }
        let shown = read.map { held ? $0 + " (held for review)" : $0 } ?? ""
        misses.append(EvaluationMiss(file: doc.file, field: field, expected: expected ?? "", read: shown))
    }
}

/// The labels table: tab-separated `kind file vendor amount currency date invoice_no [note]`,
/// `#` lines are comments. Kinds: `charge`, and `lookalike` or `none` for a document that is
/// not one.
package enum LabelsTable {
    package static func parse(_ text: String, name: String) throws -> [LabelledDocument] {
        var rows: [LabelledDocument] = []
        for (n, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = raw.hasSuffix("\r") ? String(raw.dropLast()) : String(raw)
            if line.isEmpty || line.hasPrefix("#") { continue }
            rows.append(try row(line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init), at: "\(name):\(n + 1)"))
        }
        guard !rows.isEmpty else { throw OWError.badData("\(name) labels no document") }
        return rows
    }

    private static func row(_ cols: [String], at place: String) throws -> LabelledDocument {
        guard cols.count >= 7 else {
            throw OWError.badData(
                "\(place): \(cols.count) columns, a label has 7 or 8",
                hint: "kind file vendor amount currency date invoice_no [note], tab-separated")
        }
        let value = { (i: Int) -> String? in cols[i].isEmpty ? nil : cols[i] }
        let file = cols[1]
        guard !file.isEmpty, !file.split(separator: "/").contains("..") else {
            throw OWError.badData("\(place): no file, or one outside the folder")
        }
        switch cols[0] {
        case "charge":
            guard let amountText = value(3), let code = value(4) else {
                throw OWError.badData("\(place): a charge needs an amount and a currency")
            }
            let currency = try Currency.parse(code)
            let parsed: Money? = try? MoneyParser.parse(amountText, defaultCurrency: currency)
            guard let amount = parsed, amount.currency == currency else {
                throw OWError.badData("\(place): \(amountText.debugDescription) is not an amount in \(code)")
            }
            if let day = value(5), Time.parseDay(day) == nil {
                throw OWError.badData("\(place): \(day.debugDescription) is not a day (YYYY-MM-DD)")
            }
            return LabelledDocument(file: file, isCharge: true, vendor: value(2), amount: amount, date: value(5), invoiceNo: value(6))
        case "lookalike", "none":
            guard cols[2...6].allSatisfy(\.isEmpty) else {
                throw OWError.badData("\(place): a look-alike has no vendor, amount, date or number")
            }
            return LabelledDocument(file: file, isCharge: false, vendor: nil, amount: nil, date: nil, invoiceNo: nil)
        default:
            throw OWError.badData("\(place): kind \(cols[0].debugDescription) is not charge, lookalike or none")
        }
    }
}
