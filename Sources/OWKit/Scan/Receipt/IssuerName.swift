import FoundationEssentials
import OWBase

/// The name of a document's issuer where the document states it in a principled place: after a
/// seller label ("Seller:", "Verkäufer:", "Fournisseur :"), else a line ending in a company's legal
/// form (GmbH, SAS, Ltd, B.V., 株式会社 …) in the letterhead or beside a VAT id. A recipient's block
/// ("Bill to", "Rechnungsempfänger", "Client") never names the issuer.
package enum IssuerName {
    /// Labels of the seller (EN 16931's BG-4 in the EU languages and their usual synonyms), lower case.
    static let sellerLabels = [
        "issuer", "issued by", "seller", "sold by", "vendor", "supplier", "verkäufer", "lieferant", "rechnungssteller",
        "leistungserbringer", "vendeur", "fournisseur", "émetteur", "emetteur", "fornitore", "cedente/prestatore", "cedente", "proveedor",
        "vendedor", "emisor", "fornecedor", "leverancier", "verkoper", "sprzedawca", "dodavatel", "prodávající", "säljare", "leverantör",
        "leverandør", "sælger", "selger", "myyjä", "toimittaja", "eladó", "furnizor", "販売者", "発行者",
    ]
    /// Labels of the recipient's block, lower case: the lines under one are the customer's.
    static let recipientLabels = [
        "bill to", "billed to", "invoice to", "invoiced to", "sold to", "ship to", "customer", "client", "buyer", "recipient",
        "rechnungsempfänger", "rechnungsadresse", "empfänger", "kunde", "käufer", "leistungsempfänger", "destinataire", "facturé à",
        "adresse de facturation", "acheteur", "cliente", "destinatario", "acquirente", "cessionario", "comprador", "klant", "afnemer",
        "nabywca", "odběratel", "kupující", "kund", "köpare", "kjøper", "køber", "asiakas", "ostaja", "vevő", "請求先", "ご請求先", "御中",
    ]
    /// Legal forms a company's name ends in, as printed.
    static let legalForms = [
        "GmbH & Co. KG", "GmbH", "gGmbH", "AG", "KG", "e.K.", "UG (haftungsbeschränkt)", "SE", "SA", "S.A.", "SAS", "S.A.S.", "SARL",
        "S.à r.l.", "S.à.r.l.", "SRL", "Ltd", "Ltd.", "Limited", "PLC", "plc", "LLC", "L.L.C.", "LLP", "Inc", "Inc.", "Corp.",
        "Corporation", "Pty Ltd", "BV", "B.V.", "NV", "N.V.", "AB", "AS", "ASA", "A/S", "ApS", "Oy", "Oyj", "S.p.A.", "SpA", "S.r.l.",
        "Srl", "S.L.", "SL", "Lda", "Lda.", "Sp. z o.o.", "s.r.o.", "a.s.", "spol. s r.o.", "Kft.", "Zrt.", "d.o.o.", "OÜ", "SIA",
        "UAB", "KK", "K.K.", "Co., Ltd.",
    ]
    /// A block's field that holds the name.
    static let nameFields = [
        "name", "firma", "company", "company name", "nom", "raison sociale", "ragione sociale", "razón social", "naam",
    ]
    static let japaneseForms = ["株式会社", "合同会社", "有限会社"]

    /// The issuer's name, or nil when the document states none where it may be trusted.
    package static func of(_ text: String) -> String? {
        let lines = text.prefix(20_000).split(separator: "\n", omittingEmptySubsequences: false).prefix(200).map {
            $0.replacingAll("\u{A0}", with: " ").trimmed(.whitespaces)
        }
        let recipient = recipientLines(lines)
        if let name = labelled(lines, recipient: recipient) { return name }
        // The letterhead: the first dozen lines with words.
        var seen = 0
        for (i, line) in lines.enumerated() where !line.isEmpty && seen < 12 {
            seen += 1
            if !recipient.contains(i), let name = legalName(in: line) { return name }
        }
        // Beside a VAT id (a footer's "Acme GmbH · USt-IdNr. DE…", or the lines around it).
        for (i, line) in lines.enumerated() where !TaxRegime.vatIDs(in: Substring(line)).isEmpty {
            for j in max(0, i - 2)...min(lines.count - 1, i + 2) where !recipient.contains(j) {
                if let name = legalName(in: lines[j]) { return name }
            }
        }
        return nil
    }

    /// The label that starts `line` (followed by nothing, a colon or, unless `colon`, a space), among `labels`.
    package static func label(_ line: String, among labels: [String], colon: Bool = false) -> String? {
        let lower = line.lowercased()
        return labels.first { l in
            guard lower.hasPrefix(l) else { return false }
            let rest = lower.dropFirst(l.count).drop(while: { $0 == " " })
            return rest.isEmpty || rest.first == ":" || (!colon && lower.dropFirst(l.count).first == " ")
        }
    }

    /// Lines of recipients' blocks: a recipient label's line and the (at most three) under it, to a
    /// blank line or the next labelled field.
    static func recipientLines(_ lines: [String]) -> Set<Int> {
        var out = Set<Int>()
        for (i, line) in lines.enumerated() where label(line, among: recipientLabels) != nil {
            out.insert(i)
            for j in (i + 1)..<min(lines.count, i + 4) {
                if lines[j].isEmpty || lines[j].contains(":") || label(lines[j], among: sellerLabels) != nil { break }
                out.insert(j)
            }
        }
        return out
    }

    /// The name after a seller label, on its line or the next.
    static func labelled(_ lines: [String], recipient: Set<Int>) -> String? {
        for (i, line) in lines.enumerated() where !recipient.contains(i) {
            guard let l = label(line, among: sellerLabels, colon: true) else { continue }
            let value = String(line.unicodeScalars.dropFirst(l.unicodeScalars.count)).trimmed(ScalarSet(charactersIn: " :/\t"))
            if !value.isEmpty { return clean(segments(value).first ?? "") }
            // A label alone heads a block: its name is the first line that is no other field, or its "Name:" field.
            for next in lines.dropFirst(i + 1).prefix(4) where !next.isEmpty {
                if let field = label(next, among: nameFields, colon: true) {
                    return clean(String(next.unicodeScalars.dropFirst(field.unicodeScalars.count)).trimmed(ScalarSet(charactersIn: " :\t")))
                }
                if !next.contains(":") { return clean(segments(next).first ?? "") }
            }
        }
        return nil
    }

    /// The part of a line ending in a legal form ("Acme GmbH · Hauptstraße 5 · Berlin" → "Acme GmbH").
    static func legalName(in line: String) -> String? {
        guard !line.contains(":"), label(line, among: recipientLabels) == nil else { return nil }
        for segment in segments(line) {
            if japaneseForms.contains(where: { segment.includes($0) }), let name = clean(segment) { return name }
            for form in legalForms where segment.hasSuffix(" " + form) || segment.hasSuffix(" " + form.uppercased()) {
                if let name = clean(segment) { return name }
            }
        }
        return nil
    }

    /// A line's parts: cut at " · ", " | ", " – ", tabs and wide gaps, and at commas unless what follows is a legal form ("Acme, Inc.").
    static func segments(_ line: String) -> [String] {
        var parts = [line]
        for cut in [" · ", " • ", " | ", " – ", " - ", "\t", "   "] {
            parts = parts.flatMap { $0.components(separatedBy: cut) }
        }
        var out: [String] = []
        for part in parts.flatMap({ $0.components(separatedBy: ", ") }).map({ $0.trimmed(.whitespaces) }) where !part.isEmpty {
            if let last = out.last, legalForms.contains(part) || legalForms.contains(where: { part.hasPrefix($0 + " ") && $0.count > 3 }) {
                out[out.count - 1] = last + ", " + part
            } else {
                out.append(part)
            }
        }
        return out
    }

    /// A plausible company name: letters, not an address or a sentence, at most 80 characters and 8 words.
    package static func clean(_ raw: String) -> String? {
        let name = raw.trimmed(ScalarSet(charactersIn: " \t\"'“”«»,;"))
        let words = name.split(separator: " ")
        guard (2...80).contains(name.count), words.count <= 8, name.contains(where: \.isLetter), !name.includes("@"),
            !name.includes("://"), !name.hasPrefix("www."), name.first.map({ !$0.isNumber }) ?? false,
            // "Powered by Stripe, Inc.": a processor's footer names the processor, not the issuer.
            words.allSatisfy({ !ProcessorMerchant.brands.contains($0.lowercased().trimmed(ScalarSet(charactersIn: ",."))) })
        else { return nil }
        return name
    }
}
