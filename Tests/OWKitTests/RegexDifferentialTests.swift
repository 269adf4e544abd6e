import Foundation
import XCTest

@testable import OWKit

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
