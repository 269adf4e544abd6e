import Foundation
import OWKit

/// `owatch rate`: exchange rates set by hand, listed, and imported from rate files.
enum RateCommand {
    static let columns = ["from", "to", "day", "rate", "source"]

    static func record(_ r: ExchangeRate) -> Record {
        Record([("from", .text(r.from)), ("to", .text(r.to)), ("day", .text(r.day)), ("rate", .json(.number(r.rate))), ("source", .text(r.source))])
    }

    static func set(_ inv: Invocation) throws {
        let s = inv.session
        let r = try Rates.set(s, from: inv.argument(0), to: inv.argument(1), rate: inv.argument(2), on: inv.value("on") ?? Time.day(s.now))
        inv.emitChanged(record(r), tableColumns: columns)
        inv.note("1 \(r.from) = \(r.rate) \(r.to) from \(r.day).")
    }

    static func list(_ inv: Invocation) throws {
        inv.emit(try Rates.list(inv.session.db, currency: inv.value("currency"), on: inv.value("on"), all: inv.flag("all")).map(record), columns: columns)
    }

    static func importFile(_ inv: Invocation) throws {
        let path = inv.argument(0)
        let (text, _) = try CSV.readText(path)
        let source = path == "-" ? "stdin" : (path as NSString).lastPathComponent
        let outcome = try Rates.importText(inv.session, text: text, source: source)
        inv.emit(Record([("format", .text(outcome.format)), ("rates", .int(Int64(outcome.rates))), ("changed", .int(Int64(outcome.changed))),
                         ("days", .int(Int64(outcome.days))), ("skipped_currencies", .list(outcome.skippedCurrencies))]))
        inv.note("Imported \(outcome.rates) rate(s) for \(outcome.days) day(s) from \(path) (\(outcome.changed) new or changed)."
                 + (outcome.skippedCurrencies.isEmpty ? "" : " Skipped currencies owatch does not know: " + outcome.skippedCurrencies.joined(separator: ", ") + "."))
    }
}
