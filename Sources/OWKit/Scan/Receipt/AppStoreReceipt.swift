import FoundationEssentials
import OWBase

/// App Store and Google Play receipts: Apple and Google bill for other companies' apps, so the
/// vendor is the app its item lines name ("Bear Pro — Monthly", "Pro Monthly (Tasklane: To-do)"),
/// never Apple or Google — unless the item is theirs and in the catalog (iCloud+, Google One).
/// Apple's lists each subscription as its app's name, the plan and "Renews <date>"; Google's
/// as "Plan (App name)" with its price per period.
package enum AppStoreReceipt {
    package enum Store: String {
        case apple = "apple.com"
        case google = "google.com"
    }

    /// The store a receipt comes from: Apple's receipt mail (`no_reply@email.apple.com`, iTunes)
    /// or Google Play's (`googleplay-noreply@google.com`).
    static func store(ofSender address: String, subject: LowerText) -> Store? {
        // Most senders are neither store: told by the address's ends, without a lower-cased copy
        // (an address with non-ASCII letters is lower-cased: the Kelvin sign is a k then).
        guard
            ProcessorMerchant.endsWithAny(address, ["apple.com", "itunes.com", "google.com"])
                || address.prefix(19).equalsIgnoringASCIICase("googleplay-noreply@")
        else { return nil }
        let lower = address.lowercased()
        guard let at = lower.lastIndex(of: "@") else { return nil }
        let host = String(lower[lower.index(after: at)...])
        if host == "email.apple.com" || host == "itunes.com"
            || (host.hasSuffix("apple.com") && subject.contains(Array("receipt from apple".utf8)))
        {
            return .apple
        }
        if lower.hasPrefix("googleplay-noreply@") || (host == "google.com" && subject.contains(Array("google play".utf8))) {
            return .google
        }
        return nil
    }

    /// The receipt's own fields and headings, never an app.
    static let fieldLabels = [
        "app store", "itunes store", "apple services", "apple account", "apple id", "order", "document", "date", "billed to",
        "billing", "receipt", "total", "subtotal", "tax", "vat", "report a problem", "payment",
    ]
    static let renewNeedles = Needles.of(["renews", "renewal", "expires", "verlängert sich", "se renouvelle", "se renueva", "rinnovo"])

    /// The apps a receipt's item lines name, each once, in order.
    static func apps(in text: String, store: Store) -> [String] {
        let lines = text.split(separator: "\n").prefix(400).map { $0.replacingAll("\u{A0}", with: " ").trimmed(.whitespaces) }
            .filter { !$0.isEmpty }
        var out: [String] = []
        func add(_ raw: String) {
            if let name = ProcessorMerchant.clean(raw), !out.contains(name) { out.append(name) }
        }
        switch store {
        case .apple:
            // An item: its app's name and plan above "Renews …"; the name is the block's top line
            // ("Bear" over "Bear Pro — Monthly"), or the plan's words before its dash when it stands alone.
            for (i, line) in lines.enumerated() where LowerText(line).hasPrefix(renewNeedles) {
                // Each line's text before a wide gap (a price in its column), without field lines and sizes.
                let block = lines[max(0, i - 2)..<i].map { ($0.components(separatedBy: "  ").first ?? $0).trimmed(.whitespaces) }.filter {
                    l in
                    let lower = l.lowercased()
                    return !l.contains(where: \.isNumber) && !l.contains("@") && !fieldLabels.contains(where: { lower.hasPrefix($0) })
                }
                guard let top = block.first else { continue }
                add(block.count == 1 ? String(top.split(separator: " — ").first ?? Substring(top)) : top)
            }
            for line in lines where line.lowercased().hasPrefix("developer:") { if out.isEmpty { add(String(line.dropFirst(10))) } }
        case .google:
            // "Pro Monthly (Tasklane: To-do & Planner)  $4.99/month", or "Item: …": the app in the last parentheses.
            for line in lines {
                let lower = line.lowercased()
                let item = lower.hasPrefix("item:") || lower.hasPrefix("product:")
                guard item || (line.contains("(") && (lower.includes("/month") || lower.includes("/year") || lower.includes("/week"))),
                    let open = line.lastIndex(of: "("), let close = line.lastIndex(of: ")"), open < close
                else { continue }
                add(String(line[line.index(after: open)..<close]))
            }
        }
        return out
    }
}

extension LowerText {
    /// Starts with one of `needles`.
    package func hasPrefix(_ needles: [[UInt8]]) -> Bool { needles.contains { bytes.starts(with: $0) } }
}

extension ReceiptReader {
    /// An App Store or Google Play receipt: the app its item names is the vendor (a catalog
    /// vendor, else an unknown one paid through the store); several apps on one receipt are not
    /// filed under one of them.
    static func appStore(
        _ store: AppStoreReceipt.Store, _ message: MailMessage, _ envelope: Envelope, _ r: Receipt, index: VendorIndex,
        defaultCurrency: Currency, budget: MessageBudget
    ) throws -> Receipt {
        var r = r
        let lowerSubject = LowerText(envelope.subject)
        guard let text = try textUnlessDismissed(&r, message, envelope, subject: lowerSubject, budget: budget) else { return r }
        let apps = AppStoreReceipt.apps(in: text, store: store)
        guard apps.count == 1, let app = apps.first else {
            r.notACharge =
                apps.isEmpty
                ? "a \(store.rawValue) receipt naming no subscription's app"
                : "a \(store.rawValue) receipt for several apps (\(apps.joined(separator: ", "))): not one vendor's charge"
            return r
        }
        if let vendor = index.vendor(namedIn: app) {
            r.vendor = vendor
            try readCharge(
                &r, text: text, subject: envelope.subject, lowerSubject: lowerSubject, sender: nil, defaultCurrency: defaultCurrency,
                budget: budget)
            return r
        }
        r.paidThrough = store.rawValue
        return try unknownSubscription(
            message, envelope, r, named: (app, ProcessorMerchant.findingDomain(app)), host: store.rawValue, subject: lowerSubject,
            defaultCurrency: defaultCurrency, budget: budget)
    }

    /// The text of mail billed on another's behalf, dated as sent; nil, with `r` marked, when its
    /// subject says it is no charge (a failed payment, a trial, marketing).
    static func textUnlessDismissed(
        _ r: inout Receipt, _ message: MailMessage, _ envelope: Envelope, subject: LowerText, budget: MessageBudget
    ) throws -> String? {
        if let hit = notChargeNeedles.first(where: { subject.contains($0.0) }) {
            r.notACharge = hit.1
            return nil
        }
        r.date = envelope.sentAt
        let text = head(of: message.readableText)
        try budget.checkTime()
        return text
    }
}
