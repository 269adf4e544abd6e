import XCTest

@testable import OWCLI
@testable import OWChannel
@testable import OWCore
@testable import OWIdentity
@testable import OWKit
@testable import OWOffice
@testable import OWReports

/// The parser and help, in process, against a small table of their own (owatch's table is the
/// end-to-end tests' business).
final class ParserTests: XCTestCase {
    /// The table is generic over the front end's roles and output docs: these are the test's own.
    enum TestRole: String, AccessRole { case admin, employee, scanner }
    struct Context: CommandContext {
        typealias Role = TestRole
        typealias OutputDoc = String
    }
    typealias Cmd = OWCLI.Command<Context>

    static let globals = [
        Option("json", "JSON"), Option("quiet", short: "q", "no messages"),
        Option("format", value: "F", "format", choices: ["table", "json"]),
    ]
    static let table: [Cmd] = [
        Cmd(
            noun: "license", verb: "add", summary: "add a license", arguments: [Argument(name: "NAME")],
            options: [Option("seats", value: "N", "seats"), Option("assign", value: "USER", "a holder", repeatable: true)],
            access: .roles([.admin]), examples: ["owatch license add Slack --seats 10"], run: { _ in }),
        Cmd(noun: "license", verb: "list", summary: "list licenses", access: .roles([.admin, .employee, .scanner]), run: { _ in }),
        Cmd(
            noun: "scan", verb: nil, summary: "scan mail", arguments: [Argument(name: "PATH", optional: true, variadic: true)],
            options: [Option("dry-run", "write nothing")], access: .roles([.admin, .scanner]), run: { _ in }),
        Cmd(noun: "scan", verb: "findings", summary: "list findings", access: .roles([.admin]), run: { _ in }),
    ]
    static let nouns = [
        Noun(name: "license", summary: "the inventory", description: "Licenses."),
        Noun(name: "scan", summary: "scans", description: "Scans."),
    ]

    func parse(_ argv: [String]) throws -> ParsedLine<Context> { try Parser.parse(argv, commands: Self.table, globalOptions: Self.globals) }

    func usageError(_ argv: [String], file: StaticString = #filePath, line: UInt = #line) -> CommandLineError? {
        do {
            _ = try parse(argv)
            XCTFail("\(argv) parsed", file: file, line: line)
            return nil
        } catch let e as CommandLineError {
            return e
        } catch {
            XCTFail("\(error)", file: file, line: line)
            return nil
        }
    }

    func testOptionsBeforeAfterAndInline() throws {
        let line = try parse(["license", "--json", "add", "Slack", "--seats=10", "--assign", "bob", "--assign", "carol", "-q"])
        XCTAssertEqual(line.command?.path, "license add")
        XCTAssertEqual(line.arguments, ["Slack"])
        XCTAssertEqual(line.value("seats"), "10")
        XCTAssertEqual(line.options["assign"], ["bob", "carol"])
        XCTAssertTrue(line.flag("json") && line.flag("quiet"))
    }

    func testDoubleDashAndNegativeNumbersArePositionals() throws {
        XCTAssertEqual(try parse(["license", "add", "--", "--weird-name"]).arguments, ["--weird-name"])
        XCTAssertEqual(try parse(["license", "add", "-5"]).arguments, ["-5"])
    }

    func testABareCommandTakesItsArgumentsAndOptions() throws {
        let scan = try parse(["scan", "mail.mbox", "inbox", "--dry-run"])
        XCTAssertEqual(scan.command?.path, "scan")
        XCTAssertEqual(scan.arguments, ["mail.mbox", "inbox"])
        XCTAssertEqual(try parse(["scan", "--dry-run"]).command?.path, "scan")
        XCTAssertEqual(try parse(["scan", "findings"]).command?.path, "scan findings")
        XCTAssertNil(try parse(["license"]).command)  // a noun alone: its help
    }

    func testMistakesAreUsageErrorsWithSuggestions() {
        XCTAssertEqual(usageError(["licence", "list"])?.hint, "did you mean 'owatch license'?")
        XCTAssertEqual(usageError(["license", "lst"])?.hint, "did you mean 'owatch license list'?")
        XCTAssertEqual(usageError(["license", "add", "X", "--seat", "3"])?.hint, "did you mean '--seats'?")
        XCTAssertEqual(usageError(["license", "add", "X", "--seats"])?.message, "--seats needs a value (N)")
        XCTAssertEqual(usageError(["license", "add", "X", "--seats", "1", "--seats", "2"])?.message, "--seats given twice")
        XCTAssertEqual(usageError(["license", "add", "X", "--json=yes"])?.message, "--json takes no value")
        XCTAssertEqual(usageError(["license", "list", "--format", "xml"])?.message, "--format must be one of table, json, not 'xml'")
        XCTAssertEqual(usageError(["license", "add"])?.message, "'owatch license add' needs NAME")
        XCTAssertTrue(usageError(["license", "list", "extra"])?.message.contains("takes no arguments") == true)
    }

    func testHelpAskedForSkipsTheArgumentCheck() throws {
        // --help is no global option of this table; with it, NAME is not asked for.
        XCTAssertEqual(usageError(["license", "add", "--help"])?.message, "unknown option '--help' for 'owatch license add'")
        let help = Help(nouns: Self.nouns, commands: Self.table, globalOptions: Self.globals + [Option("help", short: "h", "help")])
        let line = try Parser.parse(["license", "add", "-h"], commands: Self.table, globalOptions: help.globalOptions)
        XCTAssertTrue(line.flag("help"))
        XCTAssertEqual(line.command?.path, "license add")
    }

    func testHelpTextComesFromTheTable() {
        let help = Help(nouns: Self.nouns, commands: Self.table, globalOptions: Self.globals)
        XCTAssertEqual(help.nounOrder, ["license", "scan"])
        let add = help.commandHelp(Self.table[0])
        XCTAssertTrue(add.hasPrefix("usage: owatch license add NAME [options]\n\nadd a license\nneeds role: admin\n"), add)
        XCTAssertTrue(add.contains("--assign USER") && add.contains("$ owatch license add Slack --seats 10"), add)
        XCTAssertFalse(help.commandHelp(Self.table[1]).contains("needs role"))  // everyone may
        XCTAssertTrue(help.nounHelp("license").contains("the inventory\n\nverbs:\n  add   add a license\n  list  list licenses\n"))
        XCTAssertTrue(help.overview().contains("--format F  format [table|json]"), help.overview())
        XCTAssertEqual(help.text(for: nil, noun: "scan"), help.nounHelp("scan"))
    }
}
