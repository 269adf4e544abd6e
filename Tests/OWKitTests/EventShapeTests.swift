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

/// Hook and notification payloads come from the same shape as the `--json` rows, so their keys
/// cannot differ (issue 30 item 4). A request's is checked end to end in OWCommandsTests.
final class EventShapeTests: XCTestCase {
    static func keys(_ json: JSON) -> [String] {
        guard case .object(let members) = json else { return [] }
        return members.map(\.key)
    }

    func finding(amount: Money?, monthly: Money?) -> Finding {
        Finding(
            id: 3, kind: .unusedSeats, status: .open, vendor: "Slack", license: "Slack", amount: amount, monthly: monthly,
            summary: "2 seats idle", createdAt: "2026-12-01T00:00:00Z", note: nil, chargeID: nil, currencyAssumed: false)
    }

    func testAFindingsEventHasTheKeysOfItsRow() throws {
        let eur = try Currency.parse("EUR")
        let event = finding(amount: Money(minor: 1250, currency: eur), monthly: nil).event
        XCTAssertEqual(Self.keys(event), Finding.shape.columns)
        XCTAssertEqual(event["amount_minor"], .int(1250))
        XCTAssertEqual(event["currency"], .string("EUR"))
        XCTAssertEqual(event["license"], .string("Slack"))
    }

    func testAMonthlyOnlyFindingsEventKeepsItsCurrency() throws {
        let usd = try Currency.parse("USD")
        let event = finding(amount: nil, monthly: Money(minor: 800, currency: usd)).event
        XCTAssertEqual(Self.keys(event), Finding.shape.columns)
        XCTAssertEqual(event["amount"], .null)
        XCTAssertEqual(event["monthly_minor"], .int(800))
        XCTAssertEqual(event["currency"], .string("USD"))
    }

}
