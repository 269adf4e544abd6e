import XCTest

@testable import OWCLI
@testable import OWChannel
@testable import OWCommands
@testable import OWCore
@testable import OWIdentity
@testable import OWKit
@testable import OWOffice
@testable import OWReports

/// The validate step between parsing and running, against a command typed by its own options enum.
final class ValidationTests: XCTestCase {
    struct Context: CommandContext {
        typealias Role = ParserTests.TestRole
        typealias OutputDoc = String
    }
    typealias Cmd = OWCLI.Command<Context>

    enum AddOption: String, OptionKeys {
        case vendor, seats, renews, period, within, currency, from
        case billing

        var spec: Option {
            switch self {
            case .vendor: Option(value: "V", "vendor", required: .message("owatch license add needs --vendor V", hint: "a catalog name"))
            case .seats: Option(value: "N", "seats", kind: .integer(1...100), required: .standard)
            case .renews: Option(value: "DATE", "renewal", kind: .day)
            case .period: Option(value: "PERIOD", "period", kind: .period)
            case .within: Option(value: "DURATION", "how far", kind: .duration)
            case .currency: Option(value: "CODE", "currency", kind: .currency)
            case .from: Option(value: "MONTH", "first month", kind: .month)
            case .billing: Option(value: "HOW", "billing", choices: ["seats", "usage"])
            }
        }
    }

    static let table: [Cmd] = [
        Cmd(noun: "license", verb: "add", summary: "add a license", options: AddOption.options, access: .roles([.admin]), run: { _ in })
    ]

    /// The error the validate step gives for `argv`, or nil when it passes.
    func validate(_ argv: [String]) throws -> OWError? {
        let line = try Parser.parse(["license", "add"] + argv, commands: Self.table, globalOptions: [])
        do {
            // As the front end runs it: the domain's value readers, the command line's error as a usage error.
            try OWError.commandLine { try Validation.check(line, for: Self.table[0], reader: DomainValues()) }
            return nil
        } catch let e as OWError {
            XCTAssertEqual(e.kind, .usage)
            return e
        }
    }

    func testTheDeclarationIsTheTablesOptions() {
        XCTAssertEqual(AddOption.options.map(\.long), ["vendor", "seats", "renews", "period", "within", "currency", "from", "billing"])
        XCTAssertEqual(AddOption.vendor.option.value, "V")
        XCTAssertEqual(AddOption.billing.option.kind, .choice)
        XCTAssertNotNil(AddOption.seats.option.required)
    }

    func testAValidLinePasses() throws {
        XCTAssertNil(
            try validate([
                "--vendor", "Slack", "--seats", "10", "--renews", "2027-01-31", "--period", "yearly", "--within", "30d", "--currency",
                "USD",
                "--from", "2026-11", "--billing", "usage",
            ]))
    }

    func testMissingRequiredInDeclarationOrderWithItsOwnMessage() throws {
        let e = try validate([])
        XCTAssertEqual(e?.message, "owatch license add needs --vendor V")
        XCTAssertEqual(e?.hints, ["a catalog name"])
        // The standard message names the command and the placeholder.
        XCTAssertEqual(try validate(["--vendor", "Slack"])?.message, "owatch license add needs --seats N")
    }

    func testRequiredComesBeforeABadValue() throws {
        XCTAssertEqual(try validate(["--renews", "soon"])?.message, "owatch license add needs --vendor V")
    }

    func testBadTypesGiveTheReadersMessages() throws {
        let ok = ["--vendor", "Slack", "--seats", "3"]
        XCTAssertEqual(try validate(["--vendor", "Slack", "--seats", "0"])?.message, "--seats takes a whole number from 1 to 100, not '0'")
        XCTAssertEqual(try validate(ok + ["--renews", "31/01/2027"])?.message, "--renews '31/01/2027' is not a date (YYYY-MM-DD)")
        XCTAssertEqual(try validate(ok + ["--within", "soon"])?.message, "--within takes a duration such as 30d, 2w, 3m or 1y, not 'soon'")
        XCTAssertNotNil(try validate(ok + ["--period", "fortnightly"]))
        XCTAssertNotNil(try validate(ok + ["--currency", "EURO"]))
        XCTAssertNotNil(try validate(ok + ["--from", "2026-13"]))
    }

    func testABadChoiceIsRefused() throws {
        // The parser refuses it as it reads; the validate step says the same of a line built otherwise.
        XCTAssertThrowsError(try Parser.parse(["license", "add", "--billing", "usag"], commands: Self.table, globalOptions: [])) {
            XCTAssertEqual(($0 as? CommandLineError)?.message, "--billing must be one of seats, usage, not 'usag'")
        }
        var line = try Parser.parse(["license", "add", "--vendor", "Slack", "--seats", "3"], commands: Self.table, globalOptions: [])
        line.options["billing"] = ["usag"]
        XCTAssertThrowsError(try Validation.check(line, for: Self.table[0], reader: DomainValues())) {
            XCTAssertEqual(($0 as? CommandLineError)?.message, "--billing must be one of seats, usage, not 'usag'")
            XCTAssertEqual(($0 as? CommandLineError)?.hint, "did you mean 'usage'?")
        }
    }

    func testAnUndeclaredOptionIsUnknown() {
        XCTAssertThrowsError(try Parser.parse(["license", "add", "--vendr", "Slack"], commands: Self.table, globalOptions: [])) {
            XCTAssertEqual(($0 as? CommandLineError)?.message, "unknown option '--vendr' for 'owatch license add'")
            XCTAssertEqual(($0 as? CommandLineError)?.hint, "did you mean '--vendor'?")
        }
    }

    func testTheFrontEndReportsACommandLineErrorAsAUsageError() {
        let mapped = { (e: CommandLineError) -> OWError? in
            do {
                try OWError.commandLine { () throws -> Void in throw e }
                return nil
            } catch { return error as? OWError }
        }
        let e = mapped(CommandLineError("--seats given twice", hint: "once"))
        XCTAssertEqual(e?.kind, .usage)
        XCTAssertEqual(e?.message, "--seats given twice")
        XCTAssertEqual(e?.hints, ["once"])
        XCTAssertEqual(mapped(CommandLineError("no hint"))?.hints, [])
    }
}
