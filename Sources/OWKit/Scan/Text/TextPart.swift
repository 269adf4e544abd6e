import FoundationEssentials
import OWBase

/// The text one part of a message gives, with where it came from: the scan's stage between the
/// parsed message (`MailMessage`) and the receipt read from its text (`ReceiptReader`).
public struct TextPart: Sendable {
    public enum Origin: Sendable {
        /// A text part as it was written (text/plain, or another text/ type).
        case text
        /// An HTML part turned into text (`HTMLText`).
        case html
        /// A PDF attachment's text layer (`PDFText`).
        case pdf
    }

    public let text: String
    public let origin: Origin
}

extension MailMessage {
    /// The text the message's parts give, in order: text/plain parts, or HTML turned into text
    /// when a part has no plain alternative, plus text attachments and PDFs' text.
    public var textParts: [TextPart] {
        var pieces: [TextPart] = []
        func visit(_ p: MIMEPart, insideAlternative: Bool) {
            if p.contentType == "multipart/alternative" {
                // Prefer the plain alternative; fall back to the HTML one.
                if let plain = p.children.first(where: { $0.contentType == "text/plain" && $0.text != nil }) {
                    visit(plain, insideAlternative: true)
                } else {
                    for c in p.children { visit(c, insideAlternative: true) }
                }
                return
            }
            if !p.children.isEmpty {
                for c in p.children { visit(c, insideAlternative: insideAlternative) }
                return
            }
            if let pdf = p.pdfText {
                pieces.append(TextPart(text: pdf, origin: .pdf))
                return
            }
            guard let text = p.text else { return }
            if p.contentType == "text/html" {
                pieces.append(TextPart(text: HTMLText.text(text), origin: .html))
            } else if p.contentType.hasPrefix("text/") {
                pieces.append(TextPart(text: text, origin: .text))
            }
        }
        visit(root, insideAlternative: false)
        return pieces
    }

    /// All readable text: the parts' text joined, line ends normalised to "\n".
    public var readableText: String {
        let joined = textParts.map(\.text).joined(separator: "\n")
        // CRLF to LF on bytes (Foundation's replacingOccurrences is slow on Linux).
        return joined.removingByte(13)
    }
}
