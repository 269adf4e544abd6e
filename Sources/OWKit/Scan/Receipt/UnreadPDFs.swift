import OWBase

/// Documents owatch cannot read: PDF attachments with no text layer (a scanned page is an
/// image). Such a message is not "no labelled total": it waits for a person as a `review`
/// finding, with nothing to adopt (its charge is recorded by hand).
public struct UnreadPDFs: Sendable {
    public let files: [String]
    public let from: String

    /// "invoice.pdf", "a.pdf and b.pdf".
    public var named: String {
        files.count <= 1 ? files.first ?? "a PDF" : files.dropLast().joined(separator: ", ") + " and " + files[files.count - 1]
    }
}

extension Receipt {
    /// Notes the message's scanned PDFs when they may hold the amount nothing else said: no amount
    /// was read, and the message is not plainly something else (a failed payment, a trial, marketing).
    package mutating func noteUnreadPDFs(_ message: MailMessage) {
        guard amount == nil, !ReceiptReader.plainlyNotCharges.contains(notACharge ?? "") else { return }
        let files = message.pdfsWithoutText
        guard !files.isEmpty else { return }
        let unread = UnreadPDFs(files: files, from: message.from)
        unreadPDFs = unread
        notACharge = "\(unread.named) has no text layer (a scanned image): it waits for a person as a review finding"
    }
}

extension ReceiptReader {
    /// Reasons that dismiss a message on its wording, whatever it attaches.
    static let plainlyNotCharges = Set(notCharges.map(\.1))
}
