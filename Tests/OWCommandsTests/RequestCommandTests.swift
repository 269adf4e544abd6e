import Foundation
import XCTest

/// request new, and approve (with --reject), run in-process.
final class RequestCommandTests: XCTestCase {
    func testAnEmployeesRequestWaitsInTheQueueAndApprovingGivesASeat() throws {
        let office = try Office()
        let bob = try office.addUser("bob")
        let asked = try office.ok(
            "--token", bob, "request", "new", "software", "Figma", "--cost", "15", "--period", "monthly", "--reason", "design")
        XCTAssertEqual(asked.stderr, "Request #1 (software: Figma) is waiting for an admin.\n")

        let queue = try office.ok("approve")
        XCTAssertTrue(queue.stdout.hasPrefix("ID  AGE_DAYS  REQUESTER  KIND"), queue.stdout)
        XCTAssertTrue(queue.stdout.contains("software: Figma") && queue.stdout.contains("pending"), queue.stdout)

        let approved = try office.ok("approve", "1", "--json")
        let rows = try XCTUnwrap(try approved.json() as? [[String: Any]])
        XCTAssertEqual(rows.first?["status"] as? String, "approved")
        XCTAssertEqual(rows.first?["decided_by"] as? String, "alice")
        XCTAssertEqual(rows.first?["cost_minor"] as? Int, 1500)
        XCTAssertTrue(approved.stderr.hasPrefix("Approved #1 (software: Figma); bob holds a seat of Figma.\n"), approved.stderr)

        let license = try XCTUnwrap((try office.ok("license", "list", "--json").json() as? [[String: Any]])?.first)
        XCTAssertEqual(license["name"] as? String, "Figma")
        XCTAssertEqual(license["assigned_to"] as? [String], ["bob"])
    }

    func testRejectingNeedsANoteAndLeavesNoLicense() throws {
        let office = try Office()
        let bob = try office.addUser("bob")
        try office.ok("--token", bob, "request", "new", "purchase", "Dock", "--cost", "189")

        let bare = office.run("approve", "1", "--reject")
        XCTAssertEqual(bare.status, 64, bare.description)
        XCTAssertTrue(bare.stderr.hasPrefix("owatch: error: "), bare.stderr)

        let rejected = try office.ok("approve", "1", "--reject", "-m", "we have one")
        XCTAssertTrue(rejected.stderr.contains("#1"), rejected.stderr)
        let mine = try XCTUnwrap(try office.ok("--token", bob, "request", "list", "--json").json() as? [[String: Any]])
        XCTAssertEqual(mine.first?["status"] as? String, "rejected")
        XCTAssertEqual(mine.first?["note"] as? String, "we have one")
        XCTAssertEqual(try office.ok("license", "list", "--json").stdout, "[]\n")
    }

    func testApprovingAnUnknownRequestFails() throws {
        let office = try Office()
        let ran = office.run("approve", "9")
        XCTAssertNotEqual(ran.status, 0)
        XCTAssertEqual(ran.stdout, "")
        XCTAssertTrue(ran.stderr.contains("9"), ran.stderr)
    }

    func testAPurchaseWithoutACostIsAUsageError() throws {
        let office = try Office()
        let bob = try office.addUser("bob")
        let ran = office.run("--token", bob, "request", "new", "purchase", "Dock")
        XCTAssertEqual(ran.status, 64)
        XCTAssertEqual(try office.ok("--token", bob, "request", "list", "--json").stdout, "[]\n")
    }
}
