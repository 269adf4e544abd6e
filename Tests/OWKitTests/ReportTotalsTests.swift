import FoundationEssentials
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

/// The totals and series the reports print under their tables (OWKit's, not the front end's).
final class ReportTotalsTests: XCTestCase {
    let eur = try! Currency.parse("EUR")
    let usd = try! Currency.parse("USD")
    let jan = Month(year: 2026, month: 1)

    func burn(_ month: Month, _ currency: Currency, contracted: Int64, observed: Int64, unmanaged: Int64, base: [Int64]? = nil) -> BurnRow {
        var r = BurnRow(
            month: month, group: nil, contracted: Money(minor: contracted, currency: currency),
            observed: Money(minor: observed, currency: currency), unmanaged: Money(minor: unmanaged, currency: currency),
            contractedExact: Exact(minor: contracted))
        if let base {
            r.baseExact = base.map(Exact.init(minor:))
            r.baseCurrency = eur
        }
        return r
    }

    func testBurnTotalsPerCurrencyWithEveryMonthOfTheRange() throws {
        let rows = [
            burn(jan, eur, contracted: 1000, observed: 300, unmanaged: 200),
            burn(jan.adding(2), eur, contracted: 1000, observed: 0, unmanaged: 50),
            burn(jan, usd, contracted: 500, observed: 500, unmanaged: 0),
        ]
        let t = try Burn.totals(rows, from: jan, to: jan.adding(2), base: nil)
        XCTAssertNil(t.base)
        XCTAssertEqual(t.perCurrency.map(\.contracted), [Money(minor: 2000, currency: eur), Money(minor: 500, currency: usd)])
        XCTAssertEqual(t.perCurrency[0].unmanaged, Money(minor: 250, currency: eur))
        // Spend per month: contracts plus what is paid outside them; a month without rows is 0.
        XCTAssertEqual(t.perCurrency[0].perMonth.map(\.minor), [1200, 0, 1050])
        XCTAssertEqual(t.perCurrency[1].perMonth.map(\.minor), [500, 0, 0])
        XCTAssertEqual(t.perCurrency[0].perMonth.map(\.month), [jan, jan.adding(1), jan.adding(2)])
    }

    func testBurnTotalsInTheBaseCurrency() throws {
        let rows = [
            burn(jan, eur, contracted: 1000, observed: 300, unmanaged: 200, base: [1000, 300, 200]),
            burn(jan, usd, contracted: 500, observed: 500, unmanaged: 100, base: [450, 450, 90]),
        ]
        let b = try XCTUnwrap(try Burn.totals(rows, from: jan, to: jan.adding(1), base: eur).base)
        XCTAssertEqual(b.totals.map(\.minor), [1450, 750, 290])
        XCTAssertEqual(b.perMonth.map(\.minor), [1450 + 290, 0])
    }

    func testForecastTotalsRoundTheWholeOnce() throws {
        func row(_ m: Month, _ exact: Exact) -> ForecastRow {
            let total = Money(minor: exact.rounded, currency: eur)
            return ForecastRow(
                month: m, licenses: total, unmanaged: Money(minor: 0, currency: eur), total: total, charges: 1,
                cancellable: Money(minor: 0, currency: eur), cancelBy: nil, totalExact: exact)
        }
        // Two thirds of a cent, twice: the months round to 1 each, the whole to 1 as well (not 2).
        let third = Exact(nano: Exact(minor: 1).nano * 2 / 3)
        let rows = [row(jan, third), row(jan.adding(2), third)]
        let t = try Forecast.totals(rows, from: jan, months: 4, base: nil)
        XCTAssertNil(t.base)
        XCTAssertEqual(t.perCurrency.count, 1)
        XCTAssertEqual(t.perCurrency[0].whole, Money(minor: Exact(nano: third.nano * 2).rounded, currency: eur))
        XCTAssertEqual(t.perCurrency[0].perMonth.map(\.minor), [third.rounded, 0, third.rounded, 0])
        XCTAssertEqual(t.perCurrency[0].rows.count, 2)
    }

    func testShadowTotalsPerCurrency() throws {
        func row(_ vendor: String, _ minor: Int64, _ c: Currency) -> ShadowRow {
            ShadowRow(
                vendor: vendor, category: "other", charges: 1, observed: Money(minor: minor, currency: c),
                monthly: Money(minor: minor, currency: c),
                firstSeen: "2026-01-01", lastSeen: "2026-01-01")
        }
        let t = try InventoryReports.shadowTotals([row("A", 300, usd), row("B", 200, eur), row("C", 100, eur)])
        XCTAssertEqual(t.map(\.total), [Money(minor: 300, currency: eur), Money(minor: 300, currency: usd)])
        XCTAssertEqual(t[0].rows.map(\.vendor), ["B", "C"])
    }

    func testNoBaseTotalWithoutABase() throws {
        XCTAssertNil(try InventoryReports.baseTotal([Money(minor: 100, currency: usd)], base: nil, on: "2026-01-01"))
    }

    func testScanFailPolicy() {
        XCTAssertEqual(ScanFailPolicy(failOnFindings: false, failOn: nil), .never)
        XCTAssertEqual(ScanFailPolicy(failOnFindings: true, failOn: nil), .shadow)
        XCTAssertEqual(ScanFailPolicy(failOnFindings: false, failOn: "shadow"), .shadow)
        XCTAssertEqual(ScanFailPolicy(failOnFindings: true, failOn: "all"), .all)
        // Housekeeping findings (idle seats, renewals) fail only --fail-on all.
        XCTAssertFalse(ScanFailPolicy.shadow.fails(onKinds: [.renewal, .unusedSeats]))
        XCTAssertTrue(ScanFailPolicy.all.fails(onKinds: [.renewal]))
        XCTAssertTrue(ScanFailPolicy.shadow.fails(onKinds: [.renewal, .unmanaged]))
        XCTAssertFalse(ScanFailPolicy.never.fails(onKinds: [.unmanaged]))
        XCTAssertFalse(ScanFailPolicy.all.fails(onKinds: []))
        XCTAssertEqual(ScanFailPolicy.all.exitStatus([]), 0)
    }
}
