import OWKit

/// An option a command accepts. `value` is the placeholder (`PATH`, `N`); nil for a flag.
struct Option: Sendable {
    let long: String
    let short: Character?
    let value: String?
    let help: String
    let choices: [String]
    let repeatable: Bool

    init(_ long: String, short: Character? = nil, value: String? = nil, _ help: String, choices: [String] = [], repeatable: Bool = false) {
        self.long = long; self.short = short; self.value = value; self.help = help; self.choices = choices; self.repeatable = repeatable
    }
}

/// A positional argument. Optional ones are shown `[NAME]`, variadic `NAME…`.
struct Argument: Sendable {
    let name: String
    var optional = false
    var variadic = false
    var choices: [String] = []

    var usage: String {
        let base = variadic ? "\(name)…" : name
        return optional ? "[\(base)]" : base
    }
}

/// What the dispatcher sets up before a command runs (git's RUN_SETUP flags).
enum Access: Sendable {
    case anyone                 // no ledger needed: help, completion
    case bootstrap              // creates the ledger: init
    case ledger                 // ledger opened, no session: login, logout
    case roles(Set<Role>)       // a verified token whose role is in the set
}

let everyone: Set<Role> = [.admin, .employee, .scanner]
let adminOnly: Set<Role> = [.admin]

struct Command: Sendable {
    let noun: String
    let verb: String?
    let summary: String
    var arguments: [Argument] = []
    var options: [Option] = []
    let access: Access
    var examples: [String] = []
    var hidden = false
    /// With `--key PATH`, the issuer key stands in for an admin's token (a way back in when
    /// every admin token has expired).
    var issuerKeyStandsIn = false
    let run: @Sendable (Invocation) throws -> Void

    var path: String { verb.map { "\(noun) \($0)" } ?? noun }

    var usage: String {
        var parts = ["owatch", path]
        parts += arguments.map(\.usage)
        if !options.isEmpty { parts.append("[options]") }
        return parts.joined(separator: " ")
    }

    var roles: Set<Role>? {
        if case .roles(let r) = access { return r }
        return nil
    }
}

/// A top-level word and the manual page that describes it.
struct Noun: Sendable {
    let name: String
    let summary: String
    let description: String
    var jsonKeys: [(String, String)] = []
}

/// Options every command accepts.
let globalOptions: [Option] = [
    Option("ledger", value: "PATH", "ledger file (env OWATCH_LEDGER; default $XDG_DATA_HOME/owatch/ledger.db)"),
    Option("token", value: "PATH", "token file (env OWATCH_TOKEN; default $XDG_CONFIG_HOME/owatch/token)"),
    Option("key", value: "PATH", "issuer private key (env OWATCH_KEY; default $XDG_CONFIG_HOME/owatch/issuer.key)"),
    Option("format", value: "FORMAT", "output format (env OWATCH_FORMAT)", choices: OutputFormat.allCases.map(\.rawValue)),
    Option("json", "short for --format json"),
    Option("columns", value: "LIST", "the table's columns, in order, e.g. name,seats,monthly (any key the JSON has)"),
    Option("wide", "tables show every column, not just the usual ones"),
    Option("quiet", short: "q", "print only data; no messages"),
    Option("no-color", "no colour even on a terminal (also NO_COLOR)"),
    Option("help", short: "h", "show help for the command"),
    Option("version", "print the version"),
]

