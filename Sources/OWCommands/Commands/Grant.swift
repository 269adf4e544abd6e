import OWCLI
import OWKit

/// `owatch grant`: the database roles of an existing PostgreSQL ledger. A command of its own, not
/// `init` run again: init never touches an existing ledger (a mistyped URL cannot re-initialise
/// one), while a grant is an admin's act on a ledger that is in use, checked and audited as such.
enum GrantCommand {
    static func run(_ inv: Call<GrantOption>) throws {
        let grants = PostgresRoles.Grants(application: inv.value(.role), readers: inv.value(.reader).map { [$0] } ?? [])
        guard !grants.isEmpty else { throw OWError.usage("owatch grant needs --role ROLE or --reader ROLE", hint: GrantOption.usage) }
        try PostgresRoles.grant(grants, session: inv.session)
        if let app = grants.application {
            inv.note("Granted \(app) what owatch needs: the data tables, and only INSERT and SELECT on events.")
        }
        for reader in grants.readers {
            inv.note(
                "Granted \(reader) SELECT on the ledger's tables and views, except \(PostgresRoles.secretTables.joined(separator: ", ")).")
        }
    }
}

/// `owatch grant`: its manual page.
let grantNoun = Noun(
    name: "grant", summary: "give PostgreSQL roles access to the ledger",
    description: """
        Grants a PostgreSQL ledger's roles, as owatch init --role and --reader do when the ledger is made; run it as the database user that owns the tables (the one init ran as).
        --role ROLE: the application role owatch connects as: SELECT, INSERT, UPDATE and DELETE on the data tables, only INSERT and SELECT on events, only SELECT on owatch_schema.
        --reader ROLE: a read-only role for reporting and BI: SELECT on the tables and views except tokens, revoked_tokens, issuers, notify_channels, outbox, config and meta.
        Running it again is harmless: a reader that had more loses it. The role must exist (CREATE ROLE … LOGIN). Each grant is an audit event (ledger.grant).
        owatch doctor lists the roles and checks their grants. On a SQLite ledger this is a usage error: a file is guarded by its permissions.
        """
)

/// `owatch grant …`: its commands, in help order.
let grantCommands: [Command] = [
    Command(
        noun: "grant", verb: nil, summary: "PostgreSQL: grant the application role, or a read-only reader role, on this ledger",
        options: GrantCommand.GrantOption.self, access: .roles(adminOnly),
        examples: [
            "owatch --ledger postgresql://office_owner@db.example/office grant --reader bi",
            "owatch --ledger postgresql://office_owner@db.example/office grant --role owatch",
        ],
        run: GrantCommand.run)
]

extension GrantCommand {
    enum GrantOption: String, OptionKeys {
        case role, reader

        static let usage = "usage: owatch grant [--role ROLE] [--reader ROLE]"

        var spec: Option {
            switch self {
            case .role: Option(value: "ROLE", "the application role owatch connects as (events insert-only)")
            case .reader: Option(value: "ROLE", "a read-only role for reporting and BI (no tokens, keys or secrets)")
            }
        }
    }
}
