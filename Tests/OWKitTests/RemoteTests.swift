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

/// The server's rules that need no process: which ledgers it serves, how a request's path is
/// read, and what it renames in what it sends back.
final class RemoteTests: XCTestCase {
    func testNormalizedPaths() {
        XCTAssertEqual(ServedLedgers.normalized("/srv//owatch/./ledger.db/"), "/srv/owatch/ledger.db")
        XCTAssertNil(ServedLedgers.normalized("srv/ledger.db"))
        XCTAssertNil(ServedLedgers.normalized("/srv/../etc/passwd"))
        XCTAssertNil(ServedLedgers.normalized("/srv/a\u{0}b"))
    }

    func testAURLPathOnlyChoosesAmongTheServedLedgers() throws {
        let served = ServedLedgers(served: [.init(ledger: "/srv/owatch/ledger.db"), .init(ledger: "/srv/lab/ledger.db", key: "/srv/lab/k")])
        XCTAssertEqual(try served.resolve(nil).ledger, "/srv/owatch/ledger.db")
        XCTAssertEqual(try served.resolve("/srv/lab//ledger.db").key, "/srv/lab/k")
        for other in ["/home/mallory/ledger.db", "/srv/lab/../owatch/ledger.db", "ledger.db", ""] {
            XCTAssertThrowsError(try served.resolve(other)) { XCTAssertEqual(($0 as? OWError)?.kind, .notPermitted, other) }
        }
    }

    func testServerConfLines() throws {
        let parsed = try ServedLedgers.parse("# comment\n\nledger = /a/l.db\nkey = /a/k\nledger=/b/l.db\n")
        XCTAssertEqual(parsed.extras, [.init(ledger: "/a/l.db", key: "/a/k"), .init(ledger: "/b/l.db")])
        XCTAssertNil(parsed.fallback)
        for bad in [
            "ledger = relative", "key = /k", "ledger = /a\nkey = /k\nkey = /k2", "serve /a", "ledger = /a/../b",
            "default = /a\ndefault = /b", "key = postgresql://x/y", "default = relative",
        ] {
            XCTAssertThrowsError(try ServedLedgers.parse(bad), bad)
        }
    }

    /// Issue 35: a PostgreSQL ledger served by default or chosen by its database's name.
    func testServerConfPostgresLedgers() throws {
        let url = "postgresql://owatch:pw@db.example:5433/office?sslmode=require"
        let parsed = try ServedLedgers.parse("default = \(url)\nkey = /k\nledger = postgres://u@/lab?host=%2Frun%2Fpg\n")
        XCTAssertEqual(parsed.fallback, .init(ledger: url, key: "/k"))
        XCTAssertEqual(parsed.extras.map(\.chosenBy), ["/lab"])
        let served = ServedLedgers(served: [parsed.fallback!] + parsed.extras)
        XCTAssertEqual(try served.resolve(nil).ledger, url)
        XCTAssertEqual(try served.resolve("/lab").ledger, "postgres://u@/lab?host=%2Frun%2Fpg")
        XCTAssertThrowsError(try served.resolve("/postgres"))
        let hidden = served.served[0].serverNames.map(\.server)
        XCTAssertTrue(hidden.contains(url) && hidden.contains("postgresql://owatch:***@db.example:5433/office?sslmode=require"))
        XCTAssertTrue(hidden.contains("db.example"))
        XCTAssertEqual(PostgresURL.hosts("postgresql://u@h1:1,[::1]:2/db?host=%2Ftmp%2Fs&x=1"), ["h1", "::1", "/tmp/s"])
        XCTAssertThrowsError(try ServedLedgers.parse("ledger = postgresql://x/y\u{1b}[2J"))
    }

    func testServerNamesAreRenamedLongestFirst() {
        var names = RemoteServer.ServerNames(environment: ["HOME": "/srv/owatch"])
        names.add(server: "/srv/owatch/.local/share/owatch/ledger.db", client: "the office ledger")
        let sent = names.rename(Array("no ledger at /srv/owatch/.local/share/owatch/ledger.db; key /srv/owatch/.config/k".utf8))
        XCTAssertEqual(String(decoding: sent, as: UTF8.self), "no ledger at the office ledger; key ~/.config/k")
    }

    func testSudoCallersEnvironmentIsNotTheAccounts() {
        let env = RemoteServer.accountEnvironment([
            "SUDO_USER": "mallory", "HOME": "/home/mallory", "OWATCH_LEDGER": "/home/mallory/l.db", "XDG_DATA_HOME": "/x",
            "TMPDIR": "/home/mallory/tmp", "LANG": "C.UTF-8",
        ])
        XCTAssertNil(env["OWATCH_LEDGER"])
        XCTAssertNil(env["XDG_DATA_HOME"])
        XCTAssertNil(env["TMPDIR"])
        XCTAssertNotEqual(env["HOME"], "/home/mallory")
        XCTAssertEqual(env["LANG"], "C.UTF-8")
        XCTAssertEqual(RemoteServer.accountEnvironment(["HOME": "/srv/owatch"])["HOME"], "/srv/owatch")  // sshd's is the account's
    }
}
