import FoundationEssentials
import OWBase

/// Who a statement line is, whatever file it arrives in (issue 31): the account (when the export
/// names one), the day, the amount and currency, the description as normalised text, and its
/// occurrence among identical lines of that day. Banks export "the last 90 days" into files named
/// by export date: an overlapping export, a renamed copy or a second source path yields the same
/// keys for the same lines, so a scan adds only what is new, while two genuine identical payments
/// on one day stay two (`…:0`, `…:1`).
///
/// Key: `stmt:@ACCOUNT:DAY:CUR:MINOR:DESCRIPTION:N`, with `-` for the account when the export names none.
package struct StatementIdentity {
    private var occurrences: [String: Int] = [:]
    private let account: String

    package init(account: String?) { self.account = StatementIdentity.account(account) }

    /// The next line's key; identical lines of one file count up.
    package mutating func key(day: String, amount: Money, description: String) -> String {
        let base = "stmt:\(account):\(day):\(amount.currency.code):\(amount.minor):\(StatementIdentity.normalized(description))"
        let n = occurrences[base, default: 0]
        occurrences[base] = n + 1
        return "\(base):\(n)"
    }

    /// Lower case, runs of spaces as one, no colons (the key's separator) and no control characters.
    static func normalized(_ description: String) -> String {
        var out = ""
        var space = false
        for ch in description.lowercased() {
            if ch.isWhitespace || ch == ":" || ch.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F }) {
                space = !out.isEmpty
                continue
            }
            if space { out.append(" ") }
            space = false
            out.append(ch)
        }
        return String(out.prefix(200))
    }

    /// `@` and the account's letters, digits and the masking stars of a card number, upper case
    /// (never a digit first, as the source ids of old keys were); `-` for none.
    package static func account(_ raw: String?) -> String {
        let kept = (raw ?? "").uppercased().filter { ($0.isASCII && ($0.isLetter || $0.isNumber)) || $0 == "*" }
        return kept.isEmpty ? "-" : "@" + kept.prefix(64)
    }

    /// The key a ledger written before identities remembers this line by: migration 18 rewrote
    /// `stmt:SOURCE:DAY:DESCRIPTION:MINOR:N` without the account and currency it did not know.
    package static func legacy(of key: String) -> String? {
        let parts = key.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 7, parts[0] == "stmt" else { return nil }
        return "stmt:-:\(parts[2]):*:\(parts[4]):\(parts[5]):\(parts[6])"
    }

    /// Migration 18's rewrite of a key from before identities, or nil when it is not one:
    /// a line's `stmt:SOURCE:DAY:DESC:MINOR:N` (the description may hold colons) becomes what
    /// `legacy(of:)` looks for; a bad line's `stmt:SOURCE:bad:REST` becomes `stmt:bad:REST`.
    package static func rekeyed(legacy key: String) -> String? {
        let parts = key.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count >= 4, parts[0] == "stmt", !parts[1].isEmpty, parts[1].allSatisfy({ $0.isASCII && $0.isNumber }) else {
            return nil
        }
        if parts[2] == "bad" { return "stmt:bad:" + parts[3...].joined(separator: ":") }
        guard parts.count >= 6, Int64(parts[parts.count - 2]) != nil, Int(parts[parts.count - 1]) != nil else { return nil }
        let description = normalized(parts[3..<(parts.count - 2)].joined(separator: ":"))
        return "stmt:-:\(parts[2]):*:\(parts[parts.count - 2]):\(description):\(parts[parts.count - 1])"
    }
}
