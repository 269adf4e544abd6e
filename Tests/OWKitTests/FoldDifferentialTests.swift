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

/// `Fold.diacriticsAndCase` against Foundation's folding, which it replaced.
final class FoldDifferentialTests: XCTestCase {
    func foundation(_ s: String) -> String {
        s.folding(options: [.diacriticInsensitive, .caseInsensitive], locale: Locale(identifier: "en_US_POSIX"))
    }

    func testEveryScalarAloneAndAfterALetter() {
        var misses = 0
        for v in 0..<0x30000 {
            guard let u = Unicode.Scalar(v) else { continue }
            for s in [String(u), "a" + String(u), String(u) + "b"] where Fold.diacriticsAndCase(s) != foundation(s) {
                misses += 1
                if misses < 200 {
                    XCTFail(
                        "\(String(v, radix: 16)) in \(s.unicodeScalars.map { $0.value }): \(Fold.diacriticsAndCase(s).unicodeScalars.map { $0.value }) vs \(foundation(s).unicodeScalars.map { $0.value })"
                    )
                }
            }
        }
        XCTAssertEqual(misses, 0)
    }

    func testNames() {
        for s in ["Zoë.Lefèvre", "STRASSE ß", "İstanbul", "e\u{301}", "a\u{308}\u{301}", "ŁÓDŹ", "Øresund", "Σσς", "José Núñez", "Dvořák"] {
            XCTAssertEqual(Fold.diacriticsAndCase(s), foundation(s), s)
        }
    }
}
