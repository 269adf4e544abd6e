import FoundationEssentials
import OWCore
import OWIdentity
import OWOffice

/// Rendering: the entries and rules as ledger/hledger/beancount text.
extension Journal {
    static func render(entries: [Entry], rules: [Entry], _ o: JournalOptions) -> String {
        let f = o.format
        let known = declared(o.existing ?? "")
        var out = ""
        // Accounts with the first day each is used, and the commodities.
        var firstUse: [String: String] = [:]
        var codes: [String: Int] = [:]
        for e in entries + rules {
            for (a, m) in e.postings {
                let day = e.day.count == 10 ? e.day : "9999-12-31"
                firstUse[a] = min(firstUse[a] ?? day, day)
                codes[m.currency.code] = m.currency.exponent
            }
        }
        out += "; Written by owatch export journal (\(f.rawValue)). Each charge carries owatch-charge: ID; a re-export\n"
        out += "; with --existing THIS-FILE leaves out what is here already.\n\n"
        switch f {
        case .hledger, .ledger:
            if f == .hledger, !known.contains("decimal-mark") { out += "decimal-mark .\n" }
            for (code, exponent) in codes.sorted(by: { $0.key < $1.key }) where !known.contains("commodity \(commodity(code, f))") {
                let sample = Money(minor: 0, currency: Currency(code: code, exponent: exponent))
                out += "commodity \(commodity(code, f))\n    format \(amount(sample, f))\n"
            }
            for a in firstUse.keys.sorted() where !known.contains("account \(a)") { out += "account \(a)\n" }
            out += "\n"
            for r in rules {
                out += "~ \(r.day)  \(payee(r.payee))\n"
                for (k, v) in r.tags { out += "    ; \(k): \(v)\n" }
                for (a, m) in r.postings { out += "    \(a)    \(amount(m, f))\n" }
                out += "\n"
            }
            for e in entries {
                var line = "\(e.day) * \(payee(e.payee))"
                if let note = e.note.map(oneLine), !note.isEmpty {
                    // hledger reads `payee | note`; Ledger keeps the note in a comment, where a colon would make a tag.
                    if f == .hledger { line += " | " + note }
                }
                out += line + "\n"
                if f == .ledger, let note = e.note.map(oneLine), !note.isEmpty {
                    out += "    ; " + note.replacingByte(UInt8(ascii: ":"), with: "\u{2236}") + "\n"
                }
                for (k, v) in e.tags { out += "    ; \(k): \(v)\n" }
                for (a, m) in e.postings { out += "    \(a)    \(amount(m, f))\n" }
                out += "\n"
            }
        case .beancount:
            for (a, day) in firstUse.sorted(by: { ($0.value, $0.key) < ($1.value, $1.key) }) where !known.contains("open \(a)") {
                out += "\(day) open \(a)\n"
            }
            out += "\n"
            for r in rules {
                // Fava's budget directive: custom "budget" ACCOUNT "PERIOD" AMOUNT (Beancount itself has no budgets).
                let parts = (r.note ?? "monthly 0").split(separator: " ")
                let (a, m) = r.postings[0]
                out += "\(r.day) custom \"budget\" \(a) \"\(parts[0])\" \(parts[1]) \(commodity(m.currency.code, f))\n"
                out += "  owatch-license: \"\(r.tags[0].1)\"\n"
                out += "\n"
            }
            for e in entries {
                out += "\(e.day) * \(quoted(e.payee)) \(quoted(e.note ?? ""))\n"
                for (k, v) in e.tags { out += "  \(k): \(quoted(v))\n" }
                for (a, m) in e.postings { out += "  \(a)    \(amount(m, f))\n" }
                out += "\n"
            }
        }
        return out
    }
}
