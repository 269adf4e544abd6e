import FoundationEssentials
import OWBase

/// Reading a document that came without a sender: a PDF or text file inspected on its own, or
/// mail with no `From`. Who issued it, and when, are read from the document itself.
extension ReceiptReader {
    static func document(_ message: MailMessage, index: VendorIndex, defaultCurrency: Currency, budget: MessageBudget) throws
        -> Receipt
    {
        var r = Receipt()
        let text = head(of: message.readableText)
        try budget.checkTime()
        // The issuer's letterhead comes first: its addresses before the customer's.
        let hosts = DocumentHosts.of(String(text.prefix(20_000)))
        r.vendor = issuer(hosts: hosts, text: text, index: index)
        let subject = message.subject  // for a file: its name ("invoice-2026-11.pdf")
        let lowerSubject = LowerText(subject)
        // A quote, a proforma, a delivery note or a reminder prints totals too: its heading says which it is,
        // unless its embedded XML declares an invoice (what a document declares wins over its words).
        if message.eInvoice == nil, let hit = LookAlikeTitle.inHeading(text) {
            (r.declared, r.notACharge) = (hit.kind, LookAlikeTitle.why(hit, in: "heading"))
            return r
        }
        // The file's name may say invoice; its words are no invoice number.
        try readCharge(
            &r, text: text, subject: "", lowerSubject: lowerSubject, sender: hosts.first, defaultCurrency: defaultCurrency,
            budget: budget, xml: message.eInvoice != nil)
        r.date = DocumentDate.of(text, monthFirst: r.amount?.currency.code == "USD").flatMap(Time.parseDay)
        guard r.vendor == nil, r.notACharge == nil else { return r }
        let lower = LowerText(String(text.prefix(3000)))
        if lower.contains(any: oneOffNeedles) {
            r.notACharge =
                "the document names no known vendor, and this is a one-off purchase (an order, a delivery, a ride or travel), not a subscription"
        } else if LowerText(text).contains(any: subscriptionNeedles) || lowerSubject.contains(any: subscriptionNeedles),
            let issuer = unknownIssuer(text, hosts: hosts)
        {
            r.unknownSender = issuer
        } else {
            r.notACharge = "the document names no known vendor, and nothing says subscription (a plan, a period, seats, a renewal)"
        }
        return r
    }

    /// An issuer the catalog does not know: its registrable domain, named by the name the document
    /// states (`IssuerName`) when it states one. A name without a domain is not enough: e-invoices
    /// for goods name their seller too, and a domain is what an office's own sites would be told by.
    static func unknownIssuer(_ text: String, hosts: [String]) -> (name: String, domain: String)? {
        guard let domain = DocumentHosts.issuer(hosts, in: text) else { return nil }
        return (IssuerName.of(text) ?? domain, domain)
    }

    /// The catalog vendor whose billing domain the document prints (its letterhead, a web or mail
    /// address), in the order they appear; shared parent domains count only with the vendor named.
    /// Names alone are not enough here: a document names products, customers and words that are
    /// also vendors' names ("Box").
    package static func issuer(hosts: [String], text: String, index: VendorIndex) -> Vendor? {
        let top = String(text.prefix(4000))
        for host in hosts {
            let (candidates, domain) = index.vendors(forSender: "@" + host)
            guard let domain, !candidates.isEmpty, !VendorIndex.processors.contains(domain) else { continue }
            if let v = index.vendor(among: candidates, domain: domain, namedIn: top) { return v }
        }
        return nil
    }
}

