import Foundation
import XCTest

@testable import OWOffice

/// user add and offboard, run in-process.
final class PeopleCommandTests: XCTestCase {
    /// Who a directory row is: a guest by its type or an invited address, a service account by its type, its
    /// address or its name; anyone else a member. Case never matters.
    func testADirectoryRowIsAGuestAServiceOrAMember() {
        func kind(_ email: String, upn: String? = nil, name: String? = nil, type: String? = nil) -> DirectoryPerson.Kind {
            DirectoryPerson.kind(email: email, upn: upn, name: name, type: type)
        }
        XCTAssertEqual(kind("anna@acme.example", type: " Guest "), .guest)
        XCTAssertEqual(kind("anna.k@gmail.com", upn: "anna.k_gmail.com#EXT#@acme.onmicrosoft.com"), .guest)
        XCTAssertEqual(kind("bob@acme.example", type: "Service"), .service)
        XCTAssertEqual(kind("svc-backup@acme.example"), .service)
        XCTAssertEqual(kind("No-Reply@acme.example"), .service)
        XCTAssertEqual(kind("build@acme.example", name: "Build Service Account"), .service)
        XCTAssertEqual(kind("carol@acme.example", name: "Carol Service"), .member)
        XCTAssertEqual(kind("ext@acme.example", upn: "ext@acme.example", name: "Dana #EXT"), .member)
    }

    func testAddIssuesATokenThatWorks() throws {
        let office = try Office()
        let token = office.home + "/bob.token"
        let added = try office.ok("user", "add", "bob", "--role", "employee", "--dept", "Design", "--token-out", token)
        XCTAssertTrue(added.stderr.hasPrefix("Added bob (employee). Token written to \(token) (mode 0600)"), added.stderr)
        XCTAssertTrue(FileManager.default.fileExists(atPath: token))
        let who = try XCTUnwrap(try office.ok("--token", token, "whoami", "--json").json() as? [String: Any])
        XCTAssertEqual(who["user"] as? String, "bob")
        XCTAssertEqual(who["role"] as? String, "employee")

        let again = office.run("user", "add", "bob", "--role", "employee", "--token-out", office.home + "/bob2.token")
        XCTAssertNotEqual(again.status, 0)
        XCTAssertTrue(again.stderr.hasPrefix("owatch: error: "), again.stderr)
    }

    func testOffboardRevokesTokensAndFreesSeats() throws {
        let office = try Office()
        let bob = try office.addUser("bob")
        try office.ok("license", "add", "Slack", "--vendor", "Slack", "--seats", "2", "--cost", "8", "--period", "monthly")
        try office.ok("license", "assign", "Slack", "bob")

        let gone = try office.ok("user", "offboard", "bob", "--json")
        let record = try XCTUnwrap(try gone.json() as? [String: Any])
        XCTAssertEqual(record["status"] as? String, "offboarded")
        XCTAssertEqual(
            gone.stderr, "Offboarded bob: revoked 1 token(s), freed 1 seat(s) worth 4.00 EUR a month.\n",
            "one of two seats of 8.00 EUR a month")

        let license = try XCTUnwrap((try office.ok("license", "list", "--json").json() as? [[String: Any]])?.first)
        XCTAssertEqual(license["assigned"] as? Int, 0)
        let refused = office.run("--token", bob, "whoami")
        XCTAssertEqual(refused.status, 77, refused.description)
    }

    func testOffboardingSomeoneUnknownIsNotFound() throws {
        let office = try Office()
        let ran = office.run("user", "offboard", "nobody")
        XCTAssertEqual(ran.status, 1, ran.description)
        XCTAssertEqual(ran.stdout, "")
    }
}
