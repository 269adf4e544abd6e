import Foundation
import XCTest

@testable import OWChannel
@testable import OWCore
@testable import OWIdentity
@testable import OWKit
@testable import OWOffice
@testable import OWReports

/// report burn, renewals and summary, run in-process. Dates are relative to today: there is no
/// faketime in-process.
final class ReportCommandTests: XCTestCase {
    static func inDays(_ n: Int) -> String { Time.day(Date().addingTimeInterval(Double(n) * 86_400)) }
    static var thisMonth: String { String(inDays(0).prefix(7)) }

    func office() throws -> Office {
        let office = try Office()
        try office.ok(
            "license", "add", "Slack", "--vendor", "Slack", "--seats", "3", "--cost", "8.00", "--period", "monthly", "--renews",
            Self.inDays(20))
        try office.ok("license", "add", "Miro", "--vendor", "Miro", "--seats", "1", "--cost", "120", "--period", "yearly")
        return office
    }

    func testBurnCountsThisMonthsContractedCost() throws {
        let office = try office()
        let rows = try XCTUnwrap(try office.ok("report", "burn", "--json").json() as? [[String: Any]])
        let now = try XCTUnwrap(rows.first { $0["month"] as? String == Self.thisMonth }, "\(rows)")
        XCTAssertEqual(now["contracted_minor"] as? Int, 1800, "\(now)")
        let table = try office.ok("report", "burn").stdout
        XCTAssertTrue(table.hasPrefix("MONTH    CONTRACTED  OBSERVED  UNMANAGED\n"), table)
        XCTAssertTrue(table.contains("\(Self.thisMonth)   18.00 EUR"), table)
    }

    func testRenewalsListsWhatRenewsAndItsSum() throws {
        let office = try office()
        let ran = try office.ok("report", "renewals")
        XCTAssertTrue(ran.stdout.hasPrefix("RENEWS_ON   CANCEL_BY  DAYS"), ran.stdout)
        XCTAssertTrue(ran.stdout.contains("\(Self.inDays(20))  -            20   1  Slack"), ran.stdout)
        XCTAssertTrue(ran.stdout.hasSuffix("\ndue within 90d: 8.00 EUR\n"), ran.stdout)
        let rows = try XCTUnwrap(try office.ok("report", "renewals", "--json").json() as? [[String: Any]])
        XCTAssertEqual(rows.map { $0["name"] as? String }, ["Slack"])
    }

    func testSummaryIsOneScreenOfTheOffice() throws {
        let office = try office()
        let text = try office.ok("report", "summary").stdout
        XCTAssertTrue(text.hasPrefix("Acme GmbH — \(Self.thisMonth)\n"), text)
        XCTAssertTrue(text.contains("contracted 18.00 EUR"), text)
        XCTAssertTrue(text.contains("\(Self.inDays(20))  Slack  8.00 EUR"), text)
        XCTAssertTrue(text.contains("Pending requests: 0"), text)
    }

    func testAnEmployeeMayNotReadTheBurn() throws {
        let office = try office()
        let bob = try office.addUser("bob")
        let ran = office.run("--token", bob, "report", "burn")
        XCTAssertEqual(ran.status, 77, ran.description)
        XCTAssertEqual(ran.stdout, "")
    }
}