/// The web and mail hosts a document prints (`hallo@acme.de`, `www.hetzner.de`, `aws.amazon.com`),
/// in order, without `www.`, each once.
package enum DocumentHosts {
    static let notTLDs: Set<String> = [
        "pdf", "xml", "png", "jpg", "jpeg", "gif", "html", "htm", "php", "txt", "doc", "docx", "xls", "csv", "zip",
    ]

    /// The issuer's registrable domain among a document's hosts: the one printed most often (its
    /// web site and mail addresses), the first of equals; the customer's is usually printed once.
    package static func issuer(_ hosts: [String], in text: String) -> String? {
        let lower = text.lowercased()
        var best: (domain: String, count: Int)?
        for domain in hosts.map(RegistrableDomain.of) {
            let count = lower.components(separatedBy: domain).count - 1
            if best == nil || count > best!.count { best = (domain, count) }
        }
        return best?.domain
    }

    static let urnMark = Array("urn:".utf8)

    package static func of(_ text: String) -> [String] {
        let bytes = LowerText(asciiFolding: Array(text.utf8)[...]).bytes
        func hostByte(_ b: UInt8) -> Bool { (b >= 97 && b <= 122) || (b >= 48 && b <= 57) || b == 46 || b == 45 }
        var hosts: [String] = []
        var i = 0
        while i < bytes.count {
            guard hostByte(bytes[i]) else {
                i += 1
                continue
            }
            var end = i
            while end < bytes.count, hostByte(bytes[end]) { end += 1 }
            // A URN's parts ("urn:cen.eu:en16931:2017") are names, not anybody's web site.
            let urn = i >= 4 && bytes[i - 1] == 58 && bytes[max(0, i - 48)..<i].split(separator: 10).last?.contains(urnMark) == true
            if !urn, !labelsANumber(bytes, i, end), let host = host(bytes[i..<end]), !hosts.contains(host) { hosts.append(host) }
            i = end
        }
        return hosts
    }

    /// "Org.nr: 556677-8899", "Momsreg.nr SE556677889901": a word with a dot (`.nr` is Nauru's
    /// domain too) before an id, the next word holding a digit, is the id's label, not a web site;
    /// one written as an address (after `@`, `www.` or `//`) stays a host.
    static func labelsANumber(_ bytes: [UInt8], _ start: Int, _ end: Int) -> Bool {
        if start > 0, bytes[start - 1] == UInt8(ascii: "@") || bytes[start - 1] == UInt8(ascii: "/") { return false }
        if bytes[start..<end].starts(with: "www.".utf8) { return false }
        var j = end
        if j < bytes.count, bytes[j] == UInt8(ascii: ":") { j += 1 }
        while j < bytes.count, bytes[j] == 32 || bytes[j] == 9 { j += 1 }
        var k = j
        while k < bytes.count, bytes[k] > 32 { k += 1 }
        return bytes[j..<k].contains { $0 >= 48 && $0 <= 57 }
    }

    /// A run of host characters that is a domain: labels of letters, digits and hyphens, a
    /// top-level label of 2–6 letters that is not a file's extension.
    package static func host(_ run: ArraySlice<UInt8>) -> String? {
        var labels = run.split(separator: 46, omittingEmptySubsequences: false).map { String(decoding: $0, as: UTF8.self) }
        while labels.last == "" { labels.removeLast() }
        while labels.first == "" { labels.removeFirst() }
        guard labels.count >= 2, labels.allSatisfy({ !$0.isEmpty && !$0.hasPrefix("-") && !$0.hasSuffix("-") }),
            let tld = labels.last, (2...6).contains(tld.count), tld.utf8.allSatisfy({ $0 >= 97 && $0 <= 122 }), !notTLDs.contains(tld)
        else { return nil }
        if labels.first == "www" { labels.removeFirst() }
        let name = labels[labels.count - 2]
        guard labels.count >= 2, name.count >= 2, name.utf8.contains(where: { $0 >= 97 && $0 <= 122 }) else { return nil }
        return labels.joined(separator: ".")
    }
}

