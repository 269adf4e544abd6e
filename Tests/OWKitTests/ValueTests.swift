import Foundation
import XCTest

@testable import OWKit

final class ValueTests: XCTestCase {
    func testBase64URLIsStrict() {
        XCTAssertEqual(Base64URL.decode("aGk"), Array("hi".utf8))
        XCTAssertEqual(Base64URL.encode(Array("hi?>".utf8)), "aGk_Pg")
        for bad in ["aGk=", "aG+k", "a", "aGl", "a b", "aGk\u{0}"] {
            XCTAssertNil(Base64URL.decode(Substring(bad)), bad)
        }
    }

    func testMoneyDecimalUsesCurrencyExponent() throws {
        let eur = try Currency.parse("eur")
        let jpy = try Currency.parse("JPY")
        let bhd = try Currency.parse("BHD")
        XCTAssertEqual(Money(minor: 1250, currency: eur).decimal, "12.50")
        XCTAssertEqual(Money(minor: -5, currency: eur).decimal, "-0.05")
        XCTAssertEqual(Money(minor: 12000, currency: jpy).decimal, "12000")
        XCTAssertEqual(Money(minor: 1234, currency: bhd).decimal, "1.234")
        XCTAssertEqual(Money(minor: 123_456_789, currency: eur).display, "1,234,567.89 EUR")
        XCTAssertThrowsError(try Currency.parse("XYZ"))
    }

    func testDatesAreStrict() {
        XCTAssertNotNil(Time.parseDay("2028-02-29"))
        for bad in ["2026-02-29", "2026-13-01", "2026-1-01", "26-01-01", "2026-04-31", "２０２６-01-01", ""] {
            XCTAssertNil(Time.parseDay(bad), bad)
        }
    }

    func testDurations() throws {
        XCTAssertEqual(Duration.parse("30d"), Duration(count: 30, unit: .day))
        XCTAssertNil(Duration.parse("3x"))
        XCTAssertNil(Duration.parse("-1d"))
        let jan31 = Time.parseDay("2026-01-31")!
        XCTAssertEqual(Time.day(Duration(count: 1, unit: .month).added(to: jan31)), "2026-02-28")
        XCTAssertEqual(Time.day(Duration(count: 2, unit: .week).added(to: jan31)), "2026-02-14")
        XCTAssertEqual(Time.day(Duration(count: 1, unit: .year).subtracted(from: jan31)), "2025-01-31")
    }

    func testSuggestions() {
        XCTAssertEqual(Suggest.nearest("lst", in: ["list", "show"]), "list")
        XCTAssertEqual(Suggest.nearest("offb", in: ["offboard", "add"]), "offboard")
        XCTAssertNil(Suggest.nearest("zzzzzz", in: ["list", "show"]))
    }

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
