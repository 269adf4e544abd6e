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

final class AdminTests: XCTestCase {
    func testConfigValidation() throws {
        let office = try TempOffice()
        XCTAssertEqual(try Config.set(office.admin, "renewals.notify", "30D, 7d").value, "30d,7d")
        XCTAssertEqual(try Config.set(office.admin, "price_change.tolerance", "2.5").value, "2.5%")
        XCTAssertEqual(try Config.set(office.admin, "charges.match_window", "3").value, "3d")
        XCTAssertThrowsError(try Config.set(office.admin, "leave.allowance", "lots"))
        XCTAssertThrowsError(try Config.set(office.admin, "nope", "1"))
    }
}