/// The day a document is dated: after an invoice-date label ("Invoice date", "Rechnungsdatum",
/// "Date de facture", "Rechnung Nr. 1 vom"), else after a plain "Date", else the first date at
/// its top. Numeric dates are read day first (`05.03.2018`, `13/11/2017`) unless the document is
/// American (`monthFirst`) or the numbers say otherwise.
package enum DocumentDate {
    static let invoiceDateLabels =
        [
            "invoice date", "date of invoice", "invoice issued", "date of issue", "issue date", "issued on", "billing date", "bill date",
            "receipt date", "date paid", "payment date", "rechnungsdatum", "belegdatum", "beleg-datum", "datum der rechnung",
            "date de facture", "date de la facture", "date d'emission", "date d’émission", "fecha de factura", "fecha de emision",
            "fecha de emisión", "data fattura", "data della fattura", "data de emissao", "data de emissão", "factuurdatum",
            "fakturadatum", "data wystawienia", "laskun paivamaara", "laskun päivämäärä", "請求日", "発行日", "开票日期", "발행일",
        ] + InvoiceTerms.issueDate
    static let plainDateLabels = [" vom ", "date", "datum", "dated", "fecha"]
    static let strongNeedles = Needles.of(invoiceDateLabels)
    static let plainNeedles = Needles.of(plainDateLabels)

    /// "Rechnung Nr. 471102 vom 05.03.2018", "Facture FA-1 du 5 mars 2026": the date after the
    /// document's own number, a dated heading (not a stylesheet's "Version 2.1 vom 01.07.2020").
    static let numberedDateLabels = [
        ("rechnung", " vom "), ("rechnung", " von "), ("gutschrift", " vom "), ("facture", " du "), ("invoice", " dated "),
    ]
    /// What follows a label of another document's date ("Date de facture associée": the invoice
    /// this one corrects).
    static let otherDayNeedles = NeedleSet([
        "next", "upcoming", "nächste", "nächstes", "prochaine", "próxima", "prossima", "volgende", "version", "versie", "stand",
    ])
    static let referencedNeedles = NeedleSet([" associ", " d'origine", " originale", " original", " preceding"])

    package static func of(_ text: String, monthFirst: Bool) -> String? {
        // PDFs often space their words with no-break spaces; labels are written with plain ones.
        let lines = text.split(separator: "\n", omittingEmptySubsequences: true).prefix(400).map {
            $0.replacingAll("\u{A0}", with: " ")
        }
        for line in lines {
            let lower = line.lowercased()
            for (word, label) in numberedDateLabels {
                guard let w = lower.utf8Range(of: word), let l = lower.utf8Range(of: label, from: w.upperBound) else { continue }
                if let day = firstDate(in: String(lower[l.upperBound...]), monthFirst: monthFirst) { return day }
            }
        }
        for (strong, needles) in [(true, strongNeedles), (false, plainNeedles)] {
            for (i, line) in lines.enumerated() {
                let lower = LowerText(line)
                for needle in needles {
                    guard let at = lower.find(needle) else { continue }
                    let rest = LowerText(lowered: Array(lower.bytes.dropFirst(at + needle.count).prefix(32)))
                    if rest.contains(any: referencedNeedles) { continue }
                    // "Next invoice date", a template's "Version 2.1 vom …": not the day this one is issued.
                    if LowerText(lowered: Array(lower.bytes[max(0, at - 16)..<at])).contains(any: otherDayNeedles) { continue }
                    let after = String(
                        decoding: lower.bytes.count == line.utf8.count ? Array(line.utf8.dropFirst(at)) : Array(line.utf8), as: UTF8.self)
                    if let day = firstDate(in: after, monthFirst: monthFirst) { return day }
                    if strong, i + 1 < lines.count,
                        let day = firstDate(in: lines[i + 1], monthFirst: monthFirst)
                    {
                        return day
                    }
                }
            }
        }
        return firstDate(in: String(text.prefix(3000)), monthFirst: monthFirst)
    }

    static let monthNames: [String: Int] = {
        var names: [String: Int] = [:]
        let lists: [[String]] = [
            ["january", "february", "march", "april", "may", "june", "july", "august", "september", "october", "november", "december"],
            ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"],
            ["januar", "februar", "märz", "april", "mai", "juni", "juli", "august", "september", "oktober", "november", "dezember"],
            ["jan", "feb", "mär", "apr", "mai", "jun", "jul", "aug", "sept", "okt", "nov", "dez"],
            ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre", "novembre", "décembre"],
            ["janv", "févr", "mars", "avr", "mai", "juin", "juil", "août", "sept", "oct", "nov", "déc"],
            ["enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto", "septiembre", "octubre", "noviembre", "diciembre"],
            [
                "gennaio", "febbraio", "marzo", "aprile", "maggio", "giugno", "luglio", "agosto", "settembre", "ottobre", "novembre",
                "dicembre",
            ],
            ["januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september", "oktober", "november", "december"],
            ["janeiro", "fevereiro", "março", "abril", "maio", "junho", "julho", "agosto", "setembro", "outubro", "novembro", "dezembro"],
            ["januari", "februari", "mars", "april", "maj", "juni", "juli", "augusti", "september", "oktober", "november", "december"],
            ["januar", "februar", "marts", "april", "maj", "juni", "juli", "august", "september", "oktober", "november", "desember"],
            [
                "stycznia", "lutego", "marca", "kwietnia", "maja", "czerwca", "lipca", "sierpnia", "września", "października", "listopada",
                "grudnia",
            ],
        ]
        for list in lists { for (i, n) in list.enumerated() where names[n] == nil { names[n] = i + 1 } }
        return names
    }()

    /// Dates as the expression `(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?!\d)
    /// |(?<!\d)(\d{1,2})([./-])(\d{1,2})\5(\d{4}|\d{2})(?!\d)
    /// |(?<!\d)(\d{1,2})\.?\s*([^\W\d_]{3,12})\.?,?\s+(\d{4})(?!\d)
    /// |([^\W\d_]{3,12})\.?\s+(\d{1,2})(?:st|nd|rd|th)?\s*,?\s+(\d{4})(?!\d)
    /// |(\d{4})年(\d{1,2})月(\d{1,2})日` found them (ICU's \d, \s and letters), matched by hand:
    /// each match's 16 groups, in order, not overlapping.
    static func dateMatches(in text: String) -> [[String?]] {
        DateScanner(text).all()
    }

    /// The first well-formed date in `text`, as YYYY-MM-DD.
    package static func firstDate(in text: String, monthFirst: Bool) -> String? {
        for m in dateMatches(in: text) {
            func group(_ i: Int) -> String? { m[i] }
            func number(_ i: Int) -> Int? { group(i).flatMap { Int($0) } }
            var ymd: (Int, Int, Int)?
            if let y = number(1), let mo = number(2), let d = number(3) {
                ymd = (y, mo, d)
            } else if let a = number(4), let b = number(6), var y = number(7) {
                if y < 100 { y += 2000 }
                let slash = group(5) == "/"
                let dayFirst = a > 12 || (b <= 12 && !(slash && monthFirst))
                ymd = dayFirst ? (y, b, a) : (y, a, b)
            } else if let d = number(8), let name = group(9), let y = number(10), let mo = monthNames[name.lowercased()] {
                ymd = (y, mo, d)
            } else if let name = group(11), let d = number(12), let y = number(13), let mo = monthNames[name.lowercased()] {
                ymd = (y, mo, d)
            } else if let y = number(14), let mo = number(15), let d = number(16) {
                ymd = (y, mo, d)
            }
            guard let (y, mo, d) = ymd, (1990...2100).contains(y), (1...12).contains(mo), (1...31).contains(d) else { continue }
            let day = String(cFormat: "%04d-%02d-%02d", y, mo, d)
            if Time.parseDay(day) != nil { return day }
        }
        return nil
    }
}
