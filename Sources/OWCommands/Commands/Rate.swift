import FoundationEssentials
import OWCLI
import OWKit

/// `owatch rate`: exchange rates set by hand, listed, and imported from rate files.
enum RateCommand {
    static let shape = ExchangeRate.shape

    static let importShape = Rates.ImportOutcome.shape

    static func set(_ inv: Call<SetOption>) throws {
        let s = inv.session
        let r = try Rates.set(
            s, from: try Currency.parse(inv.argument(0)), to: try Currency.parse(inv.argument(1)), rate: inv.argument(2),
            on: try inv.day(.on) ?? s.now, force: inv.flag(.force))
        inv.emitChanged(r, as: shape)
        inv.note("1 \(r.from) = \(r.rate) \(r.to) from \(r.day).")
    }

    static func list(_ inv: Call<ListOption>) throws {
        let (currency, day, all) = (try inv.currency(.currency), try inv.day(.on), inv.flag(.all))
        guard !inv.flag(.builtIn) else {
            inv.emit(BuiltInRates.list(currency: currency, on: day, all: all), as: shape)
            return
        }
        let rates = try Rates.list(inv.session.db, currency: currency, on: day, all: all)
        inv.emit(rates, as: shape)
        if rates.isEmpty {
            inv.note(
                "No rates in the ledger\(currency == nil && day == nil ? "" : " for that"); the ECB rates built into owatch cover"
                    + " \(BuiltInRates.firstDay) to \(BuiltInRates.lastDay) (owatch rate list --built-in).")
        }
    }

    static func importFile(_ inv: Call<ImportOption>) throws {
        let path = inv.argument(0)
        let (text, _) = try inv.readText(path)
        let source = path == "-" ? "stdin" : Path.lastComponent(path)
        let outcome = try Rates.importText(inv.session, text: text, source: source, force: inv.flag(.force))
        inv.emitChanged(outcome, as: importShape)
        inv.note(
            "Imported \(outcome.rates) rate(s) for \(outcome.days) day(s) from \(path) (\(outcome.changed) new or changed)."
                + (outcome.skippedCurrencies.isEmpty
                    ? "" : " Skipped currencies owatch does not know: " + outcome.skippedCurrencies.joined(separator: ", ") + "."))
    }
}

/// `owatch rate`: its manual page.
let rateNoun = Noun(
    name: "rate", summary: "exchange rates for totals in one currency",
    description: """
        Rates are dated: 1 FROM is worth RATE TO on that day.
        owatch comes with the European Central Bank's euro reference rates from 1999-01-04 to \(BuiltInRates.lastDay) built in (source: ECB), so past days convert with no set-up and no network; rate list --built-in shows them.
        Rates set or imported into the ledger add to them: they win on the same day, and newer days come from rate import (the ECB's eurofxref-hist.csv adds every day since the built-in ones end).
        A report that needs a day after the last rate says which day and how to add it.
        A charge converts at the rate of its day or the nearest earlier one; a contract's monthly cost at the rate of the month reported (its last day, or today for the current month).
        A pair with no rate of its own uses the inverse of the opposite pair, or goes through a currency both are quoted against (the ECB quotes everything against EUR), at the older of the two rates.
        A rate more than 10 times off the pair's latest known rate (either way; directly, inverted or through a pivot), or, for a pair with no rate yet, not strictly between 0.000001 and 1000000, is refused with the reason unless --force: it is a typo, a unit mix-up or the pair the wrong way round; rate import checks each rate against the one before it in the file or the ledger.
        A conversion whose result is beyond the amounts owatch keeps is an error naming the amount and the rate, never a missing rate.
        rate import reads the European Central Bank's reference-rate files as published (eurofxref-hist.csv, and the daily eurofxref.csv with dates such as 05 January 2024; N/A cells and currencies owatch does not know, such as retired ones, are skipped) and plain CSV with the columns date, from, to, rate; a bad line stops the import with its number and nothing is written.
        With config base_currency set, reports, the summary and the dashboard add one total in that currency beside the per-currency figures; an amount with no rate is never dropped or summed silently: it is shown apart, with a warning naming the rate to add.
        In JSON and CSV a row with one amount gains base, base_minor, base_currency and rate_date; a row with several amounts X gains X_base and X_base_minor for each.
        """
)

/// `owatch rate …`: its commands, in help order.
let rateCommands: [Command] = [
    Command(
        noun: "rate", verb: "set", summary: "record an exchange rate: 1 FROM is worth RATE TO on a day",
        arguments: [Argument(name: "FROM"), Argument(name: "TO"), Argument(name: "RATE")],
        options: RateCommand.SetOption.self,
        access: .roles(adminOnly), examples: ["owatch rate set USD EUR 0.9210 --on 2026-11-02", "owatch rate set GBP EUR 1.1420"],
        output: RateCommand.shape.docs, run: RateCommand.set),
    Command(
        noun: "rate", verb: "list",
        summary: "the latest rate of each currency pair, or every dated rate with --all; the built-in ECB rates with --built-in",
        options: RateCommand.ListOption.self,
        access: .roles(adminOnly),
        examples: ["owatch rate list", "owatch rate list --currency USD --all --json", "owatch rate list --built-in --on 2008-09-15"],
        output: RateCommand.shape.docs, run: RateCommand.list),
    Command(
        noun: "rate", verb: "import",
        summary: "import the ECB's reference rates (eurofxref-hist.csv, eurofxref.csv) or a date,from,to,rate CSV",
        arguments: [Argument(name: "FILE", file: .input)],
        options: RateCommand.ImportOption.self,
        access: .roles(adminOnly),
        examples: [
            "curl -sO https://www.ecb.europa.eu/stats/eurofxref/eurofxref-hist.zip && unzip eurofxref-hist.zip && owatch rate import eurofxref-hist.csv",
            "owatch rate import rates.csv",
        ],
        output: RateCommand.importShape.docs, run: RateCommand.importFile),
]

extension RateCommand {
    enum SetOption: String, OptionKeys {
        case on, force

        var spec: Option {
            switch self {
            case .on: Option(value: "DATE", "the day the rate is for (default: today)", kind: .day)
            case .force:
                Option("record a rate that looks wrong: more than 10x off the pair's latest, or a first one beyond 0.000001…1000000")
            }
        }
    }

    enum ListOption: String, OptionKeys {
        case currency, on, all
        case builtIn = "built-in"

        var spec: Option {
            switch self {
            case .currency: Option(value: "CODE", "only pairs with this currency", kind: .currency)
            case .on: Option(value: "DATE", "rates in effect on that day", kind: .day)
            case .all: Option("every dated rate, not just the latest of each pair")
            case .builtIn: Option("the ECB's rates built into owatch (1 EUR = rate), not the ledger's")
            }
        }
    }

    enum ImportOption: String, OptionKeys {
        case force

        var spec: Option {
            switch self {
            case .force:
                Option("import rates that look wrong: more than 10x off the pair's previous one, or a first one beyond 0.000001…1000000")
            }
        }
    }
}
