import Foundation
import XCTest

@testable import OWOffice

/// license add, list, edit and assign, run in-process.
final class InventoryCommandTests: XCTestCase {
    func testAddThenListShowsTheLicenseInEveryFormat() throws {
        let office = try Office()
        let added = try office.ok("license", "add", "Slack", "--vendor", "Slack", "--seats", "3", "--cost", "8.00", "--period", "monthly")
        XCTAssertEqual(added.stdout, "", "a write says what it did on stderr only")
        XCTAssertEqual(added.stderr, "Added license Slack (Slack): 8.00 EUR a month.\n")

        let table = try office.ok("license", "list")
        let lines = table.stdout.split(separator: "\n")
        XCTAssertEqual(lines.count, 2, table.stdout)
        XCTAssertTrue(lines[0].hasPrefix("ID  NAME   VENDOR  SEATS  ASSIGNED"), table.stdout)
        XCTAssertTrue(lines[1].contains("Slack") && lines[1].contains("8.00 EUR") && lines[1].contains("active"), table.stdout)

        let rows = try XCTUnwrap(try office.ok("license", "list", "--json").json() as? [[String: Any]])
        XCTAssertEqual(rows.count, 1)
        XCTAssertEqual(rows[0]["name"] as? String, "Slack")
        XCTAssertEqual(rows[0]["seats"] as? Int, 3)
        XCTAssertEqual(rows[0]["cost_minor"] as? Int, 800)
        XCTAssertEqual(rows[0]["currency"] as? String, "EUR")

        let csv = try office.ok("license", "list", "--format", "csv").stdout
        XCTAssertTrue(csv.hasPrefix("id,name,vendor,"), csv)
    }

    /// `-` is the run's standard input, read through its streams (not file descriptor 0), so a
    /// test gives it in memory: what one office exports, another imports from a pipe.
    func testImportReadsTheRunsStandardInput() throws {
        let from = try Office()
        try from.ok("license", "add", "Slack", "--vendor", "Slack", "--seats", "3", "--cost", "8.00", "--period", "monthly")
        let csv = try from.ok("license", "list", "--format", "csv").stdout

        let to = try Office()
        let ran = to.run(["license", "import", "-"], stdin: csv)
        XCTAssertEqual(ran.status, 0, ran.description)
        let rows = try XCTUnwrap(try to.ok("license", "list", "--json").json() as? [[String: Any]])
        XCTAssertEqual(rows.map { $0["name"] as? String }, ["Slack"])
        XCTAssertEqual(rows.first?["cost_minor"] as? Int, 800)

        let empty = to.run(["rate", "import", "-"], stdin: "not,a,rates,file\n")
        XCTAssertEqual(empty.status, 65, empty.description)
        XCTAssertTrue(empty.stderr.contains("owatch: error:"), empty.stderr)

        // Past a reader's limit standard input is refused, not cut (export's --map reads at most 1 MB).
        let big = to.run(["export", "bills", "--format", "xero", "--map", "-"], stdin: String(repeating: "a", count: (1 << 20) + 1))
        XCTAssertEqual(big.status, 65, big.description)
        XCTAssertEqual(big.stderr, "owatch: error: standard input is larger than 1 MB\n")
        XCTAssertEqual(big.stdout, "")
    }

    /// The import's column names, worked out once from the cases: each is the header's snake_case name
    /// and reads back to its case; no other name does.
    func testEveryImportColumnIsNamedAsItsHeaderAndReadsBack() {
        let expected = [
            "name", "vendor", "plan", "seats", "cost", "currency", "period", "renews_on", "owner", "assigned", "category", "per_seat",
            "notes", "order", "purchased_on", "status", "ends_on", "unlimited", "lines", "assigned_to", "id", "free", "cost_minor",
            "monthly", "monthly_minor", "notice", "send_by", "auto_renew", "term_end", "minimum_term", "term_start", "then", "leads",
            "cancel_by", "decision", "billing",
        ]
        XCTAssertEqual(LicenseImport.Column.allCases.map(\.key), expected)
        for column in LicenseImport.Column.allCases { XCTAssertEqual(LicenseImport.Column(key: column.key), column) }
        for other in ["", "Name", "renewsOn", "renews-on", "cost_minor "] { XCTAssertNil(LicenseImport.Column(key: other), other) }
    }

    func testAddWithoutAVendorIsAUsageErrorAndWritesNothing() throws {
        let office = try Office()
        let ran = office.run("license", "add", "Slack", "--seats", "3")
        XCTAssertEqual(ran.status, 64)
        XCTAssertEqual(ran.stdout, "")
        XCTAssertEqual(ran.stderr, "owatch: error: owatch license add needs --vendor V\n")
        XCTAssertEqual(try office.ok("license", "list", "--json").stdout, "[]\n")
    }

    func testEditChangesSeatsAndAnUnknownLicenseIsNotFound() throws {
        let office = try Office()
        try office.ok("license", "add", "Miro", "--vendor", "Miro", "--seats", "2", "--cost", "10", "--period", "monthly")
        let edited = try office.ok("license", "edit", "Miro", "--seats", "4")
        XCTAssertTrue(edited.stderr.hasPrefix("Edited Miro: 4 seat(s)"), edited.stderr)
        let row = try XCTUnwrap((try office.ok("license", "list", "--json").json() as? [[String: Any]])?.first)
        XCTAssertEqual(row["seats"] as? Int, 4)

        let missing = office.run("license", "edit", "Nope", "--seats", "4")
        XCTAssertEqual(missing.status, 1)
        XCTAssertEqual(missing.stderr, "owatch: error: license 'Nope' not found\nhint: see `owatch license list`\n")
    }

    func testAssignTakesASeatAndTheHolderIsListed() throws {
        let office = try Office()
        _ = try office.addUser("bob")
        try office.ok("license", "add", "Slack", "--vendor", "Slack", "--seats", "2", "--cost", "8", "--period", "monthly")
        let assigned = try office.ok("license", "assign", "Slack", "bob")
        XCTAssertEqual(assigned.stderr, "Assigned Slack to bob; 1 of 2 seat(s) taken.\n")
        let row = try XCTUnwrap((try office.ok("license", "list", "--json").json() as? [[String: Any]])?.first)
        XCTAssertEqual(row["assigned"] as? Int, 1)
        XCTAssertEqual(row["free"] as? Int, 1)
        XCTAssertEqual(row["assigned_to"] as? [String], ["bob"])

        let nobody = office.run("license", "assign", "Slack", "carol")
        XCTAssertNotEqual(nobody.status, 0)
        XCTAssertTrue(nobody.stderr.hasPrefix("owatch: error: "), nobody.stderr)
    }

    func testAnEmployeeMayNotAddALicense() throws {
        let office = try Office()
        let bob = try office.addUser("bob")
        let ran = office.run("--token", bob, "license", "add", "X", "--vendor", "X", "--seats", "1", "--cost", "1", "--period", "monthly")
        XCTAssertEqual(ran.status, 77, ran.description)
        XCTAssertEqual(ran.stdout, "")
    }
}
