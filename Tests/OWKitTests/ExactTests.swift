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

/// The one rounding rule (issue 31): amounts converted exactly, added, rounded once.
final class ExactTests: XCTestCase {
    func testRoundsOnceHalfToEven() {
        XCTAssertEqual(Exact(Rational(1, 2)).rounded, 0)
        XCTAssertEqual(Exact(Rational(3, 2)).rounded, 2)
        XCTAssertEqual(Exact(Rational(-3, 2)).rounded, -2)
        // Two thirds of a cent twice: 1.33 rounded once, where rounding each made 1.34.
        let third = Exact(Rational(2, 3))
        XCTAssertEqual((third + third).rounded, 1)
        XCTAssertEqual(third.rounded + third.rounded, 2)
    }

    func testConvertsAtARateAcrossExponents() throws {
        // 10.01 USD at 1 / 1.0921 EUR twice: 18.33 EUR, where each alone rounds to 9.17.
        let rate = Rational(10_000, 10_921)
        let one = try XCTUnwrap(Exact(minor: 1001).converted(at: rate, exponents: (2, 2)))
        XCTAssertEqual(one.rounded, 917)
        XCTAssertEqual((one + one).rounded, 1833)
        // 1,000 JPY (no minor unit) at 0.0061 EUR: 6.10 EUR.
        XCTAssertEqual(Exact(minor: 1000).converted(at: Rational(61, 10_000), exponents: (0, 2))?.rounded, 610)
    }

    func testABaseTotalKeepsWhatHadNoRateApartExactly() throws {
        let eur = try Currency.parse("EUR")
        let usd = try Currency.parse("USD")
        var total = BaseTotal(eur)
        try total.add(exact: Exact(Rational(1, 3)), original: .zero, in: eur)
        // Half a cent apart twice: one cent rounded once (each alone rounds to none).
        try total.add(exact: nil, original: Exact(Rational(1, 2)), in: usd)
        try total.add(exact: nil, original: Exact(Rational(1, 2)), in: usd)
        XCTAssertEqual(total.apart[usd], 1)
        XCTAssertEqual(total.minor, 0)
    }
}
