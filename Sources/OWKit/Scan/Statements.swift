import FoundationEssentials

/// One card or bank statement line that paid a known vendor.
struct StatementLine {
    let line: Int
    let date: Date
    let description: String
    let amount: Money
    let vendor: Vendor
    let key: String
}

/// A card or bank statement: its rows read (`StatementCSV`, or OFX/CAMT.053 by content), then
/// the lines that pay a known vendor picked out.
enum StatementReader {
    /// What a statement holds: lines that paid a known vendor, how many lines could not be read,
    /// and lines whose amount is too large to be true (bad data, named by line).
    struct Contents {
        var lines: [StatementLine] = []
        var skipped = 0
        var badLines: [(line: Int, key: String, why: String)] = []
    }

    static func isRefund(_ description: String) -> Bool { StatementSigns.isRefund(description) }

    /// Every row of a statement, whatever it paid.
    static func rows(_ text: String, map: String?, defaultCurrency: Currency, sourceKey: String) throws -> StatementFile {
        switch StatementXML.kind(text) {
        case .ofx: return try StatementXML.ofx(text, defaultCurrency: defaultCurrency)
        case .camt: return try StatementCAMT.read(text, defaultCurrency: defaultCurrency)
        case nil: return try StatementCSV.read(text, map: StatementMap(map), defaultCurrency: defaultCurrency, sourceKey: sourceKey)
        }
    }

    static func read(_ text: String, map: String?, index: VendorIndex, defaultCurrency: Currency, sourceKey: String) throws -> Contents {
        let file = try rows(text, map: map, defaultCurrency: defaultCurrency, sourceKey: sourceKey)
        var out = Contents(skipped: file.skipped, badLines: file.badLines.map { ($0.line, $0.key, $0.why) })
        var occurrences: [String: Int] = [:]
        for row in file.rows {
            // Money in from a software vendor is a refund: a negative charge that burn nets.
            guard let vendor = vendor(of: row, index) else { continue }  // not software, or a processor naming no software
            let base = "stmt:\(sourceKey):\(Time.day(row.date)):\(row.keyText ?? row.description):\(row.amount.minor)"
            let n = occurrences[base, default: 0]
            occurrences[base] = n + 1
            out.lines.append(
                StatementLine(
                    line: row.line, date: row.date, description: row.description, amount: row.amount, vendor: vendor, key: "\(base):\(n)"))
        }
        return out
    }

    /// The vendor a row pays: named in its payee, else in its description.
    static func vendor(of row: StatementRow, _ index: VendorIndex) -> Vendor? {
        row.payee.flatMap { merchant($0, index) } ?? merchant(row.description, index)
    }

    /// Card descriptors often carry the domain: "ZOOM.US 888-799-9666".
    /// The vendor a line pays. A payment processor's line (`PAYPAL *NOTION`, `PADDLE.NET* SETAPP`)
    /// pays the merchant it names; one that names no software we know (`PAYPAL *STEAM GAMES`,
    /// `PAYPAL INST XFER`, a transfer) is not charged to the processor.
    static func merchant(_ desc: String, _ index: VendorIndex) -> Vendor? {
        guard let v = index.vendor(namedIn: desc) ?? vendorByDomainWord(desc, index) else { return nil }
        guard v.domains.contains(where: { VendorIndex.processors.contains($0.lowercased()) }),
            v.domains.allSatisfy({ $0 != "google.com" && $0 != "apple.com" })
        else { return v }
        guard let star = desc.firstIndex(of: "*") else { return nil }
        let named = String(desc[desc.index(after: star)...])
        guard let m = index.vendor(namedIn: named) ?? vendorByDomainWord(named, index), m.id != v.id else { return nil }
        return m
    }

    static func vendorByDomainWord(_ desc: String, _ index: VendorIndex) -> Vendor? {
        for word in desc.lowercased().split(whereSeparator: { $0 == " " || $0 == "*" || $0 == "/" }) where word.includes(".") {
            if let v = index.byDomain[String(word)]?.first { return v }
        }
        return nil
    }

    static func validateMap(_ map: String) throws { _ = try StatementMap(map) }
}
