import XCTest
@testable import OWKit

final class MoneyTests: XCTestCase {
    let eur = try! Currency.parse("EUR")

    func parse(_ s: String) throws -> (Int64, String) {
        let p: MoneyParser.Parsed = try MoneyParser.parse(s, defaultCurrency: eur)
        return (p.minor, p.currency.code)
    }

    func testFormats() throws {
        let cases: [(String, Int64, String)] = [
            ("12.50", 1250, "EUR"), ("12.5 EUR", 1250, "EUR"), ("€12.50", 1250, "EUR"), ("1,234.56", 123456, "EUR"),
            ("1.234,56 EUR", 123456, "EUR"), ("1.234,56 €", 123456, "EUR"), ("EUR 12.00", 1200, "EUR"), ("12,00 EUR", 1200, "EUR"),
            ("$1,234.56", 123456, "USD"), ("£9", 900, "GBP"), ("¥12,000", 12000, "JPY"), ("₹ 999", 99900, "INR"), ("US$5", 500, "USD"),
            ("CHF 1'234.50", 123450, "CHF"), ("(12.00)", -1200, "EUR"), ("-€3.10", -310, "EUR"), ("1,234", 123400, "EUR"),
            ("12.000", 1200000, "EUR"), ("0,5", 50, "EUR"), (".99", 99, "EUR"), ("1 234,50 €", 123450, "EUR"), ("12.00-", -1200, "EUR"),
            ("1,234,567.89", 123456789, "EUR"), ("1.234.567", 123456700, "EUR"), ("12USD", 1200, "USD"), ("1.234 BHD", 1234, "BHD"),
        ]
        for (text, minor, code) in cases {
            let (m, c) = try parse(text)
            XCTAssertEqual(m, minor, text)
            XCTAssertEqual(c, code, text)
        }
    }

    func testRejects() {
        for bad in ["", "abc", "1.2.3,4", "12.345.6", "1,23,456", "€", "12.3456", "1e5", "EUR 12 USD", "99999999999999999999"] {
            XCTAssertThrowsError(try parse(bad), bad)
        }
    }

    func testPeriodsAndExactMonthly() throws {
        XCTAssertEqual(try Period.parse("yearly").chargesPerMonth, Rational(1, 12))
        XCTAssertEqual(try Period.parse("24m").chargesPerMonth, Rational(1, 24))
        XCTAssertEqual(try Period.parse("weekly").chargesPerMonth, Rational(13, 3))
        XCTAssertEqual(try Period.parse("one-off").chargesPerMonth, .zero)
        XCTAssertThrowsError(try Period.parse("0m"))
        // 100.00 a year, three licenses: exactly 25.00 a month, no drift from per-license rounding.
        let third = Rational(10000, 1) * Rational(1, 12)
        XCTAssertEqual((third + third + third).rounded, 2500)
        XCTAssertEqual(Rational(5, 2).rounded, 2)   // half to even
        XCTAssertEqual(Rational(7, 2).rounded, 4)
        XCTAssertEqual(Rational(-5, 2).rounded, -2)
    }

    func testRenewalRollsForward() throws {
        let monthly = Period.monthly
        let anchor = Time.parseDay("2026-01-31")!
        XCTAssertEqual(Time.day(monthly.next(from: anchor, onOrAfter: Time.parseDay("2026-03-01")!)), "2026-03-31")
        XCTAssertEqual(Time.day(monthly.next(from: anchor, onOrAfter: Time.parseDay("2026-01-15")!)), "2026-01-31")
        let weekly = try Period.parse("weekly")
        XCTAssertEqual(Time.day(weekly.next(from: Time.parseDay("2016-01-01")!, onOrAfter: Time.parseDay("2026-11-25")!)), "2026-11-27")
    }

    func testCSV() throws {
        let recs = try CSV.parse("\u{FEFF}a,b\r\n\"x,\"\"y\"\"\nz\",2\n\n3,\n")
        XCTAssertEqual(recs.map(\.fields), [["a", "b"], ["x,\"y\"\nz", "2"], ["3", ""]])
        XCTAssertEqual(recs.map(\.line), [1, 2, 5])
        XCTAssertThrowsError(try CSV.parse("a,\"b\n"))
        XCTAssertThrowsError(try CSV.parse("a,b\"c\n"))
    }
}
