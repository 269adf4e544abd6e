import OWCLI
import OWKit

/// `owatch export`: the ledger's money in the files other tools read.
enum ExportCommand {
    static func journal(_ inv: Invocation) throws {
        guard let format = inv.value("format").flatMap(JournalFormat.init(rawValue:)) else {
            throw OWError.usage("say which journal: owatch export journal --format hledger|ledger|beancount")
        }
        var o = JournalOptions(format: format)
        o.from = try inv.day("from").map(Time.day)
        o.to = try inv.day("to").map(Time.day)
        if let from = o.from, let to = o.to, from > to { throw OWError.usage("--from \(from) is after --to \(to)") }
        o.periodic = inv.flag("periodic")
        o.amortize = inv.flag("amortize")
        if let path = inv.value("accounts") {
            o.accounts = try AccountMap.parse(
                String(decoding: try FileSystem.readInput(path, maxBytes: 4 << 20), as: UTF8.self), file: path, format: format)
        }
        if let path = inv.value("existing") { o.existing = String(decoding: try FileSystem.readInput(path), as: UTF8.self) }
        let result = try Journal.export(inv.session.db, o)
        inv.term.out(result.text)
        inv.note(
            "Wrote \(result.charges) charge(s)" + (result.rules > 0 ? " and \(result.rules) budget rule(s)" : "")
                + (result.skipped > 0 ? "; \(result.skipped) already in the journal left out" : "") + " (\(format.rawValue)).")
    }
}

/// `owatch export`: its manual page.
let exportNoun = Noun(
    name: "export", summary: "the ledger's charges for the books",
    description: """
        export journal writes every charge as a plain-text accounting transaction for hledger, Ledger or Beancount, on stdout: its day, the vendor as payee, the receipt's or statement's text as the note, the amount exactly in the charge's own currency, an expense account by category and vendor (expenses:software:CATEGORY:VENDOR) and the account that paid by origin (liabilities:card for mail receipts and statement lines, assets:bank for charges entered by hand).
        Each transaction carries its charge id (the comment ; owatch-charge: 42 in hledger and Ledger, the metadata owatch-charge: "42" in Beancount); with --existing FILE the charges, budget rules, accounts and commodities that FILE has already are left out, so export journal --existing books.journal >> books.journal adds nothing twice.
        --accounts FILE maps the office's chart of accounts, one line each: vendor NAME = ACCOUNT (that vendor's expense account), category NAME = ACCOUNT (the parent of its vendors' accounts), origin mail|statement|manual = ACCOUNT (what paid), prepaid = ACCOUNT (the parent of the prepaid-expense accounts); # starts a comment.
        --periodic adds one budget rule per recurring license, its cost per billing period from the month its first seats were bought to the day it ends: a periodic transaction (~ monthly, ~ every 12 months …) for hledger balance --budget, and for Beancount, which has no budgets, fava's custom "budget" directive (ACCOUNT "monthly"|"quarterly"|"yearly"|"weekly" AMOUNT, with a zero budget from the day a cancelled contract ends).
        --amortize books a charge that pays a license ahead for months (quarterly, yearly, 24m: up to 120 months) as finance does: the payment into assets:prepaid:VENDOR, then one transfer a month into the expense account, parts of whole minor units that add up to the charge exactly.
        Text from data is written on one line: newlines, tabs and runs of spaces become one space (two spaces end a hledger description), ; becomes , and | becomes / in a payee; a Ledger note writes : as ∶ so it cannot make a tag; Beancount strings are quoted and escaped. Account names from data keep letters and digits (ASCII for Beancount), anything else becomes -; commodities other than plain letters are quoted for hledger and Ledger.
        """
)

/// `owatch export …`: its commands, in help order.
let exportCommands: [Command] = [
    Command(
        noun: "export", verb: "journal", summary: "write the charges as an hledger, Ledger or Beancount journal",
        options: [
            Option("format", value: "FORMAT", "the journal's format (required)", choices: JournalFormat.allCases.map(\.rawValue)),
            Option("from", value: "DATE", "charges on or after"), Option("to", value: "DATE", "charges on or before"),
            Option("periodic", "add a budget rule per recurring license (hledger balance --budget; fava's budgets)"),
            Option("amortize", "spread a payment for several months ahead over those months, through prepaid expenses"),
            Option("accounts", value: "FILE", "map vendors, categories and origins to the office's accounts", file: .input),
            Option("existing", value: "FILE", "leave out what this journal has already (to append to it)", file: .input),
        ],
        access: .roles(adminOnly),
        examples: [
            "owatch export journal --format hledger --from 2026-01-01 > software.journal",
            "owatch export journal --format hledger --existing books.journal >> books.journal",
            "owatch export journal --format hledger --periodic > s.journal && hledger -f s.journal balance --budget -M expenses",
            "owatch export journal --format beancount --amortize --accounts chart.txt > software.beancount && bean-check software.beancount",
        ],
        run: ExportCommand.journal)
]
