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
            ("12.000", 1_200_000, "EUR"), ("0,5", 50, "EUR"), (".99", 99, "EUR"), ("1 234,50 €", 123450, "EUR"), ("12.00-", -1200, "EUR"),
            ("1,234,567.89", 123_456_789, "EUR"), ("1.234.567", 123_456_700, "EUR"), ("12USD", 1200, "USD"), ("1.234 BHD", 1234, "BHD"),
            ("0.125 BHD", 125, "BHD"), ("0,500 BHD", 500, "BHD"),
        ]
        for (text, minor, code) in cases {
            let (m, c) = try parse(text)
            XCTAssertEqual(m, minor, text)
            XCTAssertEqual(c, code, text)
        }
    }

    /// Typed amounts: a lone separator before three digits is refused where it could be thousands or decimals.
    func testTypedAmountsRefuseWhatCouldBeEither() throws {
        for ambiguous in ["12.345", "1,234", "12.000", "€1.500"] {
            XCTAssertThrowsError(try MoneyParser.parseTyped(ambiguous, defaultCurrency: eur), ambiguous)
        }
        let plain: [(String, Int64)] = [("12.35", 1235), ("1,234.50", 123_450), ("1.234,50", 123_450), ("12345", 1_234_500), ("0,5", 50)]
        for (text, minor) in plain { XCTAssertEqual(try MoneyParser.parseTyped(text, defaultCurrency: eur).minor, minor, text) }
        XCTAssertEqual(try MoneyParser.parseTyped("1.234 BHD", defaultCurrency: eur).minor, 1234)
        XCTAssertEqual(try MoneyParser.parseTyped("¥12,000", defaultCurrency: eur).minor, 12000)
    }

    func testRejects() {
        // A leading 0 is never a group of thousands: "0.125" EUR has three decimals, not the value 125.
        for bad in [
            "", "abc", "1.2.3,4", "12.345.6", "1,23,456", "€", "12.3456", "1e5", "EUR 12 USD", "99999999999999999999", "0.125", "0,125",
        ] {
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
        XCTAssertEqual(Rational(5, 2).rounded, 2)  // half to even
        XCTAssertEqual(Rational(7, 2).rounded, 4)
        XCTAssertEqual(Rational(-5, 2).rounded, -2)
    }

    /// Per-person shares of many licenses: cost ÷ seats for seat counts 1…300. The exact common
    /// denominator outgrows 64 bits; the sum must still round as the exact one does (Python's Fraction).
    func testSharesBeyondSixtyFourBits() {
        var sum = Rational.zero
        for k in 1...300 { sum += Rational(123_457, 12) * Rational(1, Int64(k)) }
        XCTAssertEqual(sum.rounded, 64_637)
        var negative = Rational.zero
        for k in 1...100 { negative += Rational(-99_999, 13) * Rational(1, Int64(k)) }
        XCTAssertEqual(negative.rounded, -39_903)
        // Small sums stay exact.
        XCTAssertEqual(Rational(1, 3) + Rational(1, 6), Rational(1, 2))
    }

    func testDecimalText() throws {
        let jpy = try Currency.parse("JPY")
        let bhd = try Currency.parse("BHD")
        let cases: [(Int64, Currency, String)] = [
            (0, eur, "0.00"), (5, eur, "0.05"), (-5, eur, "-0.05"), (1250, eur, "12.50"), (-123456, eur, "-1234.56"), (100, eur, "1.00"),
            (0, jpy, "0"), (12000, jpy, "12000"), (-7, jpy, "-7"), (1, bhd, "0.001"), (1234, bhd, "1.234"),
            (Int64.max, eur, "92233720368547758.07"), (Int64.min, eur, "-92233720368547758.08"), (Int64.min, jpy, "-9223372036854775808"),
        ]
        for (minor, currency, text) in cases {
            XCTAssertEqual(Money(minor: minor, currency: currency).decimal, text)
        }
    }

    func testDayAndTimestampText() {
        XCTAssertEqual(Time.day(Time.parseDay("2026-02-28")!), "2026-02-28")
        XCTAssertEqual(Time.day(Date(timeIntervalSince1970: 0)), "1970-01-01")
        XCTAssertEqual(Time.rfc3339(Date(timeIntervalSince1970: 1_795_000_000)), "2026-11-18T11:06:40Z")
        XCTAssertEqual(Time.rfc3339(Date(timeIntervalSince1970: -1)), "1969-12-31T23:59:59Z")
        XCTAssertEqual(Time.day(Time.parseDay("0001-01-01")!), "0001-01-01")
        XCTAssertEqual(Time.day(Time.parseDay("9999-12-31")!), "9999-12-31")
        // Beyond four digits the slow path still writes the year in full.
        XCTAssertEqual(Time.day(Date(timeIntervalSince1970: 253_402_300_800)), "10000-01-01")
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
        XCTAssertEqual(try CSV.parse("a,b\"c\n").map(\.fields), [["a", "b\"c"]])  // as Python's csv reads it
    }

    func testMoneyDecimalUsesCurrencyExponent() throws {
        let eur = try Currency.parse("eur")
        let jpy = try Currency.parse("JPY")
        let bhd = try Currency.parse("BHD")
        XCTAssertEqual(Money(minor: 1250, currency: eur).decimal, "12.50")
        XCTAssertEqual(Money(minor: -5, currency: eur).decimal, "-0.05")
        XCTAssertEqual(Money(minor: 12000, currency: jpy).decimal, "12000")
        XCTAssertEqual(Money(minor: 1234, currency: bhd).decimal, "1.234")
        XCTAssertEqual(Money(minor: 123_456_789, currency: eur).display, "1,234,567.89 EUR")
        XCTAssertThrowsError(try Currency.parse("XYZ"))
    }
}

final class RatesTests: XCTestCase {
    func testRateTextIsExactAndBounded() throws {
        XCTAssertEqual(try ExchangeRates.parseRate("1.0921"), Rational(10921, 10000))
        XCTAssertEqual(try ExchangeRates.parseRate("158"), Rational(158, 1))
        for bad in ["", "-1", "0", "1.2.3", "abc", "1e3", "0.0000000001", "0.00000000000000001", "12345678901", "999999999999999999"] {
            XCTAssertThrowsError(try ExchangeRates.parseRate(bad), bad)
        }
    }

    func testConversionRoundsHalfToEvenAcrossExponents() {
        // 1 USD = 150.5 JPY: 1.00 USD is 150.5 → 150 (half to even), 3.00 USD is 451.5 → 452.
        XCTAssertEqual(ExchangeRates.apply(Rational(301, 2), to: 100, exponents: (2, 0)), 150)
        XCTAssertEqual(ExchangeRates.apply(Rational(301, 2), to: 300, exponents: (2, 0)), 452)
        // 1,000 JPY at 0.0062 USD is 6.20 USD.
        XCTAssertEqual(ExchangeRates.apply(Rational(62, 10000), to: 1000, exponents: (0, 2)), 620)
        // Far beyond what owatch keeps: nil, never a trap.
        XCTAssertNil(ExchangeRates.apply(Rational(1_000_000_000, 1), to: Int64.max / 2, exponents: (0, 3)))
    }
}
