import Foundation
import XCTest

@testable import OWChannel
@testable import OWCore
@testable import OWIdentity
@testable import OWKit
@testable import OWOffice
@testable import OWReaders
@testable import OWReports
@testable import OWRequests
@testable import OWScan

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

    /// A row that leaves a field out (a shape's field whose value is nil) lines up by key in a
    /// table instead of crashing on the column count (seen with an optional forecast column).
    func testTableRowsWithFieldsLeftOutLineUpByKey() {
        let rows = [
            Record([("name", .text("a")), ("n", .int(1))]),
            Record([("name", .text("b")), ("extra", .text("x")), ("n", .int(2))]),
            Record([("n", .int(3))]),
        ]
        let table = Exporter(format: .table).list(rows).split(separator: "\n", omittingEmptySubsequences: false)
        XCTAssertEqual(table[0], "NAME  N")
        XCTAssertEqual(table[1], "a     1")
        XCTAssertEqual(table[2], "b     2")
        XCTAssertEqual(table[3], "      3")
    }

    /// A shape is the one declaration of a record type: its records, the header of an empty
    /// list, the base-currency columns and the manual's keys all come from its fields.
    func testShapeDeclaresRecordsColumnsAndDocs() throws {
        struct Item {
            let name: String
            let price: Money
            let note: String?
        }
        let eur = try Currency.parse("EUR")
        let one = Shape<Item>(
            [
                Field("name", "what it is") { .text($0.name) },
                .money("price", "what it costs") { $0.price },
                Field("note", "only when there is one") { $0.note.map { .text($0) } },
            ], table: ["name", "price"], converts: true)
        let item = Item(name: "Slack", price: Money(minor: 875, currency: eur), note: nil)
        XCTAssertEqual(one.record(item).fields.map(\.key), ["name", "price"], "a nil value leaves its key out")
        XCTAssertEqual(one.columns, ["name", "price", "price_minor", "currency", "note"])
        XCTAssertEqual(one.columns(base: false), one.columns)
        XCTAssertEqual(one.columns(base: true), one.columns + ["base", "base_minor", "base_currency", "rate_date"])
        XCTAssertEqual(one.docs.map(\.key), ["name", "price", "note", "base", "base_currency", "rate_date"])
        XCTAssertEqual(Exporter(format: .csv).list([], emptyColumns: one.columns), "name,price,price_minor,currency,note\r\n")
        XCTAssertEqual(Exporter.flatKeys(one.record(item)), ["name", "price", "price_minor", "currency"])

        let two = one.adding([.money("monthly", "a month") { $0.price }], table: ["name"])
        XCTAssertEqual(two.table, ["name"])
        XCTAssertEqual(
            two.columns(base: true).suffix(6),
            ["price_base", "price_base_minor", "monthly_base", "monthly_base_minor", "base_currency", "rate_date"])
        XCTAssertEqual(one.showing(nil).table, nil)
        XCTAssertEqual(one.showing(also: ["note"]).table, ["name", "price", "note"])
        XCTAssertEqual(one.showing(nil).showing(also: ["x"]).table, ["name", "price", "note", "x"])
        XCTAssertEqual(Shape(one.fields, converts: false).columns(base: true), one.columns, "a shape that does not convert gains nothing")

        struct Holder { let item: Item }
        let held = one.pulledBack { (h: Holder) in h.item }
        XCTAssertEqual(held.record(Holder(item: item)).fields.map(\.key), ["name", "price"])
        XCTAssertEqual(held.field("price").doc, "what it costs")
    }

    /// The money rule is one walk: the JSON value, the JSON and CSV byte writers and the CSV
    /// header agree on every key and value, with and without a currency of the row's own, nested.
    func testMoneyFlattensAlikeInEveryWriter() throws {
        let eur = try Currency.parse("EUR")
        let usd = try Currency.parse("USD")
        let lines = Value.records([Record([("seats", .int(2)), ("cost", .money(Money(minor: 500, currency: eur)))])])
        let records = [
            Record([("cost", .money(Money(minor: 1999, currency: eur))), ("monthly", .money(nil)), ("lines", lines)]),
            Record([("currency", .text("USD")), ("cost", .money(Money(minor: -5, currency: usd))), ("tags", .list(["a", "b"]))]),
        ]
        for r in records {
            let flat = Exporter.flatten(r)
            var bytes: [UInt8] = []
            var keys = Exporter.KeyCache()
            Exporter.writeJSON(r, to: &bytes, keys: &keys)
            XCTAssertEqual(try JSON.parse(String(decoding: bytes, as: UTF8.self)), Exporter.jsonObject(r))
            XCTAssertEqual(Exporter.flatKeys(r), flat.map(\.0))
            var csv: [UInt8] = []
            Exporter.writeCSV(r, to: &csv)
            let cells = String(decoding: csv, as: UTF8.self).dropLast(2)
            XCTAssertEqual(flat.count, r.fields.contains { $0.key == "lines" } ? 6 : 4)
            XCTAssertTrue(cells.hasPrefix(r.fields.first?.key == "currency" ? "USD,-0.05,-5," : "19.99,1999,EUR,,,"), "\(cells)")
        }
        XCTAssertEqual(Exporter.flatKeys(records[0]), ["cost", "cost_minor", "currency", "monthly", "monthly_minor", "lines"])
    }

    /// A list writes a row from its subject (`add(_:as:)`) byte for byte as from its record, in
    /// every format: money flattened (with a `currency` of its own, without, nil), keys left out
    /// for nil values, nested rows, control characters on a terminal, and past a 64 KB flush.
    func testRowsFromSubjectsAreTheirRecordsBytes() throws {
        struct Item {
            let name: String
            let price: Money?
            let note: String?
            let lines: [Record]?
        }
        let eur = try Currency.parse("EUR")
        let line = Record([("seats", .int(2)), ("cost", .money(Money(minor: 500, currency: eur))), ("on", .text("2030-01-02"))])
        let plain = Shape<Item>([
            Field("name", "name") { .text($0.name) }, .money("price", "price") { $0.price },
            Field("note", "note") { $0.note.map { .text($0) } }, Field("tags", "tags") { .list([$0.name, "b,c"]) },
            .money("monthly", "monthly") { $0.price }, Field("lines", "lines") { $0.lines.map { .records($0) } },
        ])
        let ownCurrency = plain.adding([Field("currency", "its own") { .text($0.note) }])
        func item(_ i: Int) -> Item {
            let name: String = i % 7 == 0 ? "=x\u{1B}[2J \"\(i)\"\n\u{85}" : "License \(i)"
            let price: Money? = i % 5 == 0 ? nil : Money(minor: Int64(i * 101 - 5000), currency: eur)
            let note: String? = i % 3 == 0 ? nil : "note \(i), é"
            return Item(name: name, price: price, note: note, lines: i % 4 == 0 ? nil : [line, line])
        }
        let items = (0..<900).map(item)
        for shape in [plain, ownCurrency] {
            for format in OutputFormat.allCases {
                for terminal in [false, true] {
                    var exporter = Exporter(format: format)
                    exporter.terminal = terminal
                    var direct: [UInt8] = []
                    var viaRecords: [UInt8] = []
                    var a = Exporter.ListWriter(exporter, emptyColumns: shape.columns) { direct += $0 }
                    var b = Exporter.ListWriter(exporter, emptyColumns: shape.columns) { viaRecords += $0 }
                    for item in items {
                        a.add(item, as: shape)
                        b.add(shape.record(item))
                    }
                    a.finish()
                    b.finish()
                    XCTAssertGreaterThan(direct.count, 64 * 1024)
                    XCTAssertEqual(direct, viaRecords, "\(format) terminal: \(terminal)")
                }
            }
        }
    }

    func testTableTruncatesToTerminalWidth() {
        let rows = [Record([("name", .text(String(repeating: "x", count: 100))), ("role", .text("admin"))])]
        let lines = Exporter(format: .table, width: 40).list(rows).split(separator: "\n")
        XCTAssertTrue(lines.allSatisfy { $0.count <= 40 })
        XCTAssertTrue(lines[1].contains("…"))
    }

    /// Issue 33: at every width from 60 up, a table fits; amounts, dates and codes are whole or
    /// their column is gone; the kept columns stay; details go before the rest.
    func testTableFitsNeverCuttingAmountsOrDates() throws {
        let eur = try Currency.parse("EUR")
        let jpy = try Currency.parse("JPY")
        let fit = TableFit(
            kinds: ["name": .label, "status": .code, "renews_on": .date, "notes": .text], keep: ["name", "monthly", "renews_on"],
            dropFirst: ["cost", "notes"])
        let rows = (0..<5).map { i in
            Record([
                ("id", .int(Int64(i + 1))), ("name", .text("License number \(i) with a very long name for a team")),
                ("vendor", .text("Vendor with a long name \(i)")), ("cost", .money(Money(minor: 123_456_789_012, currency: eur))),
                ("status", .text("cancelled")), ("monthly", .money(Money(minor: 98_765_432_1, currency: i % 2 == 0 ? eur : jpy))),
                ("renews_on", .text("2027-01-0\(i + 1)")), ("notes", .text(String(repeating: "free text ", count: 8))),
            ])
        }
        let amounts = rows.flatMap { r in ["cost", "monthly"].map { Exporter.tableCell(r[$0]!) } }
        let dates = rows.map { Exporter.tableCell($0["renews_on"]!) }
        for width in 60...160 {
            var e = Exporter(format: .table, width: width)
            let lines = e.list(rows, fit: fit).split(separator: "\n").map(String.init)
            XCTAssertTrue(lines.allSatisfy { $0.count <= width }, "\(width): \(lines)")
            let header = lines[0].split(separator: " ").map(String.init)
            XCTAssertEqual(Array(header.prefix(2)), ["ID", "NAME"], "\(width)")
            XCTAssertTrue(header.contains("MONTHLY") && header.contains("RENEWS_ON"), "\(width): \(header)")
            for (i, line) in lines.dropFirst().enumerated() {
                XCTAssertTrue(line.contains(dates[i]), "\(width): \(line)")
                XCTAssertTrue(line.contains(amounts[2 * i + 1]), "\(width): \(line)")
                if header.contains("COST") { XCTAssertTrue(line.contains(amounts[2 * i]), "\(width): \(line)") }
                if header.contains("STATUS") { XCTAssertTrue(line.contains("cancelled"), "\(width): \(line)") }
            }
            // Details go first, in their order, then the others from the right: a column still
            // shown means every column after it in that order is shown too.
            let order = ["COST", "NOTES", "STATUS", "VENDOR"]
            for (k, column) in order.enumerated() where header.contains(column) {
                XCTAssertTrue(order[k...].allSatisfy(header.contains), "\(width): \(header)")
            }
            // --wide: every column, whole, however narrow.
            e.allColumns = true
            XCTAssertFalse(e.list(rows, fit: fit).contains("…"))
        }
    }

    func testProseUnderATableBreaksBetweenAmountsNeverInside() {
        let line = "Reclaimable: 94,650.20 EUR a month (1,135,802.46 EUR a year), 7,020.00 GBP a month (84,240.00 GBP a year)"
        for width in 20...120 {
            let lines = Prose.wrapped(line, width: width)
            XCTAssertTrue(lines.allSatisfy { $0.count <= width }, "\(width): \(lines)")
            let joined = lines.joined(separator: "\n")
            for amount in ["94,650.20 EUR", "(1,135,802.46 EUR", "7,020.00 GBP", "(84,240.00 GBP"] {
                XCTAssertTrue(joined.contains(amount), "\(width): \(lines)")
            }
            XCTAssertEqual(lines.map { $0.trimmingCharacters(in: .whitespaces) }.joined(separator: " "), line)
        }
    }
}
