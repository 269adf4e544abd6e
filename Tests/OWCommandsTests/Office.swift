import Foundation
import XCTest

@testable import OWChannel
@testable import OWCommands
@testable import OWCore
@testable import OWIdentity
@testable import OWKit
@testable import OWOffice
@testable import OWReports

/// What one command line run in-process gave: its stdout, stderr and exit status.
struct Ran: CustomStringConvertible {
    let stdout: String
    let stderr: String
    let status: Int32

    /// stdout parsed as JSON (a `--json` run).
    func json() throws -> Any { try JSONSerialization.jsonObject(with: Data(stdout.utf8)) }

    var description: String { "exit \(status)\nstdout:\n\(stdout)\nstderr:\n\(stderr)" }
}

/// A temporary HOME with a ledger whose admin is alice (token installed), as the e2e `office`
/// fixture makes one; `run` runs a command line in this process with in-memory streams.
final class Office {
    let home: String

    init() throws {
        home = NSTemporaryDirectory() + "owcommands-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: home, withIntermediateDirectories: true)
        try ok("init", "--org", "Acme GmbH", "--admin", "alice", "--currency", "EUR")
    }

    deinit { try? FileManager.default.removeItem(atPath: home) }

    /// Only what the run is given: the process's own environment never leaks into a test.
    var environment: [String: String] { ["HOME": home, "LANG": "C.UTF-8", "PATH": "/usr/bin:/bin"] }
    var ledger: String { home + "/.local/share/owatch/ledger.db" }

    func run(_ arguments: String..., stdin: String = "") -> Ran { run(arguments, stdin: stdin) }

    func run(_ arguments: [String], stdin: String = "") -> Ran {
        let streams = Streams.inMemory(stdin: stdin)
        let status = runOwatch(arguments, environment: environment, terminal: .inMemory(streams))
        return Ran(stdout: streams.stdout, stderr: streams.stderr, status: status)
    }

    /// A run that must succeed.
    @discardableResult
    func ok(_ arguments: String..., file: StaticString = #filePath, line: UInt = #line) throws -> Ran {
        try ok(arguments, file: file, line: line)
    }

    /// A user and the path of their token.
    func addUser(_ name: String, role: String = "employee", dept: String? = nil) throws -> String {
        let token = home + "/\(name).token"
        try ok(["user", "add", name, "--role", role, "--token-out", token] + (dept.map { ["--dept", $0] } ?? []))
        return token
    }

    @discardableResult
    func ok(_ arguments: [String], file: StaticString = #filePath, line: UInt = #line) throws -> Ran {
        let ran = run(arguments)
        XCTAssertEqual(ran.status, 0, "owatch \(arguments.joined(separator: " ")): \(ran)", file: file, line: line)
        return ran
    }
}