/// Every command owatch has. Parsing, help, completions and man pages all read this table.
let commandTable: [Command] = [
    // Setting up
    Command(noun: "init", verb: nil, summary: "create a ledger, its issuer key, the first admin and that admin's token",
            options: [Option("org", value: "NAME", "the organisation's name (required)"),
                      Option("admin", value: "USER", "the first admin's user name (required)"),
                      Option("currency", value: "CODE", "the ledger's default ISO 4217 currency (default EUR)")],
            access: .bootstrap,
            examples: ["owatch init --org 'Acme GmbH' --admin alice --currency EUR",
                       "owatch --ledger /srv/owatch/ledger.db --key /srv/owatch/issuer.key init --org Acme --admin root"],
            run: InitCommand.run),

    // People
    Command(noun: "user", verb: "add", summary: "add a person with a role, and issue their first token",
            arguments: [Argument(name: "NAME")],
            options: [Option("role", value: "ROLE", "admin, employee or scanner (required)", choices: Role.allCases.map(\.rawValue)),
                      Option("dept", value: "DEPT", "department"),
                      Option("email", value: "EMAIL", "email address"),
                      Option("full-name", value: "NAME", "the person's full name, e.g. 'Zoë Lefèvre'"),
                      Option("token-out", value: "FILE", "write the new token to FILE (0600) instead of stdout"),
                      Option("expires", value: "DURATION", "token lifetime, e.g. 90d (default: config token.ttl)")],
            access: .roles(adminOnly),
            examples: ["owatch user add bob --role employee --dept sales --token-out bob.token",
                       "owatch user add cron --role scanner --token-out /etc/owatch/scanner.token"],
            run: UserCommand.add),
    Command(noun: "user", verb: "list", summary: "list people",
            options: [Option("role", value: "ROLE", "only this role", choices: Role.allCases.map(\.rawValue)),
                      Option("dept", value: "DEPT", "only this department"),
                      Option("active", "hide offboarded people")],
            access: .roles(adminOnly),
            examples: ["owatch user list", "owatch user list --json | jq -r '.[] | select(.role==\"admin\") | .name'"],
            run: UserCommand.list),
    Command(noun: "user", verb: "show", summary: "show one person", arguments: [Argument(name: "NAME")],
            access: .roles(adminOnly), examples: ["owatch user show bob --json"], run: UserCommand.show),
    Command(noun: "user", verb: "edit", summary: "change a person's department, e-mail or full name ('' clears one)",
            arguments: [Argument(name: "NAME")],
            options: [Option("dept", value: "DEPT", "department"), Option("email", value: "EMAIL", "email address"),
                      Option("full-name", value: "NAME", "full name")],
            access: .roles(adminOnly), examples: ["owatch user edit bob --dept marketing --full-name 'Bob Stone'", "owatch user edit bob --email ''"],
            run: UserCommand.edit),
    Command(noun: "user", verb: "reactivate", summary: "make an offboarded person active again (they need a new token)",
            arguments: [Argument(name: "NAME")],
            access: .roles(adminOnly), examples: ["owatch user reactivate bob && owatch user token bob --out bob.token"],
            run: UserCommand.reactivate),
    Command(noun: "user", verb: "role", summary: "change a person's role; their old tokens stop working",
            arguments: [Argument(name: "NAME"), Argument(name: "ROLE", choices: Role.allCases.map(\.rawValue))],
            access: .roles(adminOnly), examples: ["owatch user role bob admin"], run: UserCommand.role),
    Command(noun: "user", verb: "token", summary: "issue a new token for a person, or for everyone with --all",
            arguments: [Argument(name: "NAME", optional: true)],
            options: [Option("out", short: "o", value: "FILE", "write the token to FILE (0600) instead of stdout"),
                      Option("expires", value: "DURATION", "token lifetime, e.g. 30d (default: config token.lifetime)"),
                      Option("all", "a new token for every active person (with --out-dir)"),
                      Option("role", value: "ROLE", "with --all: only people of this role", choices: Role.allCases.map(\.rawValue)),
                      Option("out-dir", value: "DIR", "with --all: write NAME.token files (0600) into DIR")],
            access: .roles(adminOnly),
            examples: ["owatch user token bob --out bob.token --expires 30d",
                       "owatch user token alice --key ~/.config/owatch/issuer.key --out alice.token   # locked out: the key mints it",
                       "owatch user token --all --role employee --out-dir tokens/"],
            issuerKeyStandsIn: true, run: UserCommand.token),
    Command(noun: "user", verb: "offboard", summary: "deactivate a person, revoke their tokens and free their seats",
            arguments: [Argument(name: "NAME")], options: [Option("yes", short: "y", "do not ask for confirmation (it is asked only on a terminal)")],
            access: .roles(adminOnly), examples: ["owatch user offboard bob", "owatch user offboard bob --yes   # from a script"],
            run: UserCommand.offboard),

    // Sessions
    Command(noun: "login", verb: nil, summary: "verify a token file (or - for standard input) and install it as your token",
            arguments: [Argument(name: "FILE")], access: .ledger,
            examples: ["owatch login ~/Downloads/bob.token", "pbpaste | owatch login -"], run: LoginCommand.login),
    Command(noun: "logout", verb: nil, summary: "remove your installed token", access: .ledger,
            examples: ["owatch logout"], run: LoginCommand.logout),
    Command(noun: "whoami", verb: nil, summary: "show who your token says you are", access: .roles(everyone),
            examples: ["owatch whoami", "owatch whoami --json | jq -r .role"], run: LoginCommand.whoami),

    // Tokens
    Command(noun: "token", verb: "jwk", summary: "print the issuer's public key as a JWK, for other JOSE tools",
            options: [Option("set", "print a JWK Set ({\"keys\": [...]}) of every active issuer key")],
            access: .roles(everyone),
            examples: ["owatch token jwk > issuer.jwk"], run: TokenCommand.jwk),
    Command(noun: "token", verb: "list", summary: "list issued tokens (ids and expiry, never the tokens themselves)",
            options: [Option("user", value: "USER", "only this person's tokens")],
            access: .roles(adminOnly), examples: ["owatch token list --user bob"], run: TokenCommand.list),
    Command(noun: "token", verb: "renew", summary: "exchange your valid token for a fresh one (same role; the old one is revoked)",
            options: [Option("out", short: "o", value: "FILE", "write the new token to FILE (0600) instead of replacing your token file"),
                      Option("expires", value: "DURATION", "token lifetime (default: config token.lifetime)")],
            access: .roles(everyone), examples: ["owatch token renew", "owatch --token /etc/owatch/scanner.token token renew"],
            run: TokenCommand.renew),
    Command(noun: "token", verb: "revoke", summary: "revoke a token by its id (jti)", arguments: [Argument(name: "JTI")],
            access: .roles(adminOnly), examples: ["owatch token revoke 3q2-7wZ4cS0x1Yb9lZ0m1Q"], run: TokenCommand.revoke),

    // Inventory
    Command(noun: "license", verb: "add", summary: "register a license: vendor, seats, cost, period and renewal",
            arguments: [Argument(name: "NAME")],
            options: [Option("vendor", value: "VENDOR", "vendor name or alias from the catalog (required; unknown ones are added)"),
                      Option("plan", value: "PLAN", "plan or edition, e.g. Business"),
                      Option("seats", value: "N", "seats bought, or 'unlimited' for a site license (required)"),
                      Option("cost", value: "AMOUNT", "price per period for the whole pack, e.g. 120.00, €99, 1.234,56 EUR (required)"),
                      Option("per-seat", "the cost is per seat (the pack costs cost × seats)"),
                      Option("period", value: "PERIOD", "monthly, quarterly, yearly, weekly, one-off, or a term like 24m or 3y (default monthly)"),
                      Option("currency", value: "CODE", "ISO 4217 currency (default: the ledger's)"),
                      Option("renews", value: "DATE", "next renewal date, YYYY-MM-DD; later renewals roll forward by the period"),
                      Option("owner", value: "USER", "who owns the contract"),
                      Option("category", value: "CATEGORY", "overrides the vendor's category"),
                      Option("notes", value: "TEXT", "free text"),
                      Option("order", value: "REF", "order or invoice reference of the purchase"),
                      Option("assign", value: "USER", "give USER a seat (repeatable)", repeatable: true)],
            access: .roles(adminOnly),
            examples: ["owatch license add Slack --vendor slack --plan Pro --seats 25 --cost 8.75 --per-seat --period monthly --renews 2026-12-01",
                       "owatch license add Figma --vendor figma --seats 5 --cost '€540' --period yearly --assign bob --assign carol",
                       "owatch license add Office --vendor m365 --seats unlimited --cost 2400 --period 24m"],
            run: LicenseCommand.add),
    Command(noun: "license", verb: "list", summary: "list licenses (employees: the ones they hold)",
            options: [Option("vendor", value: "VENDOR", "only this vendor"), Option("category", value: "CATEGORY", "only this category"),
                      Option("owner", value: "USER", "only contracts this person owns"),
                      Option("renewing-within", value: "DURATION", "only licenses renewing within, e.g. 30d"),
                      Option("unused", "only licenses with idle seats"),
                      Option("user", value: "USER", "licenses USER holds, with each one's monthly cost share and the total"),
                      Option("active", "hide cancelled licenses"),
                      Option("catalog", "the software the office has, for everyone: name, vendor, category, whether a seat is free (no prices)")],
            access: .roles([.admin, .employee]),
            examples: ["owatch license list", "owatch license list --unused --json | jq '[.[] | .monthly_minor] | add'",
                       "owatch license list --catalog          # employees: what exists, before `owatch request new software`",
                       "owatch license list --user bob", "owatch license list --json > inventory.json"],
            run: LicenseCommand.list),
    Command(noun: "license", verb: "show", summary: "show one license with its purchase lines and holders",
            arguments: [Argument(name: "LICENSE")], access: .roles([.admin, .employee]),
            examples: ["owatch license show Slack", "owatch license show 12 --json"], run: LicenseCommand.showCommand),
    Command(noun: "license", verb: "edit", summary: "change a license's details or price",
            arguments: [Argument(name: "LICENSE")],
            options: [Option("name", value: "NAME", "rename"), Option("vendor", value: "VENDOR", "vendor"), Option("plan", value: "PLAN", "plan"),
                      Option("category", value: "CATEGORY", "category"), Option("owner", value: "USER", "contract owner ('' for none)"),
                      Option("period", value: "PERIOD", "billing period"), Option("renews", value: "DATE", "renewal date ('' for none)"),
                      Option("notes", value: "TEXT", "notes"),
                      Option("cost", value: "AMOUNT", "new price of the first purchase line (per seat for per-seat licenses: every line)"),
                      Option("per-seat", "price per seat from now on"), Option("pack", "price for the whole pack from now on"),
                      Option("seats", value: "N", "seats in all, more or fewer (never fewer than are held); each purchase line keeps its seat price")],
            access: .roles(adminOnly), examples: ["owatch license edit Slack --cost 9.25 --renews 2027-01-01", "owatch license edit Figma --seats 4"],
            run: LicenseCommand.edit),
    Command(noun: "license", verb: "reactivate", summary: "bring back a cancelled license",
            arguments: [Argument(name: "LICENSE")],
            access: .roles(adminOnly), examples: ["owatch license reactivate Zoom"], run: LicenseCommand.reactivate),
    Command(noun: "license", verb: "grow", summary: "add seats bought later as their own purchase line",
            arguments: [Argument(name: "LICENSE")],
            options: [Option("seats", value: "N", "seats added (required)"),
                      Option("cost", value: "AMOUNT", "price of the new seats per period (per seat for per-seat licenses; default: the current price per seat)"),
                      Option("order", value: "REF", "order reference"), Option("on", value: "DATE", "purchase date (default today)")],
            access: .roles(adminOnly), examples: ["owatch license grow Slack --seats 5 --order PO-2291"], run: LicenseCommand.grow),
    Command(noun: "license", verb: "cancel", summary: "cancel a license; it runs until its end date, then stops",
            arguments: [Argument(name: "LICENSE")],
            options: [Option("on", value: "DATE", "last day of the contract (default: the day before the next renewal)"), Option("yes", short: "y", "do not ask for confirmation (it is asked only on a terminal)")],
            access: .roles(adminOnly), examples: ["owatch license cancel Zoom", "owatch license cancel Zoom --on 2026-12-31"], run: LicenseCommand.cancel),
    Command(noun: "license", verb: "remove", summary: "delete a license entered by mistake",
            arguments: [Argument(name: "LICENSE")], options: [Option("force", "remove even while people hold seats"), Option("yes", short: "y", "do not ask for confirmation (it is asked only on a terminal)")],
            access: .roles(adminOnly), examples: ["owatch license remove 'Slack (typo)'"], run: LicenseCommand.remove),
    Command(noun: "license", verb: "assign", summary: "give people seats of a license",
            arguments: [Argument(name: "LICENSE"), Argument(name: "USER", variadic: true)],
            options: [Option("grow", "buy the missing seats when none are free")],
            access: .roles(adminOnly), examples: ["owatch license assign Figma bob carol", "owatch license assign Slack dave --grow"],
            run: LicenseCommand.assign),
    Command(noun: "license", verb: "unassign", summary: "take seats back",
            arguments: [Argument(name: "LICENSE"), Argument(name: "USER", variadic: true)],
            access: .roles(adminOnly), examples: ["owatch license unassign Figma bob"], run: LicenseCommand.unassign),
    Command(noun: "license", verb: "renewals", summary: "what renews when, and for how much",
            options: [Option("within", value: "DURATION", "how far ahead (default 60d)")],
            access: .roles(adminOnly), examples: ["owatch license renewals --within 90d"], run: LicenseCommand.renewals),
    Command(noun: "license", verb: "import", summary: "import licenses from CSV or JSON, all or nothing",
            arguments: [Argument(name: "FILE")],
            options: [Option("dry-run", "check every row and report (with --update: the changes), but write nothing"),
                      Option("update", "a row whose name exists updates that license in place; the changes are listed"),
                      Option("date-format", value: "FORM", "how the file writes dates, e.g. DD/MM/YYYY, MM/DD/YYYY, DD.MM.YYYY (default YYYY-MM-DD)")],
            access: .roles(adminOnly),
            examples: ["owatch license import licenses.csv --dry-run", "owatch license import inventory.json",
                       "owatch license list --json > all.json && owatch license import all.json --update --dry-run",
                       "owatch license import from-excel.csv --date-format DD/MM/YYYY",
                       "printf 'name,vendor,seats,cost\\nSlack,slack,10,80\\n' | owatch license import -"],
            run: LicenseCommand.importFile),
    Command(noun: "vendor", verb: "list", summary: "list the vendor catalog (built in and local)",
            options: [Option("category", value: "CATEGORY", "only this category")],
            access: .roles(adminOnly), examples: ["owatch vendor list --category security"], run: VendorCommand.list),
    Command(noun: "vendor", verb: "add", summary: "add a vendor to the catalog",
            arguments: [Argument(name: "NAME")],
            options: [Option("category", value: "CATEGORY", "category (default other)"),
                      Option("domain", value: "DOMAIN", "billing sender domain (repeatable)", repeatable: true),
                      Option("alias", value: "ALIAS", "another name (repeatable)", repeatable: true)],
            access: .roles(adminOnly), examples: ["owatch vendor add 'Acme Analytics' --domain acme-analytics.io --category analytics"],
            run: VendorCommand.add),
    Command(noun: "vendor", verb: "edit", summary: "change a vendor; adds domains and aliases",
            arguments: [Argument(name: "VENDOR")],
            options: [Option("name", value: "NAME", "rename"), Option("category", value: "CATEGORY", "category"),
                      Option("domain", value: "DOMAIN", "add a billing domain (repeatable)", repeatable: true),
                      Option("alias", value: "ALIAS", "add an alias (repeatable)", repeatable: true)],
            access: .roles(adminOnly), examples: ["owatch vendor edit Slack --domain slack-billing.example"], run: VendorCommand.edit),

    // Requests and approvals
    Command(noun: "request", verb: "new", summary: "ask for software, leave or a purchase",
            arguments: [Argument(name: "KIND", choices: ["software", "leave", "purchase"]), Argument(name: "NAME", optional: true)],
            options: [Option("vendor", value: "VENDOR", "software: the vendor, if not the name"),
                      Option("plan", value: "PLAN", "software: plan or edition"),
                      Option("seats", value: "N", "software: seats wanted (default 1)"),
                      Option("cost", value: "AMOUNT", "software: price per period (with --period); purchase: the price (required)"),
                      Option("period", value: "PERIOD", "software: billing period of --cost"),
                      Option("reason", value: "TEXT", "why it is needed"),
                      Option("from", value: "DATE", "leave: first day (required)"),
                      Option("to", value: "DATE", "leave: last day (default: --from)"),
                      Option("type", value: "TYPE", "leave: vacation, sick or unpaid (default vacation)", choices: ["vacation", "sick", "unpaid"]),
                      Option("half-day", "leave: half a day (--from and --to the same)"),
                      Option("note", value: "TEXT", "leave: a note for the approver"),
                      Option("force", "leave: allow going beyond the balance (admins only)")],
            access: .roles([.admin, .employee]),
            examples: ["owatch request new software Figma --plan Professional --cost 15 --period monthly --reason 'design reviews'",
                       "owatch request new leave --from 2026-12-21 --to 2026-12-31",
                       "owatch request new leave --from 2026-12-04 --half-day --type sick",
                       "owatch request new purchase 'USB-C dock' --cost 189.00 --reason 'new desk'"],
            run: RequestCommand.new),
    Command(noun: "request", verb: "list", summary: "list requests (your own; admins: --all)",
            options: [Option("all", "everyone's requests (admins)"),
                      Option("status", value: "STATUS", "only this status", choices: ["pending", "approved", "rejected", "cancelled"]),
                      Option("kind", value: "KIND", "only this kind", choices: ["software", "leave", "purchase"]),
                      Option("user", value: "USER", "only this person's requests (admins)")],
            access: .roles([.admin, .employee]),
            examples: ["owatch request list", "owatch request list --all --status pending --json | jq length"], run: RequestCommand.list),
    Command(noun: "request", verb: "show", summary: "show one request", arguments: [Argument(name: "ID")],
            access: .roles([.admin, .employee]), examples: ["owatch request show 12"], run: RequestCommand.show),
    Command(noun: "request", verb: "cancel", summary: "withdraw your pending request", arguments: [Argument(name: "ID")],
            access: .roles([.admin, .employee]), examples: ["owatch request cancel 12"], run: RequestCommand.cancel),
    Command(noun: "approve", verb: nil, summary: "show the approval queue, or approve or reject requests",
            arguments: [Argument(name: "ID", optional: true, variadic: true)],
            options: [Option("message", short: "m", value: "NOTE", "a note with the decision; required to reject"),
                      Option("reject", "reject instead of approve"),
                      Option("force", "approve leave beyond the balance"),
                      Option("no-grow", "approve software only onto a seat that is free (never buy one)")],
            access: .roles(adminOnly),
            examples: ["owatch approve", "owatch approve 12 13 -m 'enjoy'", "owatch approve --reject 14 -m 'we have a team plan already'"],
            run: ApproveCommand.run),

    // Scan
    Command(noun: "scan", verb: nil, summary: "read receipts and statements; find charges, shadow IT, price changes and duplicates",
            arguments: [Argument(name: "PATH", optional: true, variadic: true)],
            options: [Option("map", value: "COLUMNS", "statement columns, e.g. date=Booked,description=Payee,amount=Amount"),
                      Option("dry-run", "read and report, but write nothing"),
                      Option("wait", "wait for a running scan instead of exiting 75"),
                      Option("fail-on-findings", "exit 1 when new shadow-IT findings appear (unmanaged, price_change, duplicate)"),
                      Option("fail-on", value: "WHICH", "with all: exit 1 on any new finding, idle seats and renewals too", choices: ["shadow", "all"])],
            access: .roles([.admin, .scanner]),
            examples: ["owatch scan                       # every registered source: the cron job",
                       "owatch scan ~/Mail/receipts.mbox --dry-run", "owatch scan statement.csv --map date=Booked,amount=Amount",
                       "*/30 * * * * owatch --token /etc/owatch/scanner.token scan --fail-on-findings"],
            run: ScanCommand.run),
    Command(noun: "scan", verb: "source", summary: "remember, list or forget the sources `owatch scan` reads",
            arguments: [Argument(name: "ACTION", choices: ["add", "list", "remove"]), Argument(name: "PATH", optional: true)],
            options: [Option("map", value: "COLUMNS", "statement column mapping (with add)")],
            access: .roles(adminOnly),
            examples: ["owatch scan source add ~/Mail/receipts.mbox", "owatch scan source add ~/Maildir/billing", "owatch scan source list"],
            run: ScanCommand.source),
    Command(noun: "scan", verb: "findings", summary: "list what scans found (open ones unless --all)",
            options: [Option("all", "include adopted, ignored and resolved findings"),
                      Option("kind", value: "KIND", "only this kind", choices: ["unmanaged", "price_change", "duplicate", "renewal", "unused_seats"]),
                      Option("status", value: "STATUS", "only this status", choices: ["open", "adopted", "ignored", "resolved"])],
            access: .roles(adminOnly),
            examples: ["owatch scan findings", "owatch scan findings --kind unmanaged --json | jq '[.[].monthly_minor] | add'"],
            run: ScanCommand.findings),
    Command(noun: "scan", verb: "adopt", summary: "turn a finding into inventory: an unmanaged vendor becomes a license",
            arguments: [Argument(name: "ID", variadic: true)],
            options: [Option("as", value: "LICENSE", "attach to this existing license of the same vendor instead"),
                      Option("yes", short: "y", "do not ask before adopting several (asked only on a terminal)")],
            access: .roles(adminOnly), examples: ["owatch scan adopt 7", "owatch scan adopt 7 --as 'Notion Team'", "owatch scan adopt 7 9 12 --yes"],
            run: ScanCommand.adopt),
    Command(noun: "scan", verb: "ignore", summary: "close a finding, saying why",
            arguments: [Argument(name: "ID", variadic: true)],
            options: [Option("message", short: "m", value: "WHY", "why it is not a problem (required)")],
            access: .roles(adminOnly), examples: ["owatch scan ignore 8 -m 'personal purchase, reimbursed'", "owatch scan ignore 8 11 -m 'test charges'"],
            run: ScanCommand.ignore),
    Command(noun: "charge", verb: "list", summary: "list observed charges: receipts, statement lines and ones entered by hand",
            options: [Option("vendor", value: "VENDOR", "only this vendor"), Option("from", value: "DATE", "charged on or after"),
                      Option("to", value: "DATE", "charged on or before"), Option("license", value: "LICENSE", "only charges of this license"),
                      Option("unmatched", "only charges that match no license or approved purchase")],
            access: .roles(adminOnly), examples: ["owatch charge list --vendor notion --from 2026-11-01", "owatch charge list --unmatched --json"],
            run: ChargeCommand.list),
    Command(noun: "charge", verb: "show", summary: "show one charge and where it was seen", arguments: [Argument(name: "ID")],
            access: .roles(adminOnly), examples: ["owatch charge show 12"], run: ChargeCommand.show),
    Command(noun: "charge", verb: "add", summary: "enter a payment by hand; it is matched like a scanned one",
            arguments: [Argument(name: "VENDOR"), Argument(name: "AMOUNT")],
            options: [Option("on", value: "DATE", "the day it was paid (required)"), Option("license", value: "LICENSE", "the license it pays for"),
                      Option("note", value: "TEXT", "what it was")],
            access: .roles(adminOnly), examples: ["owatch charge add notion 20.00 --on 2026-11-04 --note 'paid by bank transfer'"],
            run: ChargeCommand.add),
    Command(noun: "charge", verb: "remove", summary: "remove a charge recorded by mistake (audited; a rescan does not bring it back)",
            arguments: [Argument(name: "ID")], options: [Option("yes", short: "y", "do not ask for confirmation (it is asked only on a terminal)")],
            access: .roles(adminOnly), examples: ["owatch charge remove 12 --yes"], run: ChargeCommand.remove),
    Command(noun: "rate", verb: "set", summary: "record an exchange rate: 1 FROM is worth RATE TO on a day",
            arguments: [Argument(name: "FROM"), Argument(name: "TO"), Argument(name: "RATE")],
            options: [Option("on", value: "DATE", "the day the rate is for (default: today)")],
            access: .roles(adminOnly), examples: ["owatch rate set USD EUR 0.9210 --on 2026-11-02", "owatch rate set GBP EUR 1.1420"],
            run: RateCommand.set),
    Command(noun: "rate", verb: "list", summary: "the latest rate of each currency pair, or every dated rate with --all",
            options: [Option("currency", value: "CODE", "only pairs with this currency"), Option("on", value: "DATE", "rates in effect on that day"),
                      Option("all", "every dated rate, not just the latest of each pair")],
            access: .roles(adminOnly), examples: ["owatch rate list", "owatch rate list --currency USD --all --json"], run: RateCommand.list),
    Command(noun: "rate", verb: "import", summary: "import the ECB's reference rates (eurofxref-hist.csv, eurofxref.csv) or a date,from,to,rate CSV",
            arguments: [Argument(name: "FILE")],
            access: .roles(adminOnly),
            examples: ["curl -sO https://www.ecb.europa.eu/stats/eurofxref/eurofxref-hist.zip && unzip eurofxref-hist.zip && owatch rate import eurofxref-hist.csv",
                       "owatch rate import rates.csv"],
            run: RateCommand.importFile),
    Command(noun: "scan", verb: "inspect", summary: "show how owatch reads one email: headers, parts, text and what it extracts",
            arguments: [Argument(name: "FILE")], access: .roles([.admin, .scanner]),
            examples: ["owatch scan inspect receipt.eml", "owatch scan inspect receipt.eml --json | jq .texts"], run: ScanCommand.inspect),

    // Reports
    Command(noun: "report", verb: "burn", summary: "spend per month: contracted cost, observed charges, unmanaged spend",
            options: [Option("from", value: "MONTH", "first month, YYYY-MM (default: 11 months before --to)"),
                      Option("to", value: "MONTH", "last month, YYYY-MM (default: this month)"),
                      Option("by", value: "GROUP", "split each month by this (default month: one row per month and currency)",
                             choices: BurnGrouping.allCases.map(\.rawValue)),
                      Option("ascii", "draw charts with ASCII characters only")],
            access: .roles(adminOnly),
            examples: ["owatch report burn", "owatch report burn --by vendor --from 2026-01 --to 2026-06 --json",
                       "owatch report burn --by category --format csv > burn.csv"],
            run: ReportCommand.burn),
    Command(noun: "report", verb: "renewals", summary: "what renews when, and for how much",
            options: [Option("within", value: "DURATION", "how far ahead (default 90d)")],
            access: .roles(adminOnly), examples: ["owatch report renewals --within 6m"], run: ReportCommand.renewals),
    Command(noun: "report", verb: "utilization", summary: "paid seats against held seats, and what the idle ones cost",
            access: .roles(adminOnly), examples: ["owatch report utilization", "owatch report utilization --json | jq '[.[].idle_monthly_minor] | add'"],
            run: ReportCommand.utilization),
    Command(noun: "report", verb: "shadow", summary: "open unmanaged spend per vendor, with its monthly run-rate",
            options: [Option("ascii", "draw charts with ASCII characters only")],
            access: .roles(adminOnly), examples: ["owatch report shadow"], run: ReportCommand.shadow),
    Command(noun: "report", verb: "leave", summary: "leave taken, pending and remaining per person (employees: their own)",
            options: [Option("year", value: "YEAR", "calendar year (default: this year)")],
            access: .roles([.admin, .employee]), examples: ["owatch report leave", "owatch report leave --year 2027 --format csv"], run: ReportCommand.leave),
    Command(noun: "report", verb: "forecast", summary: "spend projected from each license's renewal dates, plus the unmanaged run-rate",
            options: [Option("months", value: "N", "how many months (default 12)"),
                      Option("from", value: "MONTH", "first month, YYYY-MM (default: this month)"),
                      Option("ascii", "draw charts with ASCII characters only")],
            access: .roles(adminOnly), examples: ["owatch report forecast", "owatch report forecast --months 24 --json"], run: ReportCommand.forecast),
    Command(noun: "report", verb: "summary", summary: "one screen: this month's burn, renewals, idle seats, findings, pending requests",
            access: .roles(adminOnly), examples: ["owatch report summary"], run: ReportCommand.summary),
    Command(noun: "report", verb: "html", summary: "write an offline HTML dashboard: charts, renewal calendar, idle seats, findings, requests",
            options: [Option("out", short: "o", value: "FILE", "where to write it (required)")],
            access: .roles(adminOnly), examples: ["owatch report html --out dashboard.html && xdg-open dashboard.html"], run: ReportCommand.html),

    // Configuration
    Command(noun: "config", verb: "get", summary: "print a setting's value", arguments: [Argument(name: "KEY")],
            access: .roles(adminOnly), examples: ["owatch config get token.ttl"], run: ConfigCommand.get),
    Command(noun: "config", verb: "set", summary: "change a setting", arguments: [Argument(name: "KEY"), Argument(name: "VALUE")],
            access: .roles(adminOnly), examples: ["owatch config set busy_timeout 10s", "owatch config set renewals.notify 30d,7d,1d"],
            run: ConfigCommand.set),
    Command(noun: "config", verb: "unset", summary: "return a setting to its default", arguments: [Argument(name: "KEY")],
            access: .roles(adminOnly), examples: ["owatch config unset token.ttl"], run: ConfigCommand.unset),
    Command(noun: "config", verb: "list", summary: "list every setting with its value and default",
            access: .roles(adminOnly), examples: ["owatch config list"], run: ConfigCommand.list),

    // Audit
    Command(noun: "audit", verb: "log", summary: "show audit events, oldest first",
            options: [Option("limit", short: "n", value: "N", "only the last N events"),
                      Option("action", value: "ACTION", "only this action or action family (e.g. user, user.add)"),
                      Option("actor", value: "USER", "only events by this person")],
            access: .roles(adminOnly), examples: ["owatch audit log -n 20", "owatch audit log --action token --jsonl"],
            run: AuditCommand.log),
    Command(noun: "audit", verb: "verify", summary: "recompute the hash chain and check every seal",
            options: [Option("state", "also check that the audited tables are what the last event recorded (finds direct edits)")],
            access: .roles(adminOnly), examples: ["owatch audit verify || echo 'ledger was tampered with'", "owatch audit verify --state"],
            run: AuditCommand.verify),
    Command(noun: "audit", verb: "seal", summary: "sign the current head of the chain with the issuer key",
            access: .roles(adminOnly), examples: ["owatch audit seal"], run: AuditCommand.seal),

    // Maintenance
    Command(noun: "doctor", verb: nil, summary: "check the ledger, keys, files and audit chain",
            access: .roles(adminOnly), examples: ["owatch doctor"], run: DoctorCommand.run),
    Command(noun: "backup", verb: nil, summary: "write a consistent copy of the ledger, safe while others write",
            arguments: [Argument(name: "FILE")], options: [Option("force", "replace FILE if it exists")],
            access: .roles(adminOnly), examples: ["owatch backup /var/backups/owatch-$(date +%F).db"], run: BackupCommand.run),

    // Help
    Command(noun: "help", verb: nil, summary: "show help for owatch or a command",
            arguments: [Argument(name: "COMMAND", optional: true, variadic: true)], access: .anyone,
            examples: ["owatch help", "owatch help user add"], run: HelpCommand.help),
    Command(noun: "completion", verb: nil, summary: "print a shell completion script",
            arguments: [Argument(name: "SHELL", choices: ["bash", "zsh", "fish"])], access: .anyone,
            examples: ["owatch completion bash > /etc/bash_completion.d/owatch", "owatch completion zsh > \"${fpath[1]}/_owatch\""],
            run: HelpCommand.completion),
    Command(noun: "gen-docs", verb: nil, summary: "write the man pages and completion files (for maintainers)",
            arguments: [Argument(name: "DIR")], access: .anyone, hidden: true, run: HelpCommand.generateDocs),
]

