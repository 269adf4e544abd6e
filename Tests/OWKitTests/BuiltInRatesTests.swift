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

/// The ECB rates built into owatch (their agreement with an independent copy, every day and
/// currency, is Tests/e2e/test_rate.py's).
final class BuiltInRatesTests: XCTestCase {
    func testTheEmbeddedDataDecodesWhole() throws {
        let t = try XCTUnwrap(BuiltInRates.table)
        XCTAssertEqual(t.days.count, BuiltInRates.dayCount)
        XCTAssertEqual(t.codes.count, BuiltInRates.currencyCount)
        XCTAssertEqual(t.codes.joined(separator: " "), BuiltInRates.currencyCodes)
        XCTAssertEqual(Time.day(days: t.days[0], time: nil), BuiltInRates.firstDay)
        XCTAssertEqual(Time.day(days: t.days[t.days.count - 1], time: nil), BuiltInRates.lastDay)
        XCTAssertEqual(BuiltInRates.firstDay, "1999-01-04")
        XCTAssertTrue(zip(t.days, t.days.dropFirst()).allSatisfy { $0 < $1 })
        // The first day's rates, as the ECB published them.
        XCTAssertEqual(BuiltInRates.eur("USD", on: "1999-01-04")?.rate, Rational(11789, 10000))
        XCTAssertEqual(BuiltInRates.eur("JPY", on: "1999-01-04")?.rate, Rational(13373, 100))
        XCTAssertEqual(BuiltInRates.eur("GBP", on: "1999-01-04")?.rate, Rational(7111, 10000))
        XCTAssertNotNil(BuiltInRates.eur("USD", on: BuiltInRates.lastDay))
    }

    func testADayUsesItsRateOrTheLastPublicationOfTheWeekBefore() throws {
        XCTAssertEqual(BuiltInRates.eur("USD", on: "2024-03-09")?.day, "2024-03-08")  // a Saturday: Friday's
        XCTAssertEqual(BuiltInRates.eur("USD", on: "2024-03-08")?.day, "2024-03-08")
        XCTAssertNil(BuiltInRates.eur("USD", on: "1999-01-03"))  // before the euro
        XCTAssertNil(BuiltInRates.eur("ISK", on: "2012-06-01"))  // not quoted from 2008 to 2018
        XCTAssertNotNil(BuiltInRates.eur("ISK", on: "2008-12-01"))
        XCTAssertNil(BuiltInRates.eur("AED", on: "2020-06-01"))  // never quoted
        XCTAssertNil(BuiltInRates.eur("USD", on: "2999-01-01"))
        XCTAssertNil(BuiltInRates.eur("USD", on: "not a day"))
        // Either way round; after the last day, the last rate marked `after` (it converts nothing).
        let inverse = try XCTUnwrap(BuiltInRates.quote("USD", "EUR", on: "1999-01-04"))
        XCTAssertEqual(inverse.rate, Rational(10000, 11789))
        XCTAssertFalse(inverse.after)
        let after = try XCTUnwrap(BuiltInRates.quote("EUR", "USD", on: "2999-01-01"))
        XCTAssertTrue(after.after)
        XCTAssertEqual(after.day, BuiltInRates.lastDay)
        XCTAssertNil(BuiltInRates.quote("USD", "GBP", on: "2010-01-04"))  // cross rates go through EUR (ExchangeRates)
    }

    func testRatesReadBackAsTheLedgersParserReadsThem() throws {
        XCTAssertEqual(BuiltInRates.text(1_117_200, scale: 6), "1.1172")
        XCTAssertEqual(BuiltInRates.text(13_600, scale: 2), "136")
        XCTAssertEqual(BuiltInRates.text(83_578, scale: 5), "0.83578")
        XCTAssertEqual(BuiltInRates.text(5, scale: 4), "0.0005")
        XCTAssertEqual(BuiltInRates.text(13_111, scale: 0), "13111")
        let t = try XCTUnwrap(BuiltInRates.table)
        var n = 0
        for (code, column) in t.columns {
            for i in stride(from: 0, to: column.values.count, by: 37) where column.values[i] != 0 {
                let text = BuiltInRates.text(column.values[i], scale: column.scale)
                XCTAssertEqual(try ExchangeRates.parseRate(text), Rational(column.values[i], BuiltInRates.power(column.scale)), code)
                n += 1
            }
        }
        XCTAssertGreaterThan(n, 4_000)
    }

    func testListingIsTheLookup() throws {
        let usd = try Currency.parse("USD")
        let on = BuiltInRates.list(currency: usd, on: Time.parseDay("2024-03-09"), all: false)
        XCTAssertEqual(on.map { "\($0.from) \($0.to) \($0.day) \($0.source)" }, ["EUR USD 2024-03-08 ECB (built in)"])
        let all = BuiltInRates.list(currency: usd, on: Time.parseDay("1999-01-08"), all: true)
        XCTAssertEqual(all.map(\.day), ["1999-01-04", "1999-01-05", "1999-01-06", "1999-01-07", "1999-01-08"])
        XCTAssertEqual(all.first?.rate, "1.1789")
        // Currencies owatch does not know (retired ones) are not listed.
        XCTAssertFalse(BuiltInRates.list(currency: nil, on: Time.parseDay("2005-01-03"), all: false).contains { $0.to == "CYP" })
    }
}
