import OWCLI
import OWKit

/// `owatch charge`: the payments owatch has seen, and the ones an admin enters or removes.
enum ChargeCommand {
    static let shape = Charge.shape

    static let detailShape = Charge.detailShape

    static func list(_ inv: Call<ListOption>) throws {
        var f = Charges.Filter()
        f.vendor = inv.value(.vendor)
        f.from = try inv.day(.from)
        f.to = try inv.day(.to)
        f.license = inv.value(.license)
        f.unmatchedOnly = inv.flag(.unmatched)
        let s = inv.session
        let base = try BaseConverter.configured(s.ledger, today: s.now)
        try inv.emit(try Charges.list(s.db, f), as: shape, base: base, on: \.chargedOn)
        ReportCommand.warnMissingRates(inv, base)
    }

    static func show(_ inv: Invocation) throws {
        inv.emit(try Charges.get(inv.session.db, try Invocation.id(inv.argument(0), of: "charge")), as: detailShape)
    }

    static func add(_ inv: Call<AddOption>) throws {
        let day = try inv.day(.on)!  // required
        let amount = try inv.amount(inv.argument(1))
        let (charge, found) = try Charges.add(
            inv.session, vendor: inv.argument(0), amount: amount, on: day, license: inv.value(.license),
            note: inv.value(.note))
        inv.emitChanged(charge, as: shape)
        inv.note(
            "Added charge #\(charge.id): \(charge.vendor) \(charge.amount.display) on \(charge.chargedOn)"
                + (charge.license.map { " (\($0))" } ?? " (matches no license)") + ".")
        for f in found { inv.note("New finding #\(f.id): \(f.summary)") }
    }

    static func remove(_ inv: Call<RemoveOption>) throws {
        let id = try Invocation.id(inv.argument(0), of: "charge")
        let c = try Charges.get(inv.session.db, id)
        try inv.confirm("Remove charge #\(id) (\(c.vendor) \(c.amount.display) on \(c.chargedOn))?")
        _ = try Charges.remove(inv.session, id)
        inv.note("Removed charge #\(id); totals and findings follow.")
    }
}

/// `owatch charge`: its manual page.
let chargeNoun = Noun(
    name: "charge", summary: "observed payments",
    description: """
        A charge is a payment owatch has seen: a receipt or invoice, a card or bank statement line, or one entered by hand with charge add.
        One payment seen in several kinds of source (the receipt, then the card line days later) is one charge: same vendor and amount within config charges.match_window days either side (default 5d), not yet seen in that kind of source, with the same invoice number when both have one; charge show lists every place it was seen.
        In another currency (a card that converted a USD invoice to EUR) it is the same payment when the amounts agree within 3% at the day's exchange rate, and the charge keeps the invoice's amount; the earliest date seen is the day it was paid, whichever source was scanned first.
        Refunds (money in from a software vendor on a statement, credit notes and refund receipts in mail) are charges with a negative amount, linked by refund_of to the charge they pay back, and burn nets them.
        A charge read from a forwarded receipt carries forwarded_by, the address that forwarded it: anyone who can mail the inbox can forward anything, so a forwarded credit note, or a forward over config scan.forward_review_above (default 500 in the base currency), is not a charge until an admin accepts its review finding (scan adopt); below that it counts, marked.
        With config base_currency set, charge list adds base, base_minor, base_currency and rate_date (the rate of the charge's day).
        Each is matched to a license of its vendor, to an approved purchase, or to nothing (unmanaged spend); reports total them.
        charge remove takes one out of every total, resolves the findings it alone supported, and is audited; what a scan saw stays seen, so a rescan does not bring it back.
        """
)

/// `owatch charge …`: its commands, in help order.
let chargeCommands: [Command] = [
    Command(
        noun: "charge", verb: "list", summary: "list observed charges: receipts, statement lines and ones entered by hand",
        options: ChargeCommand.ListOption.self,
        access: .roles(adminOnly),
        examples: ["owatch charge list --vendor notion --from 2026-11-01", "owatch charge list --unmatched --json"],
        output: ChargeCommand.shape.docs, run: ChargeCommand.list),
    Command(
        noun: "charge", verb: "show", summary: "show one charge and where it was seen", arguments: [Argument(name: "ID")],
        access: .roles(adminOnly), examples: ["owatch charge show 12"], output: ChargeCommand.detailShape.docs, run: ChargeCommand.show),
    Command(
        noun: "charge", verb: "add", summary: "enter a payment by hand; it is matched like a scanned one",
        arguments: [Argument(name: "VENDOR"), Argument(name: "AMOUNT")],
        options: ChargeCommand.AddOption.self,
        access: .roles(adminOnly), examples: ["owatch charge add notion 20.00 --on 2026-11-04 --note 'paid by bank transfer'"],
        output: ChargeCommand.shape.docs, run: ChargeCommand.add),
    Command(
        noun: "charge", verb: "remove", summary: "remove a charge recorded by mistake (audited; a rescan does not bring it back)",
        arguments: [Argument(name: "ID")],
        options: ChargeCommand.RemoveOption.self,
        access: .roles(adminOnly), examples: ["owatch charge remove 12 --yes"], run: ChargeCommand.remove),
]

extension ChargeCommand {
    enum ListOption: String, OptionKeys {
        case vendor, from, to, license, unmatched

        var spec: Option {
            switch self {
            case .vendor: Option(value: "VENDOR", "only this vendor")
            case .from: Option(value: "DATE", "charged on or after", kind: .day)
            case .to: Option(value: "DATE", "charged on or before", kind: .day)
            case .license: Option(value: "LICENSE", "only charges of this license")
            case .unmatched: Option("only charges that match no license or approved purchase")
            }
        }
    }

    enum AddOption: String, OptionKeys {
        case on, license, note

        var spec: Option {
            switch self {
            case .on:
                Option(
                    value: "DATE", "the day it was paid (required)", kind: .day,
                    required: .message("say when: owatch charge add VENDOR AMOUNT --on YYYY-MM-DD"))
            case .license: Option(value: "LICENSE", "the license it pays for")
            case .note: Option(value: "TEXT", "what it was")
            }
        }
    }

    enum RemoveOption: String, OptionKeys, Confirming {
        case yes

        var spec: Option {
            switch self {
            case .yes: Option(short: "y", "do not ask for confirmation (it is asked only on a terminal)")
            }
        }
    }
}
