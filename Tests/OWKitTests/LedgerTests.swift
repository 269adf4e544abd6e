import Foundation
import XCTest

@testable import OWKit

/// A fresh ledger, issuer key and admin session in a temp directory.
final class TempOffice {
    let dir: String
    let paths: Paths
    let ledger: Ledger
    let admin: Session

    init() throws {
        dir = NSTemporaryDirectory() + "owkit-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        paths = Paths(ledger: dir + "/ledger.db", token: dir + "/token", key: dir + "/issuer.key", environment: [:])
        (ledger, _) = try Setup.initialize(paths: paths, org: "Test", admin: "alice", currency: "EUR")
        admin = try Session.authenticate(paths: paths)
    }

    deinit { try? FileManager.default.removeItem(atPath: dir) }
}

final class LedgerTests: XCTestCase {
    func testWriteRollsBackOnError() throws {
        let office = try TempOffice()
        XCTAssertThrowsError(
            try office.admin.write {
                try office.admin.db.run("INSERT INTO config(key, value) VALUES ('x', 'y')")
                throw OWError.refused("boom")
            })
        XCTAssertNil(try office.ledger.configValue("x"))
        XCTAssertFalse(office.admin.db.isInTransaction)
    }

    func testSQLiteErrorsNameTheirStatement() throws {
        let office = try TempOffice()
        XCTAssertThrowsError(try office.ledger.db.query("SELECT no_such_column\n  FROM users")) { e in
            XCTAssertTrue((e as? OWError)?.message.contains("SELECT no_such_column FROM users") == true, "\(e)")
        }
    }

    func testNewerSchemaRefused() throws {
        let office = try TempOffice()
        try office.ledger.db.execute("PRAGMA user_version = 999")
        XCTAssertThrowsError(try Ledger.open(path: office.paths.ledger)) { e in
            XCTAssertEqual((e as? OWError)?.kind, .refused)
        }
    }

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

    func testConfigValidation() throws {
        let office = try TempOffice()
        XCTAssertEqual(try Config.set(office.admin, "renewals.notify", "30D, 7d").value, "30d,7d")
        XCTAssertEqual(try Config.set(office.admin, "price_change.tolerance", "2.5").value, "2.5%")
        XCTAssertEqual(try Config.set(office.admin, "charges.match_window", "3").value, "3d")
        XCTAssertThrowsError(try Config.set(office.admin, "leave.allowance", "lots"))
        XCTAssertThrowsError(try Config.set(office.admin, "nope", "1"))
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
