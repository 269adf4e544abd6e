import FoundationEssentials
import OWCLI
import OWKit

/// `owatch license …`'s options: one enum a subcommand, the table reads their specs.
extension LicenseCommand {
    enum AddOption: String, ContractTermOptions {
        case vendor, plan, seats, cost
        case usageBilled = "usage-billed"
        case perSeat = "per-seat"
        case period, currency, renews, owner, category, notes, order, assign
        // the contract terms (TermOption)
        case notice
        case sendBy = "send-by"
        case autoRenew = "auto-renew"
        case noAutoRenew = "no-auto-renew"
        case termEnd = "term-end"
        case minimumTerm = "minimum-term"
        case then, lead

        var spec: Option {
            switch self {
            case .vendor:
                Option(
                    value: "VENDOR", "vendor name or alias from the catalog (required; unknown ones are added)",
                    required: .message("owatch license add needs --vendor V"))
            case .plan: Option(value: "PLAN", "plan or edition, e.g. Business")
            case .seats: Option(value: "N", "seats bought, or 'unlimited' for a site license (required unless --usage-billed)")
            case .cost:
                Option(value: "AMOUNT", "price per period for the whole pack, e.g. 120.00, €99, 1.234,56 EUR (required)", kind: .amount)
            case .usageBilled:
                Option(
                    "billed by usage (a cloud or API account): no seats, never counted idle or reclaimable; the cost is the expected monthly bill"
                )
            case .perSeat: Option("the cost is per seat (the pack costs cost × seats)")
            case .period:
                Option(
                    value: "PERIOD", "monthly, quarterly, yearly, weekly, one-off, or a term like 24m or 3y (default monthly)",
                    kind: .period)
            case .currency: Option(value: "CODE", "ISO 4217 currency (default: the ledger's)", kind: .currency)
            case .renews: Option(value: "DATE", "next renewal date, YYYY-MM-DD; later renewals roll forward by the period", kind: .day)
            case .owner: Option(value: "USER", "who owns the contract")
            case .category: Option(value: "CATEGORY", "overrides the vendor's category")
            case .notes: Option(value: "TEXT", "free text")
            case .order: Option(value: "REF", "order or invoice reference of the purchase")
            case .assign: Option(value: "USER", "give USER a seat (repeatable)", repeatable: true)
            case .notice, .sendBy, .autoRenew, .noAutoRenew, .termEnd, .minimumTerm, .then, .lead: TermOption.spec(of: self)
            }
        }
    }

    enum ListOption: String, OptionKeys {
        case vendor, category, owner
        case renewingWithin = "renewing-within"
        case unused, user, active, catalog
        case wallosCsv = "wallos-csv"

        var spec: Option {
            switch self {
            case .vendor: Option(value: "VENDOR", "only this vendor")
            case .category: Option(value: "CATEGORY", "only this category")
            case .owner: Option(value: "USER", "only contracts this person owns")
            case .renewingWithin: Option(value: "DURATION", "only licenses renewing within, e.g. 30d")
            case .unused: Option("only licenses with idle seats")
            case .user: Option(value: "USER", "licenses USER holds, with each one's monthly cost share and the total")
            case .active: Option("hide cancelled licenses")
            case .catalog: Option("the software the office has, for everyone: name, vendor, category, whether a seat is free (no prices)")
            case .wallosCsv: Option("with --format wallos: Wallos's CSV export instead of its JSON")
            }
        }
    }

    enum EditOption: String, ContractTermOptions {
        case name, vendor, plan, category, owner, period, renews, notes, cost
        case perSeat = "per-seat"
        case pack, seats
        // the contract terms (TermOption)
        case notice
        case sendBy = "send-by"
        case autoRenew = "auto-renew"
        case noAutoRenew = "no-auto-renew"
        case termEnd = "term-end"
        case minimumTerm = "minimum-term"
        case then, lead

