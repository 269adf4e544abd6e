import OWCore
import OWIdentity
import OWOffice
import OWReaders

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
