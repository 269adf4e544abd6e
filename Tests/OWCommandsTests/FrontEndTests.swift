import Foundation
import XCTest

@testable import OWCommands

/// The run itself, in-process: what goes to which stream and the exit status, with no `exit`.
final class FrontEndTests: XCTestCase {
    func testVersionAndHelpGoToStdout() throws {
        let office = try Office()
        let version = office.run("--version")
        XCTAssertEqual(version.status, 0)
        XCTAssertEqual(version.stdout, "owatch \(OWCommands.version)\n")
        XCTAssertEqual(version.stderr, "")
        let help = office.run("license", "--help")
        XCTAssertEqual(help.status, 0)
        XCTAssertTrue(help.stdout.hasPrefix("usage: owatch license <verb> [arguments] [options]\n"), help.stdout)
    }

    func testABareRunIsAUsageErrorOnStderr() throws {
        let office = try Office()
        let bare = office.run()
        XCTAssertEqual(bare.status, 64)
        XCTAssertEqual(bare.stdout, "")
        XCTAssertTrue(bare.stderr.contains("usage: owatch"), bare.stderr)
        let unknown = office.run("frobnicate")
        XCTAssertEqual(unknown.status, 64)
        XCTAssertTrue(unknown.stderr.hasPrefix("owatch: error: "), unknown.stderr)
    }

    /// The login shell's refusal is written through the run's streams too, with control characters shown.
    func testTheLoginShellRefusesOtherCommandsOnStderr() throws {
        let office = try Office()
        let ran = office.run("shell", "-c", "rm -rf /\u{1B}[2J")
        XCTAssertEqual(ran.status, 77, ran.description)
        XCTAssertEqual(ran.stdout, "")
        XCTAssertTrue(ran.stderr.hasPrefix("owatch: error: this account runs only owatch requests, not 'rm -rf /"), ran.stderr)
        XCTAssertFalse(ran.stderr.contains("\u{1B}"), ran.stderr)
    }

    /// A question is read from the run's stdin; in-memory, nothing is a terminal, so none is asked.
    func testLoginReadsAPipedTokenFromTheRunsStdin() throws {
        let office = try Office()
        let token = try office.addUser("bob")
        let text = try String(contentsOfFile: token, encoding: .utf8)
        let refused = office.run(["login", "-"], stdin: text)
        XCTAssertEqual(refused.status, 1, refused.description)
        XCTAssertTrue(refused.stderr.contains("admin token"), refused.stderr)
        let replaced = office.run(["login", "--replace", "-"], stdin: text)
        XCTAssertEqual(replaced.status, 0, replaced.description)
        XCTAssertTrue(replaced.stderr.hasPrefix("Logged in as bob (employee)"), replaced.stderr)
    }

    /// Completion opens the ledger the run's environment names (its HOME), not the process's.
    func testCompletionReadsTheRunsLedger() throws {
        let office = try Office()
        try office.ok("license", "add", "Slack", "--vendor", "Slack", "--seats", "1", "--cost", "1", "--period", "monthly")
        let ran = office.run("__complete", "license", "show", "")
        XCTAssertEqual(ran.status, 0)
        XCTAssertEqual(ran.stdout.split(separator: "\n"), ["Slack"])
    }
}
