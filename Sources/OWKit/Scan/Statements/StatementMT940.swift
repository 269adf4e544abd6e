import FoundationEssentials
import OWBase

/// SWIFT MT940 statements, as banks in Germany, the Netherlands, Poland and Switzerland export them
/// (`.sta`, `.940`, `.mt940`): read into the same rows as a CSV. A statement is tagged fields: `:25:`
/// the account, `:60F:` the opening balance (its currency), then per line a `:61:` (dates, debit or
/// credit, amount, bank reference) and the `:86:` that describes it, as free text, as SEPA keys
/// (`/NAME/…/REMI/…`, Dutch banks) or as German `?20`-style subfields.
package enum StatementMT940 {
    /// Whether a file's first bytes are an MT940 statement: a `:20:` reference and a balance or a line.
    static func looksLike(_ head: Substring) -> Bool {
        let tags = head.split(whereSeparator: \.isNewline).map { $0.drop { $0 == " " } }
        return tags.contains { $0.hasPrefix(":20:") }
            && tags.contains { $0.hasPrefix(":60F:") || $0.hasPrefix(":60M:") || $0.hasPrefix(":61:") }
    }

    package static func read(_ text: String, defaultCurrency: Currency) throws -> StatementFile {
        var out = StatementFile()
        out.format = "mt940"
        var currency = defaultCurrency
        var account: String?
        var pending: (line: Int, fields: Line)?
        func finish() {
            guard let (n, f) = pending else { return }
            pending = nil
            guard let row = f.row(line: n, currency: currency, account: account) else {
                out.skipped += 1
                return
            }
            out.rows.append(row)
        }
        for (tag, value, line) in fields(text) {
            switch tag {
            case "25":
                account = value.trimmed(.whitespaces)
                out.account = out.account ?? account
            case "60F", "60M":
                // C or D, YYMMDD, the currency, the balance.
                let code = String(value.dropFirst(7).prefix(3))
                currency = (try? Currency.parse(code)) ?? currency
            case "61":
                finish()
                pending = (line, Line(statementLine: value))
            case "86":
                pending?.fields.details = value
                finish()
            case "62F", "62M", "20": finish()
            default: break
            }
        }
        finish()
        return out
    }

    /// Each tag's value with its continuation lines, and the line it starts on. A `:86:` wraps at 64 or 65
    /// characters, in the middle of a word: a line that long ending in a letter or digit is joined to one
    /// starting with one as it is (`CONTRA ACCOUN` `T HOLDER`); other lines with a space.
    static func fields(_ text: String) -> [(tag: String, value: String, line: Int)] {
        var out: [(tag: String, value: String, line: Int)] = []
        var previousLength = 0
        for (i, raw) in text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline).enumerated() {
            let line = raw.hasSuffix("\r") ? raw.dropLast() : raw
            if line.first == ":", let close = line.dropFirst().firstIndex(of: ":"),
                (2...3).contains(line.distance(from: line.startIndex, to: close) - 1),
                line[line.index(after: line.startIndex)..<close].allSatisfy({ $0.isASCII && ($0.isNumber || $0.isUppercase) })
            {
                out.append((String(line[line.index(after: line.startIndex)..<close]), String(line[line.index(after: close)...]), i + 1))
                previousLength = line.count - (line.distance(from: line.startIndex, to: close) + 1)
            } else if !out.isEmpty, !line.isEmpty, line != "-", !line.hasPrefix("-}") {
                let value = out[out.count - 1].value
                let midWord =
                    previousLength >= 60 && (value.last?.isLetter == true || value.last?.isNumber == true)
                    && (line.first?.isLetter == true || line.first?.isNumber == true)
                // A German subfield (`?22…`) starts its own line: the subfields say where one ends.
                out[out.count - 1].value += (midWord || line.first == "?" ? "" : " ") + line
                previousLength = line.count
            }
        }
        return out
    }

    /// One `:61:` line and its `:86:` details.
    struct Line {
        var date: Date?
        /// The amount as written, whole and decimals (`107,` `11,8` `1234,56`).
        var amount: (whole: Substring, decimals: Substring)?
        var debit = true
        var reference: String?
        var details = ""

        /// `YYMMDD[MMDD](C|D|RC|RD)[funds code]AMOUNT TYPE REFERENCE[//BANK REFERENCE]`: the value date, the
        /// entry date, debit or credit (a reversal the other way), the amount with a decimal comma.
        init(statementLine value: String) {
            let s = Array(value.utf8)
            func digits(_ at: Int, _ n: Int) -> Int? {
                guard at + n <= s.count, s[at..<at + n].allSatisfy({ $0 >= 48 && $0 <= 57 }) else { return nil }
                return Int(String(decoding: s[at..<at + n], as: UTF8.self))
            }
            guard let yy = digits(0, 2), let month = digits(2, 2), let day = digits(4, 2) else { return }
            var i = 6
            var booked = (month: month, day: day)
            if let m = digits(6, 2), let d = digits(8, 2) {
                booked = (m, d)
                i = 10
            } else if s.count >= 10, s[6..<10].allSatisfy({ $0 == UInt8(ascii: " ") }) {
                i = 10  // an entry date left blank
            }
            // The entry date has no year: December's value date booked in January is next year's.
            let year = 2000 + yy + (booked.month < month - 6 ? 1 : booked.month > month + 6 ? -1 : 0)
            date = Time.parseDay("\(Time.pad(year, 4))-\(Time.pad(booked.month, 2))-\(Time.pad(booked.day, 2))")
            guard i + 2 < s.count else { return }  // a mark and an amount at the least
            let mark = String(decoding: s[i..<i + 2], as: UTF8.self)
            if mark == "RC" || mark == "RD" {
                debit = mark == "RC"  // a credit reversed is money out
                i += 2
            } else {
                debit = mark.first != "C"
                i += 1
            }
            if s[i] >= UInt8(ascii: "A") { i += 1 }  // the funds code, the currency's third letter
            guard i < s.count else { return }
            let amountEnd = s[i...].firstIndex { !($0 >= 48 && $0 <= 57) && $0 != UInt8(ascii: ",") } ?? s.count
            let parts = String(decoding: s[i..<amountEnd], as: UTF8.self).split(separator: ",", omittingEmptySubsequences: false)
            // A point after the amount (`1.50`) is not MT940's decimal comma: the line is not read rather than misread.
            guard (1...2).contains(parts.count), !parts[0].isEmpty, parts[0].count <= 15,
                amountEnd == s.count || s[amountEnd] != UInt8(ascii: ".")
            else { return }
            amount = (parts[0], parts.count == 2 ? parts[1] : "")
            // After the amount, the type (NTRF) and the customer's reference; after `//`, the bank's.
            let slash = UInt8(ascii: "/")
            if let bank = s.indices.dropFirst(amountEnd).first(where: { $0 + 1 < s.count && s[$0] == slash && s[$0 + 1] == slash }) {
                reference = String(decoding: s[(bank + 2)...], as: UTF8.self).trimmed(.whitespaces)
            }
        }

        func row(line: Int, currency: Currency, account: String?) -> StatementRow? {
            // The decimals the currency has (a JPY amount has none); more than it has are a line not read, unless zeros.
            guard let date, let amount, amount.decimals.dropFirst(currency.exponent).allSatisfy({ $0 == "0" }),
                let minor = Int64(
                    amount.whole + (amount.decimals + String(repeating: "0", count: currency.exponent)).prefix(currency.exponent)),
                minor <= Money.maxMinor
            else { return nil }
            let (description, payee) = StatementMT940.described(details)
            var row = StatementRow(
                line: line, date: date, description: description, amount: Money(minor: debit ? minor : -minor, currency: currency))
            row.payee = payee == description ? nil : payee
            row.account = account
            row.bankID = reference.flatMap { $0.isEmpty ? nil : $0 }
            return row
        }
    }

    /// Keys of the SEPA form of `:86:` (Dutch banks): `/NAME/ACME BV/REMI/invoice 12/`.
    static let sepaKeys: Set<String> = [
        "TRTP", "IBAN", "BIC", "NAME", "REMI", "EREF", "MARF", "CSID", "ORDP", "BENM", "ISDT", "PREF", "RTRN", "ADDR", "ULTC",
        "ULTD", "PURP", "USTD", "STRD", "CDTRREF", "CDTRREFTP", "CD", "SVCL", "ID",
    ]

    /// What a line says and whom it pays, from its `:86:`: the remittance and the name in the SEPA or the
    /// German form; the text as it is otherwise.
    static func described(_ details: String) -> (description: String, payee: String?) {
        let text = details.trimmed(.whitespaces)
        if text.includes("?2") || text.includes("?3") {
            // German: ?00 booking text, ?20–?29 and ?60–?63 the remittance, ?32–?33 the other party's name.
            var fields: [Int: String] = [:]
            // What comes before the first `?` is the booking code (or nothing), never a subfield.
            for part in text.split(separator: "?", omittingEmptySubsequences: false).dropFirst() where part.count >= 2 {
                if let key = Int(part.prefix(2)) { fields[key, default: ""] += part.dropFirst(2) }
            }
            // 27 characters each: a full one goes on mid-word in the next.
            var remittance = ""
            var previous = ""
            for key in Array(20...29) + Array(60...63) {
                guard let piece = fields[key] else { continue }
                if !remittance.isEmpty && (previous.count < 27 || previous.hasSuffix(" ")) { remittance += " " }
                remittance += piece
                previous = piece
            }
            let name = [32, 33].compactMap { fields[$0] }.joined().trimmed(.whitespaces)
            let description = remittance.trimmed(.whitespaces).isEmpty ? fields[0] ?? name : remittance.trimmed(.whitespaces)
            return (description, name.isEmpty ? nil : name)
        }
        if text.hasPrefix("/"), text.includes("/NAME/") || text.includes("/REMI/") {
            var values: [String: String] = [:]
            var key: String?
            for token in text.split(separator: "/", omittingEmptySubsequences: false).dropFirst() {
                if sepaKeys.contains(String(token)) {
                    key = String(token)
                    values[key!] = values[key!] ?? ""
                } else if let k = key {
                    values[k] = values[k]!.isEmpty ? String(token) : values[k]! + "/" + token
                }
            }
            let name = values["NAME"].map { $0.trimmed(.whitespaces) }.flatMap { $0.isEmpty ? nil : $0 }
            // `/REMI/USTD//Factuur 12/`: the remittance's own keys hold its text.
            let remittance =
                ["REMI", "USTD", "STRD", "CDTRREF"].lazy.compactMap { values[$0]?.trimmed(.whitespaces) }.first {
                    !$0.isEmpty
                } ?? ""
            return (remittance.isEmpty ? name ?? text : remittance, name)
        }
        return (text, nil)
    }
}
