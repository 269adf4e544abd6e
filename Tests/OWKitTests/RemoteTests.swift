import Foundation
import XCTest

@testable import OWCore
@testable import OWIdentity
@testable import OWKit
@testable import OWOffice
@testable import OWRemote
@testable import OWReports

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
        XCTAssertEqual(parsed, [.init(ledger: "/a/l.db", key: "/a/k"), .init(ledger: "/b/l.db")])
        for bad in ["ledger = relative", "key = /k", "ledger = /a\nkey = /k\nkey = /k2", "serve /a", "ledger = /a/../b"] {
            XCTAssertThrowsError(try ServedLedgers.parse(bad), bad)
        }
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
