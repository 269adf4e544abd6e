import FoundationEssentials
import OWCLI
import OWKit

enum InitCommand {
    struct Created {
        let ledger: Ledger
        let admin: String
        let token: IssuedToken
        let paths: Paths
    }

    static let shape = Shape<Created>([
        Field("ledger_id", "the new ledger's UUID") { .text($0.ledger.id) },
        Field("org", "organisation") { .text($0.ledger.org) },
        Field("currency", "the ledger's currency") { .text($0.ledger.currency) },
        Field("ledger", "ledger path or URL (a password shown as ***)") { .text(LedgerLocation($0.paths.ledger).display) },
        Field("admin", "the first admin") { .text($0.admin) },
        Field("token_file", "where the admin's token was written") { .text($0.paths.token) },
        Field("token_expires_at", "RFC 3339 time the token expires", kind: .date) { .text($0.token.claims.expiresAt) },
        Field("issuer_key", "the issuer's private key file") { .text($0.paths.issuerKey) },
    ])

    static func run(_ inv: Call<InitOption>) throws {
        let org = inv.value(.org)!
        let admin = inv.value(.admin)!  // required
        let (ledger, token) = try Setup.initialize(
            paths: inv.paths, org: org, admin: admin, email: inv.value(.email), fullName: inv.value(.fullName),
            currency: try inv.currency(.currency) ?? Currency.parse("EUR"), services: .office,
            grants: PostgresRoles.Grants(application: inv.value(.role), readers: inv.value(.reader).map { [$0] } ?? []))
        inv.emit(Created(ledger: ledger, admin: admin, token: token, paths: inv.paths), as: shape)
        inv.note("Initialised the \(ledger.org) ledger. \(admin) is admin; their token is in \(inv.paths.token).")
        inv.note("Keep \(inv.paths.issuerKey) private and backed up: it signs every token.")
    }
}

/// `owatch init`: its manual page.
let initNoun = Noun(
    name: "init", summary: "create a new ledger",
    description: """
        Creates the ledger file (refusing to touch an existing one), a ledger id, an Ed25519 issuer key pair, the first admin and that admin's token.
        The private key is written to the key path as PKCS#8 PEM, mode 0600, in a directory of mode 0700; the public key is stored in the ledger.
        The token is written to the token path.
        --email and --full-name give the admin the address and name the office's directory has, so the first user sync finds them instead of adding them again.
        On PostgreSQL (--ledger postgresql://…, an empty database) init runs as the database owner and creates the schema; even the owner loses UPDATE, DELETE and TRUNCATE on the events table.
        --role ROLE grants the application role owatch then connects as: it reads and writes the data tables but may only INSERT and SELECT events, and, not owning them, cannot grant itself more.
        --reader ROLE grants a read-only role for reporting and BI: SELECT on the tables and views except tokens, revoked_tokens, issuers, notify_channels, outbox, config and meta.
        Both roles must exist (CREATE ROLE … LOGIN); on an existing ledger use owatch grant. On a SQLite ledger both are a usage error.
        """
)

/// `owatch init …`: its commands, in help order.
let initCommands: [Command] = [
    Command(
        noun: "init", verb: nil, summary: "create a ledger, its issuer key, the first admin and that admin's token",
        options: InitCommand.InitOption.self,
        access: .bootstrap,
        examples: [
            "owatch init --org 'Acme GmbH' --admin alice --currency EUR",
            "owatch init --org 'Acme GmbH' --admin marta --email marta.schulz@acme.example --full-name 'Marta Schulz'",
            "owatch --ledger /srv/owatch/ledger.db --key /srv/owatch/issuer.key init --org Acme --admin root",
            "owatch --ledger postgresql://office_owner@db.example/office init --org Acme --admin root --role owatch --reader bi",
        ],
        output: InitCommand.shape.docs, run: InitCommand.run)
]

extension InitCommand {
    enum InitOption: String, OptionKeys {
        case org, admin, email
        case fullName = "full-name"
        case currency
        case role, reader

        /// What a missing required option's message shows.
        static let usage = "usage: owatch init --org NAME --admin USER [--email E] [--full-name NAME] [--currency EUR]"

        var spec: Option {
            switch self {
            case .org:
                Option(
                    value: "NAME", "the organisation's name (required)",
                    required: .message("owatch init needs --org NAME", hint: Self.usage))
            case .admin:
                Option(
                    value: "USER", "the first admin's user name (required)",
                    required: .message("owatch init needs --admin USER", hint: Self.usage))
            case .email: Option(value: "EMAIL", "the admin's e-mail address, as the office's directory has it (user sync matches it)")
            case .fullName: Option(value: "NAME", "the admin's full name, e.g. 'Marta Schulz'")
            case .currency:
                Option(
                    value: "CODE",
                    "the ledger's default ISO 4217 currency (default EUR): of amounts that name none, and of budgets and approval "
                        + "limits; report totals across currencies need config set base_currency",
                    kind: .currency)
            case .role: Option(value: "ROLE", "PostgreSQL: the application role owatch connects as (events insert-only)")
            case .reader: Option(value: "ROLE", "PostgreSQL: a read-only role for reporting and BI (no tokens, keys or secrets)")
            }
        }
    }
}
