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
        (ledger, _) = try Setup.initialize(
            paths: paths, org: "Test", admin: "alice", currency: try Currency.parse("EUR"), services: .office)
        admin = try Session.authenticate(paths: paths, services: .office)
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

    func testStrictRowsNameTheColumnThatIsNullOrOfTheWrongType() throws {
        let office = try TempOffice()
        let db = office.ledger.db
        XCTAssertEqual(try Users.find(db, "alice")?.role, .admin)
        // What another tool could leave behind: a role no owatch writes, a name stored as a number.
        try db.execute("PRAGMA ignore_check_constraints = ON; UPDATE users SET role = 'root' WHERE name = 'alice'")
        XCTAssertThrowsError(try Users.find(db, "alice")) { e in
            XCTAssertTrue((e as? OWError)?.message.contains("role column") == true, "\(e)")
            XCTAssertEqual((e as? OWError)?.kind, .badData)
        }
        XCTAssertThrowsError(try db.fetchOne(User.self, "SELECT 1, NULL, 'admin', NULL, NULL, NULL, 'active', 'x', NULL, NULL, NULL")) {
            e in
            XCTAssertTrue((e as? OWError)?.message.contains("holds NULL where text belongs") == true, "\(e)")
        }
    }

    /// Reads by column name are strict too: a config value stored as a number, or a count read as
    /// text, is an error naming the column, never a silent "" or 0.
    func testReadsByNameAreStrict() throws {
        let office = try TempOffice()
        let db = office.ledger.db
        let row = try XCTUnwrap(try db.one("SELECT 'x' AS word, 7 AS n, NULL AS absent, x'00ff' AS raw"))
        XCTAssertEqual(try row.text("word"), "x")
        XCTAssertEqual(try row.integer("n"), 7)
        XCTAssertNil(try row.optionalText("absent"))
        XCTAssertNil(try row.optionalInteger("absent"))
        XCTAssertEqual(try row.bytes("raw"), [0, 255])
        for read in [
            { _ = try row.text("n") }, { _ = try row.integer("word") }, { _ = try row.integer("absent") }, { _ = try row.bytes("word") },
        ] {
            XCTAssertThrowsError(try read()) { XCTAssertEqual(($0 as? OWError)?.kind, .badData) }
        }
        XCTAssertThrowsError(try row.optionalText("n")) { XCTAssertTrue("\($0)".contains("n column holds an integer")) }
        // A blob keeps its type in a TEXT column (a number would be stored as text).
        try db.execute("INSERT INTO config(key, value) VALUES ('test.raw', x'3432')")
        XCTAssertThrowsError(try office.ledger.configValues()) { XCTAssertTrue("\($0)".contains("value column holds a blob"), "\($0)") }
    }

    func testNewerSchemaRefused() throws {
        let office = try TempOffice()
        try office.ledger.db.execute("PRAGMA user_version = 999")
        XCTAssertThrowsError(try Ledger.open(path: office.paths.ledger, services: .office)) { e in
            XCTAssertEqual((e as? OWError)?.kind, .refused)
        }
    }
}
