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

    /// Hook payloads come from the request's one shape: the `--json` row's keys in its order, with
    /// the event's name first and the stored details last.
    func testAHookPayloadHasTheKeysOfTheJSONRow() throws {
        let office = try Office()
        let bob = try office.addUser("bob")
        let hooks = (office.ledger as NSString).deletingLastPathComponent + "/hooks"
        try FileManager.default.createDirectory(atPath: hooks, withIntermediateDirectories: true)
        let caught = office.home + "/payload.json"
        try "#!/bin/sh\ncat > '\(caught)'\n".write(toFile: hooks + "/post-approve", atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: hooks + "/post-approve")
        try office.ok("--token", bob, "request", "new", "leave", "--from", ReportCommandTests.inDays(30), "--half-day")
        let approved = try office.ok("approve", "1", "-m", "enjoy")
        XCTAssertFalse(approved.stderr.contains("warning"), approved.stderr)

        let payload = try String(contentsOfFile: caught, encoding: .utf8)
        let row = try office.ok("request", "show", "1", "--json").stdout
        XCTAssertEqual(Self.keys(payload), ["event"] + Self.keys(row) + ["details"], payload)
        XCTAssertTrue(Self.keys(row).contains("leave_from") && Self.keys(row).contains("cost_minor"), row)
        let event = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(payload.utf8)) as? [String: Any])
        XCTAssertEqual(event["event"] as? String, "post-approve")
        XCTAssertEqual(event["leave_from"] as? String, ReportCommandTests.inDays(30))
        XCTAssertEqual(event["days"] as? Double, 0.5)
        XCTAssertEqual(event["note"] as? String, "enjoy")
    }

    /// A flat JSON object's keys in their order (JSONSerialization forgets it).
    static func keys(_ object: String) -> [String] {
        guard let data = object.data(using: .utf8), let top = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else {
            return []
        }
        // Each top-level key is a `"key":` at nesting depth 1; details are nested deeper.
        var keys: [String] = []
        var depth = 0
        var inString = false
        var escaped = false
        var current = ""
        var last = ""
        for ch in object {
            if inString {
                if escaped {
                    escaped = false
                } else if ch == "\\" {
                    escaped = true
                } else if ch == "\"" {
                    inString = false
                    last = current
                } else {
                    current.append(ch)
                }
                continue
            }
            switch ch {
            case "\"":
                inString = true
                current = ""
            case "{", "[": depth += 1
            case "}", "]": depth -= 1
            case ":": if depth == 1, top[last] != nil { keys.append(last) }
            default: break
            }
        }
        return keys
    }
}
