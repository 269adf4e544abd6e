import Foundation
import XCTest

@testable import OWCore
@testable import OWOffice
@testable import OWReaders

/// `InvoiceNumberScanner` against the expression it replaced: the same anchored matches, numbers and ends.
extension RegexDifferentialTests {
    /// The expression `ReceiptReader.invoiceNumber` matched with until the scanner replaced it (the reference).
    nonisolated(unsafe) static let invoicePattern = try! Regex(
        #"(?i)(?:(?:n°|nº|no\.?|num[ée]ro|número)\s*(?:de\s+|di\s+|da\s+)?(?:la\s+)?(?:facture|factura|fattura|fatura)|invoice|receipt|rechnung|gutschrift|facture|avoir|factura|fattura|fatura|factuur|faktura|laskun?|credit note|order|transaction|請求書|bestellung|bestell|bestel|commande|pedido|ordine)(?:\p{L}*(?:\s+\(?\p{L}+\)?){0,3}\s*\(\d{3}\))?\s*(?:(?:number|no\.?|nr\.?|n°|nº|#|id|s?nummer|s?nr\.?|número|numero|番号)\s*(?:[:#.]\s*){0,2}([A-Z0-9][A-Z0-9\-_/.]{3,}|\d{2,3}(?![\d.,]))|[:#.]?\s*([A-Z0-9][A-Z0-9\-_/.]{3,}))"#
    ).matchingSemantics(.unicodeScalar).wordBoundaryKind(.simple)

    /// NSRegularExpression's `.anchored` matches: the first at the start, each next where the last ended.
    static func anchoredMatches(of pattern: Regex<AnyRegexOutput>, in text: String) -> [Regex<AnyRegexOutput>.Match] {
        var out: [Regex<AnyRegexOutput>.Match] = []
        var from = text.startIndex
        while let m = try? pattern.prefixMatch(in: text[from...]) {
            out.append(m)
            guard m.range.upperBound > from else { break }
            from = m.range.upperBound
        }
        return out
    }

    /// The expression's matches as the scanner reports them, in scalar offsets.
    func invoiceByExpression(_ text: String) -> [InvoiceNumberScanner.Match] {
        let scalars = text.unicodeScalars
        func offset(_ i: String.Index) -> Int { scalars.distance(from: scalars.startIndex, to: i) }
        return Self.anchoredMatches(of: Self.invoicePattern, in: text).map { m in
            let first = m.output[1].range
            let group = (first ?? m.output[2].range)!
            return .init(end: offset(m.range.upperBound), number: offset(group.lowerBound)..<offset(group.upperBound), first: first != nil)
        }
    }

    func assertInvoiceMatchesAgree(_ text: String, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(InvoiceNumberScanner(text).matches(), invoiceByExpression(text), text.debugDescription, file: file, line: line)
    }

    /// A word as documents write it: each letter kept, upper-cased or a look-alike the case rules treat apart.
    static func disguised(_ word: String, using rng: inout SystemRandomNumberGenerator) -> String {
        let lookAlikes: [Character: [String]] = [
            "k": ["\u{212A}"], "s": ["ſ"], "i": ["ı", "İ"], "e": ["é", "É", "e\u{301}"], "é": ["e", "E"], "ú": ["u", "Ú"], "a": ["ª"],
            "o": ["º"],
        ]
        return word.map { (c: Character) -> String in
            switch Int.random(in: 0..<10, using: &rng) {
            case 0..<6: return String(c)
            case 6..<9: return c.uppercased()
            default: return lookAlikes[c]?.randomElement(using: &rng) ?? String(c)
            }
        }.joined()
    }

    func testInvoiceNumberScannerMatchesTheExpressionOnGeneratedText() {
        let labels = [
            "invoice", "receipt", "rechnung", "rechnungsnummer", "gutschrift", "n°", "nº", "no.", "no", "numéro", "numero", "número",
            "n° de la facture", "no de facture", "número da fatura", "numero di fattura", "nº de la factura", "facture", "factura",
            "fattura",
            "fatura", "factuur", "factuurnummer", "faktura", "order", "ordine", "transaction", "credit note", "laskun", "lasku", "請求書",
            "bestellung", "bestell", "bestel", "commande", "pedido", "avoir", "de ", "la ",
        ]
        let codes = ["", "", "", " (123)", "(123)", "s (123)", " a (123)", " a b c (123)", " a b c d (123)", " (abc) (123)", " (一二三)", "x"]
        let keywords = [
            "", "", "number", "no.", "no", "nr.", "nr", "n°", "nº", "#", "id", "snummer", "nummer", "snr.", "snr", "número", "numero",
            "番号",
        ]
        let rest = [
            " ", "  ", "\n", "\t", "\u{A0}", "\u{2003}", "\u{85}", ":", "#", ".", ",", "(", ")", "-", "_", "/", "123", "12", "1", "0",
            "4711",
            "AB-12/3", "INV-2024-001", "x", "abc", "Ä", "ß", "²", "٣", "١٢٣", "１２", "一二三", "(一二三)", "(123)", "(abc)", "Ⅻ", "日", "𝟙𝟚",
            "👍🏽",
        ]
        var rng = SystemRandomNumberGenerator()
        for round in 0..<40000 {
            var text = ""
            for _ in 0..<(round % 100 == 0 ? Int.random(in: 5...30, using: &rng) : Int.random(in: 1...3, using: &rng)) {
                text += Self.disguised(labels.randomElement(using: &rng)!, using: &rng) + codes.randomElement(using: &rng)!
                for _ in 0..<Int.random(in: 0...2, using: &rng) { text += rest.randomElement(using: &rng)! }
                text += Self.disguised(keywords.randomElement(using: &rng)!, using: &rng)
                for _ in 0..<Int.random(in: 0...4, using: &rng) { text += rest.randomElement(using: &rng)! }
            }
            assertInvoiceMatchesAgree(text)
        }
    }

    /// Long runs the scanner must walk the way the expression backtracks through them.
    func testInvoiceNumberScannerMatchesTheExpressionOnLongText() {
        for text in [
            "Invoice" + String(repeating: " ", count: 200) + "A1234", "Invoice" + String(repeating: "a", count: 200) + " (123) no 12",
            "N°" + String(repeating: " ", count: 100) + "de" + String(repeating: " ", count: 100) + "facture 12345",
            "order " + String(repeating: "x (abc) ", count: 30) + "(123)", "Invoice a b c (123) #: :77", "Invoice a b c d (123) 4444",
            "Invoice (一二三) (四五六) nr 12", "Rechnung " + String(repeating: "1", count: 300), "Invoice:" + String(repeating: ".", count: 100),
        ] {
            assertInvoiceMatchesAgree(text)
        }
    }

    /// Every window `invoiceNumber` scans in the corpus's texts, and every line that names an invoice.
    func testInvoiceNumberScannerMatchesTheExpressionOnTheCorpus() {
        var windows = Set<String>()
        for text in Self.corpusTexts {
            let bytes = Array(text.utf8)
            for at in ReceiptReader.invoiceLabels(in: LowerText(asciiFolding: bytes[...])) {
                windows.insert(ReceiptReader.invoiceWindow(bytes, at: at))
            }
        }
        XCTAssertGreaterThan(windows.count, 500)
        var matched = 0
        for window in windows {
            assertInvoiceMatchesAgree(window)
            if !invoiceByExpression(window).isEmpty { matched += 1 }
        }
        XCTAssertGreaterThan(matched, 100)
    }
}
