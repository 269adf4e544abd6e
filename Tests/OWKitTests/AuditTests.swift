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

final class AuditTests: XCTestCase {
    func testAuditChainDetectsEdits() throws {
        let office = try TempOffice()
        for n in ["b", "c", "d"] { _ = try Users.add(office.admin, name: n, role: .employee, dept: nil, email: nil) }
        XCTAssertTrue(try AuditLog.verify(office.ledger).ok)
        try office.ledger.db.execute("DROP TRIGGER events_append_only_u")
        try office.ledger.db.run("UPDATE events SET object = 'user:zz' WHERE seq = 4")
        let v = try AuditLog.verify(office.ledger)
        XCTAssertFalse(v.ok)
        XCTAssertEqual(v.firstBadSeq, 4)
    }

    func testSealCoversHeadAndDetectsTruncation() throws {
        let office = try TempOffice()
        _ = try Users.add(office.admin, name: "bob", role: .employee, dept: nil, email: nil)
        let key = try Issuer.loadKey(office.paths.issuerKey, for: office.ledger)
        let sealed = try AuditLog.seal(office.ledger, key: key, actor: office.admin.actor)
        XCTAssertTrue(try AuditLog.verify(office.ledger).ok)
        try office.ledger.db.execute("DROP TRIGGER events_append_only_d")
        try office.ledger.db.run("DELETE FROM events WHERE seq >= ?", sealed.seq)
        XCTAssertEqual(try AuditLog.verify(office.ledger).firstBadSeq, sealed.seq)
    }
}
