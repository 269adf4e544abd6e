import OWCore
import OWIdentity

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
    mutating func noteUnreadPDFs(_ message: MailMessage) {
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

extension Matcher {
    /// A review finding for a message whose document is a scan: one per message, holding no charge.
    mutating func recordUnread(_ u: UnreadPDFs, vendor: Vendor?, subject: String, key: String) throws {
        let who = vendor?.name ?? u.from
        try add(
            Findings.record(
                session.db, kind: .review, key: "review:unread:\(key)", vendor: vendor, vendorName: vendor == nil ? u.from : nil,
                licenseID: nil, chargeID: nil, amount: nil, monthly: nil,
                summary: "\(who): \(u.named) has no text layer (a scanned image), so owatch cannot read its amount; a person should "
                    + "(\(String(subject.prefix(80)))): record its charge with charge add, then close this with scan ignore",
                now: session.now))
    }
}
