import FoundationEssentials
import OWBase

/// The lines a bank writes before a statement's header (DKB, Sparkasse, ING, comdirect):
/// the account or card they are of, masked as the bank prints it, and the period they cover.
package enum StatementPreamble {
    static let periodWords = ["zeitraum", "period", "periode", "période", "statement period", "auszugszeitraum"]
    static let fromWords = ["von", "from", "start", "du", "van", "startdatum", "start date"]
    static let toWords = ["bis", "to", "end", "au", "tot", "enddatum", "end date"]

    package static func read<C: Collection<CSV.Line>>(_ records: C) -> (account: String?, period: String?) {
        var account: String? = nil
        var from: String? = nil
        var to: String? = nil
        for rec in records {
            let fields = rec.fields.map { CSV.trim($0) }.filter { !$0.isEmpty }
            guard let label = fields.first?.lowercased().trimmed(ScalarSet(charactersIn: ": ")) else { continue }
            if account == nil { account = fields.lazy.compactMap(accountNumber).first }
            let days = fields.dropFirst().flatMap(daysIn)
            if periodWords.contains(where: label.contains), days.count >= 2 {
                (from, to) = (days[0], days[1])
            } else if fromWords.contains(label), let d = days.first {
                from = d
            } else if toWords.contains(label), let d = days.first {
                to = d
            }
        }
        let period = from.flatMap { f in to.map { "\(f)..\($0)" } }
        return (account, period)
    }

    /// An IBAN (`DE12 3456 …`) or a card number, masked as banks print it (`4930********1234`,
    /// `5234 **** **** 1234`), found in a preamble field such as `Girokonto DE12…` or `4930…1234 Kreditkarte`.
    static func accountNumber(_ field: String) -> String? {
        let words = field.split(separator: " ").map(String.init)
        for start in words.indices {
            // An IBAN's or card's groups are written with spaces: join up to eight words.
            for end in stride(from: min(words.count, start + 8), to: start, by: -1) {
                let candidate = words[start..<end].joined(separator: " ")
                let compact = candidate.filter { $0 != " " }
                if isIBAN(compact) || isCard(compact) { return candidate }
            }
        }
        return nil
    }

    static func isIBAN(_ s: String) -> Bool {
        let chars = Array(s)
        return (15...34).contains(chars.count) && chars[0].isASCII && chars[0].isUppercase && chars[1].isASCII && chars[1].isUppercase
            && chars[2].isASCII && chars[2].isNumber && chars[3].isASCII && chars[3].isNumber
            && chars.allSatisfy { $0.isASCII && ($0.isNumber || $0.isUppercase) }
    }

    static func isCard(_ s: String) -> Bool {
        let masks: Set<Character> = ["*", "x", "X", "•"]
        let digits = s.filter { $0.isASCII && $0.isNumber }.count
        return (12...19).contains(s.count) && digits >= 4 && s.contains(where: masks.contains)
            && s.allSatisfy { ($0.isASCII && $0.isNumber) || masks.contains($0) }
    }

    /// The days a field names (`01.11.2026 - 30.11.2026`, `2026-11-01`), as YYYY-MM-DD.
    static func daysIn(_ field: String) -> [String] {
        field.split(whereSeparator: { $0 == " " || $0 == "–" }).compactMap { word in
            let w = word.trimmed(ScalarSet(charactersIn: ",;:()"))
            return w.count >= 8 ? StatementSigns.parseDate(w, dayFirst: true).map(Time.day) : nil
        }
    }
}
