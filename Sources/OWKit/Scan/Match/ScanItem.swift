import FoundationEssentials
import OWCore
import OWIdentity
import OWOffice
import OWReaders

/// One message or statement line as read, before anything is written: the keys that recognise
/// it on a later scan, and what it came to.
package struct ScanItem {
    package enum Outcome {
        case charge(ObservedCharge)
        /// A card line paying a merchant the catalog does not know.
        case merchantLine(MerchantLine)
        case notACharge(fromVendor: Bool)
        /// A subscription's receipt from a sender the catalog does not know.
        case unknownVendor(UnknownSpend)
        /// A vendor's trial that turns paid on a day.
        case trial(Vendor, ends: String, subject: String)
        /// A message whose document is a scan with no text layer: a person reads it.
        case unread(UnreadPDFs, Vendor?, subject: String)
        /// Malformed or over its budget: remembered with the reason, never read again.
        case skipped(String)
    }

    package let key: String?
    let fileKey: String?
    package let outcome: Outcome
    /// Where it was read, for an error about it ("card.csv line 12"); nil for a message.
    package var place: String? = nil

    /// The item a read message comes to, in its turn: counted, or skipped with its reason (only
    /// its file, if any, when a message skipped before is seen again).
    package static func of(_ read: ReadMail, place: String, fileKey: String?, _ context: ScanContext, result: inout ScanResult) throws
        -> ScanItem
    {
        result.messages += 1
        if result.messages % 500 == 0 { context.progress?("\(place.split(separator: " ").first ?? ""): \(result.messages) messages") }
        let key: String
        let subject: String
        let receipt: Receipt
        switch read {
        case .failed(let error): throw error
        case .unreadable(let contentKey, let why): return withFile(skip(contentKey, place, why, result: &result), fileKey)
        case .parsed(let k, _, .failure(let over)):
            // Remembered as skipped when first read: a rescan does not warn again.
            if try context.seen(k) {
                result.alreadySeen += 1
                return ScanItem(key: nil, fileKey: fileKey, outcome: .notACharge(fromVendor: false))
            }
            return withFile(skip(k, place, over.reason, result: &result), fileKey)
        case .parsed(let k, let s, .success(let r)):
            // Whether it was seen before, writing its key tells (`apply`): no lookup per message here.
            (key, subject, receipt) = (k, s, r)
        }
        if let sender = receipt.unknownSender, let amount = receipt.amount, amount.minor > 0 {
            let spend = UnknownSpend(
                name: sender.name, domain: sender.domain, amount: amount, period: receipt.period,
                on: receipt.date ?? context.session.now, subject: subject,
                currencyAssumed: receipt.currencyAssumed != nil, via: receipt.paidThrough, key: key, readAs: receipt.method,
                confidence: receipt.confidence, candidates: receipt.candidates, doubt: receipt.doubt)
            return ScanItem(key: key, fileKey: fileKey, outcome: .unknownVendor(spend))
        }
        if let vendor = receipt.vendor, let ends = receipt.trialEnds {
            return ScanItem(key: key, fileKey: fileKey, outcome: .trial(vendor, ends: ends, subject: subject))
        }
        if let unread = receipt.unreadPDFs {
            return ScanItem(key: key, fileKey: fileKey, outcome: .unread(unread, receipt.vendor, subject: subject))
        }
        guard let charge = ObservedCharge.of(receipt, key: key, subject: subject, now: context.session.now) else {
            return ScanItem(key: key, fileKey: fileKey, outcome: .notACharge(fromVendor: receipt.vendor != nil))
        }
        return ScanItem(key: key, fileKey: fileKey, outcome: .charge(charge))
    }

    /// A skipped item: counted, warned about, and remembered under `key`.
    package static func skip(_ key: String, _ place: String, _ why: String, result: inout ScanResult) -> ScanItem {
        result.skipped += 1
        result.warnings.append("\(place): skipped: \(why)")
        return ScanItem(key: key, fileKey: nil, outcome: .skipped(why))
    }

    static func withFile(_ item: ScanItem, _ fileKey: String?) -> ScanItem {
        ScanItem(key: item.key, fileKey: fileKey, outcome: item.outcome)
    }
}