        var spec: Option {
            switch self {
            case .name: Option(value: "NAME", "rename")
            case .vendor: Option(value: "VENDOR", "vendor")
            case .plan: Option(value: "PLAN", "plan")
            case .category: Option(value: "CATEGORY", "category")
            case .owner: Option(value: "USER", "contract owner ('' for none)")
            case .period: Option(value: "PERIOD", "billing period", kind: .period)
            case .renews: Option(value: "DATE", "renewal date ('' for none)")
            case .notes: Option(value: "TEXT", "notes")
            case .cost:
                Option(value: "AMOUNT", "new price of the first purchase line (per seat for per-seat licenses: every line)", kind: .amount)
            case .perSeat: Option("price per seat from now on")
            case .pack: Option("price for the whole pack from now on")
            case .seats:
                Option(value: "N", "seats in all, more or fewer (never fewer than are held); each purchase line keeps its seat price")
            case .notice, .sendBy, .autoRenew, .noAutoRenew, .termEnd, .minimumTerm, .then, .lead: TermOption.spec(of: self)
            }
        }
    }

    enum DecideOption: String, OptionKeys {
        case message

        var spec: Option {
            switch self {
            case .message: Option(short: "m", value: "NOTE", "why, for the audit log")
            }
        }
    }

    enum GrowOption: String, OptionKeys {
        case seats, cost, order, on

        var spec: Option {
            switch self {
            case .seats:
                Option(
                    value: "N", "seats added (required)",
                    required: .message("owatch license grow needs --seats N (a whole number of seats to add)"))
            case .cost:
                Option(
                    value: "AMOUNT",
                    "price of the new seats per period (per seat for per-seat licenses; default: the current price per seat)", kind: .amount
                )
            case .order: Option(value: "REF", "order reference")
            case .on: Option(value: "DATE", "purchase date (default today)", kind: .day)
            }
        }
    }

    enum CancelOption: String, OptionKeys, Confirming {
        case on, yes

        var spec: Option {
            switch self {
            case .on: Option(value: "DATE", "last day of the contract (default: the day before the next renewal)", kind: .day)
            case .yes: Option(short: "y", "do not ask for confirmation (it is asked only on a terminal)")
            }
        }
    }

    enum ReclaimOption: String, OptionKeys {
        case inactive
        case dryRun = "dry-run"

        var spec: Option {
            switch self {
            case .inactive:
                Option(value: "DURATION", "unused for longer than this is inactive (default config usage.inactive, 60d)", kind: .duration)
            case .dryRun: Option("list what would be freed; change nothing")
            }
        }
    }

    enum RemoveOption: String, OptionKeys, Confirming {
        case force, yes

        var spec: Option {
            switch self {
            case .force: Option("remove even while people hold seats")
            case .yes: Option(short: "y", "do not ask for confirmation (it is asked only on a terminal)")
            }
        }
    }

    enum AssignOption: String, OptionKeys {
        case grow

        var spec: Option {
            switch self {
            case .grow: Option("buy the missing seats when none are free")
            }
        }
    }

    enum RenewalsOption: String, OptionKeys {
        case within

        var spec: Option {
            switch self {
            case .within: Option(value: "DURATION", "how far ahead (default 60d)")
            }
        }
    }

    enum ImportOption: String, OptionKeys {
        case dryRun = "dry-run"
        case update
        case dateFormat = "date-format"
        case from, cost, period

        var spec: Option {
            switch self {
            case .dryRun: Option("check every row and report (with --update: the changes), but write nothing")
            case .update: Option("a row whose name exists updates that license in place; the changes are listed")
            case .dateFormat:
                Option(value: "FORM", "how the file writes dates, e.g. DD/MM/YYYY, MM/DD/YYYY, DD.MM.YYYY (default YYYY-MM-DD)")
            case .from:
                Option(
                    value: "FORMAT", "the file's tool: owatch (default), snipe-it (its licence CSV) or wallos (its JSON or CSV export)",
                    choices: ["owatch", "snipe-it", "wallos"])
            case .cost:
                Option(
                    value: "BASIS",
                    "--from snipe-it: Purchase Cost is per-seat (Snipe-IT 7 and later) or total (older); asked when seats are more than one",
                    choices: SnipeIT.CostBasis.allCases.map(\.rawValue))
            case .period:
                Option(
                    value: "PERIOD",
                    "--from snipe-it or wallos: the billing period when the file does not say (Wallos's older exports have no Payment Cycle)",
                    kind: .period)
            }
        }
    }
}
