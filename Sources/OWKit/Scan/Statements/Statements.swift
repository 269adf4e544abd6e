import FoundationEssentials
import OWBase

/// One card or bank statement line that paid a known vendor or a merchant nobody registered;
/// `key` is its identity whatever file it is read from (`StatementIdentity`).
package struct StatementLine {
    package let line: Int
    package let date: Date
    package let description: String
    package let amount: Money
    package let payee: StatementPayee
    package let key: String
}

/// A card or bank statement: its rows read (`StatementCSV`, or OFX/CAMT.053 by content), then
/// the lines that pay a known vendor or a merchant nobody registered picked out.
package enum StatementReader {
    /// What a statement holds: lines that paid a known vendor, how many lines could not be read,
    /// and lines whose amount is too large to be true (bad data, named by line).
    package struct Contents {
        package var lines: [StatementLine] = []
        package var skipped = 0
        package var badLines: [(line: Int, key: String, why: String)] = []
    }

    /// Every row of a statement, whatever it paid; a CSV's lines paying a catalog vendor tell which sign its spend has.
    package static func rows(_ text: String, map: String?, index: VendorIndex, defaultCurrency: Currency, sourceKey: String) throws
        -> StatementFile
    {
        switch StatementXML.kind(text) {
        case .ofx: return try StatementXML.ofx(text, defaultCurrency: defaultCurrency)
        case .camt: return try StatementCAMT.read(text, defaultCurrency: defaultCurrency)
        case .mt940: return try StatementMT940.read(text, defaultCurrency: defaultCurrency)
        case nil:
            return try StatementCSV.read(
                text, map: StatementMap(map), defaultCurrency: defaultCurrency, sourceKey: sourceKey,
                namesVendor: { namesVendor($0, index) })
        }
    }

    /// Whether a line names a catalog vendor by its name or domain, evidence enough of spend to tell a file's sign. Not by
    /// an alias alone: "Azure Interior", a furniture shop, is not Microsoft Azure, and one such line turned a file round.
    static func namesVendor(_ text: String, _ index: VendorIndex) -> Bool {
        guard let v = index.vendor(namedIn: text, aliases: false) ?? StatementPayee.vendorByDomainWord(text, index) else { return false }
        return !StatementPayee.isProcessor(v)
    }

    package static func read(_ text: String, map: String?, index: VendorIndex, defaultCurrency: Currency) throws -> Contents {
        let file = try rows(text, map: map, index: index, defaultCurrency: defaultCurrency, sourceKey: "0")
        // A bad line is known by what it says, not by the source it came in (as migration 18 rewrote old keys).
        var out = Contents(
            skipped: file.skipped, badLines: file.badLines.map { ($0.line, StatementIdentity.rekeyed(legacy: $0.key) ?? $0.key, $0.why) })
        var identities: [String: StatementIdentity] = [:]
        for row in file.rows {
            // Money in from a software vendor is a refund: a negative charge that burn nets.
            guard row.amount.minor != 0, let payee = payee(of: row, index) else { continue }  // a transfer, or everyday one-off spend
            let account = row.account ?? file.account
            // The text keys were made of before payee and description were read apart: old keys still match.
            let key = identities[account ?? "", default: StatementIdentity(account: account)].key(
                day: Time.day(row.date), amount: row.amount, description: row.keyText ?? row.description)
            out.lines.append(
                StatementLine(line: row.line, date: row.date, description: row.description, amount: row.amount, payee: payee, key: key))
        }
        return out
    }

    /// The catalog vendor a row pays, if it pays one (for `scan inspect`).
    package static func vendor(of row: StatementRow, _ index: VendorIndex) -> Vendor? {
        if case .vendor(let v)? = payee(of: row, index) { return v }
        return nil
    }

    /// Whom a row pays: a vendor named in its payee or its description; else the merchant a
    /// processor's description names (the payee is then the processor); else its payee as written.
    package static func payee(of row: StatementRow, _ index: VendorIndex) -> StatementPayee? {
        let fromDescription = StatementPayee.of(row.description, index)
        guard let written = row.payee, !written.isEmpty else { return fromDescription }
        let fromPayee = StatementPayee.of(written, index)
        if case .vendor? = fromPayee { return fromPayee }
        if case .vendor? = fromDescription { return fromDescription }
        if case .merchant(let m)? = fromDescription, m.processor != nil { return fromDescription }
        return fromPayee
    }

    package static func validateMap(_ map: String) throws { _ = try StatementMap(map) }
}
