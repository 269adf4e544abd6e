import FoundationEssentials
import OWCore
import OWIdentity

/// What a notification says, and its body for each channel: always built as JSON values and
/// encoded by `JSON`, never by pasting text into a template (Wallos #990, #1212).
package struct NotifyMessage {
    package let title: String
    package let text: String
    /// The idempotency key a receiver can dedupe on: the ledger's id and the outbox row's.
    package let key: String
    package let item: OutboxItem

    package init(_ item: OutboxItem, ledgerID: String) {
        self.item = item
        key = "owatch-\(ledgerID)-\(item.id)"
        (title, text) = NotifyMessage.words(item.event, item.payload, item.subject)
    }

    /// A one-line title and the text, from the event's payload.
    package static func words(_ event: String, _ p: JSON, _ subject: String) -> (String, String) {
        func s(_ key: String) -> String { p[key]?.stringValue ?? "" }
        func n(_ key: String) -> String {
            if case .number(let v)? = p[key] { return v }
            return s(key)
        }
        let request = "request #\(n("id")) from \(s("requester")): \(s("summary"))"
        switch event {
        case "renewal":
            return (
                "Renewal: \(s("license")) on \(s("renews_on"))",
                "\(s("license")) (\(s("vendor"))) renews on \(s("renews_on")), \(s("lead")) from the reminder: \(n("cost")) \(s("currency")) "
                    + "\(s("period"))." + (s("owner").isEmpty ? "" : " Owner: \(s("owner")).")
            )
        case "cancel-by":
            return (
                "Cancel by \(s("cancel_by")): \(s("license"))",
                "\(s("license")) (\(s("vendor"))) must be cancelled by \(s("cancel_by")) or it renews on \(s("renews_on")) "
                    + "for \(n("cost")) \(s("currency")) \(s("period")). Decide: owatch license decide \(s("license")) keep|cancel|renegotiate"
            )
        case "finding": return ("New finding: \(s("vendor"))", "Finding #\(n("id")) (\(s("kind"))): \(s("summary"))")
        case "request":
            return (
                "To approve: \(request)",
                "Waiting for approval: \(request). Reason: \(s("reason"))\nApprove with owatch approve \(n("id")) or reject with -m REASON."
            )
        case "approval": return ("Approved: \(request)", "Approved by \(s("decided_by")): \(request).")
        case "rejection": return ("Rejected: \(request)", "Rejected by \(s("decided_by")): \(request). Reason: \(s("note"))")
        case "digest", "test": return (s("title"), s("text"))
        default: return ("owatch: \(event) \(subject)", p.encoded())
        }
    }

    /// The body for a webhook channel.
    package func body(_ kind: ChannelKind, url: String) -> JSON {
        switch kind {
        case .slack:
            // Slack reads &, < and > as markup (<!channel> pings everyone): its documented escapes.
            let escaped = (title + "\n" + text).replacingAll("&", with: "&amp;").replacingAll("<", with: "&lt;").replacingAll(
                ">", with: "&gt;")
            return .obj([("text", .string(escaped))])
        case .teams:
            let card: JSON = .obj([
                ("$schema", .string("http://adaptivecards.io/schemas/adaptive-card.json")), ("type", .string("AdaptiveCard")),
                ("version", .string("1.4")),
                (
                    "body",
                    .array([
                        .obj([
                            ("type", .string("TextBlock")), ("text", .string(title)), ("weight", .string("Bolder")), ("wrap", .bool(true)),
                        ]),
                        .obj([("type", .string("TextBlock")), ("text", .string(text)), ("wrap", .bool(true))]),
                    ])
                ),
            ])
            return .obj([
                ("type", .string("message")),
                (
                    "attachments",
                    .array([
                        .obj([
                            ("contentType", .string("application/vnd.microsoft.card.adaptive")), ("contentUrl", .null), ("content", card),
                        ])
                    ])
                ),
            ])
        case .ntfy:
            return .obj([("topic", .string(NotifyMessage.ntfyTopic(url).topic)), ("title", .string(title)), ("message", .string(text))])
        case .webhook, .email:
            return .obj([
                ("idempotency_key", .string(key)), ("event", .string(item.event)), ("subject", .string(item.subject)),
                ("day", .string(item.day)), ("lead", item.lead.isEmpty ? .null : .string(item.lead)), ("title", .string(title)),
                ("text", .string(text)), ("data", item.payload),
            ])
        }
    }

    /// ntfy publishes JSON to its root URL with the topic in the body: https://ntfy.sh/TOPIC
    /// becomes https://ntfy.sh/ and topic TOPIC.
    static func ntfyTopic(_ url: String) -> (root: String, topic: String) {
        let trimmed = url.hasSuffix("/") ? String(url.dropLast()) : url
        guard let slash = trimmed.lastIndex(of: "/"), let scheme = trimmed.utf8Range(of: "://"), slash >= scheme.upperBound else {
            return (url, "")
        }
        return (String(trimmed[...slash]), String(trimmed[trimmed.index(after: slash)...]))
    }

    /// A whole e-mail for `sendmail -t -i`: headers in ASCII (the subject as an RFC 2047 word),
    /// the text in base64, so no line of it can end the message or forge a header.
    package func email(to: String) -> [UInt8] {
        let subject =
            title.unicodeScalars.contains { $0.value < 0x20 || $0.value > 0x7E }
            ? "=?UTF-8?B?" + Data(title.prefix(150).utf8).base64EncodedString() + "?=" : String(title.prefix(150))
        let body = Data((text + "\n").utf8).base64EncodedString(options: .lineLength76Characters)
        let headers = [
            "To: \(to)", "Subject: \(subject)", "Message-ID: <\(key)@owatch>", "X-Owatch-Key: \(key)", "MIME-Version: 1.0",
            "Content-Type: text/plain; charset=utf-8", "Content-Transfer-Encoding: base64",
        ]
        // Local line ends: sendmail takes the message as a Unix text file.
        return Array((headers.joined(separator: "\n") + "\n\n" + body.replacingAll("\r\n", with: "\n") + "\n").utf8)
    }
}