/// The manual's words for each noun.
let nouns: [Noun] = [
    Noun(name: "init", summary: "create a new ledger",
         description: "Creates the ledger file (refusing to touch an existing one), a ledger id, an Ed25519 issuer key pair, the first admin and that admin's token. The private key is written to the key path as PKCS#8 PEM, mode 0600, in a directory of mode 0700; the public key is stored in the ledger. The token is written to the token path."),
    Noun(name: "user", summary: "manage the people of the office",
         description: "People have one role: admin (approves; manages licenses, users and configuration), employee (requests; sees their own requests and seats) or scanner (may run scans and nothing else). Changing a role makes every token issued for the old role stop working. Offboarding revokes every token the person was issued and frees their seats; user reactivate brings the person back (a new token is needed). The last active admin can be neither demoted nor offboarded. user token --all --out-dir DIR re-issues tokens for everyone (or one --role) into NAME.token files, mode 0600. Holding the issuer key is a way back in: owatch user token NAME --key PATH mints a token without a valid one, refused unless the key's public half is an unrevoked issuer of the ledger, and audited with the actor issuer.",
         jsonKeys: [("name", "user name"), ("role", "admin, employee or scanner"), ("dept", "department or null"), ("email", "email or null"),
                    ("status", "active or offboarded"), ("created_at", "RFC 3339 time"), ("offboarded_at", "RFC 3339 time or null"),
                    ("full_name", "the person's full name or null")]),
    Noun(name: "login", summary: "install a token", description: "Verifies a token file against the ledger (every check of owatch-token(1)) and installs it at the token path with mode 0600. FILE may be - for standard input. The file's content is checked first (a file that holds no token says so); a valid token in a file others can read is refused with the chmod 600 for that file."),
    Noun(name: "logout", summary: "remove the installed token", description: "Removes the token file at the token path. It does not revoke the token; an admin does that with owatch token revoke."),
    Noun(name: "whoami", summary: "show the current identity", description: "Verifies the installed token and shows the user, role, ledger and when the token expires.",
         jsonKeys: [("user", "user name"), ("role", "role"), ("org", "organisation"), ("ledger_id", "ledger UUID"), ("ledger", "ledger path"),
                    ("token_id", "the token's jti"), ("expires_at", "RFC 3339 time")]),
    Noun(name: "token", summary: "inspect and revoke tokens",
         description: "Tokens are compact JWS JSON Web Tokens signed with Ed25519 (header alg Ed25519, RFC 9864; EdDSA is accepted too). Claims: iss (ledger id), sub (user), role, iat, nbf, exp, jti. On every command owatch checks: the algorithm; no crit header and no embedded key; kid names an unrevoked issuer of this ledger; the signature; iss; nbf and exp with 60 seconds of leeway; jti not revoked; the user exists and is active; and the token's role is the user's current role. Any failure exits 77 naming the check. A token within 14 days of expiry warns on standard error once a day; token renew exchanges a valid token for a fresh one (same person and role, a new jti; the old one is revoked) where the issuer key is. Tokens live config token.lifetime (default 90d).",
         jsonKeys: [("jti", "token id"), ("user", "user name"), ("role", "role at issue"), ("issued_at", "RFC 3339"), ("expires_at", "RFC 3339"), ("revoked_at", "RFC 3339 or null")]),
    Noun(name: "license", summary: "the software inventory: licenses, seats, costs and renewals",
         description: "A license is a contract with a vendor: seats (or unlimited, for a site license), a price per billing period (for the whole pack, or per seat), a renewal date and the people holding seats. Periods are monthly, quarterly, yearly, weekly, one-off, or any term such as 24m or 3y; monthly equivalents are computed exactly and rounded half to even only when shown. A license can carry several purchase lines (license grow), each with its own seats, price, order reference and date. Renewal dates roll forward by the period when they pass. Money is integer minor units with an ISO 4217 currency; amounts in different currencies are never summed together. Each lead time in config renewals.notify (default 30d,7d) fires the license-renewing hook once per license and renewal, from the first command run after the moment passes. license import reads CSV (RFC 4180; header naming the columns name, vendor, seats, cost and optionally currency, period, renews_on, owner, assigned with names separated by semicolons, plan, category, per_seat, notes, order, purchased_on) or exactly what license list writes with --format csv or --json (id and derived columns such as monthly are read past; status, ends_on, purchase lines and holders are kept); ; and tab separators, decimal commas and --date-format DD/MM/YYYY are read, and a Windows-1252 file is detected (a file that is neither it nor UTF-8 is refused); with --update a row whose name exists updates that license in place and the changes are listed first (--dry-run lists only them); every row is checked first and any bad row means nothing is written (exit 65, each bad row named by line). Employees see only licenses they hold a seat of, and with license list --catalog what the office has: name, vendor, category and whether a seat is free, without prices. user offboard, license cancel and license remove ask for confirmation when standard input and standard error are a terminal (--yes skips it); piped, they never ask.",
         jsonKeys: [("id", "license id"), ("name", "license name"), ("vendor", "vendor name"), ("plan", "plan or null"), ("category", "category"),
                    ("seats", "seats paid for, or null when unlimited"), ("unlimited", "true for a site license"), ("assigned", "seats held"),
                    ("free", "idle seats, or null when unlimited"), ("cost", "price per period, all purchase lines"), ("period", "billing period"),
                    ("per_seat", "priced per seat"), ("monthly", "exact monthly equivalent, rounded"), ("renews_on", "next renewal date or null"),
                    ("owner", "contract owner or null"), ("status", "active or cancelled"), ("ends_on", "last day of a cancelled contract"),
                    ("notes", "notes"), ("assigned_to", "seat holders"), ("lines", "purchase lines: seats, cost, order, purchased_on (JSON formats)"),
                    ("share", "with --user: that person's monthly cost share"),
                    ("seat_free", "with --catalog: whether a seat is free")]),
    Noun(name: "vendor", summary: "the vendor catalog",
         description: "owatch ships a catalog of more than 100 SaaS vendors with their billing sender domains, aliases and categories; licenses resolve their vendor through it by name or alias, case-insensitively, and the scan uses the domains to recognise invoices. Local additions and edits are kept in the ledger.",
         jsonKeys: [("name", "vendor name"), ("category", "category"), ("domains", "billing sender domains"), ("aliases", "other names"), ("source", "builtin or local")]),
    Noun(name: "request", summary: "ask for software, leave or purchases",
         description: "Employees and admins ask; admins decide with owatch approve. A request is pending until it is approved, rejected or cancelled by its requester, and nothing else. Software requests name the software and optionally its vendor, plan, seats and price. Leave counts working days, Monday to Friday minus the holidays in config leave.holidays; half days are allowed; vacation draws on a yearly allowance (config leave.allowance, or leave.allowance.NAME for one person) together with pending requests, and a request beyond the balance or overlapping the person's own pending or approved leave is refused with the dates named. Sick and unpaid leave do not draw on the allowance. An approved purchase is recorded as expected spend. The post-request hook runs after a request is made.",
         jsonKeys: [("id", "request id"), ("kind", "software, leave or purchase"), ("status", "pending, approved, rejected or cancelled"),
                    ("requester", "who asked"), ("summary", "what was asked for"), ("cost", "price, if any"), ("reason", "why"),
                    ("leave_from", "leave: first day"), ("leave_to", "leave: last day"), ("leave_type", "vacation, sick or unpaid"),
                    ("days", "leave: working days"), ("license", "software: the license the seat came from"), ("created_at", "RFC 3339"),
                    ("decided_at", "RFC 3339"), ("decided_by", "the admin who decided"), ("note", "the decision's note or reason")]),
    Noun(name: "approve", summary: "decide requests",
         description: "With no ids, shows the pending queue oldest first: age in days, requester, what, cost, and for leave the requester's remaining vacation and who else in the department is away then, with a warning when more than half of the department would be away. With ids, approves them (or rejects them with --reject, which needs -m REASON). No one decides their own request; a request already decided is refused with who decided it. Approving a software request is one transaction: the license is found by name (or as the one active license of the vendor and plan) or created from the request, a seat is bought if none is free, it is assigned to the requester, and the request is marked approved with its audit events; if any step fails nothing changes. The post-approve and post-reject hooks run after the decision is committed, with the event as JSON on standard input and OWATCH_EVENT set; a hook that fails or runs longer than 10 seconds only causes a warning.",
         jsonKeys: [("id", "request id"), ("age_days", "queue: days waiting"), ("vacation_left", "queue, leave: remaining vacation days"),
                    ("away_in_dept", "queue, leave: others in the department away then"), ("warning", "queue: e.g. more than half the department away")]),
    Noun(name: "charge", summary: "observed payments",
         description: "A charge is a payment owatch has seen: a receipt or invoice, a card or bank statement line, or one entered by hand with charge add. One payment seen in several kinds of source (the receipt, then the card line days later) is one charge: same vendor and amount within config charges.match_window days either side (default 5d), not yet seen in that kind of source, with the same invoice number when both have one; charge show lists every place it was seen. In another currency (a card that converted a USD invoice to EUR) it is the same payment when the amounts agree within 3% at the day's exchange rate, and the charge keeps the invoice's amount; the earliest date seen is the day it was paid, whichever source was scanned first. Refunds (money in from a software vendor on a statement, credit notes and refund receipts in mail) are charges with a negative amount, linked by refund_of to the charge they pay back, and burn nets them. With config base_currency set, charge list adds base, base_minor, base_currency and rate_date (the rate of the charge's day). Each is matched to a license of its vendor, to an approved purchase, or to nothing (unmanaged spend); reports total them. charge remove takes one out of every total, resolves the findings it alone supported, and is audited; what a scan saw stays seen, so a rescan does not bring it back.",
         jsonKeys: [("id", "charge id"), ("charged_on", "YYYY-MM-DD"), ("vendor", "vendor name"), ("amount", "the amount paid"),
                    ("license", "the license it pays for, or null"), ("origin", "mail, statement or manual"), ("invoice_no", "invoice number or null"),
                    ("period", "billing period the receipt names, or null"), ("description", "subject, statement text or note"),
                    ("source", "where it was first seen, in words"), ("sources", "charge show: every place the payment was seen"),
                    ("refund_of", "a refund (negative amount): the charge it pays back, or null")]),
    Noun(name: "rate", summary: "exchange rates for totals in one currency",
         description: "Rates are dated: 1 FROM is worth RATE TO on that day. A charge converts at the rate of its day or the nearest earlier one; a contract's monthly cost at the rate of the month reported (its last day, or today for the current month). A pair with no rate of its own uses the inverse of the opposite pair, or goes through a currency both are quoted against (the ECB quotes everything against EUR), at the older of the two rates. rate import reads the European Central Bank's reference-rate files as published (eurofxref-hist.csv, and the daily eurofxref.csv with dates such as 05 January 2024; N/A cells and currencies owatch does not know, such as retired ones, are skipped) and plain CSV with the columns date, from, to, rate; a bad line stops the import with its number and nothing is written. With config base_currency set, reports, the summary and the dashboard add one total in that currency beside the per-currency figures; an amount with no rate is never dropped or summed silently: it is shown apart, with a warning naming the rate to add. In JSON and CSV a row with one amount gains base, base_minor, base_currency and rate_date; a row with several amounts X gains X_base and X_base_minor for each.",
         jsonKeys: [("from", "currency converted from"), ("to", "currency converted to"), ("day", "YYYY-MM-DD the rate is for"), ("rate", "1 from = rate to"),
                    ("source", "manual, or the file imported"), ("base", "reports: the amount in the base currency"),
                    ("base_minor", "the same in minor units"), ("base_currency", "config base_currency"), ("rate_date", "the day of the rate used")]),
    Noun(name: "scan", summary: "find shadow IT in receipts and card statements",
         description: "owatch scan reads invoice and receipt emails from mbox files (mboxo and mboxrd), Maildir folders and .eml files, and card or bank statement CSV, and records each payment to a known vendor as a charge. A charge is matched to a license of its vendor (in any currency: converted at the day's rate for the comparison), to an approved purchase, or to nothing (an unmanaged finding with a monthly estimate). Prices are compared like for like: the contract's price for the period the charge covers (a yearly invoice against twelve months of a monthly contract), per seat when the charge names its seats or is a whole number of seat prices, and prorated or partial-period charges not at all; only a difference beyond config price_change.tolerance (default 1%) is a price_change finding, one open per license and new price (a later charge at that price refreshes it), whose amount is the whole contract at the new price per the license's period: scan adopt sets the contract to it, and the forecast follows. The same charge paid twice is a duplicate finding; renewals within 30 days and licenses with idle seats are findings too. Vendors are recognised by the sender's domain through the catalog (owatch vendor list), including mail sent by payment processors on a vendor's behalf. Invoices attached as PDF are read too (the text of plain and FlateDecode content streams, bounded against decompression bombs; fonts with custom encodings are not decoded). Newsletters, trial reminders, failed payments and security notices are not charges. A message is recognised by its Message-ID (or content hash), so rescanning reads nothing twice; an mbox that grew is read from where the last scan ended. One scan runs at a time per ledger (a lock beside it); a second exits 75 unless --wait. With no paths, every registered source is scanned: that is the cron job, quiet unless something is new. Malformed messages are skipped with a counted warning. The post-scan hook receives the new findings.",
         jsonKeys: [("id", "finding id"), ("kind", "unmanaged, price_change, duplicate, renewal or unused_seats"), ("status", "open, adopted, ignored or resolved"),
                    ("vendor", "vendor name"), ("license", "the license concerned"), ("amount", "the amount charged"), ("monthly", "monthly estimate or cost"),
                    ("summary", "what was found"), ("created_at", "RFC 3339"), ("note", "why it was ignored, or what resolved it"),
                    ("charge_id", "the charge it is about (see owatch charge show), or null")]),
    Noun(name: "report", summary: "burn, renewals, utilization, shadow IT, leave, forecast and a dashboard",
         description: "Reports read the ledger and never change it. Observed and unmanaged spend come from a monthly aggregate kept by triggers in the same transaction as every charge written, re-linked or deleted, so a report's cost grows with months and vendors, not with charges; owatch doctor checks the aggregate against the charges. Contracted cost is each license's purchase lines as monthly equivalents (a one-off purchase in its month), from the month a line was bought until the license ends; grouped by user or dept, a license's cost is split per seat between its holders, idle seats shown as (idle seats), and charges, which belong to no person, as (not per person). The forecast places each license's charges on its renewal dates (a yearly renewal is a spike in its month; licenses without a renewal date count their monthly equivalent), stops them when a cancelled contract ends, uses each contract's price (a price change counts once scan adopt has made it the contract's), and adds the monthly run-rate of open unmanaged findings. With config base_currency set (see owatch-rate(1)), burn, forecast, utilization, shadow, the summary and the dashboard add one total in that currency beside the per-currency figures: charges at the rate of their day, contract costs at the rate of the month reported (its last day, or today for this month and months to come); JSON and CSV rows gain X_base and X_base_minor for each amount X (base and base_minor when a row has one), base_currency and rate_date. An amount with no rate is never dropped or summed silently: it is shown apart (+ 30.00 GBP (no rate)) with a warning naming the rate to add. The dashboard draws every currency's chart, however many. report leave counts approved leave with the days it was approved for; when config leave.holidays changes, pending requests are counted again, and would_change lists the approved ones the new holidays would change. Charts are drawn under tables only, in Unicode blocks, or ASCII with --ascii or a non-UTF-8 locale. report html writes one self-contained file (inline CSS and SVG, no scripts, nothing fetched) with mode 0600.",
         jsonKeys: [("month", "YYYY-MM"), ("vendor, category, dept, user", "the group, with burn --by"), ("contracted", "contract cost (monthly equivalent)"),
                    ("observed", "charges seen by scans"), ("unmanaged", "charges matching no license or approved purchase"),
                    ("licenses", "forecast: contract charges in the month"), ("total", "forecast: licenses plus unmanaged run-rate"),
                    ("idle", "utilization: seats paid for but not held"), ("idle_monthly", "what the idle seats cost a month"),
                    ("monthly", "shadow: the unmanaged run-rate per vendor"), ("remaining", "leave: days left this year")]),
    Noun(name: "config", summary: "ledger settings",
         description: "Settings live in the ledger. Keys: " + Config.keys.map { "\($0.name) (\($0.summary)\($0.defaultValue.map { "; default \($0)" } ?? ""))" }.joined(separator: "; ") + ".",
         jsonKeys: [("key", "setting name"), ("value", "effective value"), ("default", "default value"), ("set", "true when set explicitly")]),
    Noun(name: "audit", summary: "the tamper-evident audit log",
         description: "Every change appends an event in the same transaction: seq, time, actor, role, action, object, details, prev_hash and hash, where hash is SHA-256 over prev_hash and the row's canonical encoding. audit seal signs the head with the issuer key. audit verify recomputes the chain, checks every seal, and names the first bad event; editing, deleting or reordering events, or truncating the log past a seal, is detected. Truncation after the last seal cannot be told from a shorter history: seal regularly (for example from cron).",
         jsonKeys: [("seq", "position in the chain"), ("time", "RFC 3339"), ("actor", "user name"), ("role", "actor's role"), ("action", "e.g. user.add"),
                    ("object", "what was changed"), ("details", "JSON object"), ("hash", "hex SHA-256")]),
    Noun(name: "doctor", summary: "check the installation", description: "Checks that the ledger opens, passes SQLite's integrity and foreign key checks, is in WAL mode and at the current schema; that the issuer key and token files are private and belong to this ledger; that an active admin exists; and that the audit chain verifies. Exits 1 when any check fails.",
         jsonKeys: [("check", "what was checked"), ("status", "ok, warn or fail"), ("detail", "what was found")]),
    Noun(name: "backup", summary: "copy the ledger safely", description: "Writes a consistent copy of the ledger with SQLite's online backup API, so it is safe while other owatch processes write. The copy is written to a temporary file, checked, then renamed into place with mode 0600."),
    Noun(name: "help", summary: "show help", description: "Shows the command overview, or the help of one command."),
    Noun(name: "completion", summary: "shell completion", description: "Prints the completion script for bash, zsh or fish. The scripts ask the binary itself (the hidden owatch __complete WORD..., one candidate per line, or __files__ for file names), so they complete license and user names, request and finding ids and every option's values from the ledger, as far as your token may read them; options and arguments naming files complete file names, and global options such as --token may come first."),
]
