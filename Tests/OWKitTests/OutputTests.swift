import Foundation
import XCTest

@testable import OWKit

final class OutputTests: XCTestCase {
    func testExporterFormats() throws {
        let eur = try Currency.parse("EUR")
        let rows = [
            Record([("name", .text("a,b")), ("cost", .money(Money(minor: 1999, currency: eur))), ("n", .int(3))]),
            Record([("name", .text("=cmd")), ("cost", .money(nil)), ("n", .int(nil))]),
        ]
        let csv = Exporter(format: .csv).list(rows)
        XCTAssertEqual(csv, "name,cost,cost_minor,currency,n\r\n\"a,b\",19.99,1999,EUR,3\r\n'=cmd,,,,\r\n")
        let json = try JSON.parse(Exporter(format: .json).list(rows))
        XCTAssertEqual(json.arrayValue?[0]["cost"], .number("19.99"))
        XCTAssertEqual(json.arrayValue?[0]["cost_minor"], .number("1999"))
        XCTAssertEqual(json.arrayValue?[1]["cost"], .null)
        let table = Exporter(format: .table).list(rows).split(separator: "\n")
        XCTAssertEqual(table[0], "NAME       COST  N")
        XCTAssertEqual(table[1], "a,b   19.99 EUR  3")
        XCTAssertEqual(Exporter(format: .jsonl).list(rows).split(separator: "\n").count, 2)
        XCTAssertEqual(Exporter(format: .json).list([]), "[]\n")
    }

    func testTableTruncatesToTerminalWidth() {
        let rows = [Record([("name", .text(String(repeating: "x", count: 100))), ("role", .text("admin"))])]
        let lines = Exporter(format: .table, width: 40).list(rows).split(separator: "\n")
        XCTAssertTrue(lines.allSatisfy { $0.count <= 40 })
        XCTAssertTrue(lines[1].contains("…"))
    }
}
