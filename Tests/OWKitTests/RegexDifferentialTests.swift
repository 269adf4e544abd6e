import Foundation
import XCTest

@testable import OWCore
@testable import OWIdentity
@testable import OWKit
@testable import OWOffice
@testable import OWRemote
@testable import OWReports

/// The hand-written matchers against the ICU expressions (NSRegularExpression) they replaced.
final class RegexDifferentialTests: XCTestCase {
    static let datePattern = try! NSRegularExpression(
        pattern:
            #"(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?!\d)|(?<!\d)(\d{1,2})([./-])(\d{1,2})\5(\d{4}|\d{2})(?!\d)|(?<!\d)(\d{1,2})\.?\s*([^\W\d_]{3,12})\.?,?\s+(\d{4})(?!\d)|([^\W\d_]{3,12})\.?\s+(\d{1,2})(?:st|nd|rd|th)?\s*,?\s+(\d{4})(?!\d)|(\d{4})年(\d{1,2})月(\d{1,2})日"#
    )

    func icuDates(_ text: String) -> [[String?]] {
        let ns = text as NSString
        return Self.datePattern.matches(in: text, range: NSRange(location: 0, length: ns.length)).map { m in
            (0...16).map { i in i == 0 ? nil : m.range(at: i).location == NSNotFound ? nil : ns.substring(with: m.range(at: i)) }
        }
    }

    func testDatesMatchAsICUDid() {
        let pieces = [
            "2024", "12", "3", "05", "123", "20245", "-", "/", ".", ",", " ", "  ", "\u{A0}", "\t", "\n", "March", "mars", "Mär", "Sept",
            "Supercalifragilistic", "st", "nd", "th", "年", "月", "日", "x", "_", "é", "e\u{301}", "٣", "１", "Q", ", ",
        ]
        var rng = SystemRandomNumberGenerator()
        for _ in 0..<20000 {
            var text = ""
            for _ in 0..<Int.random(in: 1...12, using: &rng) { text += pieces.randomElement(using: &rng)! }
            XCTAssertEqual(
                DocumentDate.dateMatches(in: text).map { $0.map { $0 ?? "∅" } }, icuDates(text).map { $0.map { $0 ?? "∅" } },
                text.debugDescription)
        }
        for text in [
            "Rechnung Nr. 471102 vom 05.03.2018", "Facture FA-1 du 5 mars 2026", "March 5th, 2024", "2026年3月5日", "12/03/24 and 2024-1-2",
        ] {
            XCTAssertEqual(
                DocumentDate.dateMatches(in: text).map { $0.map { $0 ?? "∅" } }, icuDates(text).map { $0.map { $0 ?? "∅" } }, text)
        }
    }
}

extension RegexDifferentialTests {
    static let icuAmount = try! NSRegularExpression(
        pattern:
            #"(?:(?:US\$|CA\$|A\$|AU\$|NZ\$|HK\$|S\$|R\$|Rs\.?|[A-Z]{3})\s?|[$€£¥₹￥]\s?)?-?\d[\d.,' \u00A0]*\d(?:\s?(?:[€$£¥₹]|[A-Z]{3}\b|円|zł|kr\b))?|(?:[$€£¥₹]\s?)\d+"#
    )
    static let icuInvoice = try! NSRegularExpression(
        pattern:
            #"(?i)(?:(?:n°|nº|no\.?|num[ée]ro|número)\s*(?:de\s+|di\s+|da\s+)?(?:la\s+)?(?:facture|factura|fattura|fatura)|invoice|receipt|rechnung|gutschrift|facture|avoir|factura|fattura|fatura|factuur|faktura|laskun?|credit note|order|transaction|請求書)(?:\p{L}*(?:\s+\(?\p{L}+\)?){0,3}\s*\(\d{3}\))?\s*(?:(?:number|no\.?|nr\.?|n°|nº|#|id|s?nummer|s?nr\.?|número|numero|番号)\s*(?:[:#.]\s*){0,2}([A-Z0-9][A-Z0-9\-_/.]{3,}|\d{2,3}(?![\d.,]))|[:#.]?\s*([A-Z0-9][A-Z0-9\-_/.]{3,}))"#
    )

    func testAmountsMatchAsICUDid() {
        let pieces = [
            "EUR", "USD", "US$", "A$", "Rs.", "Rs", "$", "€", "£", "¥", "₹", "￥", "円", "zł", "kr", "kroner", " ", "\u{A0}", "-", "1", "12",
            "0",
            ",", ".", "'", "x", "Total", "VAT", "ABCD", "\n", "é", "٣",
        ]
        var rng = SystemRandomNumberGenerator()
        for _ in 0..<20000 {
            var text = ""
            for _ in 0..<Int.random(in: 1...14, using: &rng) { text += pieces.randomElement(using: &rng)! }
            let ns = text as NSString
            let icu = Self.icuAmount.matches(in: text, range: NSRange(location: 0, length: ns.length)).map { ns.substring(with: $0.range) }
            let mine = text.matches(of: ReceiptReader.amountPattern).map { String(text.unicodeScalars[$0.range]) }
            XCTAssertEqual(mine, icu, text.debugDescription)
        }
    }

    func testInvoiceNumbersMatchAsICUDid() {
        let pieces = [
            "Invoice", "INVOICE", "invoice", "Receipt", "Rechnung", "Rechnungsnummer", "N°", "nº", "No.", "no", "Numéro", "número", "de ",
            "la ",
            "facture", "Factura", "order", "Laskun", "請求書", "番号", " ", "  ", "\n", ":", "#", ".", "(", ")", "123", "12", "1", "AB-12/3",
            "INV-2024-001", "nr.", "snummer", "id", "number", "x", "Ä", "ß", "İ",
        ]
        var rng = SystemRandomNumberGenerator()
        for _ in 0..<20000 {
            var text = ""
            for _ in 0..<Int.random(in: 1...10, using: &rng) { text += pieces.randomElement(using: &rng)! }
            let ns = text as NSString
            let icu = Self.icuInvoice.matches(in: text, options: [.anchored], range: NSRange(location: 0, length: ns.length)).map { m in
                [1, 2].map { m.range(at: $0).location == NSNotFound ? "∅" : ns.substring(with: m.range(at: $0)) }
            }
            let mine = ReceiptReader.anchoredMatches(of: ReceiptReader.invoicePattern, in: text).map { m in
                [1, 2].map { (i: Int) -> String in m.output[i].range.map { String(text.unicodeScalars[$0]) } ?? "∅" }
            }
            XCTAssertEqual(mine, icu, text.debugDescription)
        }
    }
}
