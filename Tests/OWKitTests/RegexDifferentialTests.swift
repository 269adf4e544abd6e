import Foundation
import XCTest

@testable import OWChannel
@testable import OWCore
@testable import OWIdentity
@testable import OWKit
@testable import OWOffice
@testable import OWReaders
@testable import OWReports
@testable import OWRequests
@testable import OWScan

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
            let mine = Self.anchoredMatches(of: Self.invoicePattern, in: text).map { m in
                [1, 2].map { (i: Int) -> String in m.output[i].range.map { String(text.unicodeScalars[$0]) } ?? "∅" }
            }
            XCTAssertEqual(mine, icu, text.debugDescription)
        }
    }
}

/// `AmountMatcher` against the expression it replaced (`ReceiptReader.amountPattern`): same matches, same order.
extension RegexDifferentialTests {
    func byHand(_ text: String) -> [String] {
        let scalars = Array(text.unicodeScalars)
        return AmountMatcher.ranges(in: scalars).map { String(String.UnicodeScalarView(scalars[$0])) }
    }

    func byExpression(_ text: String) -> [String] {
        text.matches(of: ReceiptReader.amountPattern).map { String(text.unicodeScalars[$0.range]) }
    }

    func testAmountMatcherMatchesTheExpressionOnGeneratedText() {
        let pieces = [
            "EUR", "USD", "US$", "CA$", "A$", "AU$", "NZ$", "HK$", "S$", "R$", "Rs.", "Rs", "R", "s", "$", "€", "£", "¥", "₹", "￥", "円",
            "zł",
            "z", "kr", "kroner", "k", " ", "  ", "\u{A0}", "\t", "\n", "\u{0B}", "\u{0C}", "\r", "\u{85}", "\u{2003}", "\u{3000}", "\u{1C}",
            "-", "--", "1", "12", "0", "9", "123", ",", ".", "'", "x", "_", "Total", "VAT", "ABCD", "AB", "A", "é", "e\u{301}", "\u{301}",
            "٣", "１", "٣٤", "߀", "\u{200C}", "\u{200D}", "\u{200B}", "ⅷ", "²", "Ⅻ", "ß", "İ", "日", "👍🏽", "🇩🇪",
        ]
        var rng = SystemRandomNumberGenerator()
        for _ in 0..<40000 {
            var text = ""
            for _ in 0..<Int.random(in: 1...16, using: &rng) { text += pieces.randomElement(using: &rng)! }
            XCTAssertEqual(byHand(text), byExpression(text), text.debugDescription)
        }
    }

    /// The texts of the corpus's documents as `scan` reads them (the held-back parts are not opened) and of the examples.
    /// Read once per test process: the amount and invoice-number tests both go over them (~9 s of a debug build each).
    static let corpusTexts: [String] = readCorpusTexts()

    static func readCorpusTexts() -> [String] {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        var texts: [String] = []
        for folder in ["Tests/corpus/pdf", "Tests/corpus/dev", "Tests/corpus/einvoice", "examples/mail"] {
            let dir = root.appendingPathComponent(folder)
            for name in (try? FileManager.default.contentsOfDirectory(atPath: dir.path)) ?? [] {
                guard let data = FileManager.default.contents(atPath: dir.appendingPathComponent(name).path) else { continue }
                let bytes = [UInt8](data)
                let message =
                    PDFText.isPDF(bytes)
                    ? try? MIME.parse(StandaloneDocument.pdfMessage(bytes, name: name))
                    : try? MIME.parse(StandaloneDocument.xmlMessage(bytes, name: name) ?? bytes)
                // A PDF's own bytes are compressed streams: its text is what `scan` reads.
                if !PDFText.isPDF(bytes) { texts.append(String(decoding: bytes, as: UTF8.self)) }
                if let message { texts.append(message.subject + "\n" + message.readableText) }
            }
        }
        return texts
    }

    /// Every line of the corpus's documents as `scan inspect` reads them and of the examples.
    func testAmountMatcherMatchesTheExpressionOnTheCorpus() throws {
        let texts = Self.corpusTexts
        XCTAssertGreaterThan(texts.count, 100)
        // Each distinct line once; a line of ASCII with no digit has no amount either way.
        var lines = Set<Substring>()
        for text in texts {
            for line in text.split(separator: "\n")
            where line.utf8.count < 4000 && line.utf8.contains(where: { $0 >= 0x80 || ($0 >= 48 && $0 <= 57) }) {
                lines.insert(line)
            }
            if text.utf8.count < 20_000 { XCTAssertEqual(byHand(text), byExpression(text)) }
        }
        for line in lines { XCTAssertEqual(byHand(String(line)), byExpression(String(line)), String(line).debugDescription) }
        XCTAssertGreaterThan(lines.count, 5000)
    }
}
