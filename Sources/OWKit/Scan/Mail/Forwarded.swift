import FoundationEssentials
import OWBase

/// Who a receipt is from, what it is about and when it was sent. For mail a colleague forwarded
/// ("Fwd: Your Slack receipt", the way receipts reach an office's accounts inbox) that is the
/// original message's, read from the forwarded block's header lines, not the colleague's.
package struct Envelope {
    var address: String
    /// The forwarded block's sender name, or nil to read it from the message's own From.
    var originalName: String?
    package var subject: String
    /// The forwarded block's date, or nil to read it from the message's own Date.
    var originalSentAt: Date?
    /// A forward whose text names no original sender but the colleague: theirs, not a vendor's.
    var hidesOriginal = false
    package let message: MailMessage
    /// The address that forwarded it, when the sender is read from a forwarded block: the
    /// vendor is then only what the forwarder's text claims (anyone can write that block).
    package var forwardedBy: String? = nil

    /// The date and the display name are worked out only when asked for (a receipt's date, a
    /// subscription from a sender nobody registered): most messages never ask.
    var sentAt: Date? { originalSentAt ?? message.sentAt }
    var displayName: String { originalName ?? MailHeader.mailboxes(message.root.header("From") ?? "").first?.name ?? "" }

    /// `from` is the message's own sender address, already parsed.
    package static func of(_ message: MailMessage, from: String) -> Envelope {
        // Only a forward's text is searched: most of an inbox is dismissed before its text is read.
        guard Forwarded.isForward(message.subject) else { return Envelope(address: from, subject: message.subject, message: message) }
        guard let original = Forwarded.original(in: String(ReceiptReader.head(of: message.readableText).prefix(20_000))) else {
            return Envelope(address: from, subject: message.subject, hidesOriginal: true, message: message)
        }
        return Envelope(
            address: original.address, originalName: original.displayName,
            subject: original.subject ?? Forwarded.stripped(message.subject), originalSentAt: original.sentAt,
            hidesOriginal: original.address == from, message: message, forwardedBy: original.address == from ? nil : from)
    }
}

package enum Forwarded {
    /// Subject prefixes mail programs put on a forward, in the languages above.
    static let prefixes = ["fwd:", "fw:", "wg:", "tr:", "rv:", "vs:", "doorst:", "enc:", "[fwd:", "fwd "]
    static let prefixStarts = Set(prefixes.map { $0.utf8.first! })

    static func isForward(_ subject: String) -> Bool {
        // Most subjects start with a printable ASCII byte that begins no prefix (lower-cased, no ASCII
        // letter but k and i comes from another's): told from it, without a trimmed, lower-cased copy.
        if let b = subject.utf8.first, b > 0x20, b < 0x80, !prefixStarts.contains(b >= 65 && b <= 90 ? b | 0x20 : b) { return false }
        let s = subject.trimmed(.whitespaces).lowercased()
        return prefixes.contains { s.hasPrefix($0) }
    }

    /// The subject without its forward prefixes ("Fwd: FW: Receipt" → "Receipt").
    static func stripped(_ subject: String) -> String {
        var s = subject.trimmed(.whitespaces)
        while let p = prefixes.first(where: { s.lowercased().hasPrefix($0) }) {
            s = String(s.dropFirst(p.count)).trimmed(.whitespaces)
            if p == "[fwd:", s.hasSuffix("]") { s.removeLast() }
        }
        return s
    }

    /// Header labels of a forwarded block, per field (English, German, French, Spanish, Italian,
    /// Dutch, Swedish, Danish/Norwegian, Polish, Portuguese).
    static let fromLabels = ["from", "von", "de", "da", "van", "från", "fra", "od"]
    static let dateLabels = ["date", "sent", "datum", "gesendet", "envoyé", "enviado", "fecha", "data", "verzonden", "skickat", "sendt"]
    static let subjectLabels = ["subject", "betreff", "objet", "asunto", "oggetto", "onderwerp", "ämne", "emne", "temat", "assunto"]

    package struct Original {
        var address: String
        var displayName: String
        package var subject: String?
        var sentAt: Date?
    }

    /// The first forwarded header block: a `From:` line with an address, and the date and
    /// subject lines right after it.
    package static func original(in text: String) -> Original? {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).prefix(200).map {
            $0.replacingAll("\u{A0}", with: " ").replacingAll("*", with: "").trimmed(.whitespaces)
        }
        for (i, line) in lines.enumerated() {
            guard let value = Self.value(of: line, labels: fromLabels), let address = Self.address(in: value) else { continue }
            var original = Original(address: address, displayName: Self.displayName(value))
            for next in lines[(i + 1)..<min(lines.count, i + 8)] {
                if original.sentAt == nil, let v = Self.value(of: next, labels: dateLabels) {
                    let english = next.lowercased().hasPrefix("sent") || next.lowercased().hasPrefix("date")
                    original.sentAt = DocumentDate.firstDate(in: v, monthFirst: english).flatMap(Time.parseDay)
                }
                if original.subject == nil, let v = Self.value(of: next, labels: subjectLabels) { original.subject = v }
            }
            return original
        }
        return nil
    }

    /// The text after `Label:` (or `Label :`) when the line starts with one of `labels`.
    package static func value(of line: String, labels: [String]) -> String? {
        let lower = line.lowercased()
        for label in labels where lower.hasPrefix(label) {
            let rest = lower.dropFirst(label.count).drop(while: { $0 == " " })
            guard rest.first == ":" else { continue }
            let offset = line.count - rest.count + 1
            return String(line.dropFirst(offset)).trimmed(.whitespaces)
        }
        return nil
    }

    /// The first mail address in a header value (`Slack <feedback@slack.com>`, `[mailto:x@y.z]`).
    static func address(in value: String) -> String? {
        let chars = Array(value.unicodeScalars)
        guard let at = chars.firstIndex(of: "@") else { return nil }
        func local(_ c: Unicode.Scalar) -> Bool {
            c.isASCII && (c.properties.isAlphabetic || ("0"..."9").contains(c) || "._%+-".unicodeScalars.contains(c))
        }
        func domain(_ c: Unicode.Scalar) -> Bool {
            c.isASCII && (c.properties.isAlphabetic || ("0"..."9").contains(c) || c == "." || c == "-")
        }
        var start = at
        while start > 0, local(chars[start - 1]) { start -= 1 }
        var end = at + 1
        while end < chars.count, domain(chars[end]) { end += 1 }
        while end > at + 1, chars[end - 1] == "." { end -= 1 }
        guard start < at, end > at + 1, chars[(at + 1)..<end].contains(".") else { return nil }
        return String(String.UnicodeScalarView(chars[start..<end])).lowercased()
    }

    /// The name before the address (`Slack Billing <…>` → `Slack Billing`), without quotes.
    static func displayName(_ value: String) -> String {
        let cut = value.firstIndex(where: { $0 == "<" || $0 == "[" }) ?? value.endIndex
        let name = value[..<cut].trimmed(ScalarSet(charactersIn: " \"'"))
        return name.contains("@") ? "" : name
    }
}
