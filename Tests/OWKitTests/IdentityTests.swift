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

final class IdentityTests: XCTestCase {
    func testTokenRoundTripAndExpiry() throws {
        let office = try TempOffice()
        let (_, token) = try Users.addWithToken(
            office.admin, name: "bob", role: .employee, dept: nil, email: nil, ttl: Duration(count: 1, unit: .day))
        let claims = try Token.verify(token.text, ledger: office.ledger)
        XCTAssertEqual(claims.subject, "bob")
        XCTAssertEqual(claims.role, .employee)
        let later = Date().addingTimeInterval(2 * 86_400)
        XCTAssertThrowsError(try Token.verify(token.text, ledger: office.ledger, now: later)) { e in
            XCTAssertEqual((e as? OWError)?.kind, .notPermitted)
            XCTAssertTrue((e as? OWError)?.message.contains("expired") == true)
        }
        // Within the 60 s leeway it still holds.
        XCTAssertNoThrow(try Token.verify(token.text, ledger: office.ledger, now: Date(timeIntervalSince1970: Double(claims.expires + 30))))
    }

    func testSigningKeyPEMRoundTrip() throws {
        let key = try SigningKey.generate()
        let again = try SigningKey(pem: key.pem)
        XCTAssertEqual(key.publicKey, again.publicKey)
        let sig = again.sign(Array("hello".utf8))
        XCTAssertTrue(key.publicKey.verify(signature: sig, message: Array("hello".utf8)))
        XCTAssertFalse(key.publicKey.verify(signature: sig, message: Array("hellO".utf8)))
        XCTAssertThrowsError(try SigningKey(pem: "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n"))
    }
}
