import FoundationEssentials
import OWBase

/// OFX/QFX (SGML v1 and XML v2) and ISO 20022 CAMT.053 statements read into the same rows as a
/// CSV: recognised by their content, whatever the file is called.
package enum StatementXML {
    package enum Kind { case ofx, camt, mt940 }

    /// What a file's first bytes say it is, or nil for a CSV.
    package static func kind(_ text: String) -> Kind? {
        let head = text.prefix(4096)
        if head.contains("OFXHEADER") || head.contains("<OFX>") { return .ofx }
        if head.contains("camt.053") || head.contains("BkToCstmrStmt") { return .camt }
        if StatementMT940.looksLike(head) { return .mt940 }
        return nil
    }

    package static func day(_ text: String) -> Date? {
        let digits = text.prefix(8)
        if digits.count == 8, digits.allSatisfy({ $0.isASCII && $0.isNumber }) {
            return Time.parseDay("\(digits.prefix(4))-\(digits.dropFirst(4).prefix(2))-\(digits.suffix(2))")
        }
        return Time.parseDay(String(text.prefix(10)))
    }

    /// OFX: every STMTTRN (DTPOSTED, TRNAMT, NAME, MEMO, FITID) of the file; its ACCTID, CURDEF and
    /// DTSTART/DTEND. OFX amounts are signed as the account sees them: a debit is negative.
    static func ofx(_ text: String, defaultCurrency: Currency) throws -> StatementFile {
        var out = StatementFile()
        out.format = "ofx"
        var currency = defaultCurrency
        var fields: [String: String]? = nil
        var last: String? = nil
        var start: String? = nil
        var end: String? = nil
        var line = 0
        var account: String? = nil  // the statement's own, in a file of several accounts
        try Markup.scan(text) { event in
            switch event {
            case .open(let name, _):
                last = name
                if name == "STMTTRN" { fields = [:] }
            case .text(let value):
                guard let tag = last else { return }
                last = nil
                if fields != nil { fields![tag] = fields![tag] ?? value }
                switch tag {
                case "CURDEF": currency = (try? Currency.parse(value)) ?? currency
                case "ACCTID":
                    out.account = out.account ?? value
                    account = value
                case "DTSTART": start = start ?? day(value).map(Time.day)
                case "DTEND": end = end ?? day(value).map(Time.day)
                default: break
                }
            case .close(let name):
                last = nil
                guard name == "STMTTRN", let f = fields else { return }
                fields = nil
                line += 1
                guard let posted = f["DTPOSTED"].flatMap(day), let amount = f["TRNAMT"],
                    let paid = try? MoneyParser.parse(amount, defaultCurrency: currency) as Money
                else {
                    out.skipped += 1
                    return
                }
                guard paid.minor != 0 else { return }
                let name = f["NAME"] ?? f["PAYEE"] ?? f["MEMO"] ?? ""
                // A cheque or cash line may name nobody: its kind (CHECK, ATM) says what it was.
                let description = f["MEMO"] ?? (name.isEmpty ? f["TRNTYPE"] ?? "" : name)
                var row = StatementRow(
                    line: line, date: posted, description: description, amount: Money(minor: -paid.minor, currency: paid.currency))
                row.payee = f["MEMO"] == nil || name == f["MEMO"] ? nil : name
                row.account = account
                row.bankID = f["FITID"]
                row.valueDate = f["DTAVAIL"].flatMap(day)
                out.rows.append(row)
            }
        }
        out.period = start.flatMap { s in end.map { "\(s)..\($0)" } }
        return out
    }
}

/// ISO 20022 CAMT.053 (`BkToCstmrStmt/Stmt/Ntry`): each entry's booking and value day, its
/// amount with its currency, debit or credit, the party paid (or paying) and the remittance text.
package enum StatementCAMT {
    package struct Entry {
        package var fields: [String: String] = [:]
        package var currency: String? = nil
    }

    package static func read(_ text: String, defaultCurrency: Currency) throws -> StatementFile {
        var out = StatementFile()
        out.format = "camt.053"
        var path: [String] = []
        var entry: Entry? = nil
        var line = 0
        var from: String? = nil
        var to: String? = nil
        try Markup.scan(text) { event in
            switch event {
            case .open(let name, let attributes):
                path.append(name)
                if name == "Ntry" { entry = Entry() }
                if name == "Amt", path.suffix(2) == ["Ntry", "Amt"] { entry?.currency = attributes["Ccy"] }
            case .text(let value):
                let p = path.suffix(4).joined(separator: "/")
                if let i = path.lastIndex(of: "Ntry"), entry != nil {
                    let key = path[(i + 1)...].joined(separator: "/")
                    entry!.fields[key] = entry!.fields[key] ?? value
                } else if p.hasSuffix("Acct/Id/IBAN") || p.hasSuffix("Acct/Id/Othr/Id") {
                    out.account = out.account ?? value
                } else if p.hasSuffix("FrToDt/FrDtTm") {
                    from = String(value.prefix(10))
                } else if p.hasSuffix("FrToDt/ToDtTm") {
                    to = String(value.prefix(10))
                }
            case .close(let name):
                if let i = path.lastIndex(of: name) { path.removeSubrange(i...) }
                guard name == "Ntry", let e = entry else { return }
                entry = nil
                line += 1
                if let row = row(e, line: line, account: out.account, defaultCurrency: defaultCurrency) {
                    out.rows.append(row)
                } else {
                    out.skipped += 1
                }
            }
        }
        out.period = from.flatMap { f in to.map { "\(f)..\($0)" } }
        return out
    }

    package static func row(_ e: Entry, line: Int, account: String?, defaultCurrency: Currency) -> StatementRow? {
        let f = e.fields
        guard let dateText = f["BookgDt/Dt"] ?? f["BookgDt/DtTm"] ?? f["ValDt/Dt"], let date = StatementXML.day(dateText),
            let amountText = f["Amt"], let currency = e.currency.flatMap({ try? Currency.parse($0) }) ?? defaultCurrency as Currency?,
            // An XML decimal: `8.850` is 8.85, never the thousands `MoneyParser` would read in it.
            let minor = EInvoice.minorUnits(amountText, exponent: currency.exponent), minor.magnitude <= Money.maxMinor.magnitude
        else { return nil }
        let paid = Money(minor: minor, currency: currency)
        // A debit is money out: spend. Money in (a refund, a payment received) is negative spend.
        let debit = f["CdtDbtInd"] != "CRDT"
        let tx = "NtryDtls/TxDtls/"
        let party =
            debit
            ? f[tx + "RltdPties/Cdtr/Nm"] ?? f[tx + "RltdPties/Cdtr/Pty/Nm"]
            : f[tx + "RltdPties/Dbtr/Nm"] ?? f[tx + "RltdPties/Dbtr/Pty/Nm"]
        let remittance = f[tx + "RmtInf/Ustrd"] ?? f["AddtlNtryInf"] ?? f[tx + "AddtlTxInf"]
        // An entry naming nobody is still a line (a cash withdrawal, a fee): it pays no vendor.
        let description = remittance ?? party ?? f["BkTxCd/Prtry/Cd"] ?? ""
        var row = StatementRow(
            line: line, date: date, description: description,
            amount: Money(minor: debit ? abs(paid.minor) : -abs(paid.minor), currency: paid.currency))
        row.payee = party == description ? nil : party
        row.valueDate = (f["ValDt/Dt"] ?? f["ValDt/DtTm"]).flatMap(StatementXML.day)
        row.account = account
        row.bankID = f["AcctSvcrRef"]
        return row
    }
}
